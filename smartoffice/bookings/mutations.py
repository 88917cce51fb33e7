"""Booking queries and mutations: decode the input, call the service, map domain errors onto the result union."""

import strawberry

from smartoffice.api.context import Info
from smartoffice.api.errors import BookingConflictError, to_graphql_error
from smartoffice.api.ids import decode_id
from smartoffice.api.pagination import PageInfo
from smartoffice.bookings.service import BookDeskRequest
from smartoffice.bookings.types import (
    BookDeskInput,
    BookDeskResult,
    BookDeskSuccess,
    Booking,
    BookingConnection,
    BookingEdge,
    CancelBookingInput,
    CancelBookingResult,
    CancelBookingSuccess,
)
from smartoffice.errors import DomainError


async def book_desk(info: Info, input: BookDeskInput) -> BookDeskResult:
    actor = info.context.require_viewer()
    try:
        request = BookDeskRequest(
            desk_id=decode_id(input.desk_id, "Desk", "deskId"),
            day=input.date,
            start=input.start_time,
            end=input.end_time,
        )
        booking = await info.context.runtime.bookings.book_desk(actor, request)
    except DomainError as error:
        return to_graphql_error(error, info.context.language, sent_id=str(input.desk_id))
    return BookDeskSuccess(booking=Booking.from_model(booking))


async def cancel_booking(info: Info, input: CancelBookingInput) -> CancelBookingResult:
    actor = info.context.require_viewer()
    try:
        booking_id = decode_id(input.booking_id, "Booking", "bookingId")
        booking = await info.context.runtime.bookings.cancel(actor, booking_id)
    except DomainError as error:
        result = to_graphql_error(error, info.context.language, sent_id=str(input.booking_id))
        if isinstance(result, BookingConflictError):  # cancelling frees a space; it cannot conflict
            raise
        return result
    return CancelBookingSuccess(booking=Booking.from_model(booking))


async def my_bookings(info: Info, first: int, after: str | None) -> BookingConnection:
    page = await info.context.runtime.bookings.upcoming(info.context.require_viewer(), first, after)
    edges = [BookingEdge(cursor=page.cursor(b), node=Booking.from_model(b)) for b in page.bookings]
    return BookingConnection(
        edges=edges,
        page_info=PageInfo(has_next_page=page.has_next, end_cursor=edges[-1].cursor if edges else None),
    )


@strawberry.type
class BookingsQuery:
    @strawberry.field(description="Your bookings that have not ended yet, in start order.")
    async def my_bookings(self, info: Info, first: int = 20, after: str | None = None) -> BookingConnection:
        return await my_bookings(info, first, after)


@strawberry.type
class BookingsMutation:
    @strawberry.mutation(description="Book a desk for yourself for a day, or part of one.")
    async def book_desk(self, info: Info, input: BookDeskInput) -> BookDeskResult:
        return await book_desk(info, input)

    @strawberry.mutation(description="Cancel one of your bookings; its desk is free again at once.")
    async def cancel_booking(self, info: Info, input: CancelBookingInput) -> CancelBookingResult:
        return await cancel_booking(info, input)
