"""Who may act for whom: roles with scope, and the org-unit tree they are scoped to."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.people.models import Employee, OrgUnit, Role, RoleAssignment


async def unit_ancestors(session: AsyncSession, unit_id: int) -> list[int]:
    """The unit and every unit above it, nearest first (a recursive CTE: one query on either database)."""
    tree = select(OrgUnit.id, OrgUnit.parent_id).where(OrgUnit.id == unit_id).cte("tree", recursive=True)
    tree = tree.union_all(select(OrgUnit.id, OrgUnit.parent_id).join(tree, OrgUnit.id == tree.c.parent_id))
    rows = (await session.execute(select(tree.c.id))).scalars().all()
    return list(rows)


async def is_admin(session: AsyncSession, employee_id: int) -> bool:
    query = select(RoleAssignment.id).where(
        RoleAssignment.employee_id == employee_id, RoleAssignment.role == Role.ADMIN
    )
    return await session.scalar(query.limit(1)) is not None


async def is_facilities_manager(session: AsyncSession, employee_id: int, site_id: int) -> bool:
    """Facilities manager of the site (admins count as facilities managers everywhere)."""
    query = select(RoleAssignment.id).where(
        RoleAssignment.employee_id == employee_id,
        ((RoleAssignment.role == Role.FACILITIES_MANAGER) & (RoleAssignment.site_id == site_id))
        | (RoleAssignment.role == Role.ADMIN),
    )
    return await session.scalar(query.limit(1)) is not None


async def manages(session: AsyncSession, manager_id: int, employee: Employee) -> bool:
    """Whether ``manager_id`` is the employee's direct supervisor, a unit manager over the employee's unit
    subtree, or an admin."""
    if employee.supervisor_id == manager_id:
        return True
    return await manages_unit(session, manager_id, employee.org_unit_id)


async def manages_unit(session: AsyncSession, manager_id: int, unit_id: int) -> bool:
    """Whether ``manager_id`` is a unit manager over the unit (it or a unit above it), or an admin."""
    units = await unit_ancestors(session, unit_id)
    query = select(RoleAssignment.id).where(
        RoleAssignment.employee_id == manager_id,
        ((RoleAssignment.role == Role.UNIT_MANAGER) & RoleAssignment.org_unit_id.in_(units))
        | (RoleAssignment.role == Role.ADMIN),
    )
    return await session.scalar(query.limit(1)) is not None
