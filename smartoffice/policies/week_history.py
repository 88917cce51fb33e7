"""A person's past weeks, each judged as the engine judges one week: the "history of weeks" page.

The weeks are read in bulk, in a fixed number of queries whatever their count: the person (and their
supervisor's attendance, for co-presence), the attendance, the policies and the calendar of the whole range at
once, then one query for the anchor days, which are taken per week (a unit may change its anchor days between
two weeks). Each week is then :func:`~smartoffice.policies.engine.plan_week`, exactly as My week plans it.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.errors import PermissionDenied
from smartoffice.people import service as people
from smartoffice.people.models import Employee
from smartoffice.policies.day_rules import Person
from smartoffice.policies.engine import WeekPlan, monday_of, plan_week
from smartoffice.policies.errors import PolicyPermissionCode
from smartoffice.policies.facts import load_attendance, load_people, load_policies_for
from smartoffice.policies.models import AnchorDay
from smartoffice.policies.weeks import can_see_week
from smartoffice.workcalendar.service import load_calendar

DEFAULT_WEEKS = 12
MAX_WEEKS = 52


@dataclass(frozen=True, slots=True)
class WeekHistory:
    employee: Employee
    """With their unit loaded."""
    weeks: Sequence[WeekPlan]
    """The weeks before ``today``'s, newest first."""


async def week_history(
    session: AsyncSession, viewer_id: int, employee_id: int, today: date, count: int = DEFAULT_WEEKS
) -> WeekHistory:
    """The ``count`` weeks before the week holding ``today``, of a person the viewer may see (as My week)."""
    employee = await people.get_employee(session, employee_id)
    if not await can_see_week(session, viewer_id, employee):
        raise PermissionDenied(PolicyPermissionCode.NOT_YOUR_WEEK)
    this_monday = monday_of(today)
    mondays = [this_monday - timedelta(weeks=n) for n in range(1, max(1, min(count, MAX_WEEKS)) + 1)]
    return WeekHistory(employee, await plan_past_weeks(session, employee.id, mondays, today))


async def plan_past_weeks(
    session: AsyncSession, employee_id: int, mondays: Sequence[date], today: date
) -> list[WeekPlan]:
    """The person's week of each Monday in ``mondays`` (in their order), judged as of ``today``."""
    if not mondays:
        return []
    first, last = min(mondays), max(mondays) + timedelta(days=6)
    person = (await load_people(session, [employee_id], first, last)).get(employee_id)
    if person is None:
        return []
    ids = {person.id} | ({person.supervisor_id} if person.supervisor_id is not None else set())
    attendance = await load_attendance(session, ids, first, last)
    policies = await load_policies_for(session, first, last, [person])
    calendar = await load_calendar(session, first, last)
    anchors = await _anchor_rows(session, person, first, last)
    mine = attendance.get(person.id, {})
    theirs = attendance.get(person.supervisor_id, {}) if person.supervisor_id is not None else None
    return [
        plan_week(_with_anchors(person, anchors, monday), monday, today, policies, calendar, mine, theirs)
        for monday in mondays
    ]


async def _anchor_rows(session: AsyncSession, person: Person, first: date, last: date) -> list[AnchorDay]:
    return list(
        await session.scalars(
            select(AnchorDay).where(
                AnchorDay.org_unit_id.in_(person.unit_path),
                AnchorDay.effective_from <= last,
                or_(AnchorDay.effective_until.is_(None), AnchorDay.effective_until >= first),
            )
        )
    )


def _with_anchors(person: Person, rows: Sequence[AnchorDay], monday: date) -> Person:
    """The person with the anchor weekdays of their week (the nearest unit on their path that has any then), as
    :func:`~smartoffice.policies.facts.load_people` takes them for one week."""
    sunday = monday + timedelta(days=6)
    weekdays: defaultdict[int, set[int]] = defaultdict(set)
    for row in rows:
        if row.effective_from <= sunday and (row.effective_until is None or row.effective_until >= monday):
            weekdays[row.org_unit_id].add(row.weekday)
    nearest = next((frozenset(weekdays[unit]) for unit in person.unit_path if unit in weekdays), frozenset())
    return replace(person, anchor_weekdays=nearest)
