"""The accounts page (``/admin/accounts``): administrators list accounts and create, reset, disable and enable them.

A new or reset account's invitation link is shown once, as an absolute URL, and works: the person sets a password
and signs in. A reset makes the old password useless; a disable ends the person's sessions and refuses sign-in
until enabled. Every change is audited as the administrator, via ``web``; refusals are said on the page."""

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import func, select

from smartoffice.audit.models import AuditEntry
from smartoffice.audit.record import Actor
from smartoffice.db import utcnow
from smartoffice.identity.accounts import set_password, verify_login
from smartoffice.identity.invitations import create_account
from smartoffice.identity.sessions import SESSION_COOKIE
from smartoffice.people.models import Employee, Role
from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from smartoffice.web.admin.accounts import PAGE_SIZE
from tests.factories import Factory
from tests.support.apps import client_for
from tests.support.leavers import mark_left
from tests.support.org_chart import build_org_chart
from tests.support.pages import PageClient

PASSWORD = "kata-sandi-pertama-2026"
NEW_PASSWORD = "kata-sandi-kedua-2026"
ADMINS_ONLY = "Only administrators may do this"
STAFF_ONLY = "Only administrators and managers may open the administration pages"
LINK = re.compile(
    r'<code class="invitation-link" id="invitation-link">(http://testserver\.local(/login/invite/[^<]+))</code>'
)


@pytest.fixture
async def person_pages(settings: Settings, runtime: Runtime) -> AsyncIterator[PageClient]:
    """A second browser: the person whose account the administrator changes."""
    async with client_for(settings) as client:
        yield PageClient(client)


async def signed_in_admin(pages: PageClient, factory: Factory) -> Employee:
    admin = await factory.employee(name="Admin Akun")
    await factory.role(admin, Role.ADMIN)
    await pages.act_as(admin.id)
    return admin


async def with_password(runtime: Runtime, person: Employee, password: str = PASSWORD) -> None:
    async with runtime.db.write() as session:
        await create_account(session, person, now=utcnow(), actor=Actor.system("test"))
    async with runtime.db.write() as session:
        await set_password(session, person.id, password, utcnow())


async def sign_in(pages: PageClient, email: str, password: str) -> httpx.Response:
    return await pages.submit("/login", {"email": email, "password": password}, from_page="/login")


async def shown_link(pages: PageClient, response: httpx.Response) -> tuple[str, str]:
    """Follow a create or reset to the page that shows the link: (absolute URL, path)."""
    assert response.status_code == 303, response.text
    page = await pages.get(response.headers["location"])
    match = LINK.search(page.text)
    assert page.status_code == 200 and match, page.text
    return match.group(1), match.group(2)


async def accept(pages: PageClient, path: str, password: str) -> httpx.Response:
    return await pages.submit(path, {"password": password, "password_again": password}, from_page=path)


async def audited(runtime: Runtime, action: str) -> list[tuple[int | None, str, int | None]]:
    async with runtime.db.read() as session:
        query = select(AuditEntry.actor_id, AuditEntry.via, AuditEntry.entity_id).where(AuditEntry.action == action)
        return [tuple(row) for row in await session.execute(query)]  # type: ignore[misc]


