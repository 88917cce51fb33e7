"""Granting and revoking roles (``grantRole`` / ``revokeRole``); who holds which is listed by
:mod:`smartoffice.people.role_listing` (``roleAssignments``).

Four roles can be granted, each over its scope: **admin** (everything, no scope), **facilities manager** of a
site (``role_assignments.site_id``; the model has no building scope), **unit manager** of a unit subtree
(``role_assignments.org_unit_id``) and **room approver** of one meeting room (the ``room_approvers`` table, which
room-booking decisions already read). The head of a unit by position is its unit manager without a grant
(:mod:`smartoffice.people.roles`): listed, marked derived, never revocable.

Who may grant or revoke what (the same rule both ways):

* an **admin**: any role, to anyone active;
* a **unit manager** (granted, or head of a unit by position): unit manager of a unit within a subtree they manage,
  and room approver of a room in a zone of such a unit;
* a **facilities manager** of a site: facilities manager of that site, and room approver of its rooms;
* nobody else, and only admins touch the admin role. Nobody grants to a person who left, and the last active
  admin cannot be revoked (admins' rows are locked first, so two admins revoking each other cannot both win).

Roles can also come from the identity provider's groups (:mod:`smartoffice.identity.idp_roles`): those rows
have ``source = 'idp'`` and are kept in step by the provider alone. ``grantRole`` and ``revokeRole`` change only
``source = 'manual'`` rows: granting a role the provider already gives adds a manual row (kept if the provider
stops giving it), and revoking a role that only the provider gives is refused (``ROLE_FROM_IDENTITY_PROVIDER``):
it would come back at the person's next sign-in, so it is taken away at the provider.

Every grant and revoke is written to the audit log (``role.grant`` / ``role.revoke``) in the same transaction,
with the unit or site of the scope so that its managers can read it; granting a role someone already holds
changes nothing and writes nothing, also when identical grants race (``uq_role_assignments_grant`` and
``room_approvers``' primary key let one insert win; the others answer as if it had been held already).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.audit.record import Actor, record_change
from smartoffice.db import MAX_PAGE_SIZE, Database
from smartoffice.errors import InvalidInput, NotFound, PermissionDenied
from smartoffice.people import roles
from smartoffice.people.errors import RoleInputCode, RolePermissionCode
from smartoffice.people.models import Employee, OrgUnit, Role, RoleAssignment, RoleSource
from smartoffice.people.role_grant import SCOPE_KIND, GrantableRole, RoleGrant
from smartoffice.people.role_listing import RolePage, RoleSearch, count_assignments, list_assignments
from smartoffice.places.models import Building, Floor, Site, Space, SpaceKind, Zone, room_approvers


@dataclass(frozen=True, slots=True)
class _Scope:
    """Where a grant lives, for permission and the audit entry."""

    site_id: int | None = None
    org_unit_id: int | None = None


class RoleService:
    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.clock = clock

    async def held(self, employee_id: int) -> list[roles.HeldRole]:
        """Every role ``employee_id`` holds now (granted, from the identity provider, by position); none while
        inactive. What the admin pages offer is chosen from this."""
        async with self.db.read() as session:
            return await roles.held_roles(session, employee_id)

    async def grant(self, actor: Actor, grant: RoleGrant) -> RoleGrant:
        """Raises NotFound (person, scope), InvalidInput (inactive person, scope missing or not allowed),
        PermissionDenied."""
        try:
            async with self.db.write() as session:
                await _active_employee(session, grant.employee_id)
                scope = await _check_may_change(session, actor, grant)
                if await _holds(session, grant):
                    return grant
                if grant.role == GrantableRole.ROOM_APPROVER:
                    await session.execute(
                        insert(room_approvers).values(space_id=grant.scope_id, employee_id=grant.employee_id)
                    )
                else:
                    session.add(RoleAssignment(employee_id=grant.employee_id, role=Role(grant.role), **_columns(grant)))
                    await session.flush()
                _audit(session, actor, "role.grant", grant, scope, self.clock(), after=True)
                return grant
        except IntegrityError as exc:
            # An identical grant committed between our check and our insert (PostgreSQL; SQLite's writers are
            # serial): it is held, and the winner's transaction wrote the one audit entry.
            if is_duplicate_grant(exc):
                return grant
            raise

    async def revoke(self, actor: Actor, grant: RoleGrant) -> RoleGrant:
        """Raises NotFound, InvalidInput (not held, held by position only, the last admin), PermissionDenied."""
        async with self.db.write() as session:
            if await session.get(Employee, grant.employee_id) is None:
                raise NotFound("Employee", grant.employee_id)
            scope = await _check_may_change(session, actor, grant)
            from_idp = await _holds(session, grant, RoleSource.IDP)
            if grant.role == GrantableRole.ADMIN and not from_idp:  # admin still, from the provider
                await _refuse_last_admin(session, grant.employee_id)
            if not await _holds(session, grant):
                code = RoleInputCode.ROLE_NOT_HELD
                if from_idp:
                    code = RoleInputCode.ROLE_FROM_IDENTITY_PROVIDER
                elif grant.role == GrantableRole.UNIT_MANAGER and await _heads(session, grant):
                    code = RoleInputCode.ROLE_BY_POSITION
                raise InvalidInput("role", code)
            if grant.role == GrantableRole.ROOM_APPROVER:
                await session.execute(
                    delete(room_approvers).where(
                        room_approvers.c.space_id == grant.scope_id, room_approvers.c.employee_id == grant.employee_id
                    )
                )
            else:
                await session.execute(delete(RoleAssignment).where(*_matches(grant)))
            _audit(session, actor, "role.revoke", grant, scope, self.clock(), after=False)
            return grant

    async def assignments(
        self, viewer_id: int, search: RoleSearch | None = None, *, first: int = MAX_PAGE_SIZE, after: str | None = None
    ) -> RolePage:
        """A page of the roles the viewer may see (admins: all; others: their own, and those within the units and
        sites they manage) that match ``search``: explicit grants, room approvers, then heads by position, each
        in a stable order (:data:`Keyset`). ``first`` is capped at MAX_PAGE_SIZE; ``after`` is a page's cursor.
        Raises InvalidInput (INVALID_CURSOR)."""
        async with self.db.read() as session:
            return await list_assignments(session, viewer_id, search or RoleSearch(), first, after)

    async def count(
        self, viewer_id: int, search: RoleSearch | None = None, up_to: str | None = None
    ) -> tuple[int, int]:
        """How many roles :meth:`assignments` lists in all, and how many up to and including the cursor ``up_to``."""
        async with self.db.read() as session:
            return await count_assignments(session, viewer_id, search or RoleSearch(), up_to)


async def _active_employee(session: AsyncSession, employee_id: int) -> Employee:
    employee = await session.get(Employee, employee_id)
    if employee is None:
        raise NotFound("Employee", employee_id)
    if not employee.active:
        raise InvalidInput("employeeId", RoleInputCode.GRANTEE_INACTIVE)
    return employee


async def _check_may_change(session: AsyncSession, actor: Actor, grant: RoleGrant) -> _Scope:
    """The scope of ``grant`` (checked to exist), once the actor may grant or revoke it; else raises."""
    scope = await _scope_of(session, grant)
    actor_id = actor.employee_id
    if actor_id is None or await roles.is_admin(session, actor_id):
        return scope
    if grant.role == GrantableRole.ADMIN:
        raise PermissionDenied(RolePermissionCode.ONLY_ADMINS_GRANT_ADMIN)
    by_site = grant.role in (GrantableRole.FACILITIES_MANAGER, GrantableRole.ROOM_APPROVER)
    if by_site and scope.site_id is not None and await roles.is_facilities_manager(session, actor_id, scope.site_id):
        return scope
    by_unit = grant.role in (GrantableRole.UNIT_MANAGER, GrantableRole.ROOM_APPROVER)
    if by_unit and scope.org_unit_id is not None and await roles.manages_unit(session, actor_id, scope.org_unit_id):
        return scope
    raise PermissionDenied(RolePermissionCode.NOT_YOUR_SCOPE)


async def _scope_of(session: AsyncSession, grant: RoleGrant) -> _Scope:
    if grant.role == GrantableRole.ADMIN:
        if grant.scope_id is not None:
            raise InvalidInput("scopeId", RoleInputCode.SCOPE_NOT_ALLOWED)
        return _Scope()
    kind = SCOPE_KIND[grant.role]
    if grant.scope_id is None:
        raise InvalidInput("scopeId", RoleInputCode.SCOPE_REQUIRED)
    if grant.role == GrantableRole.UNIT_MANAGER:
        if await session.get(OrgUnit, grant.scope_id) is None:
            raise NotFound(kind, grant.scope_id)
        return _Scope(org_unit_id=grant.scope_id)
    if grant.role == GrantableRole.FACILITIES_MANAGER:
        if await session.get(Site, grant.scope_id) is None:
            raise NotFound(kind, grant.scope_id)
        return _Scope(site_id=grant.scope_id)
    row = (
        await session.execute(
            select(Building.site_id, Zone.org_unit_id)
            .select_from(Space)
            .join(Floor, Floor.id == Space.floor_id)
            .join(Building, Building.id == Floor.building_id)
            .outerjoin(Zone, Zone.id == Space.zone_id)
            .where(Space.id == grant.scope_id, Space.kind == SpaceKind.ROOM)
        )
    ).first()
    if row is None:
        raise NotFound(kind, grant.scope_id)
    return _Scope(site_id=row[0], org_unit_id=row[1])


DUPLICATE_GRANT_ERRORS = (
    "uq_role_assignments_grant",  # PostgreSQL names the index; SQLite: "UNIQUE constraint failed: index '…'"
    "pk_room_approvers",  # PostgreSQL
    "UNIQUE constraint failed: room_approvers.",  # SQLite names the key's columns
)


def is_duplicate_grant(exc: IntegrityError) -> bool:
    text = str(exc.orig)
    return any(marker in text for marker in DUPLICATE_GRANT_ERRORS)


def _columns(grant: RoleGrant) -> dict[str, int | None]:
    if grant.role == GrantableRole.UNIT_MANAGER:
        return {"org_unit_id": grant.scope_id}
    if grant.role == GrantableRole.FACILITIES_MANAGER:
        return {"site_id": grant.scope_id}
    return {}


def _matches(grant: RoleGrant, source: RoleSource = RoleSource.MANUAL) -> list[ColumnElement[bool]]:
    columns = _columns(grant)
    return [
        RoleAssignment.employee_id == grant.employee_id,
        RoleAssignment.role == Role(grant.role),
        *(getattr(RoleAssignment, name) == value for name, value in columns.items()),
        RoleAssignment.source == source,
    ]


async def _holds(session: AsyncSession, grant: RoleGrant, source: RoleSource = RoleSource.MANUAL) -> bool:
    """Whether the grant exists as a row of ``source`` (not by position; room approvers are all manual)."""
    if grant.role == GrantableRole.ROOM_APPROVER:
        if source != RoleSource.MANUAL:
            return False
        query = select(room_approvers.c.space_id).where(
            room_approvers.c.space_id == grant.scope_id, room_approvers.c.employee_id == grant.employee_id
        )
    else:
        query = select(RoleAssignment.id).where(*_matches(grant, source))
    return await session.scalar(query.limit(1)) is not None


async def _heads(session: AsyncSession, grant: RoleGrant) -> bool:
    headed = await session.scalars(roles.headed_units(grant.employee_id))
    return grant.scope_id in set(headed)


async def _refuse_last_admin(session: AsyncSession, employee_id: int) -> None:
    """Lock every admin row (PostgreSQL; SQLite's write transactions are serial), then count the others."""
    locked = select(RoleAssignment.id).where(RoleAssignment.role == Role.ADMIN).with_for_update()
    await session.execute(locked)
    others = await session.scalar(
        select(func.count())
        .select_from(RoleAssignment)
        .join(Employee, Employee.id == RoleAssignment.employee_id)
        .where(RoleAssignment.role == Role.ADMIN, RoleAssignment.employee_id != employee_id, Employee.active)
    )
    if not others:
        raise InvalidInput("role", RoleInputCode.LAST_ADMIN)


def _audit(
    session: AsyncSession, actor: Actor, action: str, grant: RoleGrant, scope: _Scope, at: datetime, *, after: bool
) -> None:
    values: dict[str, Any] = {"employee_id": grant.employee_id, "role": grant.role, "scope_id": grant.scope_id}
    record_change(
        session,
        actor,
        action,
        at=at,
        entity_kind="Employee",
        entity_id=grant.employee_id,
        before=None if after else values,
        after=values if after else None,
        site_id=scope.site_id,
        org_unit_id=scope.org_unit_id,
    )
