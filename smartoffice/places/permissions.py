"""Who may manage places, closures, rules and quotas: facilities managers within their sites, admins everywhere.

Every service of the facilities console asks here inside its own transaction, so GraphQL, the pages and the
command line refuse alike (``NOT_A_FACILITIES_MANAGER``).
"""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.errors import CommonPermissionCode, PermissionDenied
from smartoffice.people.models import Role, RoleAssignment
from smartoffice.people.roles import is_active, is_admin, is_facilities_manager


async def require_site_manager(session: AsyncSession, actor_id: int, site_id: int) -> None:
    """Facilities manager of ``site_id``, or an admin; else PermissionDenied."""
    if not await is_facilities_manager(session, actor_id, site_id):
        raise PermissionDenied(CommonPermissionCode.NOT_A_FACILITIES_MANAGER)


async def require_admin(session: AsyncSession, actor_id: int) -> None:
    """Sites themselves (creating one, retiring one) are the admins' alone."""
    if not await is_admin(session, actor_id):
        raise PermissionDenied(CommonPermissionCode.ADMINS_ONLY)


async def managed_site_ids(session: AsyncSession, actor_id: int) -> frozenset[int] | None:
    """The sites ``actor_id`` manages: ``None`` meaning every site (an admin), else a set (maybe empty)."""
    if await is_admin(session, actor_id):
        return None
    rows = await session.scalars(
        select(RoleAssignment.site_id).where(
            RoleAssignment.employee_id == actor_id,
            RoleAssignment.role == Role.FACILITIES_MANAGER,
            RoleAssignment.site_id.is_not(None),
            is_active(actor_id),
        )
    )
    return frozenset(site_id for site_id in rows if site_id is not None)
