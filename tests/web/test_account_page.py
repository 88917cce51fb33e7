"""``/account``: a person's own login sessions and app tokens, each ended by them and audited; their two-step
sign-in (issue 11)."""

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from smartoffice.app import create_app
from smartoffice.audit.models import AuditEntry
from smartoffice.identity.models import ApiToken
from smartoffice.identity.scopes import Scope
from smartoffice.identity.sessions import SESSION_COOKIE
from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from tests.factories import Factory
from tests.support.auth import bearer, issue_token
from tests.support.pages import PageClient
from tests.support.peers import client_from, running
from tests.support.second_factor import code, enrol, password_account, production, sign_in, type_code

API = "/api/graphql"
VIEWER = {"query": "{ viewer { name } }"}
HANDLE = re.compile(r'name="handle" value="([0-9a-f]{64})"')


@pytest.fixture
def app(settings: Settings) -> Litestar:
    return create_app(production(settings))


@pytest.fixture
async def pages(app: Litestar, runtime: Runtime) -> AsyncIterator[PageClient]:
    async with AsyncTestClient(app=app) as client:
        yield PageClient(client)


@asynccontextmanager
async def browser(app: Litestar, address: str = "198.51.100.1", agent: str = "Browser") -> AsyncIterator[PageClient]:
    async with client_from(app, address, headers={"user-agent": agent}) as client:
        yield PageClient(client)  # type: ignore[arg-type]  # any httpx client will do


async def audit(runtime: Runtime, action: str) -> list[AuditEntry]:
    async with runtime.db.read() as session:
        query = select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        return list((await session.scalars(query)).all())


async def test_sessions_are_listed_and_one_is_signed_out(app: Litestar, factory: Factory, runtime: Runtime) -> None:
    person = await password_account(factory, runtime, "Budi Santoso")
    async with (
        running(app),
        browser(app, "198.51.100.7", "Laptop Firefox") as laptop,
        browser(app, "203.0.113.9", "Phone Chrome") as phone,
    ):
        await sign_in(laptop, person.email)
        await sign_in(phone, person.email)

        page = await laptop.get("/account")

        assert page.status_code == 200
        assert "Laptop Firefox" in page.text and "Phone Chrome" in page.text and "This session" in page.text
        assert "from 203.0.113.9" in page.text
        assert 'href="/account/data"' in page.text
        (other,) = HANDLE.findall(page.text)  # only the other session has a "sign out" button
        ended = await laptop.submit("/account/sessions/end", {"handle": other}, from_page="/account")

        assert ended.headers["location"] == "/account?notice=session_ended"
        assert "Signed in as" not in (await phone.get("/")).text  # the phone's cookie is signed out
        assert "Signed in as" in (await laptop.get("/")).text
        assert "Phone Chrome" not in (await laptop.get("/account")).text
    (entry,) = await audit(runtime, "session.revoke")
    assert (entry.actor_id, entry.via, entry.entity_id, entry.after) == (
        person.employee_id,
        "page",
        person.employee_id,
        {"sessions_ended": 1},
    )


async def test_sign_out_everywhere_else_keeps_this_session(app: Litestar, factory: Factory, runtime: Runtime) -> None:
    person = await password_account(factory, runtime, "Budi Santoso")
    async with running(app), browser(app) as here, browser(app) as b, browser(app) as c:
        elsewhere = [b, c]
        for client in (here, *elsewhere):
            await sign_in(client, person.email)

        response = await here.submit("/account/sessions/end-others", {}, from_page="/account")

        assert response.headers["location"] == "/account?notice=sessions_ended"
        assert "Signed in as" in (await here.get("/")).text
        for client in elsewhere:
            assert "Signed in as" not in (await client.get("/")).text
    assert [e.after for e in await audit(runtime, "session.revoke")] == [{"sessions_ended": 2}]


async def test_someone_elses_session_cannot_be_ended(app: Litestar, factory: Factory, runtime: Runtime) -> None:
    budi = await password_account(factory, runtime, "Budi Santoso")
    dewi = await password_account(factory, runtime, "Dewi Lestari")
    async with running(app), browser(app) as budi_here, browser(app) as budi_there, browser(app) as dewi_pages:
        await sign_in(budi_here, budi.email)
        await sign_in(budi_there, budi.email)
        await sign_in(dewi_pages, dewi.email)
        (budis_other,) = HANDLE.findall((await budi_here.get("/account")).text)

        await dewi_pages.submit("/account/sessions/end", {"handle": budis_other}, from_page="/account")

        assert "Signed in as" in (await budi_there.get("/")).text
    assert await audit(runtime, "session.revoke") == []


async def api_status(app: Litestar, secret: str) -> int:
    """What /api/graphql answers an app presenting ``secret`` (an app sends no cookies)."""
    async with client_from(app, "192.0.2.10") as api:
        return (await api.post(API, json=VIEWER, headers=bearer(secret))).status_code


