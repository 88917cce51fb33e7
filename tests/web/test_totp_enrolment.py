"""An administrator signing in with a password and no authenticator app enrols one before any session exists
(issue 11): the enrolment page shows a QR code and the key as text, the first code turns the factor on (sealed at
rest, audited) and shows ten recovery codes once; until then no page treats them as signed in."""

import re
import time
from collections.abc import AsyncIterator
from dataclasses import replace

import pyotp
import pytest
from sqlalchemy import select

from smartoffice.audit.models import AuditEntry
from smartoffice.audit.record import Actor
from smartoffice.db import utcnow
from smartoffice.identity.invitations import create_account
from smartoffice.identity.sessions import SESSION_COOKIE
from smartoffice.identity.totp_models import RecoveryCode, TotpCredential
from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from tests.factories import Factory
from tests.support.apps import client_for
from tests.support.pages import PageClient
from tests.support.second_factor import password_account, production, sign_in, type_code

SECRET_ON_PAGE = re.compile(r'<code class="secret" id="totp-secret">([A-Z2-7 ]+)</code>')
RECOVERY_CODE = re.compile(r"<li>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})</li>")


@pytest.fixture
async def pages(settings: Settings, runtime: Runtime) -> AsyncIterator[PageClient]:
    async with client_for(production(settings)) as client:
        yield PageClient(client)


def secret_shown(html: str) -> str:
    match = SECRET_ON_PAGE.search(html)
    assert match, "the enrolment page shows no key"
    return match.group(1).replace(" ", "")


async def test_an_admin_without_an_app_enrols_before_any_session_exists(
    pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    admin = await password_account(factory, runtime, "Siti Rahmawati", admin=True)

    after_password = await sign_in(pages, admin.email, next_="/my-week")

    assert after_password.status_code == 303 and after_password.headers["location"] == "/login/totp/enrol"
    assert SESSION_COOKIE not in pages.http.cookies
    # until enrolled, no page knows them: the account page and the admin pages send them to sign in
    assert "Signed in as" not in (await pages.get("/my-week")).text
    assert (await pages.http.get("/account", follow_redirects=False)).headers["location"] == "/login?next=/account"
    assert SESSION_COOKIE not in pages.http.cookies

    enrolment = await pages.get("/login/totp/enrol")
    assert enrolment.status_code == 200 and "<svg" in enrolment.text
    secret = secret_shown(enrolment.text)
    assert secret == secret_shown((await pages.get("/login/totp/enrol")).text)  # a reload shows the same key
    wrong = await type_code(pages, "123456" if pyotp.TOTP(secret).now() != "123456" else "654321", "/login/totp/enrol")
    assert wrong.status_code == 400 and SESSION_COOKIE not in pages.http.cookies

    confirmed = await type_code(pages, pyotp.TOTP(secret).now(), "/login/totp/enrol")

    assert confirmed.status_code == 200 and SESSION_COOKIE in pages.http.cookies
    codes = RECOVERY_CODE.findall(confirmed.text)
    assert len(set(codes)) == 10 and 'href="/my-week"' in confirmed.text
    assert "Signed in as <strong>Siti Rahmawati</strong>" in (await pages.get("/my-week")).text
    async with runtime.db.read() as session:
        credential = await session.get(TotpCredential, admin.employee_id)
        hashes = (await session.scalars(select(RecoveryCode.code_hash))).all()
        audit = (await session.scalars(select(AuditEntry).where(AuditEntry.action == "account.totp.enrol"))).one()
    assert credential is not None and secret not in credential.secret_sealed  # sealed at rest
    assert len(hashes) == 10 and not set(codes) & set(hashes)  # only hashes are kept
    assert (audit.actor_id, audit.entity_id, audit.after) == (
        admin.employee_id,
        admin.employee_id,
        {"totp": True, "recovery_codes_left": 10},
    )


async def test_the_next_sign_in_asks_for_the_code(pages: PageClient, factory: Factory, runtime: Runtime) -> None:
    admin = await password_account(factory, runtime, "Siti Rahmawati", admin=True)
    await sign_in(pages, admin.email)
    secret = secret_shown((await pages.get("/login/totp/enrol")).text)
    totp = pyotp.TOTP(secret)
    await type_code(pages, totp.now(), "/login/totp/enrol")
    await pages.submit("/logout", {})

    again = await sign_in(pages, admin.email)
    done = await type_code(pages, totp.at(time.time() + 30))  # the next step: the enrolling one is spent

    assert again.headers["location"] == "/login/totp"
    assert done.status_code == 303 and SESSION_COOKIE in pages.http.cookies


async def test_people_without_the_admin_role_sign_in_with_the_password_alone(
    pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    person = await password_account(factory, runtime, "Budi Santoso")

    response = await sign_in(pages, person.email, next_="/my-week")

    assert response.headers["location"] == "/my-week" and SESSION_COOKIE in pages.http.cookies


async def test_in_demo_mode_admins_are_not_made_to_enrol(
    settings: Settings, factory: Factory, runtime: Runtime
) -> None:
    admin = await password_account(factory, runtime, "Siti Rahmawati", admin=True)
    async with client_for(replace(settings, demo_mode=True)) as client:
        response = await sign_in(PageClient(client), admin.email)

    assert response.headers["location"] == "/"


async def test_an_admin_accepting_an_invitation_enrols_before_any_session_exists(
    pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    person = await factory.employee(name="Siti Rahmawati", email="siti.rahmawati@example.go.id")
    async with runtime.db.write() as session:
        invitation = await create_account(session, person, now=utcnow(), actor=Actor.system("test"), admin=True)
    fields = {"password": "kata-sandi-baru-2026", "password_again": "kata-sandi-baru-2026"}

    accepted = await pages.submit(invitation.path, fields, from_page=invitation.path)

    assert accepted.status_code == 303 and accepted.headers["location"] == "/login/totp/enrol"
    assert SESSION_COOKIE not in pages.http.cookies
    assert "Set up two-step sign-in" in (await pages.get("/login/totp/enrol")).text
