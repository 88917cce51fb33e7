"""A person's work plan for a day and what the attendance system reports they did (``WorkDay`` rows).

Each function runs inside the caller's write transaction, checks who may act, and raises a domain error that
changes nothing. A remote plan is checked against the policies by :mod:`~smartoffice.policies.remote_days`, and
where it is worked by :mod:`~smartoffice.policies.remote_locations`.
"""

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.errors import CommonInputCode, InvalidInput, PermissionDenied
from smartoffice.people import service as people
from smartoffice.people.roles import manages
from smartoffice.policies.errors import PolicyInputCode, PolicyPermissionCode
from smartoffice.policies.models import LocationKind, WorkDay, WorkMode
from smartoffice.policies.permissions import require_self_or_manager
from smartoffice.policies.remote_days import check_remote_day
from smartoffice.policies.remote_locations import check_location_allowed, resolve_location


async def set_work_day(
    session: AsyncSession,
    actor_id: int,
    employee_id: int,
    day: date,
    today: date,
    *,
    planned: WorkMode | None,
    location_kind: LocationKind | None = None,
    location_detail: str | None = None,
) -> WorkDay | None:
    """Plan a day (or clear the plan with None). The person themself, or their managers.

    A remote plan is refused on a day the person is required in the office, beyond the week's remote allowance,
    and when the person's unit already has its capped share remote that day. Office is planned by booking a desk
    (planning OFFICE here is allowed, for people who sit at an assigned desk). A remote plan says where it is
    worked (:func:`~smartoffice.policies.remote_locations.resolve_location`: HOME at the registered home, ANYWHERE
    at another office of the agency or a designated place, and which), within the kinds the policies allow.
    """
    employee = await people.get_employee(session, employee_id)
    await require_self_or_manager(session, actor_id, employee, PolicyPermissionCode.NOT_YOUR_PLAN)
    if day < today:
        raise InvalidInput("date", CommonInputCode.PAST_DAY)
    if planned == WorkMode.ABSENT:
        raise InvalidInput("mode", PolicyInputCode.ABSENT_IS_NOT_A_PLAN)
    location = resolve_location(employee, planned, location_kind, location_detail)
    if planned is not None and planned.is_remote:
        await check_remote_day(session, employee, day, today)
    if location.kind is not None:
        await check_location_allowed(session, employee.id, day, location.kind)
    row = await session.scalar(select(WorkDay).where(WorkDay.employee_id == employee.id, WorkDay.day == day))
    if row is None:
        if planned is None:
            return None
        row = WorkDay(employee_id=employee.id, day=day)
        session.add(row)
    row.planned = planned
    row.location_kind, row.location_detail = location.kind, location.detail
    row.updated_by_id = actor_id
    await session.flush()
    return row


async def record_attendance(
    session: AsyncSession, actor_id: int, employee_id: int, day: date, actual: WorkMode | None
) -> WorkDay | None:
    """What someone did on a day, as an attendance system reports it. Managers and admins (apps by token)."""
    employee = await people.get_employee(session, employee_id)
    if not await manages(session, actor_id, employee):
        raise PermissionDenied(PolicyPermissionCode.NOT_YOUR_PLAN)
    row = await session.scalar(select(WorkDay).where(WorkDay.employee_id == employee.id, WorkDay.day == day))
    if row is None:
        row = WorkDay(employee_id=employee.id, day=day)
        session.add(row)
    row.actual = actual
    row.updated_by_id = actor_id
    await session.flush()
    return row
