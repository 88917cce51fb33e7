"""A unit's compliance across weeks, and the units of its subtree: what its head reads beside one week's report.

The weeks are planned from facts loaded once for the whole range (:func:`plan_many_weeks`): eight weeks cost the
queries of one week, not eight times them. Each function runs inside the caller's transaction and checks, as
:func:`~smartoffice.policies.weeks.unit_week` does, that the viewer manages the unit.
"""

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from smartoffice.errors import CommonInputCode, InvalidInput, NotFound, PermissionDenied
from smartoffice.people.models import OrgUnit
from smartoffice.people.roles import manages_unit
from smartoffice.policies import weeks
from smartoffice.policies.day_rules import Person
from smartoffice.policies.engine import ComplianceStatus, WeekPlan, plan_week
from smartoffice.policies.errors import PolicyPermissionCode
from smartoffice.policies.facts import load_attendance, load_people, load_policies_for
from smartoffice.policies.models import AnchorDay
from smartoffice.workcalendar.service import load_calendar

DEFAULT_TREND_WEEKS = 8
MAX_TREND_WEEKS = 26
"""Half a year: the longest trend one answer covers."""


@dataclass(frozen=True, slots=True)
class TrendWeek:
    """One week of a unit's trend: how many members had each status."""

    monday: date
    counts: Mapping[ComplianceStatus, int]
    """Every status, zero included."""

    @property
    def members(self) -> int:
        return sum(self.counts.values())

    @property
    def judged(self) -> int:
        """Members whose week could be judged: all but those with no data (when the engine knows that state)."""
        return self.members - sum(n for status, n in self.counts.items() if status.value == "no_data")

    @property
    def compliant_percent(self) -> int | None:
        """The compliant share of the judged members, rounded to a whole percent; None when nobody was judged."""
        if not self.judged:
            return None
        return round(self.counts.get(ComplianceStatus.COMPLIANT, 0) * 100 / self.judged)


@dataclass(frozen=True, slots=True)
class UnitTrend:
    unit: OrgUnit
    """With its organisation loaded."""
    weeks: Sequence[TrendWeek]
    """Oldest first; the last is the week asked for."""


@dataclass(frozen=True, slots=True)
class UnitOption:
    """A unit of a subtree, for a filter: its depth below the subtree's root (0 for the root)."""

    id: int
    name: str
    depth: int


async def managed_unit(session: AsyncSession, viewer_id: int, unit_id: int) -> OrgUnit:
    """The unit (with its organisation), if the viewer manages it; else NotFound or PermissionDenied."""
    unit = await session.get(OrgUnit, unit_id, options=[joinedload(OrgUnit.organisation)])
    if unit is None:
        raise NotFound("OrgUnit", unit_id)
    if not await manages_unit(session, viewer_id, unit_id):
        raise PermissionDenied(PolicyPermissionCode.NOT_YOUR_UNIT)
    return unit


async def unit_trend(
    session: AsyncSession, viewer_id: int, unit_id: int, week_of: date, count: int, today: date
) -> UnitTrend:
    """The ``count`` weeks up to the one holding ``week_of``: per week, how many of the subtree's members had each
    status (the statuses :func:`~smartoffice.policies.weeks.unit_week` gives for that week)."""
    if not 1 <= count <= MAX_TREND_WEEKS:
        raise InvalidInput("weeks", CommonInputCode.OUT_OF_RANGE, low=1, high=MAX_TREND_WEEKS)
    unit = await managed_unit(session, viewer_id, unit_id)
    last = weeks.week_monday(week_of)
    mondays = [last - timedelta(weeks=n) for n in reversed(range(count))]
    weeks.week_monday(mondays[0])  # the first week must be on the calendar too
    members = await weeks._members(session, unit_id)
    plans = await plan_many_weeks(session, [m.id for m in members], mondays, today)
    trend = []
    for monday in mondays:
        counts = Counter(plan.status for plan in plans[monday].values())
        trend.append(TrendWeek(monday, {status: counts.get(status, 0) for status in ComplianceStatus}))
    return UnitTrend(unit, trend)


async def plan_many_weeks(
    session: AsyncSession, employee_ids: Sequence[int], mondays: Sequence[date], today: date
) -> dict[date, dict[int, WeekPlan]]:
    """Each employee's weeks starting on ``mondays`` (ascending), as
    :func:`~smartoffice.policies.weeks.plan_weeks` plans one week, from facts loaded once for the whole range.

    The people's anchor weekdays are worked out per week (a unit's anchor days may change within the range)."""
    first, last = mondays[0], mondays[-1] + timedelta(days=6)
    persons = await load_people(session, employee_ids, first, last)
    supervisors = {p.supervisor_id for p in persons.values() if p.supervisor_id is not None}
    attendance = await load_attendance(session, set(persons) | supervisors, first, last)
    policies = await load_policies_for(session, first, last, persons.values())
    calendar = await load_calendar(session, first, last)
    anchors = await _anchor_rows(session, {unit for p in persons.values() for unit in p.unit_path}, first, last)
    plans: dict[date, dict[int, WeekPlan]] = {}
    for monday in mondays:
        plans[monday] = {
            person.id: plan_week(
                _with_anchor_days(person, anchors, monday),
                monday,
                today,
                policies,
                calendar,
                attendance.get(person.id, {}),
                attendance.get(person.supervisor_id, {}) if person.supervisor_id is not None else None,
            )
            for person in persons.values()
        }
    return plans


async def _anchor_rows(session: AsyncSession, unit_ids: set[int], first: date, last: date) -> list[AnchorDay]:
    rows = await session.scalars(
        select(AnchorDay).where(
            AnchorDay.org_unit_id.in_(sorted(unit_ids)),
            AnchorDay.effective_from <= last,
            or_(AnchorDay.effective_until.is_(None), AnchorDay.effective_until >= first),
        )
    )
    return list(rows)


def _with_anchor_days(person: Person, anchors: Sequence[AnchorDay], monday: date) -> Person:
    """``person`` with the anchor weekdays of their nearest unit that has any in force in the week (as
    :func:`~smartoffice.policies.facts.load_people` finds them for a one-week range)."""
    sunday = monday + timedelta(days=6)
    by_unit: dict[int, set[int]] = defaultdict(set)
    for anchor in anchors:
        if anchor.effective_from <= sunday and (anchor.effective_until is None or anchor.effective_until >= monday):
            by_unit[anchor.org_unit_id].add(anchor.weekday)
    weekdays = next((frozenset(by_unit[unit]) for unit in person.unit_path if unit in by_unit), frozenset[int]())
    return replace(person, anchor_weekdays=weekdays)


async def subtree_units(session: AsyncSession, unit_id: int) -> list[UnitOption]:
    """The unit and every unit below it, depth first, siblings by name (one query for the organisation's units)."""
    root = await session.get(OrgUnit, unit_id)
    if root is None:
        raise NotFound("OrgUnit", unit_id)
    rows = await session.execute(
        select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.name)
        .where(OrgUnit.organisation_id == root.organisation_id)
        .order_by(OrgUnit.name, OrgUnit.id)
    )
    children: dict[int | None, list[tuple[int, str]]] = defaultdict(list)
    for child, parent, name in rows:
        children[parent].append((child, name))
    options: list[UnitOption] = []
    seen: set[int] = set()

    def walk(unit: int, name: str, depth: int) -> None:
        if unit in seen:  # a cycle in bad data: never loop
            return
        seen.add(unit)
        options.append(UnitOption(unit, name, depth))
        for child, child_name in children.get(unit, []):
            walk(child, child_name, depth + 1)

    walk(root.id, root.name, 0)
    return options
