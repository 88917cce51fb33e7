"""Whether a person may plan a remote day: required days, the week's remote allowance and the unit's remote share.

A unit's share counts the unit with its sub-units (:func:`~smartoffice.policies.weeks.unit_subtree`, as the
compliance report does) and allows :func:`~smartoffice.policies.engine.remote_places` of them: at least one when the
cap is above 0. A plan must keep the person's own unit and every unit above it within its share. An approved
exemption's holder is counted in the share but never refused by it (the exemption is a unit head's decision about
that person; the others may be refused because of them).

Runs inside the caller's write transaction. The unit's row is locked before its plans are counted, so two
concurrent requests cannot both take the last remote place on PostgreSQL; on SQLite the ``BEGIN IMMEDIATE`` write
lock already serialises them; the units above are locked next (deepest first in every request), as plans in
sibling units share them.
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.errors import InvalidInput, PolicyRefusal
from smartoffice.people.models import Employee, OrgUnit
from smartoffice.policies.engine import Requirement, monday_of, remote_places
from smartoffice.policies.errors import PolicyInputCode, PolicyRefusalCode
from smartoffice.policies.models import WorkDay, WorkMode
from smartoffice.policies.weeks import plan_weeks, unit_subtree


async def check_remote_day(session: AsyncSession, employee: Employee, day: date, today: date) -> None:
    # Lock the unit first: the share below counts the unit's other plans.
    await session.execute(select(OrgUnit.id).where(OrgUnit.id == employee.org_unit_id).with_for_update())
    plan = (await plan_weeks(session, [employee.id], monday_of(day), today, with_supervisors=False))[employee.id]
    day_plan = plan.days[day.weekday()]
    if day_plan.requirement == Requirement.REQUIRED:
        # The first reason that names a policy (NOT_ELIGIBLE is a fact; the eligibility rule behind it follows).
        policy = next((reason.policy for reason in day_plan.reasons if reason.policy is not None), None)
        raise refusal(PolicyRefusalCode.DAY_REQUIRED_IN_OFFICE, policy, day=day.isoformat())
    if day_plan.requirement == Requirement.NOT_WORKING:
        raise InvalidInput("date", PolicyInputCode.NOT_A_WORKING_DAY, day=day.isoformat())
    remote = sum(1 for d in plan.working_days if d.day != day and d.status is not None and d.status.is_remote)
    if remote + 1 > plan.remote_days_allowed:
        # the policy the allowance comes from: pro-rating's own when it shrank the week, else the binding cap
        raise refusal(
            PolicyRefusalCode.REMOTE_ALLOWANCE_USED, plan.remote_days_source, allowed=plan.remote_days_allowed
        )
    rules = day_plan.rules
    cap = rules.rules.max_unit_remote_percent if rules is not None else None
    if rules is None or cap is None or any(e.covers(day) for e in plan.person.exemptions):
        return
    path = plan.person.unit_path
    # Lock the units above too, deepest first as every request does (no cycle): plans in sibling units share them.
    await session.execute(select(OrgUnit.id).where(OrgUnit.id.in_(path[1:])).with_for_update())
    for _unit, members, remote_already in await _shares_on_path(session, employee.id, path, day):
        if remote_already + 1 > (remote_places(members, cap) or 0):
            raise refusal(
                PolicyRefusalCode.UNIT_REMOTE_SHARE_CAP,
                rules.sources.get("max_unit_remote_percent"),
                percent=cap,
                day=day.isoformat(),
            )


async def _shares_on_path(
    session: AsyncSession, employee_id: int, path: Sequence[int], day: date
) -> list[tuple[int, int, int]]:
    """For the person's unit and each unit above it: its subtree's members and how many of them, the person aside,
    plan a remote day on ``day`` (two queries, whatever the depth). A plan must keep every unit on the path within
    its share, so that no unit's compliance report shows a breach that planning let through."""
    if not path:
        return []
    top = path[-1]
    parents = dict(
        (await session.execute(select(OrgUnit.id, OrgUnit.parent_id).where(OrgUnit.id.in_(unit_subtree(top))))).all()
    )
    remote = and_(
        WorkDay.employee_id == Employee.id,
        Employee.id != employee_id,
        WorkDay.day == day,
        WorkDay.planned.in_([WorkMode.HOME, WorkMode.ANYWHERE]),
    )
    counts = (
        await session.execute(
            select(Employee.org_unit_id, func.count(func.distinct(Employee.id)), func.count(WorkDay.id))
            .outerjoin(WorkDay, remote)
            .where(Employee.org_unit_id.in_(unit_subtree(top)))
            .group_by(Employee.org_unit_id)
        )
    ).all()
    totals = {unit: [0, 0] for unit in path}
    for unit_id, members, remote_plans in counts:
        current: int | None = unit_id
        seen: set[int] = set()
        while current is not None and current not in seen:  # up to the top, adding to each unit on the path
            seen.add(current)
            if current in totals:
                totals[current][0] += members
                totals[current][1] += remote_plans
            current = parents.get(current)
    return [(unit, totals[unit][0], totals[unit][1]) for unit in path]


def refusal(code: PolicyRefusalCode, policy: Any, **params: object) -> PolicyRefusal:
    name = policy.name if policy is not None else "-"
    basis = policy.legal_basis if policy is not None else "-"
    return PolicyRefusal(code, policy=name, legal_basis=basis, **params)
