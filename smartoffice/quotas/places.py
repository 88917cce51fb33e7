"""A seat quota's place: a building, floor or zone (:class:`PlaceRef` of ``bookings/place_changes.py``), its
column on ``seat_quotas``, its name, site and desks."""

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from smartoffice.bookings.place_changes import PlaceLevel, PlaceRef
from smartoffice.errors import CommonInputCode, InvalidInput, NotFound
from smartoffice.places.models import Building, Floor, Space, SpaceKind, Zone
from smartoffice.quotas.errors import QuotaInputCode
from smartoffice.quotas.models import SeatQuota

PLACE_KINDS = {PlaceLevel.BUILDING: "Building", PlaceLevel.FLOOR: "Floor", PlaceLevel.ZONE: "Zone"}
"""A quota's place, as GraphQL (and NotFound) names its type."""


def place_of(quota: SeatQuota) -> PlaceRef:
    if quota.zone_id is not None:
        return PlaceRef(PlaceLevel.ZONE, quota.zone_id)
    if quota.floor_id is not None:
        return PlaceRef(PlaceLevel.FLOOR, quota.floor_id)
    return PlaceRef(PlaceLevel.BUILDING, int(quota.building_id or 0))


def place_column(place: PlaceRef) -> InstrumentedAttribute[int | None]:
    match place.level:
        case PlaceLevel.BUILDING:
            return SeatQuota.building_id
        case PlaceLevel.FLOOR:
            return SeatQuota.floor_id
        case PlaceLevel.ZONE:
            return SeatQuota.zone_id
    raise InvalidInput("placeId", CommonInputCode.INVALID_ID, type_name="Building or Floor or Zone")


def in_or_on(place: PlaceRef) -> ColumnElement[bool]:
    """Quotas on ``place`` or on a place inside it (a building's floors and zones, a floor's zones)."""
    match place.level:
        case PlaceLevel.BUILDING:
            floors = select(Floor.id).where(Floor.building_id == place.id)
            return or_(
                SeatQuota.building_id == place.id,
                SeatQuota.floor_id.in_(floors),
                SeatQuota.zone_id.in_(select(Zone.id).where(Zone.floor_id.in_(floors))),
            )
        case PlaceLevel.FLOOR:
            return or_(
                SeatQuota.floor_id == place.id, SeatQuota.zone_id.in_(select(Zone.id).where(Zone.floor_id == place.id))
            )
        case _:
            return place_column(place) == place.id


async def live_place(session: AsyncSession, place: PlaceRef) -> tuple[int, str]:
    """The place's site id and name ("Tower 2 · Floor 3"); NotFound, or QUOTA_PLACE_RETIRED when out of use."""
    match place.level:
        case PlaceLevel.BUILDING:
            query = select(Building.site_id, Building.name, Building.retired_at).where(Building.id == place.id)
        case PlaceLevel.FLOOR:
            query = (
                select(
                    Building.site_id,
                    Building.name + " · " + Floor.name,
                    func.coalesce(Floor.retired_at, Building.retired_at),
                )
                .join(Floor, Floor.building_id == Building.id)
                .where(Floor.id == place.id)
            )
        case PlaceLevel.ZONE:
            query = (
                select(
                    Building.site_id,
                    Building.name + " · " + Floor.name + " · " + Zone.name,
                    func.coalesce(Zone.retired_at, Floor.retired_at, Building.retired_at),
                )
                .join(Floor, Floor.building_id == Building.id)
                .join(Zone, Zone.floor_id == Floor.id)
                .where(Zone.id == place.id)
            )
        case _:
            raise InvalidInput("placeId", CommonInputCode.INVALID_ID, type_name="Building or Floor or Zone")
    row = (await session.execute(query)).first()
    if row is None:
        raise NotFound(PLACE_KINDS[place.level], place.id)
    site_id, name, retired_at = row
    if retired_at is not None:
        raise InvalidInput("placeId", QuotaInputCode.QUOTA_PLACE_RETIRED, place=name)
    return int(site_id), str(name)


async def desks_in(session: AsyncSession, place: PlaceRef) -> int:
    """The place's desks that can be booked (bookable, not retired)."""
    query = select(func.count(Space.id)).where(
        Space.kind == SpaceKind.DESK, Space.bookable.is_(True), Space.retired_at.is_(None)
    )
    match place.level:
        case PlaceLevel.ZONE:
            query = query.where(Space.zone_id == place.id)
        case PlaceLevel.FLOOR:
            query = query.where(Space.floor_id == place.id)
        case _:
            query = query.join(Floor, Floor.id == Space.floor_id).where(Floor.building_id == place.id)
    return int(await session.scalar(query) or 0)
