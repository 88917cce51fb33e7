"""What the facilities console's quota form offers: holders (organisations and their units) and places."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.bookings.place_changes import PlaceLevel
from smartoffice.people.models import Organisation, OrgUnit
from smartoffice.places.models import Building, Floor, Zone
from smartoffice.quotas.holders import HolderKind


@dataclass(frozen=True, slots=True)
class HolderChoice:
    kind: HolderKind
    id: int
    name: str
    level: int
    """0 for the organisation itself, else the unit's level (1 = Eselon I ...)."""


@dataclass(frozen=True, slots=True)
class PlaceChoice:
    level: PlaceLevel
    id: int
    name: str
    """"Tower 2", "Tower 2 · Floor 3", "Tower 2 · Floor 3 · Zone A"."""


@dataclass(frozen=True, slots=True)
class QuotaChoices:
    holders: Sequence[tuple[str, Sequence[HolderChoice]]]
    """By organisation (its name): the organisation, then its units by level and name."""
    places: Sequence[tuple[str, Sequence[PlaceChoice]]]
    """By building (its name): the building, its floors, each floor's zones; not retired, sites the actor manages."""


async def quota_choices(session: AsyncSession, managed: frozenset[int] | None) -> QuotaChoices:
    """Every organisation and unit; the places (not retired) of the sites in ``managed`` (``None``: every site)."""
    organisations = (await session.scalars(select(Organisation).order_by(Organisation.name))).all()
    units = (await session.scalars(select(OrgUnit).order_by(OrgUnit.level, OrgUnit.name))).all()
    buildings_query = select(Building).where(Building.retired_at.is_(None)).order_by(Building.name)
    if managed is not None:
        buildings_query = buildings_query.where(Building.site_id.in_(managed))
    buildings = (await session.scalars(buildings_query)).all()
    floors = (
        await session.scalars(
            select(Floor)
            .where(Floor.building_id.in_([b.id for b in buildings]), Floor.retired_at.is_(None))
            .order_by(Floor.level)
        )
    ).all()
    zones = (
        await session.scalars(
            select(Zone).where(Zone.floor_id.in_([f.id for f in floors]), Zone.retired_at.is_(None)).order_by(Zone.name)
        )
    ).all()
    holders = [
        (
            o.name,
            [HolderChoice(HolderKind.ORGANISATION, o.id, o.name, 0)]
            + [HolderChoice(HolderKind.UNIT, u.id, u.name, u.level) for u in units if u.organisation_id == o.id],
        )
        for o in organisations
    ]
    places = []
    for b in buildings:
        options = [PlaceChoice(PlaceLevel.BUILDING, b.id, b.name)]
        for f in (f for f in floors if f.building_id == b.id):
            options.append(PlaceChoice(PlaceLevel.FLOOR, f.id, f"{b.name} · {f.name}"))
            options.extend(
                PlaceChoice(PlaceLevel.ZONE, z.id, f"{b.name} · {f.name} · {z.name}")
                for z in zones
                if z.floor_id == f.id
            )
        places.append((b.name, options))
    return QuotaChoices(holders, places)
