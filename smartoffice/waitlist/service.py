"""Joining and leaving the waitlist for a full day, and reading one's own lines.

Joining is allowed only when the floor (or zone) has no desk free for the whole day: while one is free, booking it
is the answer (WAITLIST_NOT_FULL). A person waits at most once per floor, zone and day, and not at all on a day
they already hold a desk; both are checked under the person's row lock (``FOR NO KEY UPDATE``, the lock every
booking of theirs takes; SQLite's write transactions run one at a time), so two joins cannot both pass. The
grant itself happens where a desk is freed: see :mod:`smartoffice.waitlist.grant`.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from smartoffice.availability.slots import LocalDay
from smartoffice.bookings import idempotency
from smartoffice.bookings.models import ACTIVE_STATUSES, Booking, overlapping
from smartoffice.db import Database, utcnow
from smartoffice.errors import CommonInputCode, InvalidInput, NotFound
from smartoffice.people import service as people
from smartoffice.places.models import Building, DeskRelease, Floor, Space, SpaceKind, Zone
from smartoffice.waitlist.errors import WaitlistInputCode
from smartoffice.waitlist.models import WaitlistEntry, WaitlistStatus


@dataclass(frozen=True, slots=True)
class JoinWaitlistRequest:
    floor_id: int | None
    """Any desk of this floor; may be omitted when ``zone_id`` is given."""
    day: date
    """The building's local date."""
    zone_id: int | None = None
    """Only desks of this zone of the floor; none: any desk of the floor."""


@dataclass(frozen=True, slots=True)
class GrantedDesk:
    booking_id: int
    desk_id: int
    desk_code: str
    start_at: datetime
    end_at: datetime


@dataclass(frozen=True, slots=True)
class WaitlistView:
    """One of a person's places in line, as they see it."""

    id: int
    floor_id: int
    zone_id: int | None
    day: date
    place_name: str
    """"Building · Floor · Zone"."""
    status: WaitlistStatus
    joined_at: datetime
    position: int | None
    """1 = next to be offered a freed desk; only while waiting. Counts everyone who would be offered the same
    desks first (for a whole floor: everyone waiting on the floor that day, any zone, who joined earlier)."""
    skip_reason: str | None
    """Why the rules refused the person when a desk was offered: an error code (``QUOTA_FULL``, ...)."""
    granted: GrantedDesk | None
    time_zone: str
    """The building's."""


@dataclass(frozen=True, slots=True)
class MyWaitlist:
    """What My bookings shows of the waitlist (``WaitlistService.mine``)."""

    waiting: Sequence[WaitlistView] = field(default_factory=tuple)
    granted: Sequence[WaitlistView] = field(default_factory=tuple)
    """Desks given from the waitlist whose booking is still active and not over."""
    skipped: Sequence[WaitlistView] = field(default_factory=tuple)
    """Lines left unserved because the rules refused the person when a desk was offered (days not yet over)."""

    @property
    def is_empty(self) -> bool:
        return not (self.waiting or self.granted or self.skipped)


