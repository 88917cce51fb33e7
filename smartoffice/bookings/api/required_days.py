"""``bookRequiredDays``: a desk near the team on each of the caller's required office days of the coming weeks.

Calls :class:`~smartoffice.bookings.required_days.RequiredDaysService`; each day's result is data (booked, already
booked, away, no free desk, refused with its reason in the caller's language), and only a bad input (``weeks`` out
of range, an idempotency key reused for another input) is an error of the result union.
"""

import datetime as dt
from enum import Enum
from typing import Annotated

import strawberry

from smartoffice.api.context import Info
from smartoffice.api.errors import NotFoundError, PermissionDeniedError, ValidationError
from smartoffice.bookings import required_days
from smartoffice.bookings.api.types import IDEMPOTENCY_KEY_HELP
from smartoffice.identity.scopes import Scope
from smartoffice.ids import encode_id
from smartoffice.places.api.types import Desk


@strawberry.enum(description="What happened on one required day.")
class RequiredDayOutcome(Enum):
    BOOKED = strawberry.enum_value("booked", description="A desk was booked now.")
    ALREADY_BOOKED = strawberry.enum_value("already_booked", description="The day already held a desk booking.")
    AWAY = strawberry.enum_value("away", description="Leave or duty travel is planned: nothing to book.")
    NO_FREE_DESK = strawberry.enum_value("no_free_desk", description="No desk was free that day (closed, full).")
    REFUSED = strawberry.enum_value("refused", description="The booking was refused: see code and message.")


@strawberry.input(description="Book a desk near your team on each of your required office days.")
class BookRequiredDaysInput:
    weeks: int = strawberry.field(
        description=f"This week and the following ones, 1 to {required_days.MAX_WEEKS}; days before today are left out."
    )
    idempotency_key: str | None = strawberry.field(default=None, description=IDEMPOTENCY_KEY_HELP)


@strawberry.type(description="One required office day and what happened to it.")
class RequiredDayResult:
    desk_id: strawberry.Private[int | None]
    date: dt.date = strawberry.field(description="The building's local date.")
    outcome: RequiredDayOutcome = strawberry.field(description="What happened that day.")
    booking_id: strawberry.ID | None = strawberry.field(
        description="The Booking made now (BOOKED) or held already (ALREADY_BOOKED)."
    )
    code: str | None = strawberry.field(description="REFUSED: the refusal's error code, e.g. TOO_FAR_AHEAD.")
    message: str | None = strawberry.field(description="REFUSED: why, in the caller's language.")

    @strawberry.field(description="The desk booked (or already held) that day.")
    async def desk(self, info: Info) -> Desk | None:
        if self.desk_id is None:
            return None
        return Desk.from_model(await info.context.loaders.places.space_by_id.load(self.desk_id))


@strawberry.type(description="Every required day from today to the end of the last week asked for, in date order.")
class BookRequiredDaysSuccess:
    first_date: dt.date = strawberry.field(description="Today: the days before it are left out.")
    last_date: dt.date = strawberry.field(description="The Sunday ending the last week asked for.")
    booked_count: int = strawberry.field(description="Days booked by this request (0 on a replay).")
    replayed: bool = strawberry.field(
        description="The idempotency key was used before: these are that request's results, nothing was booked now."
    )
    days: list[RequiredDayResult] = strawberry.field(description="Each required working day, in date order.")


BookRequiredDaysResult = Annotated[
    BookRequiredDaysSuccess | NotFoundError | PermissionDeniedError | ValidationError,
    strawberry.union(
        "BookRequiredDaysResult",
        description="ValidationError codes: OUT_OF_RANGE (weeks), INVALID_IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_REUSED.",
    ),
]


@strawberry.type
class RequiredDaysMutation:
    @strawberry.mutation(
        description="Book the free desk nearest your teammates on each of your required office days without a desk "
        "booking, this week and the next ones; each day is booked (or refused) on its own."
    )
    async def book_required_days(self, info: Info, input: BookRequiredDaysInput) -> BookRequiredDaysResult:
        actor = info.context.require_viewer()
        info.context.require_scope(Scope.BOOKINGS_WRITE_SELF)
        language = info.context.language

        result = await info.context.runtime.required_days.book(
            actor, input.weeks, idempotency_key=input.idempotency_key
        )
        return BookRequiredDaysSuccess(
            first_date=result.first_day,
            last_date=result.last_day,
            booked_count=0 if result.replayed else result.booked,
            replayed=result.replayed,
            days=[
                RequiredDayResult(
                    desk_id=day.desk_id,
                    date=day.day,
                    outcome=RequiredDayOutcome(day.outcome.value),
                    booking_id=strawberry.ID(encode_id("Booking", day.booking_id)) if day.booking_id else None,
                    code=day.error_code,
                    message=day.message_in(language),
                )
                for day in result.days
            ],
        )
