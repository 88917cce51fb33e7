"""Signing in with a local account or at the OpenID Connect provider (smartoffice.identity.oidc), and out. After
sign-in a session in Redis (see smartoffice.identity.sessions) names the person; its opaque id sits in an HttpOnly,
SameSite=Lax cookie. A right password of an account with two-step sign-in (or of an administrator who must set it
up) leads to the second step first (smartoffice.web.second_step), and only that step makes the session."""

import hashlib
import logging
from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Request, Router, get, post
from litestar.datastructures import Cookie
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER
from litestar.types import ControllerRouterHandler
from redis.exceptions import RedisError

from smartoffice.errors import InvalidInput
from smartoffice.i18n import Language, gettext
from smartoffice.identity.account_errors import AccountInputCode
from smartoffice.identity.accounts import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, sign_in_refusal
from smartoffice.identity.demo_accounts import DEMO_PASSWORD, DemoAccount
from smartoffice.identity.http import session_store
from smartoffice.identity.invitations import accept_invitation, invited_person
from smartoffice.identity.oidc import BROWSER_COOKIE, FLOW_TTL_SECONDS, OidcFailure, OidcLogin, ProviderDirectory
from smartoffice.identity.ratelimit import RateLimiter
from smartoffice.identity.sessions import SESSION_COOKIE
from smartoffice.runtime import runtime_of
from smartoffice.web.context import current_viewer
from smartoffice.web.errors import EXCEPTION_HANDLERS
from smartoffice.web.forms import local_path
from smartoffice.web.language import PageLanguageMiddleware, language_of
from smartoffice.web.second_step import SECOND_STEP_ROUTES
from smartoffice.web.signing_in import after_password, signed_in

log = logging.getLogger(__name__)

LOGIN_WINDOW_SECONDS = 15 * 60
ACCOUNT_ATTEMPTS = 10
"""Failed password sign-ins per account (the email typed, whether or not it names one) per window: guessing one
person's password is slowed to 40 tries an hour, however many addresses the guesser has."""
ADDRESS_ATTEMPTS = 100
"""Failed password sign-ins per client address per window: a spray over many accounts from one address stops,
while an office of a thousand behind one NAT signs in (successes are not counted, only typos)."""


@dataclass(frozen=True, slots=True)
class LoginPage:
    email: str
    next: str
    demo_accounts: list[DemoAccount]
    demo_password: str | None
    oidc_name: str | None
    """The provider's button label when OpenID Connect sign-in is configured."""


async def _render(
    request: Request[Any, Any, Any],
    *,
    email: str,
    next_path: str,
    error: str | None,
    status: int,
    headers: dict[str, str] | None = None,
) -> Template:
    runtime = runtime_of(request)
    demo = runtime.settings.is_demo
    accounts: list[DemoAccount] = []
    if demo:
        accounts = await runtime.identity.demo_accounts()
    settings = runtime.settings
    oidc_name = settings.oidc_name if settings.is_oidc_enabled else None
    page = LoginPage(email, next_path, accounts, DEMO_PASSWORD if demo and accounts else None, oidc_name)
    return Template(
        template_name="login.html",
        context={
            "page": page,
            "viewer": await current_viewer(request),
            "login_error": sign_in_problem(language_of(request), error) if error else None,
        },
        status_code=status,
        headers=headers,
    )


def sign_in_problem(language: Language, code: str) -> str:
    """Why signing in did not work out: a password sign-in's problem, or an :class:`OidcFailure`'s ``code``."""
    match code:
        case "PAGE_SIGN_IN_FAILED":
            return gettext(language, "That email and password do not match an account.")
        case "PAGE_SIGN_IN_THROTTLED":
            return gettext(language, "Too many attempts. Wait a few minutes, then try again.")
        case "PAGE_SIGN_IN_INACTIVE":
            return gettext(language, "You are no longer an active employee here, so you cannot sign in.")
        case "PAGE_SIGN_IN_DISABLED":
            return gettext(language, "Your account has been disabled. Ask your administrator.")
        case "PAGE_OIDC_EXPIRED":
            return gettext(language, "That sign-in has expired or was already used. Start again.")
        case "PAGE_OIDC_DENIED":
            return gettext(language, "The identity provider did not sign you in.")
        case "PAGE_OIDC_REJECTED":
            return gettext(language, "The identity provider's answer could not be verified, so you are not signed in.")
        case "PAGE_OIDC_NO_CLAIM":
            return gettext(
                language,
                "The identity provider did not share what names you here (a verified email or your NIP).",
            )
        case "PAGE_OIDC_UNKNOWN_PERSON":
            return gettext(
                language,
                "The identity provider knows you, but no employee in SmartOffice matches you. Ask your administrator.",
            )
        case "PAGE_OIDC_UNREACHABLE":
            return gettext(
                language,
                "The identity provider cannot be reached right now. Try again in a moment, or use your password.",
            )
    return gettext(language, "Signing in is unavailable right now. Try again in a moment.")


