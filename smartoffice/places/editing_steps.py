"""The steps of the places editor that run inside its transactions: loading a place with its site, the unique
codes, the people and units a place names, the audit snapshots, and which bookings a change takes away."""

from collections.abc import Sequence
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from smartoffice.bookings.checks import bookable_hours
from smartoffice.bookings.models import Booking
from smartoffice.errors import InvalidInput, NotFound
from smartoffice.people.models import Employee, OrgUnit
from smartoffice.places.errors import PlaceInputCode
from smartoffice.places.models import Building, Floor, Site, Space, SpaceKind, Zone, room_approvers

Place = Site | Building | Floor | Zone | Space

KIND_NAMES = {Site: "Site", Building: "Building", Floor: "Floor", Zone: "Zone"}
"""Entity kinds in the audit log and NotFound, as GraphQL spells them (spaces: Desk or MeetingRoom)."""


def kind_name(place: Place) -> str:
    if isinstance(place, Space):
        return "Desk" if place.kind == SpaceKind.DESK else "MeetingRoom"
    return KIND_NAMES[type(place)]


async def load_place(
    session: AsyncSession, model: type[Place], ident: int, *, lock: bool = True, share: bool = False
) -> Place:
    """The place with what names its site loaded (a space: floor and building; a zone: floor and building ...).

    ``lock`` takes the row's lock (PostgreSQL), so two editors of one place take turns; ``share`` a share lock
    instead, for a parent that gets a new child: retiring the parent (or, in bulk, the place above it) waits for
    it, or it waits for the retirement and then sees it, so no live child lands under a retired parent.
    Raises NotFound."""
    query: Select[Any] = select(model).where(model.id == ident)
    if model is Floor:
        query = query.options(joinedload(Floor.building))
    elif model is Zone or model is Space:
        query = query.options(joinedload(model.floor).joinedload(Floor.building))
    if share:
        query = query.with_for_update(of=model, read=True)
    elif lock:
        query = query.with_for_update(of=model)
    place: Place | None = (await session.scalars(query)).unique().one_or_none()
    if place is None:
        raise NotFound(KIND_NAMES.get(model, "Space"), ident)
    return place


def site_id_of(place: Place) -> int:
    if isinstance(place, Site):
        return place.id
    if isinstance(place, Building):
        return place.site_id
    if isinstance(place, Floor):
        return place.building.site_id
    return place.floor.building.site_id


def is_retired(place: Place) -> bool:
    """Retired itself or through a parent (its floor or building, as far as loaded)."""
    if place.retired_at is not None:
        return True
    if isinstance(place, Floor):
        return place.building.retired_at is not None
    if isinstance(place, Zone | Space):
        return place.floor.retired_at is not None or place.floor.building.retired_at is not None
    return False


def refuse_retired(place: Place) -> None:
    if is_retired(place):
        raise InvalidInput("id", PlaceInputCode.PLACE_IS_RETIRED)


async def check_unique(
    session: AsyncSession,
    model: type[Place],
    same_parent: ColumnElement[bool],
    column: Any,
    value: object,
    own_id: int | None,
) -> None:
    """Refuse ``value`` (a code, a level) held by another row under the same parent: live
    (``*_TAKEN``) or retired (``*_RETIRED``: the unique keys include retired rows, whose history keeps them)."""
    query = select(model.retired_at).where(same_parent, column == value)
    if own_id is not None:
        query = query.where(model.id != own_id)
    found = (await session.execute(query.limit(1))).first()
    if found is None:
        return
    code: PlaceInputCode
    if column is Floor.level:
        code = PlaceInputCode.PLACE_LEVEL_RETIRED if found[0] else PlaceInputCode.PLACE_LEVEL_TAKEN
        raise InvalidInput("level", code, level=value)
    code = PlaceInputCode.PLACE_CODE_RETIRED if found[0] else PlaceInputCode.PLACE_CODE_TAKEN
    raise InvalidInput("code", code, value=value)


async def check_person(session: AsyncSession, employee_id: int, field_name: str) -> None:
    employee = await session.get(Employee, employee_id)
    if employee is None:
        raise InvalidInput(field_name, PlaceInputCode.PLACE_PERSON_NOT_FOUND)
    if not employee.active:
        raise InvalidInput(field_name, PlaceInputCode.PLACE_PERSON_INACTIVE)


