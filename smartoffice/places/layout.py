"""A per-process cache of floor layouts (a floor, its building and its spaces), validated by a version in Redis.

A floor's layout changes only when facilities edit places, while every availability read needs it: reading it
from SQL each time (three short transactions and ~90 ORM objects) cost more than the rest of the request. So each
process keeps :class:`FloorLayout` values (frozen, ``__slots__``, no ORM state) keyed by floor id, and trusts one
only while the **layout version** it was loaded under is still the current one:

* ``so:places:layout-version`` in Redis holds a random token. Any committed change to sites, buildings, floors,
  zones, spaces or plan images, or to what the floor-day facts cached beside layouts are read from (closures,
  desk releases, booking rules, calendar overrides: :data:`PLACE_MODELS`), replaces it
  (:func:`bump_layout_version`), and every process then reloads on its next read.
* Changes are noticed for you: a write transaction (``Database.write()``) that flushes a places object or runs
  an ORM ``insert``/``update``/``delete`` on a places table is marked (:func:`track_layout_changes`), and the
  after-commit hook :meth:`FloorLayoutCache.after_commit` bumps the version once it is durable. **A future places
  editor that changes places in any other way (raw SQL, another engine) must call** :func:`bump_layout_version`
  **after its commit**, as must scripts that edit places behind a running deployment.
* The version is read *before* SQL, so a change committed between the two makes the entry stale at once
  (the bump that follows the commit differs from the version the entry carries).
* Redis may be lost: a missing version is replaced by a fresh random token (never a previous one), which
  invalidates every cached entry. While Redis is unreachable (or its breaker is open), layouts are read from SQL
  and not cached. A version bump that fails (Redis down at that moment) empties this process's cache; other
  processes' entries are bounded by :data:`LAYOUT_MAX_AGE_SECONDS`.
* Missing floors are never cached, so seeding an empty database needs no bump.
"""

import hashlib
import logging
import secrets
from collections.abc import Awaitable, Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date, time
from itertools import chain
from time import monotonic
from typing import Any, TypeVar, cast

from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session, joinedload, selectinload

from smartoffice.availability.breaker import CircuitBreaker
from smartoffice.bookings.models import BookingRule
from smartoffice.cache_versions import forget, read_version, register
from smartoffice.db import Base, Database
from smartoffice.errors import NotFound
from smartoffice.ids import encode_id
from smartoffice.places.models import (
    Building,
    Closure,
    DeskRelease,
    Floor,
    FloorPlan,
    OpeningHours,
    Site,
    Space,
    SpaceKind,
    Zone,
    hours_on,
)
from smartoffice.places.plan_editing import plan_version
from smartoffice.places.plan_images import plan_image_url
from smartoffice.quotas.models import SeatQuota
from smartoffice.workcalendar.models import CalendarOverride

log = logging.getLogger(__name__)

T = TypeVar("T")

LAYOUT_VERSION_KEY = "so:places:layout-version"
LAYOUT_MAX_AGE_SECONDS = 300.0
"""A backstop only (a bump that could not reach Redis): entries are normally invalidated by the version."""
LAYOUT_CHANGED = "smartoffice.places.layout_changed"
"""``session.info`` key: this transaction changed places; bump the layout version after it commits."""

PLACE_MODELS: tuple[type[Base], ...] = (
    Site,
    Building,
    Floor,
    Zone,
    Space,
    FloorPlan,
    Closure,
    DeskRelease,
    BookingRule,
    CalendarOverride,
    SeatQuota,
)
"""What a cached layout, or the floor-day facts cached beside it (:meth:`FloorLayoutCache.floor_day_facts`:
closures, desk releases, the booking rule, the calendar, whether seat quotas cover the floor), is read from: a
committed change to any bumps the version."""
PLACE_TABLES = frozenset(model.__tablename__ for model in PLACE_MODELS)
MAX_DAYS_PER_FLOOR = 64
"""Floor-day facts kept per cached floor (the days people look at: this week, the next few)."""


