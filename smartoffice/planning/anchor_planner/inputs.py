"""What the planner is fed: the request checked, the buildings, their desks and the units' demand, with the what-if
applied (nothing of it written anywhere).

* **Desks**: active desks (neither retired nor out of service) on active floors of the planned buildings, less the
  what-if's closed floors. People on a closed floor still come in: only the seats go.
* **Headcount changes** scale a unit's expected presence: ``n`` people added to a unit of ``h`` multiply its
  ``fixed``, ``anchored`` and ``spread`` (in every building it is housed in) by ``(h + n) / h``: newcomers behave
  like the unit's people.
* **A moved unit** brings all its rows to the new building (which must be one of the planned ones): its people are
  expected there, in whichever tower they sat.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.errors import CommonInputCode, InvalidInput, NotFound
from smartoffice.places.models import Building, Floor, Space, SpaceKind
from smartoffice.planning.anchor_planner.model import WEEKDAYS, PlanProblem
from smartoffice.planning.anchor_planner.proposal import PlanRequest
from smartoffice.planning.demand import UnitDemand, unit_demand
from smartoffice.planning.errors import PlanningInputCode
from smartoffice.policies.errors import PolicyInputCode


def check_request(request: PlanRequest) -> None:
    """The request's own values (before anything is read): raises InvalidInput."""
    if not request.building_ids:
        raise InvalidInput("buildingIds", PlanningInputCode.PLAN_NO_BUILDINGS)
    if not 0 < request.target_utilisation <= 1:
        raise InvalidInput("targetUtilisation", CommonInputCode.OUT_OF_RANGE, low=0, high=1)
    if request.week.weekday() != 0:
        raise InvalidInput("week", PlanningInputCode.PLAN_WEEK_NOT_MONDAY)
    weekdays = [*request.closed_weekdays, *(d for days in request.forbidden_weekdays.values() for d in days)]
    if any(d not in WEEKDAYS for d in weekdays):
        raise InvalidInput("weekdays", PolicyInputCode.NOT_WORKING_WEEKDAYS)
    if any(first == second for first, second in request.together):
        raise InvalidInput("together", PlanningInputCode.PLAN_UNIT_PAIRED_WITH_ITSELF)
    if any(building_id not in request.building_ids for building_id in request.what_if.moved_units.values()):
        raise InvalidInput("movedUnits", PlanningInputCode.PLAN_MOVE_OUTSIDE_PLAN)


async def load_buildings(session: AsyncSession, building_ids: Sequence[int]) -> list[Building]:
    """The planned buildings, in the order asked; NotFound for one that does not exist or is retired."""
    rows = await session.scalars(select(Building).where(Building.id.in_(building_ids), Building.retired_at.is_(None)))
    found = {b.id: b for b in rows}
    for building_id in building_ids:
        if building_id not in found:
            raise NotFound("Building", building_id)
    return [found[building_id] for building_id in dict.fromkeys(building_ids)]


async def load_problem(
    session: AsyncSession, request: PlanRequest, buildings: Sequence[Building], *, today: date
) -> PlanProblem:
    """The problem to solve for ``request`` over ``buildings`` (see the module docstring)."""
    building_ids = [b.id for b in buildings]
    desks = await count_desks(session, building_ids, request.what_if.closed_floor_ids)
    demand = await unit_demand(session, building_ids, request.week, today=today)
    demand = apply_what_if(demand, request)
    check_units(demand, request)
    return PlanProblem(request, demand, desks, {b.id: b.code for b in buildings})


async def count_desks(
    session: AsyncSession, building_ids: Sequence[int], closed_floor_ids: frozenset[int]
) -> dict[int, int]:
    """Active desks per building, closed floors left out; InvalidInput for a closed floor of another building."""
    if closed_floor_ids:
        floors = await session.execute(select(Floor.id, Floor.building_id).where(Floor.id.in_(closed_floor_ids)))
        in_plan = {floor_id for floor_id, building_id in floors if building_id in building_ids}
        if missing := sorted(closed_floor_ids - in_plan):
            raise InvalidInput("closedFloorIds", PlanningInputCode.PLAN_FLOOR_NOT_PLANNED, floor=missing[0])
    query = (
        select(Floor.building_id, func.count(Space.id))
        .join(Space, Space.floor_id == Floor.id)
        .where(
            Floor.building_id.in_(building_ids),
            Floor.retired_at.is_(None),
            Space.kind == SpaceKind.DESK,
            Space.retired_at.is_(None),
            Space.bookable.is_(True),
        )
        .group_by(Floor.building_id)
    )
    if closed_floor_ids:
        query = query.where(Floor.id.not_in(closed_floor_ids))
    rows = await session.execute(query)
    desks = dict.fromkeys(building_ids, 0)
    desks.update({building_id: count for building_id, count in rows})
    return desks


def apply_what_if(demand: Sequence[UnitDemand], request: PlanRequest) -> list[UnitDemand]:
    """``demand`` with the what-if's headcount changes and moves applied (see the module docstring)."""
    what_if = request.what_if
    rows_of: dict[int, list[UnitDemand]] = defaultdict(list)
    for row in demand:
        rows_of[row.unit_id].append(row)
    for field, unit_ids in (("headcountChange", what_if.headcount_change), ("movedUnits", what_if.moved_units)):
        if missing := sorted(set(unit_ids) - rows_of.keys()):
            raise InvalidInput(field, PlanningInputCode.PLAN_UNIT_NOT_HOUSED, unit=missing[0])
    result = []
    for unit_id, rows in rows_of.items():
        change = what_if.headcount_change.get(unit_id, 0)
        if change:
            rows = _scaled(rows, change)
        if unit_id in what_if.moved_units:
            rows = [_merged(rows, what_if.moved_units[unit_id])]
        result.extend(rows)
    return sorted(result, key=lambda r: (r.building_id, r.code, r.unit_id))


def _scaled(rows: list[UnitDemand], change: int) -> list[UnitDemand]:
    headcount = sum(r.headcount for r in rows)
    if headcount + change < 0 or headcount == 0:
        raise InvalidInput(
            "headcountChange", PlanningInputCode.PLAN_HEADCOUNT_BELOW_ZERO, unit=rows[0].code, headcount=headcount
        )
    factor = (headcount + change) / headcount
    scaled = []
    for row in rows:
        scaled.append(
            replace(
                row,
                headcount=round(row.headcount * factor),
                fixed=row.fixed * factor,
                anchored=row.anchored * factor,
                spread=row.spread * factor,
                person_days=row.person_days * factor,
            )
        )
    return scaled


def _merged(rows: list[UnitDemand], building_id: int) -> UnitDemand:
    return replace(
        rows[0],
        building_id=building_id,
        headcount=sum(r.headcount for r in rows),
        fixed=sum(r.fixed for r in rows),
        anchored=sum(r.anchored for r in rows),
        spread=sum(r.spread for r in rows),
        person_days=sum(r.person_days for r in rows),
    )


def check_units(demand: Sequence[UnitDemand], request: PlanRequest) -> None:
    """Every unit the request names is housed in the planned buildings: raises InvalidInput naming the first not."""
    housed = {row.unit_id for row in demand}
    named = {
        "pinnedUnitIds": request.pinned_unit_ids,
        "forbiddenWeekdays": request.forbidden_weekdays.keys(),
        "together": {unit_id for pair in request.together for unit_id in pair},
    }
    for field, unit_ids in named.items():
        if missing := sorted(set(unit_ids) - housed):
            raise InvalidInput(field, PlanningInputCode.PLAN_UNIT_NOT_HOUSED, unit=missing[0])
