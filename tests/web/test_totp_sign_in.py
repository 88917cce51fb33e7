"""Two-step sign-in for accounts with an authenticator app (issue 11): a right password alone is no session; the
code (or a recovery code, once) finishes it; wrong, replayed and late codes are refused; the step is throttled."""

import json
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from redis.asyncio import Redis
from sqlalchemy import select

from smartoffice.audit.models import AuditEntry
from smartoffice.db import utcnow
from smartoffice.identity.pending import PENDING_COOKIE
from smartoffice.identity.sessions import SESSION_COOKIE
from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from smartoffice.web import second_step
from tests.factories import Factory
from tests.support.apps import client_for
from tests.support.pages import PageClient
from tests.support.second_factor import code, enrol, password_account, production, sign_in, type_code


@pytest.fixture
async def pages(settings: Settings, runtime: Runtime) -> AsyncIterator[PageClient]:
    async with client_for(production(settings)) as client:
        yield PageClient(client)


async def signed_in_as(pages: PageClient) -> str:
    return (await pages.get("/")).text


async def test_an_admin_signs_in_with_password_and_code(pages: PageClient, factory: Factory, runtime: Runtime) -> None:
    admin = await password_account(factory, runtime, "Siti Rahmawati", admin=True)
    enrolled = await enrol(runtime, admin.employee_id)

    after_password = await sign_in(pages, admin.email, next_="/my-week")

    # the password alone is no session: only the half-signed-in cookie, scoped to /login
    assert after_password.status_code == 303 and after_password.headers["location"] == "/login/totp"
    assert SESSION_COOKIE not in pages.http.cookies and PENDING_COOKIE in after_password.headers["set-cookie"]
    assert "Signed in as" not in await signed_in_as(pages)
    assert "one-time-code" in (await pages.get("/login/totp")).text

    done = await type_code(pages, code(enrolled.secret, 1))

    assert done.status_code == 303 and done.headers["location"] == "/my-week"
    assert "Signed in as <strong>Siti Rahmawati</strong>" in await signed_in_as(pages)


async def test_a_wrong_code_and_a_replayed_code_are_refused(
    pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    admin = await password_account(factory, runtime, "Siti Rahmawati", admin=True)
    enrolled = await enrol(runtime, admin.employee_id)
    await sign_in(pages, admin.email)
    right = code(enrolled.secret, 1)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    refused = await type_code(pages, wrong)
    assert refused.status_code == 401 and "That code is not right" in refused.text
    assert (await type_code(pages, right)).status_code == 303
    await pages.submit("/logout", {})
    await sign_in(pages, admin.email)
    replayed = await type_code(pages, right)  # the same code, still inside its window
    earlier = await type_code(pages, code(enrolled.secret, 0))  # an older step than the one accepted

    assert (replayed.status_code, earlier.status_code) == (401, 401)
    assert "Signed in as" not in await signed_in_as(pages)


async def test_the_confirming_code_of_the_enrolment_cannot_be_replayed(
    pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    admin = await password_account(factory, runtime, "Siti Rahmawati", admin=True)
    enrolled = await enrol(runtime, admin.employee_id)  # confirmed with the code one step back
    await sign_in(pages, admin.email)

    assert (await type_code(pages, enrolled.confirming_code)).status_code == 401


async def test_an_expired_half_sign_in_is_refused(
    pages: PageClient, factory: Factory, runtime: Runtime, redis: Redis
) -> None:
    admin = await password_account(factory, runtime, "Siti Rahmawati", admin=True)
    enrolled = await enrol(runtime, admin.employee_id)
    await sign_in(pages, admin.email)
    # given the half-signed-in record's deadline has passed (Redis has not dropped it yet)
    (key,) = await redis.keys("so:signin-pending:*")
    record = json.loads(await redis.get(key))
    record["expires_at"] = (utcnow() - timedelta(seconds=1)).isoformat()
    await redis.set(key, json.dumps(record), keepttl=True)

    late = await type_code(pages, code(enrolled.secret, 1))

    assert late.status_code == 401 and "That sign-in has expired" in late.text
    assert SESSION_COOKIE not in pages.http.cookies


async def test_a_recovery_code_works_once(pages: PageClient, factory: Factory, runtime: Runtime) -> None:
    admin = await password_account(factory, runtime, "Siti Rahmawati", admin=True)
    enrolled = await enrol(runtime, admin.employee_id)
    recovery = enrolled.recovery_codes[3]

    await sign_in(pages, admin.email)
    first = await type_code(pages, recovery.upper().replace("-", " "))  # typed any which way
    await pages.submit("/logout", {})
    await sign_in(pages, admin.email)
    again = await type_code(pages, recovery)

    assert (first.status_code, again.status_code) == (303, 401)
    async with runtime.db.read() as session:
        used = (await session.scalars(select(AuditEntry).where(AuditEntry.action == "account.recovery_code.use"))).all()
    assert [(e.actor_id, e.after) for e in used] == [(admin.employee_id, {"recovery_codes_left": 9})]


async def test_the_second_step_counts_in_the_sign_in_throttle(
    pages: PageClient, factory: Factory, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(second_step, "ACCOUNT_ATTEMPTS", 3)
    admin = await password_account(factory, runtime, "Siti Rahmawati", admin=True)
    enrolled = await enrol(runtime, admin.employee_id)
    await sign_in(pages, admin.email)  # the right password: refunded, counts nothing

    guesses = [(await type_code(pages, "000000")).status_code for _ in range(3)]
    throttled = await type_code(pages, code(enrolled.secret, 1))  # even the right code waits now

    assert guesses == [401, 401, 401]
    assert throttled.status_code == 429 and int(throttled.headers["retry-after"]) > 0
    assert SESSION_COOKIE not in pages.http.cookies
