"""GraphQL types, inputs and results for the working calendar."""

import datetime as dt
from enum import Enum
from typing import Annotated, Self

import strawberry

from smartoffice.api.errors import PermissionDeniedError, ValidationError
from smartoffice.workcalendar.models import DayKind
from smartoffice.workcalendar.service import CalendarEntry


@strawberry.enum(description="Why the working calendar marks a day.")
class CalendarDayKind(Enum):
    PUBLIC_HOLIDAY = strawberry.enum_value(
        DayKind.PUBLIC_HOLIDAY.value, description="Libur nasional: a national public holiday; offices are closed."
    )
    COLLECTIVE_LEAVE = strawberry.enum_value(
        DayKind.COLLECTIVE_LEAVE.value,
        description="Cuti bersama: collective leave decreed for civil servants; offices are closed.",
    )
    WORKING_DAY = strawberry.enum_value(
        DayKind.WORKING_DAY.value,
        description="A working day by decision: a holiday moved away, or a weekend day made a working day.",
    )


@strawberry.type(
    description="A day the working calendar marks: a public holiday, cuti bersama, or a working-day override. "
    "Days it does not mark are ordinary: Monday to Friday are working days (Perpres 21/2023), weekends are not."
)
class CalendarDay:
    date: dt.date = strawberry.field(description="The local date.")
    kind: CalendarDayKind = strawberry.field(description="Why the day is marked.")
    name: str = strawberry.field(description="The holiday's official name, or the name an administrator gave it.")
    is_working_day: bool = strawberry.field(description="Whether staff work, and offices open, that day.")
    overridden: bool = strawberry.field(
        description="Whether an administrator's override says so, rather than the published national calendar."
    )

    @classmethod
    def from_entry(cls, entry: CalendarEntry) -> Self:
        return cls(
            date=entry.day,
            kind=CalendarDayKind(entry.kind.value),
            name=entry.name,
            is_working_day=entry.is_working_day,
            overridden=entry.overridden,
        )


@strawberry.type(description="The working calendar for a date range.")
class CalendarDays:
    days: list[CalendarDay] = strawberry.field(description="Every day the calendar marks in the range, in date order.")
    working_day_count: int = strawberry.field(description="How many working days the range holds, both ends included.")


CalendarDaysResult = Annotated[
    CalendarDays | ValidationError,
    strawberry.union(
        "CalendarDaysResult",
        description="The calendar, or why the range was refused. ValidationError codes: RANGE_REVERSED, "
        "RANGE_TOO_LONG.",
    ),
]


@strawberry.input(description="Decide how the working calendar treats one date, replacing any earlier decision.")
class SetCalendarOverrideInput:
    date: dt.date = strawberry.field(description="The local date.")
    kind: CalendarDayKind = strawberry.field(description="What the date becomes.")
    name: str = strawberry.field(
        description="The holiday's name, or why it is a working day (e.g. Hari kerja pengganti); 1–200 characters."
    )


@strawberry.type(description="The date is overridden.")
class SetCalendarOverrideSuccess:
    day: CalendarDay = strawberry.field(description="The date as the calendar now treats it.")


SetCalendarOverrideResult = Annotated[
    SetCalendarOverrideSuccess | PermissionDeniedError | ValidationError,
    strawberry.union(
        "SetCalendarOverrideResult",
        description="The saved override, or why it was refused: PermissionDeniedError for anyone but an "
        "administrator; ValidationError codes: REQUIRED, NAME_TOO_LONG.",
    ),
]


@strawberry.input(description="Let one date follow the published national calendar again.")
class RemoveCalendarOverrideInput:
    date: dt.date = strawberry.field(description="The local date.")


@strawberry.type(description="The date has no override (any it had is gone).")
class RemoveCalendarOverrideSuccess:
    date: dt.date = strawberry.field(description="The local date.")
    day: CalendarDay | None = strawberry.field(
        description="The date as the calendar now treats it, or null when it is an ordinary day."
    )


RemoveCalendarOverrideResult = Annotated[
    RemoveCalendarOverrideSuccess | PermissionDeniedError | ValidationError,
    strawberry.union(
        "RemoveCalendarOverrideResult",
        description="Done, or why it was refused: PermissionDeniedError for anyone but an administrator.",
    ),
]
