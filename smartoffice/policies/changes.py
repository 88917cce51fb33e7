"""Changing plans and policies: work days (with the caps enforced), exemptions, anchor days, policies.

Each function runs inside the caller's write transaction, checks who may act, and raises a domain error that
changes nothing. What a manager or an administrator changes (exemption decisions, anchor days, policies) is
written to the audit log in the same transaction; ``via`` says through what (see ``AuditEntry.via``). Policies
themselves are set and ended in :mod:`~smartoffice.policies.policy_changes`, re-exported here.

Caps that count other people's rows (a unit's remote share, a building's occupancy) first lock the row they are
counted under (the unit, the building), so two concurrent requests cannot both take the last place on
PostgreSQL; on SQLite the ``BEGIN IMMEDIATE`` write lock already serialises them.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.audit.record import Actor, record_change
from smartoffice.db import utcnow
from smartoffice.errors import CommonInputCode, InvalidInput, NotFound, PermissionDenied, PolicyRefusal
from smartoffice.people import service as people
from smartoffice.people.models import Employee, OrgUnit
from smartoffice.people.roles import manages, manages_unit
from smartoffice.policies.engine import Requirement, monday_of, rules_on
from smartoffice.policies.errors import PolicyInputCode, PolicyPermissionCode, PolicyRefusalCode
from smartoffice.policies.facts import load_people, load_policies_for
from smartoffice.policies.models import AnchorDay, Exemption, ExemptionStatus, WorkDay, WorkMode
from smartoffice.policies.policy_changes import SCOPE_COLUMNS as SCOPE_COLUMNS  # re-exported, as are these:
from smartoffice.policies.policy_changes import PolicyDraft as PolicyDraft
from smartoffice.policies.policy_changes import create_policy as create_policy
from smartoffice.policies.policy_changes import end_policy as end_policy
from smartoffice.policies.weeks import plan_weeks

MAX_TEXT = 4_000
DEFAULT_EXEMPTION_MAX_DAYS = 92
"""Three months, the longest a special-circumstances exemption runs unless a policy says less."""


async def _require_manager(
    session: AsyncSession, actor_id: int, employee: Employee, code: PolicyPermissionCode
) -> None:
    if actor_id != employee.id and not await manages(session, actor_id, employee):
        raise PermissionDenied(code)


async def set_work_day(
    session: AsyncSession,
    actor_id: int,
    employee_id: int,
    day: date,
    today: date,
    *,
    planned: WorkMode | None,
) -> WorkDay | None:
    """Plan a day (or clear the plan with None). The person themself, or their managers.

    A remote plan is refused on a day the person is required in the office, beyond the week's remote allowance,
    and when the person's unit already has its capped share remote that day. Office is planned by booking a desk
    (planning OFFICE here is allowed, for people who sit at an assigned desk).
    """
    employee = await people.get_employee(session, employee_id)
    await _require_manager(session, actor_id, employee, PolicyPermissionCode.NOT_YOUR_PLAN)
    if day < today:
        raise InvalidInput("date", CommonInputCode.PAST_DAY)
    if planned is not None and planned.is_remote:
        await _check_remote_day(session, employee, day, today)
    row = await session.scalar(select(WorkDay).where(WorkDay.employee_id == employee.id, WorkDay.day == day))
    if row is None:
        if planned is None:
            return None
        row = WorkDay(employee_id=employee.id, day=day)
        session.add(row)
    row.planned = planned
    row.updated_by_id = actor_id
    await session.flush()
    return row


async def record_attendance(
    session: AsyncSession, actor_id: int, employee_id: int, day: date, actual: WorkMode | None
) -> WorkDay | None:
    """What someone did on a day, as an attendance system reports it. Managers and admins (apps by token)."""
    employee = await people.get_employee(session, employee_id)
    if not await manages(session, actor_id, employee):
        raise PermissionDenied(PolicyPermissionCode.NOT_YOUR_PLAN)
    row = await session.scalar(select(WorkDay).where(WorkDay.employee_id == employee.id, WorkDay.day == day))
    if row is None:
        row = WorkDay(employee_id=employee.id, day=day)
        session.add(row)
    row.actual = actual
    row.updated_by_id = actor_id
    await session.flush()
    return row


async def _check_remote_day(session: AsyncSession, employee: Employee, day: date, today: date) -> None:
    # Lock the unit first: the share below counts the unit's other plans.
    await session.execute(select(OrgUnit.id).where(OrgUnit.id == employee.org_unit_id).with_for_update())
    plan = (await plan_weeks(session, [employee.id], monday_of(day), today, with_supervisors=False))[employee.id]
    day_plan = plan.days[day.weekday()]
    if day_plan.requirement == Requirement.REQUIRED:
        # The first reason that names a policy (NOT_ELIGIBLE is a fact; the eligibility rule behind it follows).
        policy = next((reason.policy for reason in day_plan.reasons if reason.policy is not None), None)
        raise _refusal(PolicyRefusalCode.DAY_REQUIRED_IN_OFFICE, policy, day=day.isoformat())
    if day_plan.requirement == Requirement.NOT_WORKING:
        raise InvalidInput("date", PolicyInputCode.NOT_A_WORKING_DAY, day=day.isoformat())
    remote = sum(1 for d in plan.working_days if d.day != day and d.status is not None and d.status.is_remote)
    if remote + 1 > plan.remote_days_allowed:
        source = day_plan.rules.sources.get("max_remote_days_per_week") if day_plan.rules else None
        raise _refusal(PolicyRefusalCode.REMOTE_ALLOWANCE_USED, source, allowed=plan.remote_days_allowed)
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
        raise _refusal(
            PolicyRefusalCode.UNIT_REMOTE_SHARE_CAP,
            rules.sources.get("max_unit_remote_percent"),
            percent=cap,
            day=day.isoformat(),
        )


def _refusal(code: PolicyRefusalCode, policy: Any, **params: object) -> PolicyRefusal:
    name = policy.name if policy is not None else "-"
    basis = policy.legal_basis if policy is not None else "-"
    return PolicyRefusal(code, policy=name, legal_basis=basis, **params)


# exemptions


@dataclass(frozen=True, slots=True)
class ExemptionRequest:
    employee_id: int
    remote_days_per_week: int
    starts_on: date
    ends_on: date
    reason: str
    evidence: str
    work_plan: str


async def request_exemption(
    session: AsyncSession, actor_id: int, request: ExemptionRequest, today: date, now: datetime
) -> Exemption:
    """Ask for remote days beyond the policy: a reason, evidence and a work plan (PermenPANRB 4/2025)."""
    employee = await people.get_employee(session, request.employee_id)
    await _require_manager(session, actor_id, employee, PolicyPermissionCode.NOT_YOUR_PLAN)
    for field, text in (("reason", request.reason), ("evidence", request.evidence), ("workPlan", request.work_plan)):
        if not text.strip():
            raise InvalidInput(field, CommonInputCode.REQUIRED)
        if len(text) > MAX_TEXT:
            raise InvalidInput(field, CommonInputCode.TEXT_TOO_LONG, max=MAX_TEXT)
    if request.starts_on < today:
        raise InvalidInput("startsOn", CommonInputCode.PAST_DAY)
    if request.ends_on < request.starts_on:
        raise InvalidInput("endsOn", CommonInputCode.RANGE_REVERSED)
    if not 1 <= request.remote_days_per_week <= 5:
        raise InvalidInput("remoteDaysPerWeek", CommonInputCode.OUT_OF_RANGE, low=1, high=5)
    person = (await load_people(session, [employee.id], request.starts_on, request.starts_on))[employee.id]
    policies = await load_policies_for(session, request.starts_on, request.starts_on, [person])
    rules = rules_on(request.starts_on, person, policies)
    max_days = rules.rules.exemption_max_days or DEFAULT_EXEMPTION_MAX_DAYS
    if (request.ends_on - request.starts_on).days + 1 > max_days:
        raise InvalidInput("endsOn", PolicyInputCode.EXEMPTION_TOO_LONG, max=max_days)
    max_remote = rules.rules.exemption_max_remote_days
    if max_remote is not None and request.remote_days_per_week > max_remote:
        raise InvalidInput("remoteDaysPerWeek", CommonInputCode.OUT_OF_RANGE, low=1, high=max_remote)
    exemption = Exemption(
        employee_id=employee.id,
        remote_days_per_week=request.remote_days_per_week,
        reason=request.reason.strip(),
        evidence=request.evidence.strip(),
        work_plan=request.work_plan.strip(),
        starts_on=request.starts_on,
        ends_on=request.ends_on,
        status=ExemptionStatus.PENDING,
        requested_by_id=actor_id,
        created_at=now,
    )
    session.add(exemption)
    await session.flush()
    return exemption


async def decide_exemption(
    session: AsyncSession,
    actor_id: int,
    exemption_id: int,
    *,
    approve: bool,
    note: str | None,
    now: datetime,
    via: str = "api",
) -> Exemption:
    """The head of the person's unit (a unit manager over them) or an admin approves or rejects; not oneself."""
    exemption = await session.get(Exemption, exemption_id, with_for_update=True)
    if exemption is None:
        raise NotFound("Exemption", exemption_id)
    employee = await people.get_employee(session, exemption.employee_id)
    if actor_id == employee.id or not await manages_unit(session, actor_id, employee.org_unit_id):
        raise PermissionDenied(PolicyPermissionCode.NOT_YOUR_DECISION)
    if exemption.status != ExemptionStatus.PENDING:
        raise InvalidInput("exemptionId", PolicyInputCode.EXEMPTION_NOT_PENDING)
    exemption.status = ExemptionStatus.APPROVED if approve else ExemptionStatus.REJECTED
    exemption.decided_by_id = actor_id
    exemption.decided_at = now
    exemption.decision_note = (note or "").strip()[:MAX_TEXT] or None
    await session.flush()
    after = {"status": exemption.status, "decision_note": exemption.decision_note}
    record_change(
        session,
        Actor(actor_id, via),
        "exemption.decide",
        at=now,
        entity_kind="Exemption",
        entity_id=exemption.id,
        before={"status": ExemptionStatus.PENDING},
        after=after,
        org_unit_id=employee.org_unit_id,
    )
    return exemption


