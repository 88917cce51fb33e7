"""Working-calendar queries and mutations: call :class:`~smartoffice.workcalendar.service.WorkCalendarService`;
its domain errors become members of the result unions (``smartoffice/api/errors.py``)."""

import datetime as dt
from typing import Annotated

import strawberry

from smartoffice.api.context import Info
from smartoffice.identity.scopes import Scope
from smartoffice.workcalendar.api.types import (
    CalendarDay,
    CalendarDays,
    CalendarDaysResult,
    RemoveCalendarOverrideInput,
    RemoveCalendarOverrideResult,
    RemoveCalendarOverrideSuccess,
    SetCalendarOverrideInput,
    SetCalendarOverrideResult,
    SetCalendarOverrideSuccess,
)
from smartoffice.workcalendar.models import DayKind


@strawberry.type
class CalendarQuery:
    @strawberry.field(
        description="The working calendar from one date to another (both included, at most 366 days): the days it "
        "marks and how many working days there are."
    )
    async def calendar_days(
        self,
        info: Info,
        from_: Annotated[dt.date, strawberry.argument(name="from", description="The first local date.")],
        to: Annotated[dt.date, strawberry.argument(description="The last local date, not before `from`.")],
    ) -> CalendarDaysResult:
        info.context.require_scope(Scope.CALENDAR_READ)
        calendar = await info.context.runtime.work_calendar.calendar(from_, to)
        return CalendarDays(
            days=[CalendarDay.from_entry(entry) for entry in calendar.entries.values()],
            working_day_count=len(calendar.working_days(from_, to)),
        )


@strawberry.type
class CalendarMutation:
    @strawberry.mutation(
        description="Administrators only: make a date a public holiday, cuti bersama or a working day, whatever "
        "the published national calendar says (holidays move during the year)."
    )
    async def set_calendar_override(self, info: Info, input: SetCalendarOverrideInput) -> SetCalendarOverrideResult:
        actor = info.context.require_viewer()
        info.context.require_scope(Scope.CALENDAR_WRITE)
        kind = DayKind[input.kind.name]
        entry = await info.context.runtime.work_calendar.set_override(
            actor, input.date, kind, input.name, via=info.context.via
        )
        return SetCalendarOverrideSuccess(day=CalendarDay.from_entry(entry))

    @strawberry.mutation(
        description="Administrators only: remove a date's override, so it follows the published national calendar."
    )
    async def remove_calendar_override(
        self, info: Info, input: RemoveCalendarOverrideInput
    ) -> RemoveCalendarOverrideResult:
        actor = info.context.require_viewer()
        info.context.require_scope(Scope.CALENDAR_WRITE)
        entry = await info.context.runtime.work_calendar.remove_override(actor, input.date, via=info.context.via)
        return RemoveCalendarOverrideSuccess(date=input.date, day=CalendarDay.from_entry(entry) if entry else None)
