"""Working-calendar queries and mutations: call the service, map domain errors onto the result unions."""

import datetime as dt
from typing import Annotated

import strawberry

from smartoffice.api.context import Info
from smartoffice.api.errors import PermissionDeniedError, ValidationError, to_graphql_error
from smartoffice.errors import DomainError, InvalidInput
from smartoffice.identity.scopes import Scope
from smartoffice.workcalendar import service
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


def _refusal(info: Info, error: DomainError) -> PermissionDeniedError | ValidationError:
    """The union member for an error the calendar's operations can raise; any other is a bug, and re-raised."""
    result = to_graphql_error(error, info.context.language)
    if isinstance(result, PermissionDeniedError | ValidationError):
        return result
    raise error


async def calendar_days(info: Info, first: dt.date, last: dt.date) -> CalendarDaysResult:
    info.context.require_scope(Scope.CALENDAR_READ)
    try:
        service.check_range(first, last)
    except InvalidInput as error:
        result = to_graphql_error(error, info.context.language)
        assert isinstance(result, ValidationError)
        return result
    async with info.context.runtime.db.read() as session:
        calendar = await service.load_calendar(session, first, last)
    return CalendarDays(
        days=[CalendarDay.from_entry(entry) for entry in calendar.entries.values()],
        working_day_count=len(calendar.working_days(first, last)),
    )


async def set_calendar_override(info: Info, input: SetCalendarOverrideInput) -> SetCalendarOverrideResult:
    actor = info.context.require_viewer()
    info.context.require_scope(Scope.CALENDAR_WRITE)
    try:
        async with info.context.runtime.db.write() as session:
            await service.set_override(session, actor, input.date, DayKind[input.kind.name], input.name)
            calendar = await service.load_calendar(session, input.date, input.date)
    except DomainError as error:
        return _refusal(info, error)
    return SetCalendarOverrideSuccess(day=CalendarDay.from_entry(calendar.entries[input.date]))


async def remove_calendar_override(info: Info, input: RemoveCalendarOverrideInput) -> RemoveCalendarOverrideResult:
    actor = info.context.require_viewer()
    info.context.require_scope(Scope.CALENDAR_WRITE)
    try:
        async with info.context.runtime.db.write() as session:
            await service.remove_override(session, actor, input.date)
            calendar = await service.load_calendar(session, input.date, input.date)
    except DomainError as error:
        return _refusal(info, error)
    entry = calendar.entries.get(input.date)
    return RemoveCalendarOverrideSuccess(date=input.date, day=CalendarDay.from_entry(entry) if entry else None)


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
        return await calendar_days(info, from_, to)


@strawberry.type
class CalendarMutation:
    @strawberry.mutation(
        description="Administrators only: make a date a public holiday, cuti bersama or a working day, whatever "
        "the published national calendar says (holidays move during the year)."
    )
    async def set_calendar_override(self, info: Info, input: SetCalendarOverrideInput) -> SetCalendarOverrideResult:
        return await set_calendar_override(info, input)

    @strawberry.mutation(
        description="Administrators only: remove a date's override, so it follows the published national calendar."
    )
    async def remove_calendar_override(
        self, info: Info, input: RemoveCalendarOverrideInput
    ) -> RemoveCalendarOverrideResult:
        return await remove_calendar_override(info, input)
