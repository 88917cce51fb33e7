"""``/admin/roles``: who holds which role (what the visitor may see, as ``roleAssignments``), granting one and
revoking one after a confirmation step.

The list is :meth:`RoleService.assignments`, filtered there by role and by a person search (name, email, or a NIP
the visitor may see), shown ``PAGE_SIZE`` at a time in the service's order with "showing N–M of T": the "Next page"
link carries the last row's cursor (``after``), the same keyset as ``roleAssignments``, so every row is reached
without JavaScript and none is skipped or shown twice while roles change.
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
from smartoffice.errors import DomainError, InvalidInput
from smartoffice.i18n import Language, gettext
from smartoffice.people.grant_choices import (
    MAX_MATCHES,
    ROLE_NAMES,
    SCOPE_HEADINGS,
    find_people,
    scope_choices,
    scope_names,
)
from smartoffice.people.models import RoleSource
from smartoffice.people.role_grant import SCOPE_KIND, GrantableRole, RoleGrant
from smartoffice.people.role_listing import RoleSearch
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
    """Matching rows, on every page."""
    first: int
    """The 1-based position of the first row shown."""
    start_url: str | None
    """The first page, when this is not it."""
    next_url: str | None


@get("/admin/roles", name="admin-roles")
async def admin_roles(
    request: Request[Any, Any, Any],
    role: FromQuery[str | None] = None,
    q: FromQuery[str | None] = None,
    after: FromQuery[str | None] = None,
    done: FromQuery[str | None] = None,
) -> Template:
    staff = await staff_visitor(request)
    return await render_roles(request, staff, role=role, q=q, after=after, done=done if done in DONE else None)


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
    after: str | None = None,
    done: str | None = None,
    error: PageError | None = None,
    grant_form: dict[str, str] | None = None,
    matches: Sequence[Any] = (),
) -> Template:
    language = language_of(request)
    role_filter = GrantableRole(role) if role is not None and role in GrantableRole._value2member_map_ else None
    search = RoleSearch(role=role_filter, person=(q or "").strip() or None)
    try:
        listing = await _listing(request, staff, search, after or None)
    except InvalidInput as exc:  # a cursor these pages did not write: the first page, and why
        listing = await _listing(request, staff, search, None)
        error = error or PageError.of(exc, language)
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
    request: Request[Any, Any, Any], staff: StaffVisitor, search: RoleSearch, after: str | None
) -> RolesListing:
    """One page of ``search`` after the cursor ``after``; raises InvalidInput for a cursor the service did not
    write."""
    runtime = runtime_of(request)
    page = await runtime.roles.assignments(staff.id, search, first=PAGE_SIZE, after=after)
    total, before = await runtime.roles.count(staff.id, search, up_to=after)
    grants = page.grants
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

    def url(cursor: str | None) -> str:
        fields = {"role": search.role.value if search.role else "", "q": search.person or "", "after": cursor or ""}
        return "/admin/roles?" + urlencode({k: v for k, v in fields.items() if v})

    return RolesListing(
        rows=rows,
        total=total,
        first=before + 1,
        start_url=url(None) if after else None,
        next_url=url(page.end_cursor) if page.has_next else None,
    )
