"""Signing in with OpenID Connect against a real provider: panva's certified ``oidc-provider`` run by Node
(tests/oidc_provider/), and the app served by granian on loopback as `smartoffice serve` runs it. An httpx client
plays the browser: it follows the redirects and fills in the provider's login and consent pages."""

import asyncio
import html
import json
import re
import shutil
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit, urlunsplit

import httpx
import pytest
from authlib.integrations.httpx_client import AsyncOAuth2Client
from litestar.testing import AsyncTestClient
from redis.asyncio import Redis
from sqlalchemy import select

from smartoffice.app import create_app
from smartoffice.audit.models import AuditEntry
from smartoffice.identity.oidc import BROWSER_COOKIE, OidcFailure, OidcLogin, ProviderDirectory
from smartoffice.identity.sessions import SESSION_COOKIE, SessionStore
from smartoffice.people.models import RoleAssignment, RoleSource
from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from tests.factories import Factory
from tests.support.live_server import free_port, stop, wait_until_healthy
from tests.support.pages import CSRF_FIELD

ROOT = Path(__file__).resolve().parents[2]
PROVIDER_DIR = ROOT / "tests" / "oidc_provider"
STARTUP_SECONDS = 30
NPM_CI_SECONDS = 300

CLIENT_ID, CLIENT_SECRET = "smartoffice", "smartoffice-test-secret"
OTHER_CLIENT_ID, OTHER_CLIENT_SECRET = "other-app", "other-app-secret"
PUBLIC_CLIENT_ID = "smartoffice-public"
OTHER_APP_REDIRECT = "http://127.0.0.1:9/other-app/callback"  # never reached: the test reads the code from it
BUTTON = "Login with the national IdP"
SITI = {"email": "Siti.Rahmawati@example.go.id", "email_verified": True, "nip": "198705122010012003"}
ACCOUNTS = {
    "siti": {**SITI, "name": "Siti Rahmawati"},
    "stranger": {"email": "tamu@example.com", "email_verified": True, "nip": "199912312020121999"},
    # Siti again, in groups the app maps to roles (Keycloak's group paths), in one of them, and in none at all
    "siti-in-groups": {**SITI, "groups": ["/smartoffice-admins", "/fm-ikn-tower-a", "/all-staff"]},
    "siti-fm-only": {**SITI, "groups": ["fm-ikn-tower-a"]},
    "siti-in-no-group": {**SITI, "groups": []},
}
"""The provider's people, by login name. Siti is an employee in the tests that create her; the stranger never is.
Only the ``siti-in-*`` ones send a groups claim."""


@pytest.fixture(scope="session")
def app_port() -> int:
    """The live app's port, chosen before the provider starts: the provider registers its callback URL."""
    return free_port()


