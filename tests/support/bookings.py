"""Bookings for tests: rows inserted as the service would write them, desks booked on ``DAY``, services wired to a
test clock or to no index, and the audit that no two active bookings overlap."""

from collections.abc import Callable
from datetime import datetime, time, timedelta

from sqlalchemy import select, text

from smartoffice.availability.breaker import CircuitBreaker
from smartoffice.availability.index import AvailabilityIndex
from smartoffice.availability.service import AvailabilityService, Source, SpaceStatus
from smartoffice.availability.slots import LocalDay
from smartoffice.bookings.models import Booking, BookingRule, BookingStatus
from smartoffice.bookings.requests import BookDeskRequest
from smartoffice.bookings.service import BookingService
from smartoffice.db import Database
from smartoffice.people.models import Employee
from smartoffice.places.models import Space, SpaceKind
from smartoffice.runtime import Runtime
from tests.support.clock import DAY, WITA, Clock, at

OVERLAPS_AUDIT = text(
    """
    SELECT count(*) FROM bookings a JOIN bookings b ON a.id < b.id
    WHERE a.status IN ('pending', 'booked', 'checked_in') AND b.status IN ('pending', 'booked', 'checked_in')
      AND ((a.space_id = b.space_id AND a.start_at < b.blocks_until AND b.start_at < a.blocks_until)
           OR (a.employee_id = b.employee_id AND a.space_kind = 'desk' AND b.space_kind = 'desk'
               AND a.start_at < b.end_at AND b.start_at < a.end_at))
    """
)


async def insert_booking(
    db: Database,
    space: Space,
    employee: Employee,
    start_at: datetime,
    end_at: datetime,
    *,
    status: BookingStatus = BookingStatus.BOOKED,
    buffer: timedelta = timedelta(0),
    booked_by: Employee | None = None,
) -> Booking:
    """A booking row as the booking service would write it, for kinds, states and times it cannot make here (rooms,
    pending, rejected, released, in the past), or when the rules are not under test. It is not projected: read
    availability only after inserting."""
    booking = Booking(
        space_id=space.id,
        space_kind=space.kind,
        employee_id=employee.id,
        booked_by_id=(booked_by or employee).id,
        start_at=start_at,
        end_at=end_at,
        blocks_until=end_at + buffer,
        status=status,
        created_at=start_at - timedelta(days=1),  # booked ahead, as most are (the no-show grace counts from here)
    )
    async with db.write() as session:
        session.add(booking)
    return booking


async def book_desk(runtime: Runtime, desk: Space, person: Employee, start: time, end: time) -> Booking:
    """Book through the runtime's service on ``DAY`` (its clock must allow it: see ``install_clock``)."""
    return await runtime.bookings.book_desk(person.id, BookDeskRequest(desk.id, DAY, start, end))


async def set_rule(db: Database, building_id: int | None, kind: SpaceKind, **values: int) -> None:
    """Give a building its own rule row for a kind of space: a copy of the global one with ``values`` changed."""
    async with db.write() as session:
        default = await session.scalar(
            select(BookingRule).where(BookingRule.building_id.is_(None), BookingRule.space_kind == kind)
        )
        assert default is not None
        copy = {c.name: getattr(default, c.name) for c in BookingRule.__table__.columns if c.name != "id"}
        session.add(BookingRule(**{**copy, "building_id": building_id, **values}))


async def status_between(runtime: Runtime, space: Space, start: time, end: time) -> tuple[SpaceStatus, Source]:
    """What availability says of ``space`` between two local times on ``DAY``, and where the answer came from."""
    occupancy = await runtime.availability.floor_day(space.floor_id, WITA.key, DAY)
    slots = LocalDay(DAY, WITA.key).slot_range(at(DAY, start.hour, start.minute), at(DAY, end.hour, end.minute))
    return occupancy.status(space.id, slots), occupancy.source


def service_at(runtime: Runtime, clock: Callable[[], datetime]) -> BookingService:
    """A booking service on the runtime's database and index whose time is ``clock``."""
    return BookingService(runtime.db, runtime.availability, clock)


def unprojected(runtime: Runtime) -> BookingService:
    """Bookings whose projections never reach Redis (its own breaker is open): changes made "elsewhere"."""
    breaker = CircuitBreaker(failure_threshold=1, clock=Clock().monotonic)
    breaker.record_failure()
    return BookingService(
        runtime.db, AvailabilityService(runtime.db, AvailabilityIndex(runtime.redis), breaker=breaker)
    )


async def overlapping_pairs(db: Database) -> int:
    """Active bookings that overlap (the same space, or one person's desks, at once): always 0 if the rules hold."""
    async with db.read() as session:
        return int((await session.execute(OVERLAPS_AUDIT)).scalar_one())
