"""Closures managed in the product: closing a site, building, floor, zone or single space for a time, with a reason.

The facilities console (``/admin/closures``) and GraphQL (``createClosure``, ``endClosure``, ``closures``) call
:class:`ClosureService`. What it decides:

* **Time.** A closure is stored as a UTC half-open range ``[start_at, end_at)``. People give local dates and times
  (:class:`LocalTimes`), read in the place's time zone: a building's own zone; for a site, the zone its (not
  retired) buildings share, else ``Asia/Makassar`` (WITA, IKN's zone: :data:`DEFAULT_TIME_ZONE`). A missing start
  time means the start of the first day, a missing end time the end of the last day (whole days). GraphQL gives
  instants (:attr:`ClosureInput.start_at` / ``end_at``); an instant without an offset is read as UTC.
* **Validation** (:class:`~smartoffice.places.closure_errors.ClosureInputCode`): a reason of 1 to 500 characters,
  an end after the start, an end not already passed (a closure that started in the past is fine: bookings that
  have ended are never touched), at most :data:`MAX_CLOSURE_DAYS` days, a place that exists and is not retired.
* **Who.** The place's site's facilities managers and administrators (``places/permissions.py``), checked inside
  the transaction, like every facilities-console service.
* **Bookings under a new closure.** :meth:`ClosureService.preview` lists them (the confirmation step);
  :meth:`ClosureService.create` locks and cancels what is there when it commits, each with the closure's reason,
  in the transaction that inserts the closure and its audit entry (``closure.create``), then frees them in the
  availability index (``bookings/place_changes.py``).
* **Ending.** :meth:`ClosureService.end` ends a closure now (``end_at`` = now, ``closure.end``); a closure that
  has not started yet is deleted instead (``closure.delete``), as if it had never been set. Bookings a closure
  cancelled stay cancelled either way: people book again, the space is free.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from smartoffice.audit.record import Actor, record_change
from smartoffice.availability.service import AvailabilityService
from smartoffice.bookings.models import Booking
from smartoffice.bookings.place_changes import (
    MAX_REASON_LENGTH,
    PlaceLevel,
    PlaceRef,
    affected_bookings,
    cancel_for_place_change,
    project_cancelled,
)
from smartoffice.db import Database
from smartoffice.errors import CommonInputCode, InvalidInput, NotFound
from smartoffice.people.models import Employee
from smartoffice.places.closure_errors import ClosureInputCode
from smartoffice.places.models import Building, Closure, Floor, Site, Space, SpaceKind, Zone
from smartoffice.places.permissions import managed_site_ids, require_site_manager

DEFAULT_TIME_ZONE = "Asia/Makassar"
"""A site's closure times are read in this zone when its buildings do not share one (or it has none)."""
MAX_CLOSURE_DAYS = 366
MAX_LISTED = 500
"""``closures`` answers at most this many, soonest first."""

_COLUMN = {
    PlaceLevel.SITE: Closure.site_id,
    PlaceLevel.BUILDING: Closure.building_id,
    PlaceLevel.FLOOR: Closure.floor_id,
    PlaceLevel.ZONE: Closure.zone_id,
    PlaceLevel.SPACE: Closure.space_id,
}
_KIND = {
    PlaceLevel.SITE: "Site",
    PlaceLevel.BUILDING: "Building",
    PlaceLevel.FLOOR: "Floor",
    PlaceLevel.ZONE: "Zone",
    PlaceLevel.SPACE: "Space",
}


@dataclass(frozen=True, slots=True)
class LocalTimes:
    """A closure's time as people give it, in the place's zone: ``start_time`` missing means from the start of
    ``start_day``, ``end_time`` missing means to the end of ``end_day`` (both days included)."""

    start_day: date
    end_day: date
    start_time: time | None = None
    end_time: time | None = None

    def resolve(self, zone: str) -> tuple[datetime, datetime]:
        tz = ZoneInfo(zone)
        start = datetime.combine(self.start_day, self.start_time or time(0), tz)
        if self.end_time is None:
            end = datetime.combine(self.end_day + timedelta(days=1), time(0), tz)
        else:
            end = datetime.combine(self.end_day, self.end_time, tz)
        return start.astimezone(UTC), end.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class ClosureInput:
    """A new closure: the place, the reason, and either instants (``start_at``/``end_at``) or ``local`` times."""

    place: PlaceRef
    reason: str
    start_at: datetime | None = None
    end_at: datetime | None = None
    local: LocalTimes | None = None


