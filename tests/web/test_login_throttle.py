"""Password sign-in is throttled per account and per client address, the address being the browser's own behind
a trusted proxy (issue 10, item 7): one person's typos lock out only their own account, not an office behind one
proxy or NAT, and a spray over many accounts from one address stops."""

from dataclasses import replace

import httpx
import pytest
from litestar import Litestar

from smartoffice.app import create_app
from smartoffice.db import utcnow
from smartoffice.identity.accounts import set_password
from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from smartoffice.web import login
from tests.factories import Factory
from tests.support.pages import PageClient
from tests.support.peers import PROXY, PROXY_NETWORK, client_from, forwarded, running

PASSWORD = "rahasia-kantor-2026"


@pytest.fixture
def app(settings: Settings) -> Litestar:
    return create_app(replace(settings, trusted_proxies=(PROXY_NETWORK,)))


async def accounts(factory: Factory, runtime: Runtime, *names: str) -> list[str]:
    """Employees with a password; their emails."""
    emails = []
    for name in names:
        email = f"{name}@example.go.id"
        person = await factory.employee(name=name, email=email)
        async with runtime.db.write() as session:
            await set_password(session, person.id, PASSWORD, utcnow())
        emails.append(email)
    return emails


async def sign_in(http: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await PageClient(http).submit(  # type: ignore[arg-type]  # any httpx client will do
        "/login", {"email": email, "password": password, "next": "/"}, from_page="/login"
    )


async def test_one_persons_typos_lock_only_their_account_not_the_office_behind_the_proxy(
    app: Litestar, factory: Factory, runtime: Runtime
) -> None:
    siti, budi, dewi = await accounts(factory, runtime, "siti", "budi", "dewi")
    async with running(app):
        # given Siti mistyped her password until her account is throttled, behind the office's one proxy
        async with client_from(app, PROXY, headers=forwarded("198.51.100.7")) as sitis_browser:
            for _ in range(login.ACCOUNT_ATTEMPTS):
                assert (await sign_in(sitis_browser, siti, "salah")).status_code == 401
            throttled = await sign_in(sitis_browser, siti, PASSWORD)
        # when colleagues sign in through the same proxy, from another desk and from Siti's own NAT address
        async with client_from(app, PROXY, headers=forwarded("198.51.100.8")) as budis_browser:
            budi_signs_in = await sign_in(budis_browser, budi, PASSWORD)
        async with client_from(app, PROXY, headers=forwarded("198.51.100.7")) as dewis_browser:
            dewi_signs_in = await sign_in(dewis_browser, dewi, PASSWORD)

    # then only Siti waits
    assert throttled.status_code == 429
    assert "Too many attempts" in throttled.text
    assert 0 < int(throttled.headers["retry-after"]) <= login.LOGIN_WINDOW_SECONDS
    assert (budi_signs_in.status_code, dewi_signs_in.status_code) == (303, 303)


async def test_a_spray_over_many_accounts_from_one_address_is_stopped(
    app: Litestar, factory: Factory, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(login, "ADDRESS_ATTEMPTS", 3)
    (siti,) = await accounts(factory, runtime, "siti")
    async with running(app):
        async with client_from(app, PROXY, headers=forwarded("203.0.113.9")) as sprayer:
            sprayed = [await sign_in(sprayer, f"guess{n}@example.go.id", "Password1") for n in range(3)]
            stopped = await sign_in(sprayer, siti, PASSWORD)  # even the right password: the address is spent
        async with client_from(app, PROXY, headers=forwarded("198.51.100.7")) as sitis_browser:
            siti_signs_in = await sign_in(sitis_browser, siti, PASSWORD)

    assert [r.status_code for r in sprayed] == [401, 401, 401]
    assert stopped.status_code == 429
    assert siti_signs_in.status_code == 303


async def test_successful_sign_ins_do_not_count_against_the_address(
    app: Litestar, factory: Factory, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(login, "ADDRESS_ATTEMPTS", 2)
    monkeypatch.setattr(login, "ACCOUNT_ATTEMPTS", 2)
    emails = await accounts(factory, runtime, "siti", "budi", "dewi", "eko")
    async with running(app):
        answers = []
        for email in emails:  # a morning at an office behind one NAT
            async with client_from(app, PROXY, headers=forwarded("198.51.100.7")) as browser:
                answers.append((await sign_in(browser, email, PASSWORD)).status_code)
        async with client_from(app, PROXY, headers=forwarded("198.51.100.7")) as browser:
            answers += [(await sign_in(browser, emails[0], PASSWORD)).status_code for _ in range(3)]

    assert answers == [303] * 7


async def test_forwarded_addresses_from_an_untrusted_peer_are_not_believed(
    app: Litestar, factory: Factory, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(login, "ADDRESS_ATTEMPTS", 3)
    async with running(app):
        answers = []
        for n in range(4):  # a new made-up address each time, straight to the app (not through the proxy)
            async with client_from(app, "192.0.2.50", headers=forwarded(f"198.51.100.{n}")) as attacker:
                answers.append((await sign_in(attacker, f"guess{n}@example.go.id", "Password1")).status_code)

    assert answers == [401, 401, 401, 429]
