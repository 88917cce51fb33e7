"""Exemptions (special circumstances, PermenPANRB 4/2025 Pasal 13): asked for by a person, recommended by their
direct supervisor, decided by their unit's head.

The flow: the person (or a manager for them) **requests** with a reason, evidence (a text and/or a file, see
:mod:`~smartoffice.policies.evidence`), a work plan and dates; the request is PENDING. The person's direct
supervisor **recommends** for or against, with a note (once). A unit manager over the person (the head of the unit,
or an administrator) **decides**: approved or rejected, and when approving whether the exemption applies even
during a discipline case. The head may decide at any time, recommendation or not (the supervisor may be away, be
the head, or not exist): the head sees the recommendation when there is one. The person may **withdraw** while it
is PENDING. Nobody acts on their own request.

Each function runs inside the caller's write transaction, checks who may act, and raises a domain error that
changes nothing; recommendations, decisions and withdrawals are audited in the same transaction. A request and a
decision notify in it too (:func:`smartoffice.notifications.produce.notify`): a request goes to the person's direct
supervisor and to the unit managers of the nearest unit above them that has one
(:func:`~smartoffice.people.roles.nearest_unit_managers`), a decision to the person and whoever asked for them.
"""

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from smartoffice.audit.record import Actor, record_change
from smartoffice.errors import CommonInputCode, InvalidInput, NotFound, PermissionDenied
from smartoffice.notifications.kinds import ExemptionFacts
from smartoffice.notifications.models import NotificationKind
from smartoffice.notifications.produce import Draft, notify
from smartoffice.people import service as people
from smartoffice.people.models import Employee
from smartoffice.people.roles import manages, manages_unit, nearest_unit_managers
from smartoffice.people.service import WITH_UNIT
from smartoffice.policies.day_rules import rules_on
from smartoffice.policies.errors import PolicyInputCode, PolicyPermissionCode
from smartoffice.policies.evidence import EvidenceFile
from smartoffice.policies.facts import load_people, load_policies_for
from smartoffice.policies.models import Exemption, ExemptionEvidence, ExemptionStatus
from smartoffice.policies.permissions import require_self_or_manager
from smartoffice.policies.rules import PolicyRules

MAX_TEXT = 4_000
DEFAULT_EXEMPTION_MAX_MONTHS = 3
"""PermenPANRB 4/2025 Pasal 13: special circumstances allow remote work "paling lama 3 (tiga) bulan", counted in
calendar months, unless a policy states a shorter limit (in months or in days)."""


@dataclass(frozen=True, slots=True)
class ExemptionRequest:
    employee_id: int
    remote_days_per_week: int
    starts_on: date
    ends_on: date
    reason: str
    evidence: str
    """What supports it, in words (a letter's number); may be empty when a file is attached."""
    work_plan: str


@dataclass(frozen=True, slots=True)
class ExemptionDetails:
    """A request with what the pages and the API show beside it (loaded in a fixed number of queries)."""

    exemption: Exemption
    employee: Employee
    """With their unit and organisation."""
    evidence: ExemptionEvidence | None
    """The attached file's description (name, type, size, hash): its bytes are not loaded."""
    recommended_by: Employee | None
    decided_by: Employee | None


def months_end(starts_on: date, months: int) -> date:
    """The last day of a period of ``months`` calendar months from ``starts_on``: the day before the same day of the
    month that many months later (14 December → 13 March), or that month's last day when it has no such day (30
    November → 28 February), as civil-law periods count (Indonesian courts and KUHPerdata practice)."""
    month_index = starts_on.month - 1 + months
    year, month = starts_on.year + month_index // 12, month_index % 12 + 1
    last_of_month = calendar.monthrange(year, month)[1]
    if starts_on.day > last_of_month:
        return date(year, month, last_of_month)
    return date(year, month, starts_on.day) - timedelta(days=1)


def latest_end(starts_on: date, rules: PolicyRules) -> date:
    """The last day an exemption starting on ``starts_on`` may run to: the stricter of what the policies state in
    days and in months; 3 calendar months when they state neither."""
    ends: list[date] = []
    if rules.exemption_max_days is not None:
        ends.append(starts_on + timedelta(days=rules.exemption_max_days - 1))
    if rules.exemption_max_months is not None:
        ends.append(months_end(starts_on, rules.exemption_max_months))
    return min(ends) if ends else months_end(starts_on, DEFAULT_EXEMPTION_MAX_MONTHS)


