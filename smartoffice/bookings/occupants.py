"""Who holds the spaces of a floor in a window of time, as far as the viewer may know.

The occupant's id and name are selected only where the privacy rules allow (:meth:`Viewer.may_see_presence`),
so an anonymous occupant is anonymous in SQL already. One statement answers any number of floors and windows:
the per-request DataLoader batches them (``bookings/api/loaders.py``).
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, null, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.bookings.models import ACTIVE_STATUSES, Booking, BookingStatus, overlapping
from smartoffice.people.models import Employee
from smartoffice.people.visibility import Viewer, nobody
from smartoffice.places.models import Space


@dataclass(frozen=True, slots=True)
class FloorWindow:
    floor_id: int
    start_at: datetime
    end_at: datetime


@dataclass(frozen=True, slots=True)
class SpaceBooking:
    """An active booking of a space, with its occupant only if the viewer may know who it is."""

    booking_id: int
    space_id: int
    start_at: datetime
    end_at: datetime
    status: BookingStatus
    occupant_id: int | None
    occupant_name: str | None

    @property
    def is_occupant_visible(self) -> bool:
        return self.occupant_id is not None


async def bookings_in_windows(
    session: AsyncSession, windows: Sequence[FloorWindow], viewer_id: int | None, *, may_see_names: bool
) -> list[list[SpaceBooking]]:
    """For each window, the active bookings on its floor that overlap it, by space then start; in one query.

    ``may_see_names``: False for callers who see no names at all (a token without people:read:names)."""
    floors_by_window: dict[tuple[datetime, datetime], set[int]] = defaultdict(set)
    for window in windows:
        floors_by_window[window.start_at, window.end_at].add(window.floor_id)
    overlaps = [
        and_(Space.floor_id.in_(floors), overlapping(start, end, until=Booking.end_at))
        for (start, end), floors in floors_by_window.items()
    ]
    visible = _presence_visible(viewer_id, may_see_names)
    query = (
        select(
            Space.floor_id,
            Booking.id,
            Booking.space_id,
            Booking.start_at,
            Booking.end_at,
            Booking.status,
            case((visible, Booking.employee_id), else_=null()),
            case((visible, Employee.name), else_=null()),
        )
        .join(Space, Space.id == Booking.space_id)
        .join(Employee, Employee.id == Booking.employee_id)
        .where(Booking.status.in_(ACTIVE_STATUSES), or_(*overlaps))
        .order_by(Booking.space_id, Booking.start_at)
    )
    rows = (await session.execute(query)).all()
    return [
        [
            SpaceBooking(booking_id, space_id, start_at, end_at, status, occupant_id, name)
            for floor_id, booking_id, space_id, start_at, end_at, status, occupant_id, name in rows
            if floor_id == window.floor_id and start_at < window.end_at and end_at > window.start_at
        ]
        for window in windows
    ]


def _presence_visible(viewer_id: int | None, may_see_names: bool) -> ColumnElement[bool]:
    if not may_see_names or viewer_id is None:
        return nobody()
    return Viewer(viewer_id).may_see_presence(Employee)