class WaitlistService:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock

    async def join(
        self, actor_id: int, request: JoinWaitlistRequest, *, idempotency_key: str | None = None
    ) -> WaitlistView:
        """Join the line of a floor or zone for a day. Raises NotFound or InvalidInput; changes nothing then."""
        operation, digest = "join_waitlist", idempotency.request_hash("join_waitlist", request)
        key = idempotency.check_key(idempotency_key) if idempotency_key is not None else None
        now = self.clock()
        async with self.db.write() as session:
            if key is not None and (
                stored := await idempotency.stored_result(session, actor_id, key, operation, digest)
            ):
                entry_id = int(stored["entry_id"])
            else:
                entry_id = await self._join(session, actor_id, request, now)
                if key is not None:
                    idempotency.record(session, actor_id, key, operation, digest, {"entry_id": entry_id})
        return (await self._views(actor_id, [entry_id]))[0]

    async def _join(self, session: AsyncSession, actor_id: int, request: JoinWaitlistRequest, now: datetime) -> int:
        zone = None
        if request.zone_id is not None:
            zone = await session.get(Zone, request.zone_id)
            if zone is None or zone.retired_at is not None:
                raise NotFound("Zone", request.zone_id)
        floor_id = request.floor_id if request.floor_id is not None else zone.floor_id if zone else None
        if floor_id is None:
            raise InvalidInput("floorId", CommonInputCode.REQUIRED)
        floor = await session.get(Floor, floor_id)
        if floor is None or floor.retired_at is not None:
            raise NotFound("Floor", floor_id)
        building = await session.get_one(Building, floor.building_id)
        if building.retired_at is not None:
            raise NotFound("Floor", floor_id)
        if zone is not None and zone.floor_id != floor.id:
            raise InvalidInput("zoneId", WaitlistInputCode.WAITLIST_ZONE_NOT_ON_FLOOR)
        day = LocalDay(request.day, building.time_zone)
        if request.day < now.astimezone(day.zone).date():
            raise InvalidInput("date", CommonInputCode.PAST_DAY)
        place = _place_name(building.name, floor.name, zone.name if zone else None)
        await people.get_employee(session, actor_id, lock=self.db.is_writing(session))  # one join at a time
        if await _holds_desk(session, actor_id, day):
            raise InvalidInput("date", WaitlistInputCode.WAITLIST_ALREADY_BOOKED, day=request.day.isoformat())
        waiting = await session.scalar(
            select(WaitlistEntry.id).where(
                WaitlistEntry.employee_id == actor_id,
                WaitlistEntry.floor_id == floor.id,
                _same_zone(request.zone_id),
                WaitlistEntry.day == request.day,
                WaitlistEntry.status == WaitlistStatus.WAITING,
            )
        )
        if waiting is not None:
            raise InvalidInput(
                "date", WaitlistInputCode.WAITLIST_ALREADY_WAITING, place=place, day=request.day.isoformat()
            )
        if await _has_free_desk(session, floor.id, request.zone_id, day, actor_id):
            raise InvalidInput("date", WaitlistInputCode.WAITLIST_NOT_FULL, place=place, day=request.day.isoformat())
        entry = WaitlistEntry(
            employee_id=actor_id, floor_id=floor.id, zone_id=request.zone_id, day=request.day, joined_at=now
        )
        session.add(entry)
        await session.flush()
        return entry.id

    async def leave(self, actor_id: int, entry_id: int) -> WaitlistView:
        """Leave a line one waits in. NotFound for someone else's entry; WAITLIST_NOT_WAITING once it is over."""
        async with self.db.write() as session:
            entry = await session.scalar(
                select(WaitlistEntry)
                .where(WaitlistEntry.id == entry_id, WaitlistEntry.employee_id == actor_id)
                .with_for_update()
            )
            if entry is None:
                raise NotFound("WaitlistEntry", entry_id)
            if entry.status != WaitlistStatus.WAITING:
                raise InvalidInput("entryId", WaitlistInputCode.WAITLIST_NOT_WAITING)
            entry.status, entry.resolved_at = WaitlistStatus.LEFT, self.clock()
        return (await self._views(actor_id, [entry_id]))[0]

    async def get(self, actor_id: int, entry_id: int) -> WaitlistView:
        """One of the person's places in line; NotFound for anyone else's."""
        found = await self._views(actor_id, [entry_id])
        if not found:
            raise NotFound("WaitlistEntry", entry_id)
        return found[0]

    async def zone_id_by_code(self, floor_id: int, code: str) -> int:
        """A zone of the floor by its code (the floor page names zones by code); NotFound otherwise."""
        async with self.db.read() as session:
            zone_id = await session.scalar(
                select(Zone.id).where(Zone.floor_id == floor_id, Zone.code == code, Zone.retired_at.is_(None))
            )
        if zone_id is None:
            raise NotFound("Zone", code)
        return zone_id

    async def mine(self, employee_id: int) -> MyWaitlist:
        """The person's lines for days not yet over: waiting (with their position), granted, skipped."""
        now = self.clock()
        async with self.db.read() as session:
            ids = list(
                await session.scalars(
                    select(WaitlistEntry.id)
                    .where(
                        WaitlistEntry.employee_id == employee_id,
                        WaitlistEntry.day >= (now - timedelta(days=1)).date(),  # refined per zone below
                        WaitlistEntry.status != WaitlistStatus.LEFT,
                    )
                    .order_by(WaitlistEntry.day, WaitlistEntry.joined_at, WaitlistEntry.id)
                )
            )
        views = await self._views(employee_id, ids)
        views = [v for v in views if v.day >= now.astimezone(ZoneInfo(v.time_zone)).date()]
        return MyWaitlist(
            waiting=[v for v in views if v.status == WaitlistStatus.WAITING],
            granted=[
                v
                for v in views
                if v.status == WaitlistStatus.GRANTED and v.granted is not None and v.granted.end_at > now
            ],
            skipped=[v for v in views if v.status == WaitlistStatus.SKIPPED],
        )

    async def _views(self, employee_id: int, ids: Sequence[int]) -> list[WaitlistView]:
        if not ids:
            return []
        ahead = aliased(WaitlistEntry)
        mine = WaitlistEntry
        position = (
            select(func.count(ahead.id) + 1)
            .where(
                ahead.floor_id == mine.floor_id,
                ahead.day == mine.day,
                ahead.status == WaitlistStatus.WAITING,
                or_(ahead.joined_at < mine.joined_at, and_(ahead.joined_at == mine.joined_at, ahead.id < mine.id)),
                or_(mine.zone_id.is_(None), ahead.zone_id.is_(None), ahead.zone_id == mine.zone_id),
            )
            .scalar_subquery()
        )
        query = (
            select(mine, Building.name, Building.time_zone, Floor.name, Zone.name, position, Booking, Space.code)
            .join(Floor, Floor.id == mine.floor_id)
            .join(Building, Building.id == Floor.building_id)
            .outerjoin(Zone, Zone.id == mine.zone_id)
            .outerjoin(Booking, and_(Booking.id == mine.booking_id, Booking.status.in_(ACTIVE_STATUSES)))
            .outerjoin(Space, Space.id == Booking.space_id)
            .where(mine.id.in_(ids), mine.employee_id == employee_id)
        )
        async with self.db.read() as session:
            rows = (await session.execute(query)).all()
        by_id: dict[int, WaitlistView] = {}
        for entry, building, time_zone, floor, zone, place_position, booking, desk_code in rows:
            granted = (
                GrantedDesk(booking.id, booking.space_id, desk_code, booking.start_at, booking.end_at)
                if booking is not None
                else None
            )
            by_id[entry.id] = WaitlistView(
                id=entry.id,
                floor_id=entry.floor_id,
                zone_id=entry.zone_id,
                day=entry.day,
                place_name=_place_name(building, floor, zone),
                status=entry.status,
                joined_at=entry.joined_at,
                position=place_position if entry.status == WaitlistStatus.WAITING else None,
                skip_reason=entry.skip_reason,
                granted=granted,
                time_zone=time_zone,
            )
        return [by_id[i] for i in ids if i in by_id]


