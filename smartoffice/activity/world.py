"""What the generator reads from SQL before it draws anything: places, people, booking rules, closures, and the
policy engine's facts (people, policies, calendar), each loaded in bulk with a fixed number of queries."""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.bookings.models import BookingRule
from smartoffice.people.models import Employee, PositionKind
from smartoffice.places.models import Building, Closure, Floor, OpeningHours, Space, SpaceKind, Zone, hours_on
from smartoffice.policies.day_rules import Person, PolicyView
from smartoffice.policies.facts import load_people, load_policies
from smartoffice.workcalendar.service import WorkingCalendar, load_calendar

T = TypeVar("T")

CHUNK = 5_000
"""Ids per ``IN (...)`` list: asyncpg takes at most 32,767 parameters a statement."""


@dataclass(frozen=True, slots=True)
class Rule:
    """The parts of a booking rule the generator follows."""

    check_in_opens: timedelta
    grace: timedelta
    buffer: timedelta


@dataclass(frozen=True, slots=True)
class Place:
    """A building with its hours and the local zone its days are counted in."""

    id: int
    zone: ZoneInfo
    opens_at: time
    closes_at: time
    opening_hours: OpeningHours | None

    def window(self, day: date) -> tuple[datetime, datetime] | None:
        """A whole day's booking on ``day`` (opening to closing, as UTC instants); None when closed that weekday."""
        hours = hours_on(self.opens_at, self.closes_at, self.opening_hours, day)
        if hours is None:
            return None
        opens, closes = hours
        return (
            datetime.combine(day, opens, self.zone).astimezone(UTC),
            datetime.combine(day, closes, self.zone).astimezone(UTC),
        )


@dataclass(frozen=True, slots=True)
class Room:
    id: int
    floor_id: int
    building_id: int
    capacity: int
    bookable_hours: OpeningHours | None


@dataclass(frozen=True, slots=True)
class Staff:
    """One active employee as the generator sees them: where they sit, and the engine's view of them."""

    id: int
    person: Person
    home_zones: tuple[int, ...]
    """The zones of the nearest unit on their path that has any (in their home building when it has some)."""
    home_floors: tuple[int, ...]
    home_building: int | None
    home_address_ref: str | None
    is_manager: bool
    assigned_desk: int | None


@dataclass
class World:
    """Everything the generator draws from, for the days ``first`` to ``last``."""

    first: date
    last: date
    staff: list[Staff]
    """Active employees, in id order."""
    places: dict[int, Place]
    floor_building: dict[int, int]
    desk_zone: dict[int, int | None]
    """Hot desks (bookable, not retired, not assigned) → their zone."""
    desk_floor: dict[int, int]
    zone_floor: dict[int, int]
    assigned: dict[int, tuple[int, int]]
    """Assigned desks: owner id → (desk id, floor id)."""
    rooms: list[Room]
    rules: dict[tuple[int | None, SpaceKind], Rule]
    closed: set[tuple[str, int, date]]
    """(scope, id, local day) touched by a closure; scope is ``site``, ``building``, ``floor``, ``zone``, ``space``."""
    site_of: dict[int, int]
    policies: list[PolicyView]
    calendar: WorkingCalendar

    def rule(self, building_id: int, kind: SpaceKind) -> Rule:
        return self.rules.get((building_id, kind)) or self.rules[None, kind]

    def is_closed(self, day: date, building_id: int, *scopes: tuple[str, int | None]) -> bool:
        if not self.closed:
            return False
        keys = (("site", self.site_of[building_id]), ("building", building_id), *scopes)
        return any((scope, id_, day) in self.closed for scope, id_ in keys if id_ is not None)


