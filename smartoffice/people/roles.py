"""Who may act for whom: roles with scope, and the org-unit tree they are scoped to.

A role is held in one of two ways:

* **granted**: a :class:`RoleAssignment` row (admin; facilities manager of a site; unit manager of a unit
  subtree), given and taken back with ``grantRole`` / ``revokeRole`` (:mod:`smartoffice.people.grants`);
* **by position** (the head of a unit, *pimpinan unit*): derived from the org chart, never stored, so an import
  that moves people moves the role with them. The head of a unit is each **active managerial** (struktural)
  employee placed in the unit whose direct supervisor is *not* placed in the same unit (or who has none): the
  Kepala Biro reports to the Deputi in the unit above, while a deputy or a section head inside the Biro reports to
  someone in the Biro. A unit whose top post is functional (a Tim Kerja led by an Ahli Madya) has no head by
  position; the head of the unit above manages it through the subtree. The head by position is unit manager of
  the unit's subtree, exactly as if granted.

**Inactive people hold no role**, granted or derived (``Employee.active`` false): every predicate here requires
the holder to be active, and so do :class:`~smartoffice.people.visibility.Viewer`'s SQL predicates.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Integer, Select, bindparam, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from smartoffice.people.models import Employee, OrgUnit, PositionKind, Role, RoleAssignment


async def unit_ancestors(session: AsyncSession, unit_id: int) -> list[int]:
    """The unit and every unit above it, nearest first (a recursive CTE: one query on either database)."""
    tree = select(OrgUnit.id, OrgUnit.parent_id).where(OrgUnit.id == unit_id).cte("tree", recursive=True)
    tree = tree.union_all(select(OrgUnit.id, OrgUnit.parent_id).join(tree, OrgUnit.id == tree.c.parent_id))
    rows = (await session.execute(select(tree.c.id))).scalars().all()
    return list(rows)


def heads_by_position() -> Select[int, int]:
    """``(employee id, org unit id)`` of every head of a unit by position (the rule in the module docstring)."""
    head, boss = aliased(Employee), aliased(Employee)
    return (
        select(head.id, head.org_unit_id)
        .outerjoin(boss, boss.id == head.supervisor_id)
        .where(
            head.active.is_(True),
            head.position_kind == PositionKind.MANAGERIAL,
            or_(boss.id.is_(None), boss.org_unit_id != head.org_unit_id),
        )
    )


def headed_units(employee_id: int) -> Select[Any]:
    """The units ``employee_id`` heads by position (none, or their own unit)."""
    heads = heads_by_position().subquery()
    return select(heads.c.org_unit_id).where(heads.c.id == employee_id)


_HOLDER = aliased(Employee, name="role_holder")
"""Built once: ``aliased()`` cost ~0.4 ms of CPU per call, more than the query it went into."""


def is_active(employee_id: int | BindParameter[int]) -> ColumnElement[bool]:
    return exists().where(_HOLDER.id == employee_id, _HOLDER.active.is_(True))


def granted(employee_id: int | BindParameter[int], *roles: Role) -> Select[Any]:
    """The assignments of ``roles`` granted to ``employee_id`` while they are active."""
    return select(RoleAssignment).where(
        RoleAssignment.employee_id == employee_id, RoleAssignment.role.in_(roles), is_active(employee_id)
    )


def managed_unit_roots(employee_id: int) -> Select[Any]:
    """The units whose subtrees ``employee_id`` is unit manager of: granted to them while active, or headed by
    position. Roots only: a caller wanting the whole subtrees walks down from them (see ``Viewer``)."""
    assignment = aliased(RoleAssignment)
    grants = select(assignment.org_unit_id).where(
        assignment.employee_id == employee_id, assignment.role == Role.UNIT_MANAGER
    )
    return select(OrgUnit.id).where(
        or_(OrgUnit.id.in_(grants), OrgUnit.id.in_(headed_units(employee_id))), is_active(employee_id)
    )


_EMPLOYEE, _SITE = bindparam("employee_id", type_=Integer), bindparam("site_id", type_=Integer)
_IS_ADMIN = granted(_EMPLOYEE, Role.ADMIN).with_only_columns(RoleAssignment.id).limit(1)
_IS_FACILITIES_MANAGER = (
    select(RoleAssignment.id)
    .where(
        RoleAssignment.employee_id == _EMPLOYEE,
        ((RoleAssignment.role == Role.FACILITIES_MANAGER) & (RoleAssignment.site_id == _SITE))
        | (RoleAssignment.role == Role.ADMIN),
        is_active(_EMPLOYEE),
    )
    .limit(1)
)
"""The two checks nearly every request of a manager's makes, built once and given their values at execution."""