def _place_name(building: str, floor: str, zone: str | None) -> str:
    return " · ".join(p for p in (building, floor, zone) if p)


def _same_zone(zone_id: int | None) -> ColumnElement[bool]:
    return WaitlistEntry.zone_id.is_(None) if zone_id is None else WaitlistEntry.zone_id == zone_id


async def _holds_desk(session: AsyncSession, employee_id: int, day: LocalDay) -> bool:
    found = await session.scalar(
        select(Booking.id)
        .where(
            Booking.employee_id == employee_id,
            Booking.space_kind == SpaceKind.DESK,
            Booking.status.in_(ACTIVE_STATUSES),
            overlapping(day.start_at, day.end_at, until=Booking.end_at),
        )
        .limit(1)
    )
    return found is not None


async def _has_free_desk(
    session: AsyncSession, floor_id: int, zone_id: int | None, day: LocalDay, employee_id: int
) -> bool:
    """Whether a desk of the floor (or zone) is free all day for ``employee_id``: bookable, in service, without an
    active booking that day, and not assigned to someone else unless released that day."""
    booked = exists().where(
        Booking.space_id == Space.id,
        Booking.status.in_(ACTIVE_STATUSES),
        overlapping(day.start_at, day.end_at),
    )
    released = exists().where(DeskRelease.space_id == Space.id, DeskRelease.day == day.day)
    query = select(Space.id).where(
        Space.floor_id == floor_id,
        Space.kind == SpaceKind.DESK,
        Space.bookable.is_(True),
        Space.retired_at.is_(None),
        ~booked,
        or_(Space.assigned_employee_id.is_(None), Space.assigned_employee_id == employee_id, released),
    )
    if zone_id is not None:
        query = query.where(Space.zone_id == zone_id)
    return await session.scalar(query.limit(1)) is not None
