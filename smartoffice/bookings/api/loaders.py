"""Per-request DataLoaders for bookings: one query per batch, in its own short session.

:attr:`BookingsLoaders.bookings_by_floor_window` answers "which active bookings overlap this window on this
floor, and who holds them, as far as the viewer may know": the occupant's id and name are selected only where
the privacy rules allow (:meth:`Viewer.may_see_presence`), so an anonymous occupant is anonymous in SQL already.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, null, or_, select
from strawberry.dataloader import DataLoader

from smartoffice.bookings.models import ACTIVE_STATUSES, Booking, BookingStatus, overlapping
from smartoffice.db import Database
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


class BookingsLoaders:
    def __init__(self, db: Database, viewer_id: int | None, *, may_see_names: bool) -> None:
        """``may_see_names``: False for callers who see no names at all (a token without people:read:names)."""
        self.db = db
        self.viewer_id = viewer_id
        self.may_see_names = may_see_names and viewer_id is not None
        self.bookings_by_floor_window = DataLoader(self._bookings_by_floor_window)

    def _presence_visible(self) -> ColumnElement[bool]:
        if not self.may_see_names or self.viewer_id is None:
            return nobody()
        return Viewer(self.viewer_id).may_see_presence(Employee)

    async def _bookings_by_floor_window(self, keys: Sequence[FloorWindow]) -> list[list[SpaceBooking]]:
        floors_by_window: dict[tuple[datetime, datetime], set[int]] = defaultdict(set)
        for key in keys:
            floors_by_window[key.start_at, key.end_at].add(key.floor_id)
        overlaps = [
            and_(Space.floor_id.in_(floors), overlapping(start, end, until=Booking.end_at))
            for (start, end), floors in floors_by_window.items()
        ]
        visible = self._presence_visible()
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
        async with self.db.read() as session:
            rows = (await session.execute(query)).all()
        answers: list[list[SpaceBooking]] = []
        for key in keys:
            answers.append(
                [
                    SpaceBooking(booking_id, space_id, start_at, end_at, status, occupant_id, name)
                    for floor_id, booking_id, space_id, start_at, end_at, status, occupant_id, name in rows
                    if floor_id == key.floor_id and start_at < key.end_at and end_at > key.start_at
                ]
            )
        return answers
