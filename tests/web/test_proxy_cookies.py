"""Cookies get ``Secure`` when the request arrived over HTTPS: directly, or per a trusted proxy's
``X-Forwarded-Proto`` (issue 10, item 7). Over plain HTTP they cannot have it (the browser would drop them)."""

from dataclasses import replace

import httpx
import pytest
from litestar import Litestar

from smartoffice.app import create_app
from smartoffice.db import utcnow
from smartoffice.identity.accounts import set_password
from smartoffice.identity.sessions import SESSION_COOKIE
from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from tests.factories import Factory
from tests.support.pages import CSRF_FIELD
from tests.support.peers import PROXY, PROXY_NETWORK, client_from, forwarded, running

PASSWORD = "rahasia-kantor-2026"
DEMO_PICKER_COOKIE = "session"


@pytest.fixture
def app(settings: Settings) -> Litestar:
    return create_app(replace(settings, trusted_proxies=(PROXY_NETWORK,)))


async def cookies_set(http: httpx.AsyncClient, factory: Factory, runtime: Runtime) -> dict[str, str]:
    """Each cookie the pages set while someone picks a demo identity, then signs in: name → Set-Cookie."""
    person = await factory.employee(name="Siti Rahmawati", email="siti@example.go.id")
    async with runtime.db.write() as session:
        await set_password(session, person.id, PASSWORD, utcnow())
    login_page = await http.get("/login")
    match = CSRF_FIELD.search(login_page.text)
    assert match
    # sent back even where it is Secure and this test client speaks plain HTTP to the app
    http.cookies.set("csrftoken", login_page.cookies["csrftoken"])
    form = {"_csrf_token": match.group(1)}
    picked = await http.post("/identity", data={**form, "employee_id": str(person.id)})
    signed_in = await http.post("/login", data={**form, "email": "siti@example.go.id", "password": PASSWORD})
    assert (picked.status_code, signed_in.status_code) == (303, 303)
    headers = [h for r in (login_page, picked, signed_in) for h in r.headers.get_list("set-cookie")]
    cookies = {header.split("=", 1)[0]: header for header in headers}
    assert {"csrftoken", DEMO_PICKER_COOKIE, SESSION_COOKIE} <= set(cookies)
    return cookies


def secure(set_cookie: str) -> bool:
    return "secure" in [attribute.strip().lower() for attribute in set_cookie.split(";")[1:]]


async def test_behind_a_trusted_proxy_that_says_https_cookies_are_secure(
    app: Litestar, factory: Factory, runtime: Runtime
) -> None:
    async with running(app), client_from(app, PROXY, headers=forwarded("198.51.100.7", "https")) as http:
        cookies = await cookies_set(http, factory, runtime)

    assert {name: secure(header) for name, header in cookies.items()} == dict.fromkeys(cookies, True)


async def test_directly_over_https_cookies_are_secure(app: Litestar, factory: Factory, runtime: Runtime) -> None:
    async with running(app), client_from(app, "198.51.100.7", base_url="https://testserver.local") as http:
        cookies = await cookies_set(http, factory, runtime)

    assert {name: secure(header) for name, header in cookies.items()} == dict.fromkeys(cookies, True)


@pytest.mark.parametrize(
    ("peer", "proto"),
    [(PROXY, "http"), ("198.51.100.50", "https")],  # plain HTTP; an untrusted peer claiming HTTPS
    ids=["proxy-says-http", "untrusted-says-https"],
)
async def test_over_plain_http_cookies_are_not_secure(
    app: Litestar, factory: Factory, runtime: Runtime, peer: str, proto: str
) -> None:
    async with running(app), client_from(app, peer, headers=forwarded("198.51.100.7", proto)) as http:
        cookies = await cookies_set(http, factory, runtime)

    assert {name: secure(header) for name, header in cookies.items()} == dict.fromkeys(cookies, False)
