"""Booking queries and mutations: decode the input, call the service, map domain errors onto the result union."""

import strawberry

from smartoffice.api.context import Info
from smartoffice.api.errors import (
    to_graphql_error,
)
from smartoffice.api.pagination import PageInfo
from smartoffice.bookings.api.occupancy import BookingStatus
from smartoffice.bookings.api.types import (
    BookDeskInput,
    Booking,
    BookingConnection,
    BookingEdge,
    BookingValid,
    BookRecurringInput,
    BookRecurringResult,
    BookRecurringSuccess,
    BookResult,
    BookRoomInput,
    BookSuccess,
    CancelBookingInput,
    CancelBookingResult,
    CancelBookingSuccess,
    DecideBookingInput,
    DecideBookingResult,
    DecideBookingSuccess,
    Occurrence,
    ReleaseAssignedDeskInput,
    ReleaseAssignedDeskResult,
    ReleaseAssignedDeskSuccess,
    ValidateBookingResult,
)
from smartoffice.bookings.recurring import book_series
from smartoffice.bookings.requests import BookDeskRequest, BookRoomRequest, CancelScope, RecurringRequest
from smartoffice.identity.scopes import Scope
from smartoffice.ids import decode_id, decode_space_id
from smartoffice.places.api.types import Desk


def _employee_id(value: strawberry.ID | None) -> int | None:
    return None if value is None else decode_id(value, "Employee", "forEmployeeId")


def _require_write(info: Info, for_employee_id: strawberry.ID | None = None) -> None:
    """Tokens: bookings:write:self to book for the owner, bookings:write:any to name someone else."""
    info.context.require_scope(Scope.BOOKINGS_WRITE_SELF)
    if for_employee_id is not None:
        info.context.require_scope(Scope.BOOKINGS_WRITE_ANY)


async def require_own_booking(info: Info, actor: int, booking_id: int) -> None:
    """A token with bookings:write:self only may act on its owner's own bookings, not on ones the owner may
    touch as a manager or booker (bookings:write:any). People and write:any tokens: the service decides."""
    if info.context.has_scope(Scope.BOOKINGS_WRITE_ANY):
        return
    await info.context.runtime.bookings.require_own(actor, booking_id)


def _desk_request(input: BookDeskInput) -> BookDeskRequest:
    return BookDeskRequest(
        decode_id(input.desk_id, "Desk", "deskId"),
        input.date,
        input.start_time,
        input.end_time,
        _employee_id(input.for_employee_id),
    )


def _attendee_ids(values: list[strawberry.ID] | None) -> tuple[int, ...]:
    return tuple(decode_id(v, "Employee", "attendeeIds") for v in values or ())


def _room_request(input: BookRoomInput) -> BookRoomRequest:
    return BookRoomRequest(
        decode_id(input.room_id, "MeetingRoom", "roomId"),
        input.date,
        input.start_time,
        input.end_time,
        input.attendee_count,
        input.title,
        _employee_id(input.for_employee_id),
        _attendee_ids(input.attendee_ids),
    )


@strawberry.type
class BookingsQuery:
    @strawberry.field(description="Your bookings that have not ended yet, in start order.")
    async def my_bookings(self, info: Info, first: int = 20, after: str | None = None) -> BookingConnection:
        info.context.require_scope(Scope.BOOKINGS_READ)
        page = await info.context.runtime.bookings.upcoming(info.context.require_viewer(), first, after)
        edges = [BookingEdge(cursor=page.cursor(b), node=Booking.from_model(b)) for b in page.bookings]
        return BookingConnection(
            edges=edges,
            page_info=PageInfo(has_next_page=page.has_next, end_cursor=edges[-1].cursor if edges else None),
        )


