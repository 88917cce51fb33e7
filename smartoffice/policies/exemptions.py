"""Exemptions (special circumstances, PermenPANRB 4/2025 Pasal 13): asked for by a person, decided by their unit's head.

Each function runs inside the caller's write transaction, checks who may act, and raises a domain error that
changes nothing; decisions are audited in the same transaction.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.audit.record import Actor, record_change
from smartoffice.errors import CommonInputCode, InvalidInput, NotFound, PermissionDenied
from smartoffice.people import service as people
from smartoffice.people.roles import manages_unit
from smartoffice.policies.engine import rules_on
from smartoffice.policies.errors import PolicyInputCode, PolicyPermissionCode
from smartoffice.policies.facts import load_people, load_policies_for
from smartoffice.policies.models import Exemption, ExemptionStatus
from smartoffice.policies.permissions import require_self_or_manager

MAX_TEXT = 4_000
DEFAULT_EXEMPTION_MAX_DAYS = 92
"""Three months, the longest a special-circumstances exemption runs unless a policy says less."""


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
    await require_self_or_manager(session, actor_id, employee, PolicyPermissionCode.NOT_YOUR_PLAN)
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
