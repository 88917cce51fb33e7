"""GraphQL types for who holds a booked space, as far as the viewer may know (the privacy rules of issue 5).

Kept apart from ``types.py`` because the places types (``DeskAvailability``) use them and the booking types use
the places types: ``bookings.api.types`` → ``places.api.types`` → this module, never back.
"""

import datetime as dt
from enum import Enum
from typing import Self

import strawberry
from strawberry import Private

from smartoffice.api.context import Info
from smartoffice.bookings import models
from smartoffice.bookings.api.loaders import SpaceBooking as SpaceBookingRow
from smartoffice.people.api.types import Employee


@strawberry.enum(description="Where a booking is in its life.")
class BookingStatus(Enum):
    PENDING = strawberry.enum_value(
        models.BookingStatus.PENDING.value, description="A room booking awaiting its approvers; holds the room."
    )
    BOOKED = strawberry.enum_value(models.BookingStatus.BOOKED.value, description="Holds its space.")
    CHECKED_IN = strawberry.enum_value(models.BookingStatus.CHECKED_IN.value, description="The person arrived.")
    CANCELLED = strawberry.enum_value(models.BookingStatus.CANCELLED.value, description="Cancelled; holds nothing.")
    REJECTED = strawberry.enum_value(models.BookingStatus.REJECTED.value, description="An approver said no.")
    RELEASED = strawberry.enum_value(
        models.BookingStatus.RELEASED.value,
        description="Not checked in within the grace period: released automatically as a no-show.",
    )


@strawberry.type(
    description="Who holds a booked space. Visible (`isVisible` true, with `name` and `employee`) to the person, "
    "colleagues in the same org unit (the lowest unit the person is placed in: their team), anyone the person "
    "opted in for (`Employee.sharesPresence`), those who manage them, and admins. App tokens also need "
    "people:read:names, and then see what their owner may. Otherwise anonymous: `isVisible` false and every "
    "other field null."
)
class Occupant:
    is_visible: bool = strawberry.field(description="Whether you may know who it is.")
    name: str | None = strawberry.field(description="The person's name, or null when anonymous.")
    employee_id: Private[int | None]

    @strawberry.field(description="The person, or null when anonymous.")
    async def employee(self, info: Info) -> Employee | None:
        if self.employee_id is None:
            return None
        return Employee.from_model(await info.context.loaders.people.employee_by_id.load(self.employee_id))


@strawberry.type(description="An active booking of a space overlapping the asked-for window.")
class SpaceBooking:
    start_at: dt.datetime = strawberry.field(description="Start (UTC).")
    end_at: dt.datetime = strawberry.field(description="End (UTC, exclusive).")
    status: BookingStatus = strawberry.field(description="PENDING, BOOKED or CHECKED_IN.")
    occupant: Occupant

    @classmethod
    def from_row(cls, row: SpaceBookingRow) -> Self:
        return cls(
            start_at=row.start_at,
            end_at=row.end_at,
            status=BookingStatus(row.status.value),
            occupant=Occupant(is_visible=row.is_occupant_visible, name=row.occupant_name, employee_id=row.occupant_id),
        )