@dataclass(frozen=True, slots=True)
class BuildingLayout:
    id: int
    site_id: int
    code: str
    name: str
    time_zone: str
    opens_at: time
    closes_at: time
    opening_hours: OpeningHours | None = None
    """Per ISO weekday (see ``places.models.hours_on``); ``None``: ``opens_at``–``closes_at`` every day."""

    def hours_on(self, day: date) -> tuple[time, time] | None:
        """The building's local hours on ``day``, ``None`` when it is closed that weekday."""
        return hours_on(self.opens_at, self.closes_at, self.opening_hours, day)


@dataclass(frozen=True, slots=True)
class FloorRef:
    """A floor of the same building (the floor page links to them)."""

    id: int
    name: str
    level: int


@dataclass(frozen=True, slots=True)
class ZoneLayout:
    id: int
    code: str
    name: str
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class SpaceLayout:
    id: int
    floor_id: int
    zone_id: int | None
    kind: SpaceKind
    code: str
    name: str | None
    capacity: int
    x: float
    y: float
    width: float
    height: float
    rotation: float
    amenities: tuple[str, ...]
    bookable: bool = True
    """False: shown on the plan but never bookable (a hot-desk kept for visitors, a broken desk)."""
    assigned_employee_id: int | None = None
    """An assigned desk's owner: others may book it only on the days the owner releases it."""


@dataclass(frozen=True, slots=True)
class FloorLayout:
    id: int
    building_id: int
    level: int
    name: str
    width: float
    height: float
    building: BuildingLayout
    building_floors: tuple[FloorRef, ...]
    """Every floor of the building, by level."""
    zones: tuple[ZoneLayout, ...]
    """The floor's zones, by code."""
    spaces: tuple[SpaceLayout, ...]
    """Every space of the floor, by code (the order of ``Floor.desks`` and ``Floor.rooms``)."""
    desks: tuple[SpaceLayout, ...]
    """The desks among ``spaces``, by code: the order of the packed availability string."""
    desk_global_ids: tuple[str, ...]
    """The desks' relay ids, in the same order."""
    desk_order: str
    """A short digest of the desk id sequence: clients compare it to know their desk list still lines up."""
    plan_digest: str | None = None
    """The floor plan image's digest (``FloorPlan.digest``), ``None`` when the floor has no plan image."""
    has_assigned_desks: bool = False
    """Some desk of the floor is assigned to someone (availability then reads the day's desk releases)."""
    plan_version: str = ""
    """The floor's :func:`~smartoffice.places.plan_editing.plan_version` when loaded (``Floor.planVersion`` reads
    it here rather than loading every space of the floor once more per floor)."""

    @property
    def plan_url(self) -> str | None:
        return plan_image_url(self.id, self.plan_digest) if self.plan_digest else None


def floor_layout(floor: Floor, building: Building, spaces: list[Space], plan_digest: str | None = None) -> FloorLayout:
    """The frozen layout of what is in service; ``floor.zones`` and ``building.floors`` must be loaded."""
    ordered = sorted((s for s in spaces if s.retired_at is None), key=lambda s: s.code)
    frozen = tuple(
        SpaceLayout(
            id=s.id,
            floor_id=s.floor_id,
            zone_id=s.zone_id,
            kind=s.kind,
            code=s.code,
            name=s.name,
            capacity=s.capacity,
            x=s.x,
            y=s.y,
            width=s.width,
            height=s.height,
            rotation=s.rotation,
            amenities=tuple(s.amenities or ()),
            bookable=s.bookable,
            assigned_employee_id=s.assigned_employee_id,
        )
        for s in ordered
    )
    desks = tuple(s for s in frozen if s.kind == SpaceKind.DESK)
    return FloorLayout(
        id=floor.id,
        building_id=floor.building_id,
        level=floor.level,
        name=floor.name,
        width=floor.width,
        height=floor.height,
        building=BuildingLayout(
            id=building.id,
            site_id=building.site_id,
            code=building.code,
            name=building.name,
            time_zone=building.time_zone,
            opens_at=building.opens_at,
            closes_at=building.closes_at,
            opening_hours=building.opening_hours,
        ),
        building_floors=tuple(FloorRef(f.id, f.name, f.level) for f in building.floors if f.retired_at is None),
        zones=tuple(
            ZoneLayout(z.id, z.code, z.name, z.x, z.y, z.width, z.height) for z in floor.zones if z.retired_at is None
        ),
        spaces=frozen,
        desks=desks,
        desk_global_ids=tuple(encode_id("Desk", d.id) for d in desks),
        desk_order=desk_order_digest(d.id for d in desks),
        plan_digest=plan_digest,
        has_assigned_desks=any(d.assigned_employee_id is not None for d in desks),
        plan_version=plan_version(floor, spaces),
    )


