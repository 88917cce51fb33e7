"""The policy engine's view of every person housed in some buildings (:class:`Person`), loaded by unit.

The same people, with the same facts, as :func:`smartoffice.policies.facts.load_people` makes them (a test holds
the two equal), but selected by their units rather than by a list of employee ids: a tier-M campus houses 12,000
people, and each ``IN`` list of 12,000 ids costs PostgreSQL's driver as much to bind as the rest of the demand
model costs to compute. Here every query names the few hundred units instead, and reads columns, not ORM rows.
"""

from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.people.models import Employee
from smartoffice.places.models import Floor, Zone
from smartoffice.planning.demand_housing import Housing, unit_path
from smartoffice.policies.day_rules import Case, ExemptionView, Person
from smartoffice.policies.models import (
    CaseStatus,
    DisciplineCase,
    Exemption,
    ExemptionStatus,
    PerformanceRating,
    Rating,
)


async def load_housed_people(session: AsyncSession, housing: Housing, first: date, last: date) -> dict[int, Person]:
    """``employee id → Person`` for the people of ``housing``, with the anchor weekdays in force some day of
    ``[first, last]`` (as :func:`~smartoffice.policies.facts.load_people` takes them)."""
    wanted = {p.employee_id for p in housing.people}
    if not wanted:
        return {}
    units = sorted({p.unit_id for p in housing.people})
    in_units = Employee.org_unit_id.in_(units)
    paths = {unit: tuple(unit_path(unit, housing.units)) for unit in units}
    on_paths = {u for path in paths.values() for u in path}
    buildings: dict[int, set[int]] = defaultdict(set)
    for zoned, building in await session.execute(
        select(Zone.org_unit_id, Floor.building_id)
        .join(Floor, Zone.floor_id == Floor.id)
        .where(Zone.org_unit_id.in_(sorted(on_paths)))
    ):
        if zoned is not None:
            buildings[zoned].add(building)
    anchors = housing.anchors_in_range(first, last)
    cases: dict[int, list[Case]] = defaultdict(list)
    for employee_id, status, opened, closed in await session.execute(
        select(DisciplineCase.employee_id, DisciplineCase.status, DisciplineCase.opened_on, DisciplineCase.closed_on)
        .join(Employee, DisciplineCase.employee_id == Employee.id)
        .where(in_units)
    ):
        cases[employee_id].append(Case(CaseStatus(status), opened, closed))
    ratings: dict[int, Rating] = {}
    for employee_id, rating in await session.execute(
        select(PerformanceRating.employee_id, PerformanceRating.rating)
        .join(Employee, PerformanceRating.employee_id == Employee.id)
        .where(in_units)
        .order_by(PerformanceRating.employee_id, PerformanceRating.period)
    ):
        ratings[employee_id] = rating  # the last period wins
    exemptions: dict[int, list[ExemptionView]] = defaultdict(list)
    for employee_id, exemption_id, remote_days, starts_on, ends_on, overrides in await session.execute(
        select(
            Exemption.employee_id,
            Exemption.id,
            Exemption.remote_days_per_week,
            Exemption.starts_on,
            Exemption.ends_on,
            Exemption.overrides_discipline,
        )
        .join(Employee, Exemption.employee_id == Employee.id)
        .where(
            in_units,
            Exemption.status == ExemptionStatus.APPROVED,
            Exemption.starts_on <= last,
            Exemption.ends_on >= first,
        )
    ):
        exemptions[employee_id].append(ExemptionView(exemption_id, remote_days, starts_on, ends_on, overrides))
    people: dict[int, Person] = {}
    for employee in await session.execute(
        select(
            Employee.id,
            Employee.org_unit_id,
            Employee.position_kind,
            Employee.position_level,
            Employee.employment_type,
            Employee.placed_on,
            Employee.supervisor_id,
        ).where(in_units)
    ):
        employee_id, unit, kind, level, employment, placed_on, supervisor = employee
        if employee_id not in wanted:
            continue
        path = paths[unit]
        people[employee_id] = Person(
            id=employee_id,
            organisation_id=housing.units[unit].organisation_id,
            unit_path=path,
            position_kind=kind,
            position_level=level,
            employment_type=employment,
            placed_on=placed_on,
            supervisor_id=supervisor,
            building_ids=frozenset(b for u in path for b in buildings.get(u, ())),
            cases=tuple(cases.get(employee_id, ())),
            latest_rating=ratings.get(employee_id),
            exemptions=tuple(exemptions.get(employee_id, ())),
            anchor_weekdays=next((anchors[u] for u in path if u in anchors), frozenset()),
        )
    return people
