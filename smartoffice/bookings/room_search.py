"""Finding a meeting room: which rooms of a building fit a meeting, and what each room's day looks like.

A room is offered only when booking it would be accepted as far as the room goes: every per-room check of
``BookingService.prepare`` runs here, in the same order, through the same predicates (``bookings.checks``): in
service, the building's and the room's hours that day, the slot grid, the booking rule's timing, holidays, closures
(the union of :func:`~smartoffice.bookings.checks.closure_scope` over the rooms, and
:func:`~smartoffice.bookings.checks.closure_overlaps`),
capacity, and the room's bookings with their changeover buffer (``[start_at, blocks_until)`` against the new
booking's, as ``find_conflicts``). What is left to booking is about the person (their active-booking limit).

The room's day is read from SQL, not the availability index: a building has tens of rooms, one query answers them
all, and the bookings' titles come with it (only where the viewer may see the booking: ``bookings.visibility``).
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Select, and_, bindparam, case, false, null, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import contains_eager

from smartoffice.availability.slots import LocalDay
from smartoffice.bookings import checks
from smartoffice.bookings.errors import BookingInputCode
from smartoffice.bookings.models import (
    ACTIVE_STATUSES,
    MAX_BOOKING_SPAN,
    Booking,
    BookingStatus,
    overlapping,
)
from smartoffice.bookings.rules import RuleNumbers, rules_for
from smartoffice.bookings.visibility import visible_bookings
from smartoffice.db import Database, utcnow
from smartoffice.errors import BookingConflict, Conflict, ConflictKind, DomainError, InvalidInput
from smartoffice.places.layout import FloorLayoutCache
from smartoffice.places.models import Building, Closure, Floor, Space, SpaceKind
from smartoffice.policies.shared_facts import PolicyFacts, PolicyFactsView
from smartoffice.workcalendar.service import WorkingCalendar, load_calendar

MAX_BUFFER = timedelta(minutes=12 * 60)
"""Closures and bookings are read for the local day plus the longest buffer a rule may set."""


@dataclass(frozen=True, slots=True)
class RoomQuery:
    building_id: int
    day: date
    """The building's local date."""
    start: time
    end: time
    attendees: int = 1
    amenities: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class BookedSpan:
    """An active booking of the room that day."""

    booking_id: int
    start_at: datetime
    end_at: datetime
    status: BookingStatus
    title: str | None
    """Only when the viewer may see the booking (its person, their managers, the site's facilities managers)."""
    is_mine: bool


@dataclass(frozen=True, slots=True)
class ClosedSpan:
    start_at: datetime
    end_at: datetime
    reason: str


@dataclass(frozen=True, slots=True)
class RoomDay:
    room: Space
    """With its floor and building loaded."""
    hours: tuple[time, time] | None
    """The room's bookable local hours that day (building's hours narrowed by the room's); None: not that day."""
    booked: tuple[BookedSpan, ...]
    closed: tuple[ClosedSpan, ...]
    refusal: DomainError | None
    """What booking the room for the asked-for window would be refused with; None when it would be accepted."""

    @property
    def is_offered(self) -> bool:
        return self.refusal is None


@dataclass(frozen=True, slots=True)
class RoomSearch:
    building: Building
    day: LocalDay
    rooms: list[RoomDay]
    """Rooms with enough seats and every asked-for amenity, smallest first; offered or not."""

    @property
    def offered(self) -> list[RoomDay]:
        return [r for r in self.rooms if r.is_offered]

    @property
    def not_offered(self) -> list[RoomDay]:
        return [r for r in self.rooms if not r.is_offered]


MAX_CACHED_BUILDINGS = 256
MAX_CACHED_DAYS = 64
"""Days of facts (closures, rule, calendar) kept per cached building."""


@dataclass(frozen=True, slots=True)
class BuildingRooms:
    """A building's rooms as :func:`_rooms_of` reads them, and per day what the search reads besides the
    bookings (the room rule, the day's calendar, the closures touching it), loaded under one layout version.
    Detached rows (rooms with their floor and building, rules, closures) that nothing writes to: read only."""

    version: str
    loaded_at: float
    rooms: Sequence[Space]
    days: dict[date, tuple[RuleNumbers, WorkingCalendar, Sequence[Closure]]] = field(default_factory=dict)


