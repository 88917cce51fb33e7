"""Loading what the engine needs from SQL, in bulk: people, the policies of a date range, and attendance.

Each loader takes many employees at once and runs a fixed number of ``IN (...)`` queries, so a unit's compliance
for a week costs the same few queries as one person's week.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.people.models import Employee, OrgUnit
from smartoffice.places.models import Building, Floor, Space, SpaceKind, Zone
from smartoffice.policies.day_rules import Case, ExemptionView, Person, PolicyView
from smartoffice.policies.engine import Attendance
from smartoffice.policies.models import (
    AnchorDay,
    CaseStatus,
    DisciplineCase,
    Exemption,
    ExemptionStatus,
    PerformanceRating,
    Policy,
    PolicyLevel,
    Rating,
    WorkDay,
    WorkMode,
)
from smartoffice.policies.rules import parse_rules

if TYPE_CHECKING:
    from smartoffice.policies.shared_facts import PolicyFactsView

PLANNED_OFFICE = (BookingStatus.BOOKED, BookingStatus.CHECKED_IN)


def policy_view(policy: Policy) -> PolicyView:
    return PolicyView(
        id=policy.id,
        code=policy.code,
        name=policy.name,
        level=PolicyLevel(policy.level),
        is_overlay=policy.is_overlay,
        legal_basis=policy.legal_basis,
        effective_from=policy.effective_from,
        effective_until=policy.effective_until,
        rules=parse_rules(policy.rules),
        organisation_id=policy.organisation_id,
        org_unit_id=policy.org_unit_id,
        position_kind=policy.position_kind,
        position_level=policy.position_level,
        employment_type=policy.employment_type,
        building_id=policy.building_id,
        employee_id=policy.employee_id,
    )


async def load_policies(session: AsyncSession, first: date, last: date) -> list[PolicyView]:
    """Every policy in force on some day of ``[first, last]`` (scope is matched per person by the engine)."""
    return await _load(session, first, last)


WHOLE_TABLE_FROM = 2_000
"""From this many people on, :func:`load_policies_for` reads every policy in force instead of filtering in SQL."""


async def load_policies_for(
    session: AsyncSession,
    first: date,
    last: date,
    persons: Iterable[Person],
    shared: "PolicyFactsView | None" = None,
) -> list[PolicyView]:
    """The policies in force in ``[first, last]`` that may apply to one of ``persons``: a superset of what
    :meth:`PolicyView.applies_to` accepts, cut down in SQL by organisation, unit path, home building and person
    (a deployment has hundreds of unit policies; one person's week needs a handful). With ``shared``, the same
    list from the process's cache (:mod:`smartoffice.policies.shared_facts`)."""
    if shared is not None:
        return await shared.policies_for(session, first, last, persons)
    people = list(persons)
    if not people:
        return []
    if len(people) > WHOLE_TABLE_FROM:
        # Thousands of people name most units and the IN lists would outgrow a statement's parameters (asyncpg:
        # 32,767); the policies in force are a few hundred rows, so read them all (still a superset).
        return await _load(session, first, last)

    def among(column: Any, values: set[int]) -> ColumnElement[bool]:
        return or_(column.is_(None), column.in_(sorted(values)))

    return await _load(
        session,
        first,
        last,
        among(Policy.organisation_id, {p.organisation_id for p in people}),
        among(Policy.org_unit_id, {unit for p in people for unit in p.unit_path}),
        among(Policy.building_id, {building for p in people for building in p.building_ids}),
        among(Policy.employee_id, {p.id for p in people}),
    )


async def load_building_policies(session: AsyncSession, first: date, last: date, building_id: int) -> list[PolicyView]:
    """The policies in force in ``[first, last]`` that are about a building as such: scoped to no organisation,
    unit, position, employment type or person, and to this building or none (what an occupancy cap can come
    from). Filtered in SQL: a deployment has hundreds of unit policies that a booking need not read."""
    return await _load(
        session,
        first,
        last,
        Policy.organisation_id.is_(None),
        Policy.org_unit_id.is_(None),
        Policy.position_kind.is_(None),
        Policy.position_level.is_(None),
        Policy.employment_type.is_(None),
        Policy.employee_id.is_(None),
        or_(Policy.building_id.is_(None), Policy.building_id == building_id),
    )


async def _load(session: AsyncSession, first: date, last: date, *scope: ColumnElement[bool]) -> list[PolicyView]:
    rows = await session.scalars(
        select(Policy)
        .where(
            Policy.effective_from <= last,
            or_(Policy.effective_until.is_(None), Policy.effective_until >= first),
            *scope,
        )
        .order_by(Policy.level, Policy.effective_from, Policy.id)
    )
    return [policy_view(policy) for policy in rows]


async def load_people(
    session: AsyncSession,
    employee_ids: Iterable[int],
    first: date,
    last: date,
    shared: "PolicyFactsView | None" = None,
    known: Iterable[Employee] = (),
) -> dict[int, Person]:
    """The engine's view of each employee for the days ``[first, last]`` (unknown ids are left out). With
    ``shared``, the unit tree, home buildings and anchor days come from the process's cache; ``known``: employee
    rows the caller has already read in this transaction (not read again)."""
    ids = sorted(set(employee_ids))
    already = {e.id: e for e in known if e.id in set(ids)}
    missing = [i for i in ids if i not in already]
    employees = [*already.values()]
    if missing:
        employees += (await session.scalars(select(Employee).where(Employee.id.in_(missing)))).all()
    if not employees:
        return {}
    structure = await shared.structure(session) if shared is not None else None
    units: Mapping[int, tuple[int | None, int]]
    units = structure.units if structure else await _units_of(session, {e.org_unit_id for e in employees})
    paths = {e.org_unit_id: _path(e.org_unit_id, units) for e in employees}
    all_units = {unit for path in paths.values() for unit in path}
    if structure is not None:
        buildings: Mapping[int, Iterable[int]] = structure.home_buildings
        anchors = structure.anchor_weekdays(all_units, first, last)
    else:
        buildings = await _home_buildings(session, all_units)
        anchors = await _anchor_weekdays(session, all_units, first, last)
    cases = await _cases(session, ids)
    ratings = await _latest_ratings(session, ids)
    exemptions = await _approved_exemptions(session, ids, first, last)
    people = {}
    for employee in employees:
        path = paths[employee.org_unit_id]
        people[employee.id] = Person(
            id=employee.id,
            organisation_id=units[employee.org_unit_id][1],
            unit_path=path,
            position_kind=employee.position_kind,
            position_level=employee.position_level,
            employment_type=employee.employment_type,
            placed_on=employee.placed_on,
            supervisor_id=employee.supervisor_id,
            building_ids=frozenset(b for unit in path for b in buildings.get(unit, ())),
            cases=tuple(cases.get(employee.id, ())),
            latest_rating=ratings.get(employee.id),
            exemptions=tuple(exemptions.get(employee.id, ())),
            anchor_weekdays=next((anchors[unit] for unit in path if unit in anchors), frozenset()),
        )
    return people


async def _units_of(session: AsyncSession, unit_ids: set[int]) -> dict[int, tuple[int | None, int]]:
    """``unit id → (parent id, organisation id)`` for the units' whole organisations (unit trees are small)."""
    organisations = select(OrgUnit.organisation_id).where(OrgUnit.id.in_(unit_ids))
    rows = await session.execute(
        select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.organisation_id).where(OrgUnit.organisation_id.in_(organisations))
    )
    return {unit: (parent, organisation) for unit, parent, organisation in rows}


