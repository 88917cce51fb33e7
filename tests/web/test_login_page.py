"""Signing in with a local account and out: the session lives in Redis, its id in an HttpOnly cookie."""

from collections.abc import AsyncIterator
from dataclasses import replace

import httpx
import pytest
from redis.asyncio import Redis

from smartoffice.db import utcnow
from smartoffice.identity.accounts import set_password
from smartoffice.identity.demo_accounts import DEMO_PASSWORD, seed_demo_accounts
from smartoffice.identity.sessions import SESSION_COOKIE, SessionStore
from smartoffice.people.models import PositionKind
from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from tests.factories import Factory
from tests.support.apps import client_for
from tests.support.pages import PageClient

PASSWORD = "rahasia-kantor-2026"


async def account(factory: Factory, runtime: Runtime, name: str = "Siti Rahmawati") -> int:
    person = await factory.employee(name=name, email="siti.rahmawati@example.go.id")
    async with runtime.db.write() as session:
        await set_password(session, person.id, PASSWORD, utcnow())
    return person.id


async def sign_in(pages: PageClient, email: str, password: str, next_: str = "/") -> httpx.Response:
    return await pages.submit("/login", {"email": email, "password": password, "next": next_}, from_page="/login")


@pytest.fixture
async def production_pages(settings: Settings, runtime: Runtime) -> AsyncIterator[PageClient]:
    async with client_for(replace(settings, demo_mode=False)) as client:
        yield PageClient(client)


async def test_sign_in_then_out(pages: PageClient, factory: Factory, runtime: Runtime, redis: Redis) -> None:
    await account(factory, runtime)

    response = await sign_in(pages, "Siti.Rahmawati@example.go.id", PASSWORD, next_="/my-week")

    assert response.status_code == 303 and response.headers["location"] == "/my-week"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    session_id = pages.http.cookies[SESSION_COOKIE]
    assert session_id not in str(await redis.keys("*"))  # Redis holds a hash of the id, not the id
    home = await pages.get("/")
    assert "Signed in as <strong>Siti Rahmawati</strong>" in home.text

    out = await pages.submit("/logout", {})

    assert out.status_code == 303
    assert await SessionStore(runtime.redis, 60).get(session_id) is None
    assert "Signed in as" not in (await pages.get("/")).text


async def test_a_wrong_password_is_refused(pages: PageClient, factory: Factory, runtime: Runtime) -> None:
    await account(factory, runtime)

    wrong = await sign_in(pages, "siti.rahmawati@example.go.id", "not-the-password")
    unknown = await sign_in(pages, "nobody@example.go.id", PASSWORD)

    assert (wrong.status_code, unknown.status_code) == (401, 401)
    assert "That email and password do not match an account." in wrong.text
    assert SESSION_COOKIE not in pages.http.cookies


async def test_without_a_csrf_token_the_sign_in_is_refused(
    pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    await account(factory, runtime)

    response = await pages.http.post("/login", data={"email": "siti.rahmawati@example.go.id", "password": PASSWORD})

    assert response.status_code == 403
    assert SESSION_COOKIE not in pages.http.cookies


async def test_a_revoked_session_signs_the_person_out(pages: PageClient, factory: Factory, runtime: Runtime) -> None:
    person_id = await account(factory, runtime)
    await sign_in(pages, "siti.rahmawati@example.go.id", PASSWORD)
    assert "Signed in as" in (await pages.get("/")).text

    revoked = await SessionStore(runtime.redis, 60).revoke_all(person_id)

    assert revoked == 1
    assert "Signed in as" not in (await pages.get("/")).text


async def test_signing_in_works_in_production_and_the_picker_does_not(
    production_pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    person_id = await account(factory, runtime)
    other = await factory.employee(name="Budi Santoso")

    picked = await production_pages.submit("/identity", {"employee_id": other.id})
    home = await production_pages.get("/")
    signed_in = await sign_in(production_pages, "siti.rahmawati@example.go.id", PASSWORD)

    assert picked.status_code == 404
    assert "Choose who you are" not in home.text and 'href="/login"' in home.text
    assert signed_in.status_code == 303
    assert "Signed in as <strong>Siti Rahmawati</strong>" in (await production_pages.get("/")).text
    assert person_id != other.id


async def test_demo_accounts_are_listed_in_demo_mode_only(
    pages: PageClient, production_pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    for level in (1, 2, 2):  # an Eselon I head and two Eselon II heads
        await factory.employee(await factory.unit(level=level), position_kind=PositionKind.MANAGERIAL)
    await factory.site()

    accounts = await seed_demo_accounts(runtime.db)
    demo = await pages.get("/login")
    production = await production_pages.get("/login")

    assert sorted(a.role for a in accounts) == ["admin", "facilities_manager", "unit_manager"]
    assert DEMO_PASSWORD in demo.text and accounts[0].email in demo.text
    assert DEMO_PASSWORD not in production.text
    signed_in = await sign_in(pages, accounts[0].email, DEMO_PASSWORD)
    assert signed_in.status_code == 303
