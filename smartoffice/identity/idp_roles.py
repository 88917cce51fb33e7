"""Roles from the identity provider's groups: a documented mapping, and the sync that applies it.

**The mapping** (``SMARTOFFICE_IDP_ROLE_GROUPS``) is a list of entries separated by ``;`` or new lines, each
``GROUP=ROLE``, where ROLE is one of::

    admin
    facilities_manager:site:SITE_CODE        (sites.code, e.g. IKN-A)
    unit_manager:unit:ORG_UNIT_CODE          (org_units.code: that unit and its whole subtree)

for example ``smartoffice-admins=admin; fm-ikn-tower-a=facilities_manager:site:IKN-A``. A group may appear in
several entries (one role each). GROUP is the group as the provider's groups claim (or SCIM) names it, compared
exactly, with one leading ``/`` ignored on both sides (Keycloak sends ``/smartoffice-admins``); Entra ID sends the
group's object id unless configured otherwise, and that id is then the GROUP. Room approvers are not mapped: a
room's code is unique only on its floor, and approving a room's bookings is a decision about one room.

The syntax is checked when the settings are read (a bad entry stops the service at start, named in the message);
the codes are looked up at each sync: a code naming no site or unit is logged and that entry skipped, so a typo
or a site not created yet never stops anyone from signing in.

**The sync** (:func:`sync_idp_roles`) makes a person's identity-provider grants (``role_assignments`` rows with
``source = 'idp'``) exactly what their groups give: it adds the missing ones and removes the rest, never touching
grants made with ``grantRole`` (``source = 'manual'``; the same role may be held both ways, two rows). Each added
or removed grant is audited as ``role.grant`` / ``role.revoke``, as ``grantRole`` audits, with ``"source":
"idp"`` in the values; a sync that changes nothing writes nothing. It runs at each OpenID Connect sign-in that
carries the groups claim (smartoffice.identity.oidc) and after SCIM group changes.

Which mapping and clock a sync uses is configured once per process by :func:`configure` (``open_runtime`` calls
it from the settings): the sync's signature is shared with the SCIM code, which has a session and an actor at
hand but not the settings. Tests pass ``rules`` explicitly, or open a runtime with the settings they want.
"""

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.audit.record import Actor, record_change
from smartoffice.people.models import Employee, OrgUnit, Role, RoleAssignment, RoleSource
from smartoffice.places.models import Site

log = logging.getLogger(__name__)

SETTING = "SMARTOFFICE_IDP_ROLE_GROUPS"
ENTRY_SEPARATOR = re.compile(r"[;\n]")
SCOPE_KIND = {Role.FACILITIES_MANAGER: "site", Role.UNIT_MANAGER: "unit"}
"""The scope word each scoped role takes in the mapping."""
ROLE_SYNTAX = "admin, facilities_manager:site:SITE_CODE or unit_manager:unit:ORG_UNIT_CODE"


@dataclass(frozen=True, slots=True)
class GroupRole:
    """One entry of the mapping: members of ``group`` hold ``role`` over the site or unit with ``scope_code``."""

    group: str
    role: Role
    scope_code: str | None = None


@dataclass(frozen=True, slots=True)
class RoleGroups:
    """The parsed mapping from group names to roles."""

    entries: tuple[GroupRole, ...] = ()

    @classmethod
    def parse(cls, text: str) -> "RoleGroups":
        """Raises ValueError naming every bad entry (by its position and text) and what is wrong with it."""
        entries: list[GroupRole] = []
        problems: list[str] = []
        raw = [part.strip() for part in ENTRY_SEPARATOR.split(text)]
        for number, entry in enumerate((part for part in raw if part), start=1):
            try:
                entries.append(_parse_entry(entry))
            except ValueError as exc:
                problems.append(f"entry {number} {entry!r}: {exc}")
        if problems:
            raise ValueError(f"{SETTING} is not valid: " + "; ".join(problems))
        return cls(tuple(dict.fromkeys(entries)))

    def roles_for(self, group_names: Iterable[str]) -> list[GroupRole]:
        """The entries the groups give, in the mapping's order."""
        names = {group_name(name) for name in group_names}
        return [entry for entry in self.entries if entry.group in names]


def group_name(name: str) -> str:
    """A group as the mapping compares it: trimmed, one leading ``/`` (Keycloak's group path) removed."""
    name = name.strip()
    return name[1:].strip() if name.startswith("/") else name


def _parse_entry(entry: str) -> GroupRole:
    group, equals, target = entry.partition("=")
    group = group_name(group)
    if not equals:
        raise ValueError("expected GROUP=ROLE")
    if not group:
        raise ValueError("the group name is empty")
    parts = [part.strip() for part in target.split(":")]
    try:
        role = Role(parts[0])
    except ValueError:
        if parts[0] == "room_approver":
            raise ValueError("room approvers cannot be mapped (a room's code is unique only on its floor)") from None
        raise ValueError(f"unknown role {parts[0]!r}: expected {ROLE_SYNTAX}") from None
    kind = SCOPE_KIND.get(role)
    if kind is None:
        if len(parts) != 1:
            raise ValueError("admin has no scope: write just 'admin'")
        return GroupRole(group, role)
    if len(parts) != 3 or parts[1] != kind or not parts[2]:
        raise ValueError(f"{role.value} needs a {kind} code: {role.value}:{kind}:CODE")
    return GroupRole(group, role, parts[2])


@dataclass(frozen=True, slots=True)
class _Configured:
    rules: RoleGroups
    clock: Callable[[], datetime]


