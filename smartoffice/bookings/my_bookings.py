"""What a person's own pages read about their bookings beyond ``BookingService.upcoming``: their history, when
check-in opens for each of their bookings, and where their team sits on a day.

* **History** is every booking of theirs that is over: ended, or cancelled, rejected or released (a no-show),
  latest start first, keyset-paginated on ``(start_at, id)`` like the ``bookings`` connection.
* **Check-in opens** the rule's ``check_in_opens_minutes`` before the start (``bookings/checkin.py``); the rule is
  read once per building and kind of space, not per booking.
* **The team's floor** is where most of the person's unit colleagues hold a booking that day; when none does, the
  floor of a zone set aside for the unit (``Zone.org_unit_id``), if there is one.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, tuple_
from sqlalchemy.orm import joinedload

from smartoffice.availability.slots import LocalDay
from smartoffice.bookings.models import ACTIVE_STATUSES, Booking, BookingRule, overlapping
from smartoffice.bookings.rules import rules_for
from smartoffice.bookings.sql import decode_cursor, encode_cursor
from smartoffice.db import MAX_PAGE_SIZE, Database, utcnow
from smartoffice.people.models import Employee
from smartoffice.places.models import Floor, Space, SpaceKind, Zone

WITH_PLACE = joinedload(Booking.space).joinedload(Space.floor).joinedload(Floor.building)


@dataclass(frozen=True, slots=True)
class HistoryPage:
    bookings: Sequence[Booking]
    """With their place loaded, latest start first."""
    next_cursor: str | None
    """For the next (older) page; ``None`` on the last one."""


@dataclass(frozen=True, slots=True)
class TeamFloor:
    floor_id: int
    colleagues: int
    """Colleagues of the unit booked on the floor that day; 0 when it is the unit's zone's floor."""


class MyBookingsService:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock

    async def history(self, employee_id: int, first: int = 20, after: str | None = None) -> HistoryPage:
        """The person's bookings that are over (see the module). Raises InvalidInput for a foreign cursor."""
        first = max(1, min(first, MAX_PAGE_SIZE))
        query = (
            select(Booking)
            .where(
                Booking.employee_id == employee_id,
                or_(Booking.status.not_in(ACTIVE_STATUSES), Booking.end_at <= self.clock()),
            )
            .options(WITH_PLACE)
            .order_by(Booking.start_at.desc(), Booking.id.desc())
            .limit(first + 1)
        )
        if after is not None:
            query = query.where(tuple_(Booking.start_at, Booking.id) < decode_cursor(after))
        async with self.db.read() as session:
            rows = (await session.scalars(query)).all()
        more = len(rows) > first
        return HistoryPage(rows[:first], encode_cursor(rows[first - 1]) if more else None)

    async def check_in_opens(self, bookings: Sequence[Booking]) -> Mapping[int, datetime]:
        """When check-in opens for each booking (by id); the bookings' space and floor must be loaded."""
        pairs = {(b.space.floor.building_id, b.space_kind) for b in bookings}
        if not pairs:
            return {}
        async with self.db.read() as session:
            rules: dict[tuple[int, SpaceKind], BookingRule] = {pair: await rules_for(session, *pair) for pair in pairs}
        return {
            b.id: b.start_at
            - timedelta(minutes=rules[(b.space.floor.building_id, b.space_kind)].check_in_opens_minutes)
            for b in bookings
        }

    async def team_floor(self, employee_id: int, day: LocalDay) -> TeamFloor | None:
        """The floor where the person's team is on ``day`` (see the module), or ``None``; two queries at most."""
        unit = select(Employee.org_unit_id).where(Employee.id == employee_id).scalar_subquery()
        colleagues = func.count(func.distinct(Booking.employee_id))
        busiest = (
            select(Space.floor_id, colleagues)
            .join(Space, Space.id == Booking.space_id)
            .join(Employee, Employee.id == Booking.employee_id)
            .where(
                Employee.org_unit_id == unit,
                Booking.employee_id != employee_id,
                Booking.status.in_(ACTIVE_STATUSES),
                overlapping(day.start_at, day.end_at, until=Booking.end_at),
            )
            .group_by(Space.floor_id)
            .order_by(colleagues.desc(), Space.floor_id)
            .limit(1)
        )
        home = (
            select(Zone.floor_id)
            .join(Floor, Floor.id == Zone.floor_id)
            .where(Zone.org_unit_id == unit, Zone.retired_at.is_(None), Floor.retired_at.is_(None))
            .order_by(Zone.floor_id)
            .limit(1)
        )
        async with self.db.read() as session:
            row = (await session.execute(busiest)).first()
            if row is not None:
                return TeamFloor(row[0], row[1])
            floor_id = await session.scalar(home)
        return TeamFloor(floor_id, 0) if floor_id is not None else None