def _check_text(request: ExemptionRequest, has_file: bool) -> None:
    fields = (("reason", request.reason), ("evidence", request.evidence), ("workPlan", request.work_plan))
    for field, text in fields:
        if not text.strip() and not (field == "evidence" and has_file):
            raise InvalidInput(field, CommonInputCode.REQUIRED)
        if len(text) > MAX_TEXT:
            raise InvalidInput(field, CommonInputCode.TEXT_TOO_LONG, max=MAX_TEXT)


async def request_exemption(
    session: AsyncSession,
    actor_id: int,
    request: ExemptionRequest,
    today: date,
    now: datetime,
    evidence_file: EvidenceFile | None = None,
) -> Exemption:
    """Ask for remote days beyond the policy: a reason, evidence (words and/or a checked file) and a work plan."""
    employee = await people.get_employee(session, request.employee_id)
    await require_self_or_manager(session, actor_id, employee, PolicyPermissionCode.NOT_YOUR_PLAN)
    _check_text(request, evidence_file is not None)
    if request.starts_on < today:
        raise InvalidInput("startsOn", CommonInputCode.PAST_DAY)
    if request.ends_on < request.starts_on:
        raise InvalidInput("endsOn", CommonInputCode.RANGE_REVERSED)
    if not 1 <= request.remote_days_per_week <= 5:
        raise InvalidInput("remoteDaysPerWeek", CommonInputCode.OUT_OF_RANGE, low=1, high=5)
    person = (await load_people(session, [employee.id], request.starts_on, request.starts_on))[employee.id]
    policies = await load_policies_for(session, request.starts_on, request.starts_on, [person])
    rules = rules_on(request.starts_on, person, policies).rules
    last_day = latest_end(request.starts_on, rules)
    if request.ends_on > last_day:
        limits = {"max": rules.exemption_max_days, "months": rules.exemption_max_months}
        stated = {key: value for key, value in limits.items() if value is not None}
        raise InvalidInput(
            "endsOn",
            PolicyInputCode.EXEMPTION_TOO_LONG,
            start=request.starts_on,
            last_day=last_day,
            **(stated or {"months": DEFAULT_EXEMPTION_MAX_MONTHS}),
        )
    max_remote = rules.exemption_max_remote_days
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
    if evidence_file is not None:
        session.add(
            ExemptionEvidence(
                exemption_id=exemption.id,
                file_name=evidence_file.file_name,
                content_type=evidence_file.content_type,
                size_bytes=evidence_file.size_bytes,
                sha256=evidence_file.sha256,
                content=evidence_file.content,
                uploaded_by_id=actor_id,
                uploaded_at=now,
            )
        )
        await session.flush()
    await _notify_requested(session, exemption, employee, actor_id, now)
    return exemption


async def _notify_requested(
    session: AsyncSession, exemption: Exemption, employee: Employee, actor_id: int, now: datetime
) -> None:
    """EXEMPTION_REQUESTED to those asked to act: the direct supervisor (to recommend) and the nearest unit
    managers (to decide); never to whoever asked."""
    recipients = set(await nearest_unit_managers(session, employee.org_unit_id, besides=employee.id))
    if employee.supervisor_id is not None:
        recipients.add(employee.supervisor_id)
    recipients -= {actor_id, employee.id}
    if not recipients:
        return
    data = dict(_facts(exemption, employee, await _name_of(session, actor_id, employee)))
    drafts = [
        Draft(r, NotificationKind.EXEMPTION_REQUESTED, f"exemption:{exemption.id}:requested", data, actor_id=actor_id)
        for r in sorted(recipients)
    ]
    await notify(session, drafts, now)


async def _notify_decided(
    session: AsyncSession, exemption: Exemption, employee: Employee, actor_id: int, now: datetime
) -> None:
    """EXEMPTION_DECIDED to the person and, when someone else asked for them, to that one (not to the decider)."""
    recipients = {employee.id, exemption.requested_by_id} - {actor_id}
    facts = _facts(exemption, employee, await _name_of(session, actor_id, employee))
    facts["approved"] = exemption.status == ExemptionStatus.APPROVED
    facts["note"] = exemption.decision_note
    key, data = f"exemption:{exemption.id}:decided", dict(facts)
    drafts = [Draft(r, NotificationKind.EXEMPTION_DECIDED, key, data, actor_id=actor_id) for r in sorted(recipients)]
    await notify(session, drafts, now)


