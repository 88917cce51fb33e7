"""Loading what the engine needs from SQL, in bulk: people, the policies of a date range, and attendance.

Each loader takes many employees at once and runs a fixed number of ``IN (...)`` queries, so a unit's compliance
for a week costs the same few queries as one person's week.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    BindParameter,
    Boolean,
    ColumnElement,
    Date,
    Integer,
    Select,
    String,
    bindparam,
    cast,
    literal,
    null,
    or_,
    select,
    union_all,
)
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
    LocationKind,
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
        set_by=policy.set_by,
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


ABOUT_A_BUILDING = (
    Policy.organisation_id.is_(None),
    Policy.org_unit_id.is_(None),
    Policy.position_kind.is_(None),
    Policy.position_level.is_(None),
    Policy.employment_type.is_(None),
    Policy.employee_id.is_(None),
)
"""A policy about a building as such (or about everyone): scoped to no organisation, unit, position, employment type
or person. What an occupancy cap can come from; its building, if any, is filtered beside it."""


async def load_building_policies(session: AsyncSession, first: date, last: date, building_id: int) -> list[PolicyView]:
    """The policies in force in ``[first, last]`` that are about a building as such: scoped to no organisation,
    unit, position, employment type or person, and to this building or none (what an occupancy cap can come
    from). Filtered in SQL: a deployment has hundreds of unit policies that a booking need not read."""
    return await _load(
        session, first, last, *ABOUT_A_BUILDING, or_(Policy.building_id.is_(None), Policy.building_id == building_id)
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
    cases, ratings, exemptions = await _standing(session, ids, first, last)
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


_CASE, _RATING, _EXEMPTION = 0, 1, 2


def _standing_statement() -> Select[tuple[Any, ...]]:
    number, date_, text, flag = Integer(), Date(), String(), Boolean()
    ids: BindParameter[list[int]] = bindparam("ids", expanding=True)
    cases = select(
        literal(_CASE, number).label("kind"),
        DisciplineCase.employee_id,
        null().cast(number).label("n1"),
        null().cast(number).label("n2"),
        DisciplineCase.opened_on.label("d1"),
        DisciplineCase.closed_on.label("d2"),
        cast(DisciplineCase.status, text).label("s"),
        null().cast(flag).label("b"),
    ).where(DisciplineCase.employee_id.in_(ids))
    ratings = select(
        literal(_RATING, number),
        PerformanceRating.employee_id,
        PerformanceRating.period,
        null().cast(number),
        null().cast(date_),
        null().cast(date_),
        cast(PerformanceRating.rating, text),
        null().cast(flag),
    ).where(PerformanceRating.employee_id.in_(ids))
    exemptions = select(
        literal(_EXEMPTION, number),
        Exemption.employee_id,
        Exemption.id,
        Exemption.remote_days_per_week,
        Exemption.starts_on,
        Exemption.ends_on,
        null().cast(text),
        Exemption.overrides_discipline,
    ).where(
        Exemption.employee_id.in_(ids),
        Exemption.status == ExemptionStatus.APPROVED,
        Exemption.starts_on <= bindparam("last"),
        Exemption.ends_on >= bindparam("first"),
    )
    union = union_all(cases, ratings, exemptions).subquery()
    return select(union).order_by(union.c.kind, union.c.employee_id, union.c.n1)


_STANDING = _standing_statement()
"""Built once: a request binds its values (building the statement cost more than running it)."""


async def _standing(
    session: AsyncSession, ids: Sequence[int], first: date, last: date
) -> tuple[dict[int, list[Case]], dict[int, Rating], dict[int, list[ExemptionView]]]:
    """:func:`_cases`, :func:`_latest_ratings` and :func:`_approved_exemptions` in one round trip (``UNION ALL``
    of the three, by kind, person and then the rating's period or the exemption's id)."""
    rows = await session.execute(_STANDING, {"ids": list(ids), "first": first, "last": last})
    found_cases: dict[int, list[Case]] = defaultdict(list)
    found_ratings: dict[int, Rating] = {}
    found_exemptions: dict[int, list[ExemptionView]] = defaultdict(list)
    for kind, employee_id, n1, n2, d1, d2, text_value, overrides in rows:
        if kind == _CASE:
            found_cases[employee_id].append(Case(CaseStatus(text_value), d1, d2))
        elif kind == _RATING:
            found_ratings[employee_id] = Rating(text_value)  # the last period wins
        else:
            found_exemptions[employee_id].append(ExemptionView(n1, n2, d1, d2, bool(overrides)))
    return found_cases, found_ratings, found_exemptions


_WORK_DAYS = select(
    WorkDay.employee_id, WorkDay.day, WorkDay.planned, WorkDay.actual, WorkDay.location_kind, WorkDay.location_detail
).where(
    WorkDay.employee_id.in_(bindparam("ids", expanding=True)),
    WorkDay.day.between(bindparam("first"), bindparam("last")),
)
_DESK_BOOKINGS = (
    select(Booking.employee_id, Booking.start_at, Booking.status, Booking.checked_in_at, Building.time_zone)
    .join(Space, Booking.space_id == Space.id)
    .join(Floor, Space.floor_id == Floor.id)
    .join(Building, Floor.building_id == Building.id)
    .where(
        Booking.employee_id.in_(bindparam("ids", expanding=True)),
        Booking.space_kind == SpaceKind.DESK,
        Booking.start_at >= bindparam("since"),
        Booking.start_at < bindparam("until"),
    )
)
""":func:`load_attendance`'s two reads, built once (a request binds its values)."""


async def load_attendance(
    session: AsyncSession,
    employee_ids: Iterable[int],
    first: date,
    last: date,
    locations: dict[tuple[int, date], tuple[LocationKind, str | None]] | None = None,
) -> dict[int, dict[date, Attendance]]:
    """Planned and actual modes per person and local day: desk bookings, check-ins, then work-day rows.
    ``locations``, when given, is filled from the same work-day rows with where each day with a location is worked
    (``(employee id, day) → (kind, detail)``: ``myWeek``'s days' locations).

    An active desk booking plans an office day (it wins over a remote plan: it is the later, concrete intent) and a
    check-in makes it actual. Work-day rows add what bookings cannot say: remote days, leave, duty travel, and
    attendance reported by another system (which wins). A booking released as a no-show is our own check-in
    system saying the person was absent, unless another booking of the day was checked in to.
    """
    ids = sorted(set(employee_ids))
    planned: dict[tuple[int, date], WorkMode] = {}
    actual: dict[tuple[int, date], WorkMode] = {}
    work_days = await session.execute(_WORK_DAYS, {"ids": ids, "first": first, "last": last})
    for employee_id, day, planned_mode, actual_mode, location_kind, location_detail in work_days:
        if planned_mode is not None:
            planned[employee_id, day] = planned_mode
        if actual_mode is not None:
            actual[employee_id, day] = actual_mode
        if locations is not None and location_kind is not None:
            locations[employee_id, day] = (location_kind, location_detail)
    # Local days span UTC instants a day either side of the range, whatever the building's zone.
    since = datetime.combine(first - timedelta(days=1), time(), UTC)
    until = datetime.combine(last + timedelta(days=2), time(), UTC)
    bookings = await session.execute(_DESK_BOOKINGS, {"ids": ids, "since": since, "until": until})
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