def desk_order_digest(desk_ids: Iterable[int]) -> str:
    return hashlib.blake2s(",".join(map(str, desk_ids)).encode(), digest_size=8).hexdigest()


async def load_floor_layout(session: AsyncSession, floor_id: int) -> FloorLayout:
    """One floor's layout from SQL, in one transaction and three queries (the floor with its building, the
    building's floors and its plan image's digest, joined; its zones; its spaces). Raises NotFound, also for a
    retired floor or building (retired places are neither shown nor bookable)."""
    digest = select(FloorPlan.digest).where(FloorPlan.floor_id == Floor.id).scalar_subquery()
    rows = await session.execute(
        select(Floor, digest)
        .where(Floor.id == floor_id)
        .options(joinedload(Floor.building).joinedload(Building.floors), selectinload(Floor.zones))
    )
    row = rows.unique().one_or_none()
    if row is None or row[0].retired_at is not None or row[0].building.retired_at is not None:
        raise NotFound("Floor", floor_id)
    floor, plan_digest = row
    spaces = list(await session.scalars(select(Space).where(Space.floor_id == floor_id).order_by(Space.code)))
    return floor_layout(floor, floor.building, spaces, plan_digest)


async def bump_layout_version(redis: Redis) -> None:
    """Make every process's cached layouts stale. Call after committing a change to places."""
    await redis.set(LAYOUT_VERSION_KEY, secrets.token_hex(8))


@dataclass(frozen=True, slots=True)
class _Entry:
    version: str
    loaded_at: float
    layout: FloorLayout
    days: dict[Hashable, Any] = field(default_factory=dict)
    """Floor-day facts loaded under the same version (see :meth:`FloorLayoutCache.floor_day_facts`)."""


