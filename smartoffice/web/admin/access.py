"""Who may open the administration pages, and with which roles: one read per admin page.

An admin page first asks :func:`staff_visitor`: the visitor must be someone (signed in, or the demo's picked
person) who holds a role (granted, or unit manager by position). Everyone else, nobody included, gets the pages'
permission-denied page (``STAFF_ONLY``), which offers to sign in. What each page then shows or changes is decided by the
service it calls (``RoleService``, ``AuditService`` ...), exactly as for GraphQL: the flags here only choose which
sections to offer.
"""

from dataclasses import dataclass
from typing import Any

from litestar import Request

from smartoffice.errors import CommonPermissionCode, PermissionDenied
from smartoffice.people.models import Role
from smartoffice.people.roles import HeldRole
from smartoffice.runtime import runtime_of
from smartoffice.web.context import Viewer, current_viewer


@dataclass(frozen=True, slots=True)
class StaffVisitor:
    """A visitor of the admin pages and the roles they hold now."""

    viewer: Viewer
    roles: tuple[HeldRole, ...]

    @property
    def id(self) -> int:
        return self.viewer.id

    @property
    def is_admin(self) -> bool:
        return any(held.role == Role.ADMIN for held in self.roles)

    @property
    def facilities_site_ids(self) -> frozenset[int]:
        return frozenset(held.site_id for held in self.roles if held.role == Role.FACILITIES_MANAGER and held.site_id)

    @property
    def manages_places(self) -> bool:
        """Offer the facilities console (places, closures, rules, quotas): admins and facilities managers."""
        return self.is_admin or bool(self.facilities_site_ids)

    def may_manage_site(self, site_id: int) -> bool:
        return self.is_admin or site_id in self.facilities_site_ids

    @property
    def managed_unit_ids(self) -> frozenset[int]:
        return frozenset(held.org_unit_id for held in self.roles if held.role == Role.UNIT_MANAGER and held.org_unit_id)


async def staff_visitor(request: Request[Any, Any, Any]) -> StaffVisitor:
    """The visitor, if they hold any role; else :class:`PermissionDenied`."""
    viewer = await current_viewer(request)
    if viewer is None:
        raise PermissionDenied(CommonPermissionCode.STAFF_ONLY)
    roles = tuple(await runtime_of(request).roles.held(viewer.id))
    if not roles:
        raise PermissionDenied(CommonPermissionCode.STAFF_ONLY)
    return StaffVisitor(viewer, roles)


async def facilities_visitor(request: Request[Any, Any, Any]) -> StaffVisitor:
    """The visitor, if an administrator or a facilities manager of some site; else PermissionDenied
    (``NOT_A_FACILITIES_MANAGER``). Which sites they may change is the services' decision."""
    staff = await staff_visitor(request)
    if not staff.manages_places:
        raise PermissionDenied(CommonPermissionCode.NOT_A_FACILITIES_MANAGER)
    return staff


async def admin_visitor(request: Request[Any, Any, Any]) -> StaffVisitor:
    """The visitor, if an administrator; else :class:`PermissionDenied` (``ADMINS_ONLY``)."""
    staff = await staff_visitor(request)
    if not staff.is_admin:
        raise PermissionDenied(CommonPermissionCode.ADMINS_ONLY)
    return staff
