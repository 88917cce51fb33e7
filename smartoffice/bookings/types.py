"""GraphQL types, inputs and results for bookings."""

import datetime as dt
from enum import Enum
from typing import Annotated, Self
from zoneinfo import ZoneInfo

import strawberry
from strawberry import relay

from smartoffice.api.context import Info
from smartoffice.api.errors import BookingConflictError, NotFoundError, PermissionDeniedError, ValidationError
from smartoffice.api.pagination import PageInfo
from smartoffice.bookings import models
from smartoffice.places.types import Desk


@strawberry.enum(description="Where a booking is in its life.")
class BookingStatus(Enum):
    BOOKED = strawberry.enum_value(models.BookingStatus.BOOKED.value, description="Holds its space.")
    CANCELLED = strawberry.enum_value(models.BookingStatus.CANCELLED.value, description="Cancelled; holds nothing.")


@strawberry.type(description="A person's hold on a desk for a time range.")
class Booking(relay.Node):
    id: relay.NodeID[int]
    space_id: strawberry.Private[int]
    start_at: dt.datetime = strawberry.field(description="Start (UTC).")
    end_at: dt.datetime = strawberry.field(description="End (UTC, exclusive).")
    date: dt.date = strawberry.field(description="The building's local date of the start.")
    status: BookingStatus
    created_at: dt.datetime

    @classmethod
    def from_model(cls, b: models.Booking) -> Self:
        """``b`` must have its space, floor and building loaded."""
        zone = ZoneInfo(b.space.floor.building.time_zone)
        return cls(
            id=b.id,
            space_id=b.space_id,
            start_at=b.start_at,
            end_at=b.end_at,
            date=b.start_at.astimezone(zone).date(),
            status=BookingStatus(b.status.value),
            created_at=b.created_at,
        )

    @strawberry.field(description="The booked desk.")
    async def desk(self, info: Info) -> Desk:
        return Desk.from_model(await info.context.loaders.places.space_by_id.load(self.space_id))


@strawberry.input(description="Book a desk for yourself on a local date.")
class BookDeskInput:
    desk_id: strawberry.ID
    date: dt.date = strawberry.field(description="The building's local date.")
    start_time: dt.time | None = strawberry.field(
        default=None, description="Local start on a quarter hour; the building's opening time if omitted."
    )
    end_time: dt.time | None = strawberry.field(
        default=None, description="Local end on a quarter hour; the building's closing time if omitted."
    )


@strawberry.type(description="The desk is yours.")
class BookDeskSuccess:
    booking: Booking


BookDeskResult = Annotated[
    BookDeskSuccess | BookingConflictError | NotFoundError | PermissionDeniedError | ValidationError,
    strawberry.union("BookDeskResult"),
]


@strawberry.input(description="Cancel one of your bookings.")
class CancelBookingInput:
    booking_id: strawberry.ID


@strawberry.type(description="The booking is cancelled and its space free again.")
class CancelBookingSuccess:
    booking: Booking


CancelBookingResult = Annotated[
    CancelBookingSuccess | NotFoundError | PermissionDeniedError | ValidationError,
    strawberry.union("CancelBookingResult"),
]


@strawberry.type
class BookingEdge:
    cursor: str
    node: Booking


@strawberry.type(description="A page of bookings, in start order.")
class BookingConnection:
    edges: list[BookingEdge]
    page_info: PageInfo
