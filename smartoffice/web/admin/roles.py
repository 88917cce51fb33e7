"""``/admin/roles``: who holds which role (what the visitor may see, as ``roleAssignments``), granting one and
revoking one after a confirmation step.

The list is :meth:`RoleService.assignments` (at most its ``MAX_LISTED``), filtered by role there and by a person
search (name, email, or a NIP the visitor may see) here, shown ``PAGE_SIZE`` at a time with "showing N of M".
Heads of units by position are marked "by position" and offer no revoke. Grant and revoke are POSTs answered with
a redirect (post/redirect/get); a refusal (:class:`RoleService`'s typed errors: a unit manager granting the
administrator role, a scope outside one's own, the last administrator ...) is shown on the page, nothing written.
The service audits each change, with the visitor as actor through ``web``.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY

from smartoffice.audit.record import Actor
from smartoffice.errors import DomainError
from smartoffice.i18n import Language, gettext
from smartoffice.people.grant_choices import (
    MAX_MATCHES,
    ROLE_NAMES,
    SCOPE_HEADINGS,
    find_people,
    scope_choices,
    scope_names,
)
from smartoffice.people.grants import MAX_LISTED, SCOPE_KIND, GrantableRole, RoleGrant
from smartoffice.people.models import RoleSource
from smartoffice.runtime import runtime_of
from smartoffice.web.admin.access import StaffVisitor, staff_visitor
from smartoffice.web.errors import PageError
from smartoffice.web.forms import FormError, optional_int
from smartoffice.web.identity import see_other
from smartoffice.web.language import language_of

VIA = "page"
"""The channel written to the audit log for changes made on these pages."""
PAGE_SIZE = 50
SCOPE_FIELDS = {
    GrantableRole.FACILITIES_MANAGER: "site",
    GrantableRole.UNIT_MANAGER: "unit",
    GrantableRole.ROOM_APPROVER: "room",
}
"""The grant form's field holding each role's scope (one list per kind of scope)."""
DONE = ("granted", "revoked")


@dataclass(frozen=True, slots=True)
class AssignmentRow:
    employee_id: int
    name: str
    email: str
    nip: str | None
    """Only where the visitor may see it."""
    unit_name: str
    role: GrantableRole
    role_name: str
    scope_id: int | None
    scope_name: str | None
    derived: bool
    source: RoleSource
    """Who manages the grant: these pages (``manual``), or the identity provider's groups (``idp``: not revocable
    here, the service refuses; it is taken away at the provider)."""

    @property
    def revocable(self) -> bool:
        return not self.derived and self.source == RoleSource.MANUAL

    @property
    def revoke_url(self) -> str:
        fields = {"employee": self.employee_id, "role": self.role.value}
        if self.scope_id is not None:
            fields["scope"] = self.scope_id
        return "/admin/roles/revoke?" + urlencode(fields)


@dataclass(frozen=True, slots=True)
class RolesListing:
    rows: Sequence[AssignmentRow]
    total: int
    """Matching rows (at most the service's MAX_LISTED)."""
    first: int
    """The 1-based position of the first row shown."""
    capped: bool
    """The service listed its maximum: there may be more."""
    previous_url: str | None
    next_url: str | None


@get("/admin/roles", name="admin-roles")
async def admin_roles(
    request: Request[Any, Any, Any],
    role: FromQuery[str | None] = None,
    q: FromQuery[str | None] = None,
    page: FromQuery[str | None] = None,
    done: FromQuery[str | None] = None,
) -> Template:
    staff = await staff_visitor(request)
    return await render_roles(request, staff, role=role, q=q, page=page, done=done if done in DONE else None)


@post("/admin/roles/grant", name="admin-roles-grant")
async def grant_role(request: Request[Any, Any, Any]) -> Template | Redirect:
    staff = await staff_visitor(request)
    form = await request.form()
    language = language_of(request)
    values = {name: str(form.get(name) or "") for name in ("person", "role", "site", "unit", "room")}
    try:
        grant = await _grant_from(request, language, values)
        await runtime_of(request).roles.grant(Actor(staff.id, VIA), grant)
    except (DomainError, FormError) as exc:
        return await render_roles(request, staff, error=PageError.of(exc, language), grant_form=values)
    except PersonNotFound as exc:
        return await render_roles(request, staff, error=exc.error, grant_form=values, matches=exc.matches)
    return see_other("/admin/roles?" + urlencode({"done": "granted", "role": grant.role.value}))


@get("/admin/roles/revoke", name="admin-roles-revoke-confirm")
async def confirm_revoke(
    request: Request[Any, Any, Any],
    employee: FromQuery[str | None] = None,
    role: FromQuery[str | None] = None,
    scope: FromQuery[str | None] = None,
) -> Template:
    """The confirmation step: what would be revoked, and a button that does it."""
    staff = await staff_visitor(request)
    language = language_of(request)
    try:
        grant = _grant_in(employee, role, scope)
    except FormError as exc:
        return await render_roles(request, staff, error=PageError.of(exc, language))
    person = await runtime_of(request).people.find_employee(grant.employee_id)
    if person is None:
        return await render_roles(request, staff, error=_page_error(language, "missing_person"))
    names = await scope_names(runtime_of(request).db, [grant])
    return Template(
        template_name="admin/roles_revoke.html",
        context={
            "staff": staff,
            "viewer": staff.viewer,
            "admin_current": "roles",
            "nav_current": "admin",
            "grant": grant,
            "person": person,
            "role_name": ROLE_NAMES[grant.role],
            "scope_name": names.of(grant.role, grant.scope_id),
        },
    )


@post("/admin/roles/revoke", name="admin-roles-revoke")
async def revoke_role(request: Request[Any, Any, Any]) -> Template | Redirect:
    staff = await staff_visitor(request)
    form = await request.form()
    language = language_of(request)
    try:
        grant = _grant_in(form.get("employee"), form.get("role"), form.get("scope"))
        await runtime_of(request).roles.revoke(Actor(staff.id, VIA), grant)
    except (DomainError, FormError) as exc:
        return await render_roles(request, staff, error=PageError.of(exc, language))
    return see_other("/admin/roles?" + urlencode({"done": "revoked", "role": grant.role.value}))


class PersonNotFound(Exception):
    """The grant form's person matched nobody, or several people (``matches``)."""

    def __init__(self, error: PageError, matches: Sequence[Any] = ()) -> None:
        super().__init__(error.code)
        self.error = error
        self.matches = matches


async def _grant_from(request: Request[Any, Any, Any], language: Language, values: dict[str, str]) -> RoleGrant:
    role = _role(values["role"])
    scope_field = SCOPE_FIELDS.get(role)
    scope = optional_int(values[scope_field], scope_field) if scope_field else None
    if not values["person"].strip():
        raise PersonNotFound(_page_error(language, "missing_person"))
    people = await find_people(runtime_of(request).db, values["person"])
    if not people:
        raise PersonNotFound(_page_error(language, "no_person"))
    if len(people) > 1:
        raise PersonNotFound(_page_error(language, "several_people"), people[:MAX_MATCHES])
    return RoleGrant(people[0].id, role, scope)


def _grant_in(employee: object, role: object, scope: object) -> RoleGrant:
    """A grant named by the revoke link or form (``employee``, ``role``, ``scope``)."""
    person = optional_int(employee if isinstance(employee, str) else None, "employee")
    if person is None:
        raise FormError("employee", "missing_employee")
    kind = _role(role if isinstance(role, str) else "")
    scope_id = optional_int(scope if isinstance(scope, str) else None, "scope")
    return RoleGrant(person, kind, scope_id if kind in SCOPE_KIND else None)


def _role(value: str) -> GrantableRole:
    try:
        return GrantableRole(value.strip())
    except ValueError:
        raise FormError("role", "invalid_role") from None


def _page_error(language: Language, code: str) -> PageError:
    texts = {
        "missing_person": gettext(language, "Enter the person's NIP, email or name."),
        "no_person": gettext(language, "Nobody active matches that NIP, email or name."),
        "several_people": gettext(
            language, "Several people match. Enter the NIP or email of the one you mean, or a longer part of the name."
        ),
    }
    return PageError(HTTP_422_UNPROCESSABLE_ENTITY, code, gettext(language, "Please check and try again"), texts[code])


async def render_roles(
    request: Request[Any, Any, Any],
    staff: StaffVisitor,
    *,
    role: str | None = None,
    q: str | None = None,
    page: str | None = None,
    done: str | None = None,
    error: PageError | None = None,
    grant_form: dict[str, str] | None = None,
    matches: Sequence[Any] = (),
) -> Template:
    language = language_of(request)
    role_filter = GrantableRole(role) if role is not None and role in GrantableRole._value2member_map_ else None
    try:
        page_number = max(1, optional_int(page, "page") or 1)
    except FormError:
        page_number = 1
    listing = await _listing(request, staff, role_filter, (q or "").strip(), page_number)
    choices = await scope_choices(
        runtime_of(request).db, staff.id, is_admin=staff.is_admin, site_ids=staff.facilities_site_ids
    )
    return Template(
        template_name="admin/roles.html",
        context={
            "staff": staff,
            "viewer": staff.viewer,
            "admin_current": "roles",
            "nav_current": "admin",
            "listing": listing,
            "role_filter": role_filter.value if role_filter else "",
            "q": (q or "").strip(),
            "done": done,
            "done_role": ROLE_NAMES[role_filter] if role_filter else None,
            "error": error,
            "choices": choices,
            "all_roles": [(r.value, ROLE_NAMES[r]) for r in GrantableRole],
            "role_names": {r.value: ROLE_NAMES[r] for r in GrantableRole},
            "scope_headings": {r.value: SCOPE_HEADINGS[r] for r in SCOPE_HEADINGS},
            "form": grant_form or {},
            "matches": matches,
            "language": language,
        },
        status_code=error.status if error else 200,
    )


async def _listing(
    request: Request[Any, Any, Any], staff: StaffVisitor, role: GrantableRole | None, q: str, page: int
) -> RolesListing:
    runtime = runtime_of(request)
    grants = await runtime.roles.assignments(staff.id, role=role)
    ids = sorted({g.employee_id for g in grants})
    people = await runtime.people.employees_by_id(ids) if ids else {}
    nips = await runtime.people.nips_by_employee_id(staff.id, ids) if ids else {}
    names = await scope_names(runtime.db, grants)
    rows = [
        AssignmentRow(
            employee_id=g.employee_id,
            name=people[g.employee_id].name,
            email=people[g.employee_id].email,
            nip=nips.get(g.employee_id),
            unit_name=people[g.employee_id].org_unit.name,
            role=g.role,
            role_name=ROLE_NAMES[g.role],
            scope_id=g.scope_id,
            scope_name=names.of(g.role, g.scope_id),
            derived=g.derived,
            source=g.source,
        )
        for g in grants
        if g.employee_id in people
    ]
    if q:
        rows = [row for row in rows if _matches(row, q)]
    rows.sort(key=lambda row: (row.name.casefold(), list(GrantableRole).index(row.role), row.scope_name or ""))
    start = (page - 1) * PAGE_SIZE
    if start >= len(rows):
        page, start = 1, 0

    def url(number: int) -> str:
        fields = {"role": role.value if role else "", "q": q, "page": str(number)}
        return "/admin/roles?" + urlencode({k: v for k, v in fields.items() if v})

    return RolesListing(
        rows=rows[start : start + PAGE_SIZE],
        total=len(rows),
        first=start + 1,
        capped=len(grants) >= MAX_LISTED,
        previous_url=url(page - 1) if page > 1 else None,
        next_url=url(page + 1) if start + PAGE_SIZE < len(rows) else None,
    )


def _matches(row: AssignmentRow, q: str) -> bool:
    text = q.casefold()
    return text in row.name.casefold() or text in row.email.casefold() or (row.nip is not None and row.nip == q)