_configured: list[_Configured] = []
"""The process's mapping and clock (at most one item), set by :func:`configure`: see the module docstring."""


def configure(rules: RoleGroups, clock: Callable[[], datetime]) -> None:
    """Use ``rules`` and ``clock`` for syncs in this process that are not given them (``open_runtime`` calls it)."""
    _configured[:] = [_Configured(rules, clock)]


def _process_config() -> _Configured:
    if not _configured:
        # Syncing with no mapping would remove every identity-provider grant: refuse instead.
        raise RuntimeError("the identity provider's role groups are not configured (open_runtime configures them)")
    return _configured[0]


@dataclass(frozen=True, slots=True)
class _Grant:
    """An identity-provider grant as a row holds it."""

    role: Role
    org_unit_id: int | None = None
    site_id: int | None = None

    @property
    def scope_id(self) -> int | None:
        return self.org_unit_id if self.role == Role.UNIT_MANAGER else self.site_id


async def sync_idp_roles(
    session: AsyncSession,
    employee_id: int,
    group_names: Sequence[str],
    actor: Actor,
    *,
    rules: RoleGroups | None = None,
    at: datetime | None = None,
) -> None:
    """Make the person's identity-provider grants exactly what ``group_names`` give by the mapping, within the
    caller's transaction (it flushes, never commits). Unmapped groups are ignored; an entry whose code names no
    site or unit is logged and skipped. A person who left gets no new grants (as ``grantRole`` refuses), but loses
    those the groups no longer give. ``rules`` / ``at``: the mapping and the audit time; by default the process's
    (:func:`configure`)."""
    if rules is None or at is None:
        config = _process_config()
        rules = config.rules if rules is None else rules
        at = config.clock() if at is None else at
    # Locking the person serialises two syncs of the same person (two sign-ins at once on PostgreSQL; SQLite's
    # writers are serial anyway), so that neither inserts a grant the other inserted nor audits one twice.
    person = await session.scalar(select(Employee).where(Employee.id == employee_id).with_for_update())
    if person is None:
        log.warning("identity provider roles: no employee %s", employee_id)
        return
    wanted = await _resolve(session, rules.roles_for(group_names))
    rows = await session.execute(
        select(RoleAssignment.id, RoleAssignment.role, RoleAssignment.org_unit_id, RoleAssignment.site_id).where(
            RoleAssignment.employee_id == employee_id, RoleAssignment.source == RoleSource.IDP
        )
    )
    held = {_Grant(role, unit, site): row_id for row_id, role, unit, site in rows}
    removed = [grant for grant in held if grant not in wanted]
    added = [grant for grant in wanted if grant not in held] if person.active else []
    if removed:
        await session.execute(delete(RoleAssignment).where(RoleAssignment.id.in_([held[g] for g in removed])))
    for grant in added:
        session.add(
            RoleAssignment(
                employee_id=employee_id,
                role=grant.role,
                org_unit_id=grant.org_unit_id,
                site_id=grant.site_id,
                source=RoleSource.IDP,
            )
        )
    for grant in removed:
        _audit(session, actor, "role.revoke", employee_id, grant, at, after=False)
    for grant in added:
        _audit(session, actor, "role.grant", employee_id, grant, at, after=True)
    await session.flush()


async def _resolve(session: AsyncSession, entries: list[GroupRole]) -> list[_Grant]:
    """The grants ``entries`` name, their codes looked up; an unknown code is logged and its entry skipped."""
    site_codes = {e.scope_code for e in entries if e.role == Role.FACILITIES_MANAGER}
    unit_codes = {e.scope_code for e in entries if e.role == Role.UNIT_MANAGER}
    sites: dict[str, int] = {}
    units: dict[str, int] = {}
    if site_codes:
        rows = await session.execute(select(Site.code, Site.id).where(Site.code.in_(site_codes)))
        sites = {code: site_id for code, site_id in rows}
    if unit_codes:
        rows = await session.execute(select(OrgUnit.code, OrgUnit.id).where(OrgUnit.code.in_(unit_codes)))
        units = {code: unit_id for code, unit_id in rows}
    grants: dict[_Grant, None] = {}
    for entry in entries:
        if entry.role == Role.ADMIN:
            grants[_Grant(Role.ADMIN)] = None
        elif entry.role == Role.FACILITIES_MANAGER and entry.scope_code in sites:
            grants[_Grant(entry.role, site_id=sites[entry.scope_code])] = None
        elif entry.role == Role.UNIT_MANAGER and entry.scope_code in units:
            grants[_Grant(entry.role, org_unit_id=units[entry.scope_code])] = None
        else:
            log.warning(
                "%s: group %r names %s %r, which does not exist: skipped",
                SETTING,
                entry.group,
                SCOPE_KIND[entry.role],
                entry.scope_code,
            )
    return list(grants)


def _audit(
    session: AsyncSession, actor: Actor, action: str, employee_id: int, grant: _Grant, at: datetime, *, after: bool
) -> None:
    """The entry ``grantRole`` / ``revokeRole`` write (smartoffice.people.grants), with the source added."""
    values: dict[str, Any] = {
        "employee_id": employee_id,
        "role": grant.role,
        "scope_id": grant.scope_id,
        "source": RoleSource.IDP,
    }
    record_change(
        session,
        actor,
        action,
        at=at,
        entity_kind="Employee",
        entity_id=employee_id,
        before=None if after else values,
        after=values if after else None,
        site_id=grant.site_id,
        org_unit_id=grant.org_unit_id,
    )
