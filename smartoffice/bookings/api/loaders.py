"""Per-request DataLoaders for bookings: one query per batch, in its own short session (the service's).

:attr:`BookingsLoaders.bookings_by_floor_window` answers "which active bookings overlap this window on this
floor, and who holds them, as far as the viewer may know" (:mod:`smartoffice.bookings.occupants`);
:attr:`BookingsLoaders.attendees_by_booking_id` the colleagues invited to a room booking.
"""

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from smartoffice.bookings.occupants import FloorWindow, SpaceBooking
from smartoffice.bookings.service import BookingService
from smartoffice.people.models import Employee

__all__ = ["BookingsLoaders", "FloorWindow", "SpaceBooking"]


class BookingsLoaders:
    def __init__(self, bookings: BookingService, viewer_id: int | None, *, may_see_names: bool) -> None:
        """``may_see_names``: False for callers who see no names at all (a token without people:read:names)."""
        self.bookings = bookings
        self.viewer_id = viewer_id
        self.may_see_names = may_see_names and viewer_id is not None
        self.bookings_by_floor_window = DataLoader(self._bookings_by_floor_window)
        self.attendees_by_booking_id = DataLoader(self._attendees_by_booking_id)

    async def _bookings_by_floor_window(self, keys: Sequence[FloorWindow]) -> list[list[SpaceBooking]]:
        return await self.bookings.occupants(keys, self.viewer_id, may_see_names=self.may_see_names)

    async def _attendees_by_booking_id(self, keys: Sequence[int]) -> list[list[Employee]]:
        """The colleagues invited to each booking; only ever asked for bookings the viewer was shown."""
        invited = await self.bookings.attendees_of(keys)
        return [invited.get(k, []) for k in keys]
