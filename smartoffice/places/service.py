"""Reading places. Editing them (the facilities pages) comes with the places editor."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from smartoffice.errors import NotFound
from smartoffice.places.models import Building, Floor, Site, Space, SpaceKind


async def list_sites(session: AsyncSession) -> Sequence[Site]:
    """Every site with its buildings and their floors (three queries, whatever the counts)."""
    query = select(Site).options(selectinload(Site.buildings).selectinload(Building.floors)).order_by(Site.code)
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
    query = select(Space).where(Space.floor_id.in_(floor_ids)).order_by(Space.floor_id, Space.code)
    if kind is not None:
        query = query.where(Space.kind == kind)
    return (await session.scalars(query)).all()


async def get_space(
    session: AsyncSession, space_id: int, kind: SpaceKind | None = None, *, lock: bool = False
) -> Space:
    """A space with its floor and building loaded. ``kind`` narrows it: a room asked for as a desk is not found.

    ``lock`` also takes the space's row lock (``FOR NO KEY UPDATE``, PostgreSQL) in the same round trip.
    """
    query = select(Space).where(Space.id == space_id).options(joinedload(Space.floor).joinedload(Floor.building))
    if lock:
        query = query.with_for_update(of=Space, key_share=True)
    space = await session.scalar(query)
    if space is None or (kind is not None and space.kind != kind):
        raise NotFound("Desk" if kind == SpaceKind.DESK else "Space", space_id)
    return space