# anchor days


async def set_anchor_days(
    session: AsyncSession,
    actor_id: int,
    unit_id: int,
    weekdays: list[int],
    effective_from: date,
    today: date,
    *,
    now: datetime | None = None,
    via: str = "api",
) -> list[AnchorDay]:
    """Replace a unit's anchor days from ``effective_from`` on: unit managers over the unit, or admins."""
    if await session.get(OrgUnit, unit_id) is None:
        raise NotFound("OrgUnit", unit_id)
    if not await manages_unit(session, actor_id, unit_id):
        raise PermissionDenied(PolicyPermissionCode.NOT_YOUR_UNIT)
    if effective_from < today:
        raise InvalidInput("effectiveFrom", CommonInputCode.PAST_DAY)
    if any(not 0 <= weekday <= 4 for weekday in weekdays) or len(set(weekdays)) != len(weekdays):
        raise InvalidInput("weekdays", PolicyInputCode.NOT_WORKING_WEEKDAYS)
    in_force = (AnchorDay.effective_until.is_(None)) | (AnchorDay.effective_until >= effective_from)
    before = await session.scalars(
        select(AnchorDay.weekday)
        .where(AnchorDay.org_unit_id == unit_id, AnchorDay.effective_from <= effective_from, in_force)
        .order_by(AnchorDay.weekday)
    )
    previous = {"weekdays": list(before)}
    await session.execute(
        update(AnchorDay)
        .where(
            AnchorDay.org_unit_id == unit_id,
            AnchorDay.effective_from < effective_from,
            or_(AnchorDay.effective_until.is_(None), AnchorDay.effective_until >= effective_from),
        )
        .values(effective_until=effective_from - timedelta(days=1))
    )
    for later in await session.scalars(
        select(AnchorDay).where(AnchorDay.org_unit_id == unit_id, AnchorDay.effective_from >= effective_from)
    ):
        await session.delete(later)
    await session.flush()
    rows = [
        AnchorDay(org_unit_id=unit_id, weekday=weekday, effective_from=effective_from) for weekday in sorted(weekdays)
    ]
    session.add_all(rows)
    await session.flush()
    record_change(
        session,
        Actor(actor_id, via),
        "anchor_days.set",
        at=now or utcnow(),
        entity_kind="OrgUnit",
        entity_id=unit_id,
        before=previous,
        after={"weekdays": sorted(weekdays), "effective_from": effective_from},
        org_unit_id=unit_id,
    )
    return rows
