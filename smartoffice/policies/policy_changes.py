"""Setting and ending office-day policies: who may, what is checked, and the audit entry each change writes.

Like the other changes (:mod:`~smartoffice.policies.work_days`, :mod:`~smartoffice.policies.exemptions`), each
function runs inside the caller's write transaction and raises a domain error that changes nothing.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.audit.record import Actor, record_change
from smartoffice.db import utcnow
from smartoffice.errors import CommonInputCode, InvalidInput, NotFound, PermissionDenied
from smartoffice.people.models import Employee, Organisation, OrgUnit
from smartoffice.people.roles import is_admin, manages_unit
from smartoffice.places.models import Building
from smartoffice.policies.errors import PolicyInputCode, PolicyPermissionCode
from smartoffice.policies.models import Policy, PolicyLevel
from smartoffice.policies.rules import PolicyRules, parse_rules, rules_document

MAX_TEXT = 4_000


@dataclass(frozen=True, slots=True)
class PolicyDraft:
    code: str
    name: str
    level: PolicyLevel
    is_overlay: bool
    legal_basis: str
    set_by: str
    effective_from: date
    effective_until: date | None
    rules: dict[str, Any]
    scope: dict[str, Any]
    """Scope columns: organisation_id, org_unit_id, position_kind, position_level, employment_type, building_id,
    employee_id."""


SCOPE_COLUMNS = (
    "organisation_id",
    "org_unit_id",
    "position_kind",
    "position_level",
    "employment_type",
    "building_id",
    "employee_id",
)
SCOPE_REFERENCES: dict[str, type[Organisation | OrgUnit | Building | Employee]] = {
    "organisation_id": Organisation,
    "org_unit_id": OrgUnit,
    "building_id": Building,
    "employee_id": Employee,
}
"""Scope columns naming a row, which must exist (a missing one is a NotFound, not a foreign-key failure)."""


async def create_policy(
    session: AsyncSession, actor_id: int, draft: PolicyDraft, now: datetime, *, via: str = "api"
) -> Policy:
    """Admins set policies at any level; a unit manager sets UNIT or INDIVIDUAL policies inside their subtree.

    Overlays are for administrators only: an overlay replaces what it states above every level, so a unit's
    overlay could loosen the national cap.
    """
    rules = await checked_draft(session, actor_id, draft)
    policy = Policy(
        code=draft.code.strip(),
        name=draft.name.strip(),
        level=int(draft.level),
        is_overlay=draft.is_overlay,
        legal_basis=draft.legal_basis.strip(),
        set_by=draft.set_by.strip(),
        created_by_id=actor_id,
        effective_from=draft.effective_from,
        effective_until=draft.effective_until,
        rules=rules_document(rules),
        created_at=now,
        **{column: draft.scope.get(column) for column in SCOPE_COLUMNS},
    )
    session.add(policy)
    await session.flush()
    after = {column: getattr(policy, column) for column in POLICY_AUDITED}
    await _audit_policy(session, Actor(actor_id, via), "policy.create", policy, now, before=None, after=after)
    return policy


async def checked_draft(session: AsyncSession, actor_id: int, draft: PolicyDraft) -> PolicyRules:
    """The draft's rules, if ``actor_id`` may create it as it stands; else the error :func:`create_policy` raises.
    Nothing is written: the preview (:func:`~smartoffice.policies.preview.check_draft`) asks the same."""
    rules = parse_rules(draft.rules)
    if unknown := set(draft.scope) - set(SCOPE_COLUMNS):
        raise InvalidInput("scope", PolicyInputCode.UNKNOWN_SCOPE, names=", ".join(sorted(unknown)))
    if draft.effective_until is not None and draft.effective_until < draft.effective_from:
        raise InvalidInput("effectiveUntil", CommonInputCode.RANGE_REVERSED)
    for field, text, longest in (
        ("code", draft.code, 64),
        ("name", draft.name, 200),
        ("legalBasis", draft.legal_basis, MAX_TEXT),
        ("setBy", draft.set_by, 200),
    ):
        if not text.strip():
            raise InvalidInput(field, CommonInputCode.REQUIRED)
        if len(text.strip()) > longest:
            raise InvalidInput(field, CommonInputCode.TEXT_TOO_LONG, max=longest)
    for column, model in SCOPE_REFERENCES.items():
        if (ident := draft.scope.get(column)) is not None and await session.get(model, ident) is None:
            raise NotFound(model.__name__, ident)
    if not await may_set(session, actor_id, draft.level, draft.is_overlay, draft.scope.get("org_unit_id")):
        raise PermissionDenied(PolicyPermissionCode.NOT_YOUR_POLICY)
    if await session.scalar(select(Policy.id).where(Policy.code == draft.code.strip())) is not None:
        raise InvalidInput("code", PolicyInputCode.DUPLICATE_CODE, value=draft.code)
    return rules


async def may_set(
    session: AsyncSession, actor_id: int, level: PolicyLevel | int, is_overlay: bool, org_unit_id: int | None
) -> bool:
    """Who may create (and so end) a policy: administrators any; a unit manager a UNIT or INDIVIDUAL policy, not an
    overlay, scoped to a unit they manage (an overlay replaces what it states above every level, so a unit's overlay
    could loosen the national cap)."""
    if await is_admin(session, actor_id):
        return True
    return (
        not is_overlay
        and level >= PolicyLevel.UNIT
        and org_unit_id is not None
        and await manages_unit(session, actor_id, org_unit_id)
    )


async def end_policy(
    session: AsyncSession,
    actor_id: int,
    policy_id: int,
    last_day: date,
    *,
    now: datetime | None = None,
    via: str = "api",
) -> Policy:
    """End a policy after ``last_day`` (its history stays). Whoever may create it may end it."""
    policy = await session.get(Policy, policy_id, with_for_update=True)
    if policy is None:
        raise NotFound("Policy", policy_id)
    if not await may_set(session, actor_id, policy.level, policy.is_overlay, policy.org_unit_id):
        raise PermissionDenied(PolicyPermissionCode.NOT_YOUR_POLICY)
    if last_day < policy.effective_from:
        raise InvalidInput("lastDay", CommonInputCode.RANGE_REVERSED)
    before = {"effective_until": policy.effective_until}
    policy.effective_until = last_day
    await session.flush()
    after = {"effective_until": last_day}
    await _audit_policy(session, Actor(actor_id, via), "policy.end", policy, now or utcnow(), before, after)
    return policy


POLICY_AUDITED: tuple[str, ...] = (
    *("code", "name", "level", "is_overlay", "legal_basis", "set_by", "effective_from", "effective_until", "rules"),
    *SCOPE_COLUMNS,
)
"""The columns a new policy's audit entry shows."""


async def _audit_policy(
    session: AsyncSession,
    actor: Actor,
    action: str,
    policy: Policy,
    at: datetime,
    before: dict[str, Any] | None,
    after: dict[str, Any],
) -> None:
    """The entry names the policy's unit (a person's policy: their unit) and site (a building's policy: its site),
    so the managers of either can read it."""
    unit_id = policy.org_unit_id
    if unit_id is None and policy.employee_id is not None:
        unit_id = await session.scalar(select(Employee.org_unit_id).where(Employee.id == policy.employee_id))
    site_id = None
    if policy.building_id is not None:
        site_id = await session.scalar(select(Building.site_id).where(Building.id == policy.building_id))
    record_change(
        session,
        actor,
        action,
        at=at,
        entity_kind="Policy",
        entity_id=policy.id,
        before=before,
        after=after,
        site_id=site_id,
        org_unit_id=unit_id,
    )
