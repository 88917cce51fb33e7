"""Who may act on a person's plans and requests: the person themself, or their managers."""

from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.errors import PermissionDenied
from smartoffice.people.models import Employee
from smartoffice.people.roles import manages
from smartoffice.policies.errors import PolicyPermissionCode


async def require_self_or_manager(
    session: AsyncSession, actor_id: int, employee: Employee, code: PolicyPermissionCode
) -> None:
    if actor_id != employee.id and not await manages(session, actor_id, employee):
        raise PermissionDenied(code)
