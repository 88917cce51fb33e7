"""Reading places; editing them is the places editor's (``places/editing.py``).

Listings leave retired places out (:func:`live`): a retired site, building, floor, zone or space keeps its history
(bookings still name it, ``get_space`` still finds it) but is no longer shown.

:class:`PlaceService` owns its transactions; the module-level functions are the steps other domains' services
run inside their own sessions (a booking locks its space with :func:`get_space`).
"""

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time
from types import MappingProxyType
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from smartoffice.db import Database
from smartoffice.errors import NotFound
from smartoffice.places.models import Building, Floor, OpeningHours, Site, Space, SpaceKind, Zone, hours_on

M = TypeVar("M", Building, Floor, Zone, Space)
T = TypeVar("T")


class PlaceService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def sites(self) -> Sequence[Site]:
        """Every site with its buildings and their floors (three queries, whatever the counts)."""
        async with self.db.read() as session:
            return await list_sites(session)

    async def space(self, space_id: int, kind: SpaceKind | None = None) -> Space:
        """A space with its floor and building loaded; ``kind`` narrows it. Raises NotFound."""
        async with self.db.read() as session:
            return await get_space(session, space_id, kind)

    # Batches for the per-request DataLoaders: one IN query each, in a short session of its own, so that
    # concurrent batches never share a session.

    async def by_id(self, model: type[M], ids: Sequence[int]) -> dict[int, M]:
        """Buildings, floors, zones or spaces by id; missing ids are absent."""
        async with self.db.read() as session:
            return {row.id: row for row in await session.scalars(select(model).where(model.id.in_(ids)))}

    async def buildings_by_site_id(self, ids: Sequence[int]) -> list[list[Building]]:
        query = select(Building).where(Building.site_id.in_(ids), live(Building)).order_by(Building.code)
        async with self.db.read() as session:
            return _group(await session.scalars(query), ids, lambda b: b.site_id)

    async def floors_by_building_id(self, ids: Sequence[int]) -> list[list[Floor]]:
        query = select(Floor).where(Floor.building_id.in_(ids), live(Floor)).order_by(Floor.level)
        async with self.db.read() as session:
            return _group(await session.scalars(query), ids, lambda f: f.building_id)

    async def zones_by_floor_id(self, ids: Sequence[int]) -> list[list[Zone]]:
        query = select(Zone).where(Zone.floor_id.in_(ids), live(Zone)).order_by(Zone.code)
        async with self.db.read() as session:
            return _group(await session.scalars(query), ids, lambda z: z.floor_id)

    async def spaces_by_zone_id(self, ids: Sequence[int]) -> list[list[Space]]:
        query = select(Space).where(Space.zone_id.in_(ids), live(Space)).order_by(Space.code)
        async with self.db.read() as session:
            return _group(await session.scalars(query), ids, lambda s: s.zone_id or 0)

    async def spaces_by_floor_id(self, ids: Sequence[int]) -> list[list[Space]]:
        query = select(Space).where(Space.floor_id.in_(ids), live(Space)).order_by(Space.code)
        async with self.db.read() as session:
            return _group(await session.scalars(query), ids, lambda s: s.floor_id)