class RoomSearchService:
    def __init__(
        self,
        db: Database,
        clock: Callable[[], datetime] = utcnow,
        *,
        facts: PolicyFacts | None = None,
        layouts: FloorLayoutCache | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.facts = facts
        """The process's cache of booking rules and the working calendar (:mod:`~smartoffice.policies.shared_facts`);
        None: read from SQL each time. Not used with ``layouts``."""
        self.layouts = layouts
        """Whose version (bumped by every committed change to places, closures, booking rules and the calendar:
        ``places.layout.PLACE_MODELS``) keeps each building's rooms and day facts in this process
        (:class:`BuildingRooms`); None: they are read from SQL (or ``facts``) each time."""
        self._buildings: dict[int, BuildingRooms] = {}

    async def search(self, query: RoomQuery, viewer_id: int | None) -> RoomSearch | None:
        """The rooms of the building that fit ``query`` and their day; None for an unknown or retired building."""
        if self.layouts is None:
            shared = await self.facts.view() if self.facts is not None else None  # the version, before the SQL
            async with self.db.read() as session:
                return await search_rooms(session, query, viewer_id, self.clock(), shared)
        version = await self.layouts.version()  # before the SQL; None (Redis unreachable): nothing from the cache
        cached = self._cached(query.building_id, version)
        async with self.db.read() as session:
            if cached is None and version is not None:
                cached = BuildingRooms(version, self.layouts.clock(), await _rooms_of(session, query.building_id))
                if len(self._buildings) >= MAX_CACHED_BUILDINGS:
                    self._buildings.clear()
                self._buildings[query.building_id] = cached
            return await search_rooms(session, query, viewer_id, self.clock(), None, cached)

    def _cached(self, building_id: int, version: str | None) -> BuildingRooms | None:
        """The building's entry loaded under ``version``, not too long ago; else None."""
        entry = self._buildings.get(building_id)
        if entry is None or version is None or self.layouts is None:
            return None
        if entry.version != version or self.layouts.clock() - entry.loaded_at >= self.layouts.max_age:
            del self._buildings[building_id]
            return None
        return entry

    async def free_rooms(self, query: RoomQuery) -> list[Space]:
        """The rooms booking would accept for ``query``, smallest first ([] for an unknown building); each with its
        floor and building loaded."""
        found = await self.search(query, None)
        return [r.room for r in found.offered] if found else []


async def search_rooms(
    session: AsyncSession,
    query: RoomQuery,
    viewer_id: int | None,
    now: datetime,
    shared: PolicyFactsView | None = None,
    cached: BuildingRooms | None = None,
) -> RoomSearch | None:
    """``shared``: the room booking rule and the working calendar from the process's cache; without it, from
    SQL. ``cached``: the building's rooms and day facts from the process's cache (a day missing from it is read
    from SQL and kept there)."""
    every_room = cached.rooms if cached is not None else await _rooms_of(session, query.building_id)
    # The rooms come with their (live) building: it is read on its own only when it has none.
    building = every_room[0].floor.building if every_room else await _live_building(session, query.building_id)
    if building is None:
        return None
    local_day = LocalDay(query.day, building.time_zone)
    rooms = [room for room in every_room if room.capacity >= query.attendees and query.amenities <= set(room.amenities)]
    if not rooms:
        return RoomSearch(building, local_day, [])
    facts = cached.days.get(query.day) if cached is not None else None
    if facts is not None:
        rule, calendar, closures = facts
    else:
        rule = (
            await shared.room_rule(session, building.id)
            if shared is not None
            else await rules_for(session, building.id, SpaceKind.ROOM)
        )
        calendar = (
            await shared.calendar(session, query.day, query.day)
            if shared is not None
            else await load_calendar(session, query.day, query.day)
        )
        # Cached: the closures of every room (each room takes those covering it below), for any later search.
        closures = await _closures(session, building, every_room if cached is not None else rooms, local_day)
        if cached is not None and len(cached.days) < MAX_CACHED_DAYS:
            cached.days[query.day] = (rule, calendar, closures)
    booked = await _booked(session, [r.id for r in rooms], local_day, viewer_id)
    days = []
    for room in rooms:
        spans = [span for space_id, span in booked if space_id == room.id]
        covering = [c for c in closures if _covers(c, room)]
        refusal = _refusal(room, query, rule, calendar, covering, spans, now)
        closed = tuple(ClosedSpan(c.start_at, c.end_at, c.reason) for c in covering)
        days.append(RoomDay(room, _hours(room, query.day), tuple(spans), closed, refusal))
    return RoomSearch(building, local_day, days)


async def _live_building(session: AsyncSession, building_id: int) -> Building | None:
    return await session.scalar(select(Building).where(Building.id == building_id, Building.retired_at.is_(None)))


_ROOMS = (
    select(Space)
    .join(Floor, Floor.id == Space.floor_id)
    .join(Building, Building.id == Floor.building_id)
    .where(
        Floor.building_id == bindparam("building_id"),
        Space.kind == SpaceKind.ROOM,
        Space.retired_at.is_(None),
        Floor.retired_at.is_(None),
        Building.retired_at.is_(None),
    )
    .options(contains_eager(Space.floor).contains_eager(Floor.building))
    .order_by(Space.capacity, Space.code, Space.id)
)
_CLOSURES = (
    select(Closure)
    .where(
        # the union of ``checks.closure_scope`` over the rooms' floors
        or_(
            Closure.space_id.in_(bindparam("room_ids", expanding=True)),
            Closure.floor_id.in_(bindparam("floor_ids", expanding=True)),
            Closure.building_id == bindparam("building_id"),
            Closure.site_id == bindparam("site_id"),
            Closure.zone_id.in_(bindparam("zone_ids", expanding=True)),
        ),
        Closure.start_at < bindparam("until"),
        Closure.end_at > bindparam("since"),
    )
    .order_by(Closure.start_at, Closure.id)
)
"""The room search's reads of places, built once: a request binds its values (building and hashing a statement
cost as much as running it)."""


async def _rooms_of(session: AsyncSession, building_id: int) -> Sequence[Space]:
    return (await session.scalars(_ROOMS, {"building_id": building_id})).unique().all()


async def _closures(
    session: AsyncSession, building: Building, rooms: Sequence[Space], day: LocalDay
) -> Sequence[Closure]:
    """Closures of the site, the building, the rooms' floors and zones, or a room, touching the day (and the
    longest buffer after it)."""
    values = {
        "room_ids": [r.id for r in rooms],
        "floor_ids": sorted({r.floor_id for r in rooms}),
        "zone_ids": sorted({r.zone_id for r in rooms if r.zone_id is not None}),
        "building_id": building.id,
        "site_id": building.site_id,
        "since": day.start_at,
        "until": day.end_at + MAX_BUFFER,
    }
    return (await session.scalars(_CLOSURES, values)).all()


def _covers(closure: Closure, room: Space) -> bool:
    """The closure is of the room, its zone or its floor, or of the whole building or site (loaded for these)."""
    if closure.space_id is not None:
        return closure.space_id == room.id
    if closure.zone_id is not None:
        return closure.zone_id == room.zone_id
    if closure.floor_id is not None:
        return closure.floor_id == room.floor_id
    return True


@dataclass(frozen=True, slots=True)
class _Span(BookedSpan):
    """With the end of its changeover buffer, which decides conflicts."""

    blocks_until: datetime


async def _booked(
    session: AsyncSession, room_ids: Iterable[int], day: LocalDay, viewer_id: int | None
) -> list[tuple[int, _Span]]:
    span = day.start_at, day.end_at + MAX_BUFFER
    if viewer_id is None:  # nobody's titles: the statement is built once
        values = {"room_ids": list(room_ids), "start": span[0], "end": span[1], "since": span[0] - MAX_BOOKING_SPAN}
        rows = await session.execute(_BOOKED_UNSEEN, values)
    else:
        visible = await visible_bookings(session, viewer_id)
        rows = await session.execute(_booked_query(room_ids, overlapping(*span), visible))
    return [
        (space_id, _Span(ident, start_at, end_at, status, title, employee_id == viewer_id, blocks_until))
        for space_id, ident, start_at, end_at, blocks_until, status, title, employee_id in rows
    ]


def _booked_query(
    room_ids: Iterable[int] | BindParameter[list[int]], when: ColumnElement[bool], visible: ColumnElement[bool]
) -> Select[tuple[Any, ...]]:
    """The rooms' active bookings ``when`` (overlapping the day), with the titles ``visible`` lets the viewer see."""
    return (
        select(
            Booking.space_id,
            Booking.id,
            Booking.start_at,
            Booking.end_at,
            Booking.blocks_until,
            Booking.status,
            case((visible, Booking.title), else_=null()),
            Booking.employee_id,
        )
        .where(Booking.space_id.in_(room_ids), Booking.status.in_(ACTIVE_STATUSES), when)
        .order_by(Booking.space_id, Booking.start_at)
    )


_BOOKED_UNSEEN = _booked_query(
    bindparam("room_ids", expanding=True),
    # ``overlapping(start, end)``, bound
    and_(
        Booking.start_at < bindparam("end"),
        Booking.blocks_until > bindparam("start"),
        Booking.start_at > bindparam("since"),
    ),
    false(),
)


def _hours(room: Space, day: date) -> tuple[time, time] | None:
    try:
        return checks.bookable_hours(room, day)
    except InvalidInput:
        return None


def _refusal(
    room: Space,
    query: RoomQuery,
    rule: RuleNumbers,
    calendar: WorkingCalendar,
    closures: Sequence[Closure],
    booked: Sequence[_Span],
    now: datetime,
) -> DomainError | None:
    """The first of ``BookingService.prepare``'s per-room checks that refuses the window, in its order."""
    try:
        checks.check_in_service(room)
        window = checks.resolve_window(room, rule, query.day, query.start, query.end)
        checks.check_timing(window, rule, SpaceKind.ROOM, now)
        checks.check_calendar(window, rule, calendar)
        for closure in closures:
            if checks.closure_overlaps(closure.start_at, closure.end_at, window.start_at, window.blocks_until):
                raise InvalidInput("date", BookingInputCode.CLOSED, reason=closure.reason)
        checks.check_attendees(room, query.attendees)
    except DomainError as refusal:
        return refusal
    conflicts = [
        Conflict(ConflictKind.SPACE_TAKEN, span.booking_id, span.start_at, span.end_at)
        for span in booked
        if span.start_at < window.blocks_until and span.blocks_until > window.start_at
    ]
    return BookingConflict(conflicts) if conflicts else None