def _path(unit_id: int, units: Mapping[int, tuple[int | None, int]]) -> tuple[int, ...]:
    path: list[int] = []
    current: int | None = unit_id
    while current is not None and current not in path:
        path.append(current)
        current = units[current][0] if current in units else None
    return tuple(path)


async def _home_buildings(session: AsyncSession, unit_ids: set[int]) -> dict[int, set[int]]:
    rows = await session.execute(
        select(Zone.org_unit_id, Floor.building_id)
        .join(Floor, Zone.floor_id == Floor.id)
        .where(Zone.org_unit_id.in_(unit_ids))
    )
    buildings: dict[int, set[int]] = defaultdict(set)
    for unit, building in rows:
        if unit is not None:
            buildings[unit].add(building)
    return buildings


async def _anchor_weekdays(
    session: AsyncSession, unit_ids: set[int], first: date, last: date
) -> dict[int, frozenset[int]]:
    """Each unit's anchor weekdays in force in the range (a weekday counts if its row is in force on one day)."""
    rows = await session.scalars(
        select(AnchorDay).where(
            AnchorDay.org_unit_id.in_(unit_ids),
            AnchorDay.effective_from <= last,
            or_(AnchorDay.effective_until.is_(None), AnchorDay.effective_until >= first),
        )
    )
    weekdays: dict[int, set[int]] = defaultdict(set)
    for anchor in rows:
        weekdays[anchor.org_unit_id].add(anchor.weekday)
    return {unit: frozenset(days) for unit, days in weekdays.items()}