async def check_org_unit(session: AsyncSession, org_unit_id: int | None) -> None:
    if org_unit_id is not None and await session.get(OrgUnit, org_unit_id) is None:
        raise InvalidInput("orgUnitId", PlaceInputCode.PLACE_ORG_UNIT_NOT_FOUND)


async def check_zone(session: AsyncSession, zone_id: int | None, floor_id: int) -> None:
    """The zone exists, is not retired, and is on the space's floor."""
    if zone_id is None:
        return
    zone = await session.get(Zone, zone_id)
    if zone is None or zone.floor_id != floor_id or zone.retired_at is not None:
        raise InvalidInput("zoneId", PlaceInputCode.PLACE_ZONE_NOT_FOUND)


async def approver_ids(session: AsyncSession, space_id: int) -> tuple[int, ...]:
    rows = await session.scalars(
        select(room_approvers.c.employee_id)
        .where(room_approvers.c.space_id == space_id)
        .order_by(room_approvers.c.employee_id)
    )
    return tuple(rows)


def snapshot(place: Place, **extra: Any) -> dict[str, Any]:
    """The place's columns (and ``extra``, e.g. a room's approvers), for the audit log."""
    values = {attr.key: getattr(place, attr.key) for attr in place.__mapper__.column_attrs}
    times = {key: f"{value:%H:%M}" for key, value in values.items() if isinstance(value, time)}  # not JSON by itself
    return {**values, **times, **extra}


def retire_below(place: Place, now: datetime) -> list[Any]:
    """The statements that retire what lies below ``place`` (what is not retired yet), top down."""
    statements: list[Any] = []
    floors: Select[Any] | None = None
    if isinstance(place, Site):
        statements.append(_retire(Building, Building.site_id == place.id, now))
        floors = select(Floor.id).where(Floor.building_id.in_(select(Building.id).where(Building.site_id == place.id)))
    elif isinstance(place, Building):
        floors = select(Floor.id).where(Floor.building_id == place.id)
    elif isinstance(place, Floor):
        floors = select(Floor.id).where(Floor.id == place.id)
    if floors is not None:
        if not isinstance(place, Floor):
            statements.append(_retire(Floor, Floor.id.in_(floors), now))
        statements.append(_retire(Zone, Zone.floor_id.in_(floors), now))
        statements.append(_retire(Space, Space.floor_id.in_(floors), now))
    elif isinstance(place, Zone):
        statements.append(_retire(Space, Space.zone_id == place.id, now))
    return statements


def _retire(model: type[Place], where: ColumnElement[bool], now: datetime) -> Any:
    return (
        update(model)
        .where(where, model.retired_at.is_(None))
        .values(retired_at=now)
        .execution_options(synchronize_session=False)
    )


def taken_away(booking: Booking, *, newly_assigned: bool, hours_changed: bool) -> bool:
    """Whether the space's new state (set on the ORM objects, not yet flushed) leaves no room for ``booking``:
    the space is retired or not bookable, a desk now assigned to someone else, a room now too small, or (when
    ``hours_changed``) the booking now lies outside the space's hours."""
    space = booking.space
    if is_retired(space) or not space.bookable:
        return True
    if newly_assigned and space.assigned_employee_id not in (None, booking.employee_id):
        return True
    if space.kind == SpaceKind.ROOM and (booking.attendee_count or 0) > space.capacity:
        return True
    return hours_changed and _outside_hours(booking, space)


def _outside_hours(booking: Booking, space: Space) -> bool:
    zone = ZoneInfo(space.floor.building.time_zone)
    start, end = booking.start_at.astimezone(zone), booking.end_at.astimezone(zone)
    try:
        opens, closes = bookable_hours(space, start.date())
    except InvalidInput:  # closed that weekday, or the room not bookable that day
        return True
    return end.date() != start.date() or start.time() < opens or end.time() > closes


def cancelled_ids(bookings: Sequence[Booking]) -> list[int]:
    return [b.id for b in bookings]
