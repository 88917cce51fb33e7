"""Whether a person may plan a remote day: required days, the week's remote allowance and the unit's remote share.

Runs inside the caller's write transaction. The unit's row is locked before its plans are counted, so two
concurrent requests cannot both take the last remote place on PostgreSQL; on SQLite the ``BEGIN IMMEDIATE`` write
lock already serialises them.
"""

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.errors import InvalidInput, PolicyRefusal
from smartoffice.people.models import Employee, OrgUnit
from smartoffice.policies.engine import Requirement, monday_of
from smartoffice.policies.errors import PolicyInputCode, PolicyRefusalCode
from smartoffice.policies.models import WorkDay, WorkMode
from smartoffice.policies.weeks import plan_weeks


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
        source = day_plan.rules.sources.get("max_remote_days_per_week") if day_plan.rules else None
        raise refusal(PolicyRefusalCode.REMOTE_ALLOWANCE_USED, source, allowed=plan.remote_days_allowed)
    rules = day_plan.rules
    cap = rules.rules.max_unit_remote_percent if rules is not None else None
    if rules is None or cap is None:
        return
    members = await session.scalar(select(func.count()).where(Employee.org_unit_id == employee.org_unit_id))
    remote_already = await session.scalar(
        select(func.count())
        .select_from(WorkDay)
        .join(Employee, WorkDay.employee_id == Employee.id)
        .where(
            Employee.org_unit_id == employee.org_unit_id,
            Employee.id != employee.id,
            WorkDay.day == day,
            WorkDay.planned.in_([WorkMode.HOME, WorkMode.ANYWHERE]),
        )
    )
    if ((remote_already or 0) + 1) * 100 > cap * (members or 0):
        raise refusal(
            PolicyRefusalCode.UNIT_REMOTE_SHARE_CAP,
            rules.sources.get("max_unit_remote_percent"),
            percent=cap,
            day=day.isoformat(),
        )


def refusal(code: PolicyRefusalCode, policy: Any, **params: object) -> PolicyRefusal:
    name = policy.name if policy is not None else "-"
    basis = policy.legal_basis if policy is not None else "-"
    return PolicyRefusal(code, policy=name, legal_basis=basis, **params)