@dataclass(frozen=True, slots=True)
class PlaceInfo:
    """A place as the console names it, with its site (for permission and the audit) and time zone."""

    ref: PlaceRef
    name: str
    site_id: int
    time_zone: str
    retired: bool
    space_kind: SpaceKind | None = None
    """For a single space: desk or room (its id's type in the API)."""


@dataclass(frozen=True, slots=True)
class BuildingChoice:
    id: int
    name: str
    time_zone: str
    floors: list[tuple[int, str]]
    """``(id, name)``, lowest first."""


@dataclass(frozen=True, slots=True)
class SiteChoice:
    id: int
    name: str
    buildings: list[BuildingChoice]


@dataclass(frozen=True, slots=True)
class ClosureView:
    id: int
    place: PlaceInfo
    start_at: datetime
    end_at: datetime
    reason: str
    created_by_id: int | None
    created_by_name: str | None

    def is_current(self, now: datetime) -> bool:
        return self.start_at <= now < self.end_at


@dataclass(frozen=True, slots=True)
class AffectedBooking:
    """A booking a closure takes away, as the confirmation step lists it."""

    booking_id: int
    employee_id: int
    person_name: str
    space_label: str
    space_kind: SpaceKind
    start_at: datetime
    end_at: datetime
    time_zone: str

    @classmethod
    def of(cls, booking: Booking) -> "AffectedBooking":
        space = booking.space
        building = space.floor.building
        return cls(
            booking_id=booking.id,
            employee_id=booking.employee_id,
            person_name=booking.employee.name,
            space_label=f"{building.name} · {space.floor.name} · {space.name or space.code}",
            space_kind=space.kind,
            start_at=booking.start_at,
            end_at=booking.end_at,
            time_zone=building.time_zone,
        )


@dataclass(frozen=True, slots=True)
class ClosurePreview:
    """What :meth:`ClosureService.create` would do now: the closure's place and times, and whom it affects."""

    place: PlaceInfo
    start_at: datetime
    end_at: datetime
    reason: str
    affected: Sequence[AffectedBooking]


@dataclass(frozen=True, slots=True)
class CreatedClosure:
    closure: ClosureView
    cancelled: Sequence[AffectedBooking]


@dataclass(frozen=True, slots=True)
class EndedClosure:
    closure: ClosureView
    """As it is now (``end_at`` the moment it ended), or as it was when it was deleted (``deleted``)."""
    deleted: bool