@get("/login", name="login-page")
async def login_page(
    request: Request[Any, Any, Any], next_: Annotated[str | None, QueryParameter(name="next")] = None
) -> Template:
    return await _render(request, email="", next_path=local_path(next_), error=None, status=200)


@post("/login", name="login")
async def login(request: Request[Any, Any, Any]) -> Template | Redirect:
    form = await request.form()
    email = str(form.get("email") or "").strip()[:200]
    password = str(form.get("password") or "")
    next_path = local_path(form.get("next"))
    runtime = runtime_of(request)
    limiter = RateLimiter(runtime.redis, LOGIN_WINDOW_SECONDS)
    # Every attempt counts first, and a success is refunded after: a burst of concurrent guesses cannot slip
    # past a "check, then count the failure". Both keys count, so a refusal by either reveals nothing about
    # the account (its key is the email's hash, known or not).
    keys = throttle_keys(email, request.client.host if request.client else None)
    decisions = [await limiter.hit(keys[0], ACCOUNT_ATTEMPTS), await limiter.hit(keys[1], ADDRESS_ATTEMPTS)]
    refused = [d for d in decisions if not d.allowed]
    if refused:
        retry_after = str(max(d.retry_after for d in refused))
        return await _render(
            request,
            email=email,
            next_path=next_path,
            error="PAGE_SIGN_IN_THROTTLED",
            status=429,
            headers={"Retry-After": retry_after},
        )
    employee_id = await runtime.identity.verify_login(email, password)
    if employee_id is None:
        return await _render(request, email=email, next_path=next_path, error="PAGE_SIGN_IN_FAILED", status=401)
    for key in keys:
        await limiter.refund(key)
    refusal = await sign_in_refusal(runtime.db, employee_id)  # told only to whoever knows the password
    if refusal is not None:
        return await _render(request, email=email, next_path=next_path, error=refusal.value, status=403)
    try:  # an account with a second factor (or an administrator who must enrol one) goes on to it first
        return await after_password(request, employee_id, next_path, keys[0])
    except RedisError:
        return await _render(request, email=email, next_path=next_path, error="PAGE_SIGN_IN_UNAVAILABLE", status=503)


def throttle_keys(email: str, address: str | None) -> tuple[str, str]:
    """The rate-limit keys of a password sign-in: its account's and its client address's.

    The address is the one smartoffice.identity.clients decided (behind a trusted proxy, the browser's own)."""
    account = hashlib.sha256(email.strip().casefold().encode()).hexdigest()
    return f"login:account:{account}", f"login:address:{address or 'unknown'}"


def _oidc_login(request: Request[Any, Any, Any]) -> OidcLogin:
    runtime = runtime_of(request)
    settings = runtime.settings
    if settings.oidc_issuer is None:
        raise NotFoundException()
    # One cache of the provider's discovery document and keys per app (process), made on first use.
    directory = getattr(request.app.state, "oidc_directory", None)
    if directory is None:
        directory = request.app.state.oidc_directory = ProviderDirectory(settings.oidc_issuer)
    return OidcLogin(settings, directory, runtime.db, runtime.redis)


def _browser_cookie(request: Request[Any, Any, Any], value: str, max_age: int) -> Cookie:
    return Cookie(
        key=BROWSER_COOKIE,
        value=value,
        max_age=max_age,
        httponly=True,
        samesite="lax",  # sent on the provider's top-level redirect back to the callback
        secure=request.url.scheme == "https",
        path="/login/oidc",
    )


@get("/login/oidc", name="login-oidc")
async def login_oidc(
    request: Request[Any, Any, Any], next_: Annotated[str | None, QueryParameter(name="next")] = None
) -> Template | Redirect:
    """Off to the provider's sign-in page (authorization code flow with PKCE, state and nonce)."""
    login = _oidc_login(request)
    next_path = local_path(next_)
    redirect_uri = login.settings.oidc_redirect_uri or str(request.url_for("login-oidc-callback"))
    try:
        started = await login.begin(redirect_uri, next_path)
    except OidcFailure as failure:
        log.warning("OIDC sign-in could not start: %s", failure)
        return await _render(request, email="", next_path=next_path, error=failure.code, status=failure.status)
    cookie = _browser_cookie(request, started.browser_secret, FLOW_TTL_SECONDS)
    return Redirect(path=started.authorization_url, status_code=HTTP_303_SEE_OTHER, cookies=[cookie])


