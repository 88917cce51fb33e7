"""People who left (``Employee.active`` false) or whose account was disabled or reset: no sign-in by password or
at the identity provider, and the login sessions they already hold stop working."""

from dataclasses import replace

import pytest
from redis.asyncio import Redis
from sqlalchemy import update

from smartoffice.audit.record import Actor
from smartoffice.db import utcnow
from smartoffice.identity.accounts import set_password
from smartoffice.identity.invitations import disable_account, reset_account
from smartoffice.identity.oidc import OidcFailure, OidcLogin, ProviderDirectory
from smartoffice.identity.sessions import SESSION_COOKIE
from smartoffice.people.models import Employee
from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from tests.factories import Factory
from tests.support.auth import login_session
from tests.support.pages import PageClient

PASSWORD = "rahasia-kantor-2026"
SIGNED_IN = "Signed in as <strong>Eko Prasetyo</strong>"


async def person_with_password(factory: Factory, runtime: Runtime) -> Employee:
    person = await factory.employee(name="Eko Prasetyo", email="eko.prasetyo@example.go.id")
    async with runtime.db.write() as session:
        await set_password(session, person.id, PASSWORD, utcnow())
    return person


async def deactivate(runtime: Runtime, person: Employee) -> None:
    async with runtime.db.write() as session:
        await session.execute(update(Employee).where(Employee.id == person.id).values(active=False))


async def disable(runtime: Runtime, person: Employee) -> None:
    async with runtime.db.write() as session:
        await disable_account(session, person, now=utcnow(), actor=Actor.system("test"))


async def sign_in(pages: PageClient, email: str) -> object:
    return await pages.submit("/login", {"email": email, "password": PASSWORD, "next": "/"}, from_page="/login")


class TestPasswordSignIn:
    async def test_someone_who_left_is_told_so(self, pages: PageClient, factory: Factory, runtime: Runtime) -> None:
        person = await person_with_password(factory, runtime)
        await deactivate(runtime, person)

        response = await sign_in(pages, person.email)

        assert response.status_code == 403  # type: ignore[attr-defined]
        assert "no longer an active employee" in response.text  # type: ignore[attr-defined]
        assert SESSION_COOKIE not in pages.http.cookies

    async def test_a_disabled_account_is_told_so(self, pages: PageClient, factory: Factory, runtime: Runtime) -> None:
        person = await person_with_password(factory, runtime)
        await disable(runtime, person)

        response = await sign_in(pages, person.email)

        assert response.status_code == 403  # type: ignore[attr-defined]
        assert "Your account has been disabled." in response.text  # type: ignore[attr-defined]
        assert SESSION_COOKIE not in pages.http.cookies

    async def test_a_wrong_password_reveals_nothing_about_it(
        self, pages: PageClient, factory: Factory, runtime: Runtime
    ) -> None:
        person = await person_with_password(factory, runtime)
        await deactivate(runtime, person)

        response = await pages.submit(
            "/login", {"email": person.email, "password": "not-the-password"}, from_page="/login"
        )

        assert response.status_code == 401 and "no longer" not in response.text


class TestExistingSessions:
    async def signed_in(self, pages: PageClient, runtime: Runtime, person: Employee) -> None:
        pages.http.cookies.set(SESSION_COOKIE, await login_session(runtime, person.id))
        assert SIGNED_IN in (await pages.get("/")).text

    async def test_they_end_when_the_person_leaves(self, pages: PageClient, factory: Factory, runtime: Runtime) -> None:
        person = await person_with_password(factory, runtime)
        await self.signed_in(pages, runtime, person)
        # /graphql checks the CSRF header only on requests whose cookie names someone
        before = await pages.http.post("/graphql", json={"query": "{ __typename }"})

        await deactivate(runtime, person)

        assert SIGNED_IN not in (await pages.get("/")).text
        after = await pages.http.post("/graphql", json={"query": "{ __typename }"})
        assert (before.status_code, after.status_code) == (403, 200)

    async def test_they_end_when_the_account_is_disabled(
        self, pages: PageClient, factory: Factory, runtime: Runtime
    ) -> None:
        person = await person_with_password(factory, runtime)
        await self.signed_in(pages, runtime, person)

        await disable(runtime, person)

        assert SIGNED_IN not in (await pages.get("/")).text

    async def test_they_end_when_the_account_is_reset(
        self, pages: PageClient, factory: Factory, runtime: Runtime, redis: Redis
    ) -> None:
        person = await person_with_password(factory, runtime)
        await self.signed_in(pages, runtime, person)

        async with runtime.db.write() as session:
            await reset_account(session, person, now=utcnow(), actor=Actor.system("test"))

        assert SIGNED_IN not in (await pages.get("/")).text


class TestIdentityProvider:
    @pytest.fixture
    def login(self, settings: Settings, runtime: Runtime) -> OidcLogin:
        oidc = replace(settings, oidc_issuer="http://127.0.0.1:9", oidc_client_id="smartoffice", oidc_claim="email")
        return OidcLogin(oidc, ProviderDirectory("http://127.0.0.1:9"), runtime.db, runtime.redis)

    async def test_someone_who_left_is_refused(self, login: OidcLogin, factory: Factory, runtime: Runtime) -> None:
        person = await factory.employee()
        claims = {"email": person.email, "email_verified": True, "sub": "x"}
        assert await login.employee_for(claims) == person.id
        await deactivate(runtime, person)

        with pytest.raises(OidcFailure) as refused:
            await login.employee_for(claims)

        assert (refused.value.code, refused.value.status) == ("PAGE_SIGN_IN_INACTIVE", 403)

    async def test_a_disabled_account_is_refused(self, login: OidcLogin, factory: Factory, runtime: Runtime) -> None:
        person = await factory.employee()
        await disable(runtime, person)

        with pytest.raises(OidcFailure) as refused:
            await login.employee_for({"email": person.email, "email_verified": True, "sub": "x"})

        assert (refused.value.code, refused.value.status) == ("PAGE_SIGN_IN_DISABLED", 403)
