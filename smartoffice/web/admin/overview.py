"""``/admin``: the administration overview: the roles the visitor holds (granted, or unit manager by position),
each with its scope by name, and links to what those roles let them do. Anyone without a role gets the pages'
permission-denied page (:func:`~smartoffice.web.admin.access.staff_visitor`)."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from litestar import Request, get
from litestar.response import Template

from smartoffice.people.grant_choices import ROLE_NAMES, scope_names
from smartoffice.people.role_grant import GrantableRole, RoleGrant
from smartoffice.runtime import runtime_of
from smartoffice.web.admin.access import StaffVisitor, staff_visitor
from smartoffice.web.unit_links import unit_url


@dataclass(frozen=True, slots=True)
class HeldRow:
    role: GrantableRole
    role_name: str
    """A msgid."""
    scope_name: str | None
    derived: bool
    compliance_url: str | None
    """A unit manager's link to the unit's compliance page."""


@get("/admin", name="admin-overview")
async def admin_overview(request: Request[Any, Any, Any]) -> Template:
    staff = await staff_visitor(request)
    return Template(
        template_name="admin/overview.html",
        context={
            "staff": staff,
            "viewer": staff.viewer,
            "admin_current": "overview",
            "nav_current": "admin",
            "held": await held_rows(request, staff),
        },
    )


async def held_rows(request: Request[Any, Any, Any], staff: StaffVisitor) -> Sequence[HeldRow]:
    grants = [
        RoleGrant(staff.id, GrantableRole(held.role.value), held.site_id or held.org_unit_id, held.derived)
        for held in staff.roles
    ]
    names = await scope_names(runtime_of(request).db, grants)
    order = list(GrantableRole)
    return [
        HeldRow(
            role=grant.role,
            role_name=ROLE_NAMES[grant.role],
            scope_name=names.of(grant.role, grant.scope_id),
            derived=grant.derived,
            compliance_url=(
                unit_url(grant.scope_id)
                if grant.role == GrantableRole.UNIT_MANAGER and grant.scope_id is not None
                else None
            ),
        )
        for grant in sorted(grants, key=lambda g: (order.index(g.role), g.derived, g.scope_id or 0))
    ]
