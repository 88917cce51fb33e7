"""The administration overview and roles pages (``/admin``, ``/admin/roles``): who may open them, what they show,
granting and revoking through the forms (post/redirect/get, audited), and the service's refusals on the page."""

import html
import re

import pytest
from sqlalchemy import func, select

from smartoffice.audit.models import AuditEntry
from smartoffice.people.models import Employee, Role, RoleAssignment
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.org_chart import build_org_chart
from tests.support.pages import PageClient

STAFF_ONLY = "Only administrators and managers may open the administration pages"
ADMIN_ROUTES = [
    ("GET", "/admin"),
    ("GET", "/admin/roles"),
    ("GET", "/admin/roles/revoke?employee=1&role=admin"),
    ("GET", "/admin/audit"),
    ("GET", "/admin/audit.csv"),
    ("POST", "/admin/roles/grant"),
    ("POST", "/admin/roles/revoke"),
]


async def _count(runtime: Runtime, query: object) -> int:
    async with runtime.db.read() as session:
        return int(await session.scalar(query) or 0)  # type: ignore[call-overload]


async def _open(pages: PageClient, method: str, url: str) -> tuple[int, str]:
    if method == "GET":
        response = await pages.get(url)
    else:
        response = await pages.submit(url, {"person": "x", "role": "admin", "employee": "1"})
    return response.status_code, response.text


@pytest.mark.parametrize(("method", "url"), ADMIN_ROUTES)
async def test_a_plain_employee_gets_the_permission_page(
    pages: PageClient, factory: Factory, method: str, url: str
) -> None:
    employee = await factory.employee(name="Siti Pegawai")
    await pages.act_as(employee.id)

    status, text = await _open(pages, method, url)

    assert status == 403
    assert STAFF_ONLY in text
    assert 'href="/admin"' not in text  # no "Administration" link for someone without a role


async def test_nobody_gets_the_permission_page(pages: PageClient) -> None:
    response = await pages.get("/admin/roles")

    assert response.status_code == 403 and STAFF_ONLY in response.text


async def test_the_overview_shows_the_roles_held_and_the_main_navigation_links_to_it(
    pages: PageClient, factory: Factory
) -> None:
    site = await factory.site(name="Kawasan Inti Pusat Pemerintahan")
    manager = await factory.employee(name="Rina Fasilitas")
    await factory.role(manager, Role.FACILITIES_MANAGER, site_id=site.id)
    await pages.act_as(manager.id)

    home = await pages.get("/")
    overview = await pages.get("/admin")

    assert '<a href="/admin">Administration</a>' in home.text
    assert overview.status_code == 200
    assert '<a href="/admin" aria-current="page">Administration</a>' in overview.text  # the section you are in
    assert "Facilities manager" in overview.text and "Kawasan Inti Pusat Pemerintahan" in overview.text
    assert 'href="/admin/roles"' in overview.text and 'href="/admin/audit"' in overview.text
    assert 'href="/admin/accounts"' not in overview.text  # administrators only


async def test_a_unit_head_by_position_sees_the_derived_role(pages: PageClient, factory: Factory) -> None:
    org = await build_org_chart(factory)
    await pages.act_as(org.director.id)

    overview = await pages.get("/admin")
    roles = await pages.get("/admin/roles")

    assert overview.status_code == 200
    assert re.search(
        r"Unit manager</strong>\s*<span>Direktorat Perencanaan</span>\s*<span class=\"tag\">by position", overview.text
    )
    row = _row(roles.text, org.director.id, "unit_manager")
    assert "by position" in row and "Revoke" not in row  # derived: never revocable
    assert "Deputi" not in roles.text  # the head of the unit above is outside what the director may see


