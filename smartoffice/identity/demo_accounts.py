"""Demo sign-in accounts: an administrator, a unit manager, a facilities manager and an employee of the
manager's unit, all with the documented password :data:`DEMO_PASSWORD`. Created only in demo mode
(``smartoffice demo`` / ``serve --demo`` with ``SMARTOFFICE_DEMO_MODE`` on), never in production."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.db import Database, utcnow
from smartoffice.identity.accounts import set_password
from smartoffice.identity.models import LocalAccount
from smartoffice.people.models import Employee, OrgUnit, PositionKind, Role, RoleAssignment
from smartoffice.places.models import Site

DEMO_PASSWORD = "nusantara-demo"


@dataclass(frozen=True, slots=True)
class DemoAccount:
    employee_id: int
    name: str
    email: str
    role: Role | None
    """The strongest role the person holds; None: none (an employee)."""


async def seed_demo_accounts(db: Database) -> list[DemoAccount]:
    """Give the demo's first Eselon I head the admin role, the first Eselon II head the unit manager role over
    their unit, a second Eselon II head the facilities manager role over the first site, and each of them and a
    member of the manager's unit the demo password. Does nothing when local accounts already exist."""
    async with db.write() as session:
        if await session.scalar(select(LocalAccount.employee_id).limit(1)) is not None:
            return await list_demo_accounts(session)
        heads = (
            await session.execute(
                select(Employee, OrgUnit.level)
                .join(OrgUnit, OrgUnit.id == Employee.org_unit_id)
                .where(Employee.position_kind == PositionKind.MANAGERIAL, OrgUnit.level.in_((1, 2)))
                .order_by(OrgUnit.level, Employee.id)
            )
        ).all()
        eselon_i = [e for e, level in heads if level == 1]
        eselon_ii = [e for e, level in heads if level == 2]
        site_id = await session.scalar(select(Site.id).order_by(Site.id).limit(1))
        if not eselon_i or len(eselon_ii) < 2 or site_id is None:
            return []
        admin, manager, facilities = eselon_i[0], eselon_ii[0], eselon_ii[1]
        member = await session.scalar(
            select(Employee)
            .where(Employee.org_unit_id == manager.org_unit_id, Employee.id != manager.id)
            .order_by(Employee.id)
            .limit(1)
        )
        session.add_all(
            [
                RoleAssignment(employee_id=admin.id, role=Role.ADMIN),
                RoleAssignment(employee_id=manager.id, role=Role.UNIT_MANAGER, org_unit_id=manager.org_unit_id),
                RoleAssignment(employee_id=facilities.id, role=Role.FACILITIES_MANAGER, site_id=site_id),
            ]
        )
        now = utcnow()
        for employee in (admin, manager, facilities, *([member] if member else [])):
            await set_password(session, employee.id, DEMO_PASSWORD, now)
        await session.flush()
        return await list_demo_accounts(session)


async def list_demo_accounts(session: AsyncSession, limit: int = 10) -> list[DemoAccount]:
    """People with a local account and their strongest role, for the demo's sign-in page."""
    rows = (
        await session.execute(
            select(Employee.id, Employee.name, Employee.email)
            .join(LocalAccount, LocalAccount.employee_id == Employee.id)
            .order_by(Employee.id)
            .limit(limit)
        )
    ).all()
    roles = await _roles(session, [r.id for r in rows])
    return [DemoAccount(r.id, r.name, r.email, roles.get(r.id)) for r in rows]


async def _roles(session: AsyncSession, ids: Sequence[int]) -> dict[int, Role]:
    order = {Role.ADMIN: 0, Role.FACILITIES_MANAGER: 1, Role.UNIT_MANAGER: 2}
    best: dict[int, Role] = {}
    for employee_id, role in await session.execute(
        select(RoleAssignment.employee_id, RoleAssignment.role).where(RoleAssignment.employee_id.in_(ids))
    ):
        if employee_id not in best or order[role] < order[best[employee_id]]:
            best[employee_id] = role
    return best