async def token_id_of(runtime: Runtime) -> int:
    async with runtime.db.read() as session:
        return (await session.scalars(select(ApiToken.id))).one()


async def test_a_token_is_revoked_after_confirming_and_the_api_refuses_it(
    app: Litestar, factory: Factory, runtime: Runtime
) -> None:
    person = await password_account(factory, runtime, "Budi Santoso")
    secret = await issue_token(runtime.db, person.employee_id, Scope.BOOKINGS_READ)
    token_id = await token_id_of(runtime)
    async with running(app), browser(app) as pages:
        assert await api_status(app, secret) == 200
        await sign_in(pages, person.email)

        listed = await pages.get("/account")
        confirm = await pages.get(f"/account/tokens/{token_id}/revoke")
        revoked = await pages.submit(f"/account/tokens/{token_id}/revoke", {}, from_page="/account")

        assert "test app" in listed.text and "bookings:read" in listed.text
        assert confirm.status_code == 200 and "cannot be undone" in confirm.text
        assert revoked.headers["location"] == "/account?notice=token_revoked"
        assert await api_status(app, secret) == 401
        assert "test app" not in (await pages.get("/account")).text
    (entry,) = await audit(runtime, "token.revoke")
    assert (entry.actor_id, entry.entity_id, entry.via) == (person.employee_id, token_id, "page")


async def test_someone_elses_token_is_not_found(app: Litestar, factory: Factory, runtime: Runtime) -> None:
    budi = await password_account(factory, runtime, "Budi Santoso")
    dewi = await password_account(factory, runtime, "Dewi Lestari")
    secret = await issue_token(runtime.db, dewi.employee_id, Scope.BOOKINGS_READ)
    token_id = await token_id_of(runtime)
    async with running(app), browser(app) as pages:
        await sign_in(pages, budi.email)

        confirm = await pages.get(f"/account/tokens/{token_id}/revoke")
        await pages.submit(f"/account/tokens/{token_id}/revoke", {}, from_page="/account")

        assert confirm.status_code == 404
        assert await api_status(app, secret) == 200
    assert await audit(runtime, "token.revoke") == []


async def test_anyone_may_enrol_and_turn_off_but_an_admin_may_not_turn_off(
    pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    person = await password_account(factory, runtime, "Budi Santoso")
    await sign_in(pages, person.email)
    assert "Set up two-step sign-in" in (await pages.get("/account")).text
    enrolment = await pages.get("/account/totp")
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', enrolment.text).group(1).replace(" ", "")  # type: ignore[union-attr]

    shown = await type_code(pages, code(secret), "/account/totp")
    assert shown.status_code == 200 and shown.text.count("<li>") >= 10
    assert "Recovery codes left: 10." in (await pages.get("/account")).text
    off = await pages.submit("/account/totp/off", {"code": code(secret, 1)}, from_page="/account")
    assert off.headers["location"] == "/account?notice=totp_off"
    assert "Set up two-step sign-in" in (await pages.get("/account")).text

    admin = await password_account(factory, runtime, "Siti Rahmawati", admin=True)
    enrolled = await enrol(runtime, admin.employee_id)
    await pages.submit("/logout", {})
    await sign_in(pages, admin.email)
    await type_code(pages, code(enrolled.secret, 1))
    page = await pages.get("/account")
    refused = await pages.submit("/account/totp/off", {"code": code(enrolled.secret, 0)}, from_page="/account")

    assert "Administrators must keep two-step sign-in on." in page.text and "/account/totp/off" not in page.text
    assert refused.headers["location"] == "/account?error=TOTP_REQUIRED_FOR_ADMINS"
    actions = [e.action for e in await audit(runtime, "account.totp.disable")]
    assert actions == ["account.totp.disable"]  # Budi's, not the admin's


async def test_new_recovery_codes_replace_the_old_ones(pages: PageClient, factory: Factory, runtime: Runtime) -> None:
    admin = await password_account(factory, runtime, "Siti Rahmawati", admin=True)
    enrolled = await enrol(runtime, admin.employee_id)
    await sign_in(pages, admin.email)
    await type_code(pages, code(enrolled.secret, 0))

    fresh = await pages.submit("/account/totp/recovery-codes", {"code": code(enrolled.secret, 1)}, from_page="/account")
    new_codes = re.findall(r"<li>([a-z2-7-]{19})</li>", fresh.text)
    await pages.submit("/logout", {})
    await sign_in(pages, admin.email)
    old = await type_code(pages, enrolled.recovery_codes[0])
    new = await type_code(pages, new_codes[0])

    assert len(new_codes) == 10 and (old.status_code, new.status_code) == (401, 303)
    assert len(await audit(runtime, "account.recovery_codes.regenerate")) == 1


async def test_signed_out_visitors_are_sent_to_sign_in(pages: PageClient) -> None:
    response = await pages.http.get("/account", follow_redirects=False)

    assert response.status_code == 303 and response.headers["location"] == "/login?next=/account"
    assert SESSION_COOKIE not in pages.http.cookies