class FloorLayoutCache:
    """Floor layouts by floor id, for one process (see the module docstring for when an entry is trusted).

    ``breaker`` is shared with the availability index: while Redis is known to be failing, no request waits for
    a timeout here either.
    """

    def __init__(
        self,
        db: Database,
        redis: Redis,
        breaker: CircuitBreaker,
        *,
        clock: Callable[[], float] = monotonic,
        max_age: float = LAYOUT_MAX_AGE_SECONDS,
    ) -> None:
        self.db = db
        self.redis = redis
        self.breaker = breaker
        self.clock = clock
        self.max_age = max_age
        self._entries: dict[int, _Entry] = {}
        self._building_floors: dict[int, tuple[str, float, tuple[int, ...]]] = {}
        """Building id → (version, loaded at, the ids of its floors in service, lowest first)."""

    async def get(self, floor_id: int) -> FloorLayout:
        """The floor's layout, from this process's cache when still current, else from SQL. Raises NotFound."""
        version = await self.version()
        entry = self._entries.get(floor_id)
        now = self.clock()
        if entry is not None and entry.version == version and now - entry.loaded_at < self.max_age:
            return entry.layout
        async with self.db.read() as session:
            layout = await load_floor_layout(session, floor_id)
        if version is not None:
            self._entries[floor_id] = _Entry(version, now, layout)
        else:
            self._entries.pop(floor_id, None)
        return layout

    async def find(self, floor_id: int) -> FloorLayout | None:
        """The floor's layout as :meth:`get` gives it, or ``None`` when there is no such floor."""
        try:
            return await self.get(floor_id)
        except NotFound:
            return None

    async def find_many(self, floor_ids: Iterable[int]) -> dict[int, FloorLayout]:
        """The layouts of ``floor_ids`` as :meth:`find` gives them (a floor that does not exist is left out), with
        one version read for all of them and one read session for those not cached (a week's suggested desks)."""
        version = await self.version()
        now = self.clock()
        found: dict[int, FloorLayout] = {}
        missing = []
        for floor_id in dict.fromkeys(floor_ids):
            entry = self._entries.get(floor_id)
            if entry is not None and entry.version == version and now - entry.loaded_at < self.max_age:
                found[floor_id] = entry.layout
            else:
                missing.append(floor_id)
        if not missing:
            return found
        async with self.db.read() as session:
            for floor_id in missing:
                try:
                    layout = await load_floor_layout(session, floor_id)
                except NotFound:
                    self._entries.pop(floor_id, None)
                    continue
                found[floor_id] = layout
                if version is not None:
                    self._entries[floor_id] = _Entry(version, now, layout)
                else:
                    self._entries.pop(floor_id, None)
        return found

    async def version(self) -> str | None:
        """The current layout version, or None when Redis cannot say (then nothing is served from the cache).
        Within an HTTP request, read once with the other caches' (:mod:`smartoffice.cache_versions`)."""
        return await read_version(self.redis, self.breaker, LAYOUT_VERSION_KEY)

    async def floor_day_facts(
        self, layout: FloorLayout, key: Hashable, load: Callable[[AsyncSession], Awaitable[T]]
    ) -> T:
        """``load``'s answer for ``layout`` and ``key`` (a day), cached beside the layout while the version it was
        loaded under holds: for facts read only from :data:`PLACE_MODELS` tables (closures, desk releases, booking
        rules, the calendar). ``layout`` must come from :meth:`get` in the same request (its version was just
        read, before ``load`` reads SQL); a layout read from SQL while Redis is unreachable caches nothing."""
        entry = self._entries.get(layout.id)
        cached = entry is not None and entry.layout is layout
        if cached and entry is not None and key in entry.days:
            return cast(T, entry.days[key])
        async with self.db.read() as session:
            value = await load(session)
        if cached and entry is not None and len(entry.days) < MAX_DAYS_PER_FLOOR:
            entry.days[key] = value
        return value

    async def building_floor_ids(self, building_id: int) -> tuple[int, ...]:
        """The ids of the building's floors in service, lowest first (what ``Building.floors`` lists), kept beside the
        layouts under their version: with :meth:`find_many`, a building's floors cost no query when warm."""
        version = await self.version()
        now = self.clock()
        entry = self._building_floors.get(building_id)
        if entry is not None and entry[0] == version and now - entry[1] < self.max_age:
            return entry[2]
        query = select(Floor.id).where(Floor.building_id == building_id, Floor.retired_at.is_(None))
        async with self.db.read() as session:
            ids = tuple(await session.scalars(query.order_by(Floor.level)))
        if version is not None:
            self._building_floors[building_id] = (version, now, ids)
        else:
            self._building_floors.pop(building_id, None)
        return ids

    def clear(self) -> None:
        self._entries.clear()
        self._building_floors.clear()

    async def after_commit(self, session: AsyncSession) -> None:
        """``Database.after_commit`` hook: bump the version if the transaction changed places."""
        if not session.info.pop(LAYOUT_CHANGED, False):
            return
        self.clear()
        forget(LAYOUT_VERSION_KEY)
        try:
            await bump_layout_version(self.redis)
        except RedisError as exc:
            log.error(
                "places changed but the layout version could not be bumped (%r): other processes may serve the "
                "old layout for up to %.0f s",
                exc,
                self.max_age,
            )


def track_layout_changes() -> None:
    """Mark sessions that change places (``session.info[LAYOUT_CHANGED]``). Idempotent; called on import."""
    if not event.contains(Session, "after_flush", _note_flush):
        event.listen(Session, "after_flush", _note_flush)
        event.listen(Session, "do_orm_execute", _note_statement)


def _note_flush(session: Session, _context: Any) -> None:
    if any(isinstance(obj, PLACE_MODELS) for obj in chain(session.new, session.dirty, session.deleted)):
        session.info[LAYOUT_CHANGED] = True


def _note_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) in PLACE_TABLES:
            state.session.info[LAYOUT_CHANGED] = True


track_layout_changes()
register(LAYOUT_VERSION_KEY)