async def test_create_shows_a_working_link_once(
    pages: PageClient, person_pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    admin = await signed_in_admin(pages, factory)
    person = await factory.employee(name="Dewi Anggraini")

    created = await pages.submit("/admin/accounts", {"employee": person.nip}, from_page="/admin/accounts")
    url, path = await shown_link(pages, created)
    again = await pages.get(created.headers["location"])

    assert url.startswith("http://testserver.local/login/invite/")
    assert again.status_code == 404 and "shown only once" in again.text and path not in again.text
    assert await audited(runtime, "account.create") == [(admin.id, "page", person.id)]
    listed = await pages.get("/admin/accounts?state=invited")
    assert f'data-employee-id="{person.id}" data-state="invited"' in listed.text

    accepted = await accept(person_pages, path, PASSWORD)
    assert accepted.status_code == 303 and SESSION_COOKIE in person_pages.http.cookies
    assert "Signed in as <strong>Dewi Anggraini</strong>" in (await person_pages.get("/")).text
    assert await verify_login(runtime.db, person.email, PASSWORD) == person.id


async def test_reset_makes_the_old_password_useless_and_issues_a_new_link(
    pages: PageClient, person_pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    admin = await signed_in_admin(pages, factory)
    person = await factory.employee(name="Rudi Hartono")
    await with_password(runtime, person)
    assert (await sign_in(person_pages, person.email, PASSWORD)).status_code == 303

    confirm = await pages.get(f"/admin/accounts/{person.id}/reset")
    assert confirm.status_code == 200 and "Reset the account of Rudi Hartono?" in confirm.text
    assert await verify_login(runtime.db, person.email, PASSWORD) == person.id  # asking changes nothing
    reset = await pages.submit(f"/admin/accounts/{person.id}/reset", {}, from_page=f"/admin/accounts/{person.id}/reset")
    _url, path = await shown_link(pages, reset)

    assert await verify_login(runtime.db, person.email, PASSWORD) is None
    assert "Signed in as" not in (await person_pages.get("/")).text  # the session made before the reset ended
    assert await audited(runtime, "account.reset") == [(admin.id, "page", person.id)]
    assert (await accept(person_pages, path, NEW_PASSWORD)).status_code == 303
    assert await verify_login(runtime.db, person.email, NEW_PASSWORD) == person.id


async def test_disable_ends_sessions_and_refuses_sign_in_until_enabled(
    pages: PageClient, person_pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    admin = await signed_in_admin(pages, factory)
    person = await factory.employee(name="Sri Wahyuni")
    await with_password(runtime, person)
    await sign_in(person_pages, person.email, PASSWORD)
    assert "Signed in as <strong>Sri Wahyuni</strong>" in (await person_pages.get("/")).text

    confirm = await pages.get(f"/admin/accounts/{person.id}/disable")
    disabled = await pages.submit(
        f"/admin/accounts/{person.id}/disable", {}, from_page=f"/admin/accounts/{person.id}/disable"
    )
    listed = await pages.get(disabled.headers["location"])

    assert confirm.status_code == 200 and "Disable the account of Sri Wahyuni?" in confirm.text
    assert disabled.status_code == 303
    assert "The account of Sri Wahyuni is disabled" in listed.text
    assert f'data-employee-id="{person.id}" data-state="disabled"' in listed.text
    assert "Signed in as" not in (await person_pages.get("/")).text
    refused = await sign_in(person_pages, person.email, PASSWORD)
    assert refused.status_code == 403 and "Your account has been disabled" in refused.text

    enabled = await pages.submit(f"/admin/accounts/{person.id}/enable", {}, from_page="/admin/accounts")
    assert enabled.status_code == 303
    assert "The account of Sri Wahyuni is enabled." in (await pages.get(enabled.headers["location"])).text
    assert (await sign_in(person_pages, person.email, PASSWORD)).status_code == 303
    assert await audited(runtime, "account.disable") == [(admin.id, "page", person.id)]
    assert await audited(runtime, "account.enable") == [(admin.id, "page", person.id)]


async def test_refusals_are_said_on_the_page_and_write_nothing(
    pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    admin = await signed_in_admin(pages, factory)
    holder = await factory.employee(name="Punya Akun")
    await with_password(runtime, holder)
    leaver = await factory.employee(name="Sudah Pensiun")
    await mark_left(runtime.db, leaver)

    unknown = await pages.submit("/admin/accounts", {"employee": "199001012020121001"}, from_page="/admin/accounts")
    twice = await pages.submit("/admin/accounts", {"employee": holder.email}, from_page="/admin/accounts")
    gone = await pages.submit("/admin/accounts", {"employee": leaver.nip}, from_page="/admin/accounts")
    empty = await pages.submit("/admin/accounts", {"employee": " "}, from_page="/admin/accounts")
    self_disable = await pages.submit(f"/admin/accounts/{admin.id}/disable", {}, from_page="/admin/accounts")

    assert unknown.status_code == 404 and "199001012020121001 does not exist" in unknown.text
    assert 'value="199001012020121001"' in unknown.text  # kept in the field to correct
    assert twice.status_code == 422 and "Punya Akun already has an account: reset it instead" in twice.text
    assert gone.status_code == 422 and "Sudah Pensiun is no longer active" in gone.text
    assert empty.status_code == 422 and "Type the person&#39;s NIP or email." in empty.text
    assert self_disable.status_code == 403
    async with runtime.db.read() as session:
        actions = (await session.scalars(select(AuditEntry.action))).all()
    assert [a for a in actions if a != "account.create"] == [] and len(actions) == 1  # the fixture's own


async def test_the_list_searches_filters_and_pages(pages: PageClient, factory: Factory, runtime: Runtime) -> None:
    await signed_in_admin(pages, factory)
    invited = await factory.employee(name="Ahmad Diundang")
    async with runtime.db.write() as session:
        await create_account(session, invited, now=utcnow(), actor=Actor.system("test"))
    active = await factory.employee(name="Budi Aktif")
    await with_password(runtime, active)
    for n in range(PAGE_SIZE):
        await factory.employee(name=f"Pegawai {n:03d}")

    by_state = await pages.get("/admin/accounts?state=invited")
    by_nip = await pages.get(f"/admin/accounts?q={active.nip}")
    by_email = await pages.get(f"/admin/accounts?q={invited.email.upper()}")
    without = await pages.get("/admin/accounts?state=none")
    second = await pages.get("/admin/accounts?state=none&page=2")

    ids = re.compile(r'data-employee-id="(\d+)"')
    assert ids.findall(by_state.text) == [str(invited.id)] and "until " in by_state.text
    assert ids.findall(by_nip.text) == [str(active.id)] and 'data-state="active"' in by_nip.text
    assert ids.findall(by_email.text) == [str(invited.id)]
    assert len(ids.findall(without.text)) == PAGE_SIZE and "Page 1 of 2" in without.text
    assert len(ids.findall(second.text)) == 1  # the admin and the 50 others have no account: 51


ROUTES = [
    ("GET", "/admin/accounts"),
    ("POST", "/admin/accounts"),
    ("GET", "/admin/accounts/link/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
    ("GET", "/admin/accounts/1/reset"),
    ("GET", "/admin/accounts/1/disable"),
    ("POST", "/admin/accounts/1/reset"),
    ("POST", "/admin/accounts/1/disable"),
    ("POST", "/admin/accounts/1/enable"),
]


@pytest.mark.parametrize("who", ["employee", "unit_head", "facilities_manager"])
@pytest.mark.parametrize(("method", "url"), ROUTES)
async def test_anyone_but_an_administrator_gets_the_permission_page(
    pages: PageClient, factory: Factory, runtime: Runtime, who: str, method: str, url: str
) -> None:
    if who == "employee":
        visitor, says = await factory.employee(), STAFF_ONLY
    elif who == "unit_head":
        visitor, says = (await build_org_chart(factory)).director, ADMINS_ONLY
    else:
        visitor, says = await factory.employee(), ADMINS_ONLY
        await factory.role(visitor, Role.FACILITIES_MANAGER, site_id=(await factory.site()).id)
    await pages.act_as(visitor.id)

    if method == "GET":
        response = await pages.get(url)
    else:
        response = await pages.submit(url, {"employee": visitor.nip})

    assert response.status_code == 403 and says in response.text
    async with runtime.db.read() as session:
        assert await session.scalar(select(func.count()).select_from(AuditEntry)) == 0