def _facts(exemption: Exemption, employee: Employee, actor_name: str | None) -> ExemptionFacts:
    return ExemptionFacts(
        exemptionId=exemption.id,
        personId=employee.id,
        personName=employee.name,
        startsOn=exemption.starts_on.isoformat(),
        endsOn=exemption.ends_on.isoformat(),
        remoteDaysPerWeek=exemption.remote_days_per_week,
        reason=exemption.reason,
        actorName=actor_name,
    )


async def _name_of(session: AsyncSession, actor_id: int, employee: Employee) -> str | None:
    if actor_id == employee.id:
        return employee.name
    return await session.scalar(select(Employee.name).where(Employee.id == actor_id))


async def _pending(session: AsyncSession, exemption_id: int) -> tuple[Exemption, Employee]:
    """The request (row-locked) and its person; NotFound when there is no such request."""
    exemption = await session.get(Exemption, exemption_id, with_for_update=True)
    if exemption is None:
        raise NotFound("Exemption", exemption_id)
    return exemption, await people.get_employee(session, exemption.employee_id)


def _note(note: str | None) -> str | None:
    return (note or "").strip()[:MAX_TEXT] or None


async def withdraw_exemption(
    session: AsyncSession, actor_id: int, exemption_id: int, *, now: datetime, via: str = "api"
) -> Exemption:
    """The person (or whoever asked for them) takes back a request that is still PENDING."""
    exemption, employee = await _pending(session, exemption_id)
    if actor_id not in (employee.id, exemption.requested_by_id):
        raise PermissionDenied(PolicyPermissionCode.NOT_YOUR_REQUEST)
    if exemption.status != ExemptionStatus.PENDING:
        raise InvalidInput("exemptionId", PolicyInputCode.EXEMPTION_NOT_PENDING)
    exemption.status = ExemptionStatus.WITHDRAWN
    exemption.withdrawn_at = now
    await session.flush()
    record_change(
        session,
        Actor(actor_id, via),
        "exemption.withdraw",
        at=now,
        entity_kind="Exemption",
        entity_id=exemption.id,
        before={"status": ExemptionStatus.PENDING},
        after={"status": exemption.status},
        org_unit_id=employee.org_unit_id,
    )
    return exemption


async def recommend_exemption(
    session: AsyncSession,
    actor_id: int,
    exemption_id: int,
    *,
    recommend: bool,
    note: str | None,
    now: datetime,
    via: str = "api",
) -> Exemption:
    """The person's direct supervisor recommends for (``recommend``) or against, once, while it is PENDING."""
    exemption, employee = await _pending(session, exemption_id)
    if actor_id == employee.id or employee.supervisor_id != actor_id:
        raise PermissionDenied(PolicyPermissionCode.NOT_YOUR_RECOMMENDATION)
    if exemption.status != ExemptionStatus.PENDING:
        raise InvalidInput("exemptionId", PolicyInputCode.EXEMPTION_NOT_PENDING)
    if exemption.recommendation is not None:
        raise InvalidInput("exemptionId", PolicyInputCode.EXEMPTION_ALREADY_RECOMMENDED)
    exemption.recommendation = recommend
    exemption.recommended_by_id = actor_id
    exemption.recommended_at = now
    exemption.recommendation_note = _note(note)
    await session.flush()
    record_change(
        session,
        Actor(actor_id, via),
        "exemption.recommend",
        at=now,
        entity_kind="Exemption",
        entity_id=exemption.id,
        before={"recommendation": None},
        after={"recommendation": recommend, "recommendation_note": exemption.recommendation_note},
        org_unit_id=employee.org_unit_id,
    )
    return exemption


