"""Check-in and check-out over GraphQL: for the pages' scripts, room displays and e-presensi kiosks.

Each mutation decodes its input, calls :class:`~smartoffice.bookings.checkin.CheckInService`, and maps domain
errors onto its result union in the caller's language.
"""

from typing import Annotated

import strawberry

from smartoffice.api.context import Info
from smartoffice.api.errors import NotFoundError, PermissionDeniedError, ValidationError
from smartoffice.bookings.api.mutations import require_own_booking
from smartoffice.bookings.api.types import Booking
from smartoffice.bookings.checkin import CheckIn
from smartoffice.identity.scopes import Scope
from smartoffice.ids import decode_id, decode_space_id


@strawberry.input(description="Check in to one of your bookings, or to one you made for someone else.")
class CheckInInput:
    booking_id: strawberry.ID


@strawberry.input(description="Check in where you are, as the space's QR code does.")
class CheckInAtSpaceInput:
    space_id: strawberry.ID = strawberry.field(description="The id of a Desk or a MeetingRoom.")


@strawberry.type(description="The booking is checked in.")
class CheckInSuccess:
    booking: Booking
    already_checked_in: bool = strawberry.field(
        description="The booking was already checked in before this request, which changed nothing."
    )


CheckInResult = Annotated[
    CheckInSuccess | NotFoundError | PermissionDeniedError | ValidationError,
    strawberry.union(
        "CheckInResult",
        description="ValidationError codes: CHECK_IN_NOT_OPEN, ALREADY_ENDED, ALREADY_CHECKED_OUT, AWAITING_APPROVAL, "
        "ALREADY_CANCELLED, BOOKING_REJECTED, BOOKING_RELEASED, INVALID_ID.",
    ),
]


@strawberry.input(description="Leave early: end a checked-in booking now.")
class CheckOutInput:
    booking_id: strawberry.ID


@strawberry.type(
    description="The booking now ends at the next quarter hour (its endAt); the rest of its time is free again."
)
class CheckOutSuccess:
    booking: Booking


CheckOutResult = Annotated[
    CheckOutSuccess | NotFoundError | PermissionDeniedError | ValidationError,
    strawberry.union(
        "CheckOutResult",
        description="ValidationError codes: NOT_CHECKED_IN, ALREADY_CHECKED_OUT, ALREADY_ENDED, and those of "
        "CheckInResult for bookings that are not active.",
    ),
]


def _success(check_in: CheckIn) -> CheckInSuccess:
    return CheckInSuccess(booking=Booking.from_model(check_in.booking), already_checked_in=check_in.already_checked_in)


@strawberry.type
class CheckInMutation:
    @strawberry.mutation(
        description="Check in to a booking: from the rule's opening minutes before its start until it ends. "
        "Checking in again changes nothing and says so."
    )
    async def check_in(self, info: Info, input: CheckInInput) -> CheckInResult:
        actor = info.context.require_viewer()
        info.context.require_scope(Scope.BOOKINGS_WRITE_SELF)
        service = info.context.runtime.checkins

        booking_id = decode_id(input.booking_id, "Booking", "bookingId")
        await require_own_booking(info, actor, booking_id)
        return _success(await service.check_in(actor, booking_id))

    @strawberry.mutation(
        description="Check in at a desk or room (its QR code, a room display or kiosk): your booking of it that "
        "is open for check-in now. NotFoundError when you have none there today."
    )
    async def check_in_at_space(self, info: Info, input: CheckInAtSpaceInput) -> CheckInResult:
        actor = info.context.require_viewer()
        info.context.require_scope(Scope.BOOKINGS_WRITE_SELF)
        service = info.context.runtime.checkins

        space_id = decode_space_id(input.space_id, "spaceId")
        return _success(await service.check_in_at_space(actor, space_id))

    @strawberry.mutation(
        description="Leave early: a checked-in booking ends now, rounded up to the next quarter hour, and the "
        "rest of its time is free for others."
    )
    async def check_out(self, info: Info, input: CheckOutInput) -> CheckOutResult:
        actor = info.context.require_viewer()
        info.context.require_scope(Scope.BOOKINGS_WRITE_SELF)
        service = info.context.runtime.checkins

        booking_id = decode_id(input.booking_id, "Booking", "bookingId")
        await require_own_booking(info, actor, booking_id)
        return CheckOutSuccess(booking=Booking.from_model(await service.check_out(actor, booking_id)))