async def _cases(session: AsyncSession, ids: Sequence[int]) -> dict[int, list[Case]]:
    rows = await session.scalars(select(DisciplineCase).where(DisciplineCase.employee_id.in_(ids)))
    cases: dict[int, list[Case]] = defaultdict(list)
    for case in rows:
        cases[case.employee_id].append(Case(CaseStatus(case.status), case.opened_on, case.closed_on))
    return cases


async def _latest_ratings(session: AsyncSession, ids: Sequence[int]) -> dict[int, Rating]:
    rows = await session.execute(
        select(PerformanceRating.employee_id, PerformanceRating.rating)
        .where(PerformanceRating.employee_id.in_(ids))
        .order_by(PerformanceRating.employee_id, PerformanceRating.period)
    )
    return {employee: rating for employee, rating in rows}  # the last period wins


async def _approved_exemptions(
    session: AsyncSession, ids: Sequence[int], first: date, last: date
) -> dict[int, list[ExemptionView]]:
    rows = await session.scalars(
        select(Exemption).where(
            Exemption.employee_id.in_(ids),
            Exemption.status == ExemptionStatus.APPROVED,
            Exemption.starts_on <= last,
            Exemption.ends_on >= first,
        )
    )
    exemptions: dict[int, list[ExemptionView]] = defaultdict(list)
    for row in rows:
        exemptions[row.employee_id].append(
            ExemptionView(row.id, row.remote_days_per_week, row.starts_on, row.ends_on, row.overrides_discipline)
        )
    return exemptions


async def load_attendance(
    session: AsyncSession, employee_ids: Iterable[int], first: date, last: date
) -> dict[int, dict[date, Attendance]]:
    """Planned and actual modes per person and local day: desk bookings, check-ins, then work-day rows.

    An active desk booking plans an office day (it wins over a remote plan: it is the later, concrete intent) and a
    check-in makes it actual. Work-day rows add what bookings cannot say: remote days, leave, duty travel, and
    attendance reported by another system (which wins). A booking released as a no-show is our own check-in
    system saying the person was absent, unless another booking of the day was checked in to.
    """
    ids = sorted(set(employee_ids))
    planned: dict[tuple[int, date], WorkMode] = {}
    actual: dict[tuple[int, date], WorkMode] = {}
    for row in await session.scalars(
        select(WorkDay).where(WorkDay.employee_id.in_(ids), WorkDay.day.between(first, last))
    ):
        if row.planned is not None:
            planned[row.employee_id, row.day] = row.planned
        if row.actual is not None:
            actual[row.employee_id, row.day] = row.actual
    # Local days span UTC instants a day either side of the range, whatever the building's zone.
    since = datetime.combine(first - timedelta(days=1), time(), UTC)
    until = datetime.combine(last + timedelta(days=2), time(), UTC)
    bookings = await session.execute(
        select(Booking.employee_id, Booking.start_at, Booking.status, Booking.checked_in_at, Building.time_zone)
        .join(Space, Booking.space_id == Space.id)
        .join(Floor, Space.floor_id == Floor.id)
        .join(Building, Floor.building_id == Building.id)
        .where(
            Booking.employee_id.in_(ids),
            Booking.space_kind == SpaceKind.DESK,
            Booking.start_at >= since,
            Booking.start_at < until,
        )
    )
    no_shows: set[tuple[int, date]] = set()
    for employee, start_at, status, checked_in_at, zone in bookings:
        day = start_at.astimezone(ZoneInfo(zone)).date()
        if not first <= day <= last:
            continue
        if status in PLANNED_OFFICE:
            planned[employee, day] = WorkMode.OFFICE
        if checked_in_at is not None:
            actual.setdefault((employee, day), WorkMode.OFFICE)
        elif status == BookingStatus.RELEASED:
            no_shows.add((employee, day))
    for key in no_shows:
        actual.setdefault(key, WorkMode.ABSENT)
    result: dict[int, dict[date, Attendance]] = {employee: {} for employee in ids}
    for employee, day in planned.keys() | actual.keys():
        result[employee][day] = Attendance(planned.get((employee, day)), actual.get((employee, day)))
    return result
