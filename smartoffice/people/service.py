"""Reading people. Accounts, roles and login come with the identity issue."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from smartoffice.errors import NotFound
from smartoffice.people.models import Employee, Organisation, OrgUnit


async def get_employee(session: AsyncSession, employee_id: int, *, lock: bool = False) -> Employee:
    """The employee with their unit and organisation. ``lock`` also takes the person's row lock (``FOR NO KEY
    UPDATE``, PostgreSQL) in the same round trip."""
    query = (
        select(Employee)
        .where(Employee.id == employee_id)
        .options(joinedload(Employee.org_unit).joinedload(OrgUnit.organisation))
    )
    if lock:
        query = query.with_for_update(of=Employee, key_share=True)
    employee = await session.scalar(query)
    if employee is None:
        raise NotFound("Employee", employee_id)
    return employee


async def search_employees(session: AsyncSession, text: str, limit: int = 20) -> Sequence[Employee]:
    """Employees whose name contains ``text`` (case-insensitive), for the demo's "who are you" picker."""
    pattern = "%" + text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    query = (
        select(Employee)
        .where(Employee.name.ilike(pattern, escape="\\"))
        .options(joinedload(Employee.org_unit).joinedload(OrgUnit.organisation))
        .order_by(Employee.name, Employee.id)
        .limit(limit)
    )
    return (await session.scalars(query)).all()


async def get_organisations(session: AsyncSession, ids: Sequence[int]) -> Sequence[Organisation]:
    return (await session.scalars(select(Organisation).where(Organisation.id.in_(ids)))).all()


async def set_presence_sharing(session: AsyncSession, employee_id: int, share: bool) -> Employee:
    """Opt in (or out): whether colleagues outside the person's unit see their name on the space they booked."""
    employee = await get_employee(session, employee_id)
    employee.share_presence = share
    return employee