class ClosureService:
    def __init__(self, db: Database, availability: AvailabilityService, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.availability = availability
        self.clock = clock

    async def preview(self, actor: Actor, request: ClosureInput) -> ClosurePreview:
        """Raises InvalidInput, NotFound, PermissionDenied; writes nothing."""
        reason = _checked_reason(request.reason)
        now = self.clock()
        async with self.db.read() as session:
            info, start_at, end_at = await _checked_place_and_times(session, actor, request, now)
            bookings = await affected_bookings(session, request.place, now, start_at, end_at)
            return ClosurePreview(info, start_at, end_at, reason, [AffectedBooking.of(b) for b in bookings])

    async def create(self, actor: Actor, request: ClosureInput) -> CreatedClosure:
        """Insert the closure and cancel the bookings under it (one transaction), then free them in the index."""
        reason = _checked_reason(request.reason)
        now = self.clock()
        async with self.db.write() as session:
            info, start_at, end_at = await _checked_place_and_times(session, actor, request, now)
            bookings = await affected_bookings(session, request.place, now, start_at, end_at, lock=True)
            closure = Closure(
                start_at=start_at,
                end_at=end_at,
                reason=reason,
                created_by_id=actor.employee_id,
                created_at=now,
                **{_COLUMN[request.place.level].key: request.place.id},
            )
            session.add(closure)
            await session.flush()
            await cancel_for_place_change(session, bookings, reason, actor.employee_id, now, cause="closure")
            record_change(
                session,
                actor,
                "closure.create",
                at=now,
                entity_kind="Closure",
                entity_id=closure.id,
                after={**_snapshot(closure, info), "cancelled_bookings": [b.id for b in bookings]},
                site_id=info.site_id,
            )
            creator = await session.get(Employee, actor.employee_id) if actor.employee_id is not None else None
            view = _view(closure, info, creator.name if creator else None)
            cancelled = [AffectedBooking.of(b) for b in bookings]
        await project_cancelled(self.availability, bookings)
        return CreatedClosure(view, cancelled)

    async def end(self, actor: Actor, closure_id: int) -> EndedClosure:
        """End a closure now, or delete one that has not started. Raises NotFound, PermissionDenied, InvalidInput
        (``CLOSURE_ALREADY_ENDED``)."""
        now = self.clock()
        async with self.db.write() as session:
            closure = await session.scalar(select(Closure).where(Closure.id == closure_id).with_for_update())
            if closure is None:
                raise NotFound("Closure", closure_id)
            info = await place_info(session, _ref(closure))
            await _require_manager(session, actor, info.site_id)
            if closure.end_at <= now:
                raise InvalidInput("closureId", ClosureInputCode.CLOSURE_ALREADY_ENDED)
            before = _snapshot(closure, info)
            creator = await session.get(Employee, closure.created_by_id) if closure.created_by_id else None
            deleted = closure.start_at >= now
            if deleted:
                view = _view(closure, info, creator.name if creator else None)
                await session.delete(closure)
                after = None
            else:
                closure.end_at = now
                view = _view(closure, info, creator.name if creator else None)
                after = _snapshot(closure, info)
            record_change(
                session,
                actor,
                "closure.delete" if deleted else "closure.end",
                at=now,
                entity_kind="Closure",
                entity_id=closure_id,
                before=before,
                after=after,
                site_id=info.site_id,
            )
            return EndedClosure(view, deleted)

    async def find(self, actor: Actor, closure_id: int) -> ClosureView | None:
        """One closure, if the actor manages its site; else None."""
        async with self.db.read() as session:
            closure = await session.get(Closure, closure_id)
            if closure is None or actor.employee_id is None:
                return None
            info = await place_info(session, _ref(closure))
            sites = await managed_site_ids(session, actor.employee_id)
            if sites is not None and info.site_id not in sites:
                return None
            creator = await session.get(Employee, closure.created_by_id) if closure.created_by_id else None
            return _view(closure, info, creator.name if creator else None)

    async def places(self, actor: Actor) -> list[SiteChoice]:
        """The sites the actor manages (admins: all) with their buildings and floors, none retired: what the
        console offers to close."""
        async with self.db.read() as session:
            if actor.employee_id is None:
                return []
            sites = await managed_site_ids(session, actor.employee_id)
            query = (
                select(Site)
                .where(Site.retired_at.is_(None))
                .options(joinedload(Site.buildings).joinedload(Building.floors))
                .order_by(Site.name)
            )
            if sites is not None:
                query = query.where(Site.id.in_(sites))
            return [
                SiteChoice(
                    site.id,
                    site.name,
                    [
                        BuildingChoice(
                            b.id,
                            b.name,
                            b.time_zone,
                            [(f.id, f.name) for f in b.floors if f.retired_at is None],
                        )
                        for b in site.buildings
                        if b.retired_at is None
                    ],
                )
                for site in (await session.scalars(query)).unique().all()
            ]

    async def floor_parts(self, actor: Actor, floor_id: int) -> tuple[PlaceInfo, list[Zone], list[Space]]:
        """A floor's zones and spaces (not retired), for choosing what on it to close. Raises NotFound,
        PermissionDenied."""
        async with self.db.read() as session:
            info = await place_info(session, PlaceRef(PlaceLevel.FLOOR, floor_id))
            await _require_manager(session, actor, info.site_id)
            zones = await session.scalars(
                select(Zone).where(Zone.floor_id == floor_id, Zone.retired_at.is_(None)).order_by(Zone.code)
            )
            spaces = await session.scalars(
                select(Space).where(Space.floor_id == floor_id, Space.retired_at.is_(None)).order_by(Space.code)
            )
            return info, list(zones), list(spaces)

    # last in the class: its name shadows the builtin ``list`` in the annotations of methods below it
    async def list(
        self,
        actor: Actor,
        *,
        place: PlaceRef | None = None,
        from_: datetime | None = None,
        to: datetime | None = None,
    ) -> list[ClosureView]:
        """Closures not yet ended (or overlapping ``[from_, to)``) in the actor's sites (admins: all), soonest first;
        ``place``: only those set on that very place. At most :data:`MAX_LISTED`."""
        now = self.clock()
        async with self.db.read() as session:
            if actor.employee_id is None:
                return []
            sites = await managed_site_ids(session, actor.employee_id)
            if sites is not None and not sites:
                return []
            query = (
                select(Closure, Employee.name)
                .outerjoin(Employee, Employee.id == Closure.created_by_id)
                .where(Closure.end_at > (from_ or now))
                .order_by(Closure.start_at, Closure.id)
                .limit(MAX_LISTED)
            )
            if to is not None:
                query = query.where(Closure.start_at < to)
            if place is not None:
                query = query.where(_COLUMN[place.level] == place.id)
            if sites is not None:
                query = query.where(_site_of_closure().in_(sites))
            rows = (await session.execute(query)).all()
            infos: dict[PlaceRef, PlaceInfo] = {}
            views = []
            for closure, creator_name in rows:
                ref = _ref(closure)
                if ref not in infos:
                    infos[ref] = await place_info(session, ref)
                views.append(_view(closure, infos[ref], creator_name))
            return views


async def place_info(session: AsyncSession, ref: PlaceRef) -> PlaceInfo:
    """The place ``ref`` names; NotFound when there is none."""
    match ref.level:
        case PlaceLevel.SITE:
            site = await session.get(Site, ref.id)
            if site is None:
                raise NotFound("Site", ref.id)
            zones = set(
                await session.scalars(
                    select(Building.time_zone).where(Building.site_id == site.id, Building.retired_at.is_(None))
                )
            )
            zone = zones.pop() if len(zones) == 1 else DEFAULT_TIME_ZONE
            return PlaceInfo(ref, site.name, site.id, zone, site.retired_at is not None)
        case PlaceLevel.BUILDING:
            building = await session.scalar(
                select(Building).where(Building.id == ref.id).options(joinedload(Building.site))
            )
            if building is None:
                raise NotFound("Building", ref.id)
            return _in_building(ref, building, building.name, building.retired_at)
        case PlaceLevel.FLOOR:
            floor = await session.scalar(select(Floor).where(Floor.id == ref.id).options(_floor_chain()))
            if floor is None:
                raise NotFound("Floor", ref.id)
            return _in_building(ref, floor.building, _floor_name(floor), floor.retired_at)
        case PlaceLevel.ZONE:
            zone = await session.scalar(
                select(Zone).where(Zone.id == ref.id).options(joinedload(Zone.floor).options(_floor_chain()))
            )
            if zone is None:
                raise NotFound("Zone", ref.id)
            retired = zone.retired_at or zone.floor.retired_at
            return _in_building(ref, zone.floor.building, f"{_floor_name(zone.floor)} · {zone.name}", retired)
        case PlaceLevel.SPACE:
            space = await session.scalar(
                select(Space).where(Space.id == ref.id).options(joinedload(Space.floor).options(_floor_chain()))
            )
            if space is None:
                raise NotFound("Space", ref.id)
            retired = space.retired_at or space.floor.retired_at
            name = f"{_floor_name(space.floor)} · {space.name or space.code}"
            return _in_building(ref, space.floor.building, name, retired, space.kind)


def _floor_chain() -> Any:
    return joinedload(Floor.building).joinedload(Building.site)


def _floor_name(floor: Floor) -> str:
    return f"{floor.building.name} · {floor.name}"


def _in_building(
    ref: PlaceRef,
    building: Building,
    name: str,
    retired_at: datetime | None,
    kind: SpaceKind | None = None,
) -> PlaceInfo:
    retired = retired_at is not None or building.retired_at is not None or building.site.retired_at is not None
    return PlaceInfo(ref, name, building.site_id, building.time_zone, retired, kind)


def _checked_reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise InvalidInput("reason", ClosureInputCode.CLOSURE_REASON_REQUIRED)
    if len(text) > MAX_REASON_LENGTH:
        raise InvalidInput("reason", ClosureInputCode.CLOSURE_REASON_TOO_LONG, max=MAX_REASON_LENGTH)
    return text


async def _checked_place_and_times(
    session: AsyncSession, actor: Actor, request: ClosureInput, now: datetime
) -> tuple[PlaceInfo, datetime, datetime]:
    info = await place_info(session, request.place)
    await _require_manager(session, actor, info.site_id)
    start_at, end_at = _instants(request, info.time_zone)
    if end_at <= start_at:
        raise InvalidInput("endsAt", ClosureInputCode.CLOSURE_END_NOT_AFTER_START)
    if end_at <= now:
        raise InvalidInput("endsAt", ClosureInputCode.CLOSURE_IN_PAST)
    if end_at - start_at > timedelta(days=MAX_CLOSURE_DAYS):
        raise InvalidInput("endsAt", ClosureInputCode.CLOSURE_TOO_LONG, max_days=MAX_CLOSURE_DAYS)
    if info.retired:
        raise InvalidInput("placeId", ClosureInputCode.CLOSURE_PLACE_RETIRED, place=info.name)
    return info, start_at, end_at


def _instants(request: ClosureInput, zone: str) -> tuple[datetime, datetime]:
    if request.local is not None:
        return request.local.resolve(zone)
    if request.start_at is None:
        raise InvalidInput("startsAt", CommonInputCode.REQUIRED)
    if request.end_at is None:
        raise InvalidInput("endsAt", CommonInputCode.REQUIRED)
    return _utc(request.start_at), _utc(request.end_at)


def _utc(instant: datetime) -> datetime:
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)


