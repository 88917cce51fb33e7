"""The policies as HR and unit managers manage them: in force on a day, upcoming and ended, with the names their
scope refers to, who entered them, and whether the viewer may end them; and what the form to set one offers.

Administrators see every policy. A unit manager sees the policies that can reach the units they manage: those
with no organisation, unit or person in their scope, those of their organisation, of their units, of the units
above them (which cover their units too), and the individual arrangements of their people. They may end what
they may set (:func:`~smartoffice.policies.policy_changes.may_set`): UNIT and INDIVIDUAL policies inside their units,
never an overlay. Each list is bounded, and names are read in one query per kind.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.errors import NotFound
from smartoffice.people.models import Employee, Organisation, OrgUnit
from smartoffice.people.roles import is_admin, managed_unit_roots, unit_ancestors
from smartoffice.places.models import Building, Site
from smartoffice.policies.lists import MAX_POLICIES
from smartoffice.policies.models import Policy, PolicyLevel
from smartoffice.policies.rules import PolicyRules, parse_rules

MAX_UPCOMING = 100
MAX_ENDED = 50
"""The most recently ended policies listed (the rest stay in the audit log and the API's ``policies(at:)``)."""
MAX_UNITS = 2_000
"""Units offered in the form's select (an agency's tree is a few hundred)."""


@dataclass(frozen=True, slots=True)
class ScopeNames:
    """The names a policy's scope refers to (None where the scope does not say)."""

    organisation: str | None = None
    unit: str | None = None
    building: str | None = None
    person: str | None = None
    person_nip: str | None = None


@dataclass(frozen=True, slots=True)
class PolicyRow:
    policy: Policy
    rules: PolicyRules
    scope: ScopeNames
    entered_by: str | None
    """The name of whoever entered it here (``set_by`` says who decided it)."""
    may_end: bool


@dataclass(frozen=True, slots=True)
class PolicyCatalogue:
    day: date
    in_force: Sequence[PolicyRow]
    upcoming: Sequence[PolicyRow]
    ended: Sequence[PolicyRow]
    is_admin: bool
    organisations: Sequence[Organisation]
    """The organisations to filter by (a unit manager's own)."""


@dataclass(frozen=True, slots=True)
class UnitChoice:
    id: int
    name: str
    organisation_name: str
    depth: int


@dataclass(frozen=True, slots=True)
class FormChoices:
    """What the form to set a policy offers the viewer (the service still decides what they may set)."""

    is_admin: bool
    organisations: Sequence[Organisation]
    units: Sequence[UnitChoice]
    buildings: Sequence[tuple[int, str]]
    """Id and "site · building"."""
    levels: Sequence[PolicyLevel] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Visibility:
    is_admin: bool
    units: frozenset[int]
    """The units the viewer manages (whole subtrees)."""
    above: frozenset[int]
    """The units above those (their policies cover the viewer's units)."""
    organisations: frozenset[int]


async def visibility(session: AsyncSession, viewer_id: int) -> Visibility:
    if await is_admin(session, viewer_id):
        return Visibility(True, frozenset(), frozenset(), frozenset())
    roots = list(await session.scalars(managed_unit_roots(viewer_id)))
    tree = select(OrgUnit.id).where(OrgUnit.id.in_(roots)).cte("managed_tree", recursive=True)
    tree = tree.union_all(select(OrgUnit.id).join(tree, OrgUnit.parent_id == tree.c.id))
    units = frozenset(await session.scalars(select(tree.c.id)))
    above = {unit for root in roots for unit in await unit_ancestors(session, root)} - units
    organisations = frozenset(await session.scalars(select(OrgUnit.organisation_id).where(OrgUnit.id.in_(units))))
    return Visibility(False, units, frozenset(above), organisations)


def _visible(seen: Visibility) -> ColumnElement[bool]:
    people = select(Employee.id).where(Employee.org_unit_id.in_(sorted(seen.units)))
    return and_(
        or_(Policy.organisation_id.is_(None), Policy.organisation_id.in_(sorted(seen.organisations))),
        or_(Policy.org_unit_id.is_(None), Policy.org_unit_id.in_(sorted(seen.units | seen.above))),
        or_(Policy.employee_id.is_(None), Policy.employee_id.in_(people)),
    )


def _in_organisation(organisation_id: int) -> ColumnElement[bool]:
    """Policies that can apply to people of the organisation: none of organisation, unit and person in the scope,
    or one of them inside it."""
    units = select(OrgUnit.id).where(OrgUnit.organisation_id == organisation_id)
    people = select(Employee.id).where(Employee.org_unit_id.in_(units))
    general = and_(Policy.organisation_id.is_(None), Policy.org_unit_id.is_(None), Policy.employee_id.is_(None))
    return or_(
        general,
        Policy.organisation_id == organisation_id,
        Policy.org_unit_id.in_(units),
        Policy.employee_id.in_(people),
    )


async def catalogue(
    session: AsyncSession,
    viewer_id: int,
    day: date,
    *,
    level: int | None = None,
    organisation_id: int | None = None,
) -> PolicyCatalogue:
    """The policies the viewer may see, in force on ``day``, starting after it, and ended before it (latest first),
    filtered by level and by organisation (the policies that can apply in it)."""
    seen = await visibility(session, viewer_id)
    conditions: list[ColumnElement[bool]] = []
    if not seen.is_admin:
        conditions.append(_visible(seen))
    if level is not None:
        conditions.append(Policy.level == int(level))
    if organisation_id is not None:
        conditions.append(_in_organisation(organisation_id))
    order = (Policy.level, Policy.is_overlay, Policy.effective_from, Policy.id)
    in_force = await session.scalars(
        select(Policy)
        .where(
            *conditions,
            Policy.effective_from <= day,
            or_(Policy.effective_until.is_(None), Policy.effective_until >= day),
        )
        .order_by(*order)
        .limit(MAX_POLICIES)
    )
    upcoming = await session.scalars(
        select(Policy)
        .where(*conditions, Policy.effective_from > day)
        .order_by(Policy.effective_from, *order)
        .limit(MAX_UPCOMING)
    )
    ended = await session.scalars(
        select(Policy)
        .where(*conditions, Policy.effective_until < day)
        .order_by(Policy.effective_until.desc(), Policy.id.desc())
        .limit(MAX_ENDED)
    )
    lists = [list(in_force), list(upcoming), list(ended)]
    rows = await policy_rows(session, seen, [p for policies in lists for p in policies])
    organisations = await session.scalars(
        select(Organisation)
        .where(Organisation.id.in_(sorted(seen.organisations)) if not seen.is_admin else Organisation.id.is_not(None))
        .order_by(Organisation.name, Organisation.id)
    )
    in_force_rows, upcoming_rows, ended_rows = ([rows[p.id] for p in policies] for policies in lists)
    return PolicyCatalogue(day, in_force_rows, upcoming_rows, ended_rows, seen.is_admin, list(organisations))


async def policy_rows(session: AsyncSession, seen: Visibility, policies: Sequence[Policy]) -> dict[int, PolicyRow]:
    """Each policy with its scope's names, who entered it and whether the viewer may end it (a fixed number of
    queries)."""
    organisations = await _names(session, Organisation, {p.organisation_id for p in policies})
    units = await _names(session, OrgUnit, {p.org_unit_id for p in policies})
    buildings = await _names(session, Building, {p.building_id for p in policies})
    person_ids = {p.employee_id for p in policies} | {p.created_by_id for p in policies}
    people = {
        row.id: (row.name, row.nip)
        for row in await session.execute(
            select(Employee.id, Employee.name, Employee.nip).where(
                Employee.id.in_(sorted(i for i in person_ids if i is not None))
            )
        )
    }
    rows = {}
    for policy in policies:
        person = people.get(policy.employee_id) if policy.employee_id is not None else None
        scope = ScopeNames(
            organisations.get(policy.organisation_id) if policy.organisation_id is not None else None,
            units.get(policy.org_unit_id) if policy.org_unit_id is not None else None,
            buildings.get(policy.building_id) if policy.building_id is not None else None,
            person[0] if person else None,
            person[1] if person else None,
        )
        entered = people.get(policy.created_by_id) if policy.created_by_id is not None else None
        rows[policy.id] = PolicyRow(
            policy, parse_rules(policy.rules), scope, entered[0] if entered else None, _may_end(seen, policy)
        )
    return rows


def _may_end(seen: Visibility, policy: Policy) -> bool:
    if seen.is_admin:
        return True
    return (
        not policy.is_overlay
        and policy.level >= PolicyLevel.UNIT
        and policy.org_unit_id is not None
        and policy.org_unit_id in seen.units
    )


async def _names(session: AsyncSession, model: Any, ids: set[int | None]) -> dict[int, str]:
    wanted = sorted(i for i in ids if i is not None)
    if not wanted:
        return {}
    return {
        ident: name for ident, name in await session.execute(select(model.id, model.name).where(model.id.in_(wanted)))
    }


async def form_choices(session: AsyncSession, viewer_id: int) -> FormChoices:
    """Administrators: every organisation, unit and building, and every level. Unit managers: their units and
    organisations, the UNIT and INDIVIDUAL levels."""
    seen = await visibility(session, viewer_id)
    unit_query = select(OrgUnit.id, OrgUnit.name, OrgUnit.parent_id, Organisation.name).join(
        Organisation, OrgUnit.organisation_id == Organisation.id
    )
    if not seen.is_admin:
        unit_query = unit_query.where(OrgUnit.id.in_(sorted(seen.units)))
    units = (
        await session.execute(unit_query.order_by(Organisation.name, OrgUnit.level, OrgUnit.name).limit(MAX_UNITS))
    ).all()
    organisations = await session.scalars(
        select(Organisation)
        .where(Organisation.id.in_(sorted(seen.organisations)) if not seen.is_admin else Organisation.id.is_not(None))
        .order_by(Organisation.name, Organisation.id)
    )
    buildings = await session.execute(
        select(Building.id, Site.name, Building.name)
        .join(Site, Building.site_id == Site.id)
        .where(Building.retired_at.is_(None))
        .order_by(Site.name, Building.name, Building.id)
    )
    return FormChoices(
        seen.is_admin,
        list(organisations),
        _as_tree(units),
        [(ident, f"{site} · {name}") for ident, site, name in buildings],
        tuple(PolicyLevel) if seen.is_admin else (PolicyLevel.UNIT, PolicyLevel.INDIVIDUAL),
    )


def _as_tree(units: Sequence[Any]) -> list[UnitChoice]:
    """Units in tree order (each after its parent), indented by depth."""
    by_parent: dict[int | None, list[Any]] = {}
    known = {row[0] for row in units}
    for row in units:
        by_parent.setdefault(row[2] if row[2] in known else None, []).append(row)
    ordered: list[UnitChoice] = []

    def walk(parent: int | None, depth: int) -> None:
        for ident, name, _, organisation in by_parent.get(parent, []):
            ordered.append(UnitChoice(ident, name, organisation, depth))
            walk(ident, depth + 1)

    walk(None, 0)
    return ordered


async def visible_row(session: AsyncSession, viewer_id: int, policy_id: int) -> PolicyRow:
    """One policy as :func:`catalogue` lists it, if the viewer may see it there; else NotFound."""
    seen = await visibility(session, viewer_id)
    query = select(Policy).where(Policy.id == policy_id)
    if not seen.is_admin:
        query = query.where(_visible(seen))
    policy = await session.scalar(query)
    if policy is None:
        raise NotFound("Policy", policy_id)
    return (await policy_rows(session, seen, [policy]))[policy.id]


async def employee_id_by_nip(session: AsyncSession, nip: str) -> int | None:
    return await session.scalar(select(Employee.id).where(Employee.nip == nip.strip()))


async def scope_names(session: AsyncSession, policy: Any) -> ScopeNames:
    """The names a policy's (or a draft's) scope refers to, one lookup per id it holds."""

    async def name(model: Any, ident: int | None) -> str | None:
        row = await session.get(model, ident) if ident is not None else None
        return row.name if row is not None else None

    person = await session.get(Employee, policy.employee_id) if policy.employee_id is not None else None
    return ScopeNames(
        await name(Organisation, policy.organisation_id),
        await name(OrgUnit, policy.org_unit_id),
        await name(Building, policy.building_id),
        person.name if person else None,
        person.nip if person else None,
    )