async def load_world(session: AsyncSession, first: date, last: date) -> World:
    monday, sunday = first - timedelta(days=first.weekday()), last + timedelta(days=6 - last.weekday())
    buildings = (
        await session.scalars(select(Building).where(Building.retired_at.is_(None)).order_by(Building.id))
    ).all()
    places = {b.id: Place(b.id, ZoneInfo(b.time_zone), b.opens_at, b.closes_at, b.opening_hours) for b in buildings}
    site_of = {b.id: b.site_id for b in buildings}
    floor_building = {
        floor: building
        for floor, building in await session.execute(
            select(Floor.id, Floor.building_id).where(Floor.building_id.in_(list(places))).order_by(Floor.id)
        )
    }
    zones = await session.execute(select(Zone.id, Zone.floor_id, Zone.org_unit_id).where(Zone.retired_at.is_(None)))
    zone_floor: dict[int, int] = {}
    unit_zones: dict[int, list[int]] = defaultdict(list)
    for zone_id, floor_id, unit_id in zones:
        if floor_id in floor_building:
            zone_floor[zone_id] = floor_id
            if unit_id is not None:
                unit_zones[unit_id].append(zone_id)
    spaces = await session.execute(
        select(Space.id, Space.kind, Space.floor_id, Space.zone_id, Space.assigned_employee_id, Space.capacity,
               Space.bookable_hours)
        .where(Space.bookable.is_(True), Space.retired_at.is_(None), Space.floor_id.in_(list(floor_building)))
        .order_by(Space.id)
    )  # fmt: skip
    desk_zone: dict[int, int | None] = {}
    desk_floor: dict[int, int] = {}
    assigned: dict[int, tuple[int, int]] = {}
    rooms: list[Room] = []
    for space_id, space_kind, floor_id, space_zone, owner, capacity, bookable_hours in spaces:
        if space_kind == SpaceKind.ROOM:
            rooms.append(Room(space_id, floor_id, floor_building[floor_id], capacity, bookable_hours))
        elif owner is not None:
            assigned.setdefault(owner, (space_id, floor_id))
        else:
            desk_zone[space_id] = space_zone if space_zone in zone_floor else None
            desk_floor[space_id] = floor_id
    rules = {
        (r.building_id, r.space_kind): Rule(
            timedelta(minutes=r.check_in_opens_minutes),
            timedelta(minutes=r.check_in_grace_minutes),
            timedelta(minutes=r.buffer_minutes),
        )
        for r in (await session.scalars(select(BookingRule))).all()
    }
    employees = (
        await session.execute(
            select(Employee.id, Employee.home_building_id, Employee.home_address_ref, Employee.position_kind)
            .where(Employee.active.is_(True))
            .order_by(Employee.id)
        )
    ).all()
    people: dict[int, Person] = {}
    for ids in _chunks([e.id for e in employees]):
        people.update(await load_people(session, ids, monday, sunday))
    staff = []
    for employee_id, home_building, home_address_ref, position_kind in employees:
        person = people[employee_id]
        zones_of = _home_zones(person.unit_path, unit_zones, zone_floor, floor_building, home_building)
        building = home_building
        if building is None and zones_of:
            building = floor_building[zone_floor[zones_of[0]]]
        staff.append(
            Staff(
                employee_id,
                person,
                zones_of,
                tuple(sorted({zone_floor[z] for z in zones_of})),
                building if building in places else None,
                home_address_ref,
                position_kind == PositionKind.MANAGERIAL,
                assigned[employee_id][0] if employee_id in assigned else None,
            )
        )
    return World(
        first=first,
        last=last,
        staff=staff,
        places=places,
        floor_building=floor_building,
        desk_zone=desk_zone,
        desk_floor=desk_floor,
        zone_floor=zone_floor,
        assigned=assigned,
        rooms=rooms,
        rules=rules,
        closed=await _closed_days(session, first, last, places, floor_building, zone_floor, site_of),
        site_of=site_of,
        policies=await load_policies(session, monday, sunday),
        calendar=await load_calendar(session, monday, sunday),
    )


def _home_zones(
    path: Sequence[int],
    unit_zones: dict[int, list[int]],
    zone_floor: dict[int, int],
    floor_building: dict[int, int],
    home_building: int | None,
) -> tuple[int, ...]:
    for unit in path:
        zones = sorted(unit_zones.get(unit, ()))
        if zones:
            at_home = [z for z in zones if floor_building[zone_floor[z]] == home_building]
            return tuple(at_home or zones)
    return ()


async def _closed_days(
    session: AsyncSession,
    first: date,
    last: date,
    places: dict[int, Place],
    floor_building: dict[int, int],
    zone_floor: dict[int, int],
    site_of: dict[int, int],
) -> set[tuple[str, int, date]]:
    """Every (scope, id, local day) a closure touches, in the zone of the building it is in."""
    since = datetime.combine(first - timedelta(days=1), time(), UTC)
    until = datetime.combine(last + timedelta(days=2), time(), UTC)
    closures = (await session.scalars(select(Closure).where(Closure.start_at < until, Closure.end_at > since))).all()
    if not closures:
        return set()
    space_floor = dict(
        (
            await session.execute(
                select(Space.id, Space.floor_id).where(Space.id.in_([c.space_id for c in closures if c.space_id]))
            )
        ).all()
    )
    closed: set[tuple[str, int, date]] = set()
    for closure in closures:
        scope, id_, buildings = _scope(closure, floor_building, zone_floor, space_floor, site_of)
        for building in buildings:
            if building not in places:
                continue
            zone = places[building].zone
            day = closure.start_at.astimezone(zone).date()
            end = (closure.end_at - timedelta(microseconds=1)).astimezone(zone).date()
            while day <= end:
                closed.add((scope, id_, day))
                day += timedelta(days=1)
    return closed


def _scope(
    closure: Closure,
    floor_building: dict[int, int],
    zone_floor: dict[int, int],
    space_floor: dict[int, int],
    site_of: dict[int, int],
) -> tuple[str, int, list[int]]:
    if closure.site_id is not None:
        return "site", closure.site_id, [b for b, site in site_of.items() if site == closure.site_id]
    if closure.building_id is not None:
        return "building", closure.building_id, [closure.building_id]
    if closure.floor_id is not None:
        return "floor", closure.floor_id, [floor_building.get(closure.floor_id, -1)]
    if closure.zone_id is not None:
        return "zone", closure.zone_id, [floor_building.get(zone_floor.get(closure.zone_id, -1), -1)]
    assert closure.space_id is not None
    return "space", closure.space_id, [floor_building.get(space_floor.get(closure.space_id, -1), -1)]


def _chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def chunked(items: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    """``items`` in lists of at most ``size``."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


__all__ = ["Place", "Room", "Rule", "Staff", "World", "chunked", "load_world"]
