"""The invitation link `smartoffice accounts create|reset` prints: a form to set one's password, then signed in."""

from datetime import timedelta

import pytest
from sqlalchemy import update

from smartoffice.audit.record import Actor
from smartoffice.db import utcnow
from smartoffice.identity.accounts import verify_login
from smartoffice.identity.invitations import INVITATION_TTL, create_account
from smartoffice.identity.models import LocalAccount
from smartoffice.identity.sessions import SESSION_COOKIE
from smartoffice.people.models import Employee
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.pages import PageClient

PASSWORD = "kata-sandi-baru-2026"


async def invite(runtime: Runtime, person: Employee, *, issued_ago: timedelta = timedelta(0)) -> str:
    async with runtime.db.write() as session:
        invitation = await create_account(session, person, now=utcnow() - issued_ago, actor=Actor.system("test"))
    return invitation.path


async def set_password(pages: PageClient, path: str, password: str, again: str | None = None) -> object:
    return await pages.submit(path, {"password": password, "password_again": again or password}, from_page=path)


async def test_the_link_sets_the_password_and_signs_in(pages: PageClient, factory: Factory, runtime: Runtime) -> None:
    person = await factory.employee(name="Dewi Anggraini")
    path = await invite(runtime, person)

    form = await pages.get(path)
    response = await set_password(pages, path, PASSWORD)

    assert form.status_code == 200 and "Dewi Anggraini" in form.text and 'name="password_again"' in form.text
    assert response.status_code == 303 and response.headers["location"] == "/"  # type: ignore[attr-defined]
    assert SESSION_COOKIE in pages.http.cookies
    assert "Signed in as <strong>Dewi Anggraini</strong>" in (await pages.get("/")).text
    assert await verify_login(runtime.db, person.email, PASSWORD) == person.id
    spent = await pages.get(path)
    assert spent.status_code == 404 and "not valid or has expired" in spent.text


@pytest.mark.parametrize(
    ("password", "again", "says"),
    [("pendek", None, "must be between 8 and 256"), (PASSWORD, PASSWORD + "x", "The two passwords differ.")],
)
async def test_a_bad_password_is_refused_and_the_link_still_works(
    pages: PageClient, factory: Factory, runtime: Runtime, password: str, again: str | None, says: str
) -> None:
    person = await factory.employee()
    path = await invite(runtime, person)

    response = await set_password(pages, path, password, again)

    assert response.status_code == 400 and says in response.text  # type: ignore[attr-defined]
    assert SESSION_COOKIE not in pages.http.cookies
    assert (await pages.get(path)).status_code == 200


async def test_an_expired_link_is_refused(pages: PageClient, factory: Factory, runtime: Runtime) -> None:
    person = await factory.employee()
    path = await invite(runtime, person, issued_ago=INVITATION_TTL + timedelta(minutes=1))

    form = await pages.get(path)
    response = await set_password(pages, path, PASSWORD)

    assert form.status_code == 404 and "not valid or has expired" in form.text
    assert response.status_code == 404  # type: ignore[attr-defined]
    assert await verify_login(runtime.db, person.email, PASSWORD) is None


async def test_an_unknown_link_is_refused(pages: PageClient, factory: Factory) -> None:
    response = await pages.get("/login/invite/not-a-real-invitation")

    assert response.status_code == 404 and "not valid or has expired" in response.text


async def test_the_link_of_someone_who_left_is_refused(pages: PageClient, factory: Factory, runtime: Runtime) -> None:
    person = await factory.employee()
    path = await invite(runtime, person)
    async with runtime.db.write() as session:
        await session.execute(update(Employee).where(Employee.id == person.id).values(active=False))

    response = await set_password(pages, path, PASSWORD)

    assert response.status_code == 404  # type: ignore[attr-defined]
    async with runtime.db.read() as session:
        account = await session.get(LocalAccount, person.id)
        assert account is not None and account.password_hash is None