@pytest.fixture(scope="session")
async def oidc_issuer(app_port: int, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    """A running OpenID Connect provider (``npm ci`` first on a fresh checkout); yields its issuer URL."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("Node.js (node and npm) is not installed: the OpenID Connect provider for these tests runs on it")
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        async with asyncio.timeout(NPM_CI_SECONDS):
            await _run([npm, "ci", "--no-audit", "--no-fund"], PROVIDER_DIR)
    port = free_port()
    while port == app_port:
        port = free_port()
    callback = f"http://127.0.0.1:{app_port}/login/oidc/callback"
    clients = [
        {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uris": [callback]},
        {"client_id": OTHER_CLIENT_ID, "client_secret": OTHER_CLIENT_SECRET, "redirect_uris": [OTHER_APP_REDIRECT]},
        {"client_id": PUBLIC_CLIENT_ID, "token_endpoint_auth_method": "none", "redirect_uris": [callback]},
    ]
    env = {"PATH": "/usr/bin:/bin", "OIDC_PORT": str(port), "OIDC_CLIENTS": json.dumps(clients)}
    env["OIDC_ACCOUNTS"] = json.dumps(ACCOUNTS)
    log_path = tmp_path_factory.mktemp("oidc") / "provider.log"
    with log_path.open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            node, "provider.js", cwd=PROVIDER_DIR, env=env, stdout=log, stderr=log
        )
    issuer = f"http://127.0.0.1:{port}"
    try:
        await _wait_for_discovery(issuer, process, log_path)
        yield issuer
    finally:
        await stop(process)


async def _run(command: list[str], cwd: Path) -> None:
    process = await asyncio.create_subprocess_exec(
        *command, cwd=cwd, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    output, _ = await process.communicate()
    if process.returncode != 0:
        pytest.fail(f"{' '.join(command)} failed in {cwd}:\n{output.decode(errors='replace')[-3000:]}")


async def _wait_for_discovery(issuer: str, process: asyncio.subprocess.Process, log_path: Path) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + STARTUP_SECONDS
    async with httpx.AsyncClient(timeout=2) as client:
        while loop.time() < deadline:
            if process.returncode is not None:
                output = await asyncio.to_thread(log_path.read_text)
                pytest.fail(f"the OIDC provider exited with {process.returncode}:\n{output[-3000:]}")
            try:
                if (await client.get(f"{issuer}/.well-known/openid-configuration")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    pytest.fail(f"the OIDC provider published no discovery document within {STARTUP_SECONDS} s")


@pytest.fixture(scope="module")
async def app_server(
    oidc_issuer: str, app_port: int, database_url: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[str]:
    """The app as `smartoffice serve` runs it in production (no demo), configured for the provider by
    ``SMARTOFFICE_OIDC_*`` variables; yields its base URL."""
    env = {
        "PATH": "/usr/bin:/bin",
        "SMARTOFFICE_DATABASE_URL": database_url,
        "SMARTOFFICE_REDIS_URL": redis_url,
        "SMARTOFFICE_SECRET_KEY": "test-secret-key-for-csrf-and-sessions-0123456789",
        "SMARTOFFICE_DATA_DIR": str(tmp_path_factory.mktemp("app")),
        "SMARTOFFICE_MIGRATE_ON_START": "0",
        "SMARTOFFICE_RUN_JOBS": "0",
        "SMARTOFFICE_DEMO_MODE": "0",
        "SMARTOFFICE_OIDC_ISSUER": oidc_issuer,
        "SMARTOFFICE_OIDC_CLIENT_ID": CLIENT_ID,
        "SMARTOFFICE_OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "SMARTOFFICE_OIDC_CLAIM": "email",
        "SMARTOFFICE_OIDC_NAME": BUTTON,
    }
    command = [sys.executable, "-m", "granian", "--interface", "asgi", "--factory", "smartoffice.app:app_from_env"]
    command += ["--host", "127.0.0.1", "--port", str(app_port), "--log-level", "warning"]
    process = await asyncio.create_subprocess_exec(*command, env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{app_port}"
    try:
        await wait_until_healthy(base, process)
        yield base
    finally:
        await stop(process)


# -- a browser, as far as these pages need one ---------------------------------------------------------------------

FORM = re.compile(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', re.S)
FIELD = re.compile(r'<input[^>]*\bname="([^"]+)"(?:[^>]*\bvalue="([^"]*)")?[^>]*>')


@dataclass
class Visit:
    response: httpx.Response
    visited: list[str] = field(default_factory=list)
    stopped_at: str | None = None
    """The first URL under ``stop_at`` the browser was sent to, not fetched."""

    def first(self, prefix: str) -> str:
        return next(url for url in self.visited if url.startswith(prefix))


async def browse(http: httpx.AsyncClient, url: str, *, login: str = "siti", stop_at: str | None = None) -> Visit:
    """Follow redirects from ``url``, sign in at the provider's login page as ``login`` (any password) and
    confirm its consent page, until a page that is neither, or until sent to a URL under ``stop_at``."""
    method, target, data = "GET", url, None
    visit: Visit | None = None
    for _ in range(20):
        if stop_at is not None and target.startswith(stop_at) and visit is not None:
            visit.stopped_at = target
            return visit
        response = await http.request(method, target, data=data)
        visit = Visit(response, [*(visit.visited if visit else []), target])
        if response.is_redirect:
            method, target, data = "GET", urljoin(target, response.headers["location"]), None
            continue
        form = FORM.search(response.text) if "/interaction/" in target else None
        if form is None:
            return visit
        data = {name: html.unescape(value) for name, value in FIELD.findall(form.group(2))}
        if "login" in data:
            data.update(login=login, password="any password")
        method, target = "POST", urljoin(target, html.unescape(form.group(1)))
    raise AssertionError(f"still redirecting after 20 steps: {target}")


def with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()} | changes
    return urlunsplit(parts._replace(query=urlencode(query)))


async def siti(factory: Factory) -> int:
    person = await factory.employee(name="Siti Rahmawati", email=SITI["email"].lower(), nip=SITI["nip"])
    return person.id


# -- the flow against the live app ---------------------------------------------------------------------------------


async def test_sign_in_at_the_provider_then_out(app_server: str, runtime: Runtime, factory: Factory) -> None:
    # given: Siti is an employee, and the provider knows her by the same email
    person_id = await siti(factory)
    async with httpx.AsyncClient(base_url=app_server, timeout=10) as http:
        login_page = await http.get("/login?next=/my-week")
        assert BUTTON in login_page.text and 'href="/login/oidc?next=/my-week"' in login_page.text

        # when: she follows the button, signs in at the provider and consents
        visit = await browse(http, f"{app_server}/login/oidc?next=/my-week")

        # then: she is back on the page she asked for, signed in by a session in Redis
        assert visit.response.status_code == 200, visit.response.text[:2000]
        assert visit.response.url.path == "/my-week"
        assert "Signed in as <strong>Siti Rahmawati</strong>" in visit.response.text
        session_id = http.cookies[SESSION_COOKIE]
        login = await SessionStore(runtime.redis, 60).get(session_id)
        assert login is not None and login.employee_id == person_id
        authorize = urlsplit(visit.visited[1])
        sent = parse_qs(authorize.query)
        assert sent["code_challenge_method"] == ["S256"] and sent["scope"] == ["openid email"]
        assert {"state", "nonce", "code_challenge"} <= sent.keys()

        # when: she signs out
        home = await http.get("/")
        token = CSRF_FIELD.search(home.text)
        assert token is not None
        out = await http.post("/logout", data={"_csrf_token": token.group(1)})

        # then: the session is gone from Redis, and its cookie names nobody any more
        assert out.status_code == 303
        assert await SessionStore(runtime.redis, 60).get(session_id) is None
        http.cookies.set(SESSION_COOKIE, session_id)
        assert "Signed in as" not in (await http.get("/")).text


async def test_a_replayed_callback_is_refused(app_server: str, factory: Factory, redis: Redis) -> None:
    await siti(factory)
    async with httpx.AsyncClient(base_url=app_server, timeout=10) as http:
        started = await http.get("/login/oidc")
        binding = http.cookies[BROWSER_COOKIE]
        visit = await browse(http, started.headers["location"])
        assert "Signed in as <strong>Siti Rahmawati</strong>" in visit.response.text
        callback = visit.first(f"{app_server}/login/oidc/callback")

        # when: the same callback URL comes again, even from the browser that began (its binding cookie restored)
        http.cookies.set(BROWSER_COOKIE, binding, path="/login/oidc")
        replayed = await http.get(callback)

    assert replayed.status_code == 400
    assert "That sign-in has expired or was already used. Start again." in replayed.text
    assert await redis.keys("so:oidc-flow:*") == []


async def test_a_tampered_state_or_another_browser_is_refused(app_server: str, factory: Factory) -> None:
    await siti(factory)
    async with (
        httpx.AsyncClient(base_url=app_server, timeout=10) as http,
        httpx.AsyncClient(base_url=app_server, timeout=10) as other_browser,
    ):
        callback_prefix = f"{app_server}/login/oidc/callback"
        first = await browse(http, f"{app_server}/login/oidc", stop_at=callback_prefix)
        second = await browse(http, f"{app_server}/login/oidc", stop_at=callback_prefix)
        assert first.stopped_at and second.stopped_at
        state = parse_qs(urlsplit(first.stopped_at).query)["state"][0]

        tampered = await http.get(
            with_query(first.stopped_at, state=state[:-2] + ("AA" if state[-2:] != "AA" else "BB"))
        )
        # the login-CSRF case: a callback that began in another browser (an attacker's) is sent to this one
        elsewhere = await other_browser.get(second.stopped_at)

    assert (tampered.status_code, elsewhere.status_code) == (400, 400)
    assert "That sign-in has expired or was already used." in tampered.text
    assert SESSION_COOKIE not in http.cookies and SESSION_COOKIE not in other_browser.cookies


async def test_a_person_who_is_no_employee_is_refused_with_a_clear_message(app_server: str, factory: Factory) -> None:
    await siti(factory)
    async with httpx.AsyncClient(base_url=app_server, timeout=10) as http:
        visit = await browse(http, f"{app_server}/login/oidc", login="stranger")
        http.headers["accept-language"] = "id"
        in_bahasa = await browse(http, f"{app_server}/login/oidc", login="stranger")

    assert visit.response.status_code == 403
    assert "no employee in SmartOffice matches you" in visit.response.text
    assert "tidak ada pegawai di SmartOffice yang cocok" in in_bahasa.response.text
    assert SESSION_COOKIE not in http.cookies


async def test_cancelling_at_the_provider_is_refused_with_a_clear_message(app_server: str, factory: Factory) -> None:
    async with httpx.AsyncClient(base_url=app_server, timeout=10) as http:
        login_form = await http.get("/login/oidc", follow_redirects=True)
        abort = re.search(r'href="([^"]*/abort)"', login_form.text)
        assert abort is not None, login_form.text[:2000]

        visit = await browse(http, urljoin(str(login_form.url), html.unescape(abort.group(1))))

    assert visit.response.status_code == 401
    assert "The identity provider did not sign you in." in visit.response.text


async def test_a_code_issued_to_another_client_is_refused(app_server: str, factory: Factory) -> None:
    await siti(factory)
    async with httpx.AsyncClient(base_url=app_server, timeout=10) as http:
        started = await http.get("/login/oidc")
        # the app's own state and nonce, but the provider is asked on behalf of another app
        authorize = with_query(started.headers["location"], client_id=OTHER_CLIENT_ID, redirect_uri=OTHER_APP_REDIRECT)
        visit = await browse(http, authorize, stop_at=OTHER_APP_REDIRECT)
        assert visit.stopped_at is not None
        refused = await http.get("/login/oidc/callback?" + urlsplit(visit.stopped_at).query)

    assert refused.status_code == 401
    assert "could not be verified" in refused.text
    assert SESSION_COOKIE not in http.cookies


# -- the ID token's checks, on tokens the real provider issued -----------------------------------------------------


def oidc_settings(settings: Settings, issuer: str, app_port: int, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "demo_mode": False,
        "oidc_issuer": issuer,
        "oidc_client_id": CLIENT_ID,
        "oidc_client_secret": CLIENT_SECRET,
        "oidc_name": BUTTON,
        "oidc_redirect_uri": f"http://127.0.0.1:{app_port}/login/oidc/callback",
    }
    return replace(settings, **(values | overrides))  # type: ignore[arg-type]


async def id_token_for_other_app(oidc_issuer: str, nonce: str) -> str:
    """A real ID token the provider issued to the other app, for Siti, carrying ``nonce``."""
    metadata = await ProviderDirectory(oidc_issuer).metadata()
    async with (
        httpx.AsyncClient(timeout=10) as browser,
        AsyncOAuth2Client(
            OTHER_CLIENT_ID,
            OTHER_CLIENT_SECRET,
            scope="openid email",
            redirect_uri=OTHER_APP_REDIRECT,
            code_challenge_method="S256",
        ) as other_app,
    ):
        verifier = "v" * 64
        url, _ = other_app.create_authorization_url(
            metadata["authorization_endpoint"], code_verifier=verifier, nonce=nonce
        )
        visit = await browse(browser, url, stop_at=OTHER_APP_REDIRECT)
        assert visit.stopped_at is not None
        code = parse_qs(urlsplit(visit.stopped_at).query)["code"][0]
        token = await other_app.fetch_token(metadata["token_endpoint"], code=code, code_verifier=verifier)
    return str(token["id_token"])


async def test_an_id_token_for_another_audience_or_nonce_or_tampered_is_refused(
    settings: Settings, runtime: Runtime, oidc_issuer: str, app_port: int
) -> None:
    # given: a genuine ID token, signed by the provider, but issued to another app
    id_token = await id_token_for_other_app(oidc_issuer, nonce="n-0S6_WzA2Mj")
    directory = ProviderDirectory(oidc_issuer)
    ours = OidcLogin(oidc_settings(settings, oidc_issuer, app_port), directory, runtime.db, runtime.redis)
    theirs = OidcLogin(
        oidc_settings(settings, oidc_issuer, app_port, oidc_client_id=OTHER_CLIENT_ID),
        directory,
        runtime.db,
        runtime.redis,
    )
    header, payload, signature = id_token.split(".")
    tampered = f"{header}.{payload}.{signature[:-4]}{'AAAA' if signature[-4:] != 'AAAA' else 'BBBB'}"

    # then: the app it was issued to would accept it, with its nonce; we refuse it, and any altered copy
    assert (await theirs.verify_id_token(id_token, "n-0S6_WzA2Mj"))["email"] == SITI["email"]
    for token, nonce, who, reason in [
        (id_token, "n-0S6_WzA2Mj", ours, "aud"),
        (id_token, "another-nonce", theirs, "nonce"),
        (tampered, "n-0S6_WzA2Mj", theirs, "signature"),
    ]:
        with pytest.raises(OidcFailure) as refused:
            await who.verify_id_token(token, nonce)
        assert (refused.value.code, refused.value.status) == ("PAGE_OIDC_REJECTED", 401)
        assert reason in str(refused.value)


# -- other configurations, in process ------------------------------------------------------------------------------


async def test_a_public_client_naming_people_by_nip(
    settings: Settings, runtime: Runtime, factory: Factory, oidc_issuer: str, app_port: int
) -> None:
    # given: a public client (PKCE only, no secret) that maps the nip claim
    person_id = await siti(factory)
    configured = oidc_settings(
        settings, oidc_issuer, app_port, oidc_client_id=PUBLIC_CLIENT_ID, oidc_client_secret=None, oidc_claim="nip"
    )
    callback = configured.oidc_redirect_uri
    assert callback is not None
    async with AsyncTestClient(app=create_app(configured)) as app, httpx.AsyncClient(timeout=10) as browser:
        started = await app.get("/login/oidc", params={"next": "/my-week"}, follow_redirects=False)
        assert parse_qs(urlsplit(started.headers["location"]).query)["scope"] == ["openid nip"]
        visit = await browse(browser, started.headers["location"], stop_at=callback)
        assert visit.stopped_at is not None

        signed_in = await app.get("/login/oidc/callback?" + urlsplit(visit.stopped_at).query, follow_redirects=False)

        assert (signed_in.status_code, signed_in.headers["location"]) == (303, "/my-week")
        login = await SessionStore(runtime.redis, 60).get(app.cookies[SESSION_COOKIE])
        assert login is not None and login.employee_id == person_id


async def test_roles_follow_the_groups_claim_at_each_sign_in(
    settings: Settings, runtime: Runtime, factory: Factory, oidc_issuer: str, app_port: int
) -> None:
    # given: Siti, site IKN-A, and a mapping of two of the provider's groups to roles
    person_id = await siti(factory)
    site = await factory.site(code="IKN-A")
    mapping = "smartoffice-admins=admin; fm-ikn-tower-a=facilities_manager:site:IKN-A"
    configured = oidc_settings(settings, oidc_issuer, app_port, idp_role_groups=mapping)
    callback = configured.oidc_redirect_uri
    assert callback is not None

    async def roles_after_sign_in(login: str) -> set[tuple[str, int | None]]:
        async with httpx.AsyncClient(timeout=10) as browser:  # a new browser: no session at the provider yet
            started = await app.get("/login/oidc", follow_redirects=False)
            visit = await browse(browser, started.headers["location"], login=login, stop_at=callback)
            assert visit.stopped_at is not None
            query = urlsplit(visit.stopped_at).query
            signed_in = await app.get("/login/oidc/callback?" + query, follow_redirects=False)
            assert signed_in.status_code == 303, signed_in.text[:2000]
        async with runtime.db.read() as session:
            rows = await session.execute(
                select(RoleAssignment.role, RoleAssignment.site_id).where(
                    RoleAssignment.employee_id == person_id, RoleAssignment.source == RoleSource.IDP
                )
            )
            return {(role.value, site_id) for role, site_id in rows}

    async with AsyncTestClient(app=create_app(configured)) as app:
        # when / then: in both groups she is admin and facilities manager of IKN-A
        assert await roles_after_sign_in("siti-in-groups") == {("admin", None), ("facilities_manager", site.id)}
        # when / then: out of the admins' group, she is no admin any more
        assert await roles_after_sign_in("siti-fm-only") == {("facilities_manager", site.id)}
        # when / then: a token without the groups claim changes nothing
        assert await roles_after_sign_in("siti") == {("facilities_manager", site.id)}
        # when / then: a groups claim that is present and empty takes the rest
        assert await roles_after_sign_in("siti-in-no-group") == set()

    async with runtime.db.read() as session:
        entries = await session.execute(select(AuditEntry.action, AuditEntry.via).order_by(AuditEntry.id))
        assert list(entries) == [
            ("role.grant", "oidc"),
            ("role.grant", "oidc"),
            ("role.revoke", "oidc"),
            ("role.revoke", "oidc"),
        ]


async def test_an_unreachable_provider_is_a_clear_502(settings: Settings, runtime: Runtime, app_port: int) -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    async with AsyncTestClient(app=create_app(oidc_settings(settings, closed, app_port))) as app:
        login_page = await app.get("/login")
        started = await app.get("/login/oidc", headers={"accept-language": "id"})

    assert BUTTON in login_page.text
    assert started.status_code == 502
    assert "Penyedia identitas tidak dapat dihubungi saat ini." in started.text


async def test_without_an_issuer_there_is_no_oidc_sign_in(settings: Settings, runtime: Runtime) -> None:
    async with AsyncTestClient(app=create_app(replace(settings, demo_mode=False))) as app:
        login_page = await app.get("/login")
        started = await app.get("/login/oidc")
        callback = await app.get("/login/oidc/callback?state=x&code=y")

    assert BUTTON not in login_page.text and "/login/oidc" not in login_page.text
    assert (started.status_code, callback.status_code) == (404, 404)


def test_settings_come_from_the_environment_and_refuse_half_a_configuration() -> None:
    env = {"SMARTOFFICE_OIDC_ISSUER": "https://idp.example.go.id", "SMARTOFFICE_OIDC_CLIENT_ID": "smartoffice"}

    configured = Settings.from_env({**env, "SMARTOFFICE_OIDC_CLAIM": "NIP"})

    assert (configured.is_oidc_enabled, configured.oidc_claim, configured.oidc_client_secret) == (True, "nip", None)
    assert not Settings.from_env({}).is_oidc_enabled
    with pytest.raises(ValueError, match="CLIENT_ID"):
        Settings.from_env({"SMARTOFFICE_OIDC_ISSUER": "https://idp.example.go.id"})
    with pytest.raises(ValueError, match="email or nip"):
        Settings.from_env({**env, "SMARTOFFICE_OIDC_CLAIM": "sub"})
