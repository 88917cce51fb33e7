"""Who is housed in which building, in bulk: the people the demand model and the forecast count.

A person is housed in their ``Employee.home_building_id``; without one, in the building of the zones assigned to
their unit or, failing that, to its nearest ancestor with a zone. When that unit's zones lie in several buildings,
its people are shared among them in proportion to the desks of its zones in each (largest remainder, by employee
id, so the split is stable from one call to the next).

Five queries whatever the number of people: the organisations concerned, their units, their units' zones with
desk counts, the anchor days in force, and the people. Unit trees are small (hundreds of units), people many.
"""

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, or_, select, union
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.people.models import Employee, OrgUnit
from smartoffice.places.models import Floor, Space, SpaceKind, Zone
from smartoffice.policies.models import AnchorDay


@dataclass(frozen=True, slots=True)
class UnitInfo:
    id: int
    code: str
    name: str
    parent_id: int | None
    organisation_id: int


@dataclass(frozen=True, slots=True)
class Housed:
    employee_id: int
    unit_id: int
    """The person's own unit."""
    planning_unit_id: int
    """The unit whose anchor days the person follows (see :mod:`smartoffice.planning.demand`)."""
    building_id: int


@dataclass(frozen=True, slots=True)
class Housing:
    people: list[Housed]
    """Active people housed in the buildings asked about, by employee id."""
    units: Mapping[int, UnitInfo]
    """Every unit of the organisations concerned."""
    anchor_weekdays: Mapping[int, frozenset[int]]
    """Units with anchor days in force in the first week of the range, and those weekdays (their own, not
    inherited): what :attr:`Housed.planning_unit_id` follows."""
    anchor_rows: tuple[tuple[int, int, date, date | None], ...] = ()
    """``(unit, weekday, effective from, until)`` of every anchor day in force some day of the range."""

    def anchors_in(self, monday: date) -> dict[int, frozenset[int]]:
        """Each unit's own anchor weekdays in force some day of the week of ``monday``."""
        return self.anchors_in_range(monday, monday + timedelta(days=6))

    def anchors_in_range(self, first: date, last: date) -> dict[int, frozenset[int]]:
        """Each unit's own anchor weekdays in force some day of ``[first, last]``."""
        weekdays: dict[int, set[int]] = defaultdict(set)
        for unit_id, weekday, starts, ends in self.anchor_rows:
            if starts <= last and (ends is None or ends >= first):
                weekdays[unit_id].add(weekday)
        return {unit: frozenset(days) for unit, days in weekdays.items()}


def unit_path(unit_id: int, units: Mapping[int, UnitInfo]) -> list[int]:
    """The unit, then its ancestors (a cycle, which the data should never hold, ends the walk)."""
    path: list[int] = []
    current: int | None = unit_id
    while current is not None and current not in path:
        path.append(current)
        current = units[current].parent_id if current in units else None
    return path


def planning_unit(unit_id: int, units: Mapping[int, UnitInfo], anchors: Mapping[int, frozenset[int]]) -> int:
    """The nearest unit on the path with anchor days of its own, else the unit itself (as the engine inherits)."""
    return next((u for u in unit_path(unit_id, units) if u in anchors), unit_id)


async def load_housing(session: AsyncSession, building_ids: Collection[int], first: date, last: date) -> Housing:
    """The active people housed in ``building_ids`` (not left before ``first``), with the anchor days in force
    some day of ``[first, last]`` (``first`` a Monday; planning units follow the first week's)."""
    buildings = sorted(set(building_ids))
    if not buildings:
        return Housing([], {}, {})
    zoned_orgs = (
        select(OrgUnit.organisation_id)
        .join(Zone, Zone.org_unit_id == OrgUnit.id)
        .join(Floor, Zone.floor_id == Floor.id)
        .where(Floor.building_id.in_(buildings), Zone.retired_at.is_(None))
    )
    homed_orgs = (
        select(OrgUnit.organisation_id)
        .join(Employee, Employee.org_unit_id == OrgUnit.id)
        .where(Employee.home_building_id.in_(buildings), Employee.active)
    )
    organisations = set(await session.scalars(union(zoned_orgs, homed_orgs)))
    if not organisations:
        return Housing([], {}, {})
    units = {
        unit_id: UnitInfo(unit_id, code, name, parent, organisation)
        for unit_id, code, name, parent, organisation in await session.execute(
            select(OrgUnit.id, OrgUnit.code, OrgUnit.name, OrgUnit.parent_id, OrgUnit.organisation_id).where(
                OrgUnit.organisation_id.in_(organisations)
            )
        )
    }
    desks_of_zones = await _zone_desks(session, organisations)
    anchor_rows = await _anchor_rows(session, organisations, first, last)
    housing = Housing([], units, {}, anchor_rows)
    anchors = housing.anchors_in(first)

    # Each unit's housing: the buildings (with desk weights) of the nearest unit on its path that has zones.
    homes: dict[int, dict[int, int]] = {}
    for unit_id in units:
        zoned = next((u for u in unit_path(unit_id, units) if u in desks_of_zones), None)
        if zoned is not None:
            homes[unit_id] = desks_of_zones[zoned]
    housed_units = sorted(u for u, weights in homes.items() if any(b in buildings for b in weights))

    rows = await session.execute(
        select(Employee.id, Employee.org_unit_id, Employee.home_building_id)
        .where(
            Employee.active,
            or_(Employee.left_on.is_(None), Employee.left_on >= first),
            or_(
                Employee.home_building_id.in_(buildings),
                Employee.home_building_id.is_(None) & Employee.org_unit_id.in_(housed_units),
            ),
        )
        .order_by(Employee.id)
    )
    people: list[Housed] = []
    homeless: dict[int, list[int]] = defaultdict(list)
    for employee_id, unit_id, home in rows:
        if unit_id not in units:
            continue
        if home is not None:
            people.append(Housed(employee_id, unit_id, planning_unit(unit_id, units, anchors), home))
        else:
            homeless[unit_id].append(employee_id)
    wanted = set(buildings)
    for unit_id, employees in homeless.items():
        planned = planning_unit(unit_id, units, anchors)
        for employee_id, building_id in zip(employees, _share(len(employees), homes[unit_id]), strict=True):
            if building_id in wanted:
                people.append(Housed(employee_id, unit_id, planned, building_id))
    people.sort(key=lambda p: p.employee_id)
    return Housing(people, units, anchors, anchor_rows)