async def test_an_admin_grants_and_revokes_through_the_forms(
    pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    org = await build_org_chart(factory)
    grantee = org.staff[0]
    await pages.act_as(org.admin.id)

    granted = await pages.submit(
        "/admin/roles/grant",
        {"person": grantee.email.upper(), "role": "facilities_manager", "site": org.site.id},
        from_page="/admin/roles",
    )
    listed = await pages.get(granted.headers["location"])
    row = _row(listed.text, grantee.id, "facilities_manager")
    revoke_url = re.search(r'href="(/admin/roles/revoke\?[^"]+)"', row)
    assert revoke_url
    confirm = await pages.get(revoke_url.group(1).replace("&amp;", "&"))
    revoked = await pages.submit(
        "/admin/roles/revoke",
        {"employee": grantee.id, "role": "facilities_manager", "scope": org.site.id},
        from_page="/admin/roles",
    )
    after = await pages.get(revoked.headers["location"])

    assert granted.status_code == 303 and granted.headers["location"].startswith("/admin/roles?done=granted")
    assert "The role is granted." in listed.text and "KIPP" in row
    assert confirm.status_code == 200 and "Revoke the role <strong>Facilities manager</strong> from" in confirm.text
    assert revoked.status_code == 303 and "The role is revoked." in after.text
    assert f'data-employee-id="{grantee.id}" data-role="facilities_manager"' not in after.text
    async with runtime.db.read() as session:
        entries = (await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all()
    assert [(e.action, e.actor_id, e.via, e.site_id, e.entity_id) for e in entries] == [
        ("role.grant", org.admin.id, "page", org.site.id, grantee.id),
        ("role.revoke", org.admin.id, "page", org.site.id, grantee.id),
    ]


async def test_a_unit_manager_cannot_grant_admin(pages: PageClient, factory: Factory, runtime: Runtime) -> None:
    org = await build_org_chart(factory)
    await pages.act_as(org.director.id)
    form = await pages.get("/admin/roles")

    response = await pages.submit(
        "/admin/roles/grant", {"person": org.staff[1].nip, "role": "admin"}, from_page="/admin/roles"
    )

    assert '<option value="admin"' not in form.text.split('id="filter-role"')[0]  # not offered in the grant form
    assert response.status_code == 403
    assert "Only administrators may grant or revoke the administrator role" in response.text
    assert 'data-code="ONLY_ADMINS_GRANT_ADMIN"' in response.text
    held = select(func.count()).select_from(RoleAssignment).where(RoleAssignment.employee_id == org.staff[1].id)
    assert await _count(runtime, held) == 0
    assert await _count(runtime, select(func.count()).select_from(AuditEntry)) == 0


async def test_a_unit_manager_grants_within_their_units_only(
    pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    org = await build_org_chart(factory)
    await pages.act_as(org.director.id)

    inside = await pages.submit(
        "/admin/roles/grant",
        {"person": org.lead.email, "role": "unit_manager", "unit": org.team.id},
        from_page="/admin/roles",
    )
    outside = await pages.submit(
        "/admin/roles/grant",
        {"person": org.lead.email, "role": "unit_manager", "unit": org.sibling.id},
        from_page="/admin/roles",
    )
    form = await pages.get("/admin/roles")

    assert inside.status_code == 303
    assert outside.status_code == 403 and 'data-code="NOT_YOUR_SCOPE"' in outside.text
    grant_form = form.text.split('id="holders-heading"')[0]
    assert f'<option value="{org.team.id}"' in grant_form and f'<option value="{org.sibling.id}"' not in grant_form
    held = select(RoleAssignment.org_unit_id).where(RoleAssignment.employee_id == org.lead.id)
    async with runtime.db.read() as session:
        assert (await session.scalars(held)).all() == [org.team.id]


async def test_a_vague_person_lists_the_matches_and_writes_nothing(
    pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    org = await build_org_chart(factory)
    await pages.act_as(org.admin.id)

    several = await pages.submit("/admin/roles/grant", {"person": "Staf", "role": "admin"}, from_page="/admin/roles")
    nobody = await pages.submit(
        "/admin/roles/grant", {"person": "Tidak Ada", "role": "admin"}, from_page="/admin/roles"
    )

    assert several.status_code == 422 and "Several people match." in several.text
    assert "Staf 1" in several.text and "Staf 2" in several.text and 'value="Staf"' in several.text
    assert nobody.status_code == 422 and "Nobody active matches" in nobody.text
    admins = select(func.count()).select_from(RoleAssignment).where(RoleAssignment.role == Role.ADMIN)
    assert await _count(runtime, admins) == 1


async def test_the_list_filters_by_role_and_person_and_says_how_many(pages: PageClient, factory: Factory) -> None:
    org = await build_org_chart(factory)
    site = org.site
    holders: list[Employee] = []
    for n in range(55):
        person = await factory.employee(name=f"Pengelola {n:02d}")
        await factory.role(person, Role.FACILITIES_MANAGER, site_id=site.id)
        holders.append(person)
    await pages.act_as(org.admin.id)

    first = await pages.get("/admin/roles?role=facilities_manager")
    next_link = re.search(r'<a href="(/admin/roles\?role=facilities_manager&amp;after=[^"]+)" rel="next">', first.text)
    assert next_link, first.text
    second = await pages.get(html.unescape(next_link.group(1)))
    one = await pages.get("/admin/roles?q=Pengelola%2007")

    assert "Showing 1–50 of 55" in first.text
    assert "Showing 51–55 of 55" in second.text and "Pengelola 54" in second.text
    assert "Showing 1–1 of 1" in one.text and _row(one.text, holders[7].id, "facilities_manager")


def _row(html: str, employee_id: int, role: str) -> str:
    match = re.search(rf'<tr data-employee-id="{employee_id}" data-role="{role}">(.*?)</tr>', html, re.S)
    assert match, f"no {role} row for employee {employee_id}"
    return match.group(1)