async def is_admin(session: AsyncSession, employee_id: int) -> bool:
    return await session.scalar(_IS_ADMIN, {"employee_id": employee_id}) is not None


async def is_facilities_manager(session: AsyncSession, employee_id: int, site_id: int) -> bool:
    """Facilities manager of the site (admins count as facilities managers everywhere)."""
    found = await session.scalar(_IS_FACILITIES_MANAGER, {"employee_id": employee_id, "site_id": site_id})
    return found is not None


async def manages(session: AsyncSession, manager_id: int, employee: Employee) -> bool:
    """Whether ``manager_id`` is the employee's direct supervisor, a unit manager over the employee's unit
    subtree (granted or by position), or an admin."""
    if employee.supervisor_id == manager_id:
        return True
    return await manages_unit(session, manager_id, employee.org_unit_id)


async def manages_unit(session: AsyncSession, manager_id: int, unit_id: int) -> bool:
    """Whether ``manager_id`` is a unit manager over the unit (it or a unit above it), granted or as the head by
    position of one of them, or an admin; never while inactive."""
    units = await unit_ancestors(session, unit_id)
    grant = select(RoleAssignment.id).where(
        RoleAssignment.employee_id == manager_id,
        ((RoleAssignment.role == Role.UNIT_MANAGER) & RoleAssignment.org_unit_id.in_(units))
        | (RoleAssignment.role == Role.ADMIN),
    )
    heads = heads_by_position().subquery()
    head = select(heads.c.id).where(heads.c.id == manager_id, heads.c.org_unit_id.in_(units))
    query = select(Employee.id).where(
        Employee.id == manager_id, Employee.active.is_(True), or_(exists(grant), exists(head))
    )
    return await session.scalar(query) is not None


async def nearest_unit_managers(session: AsyncSession, unit_id: int, *, besides: int) -> list[int]:
    """The unit managers of the nearest unit, from ``unit_id`` up, that has one other than ``besides``: its heads by
    position and those granted unit manager of it, active. Who decides for a person of ``unit_id`` in the first place
    (an exemption: ``besides`` the person, so a head's own request goes up); managers higher up and admins may
    too, but are not asked. Two queries."""
    units = await unit_ancestors(session, unit_id)
    heads = heads_by_position().subquery()
    managers = select(heads.c.id, heads.c.org_unit_id).where(heads.c.org_unit_id.in_(units), heads.c.id != besides)
    grantee = aliased(Employee)
    grants = (
        select(RoleAssignment.employee_id, RoleAssignment.org_unit_id)
        .join(grantee, grantee.id == RoleAssignment.employee_id)
        .where(
            RoleAssignment.role == Role.UNIT_MANAGER,
            RoleAssignment.org_unit_id.in_(units),
            grantee.active.is_(True),
            grantee.id != besides,
        )
    )
    by_unit: dict[int, set[int]] = {}
    for employee_id, org_unit_id in await session.execute(managers.union_all(grants)):
        by_unit.setdefault(org_unit_id, set()).add(employee_id)
    nearest = next((unit for unit in units if unit in by_unit), None)
    return sorted(by_unit[nearest]) if nearest is not None else []


@dataclass(frozen=True, slots=True)
class HeldRole:
    """A role someone holds: granted (a row) or ``derived`` (head of ``org_unit_id`` by position)."""

    role: Role
    org_unit_id: int | None = None
    site_id: int | None = None
    derived: bool = False


async def held_roles(session: AsyncSession, employee_id: int) -> list[HeldRole]:
    """Every role ``employee_id`` holds now, granted and by position; none while inactive."""
    rows = await session.execute(
        granted(employee_id, *Role).with_only_columns(
            RoleAssignment.role, RoleAssignment.org_unit_id, RoleAssignment.site_id
        )
    )
    held = [HeldRole(role, unit, site) for role, unit, site in rows]
    for unit in await session.scalars(headed_units(employee_id)):
        held.append(HeldRole(Role.UNIT_MANAGER, unit, derived=True))
    return held