@strawberry.type
class BookingsMutation:
    @strawberry.mutation(description="Book a desk for a day, or part of one; for yourself or on someone's behalf.")
    async def book_desk(self, info: Info, input: BookDeskInput) -> BookResult:
        actor, service = info.context.require_viewer(), info.context.runtime.bookings
        _require_write(info, input.for_employee_id)

        booking = await service.book_desk(actor, _desk_request(input), idempotency_key=input.idempotency_key)
        return BookSuccess(booking=Booking.from_model(booking))

    @strawberry.mutation(description="Book a meeting room; PENDING until approved when the room requires approval.")
    async def book_room(self, info: Info, input: BookRoomInput) -> BookResult:
        actor, service = info.context.require_viewer(), info.context.runtime.bookings
        _require_write(info, input.for_employee_id)

        booking = await service.book_room(actor, _room_request(input), idempotency_key=input.idempotency_key)
        return BookSuccess(booking=Booking.from_model(booking))

    @strawberry.mutation(description="Dry run of bookDesk: the same answer, without booking.")
    async def validate_book_desk(self, info: Info, input: BookDeskInput) -> ValidateBookingResult:
        actor, service = info.context.require_viewer(), info.context.runtime.bookings
        _require_write(info, input.for_employee_id)

        preview = await service.validate(actor, _desk_request(input))
        return BookingValid(start_at=preview.start_at, end_at=preview.end_at, status=BookingStatus[preview.status.name])

    @strawberry.mutation(description="Dry run of bookRoom: the same answer, without booking.")
    async def validate_book_room(self, info: Info, input: BookRoomInput) -> ValidateBookingResult:
        actor, service = info.context.require_viewer(), info.context.runtime.bookings
        _require_write(info, input.for_employee_id)

        preview = await service.validate(actor, _room_request(input))
        return BookingValid(start_at=preview.start_at, end_at=preview.end_at, status=BookingStatus[preview.status.name])

    @strawberry.mutation(description="Book a desk or room by a recurrence rule; each occurrence is booked or skipped.")
    async def book_recurring(self, info: Info, input: BookRecurringInput) -> BookRecurringResult:
        actor, service = info.context.require_viewer(), info.context.runtime.bookings
        _require_write(info, input.for_employee_id)
        language = info.context.language

        request = RecurringRequest(
            decode_space_id(input.space_id, "spaceId"),
            input.rrule,
            input.starts_on,
            input.start_time,
            input.end_time,
            input.attendee_count,
            input.title,
            _employee_id(input.for_employee_id),
            _attendee_ids(input.attendee_ids),
        )
        result = await book_series(service, actor, request, idempotency_key=input.idempotency_key)
        occurrences = [
            Occurrence(
                date=o.day,
                booking=Booking.from_model(o.booking) if o.booking else None,
                skipped_because=to_graphql_error(o.skipped_because, language) if o.skipped_because else None,
            )
            for o in result.occurrences
        ]
        booked = sum(1 for o in occurrences if o.booking)
        return BookRecurringSuccess(
            series_id=strawberry.ID(str(result.series.id)) if result.series else None,
            booked_count=booked,
            skipped_count=len(occurrences) - booked,
            occurrences=occurrences,
        )

    @strawberry.mutation(description="Cancel a booking (or more of its series); the spaces are free again at once.")
    async def cancel_booking(self, info: Info, input: CancelBookingInput) -> CancelBookingResult:
        actor, service = info.context.require_viewer(), info.context.runtime.bookings
        _require_write(info)

        booking_id = decode_id(input.booking_id, "Booking", "bookingId")
        await require_own_booking(info, actor, booking_id)
        cancelled = await service.cancel_bookings(
            actor, booking_id, CancelScope[input.scope.name], idempotency_key=input.idempotency_key
        )
        nodes = [Booking.from_model(b) for b in cancelled]
        return CancelBookingSuccess(booking=nodes[0], cancelled=nodes)

    @strawberry.mutation(description="Accept or reject a room booking awaiting approval (room approvers only).")
    async def decide_booking(self, info: Info, input: DecideBookingInput) -> DecideBookingResult:
        actor, service = info.context.require_viewer(), info.context.runtime.bookings
        info.context.require_scope(Scope.BOOKINGS_WRITE_ANY)

        booking_id = decode_id(input.booking_id, "Booking", "bookingId")
        booking = await service.decide(
            actor, booking_id, accept=input.accept, reason=input.reason, via=info.context.via
        )
        return DecideBookingSuccess(booking=Booking.from_model(booking))

    @strawberry.mutation(description="Let others book your assigned desk on a date (owner or their manager).")
    async def release_assigned_desk(self, info: Info, input: ReleaseAssignedDeskInput) -> ReleaseAssignedDeskResult:
        actor, runtime = info.context.require_viewer(), info.context.runtime
        _require_write(info)

        desk = await runtime.bookings.release_assigned_desk(
            actor,
            decode_id(input.desk_id, "Desk", "deskId"),
            input.date,
            own_desk_only=not info.context.has_scope(Scope.BOOKINGS_WRITE_ANY),
        )
        return ReleaseAssignedDeskSuccess(desk=Desk.from_model(desk), date=input.date)
