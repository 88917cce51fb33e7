"""Booking and cancelling desks.

Every write runs in one ``Database.write()`` transaction: checks, then the insert or update; the database's
constraints (PostgreSQL) or the ``BEGIN IMMEDIATE`` lock plus triggers (SQLite) decide races. Only after the
commit is the change projected into the availability index, so the index can lag SQL but never lead it.
"""

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import or_, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from smartoffice.api.pagination import MAX_PAGE_SIZE
from smartoffice.availability.service import AvailabilityService
from smartoffice.availability.slots import LocalDay, is_on_slot_boundary
from smartoffice.bookings.models import (
    ACTIVE_STATUSES,
    PERSON_OVERLAP_CONSTRAINT,
    SPACE_OVERLAP_CONSTRAINT,
    SQLITE_OVERLAP_ERROR,
    Booking,
    BookingStatus,
)
from smartoffice.db import Database, utcnow
from smartoffice.errors import (
    BookingConflict,
    Conflict,
    ConflictKind,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from smartoffice.people.models import Employee
from smartoffice.places import service as places
from smartoffice.places.models import Floor, Space, SpaceKind


@dataclass(frozen=True, slots=True)
class BookDeskRequest:
    desk_id: int
    day: date
    """The building's local date."""
    start: time | None = None
    """Local start time; the building's opening time when omitted."""
    end: time | None = None
    """Local end time; the building's closing time when omitted."""


@dataclass(frozen=True, slots=True)
class BookingPage:
    bookings: Sequence[Booking]
    has_next: bool

    def cursor(self, booking: Booking) -> str:
        return encode_cursor(booking)


class BookingService:
    def __init__(self, db: Database, availability: AvailabilityService, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.availability = availability
        self.clock = clock

    async def book_desk(self, actor_id: int, request: BookDeskRequest) -> Booking:
        """Book a desk for the actor. Raises NotFound, InvalidInput or BookingConflict; changes nothing then."""
        try:
            async with self.db.write() as session:
                await _require_employee(session, actor_id)
                desk = await places.get_space(session, request.desk_id, SpaceKind.DESK)
                start_at, end_at = self._desk_window(desk, request)
                conflicts = await find_conflicts(session, desk.id, desk.kind, actor_id, start_at, end_at)
                if conflicts:
                    raise BookingConflict(conflicts)
                booking = Booking(
                    space=desk,
                    space_kind=desk.kind,
                    employee_id=actor_id,
                    booked_by_id=actor_id,
                    start_at=start_at,
                    end_at=end_at,
                    blocks_until=end_at,
                    status=BookingStatus.BOOKED,
                    created_at=self.clock(),
                )
                session.add(booking)
                await session.flush()
        except IntegrityError as exc:
            # Lost a race that the pre-check could not see: the constraint (or trigger) decided.
            if not is_overlap_violation(exc):
                raise
            # The failed session expired `desk`; its id is the request's.
            async with self.db.read() as session:
                conflicts = await find_conflicts(session, request.desk_id, SpaceKind.DESK, actor_id, start_at, end_at)
            raise BookingConflict(conflicts or [Conflict(ConflictKind.SPACE_TAKEN, 0, start_at, end_at)]) from None
        await self.availability.project(booking, desk.floor_id, desk.floor.building.time_zone)
        return booking

    async def cancel(self, actor_id: int, booking_id: int) -> Booking:
        async with self.db.write() as session:
            booking = await get_booking(session, booking_id)
            if actor_id not in (booking.employee_id, booking.booked_by_id):
                raise PermissionDenied("NOT_YOURS_TO_CANCEL")
            if not booking.is_active:
                raise InvalidInput("bookingId", "ALREADY_CANCELLED")
            now = self.clock()
            if booking.end_at <= now:
                raise InvalidInput("bookingId", "ALREADY_ENDED")
            booking.status = BookingStatus.CANCELLED
            booking.cancelled_at = now
            booking.version += 1
        space = booking.space
        await self.availability.project(booking, space.floor_id, space.floor.building.time_zone)
        return booking

    async def get(self, actor_id: int, booking_id: int) -> Booking:
        async with self.db.read() as session:
            booking = await get_booking(session, booking_id)
        if booking.employee_id != actor_id and booking.booked_by_id != actor_id:
            raise NotFound("Booking", booking_id)
        return booking

    async def upcoming(self, employee_id: int, first: int = 20, after: str | None = None) -> BookingPage:
        """Active bookings of a person that have not ended, in start order, keyset-paginated."""
        first = max(1, min(first, MAX_PAGE_SIZE))
        query = (
            select(Booking)
            .where(
                Booking.employee_id == employee_id,
                Booking.status.in_(ACTIVE_STATUSES),
                Booking.end_at > self.clock(),
            )
            .options(joinedload(Booking.space).joinedload(Space.floor).joinedload(Floor.building))
            .order_by(Booking.start_at, Booking.id)
            .limit(first + 1)
        )
        if after is not None:
            query = query.where(tuple_(Booking.start_at, Booking.id) > decode_cursor(after))
        async with self.db.read() as session:
            rows = (await session.scalars(query)).all()
        return BookingPage(rows[:first], has_next=len(rows) > first)

    async def on_day(self, employee_id: int, day: LocalDay) -> Sequence[Booking]:
        """A person's active bookings that overlap a local day."""
        query = select(Booking).where(
            Booking.employee_id == employee_id,
            Booking.status.in_(ACTIVE_STATUSES),
            Booking.start_at < day.end_at,
            Booking.end_at > day.start_at,
        )
        async with self.db.read() as session:
            return (await session.scalars(query)).all()

    def _desk_window(self, desk: Space, request: BookDeskRequest) -> tuple[datetime, datetime]:
        building = desk.floor.building
        day = LocalDay(request.day, building.time_zone)
        start = request.start or building.opens_at
        end = request.end or building.closes_at
        if start >= end:
            raise InvalidInput("endTime", "END_BEFORE_START")
        if start < building.opens_at or end > building.closes_at:
            raise InvalidInput(
                "startTime" if start < building.opens_at else "endTime",
                "OUTSIDE_OPENING_HOURS",
                building=building.name,
                opens=f"{building.opens_at:%H:%M}",
                closes=f"{building.closes_at:%H:%M}",
            )
        start_at, end_at = day.at(start), day.at(end)
        for field, instant in (("startTime", start_at), ("endTime", end_at)):
            if not is_on_slot_boundary(instant, day):
                raise InvalidInput(field, "NOT_ON_SLOT")
        if end_at <= self.clock():
            raise InvalidInput("date", "IN_PAST")
        return start_at, end_at


async def _require_employee(session: AsyncSession, employee_id: int) -> None:
    if await session.get(Employee, employee_id) is None:
        raise NotFound("Employee", employee_id)


async def get_booking(session: AsyncSession, booking_id: int) -> Booking:
    query = (
        select(Booking)
        .where(Booking.id == booking_id)
        .options(joinedload(Booking.space).joinedload(Space.floor).joinedload(Floor.building))
    )
    booking = await session.scalar(query)
    if booking is None:
        raise NotFound("Booking", booking_id)
    return booking


async def find_conflicts(
    session: AsyncSession,
    space_id: int,
    space_kind: SpaceKind,
    employee_id: int,
    start_at: datetime,
    end_at: datetime,
) -> list[Conflict]:
    """Active bookings that overlap ``[start_at, end_at)`` on the space, or (for desks) held by the person."""
    clash_on_person = (Booking.employee_id == employee_id) & (Booking.space_kind == SpaceKind.DESK)
    query = (
        select(Booking)
        .where(
            Booking.status.in_(ACTIVE_STATUSES),
            Booking.start_at < end_at,
            Booking.end_at > start_at,
            or_(Booking.space_id == space_id, clash_on_person)
            if space_kind == SpaceKind.DESK
            else Booking.space_id == space_id,
        )
        .order_by(Booking.start_at)
    )
    return [
        Conflict(
            ConflictKind.SPACE_TAKEN if b.space_id == space_id else ConflictKind.PERSON_ALREADY_BOOKED,
            b.id,
            b.start_at,
            b.end_at,
        )
        for b in await session.scalars(query)
    ]


def is_overlap_violation(exc: IntegrityError) -> bool:
    text = str(exc.orig)
    return any(name in text for name in (SPACE_OVERLAP_CONSTRAINT, PERSON_OVERLAP_CONSTRAINT, SQLITE_OVERLAP_ERROR))


def encode_cursor(booking: Booking) -> str:
    raw = f"{booking.start_at.isoformat()}|{booking.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        start, ident = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        instant = datetime.fromisoformat(start)
        if instant.tzinfo is None:
            raise ValueError("naive cursor")
        return instant, int(ident)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidInput("after", "INVALID_CURSOR") from exc