@get("/login/oidc/callback", name="login-oidc-callback")
async def login_oidc_callback(request: Request[Any, Any, Any]) -> Template | Redirect:
    """The provider sends the browser back here with ``code`` and ``state`` (or ``error``)."""
    login = _oidc_login(request)
    names = ("state", "code", "error", "error_description", "iss")
    params = {name: str(request.query_params[name]) for name in names if name in request.query_params}
    spent = _browser_cookie(request, "", 0)  # one flow per cookie: it is spent either way
    try:
        employee_id, next_path = await login.finish(params, request.cookies.get(BROWSER_COOKIE))
        return await signed_in(request, employee_id, next_path, cookies=[spent])
    except OidcFailure as failure:
        log.warning("OIDC sign-in refused: %s", failure)
        page = await _render(request, email="", next_path="/", error=failure.code, status=failure.status)
    except RedisError:
        page = await _render(request, email="", next_path="/", error="PAGE_SIGN_IN_UNAVAILABLE", status=503)
    page.cookies.append(spent)
    return page


@dataclass(frozen=True, slots=True)
class InvitationPage:
    name: str
    min_length: int
    max_length: int


async def _invitation_page(request: Request[Any, Any, Any], name: str, error: str | None, status: int) -> Template:
    return Template(
        template_name="invite.html",
        context={
            "page": InvitationPage(name, MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH),
            "viewer": await current_viewer(request),
            "invite_error": error,
        },
        status_code=status,
    )


@get("/login/invite/{token:str}", name="login-invite")
async def invitation_form(request: Request[Any, Any, Any], token: FromPath[str]) -> Template:
    """The link from ``smartoffice accounts create|reset``: a form to set one's password."""
    runtime = runtime_of(request)
    name = await invited_person(runtime.db, token, runtime.clock())
    if name is None:
        message = AccountInputCode.INVITATION_INVALID.message_in(language_of(request))
        return await _invitation_page(request, "", message, 404)
    return await _invitation_page(request, name, None, 200)


@post("/login/invite/{token:str}", name="login-invite-accept")
async def accept_invitation_form(request: Request[Any, Any, Any], token: FromPath[str]) -> Template | Redirect:
    """Sets the password (length checked, Argon2id), spends the invitation and signs the person in."""
    runtime = runtime_of(request)
    form = await request.form()
    password, repeated = str(form.get("password") or ""), str(form.get("password_again") or "")
    language = language_of(request)
    name = await invited_person(runtime.db, token, runtime.clock())
    if name is None:
        message = AccountInputCode.INVITATION_INVALID.message_in(language)
        return await _invitation_page(request, "", message, 404)
    if password != repeated:
        return await _invitation_page(request, name, gettext(language, "The two passwords differ."), 400)
    try:
        employee_id = await accept_invitation(runtime.db, token, password, runtime.clock())
    except InvalidInput as exc:
        status = 404 if exc.field == "token" else 400
        return await _invitation_page(request, "" if status == 404 else name, exc.message_in(language), status)
    try:
        person = await runtime.people.find_employee(employee_id)
        email = person.email if person is not None else ""
        return await after_password(request, employee_id, "/", throttle_keys(email, None)[0])
    except RedisError:
        return Redirect(path="/login", status_code=HTTP_303_SEE_OTHER)


@post("/logout", name="logout")
async def logout(request: Request[Any, Any, Any]) -> Redirect:
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        await session_store(request).delete(session_id)
    request.clear_session()
    expired = Cookie(key=SESSION_COOKIE, value="", max_age=0, httponly=True, samesite="lax", path="/")
    return Redirect(path="/", status_code=HTTP_303_SEE_OTHER, cookies=[expired])


LOGIN_ROUTES: list[ControllerRouterHandler] = [
    Router(
        path="/",
        route_handlers=[
            login_page,
            login,
            logout,
            login_oidc,
            login_oidc_callback,
            invitation_form,
            accept_invitation_form,
            *SECOND_STEP_ROUTES,
        ],
        middleware=[PageLanguageMiddleware()],
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
    )
]