async def decide_exemption(
    session: AsyncSession,
    actor_id: int,
    exemption_id: int,
    *,
    approve: bool,
    note: str | None,
    now: datetime,
    overrides_discipline: bool = False,
    via: str = "api",
) -> Exemption:
    """The head of the person's unit (a unit manager over them) or an admin approves or rejects; not oneself.

    ``overrides_discipline`` (approvals only): the exemption applies even while a discipline case suspends the
    person's remote work. A recommendation is not required first (see the module docstring)."""
    exemption, employee = await _pending(session, exemption_id)
    if actor_id == employee.id or not await manages_unit(session, actor_id, employee.org_unit_id):
        raise PermissionDenied(PolicyPermissionCode.NOT_YOUR_DECISION)
    if exemption.status != ExemptionStatus.PENDING:
        raise InvalidInput("exemptionId", PolicyInputCode.EXEMPTION_NOT_PENDING)
    exemption.status = ExemptionStatus.APPROVED if approve else ExemptionStatus.REJECTED
    exemption.decided_by_id = actor_id
    exemption.decided_at = now
    exemption.decision_note = _note(note)
    exemption.overrides_discipline = approve and overrides_discipline
    await session.flush()
    after: dict[str, object] = {"status": exemption.status, "decision_note": exemption.decision_note}
    if approve:
        after["overrides_discipline"] = exemption.overrides_discipline
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
    await _notify_decided(session, exemption, employee, actor_id, now)
    return exemption


async def can_see(session: AsyncSession, viewer_id: int, employee: Employee) -> bool:
    """The person, their direct supervisor, a unit manager over them, an administrator."""
    return viewer_id == employee.id or await manages(session, viewer_id, employee)


async def visible_exemption(session: AsyncSession, viewer_id: int, exemption_id: int) -> ExemptionDetails:
    """One request for someone who may see it (:func:`can_see`); NotFound for anyone else, as for no request (its
    existence is the person's business)."""
    exemption = await session.get(Exemption, exemption_id)
    if exemption is None:
        raise NotFound("Exemption", exemption_id)
    employee = await people.get_employee(session, exemption.employee_id)
    if not await can_see(session, viewer_id, employee):
        raise NotFound("Exemption", exemption_id)
    return (await with_details(session, [(exemption, employee)]))[0]


@dataclass(frozen=True, slots=True)
class ExemptionCase:
    """A request as one viewer sees it: what they may do to it now."""

    details: ExemptionDetails
    can_withdraw: bool
    can_recommend: bool
    can_decide: bool


async def exemption_case(session: AsyncSession, viewer_id: int, exemption_id: int) -> ExemptionCase:
    """:func:`visible_exemption` with the viewer's possible actions (the same rules the actions check)."""
    details = await visible_exemption(session, viewer_id, exemption_id)
    exemption, employee = details.exemption, details.employee
    pending = exemption.status == ExemptionStatus.PENDING
    others = pending and viewer_id != employee.id
    return ExemptionCase(
        details,
        can_withdraw=pending and viewer_id in (employee.id, exemption.requested_by_id),
        can_recommend=others and exemption.recommendation is None and employee.supervisor_id == viewer_id,
        can_decide=others and await manages_unit(session, viewer_id, employee.org_unit_id),
    )


async def evidence_file(session: AsyncSession, viewer_id: int, exemption_id: int) -> ExemptionEvidence:
    """The request's file with its bytes, for someone who may see the request; NotFound otherwise or without one."""
    await visible_exemption(session, viewer_id, exemption_id)
    evidence = await session.scalar(
        select(ExemptionEvidence)
        .where(ExemptionEvidence.exemption_id == exemption_id)
        .options(undefer(ExemptionEvidence.content))
    )
    if evidence is None:
        raise NotFound("Exemption", exemption_id)
    return evidence


async def with_details(session: AsyncSession, rows: Sequence[tuple[Exemption, Employee]]) -> list[ExemptionDetails]:
    """``rows`` with their evidence files' descriptions and who recommended and decided: two queries for any
    number of rows."""
    ids = [exemption.id for exemption, _ in rows]
    files = {
        row.exemption_id: row
        for row in await session.scalars(select(ExemptionEvidence).where(ExemptionEvidence.exemption_id.in_(ids)))
    }
    people_ids = {
        person_id
        for exemption, _ in rows
        for person_id in (exemption.recommended_by_id, exemption.decided_by_id)
        if person_id is not None
    }
    named = (
        {p.id: p for p in await session.scalars(select(Employee).where(Employee.id.in_(people_ids)).options(WITH_UNIT))}
        if people_ids
        else {}
    )
    return [
        ExemptionDetails(
            exemption,
            employee,
            files.get(exemption.id),
            named.get(exemption.recommended_by_id) if exemption.recommended_by_id else None,
            named.get(exemption.decided_by_id) if exemption.decided_by_id else None,
        )
        for exemption, employee in rows
    ]