def _share(count: int, weights: Mapping[int, int]) -> list[int]:
    """``count`` buildings drawn from ``weights`` in proportion (largest remainder), in building order."""
    ordered = sorted(weights)
    total = sum(weights.values())
    exact = {b: count * weights[b] / total if total else count / len(ordered) for b in ordered}
    whole = {b: int(exact[b]) for b in ordered}
    left = count - sum(whole.values())
    for b in sorted(ordered, key=lambda b: (-(exact[b] - whole[b]), b))[:left]:
        whole[b] += 1
    return [b for b in ordered for _ in range(whole[b])]


async def _zone_desks(session: AsyncSession, organisations: Collection[int]) -> dict[int, dict[int, int]]:
    """``unit → building → weight`` for units with zones: the desks of its zones there (at least 1 per zone, so a
    zone still without desks houses its unit)."""
    desks = (
        select(Space.zone_id, func.count().label("desks"))
        .where(Space.kind == SpaceKind.DESK, Space.retired_at.is_(None), Space.zone_id.is_not(None))
        .group_by(Space.zone_id)
        .subquery()
    )
    rows = await session.execute(
        select(Zone.org_unit_id, Floor.building_id, func.coalesce(desks.c.desks, 0))
        .join(Floor, Zone.floor_id == Floor.id)
        .join(OrgUnit, Zone.org_unit_id == OrgUnit.id)
        .outerjoin(desks, desks.c.zone_id == Zone.id)
        .where(OrgUnit.organisation_id.in_(organisations), Zone.retired_at.is_(None), Floor.retired_at.is_(None))
    )
    weights: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for unit_id, building_id, count in rows:
        weights[unit_id][building_id] += max(1, count)
    return {unit: dict(buildings) for unit, buildings in weights.items()}


async def _anchor_rows(
    session: AsyncSession, organisations: Collection[int], first: date, last: date
) -> tuple[tuple[int, int, date, date | None], ...]:
    rows = await session.execute(
        select(AnchorDay.org_unit_id, AnchorDay.weekday, AnchorDay.effective_from, AnchorDay.effective_until)
        .join(OrgUnit, AnchorDay.org_unit_id == OrgUnit.id)
        .where(
            OrgUnit.organisation_id.in_(organisations),
            AnchorDay.effective_from <= last,
            or_(AnchorDay.effective_until.is_(None), AnchorDay.effective_until >= first),
        )
    )
    return tuple((unit_id, weekday, starts, ends) for unit_id, weekday, starts, ends in rows)


async def desks_by_building(session: AsyncSession, building_ids: Collection[int]) -> dict[int, int]:
    """Desks (not retired, on floors not retired) per building; a building without desks maps to 0."""
    rows = await session.execute(
        select(Floor.building_id, func.count(Space.id))
        .join(Space, Space.floor_id == Floor.id)
        .where(
            Floor.building_id.in_(sorted(set(building_ids))),
            Floor.retired_at.is_(None),
            Space.kind == SpaceKind.DESK,
            Space.retired_at.is_(None),
        )
        .group_by(Floor.building_id)
    )
    desks = dict.fromkeys(building_ids, 0)
    desks.update({building: count for building, count in rows})
    return desks