async def _require_manager(session: AsyncSession, actor: Actor, site_id: int) -> None:
    """The CLI (no person) may; a person must manage the site or be an admin."""
    if actor.employee_id is not None:
        await require_site_manager(session, actor.employee_id, site_id)


def _ref(closure: Closure) -> PlaceRef:
    for level, column in _COLUMN.items():
        value = getattr(closure, column.key)
        if value is not None:
            return PlaceRef(level, value)
    raise ValueError(f"closure {closure.id} has no place")  # the exactly_one_scope constraint forbids it


def _site_of_closure() -> ColumnElement[int]:
    """The site of a closure's place, in SQL (the listing filters by the visitor's sites)."""
    floor_site = (
        select(Building.site_id).join(Floor, Floor.building_id == Building.id).where(Floor.id == Closure.floor_id)
    )
    zone_site = (
        select(Building.site_id)
        .join(Floor, Floor.building_id == Building.id)
        .join(Zone, Zone.floor_id == Floor.id)
        .where(Zone.id == Closure.zone_id)
    )
    space_site = (
        select(Building.site_id)
        .join(Floor, Floor.building_id == Building.id)
        .join(Space, Space.floor_id == Floor.id)
        .where(Space.id == Closure.space_id)
    )
    return func.coalesce(
        Closure.site_id,
        select(Building.site_id).where(Building.id == Closure.building_id).scalar_subquery(),
        floor_site.scalar_subquery(),
        zone_site.scalar_subquery(),
        space_site.scalar_subquery(),
    )


def _snapshot(closure: Closure, info: PlaceInfo) -> dict[str, Any]:
    return {
        "place_level": info.ref.level,
        "place_id": info.ref.id,
        "place": info.name,
        "start_at": closure.start_at,
        "end_at": closure.end_at,
        "reason": closure.reason,
    }


def _view(closure: Closure, info: PlaceInfo, creator_name: str | None) -> ClosureView:
    return ClosureView(
        id=closure.id,
        place=info,
        start_at=closure.start_at,
        end_at=closure.end_at,
        reason=closure.reason,
        created_by_id=closure.created_by_id,
        created_by_name=creator_name,
    )