def _group(rows: Iterable[T], ids: Sequence[int], key: Callable[[T], int]) -> list[list[T]]:
    """Rows grouped under each of ``ids``, in the order of ``ids`` (an empty list where none)."""
    groups: dict[int, list[T]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return [groups.get(i, []) for i in ids]


def live(model: type[Site | Building | Floor | Zone | Space]) -> ColumnElement[bool]:
    """Not retired (the place itself; listings reach it through live parents only)."""
    return model.retired_at.is_(None)


def _live_tree() -> Any:
    """Load a site's live buildings and their live floors."""
    return selectinload(Site.buildings.and_(live(Building))).selectinload(Building.floors.and_(live(Floor)))


async def list_sites(session: AsyncSession, site_ids: Iterable[int] | None = None) -> Sequence[Site]:
    """Every live site (or those of ``site_ids``) with its live buildings and their live floors (three queries,
    whatever the counts)."""
    query = select(Site).where(live(Site)).options(_live_tree()).order_by(Site.code)
    if site_ids is not None:
        query = query.where(Site.id.in_(list(site_ids)))
    return (await session.scalars(query)).all()


async def get_site(session: AsyncSession, site_id: int) -> Site:
    query = select(Site).where(Site.id == site_id).options(selectinload(Site.buildings).selectinload(Building.floors))
    site = await session.scalar(query)
    if site is None:
        raise NotFound("Site", site_id)
    return site


async def get_building(session: AsyncSession, building_id: int) -> Building:
    query = select(Building).where(Building.id == building_id).options(selectinload(Building.floors))
    building = await session.scalar(query)
    if building is None:
        raise NotFound("Building", building_id)
    return building


async def get_floor(session: AsyncSession, floor_id: int) -> Floor:
    """A floor with its building (for the time zone and opening hours) and its zones."""
    query = select(Floor).where(Floor.id == floor_id).options(joinedload(Floor.building), selectinload(Floor.zones))
    floor = await session.scalar(query)
    if floor is None:
        raise NotFound("Floor", floor_id)
    return floor


async def list_spaces(
    session: AsyncSession, floor_ids: Sequence[int], kind: SpaceKind | None = None
) -> Sequence[Space]:
    query = select(Space).where(Space.floor_id.in_(floor_ids), live(Space)).order_by(Space.floor_id, Space.code)
    if kind is not None:
        query = query.where(Space.kind == kind)
    return (await session.scalars(query)).all()


SPACE_TYPE_NAMES = {SpaceKind.DESK: "Desk", SpaceKind.ROOM: "MeetingRoom"}
"""The public type of a space's id (``smartoffice/ids.py``), by its kind."""


@functools.cache
def _space_query(lock: bool) -> Select[Space]:
    """``get_space``'s statement, built once per shape with a bound ``space_id``: building it (and its cache key,
    with the joined loads) cost about as much CPU as running it."""
    query = (
        select(Space)
        .where(Space.id == bindparam("space_id"))
        .options(joinedload(Space.floor).joinedload(Floor.building))
    )
    return query.with_for_update(of=Space, key_share=True) if lock else query


async def get_space(
    session: AsyncSession, space_id: int, kind: SpaceKind | None = None, *, lock: bool = False
) -> Space:
    """A space with its floor and building loaded. ``kind`` narrows it: a room asked for as a desk is not found.

    ``lock`` also takes the space's row lock (``FOR NO KEY UPDATE``, PostgreSQL) in the same round trip.
    """
    space = await session.scalar(_space_query(lock), {"space_id": space_id})
    if space is None or (kind is not None and space.kind != kind):
        raise NotFound(SPACE_TYPE_NAMES[kind] if kind else "Space", space_id)
    return space


@dataclass(frozen=True, slots=True)
class LiveBuilding:
    """A building that is not retired, as the desk searches read it (``bookings/nearby.py``, the week's suggestions)."""

    id: int
    name: str
    code: str
    time_zone: str
    opens_at: time
    closes_at: time
    opening_hours: OpeningHours | None

    def hours_on(self, day: date) -> tuple[time, time] | None:
        return hours_on(self.opens_at, self.closes_at, self.opening_hours, day)


async def live_buildings(session: AsyncSession) -> Mapping[int, LiveBuilding]:
    """Every building not retired, by id (read-only: the policy-facts cache shares it)."""
    rows = await session.execute(
        select(
            Building.id,
            Building.name,
            Building.code,
            Building.time_zone,
            Building.opens_at,
            Building.closes_at,
            Building.opening_hours,
        ).where(Building.retired_at.is_(None))
    )
    return MappingProxyType({r.id: LiveBuilding(*r) for r in rows})
