"""The second step of a password sign-in: the code from the authenticator app (or a recovery code), or, for an
administrator without one, enrolling an app before any session exists. Both start from the half-signed-in record
(smartoffice.identity.pending) that the password step left; both count in the sign-in throttle (the account's key
and the client address's), and a success is refunded as the password step's is."""

from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from litestar import Request, get, post
from litestar.datastructures import Cookie
from litestar.response import Redirect, Template
from litestar.types import ControllerRouterHandler
from redis.exceptions import RedisError

from smartoffice.i18n import Language, gettext
from smartoffice.identity import totp
from smartoffice.identity.accounts import sign_in_refusal
from smartoffice.identity.pending import PENDING_COOKIE, NextStep, PendingSignIn
from smartoffice.identity.ratelimit import RateLimiter
from smartoffice.identity.second_factor import SecondFactorRefused
from smartoffice.integrations.sealing import SecretKeyMissing
from smartoffice.runtime import runtime_of
from smartoffice.web.context import current_viewer
from smartoffice.web.language import language_of
from smartoffice.web.signing_in import enrolments, pending_cookie, pending_sign_ins, second_factor, start_session

WINDOW_SECONDS = 15 * 60
ACCOUNT_ATTEMPTS = 10
ADDRESS_ATTEMPTS = 100
"""As the password step's (smartoffice.web.login): the same keys, the same budget."""


@dataclass(frozen=True, slots=True)
class EnrolmentPage:
    action: str
    qr_svg: str
    secret: str
    """The secret in groups of four, for typing into an app by hand."""
    account_name: str


def second_step_problem(language: Language, code: str) -> str:
    match code:
        case "TOTP_WRONG_CODE":
            return gettext(language, "That code is not right, or it was already used. Try the newest one.")
        case "TOTP_THROTTLED":
            return gettext(language, "Too many attempts. Wait a few minutes, then try again.")
        case "TOTP_EXPIRED":
            return gettext(language, "That sign-in has expired. Sign in again.")
        case "TOTP_ALREADY_ENROLLED":
            return gettext(language, "An authenticator app is already set up for this account.")
        case "TOTP_NOT_ENROLLED":
            return gettext(language, "No authenticator app is set up for this account.")
        case "TOTP_REQUIRED_FOR_ADMINS":
            return gettext(language, "Administrators must keep two-step sign-in on.")
        case "TOTP_NO_PASSWORD_ACCOUNT":
            return gettext(language, "Two-step sign-in guards password sign-in, and you have no password here.")
    return gettext(language, "Signing in is unavailable right now. Try again in a moment.")


def _spent_cookie(request: Request[Any, Any, Any]) -> Cookie:
    return pending_cookie(request, "", max_age=0)


async def _pending(request: Request[Any, Any, Any], step: NextStep) -> PendingSignIn | None:
    try:
        pending = await pending_sign_ins(request).get(request.cookies.get(PENDING_COOKIE))
    except RedisError:
        return None
    return pending if pending is not None and pending.step == step else None


def _expired(request: Request[Any, Any, Any]) -> Template:
    """Back to the password form, saying why; the half-signed-in cookie is dropped."""
    message = second_step_problem(language_of(request), "TOTP_EXPIRED")
    return Template(
        template_name="totp_code.html",
        context={"viewer": None, "totp_error": message, "expired": True},
        status_code=401,
        cookies=[_spent_cookie(request)],
    )


async def _throttled(request: Request[Any, Any, Any], pending: PendingSignIn) -> tuple[RateLimiter, list[str], int]:
    """Counts this attempt; the limiter, the keys to refund on success, and the seconds to wait (0: go on)."""
    limiter = RateLimiter(runtime_of(request).redis, WINDOW_SECONDS)
    address = request.client.host if request.client else None
    keys = [pending.throttle_key, f"login:address:{address or 'unknown'}"]
    decisions = [await limiter.hit(keys[0], ACCOUNT_ATTEMPTS), await limiter.hit(keys[1], ADDRESS_ATTEMPTS)]
    refused = [d.retry_after for d in decisions if not d.allowed]
    return limiter, keys, max(refused) if refused else 0


def _code_page(request: Request[Any, Any, Any], error: str | None, status: int, **headers: str) -> Template:
    message = second_step_problem(language_of(request), error) if error else None
    return Template(
        template_name="totp_code.html",
        context={"viewer": None, "totp_error": message, "expired": False},
        status_code=status,
        headers=headers or None,
    )


@get("/login/totp", name="login-totp-page")
async def code_page(request: Request[Any, Any, Any]) -> Template:
    if await _pending(request, NextStep.CODE) is None:
        return _expired(request)
    return _code_page(request, None, 200)


@post("/login/totp", name="login-totp")
async def check_code(request: Request[Any, Any, Any]) -> Template | Redirect:
    pending = await _pending(request, NextStep.CODE)
    if pending is None:
        return _expired(request)
    limiter, keys, wait = await _throttled(request, pending)
    if wait:
        return _code_page(request, "TOTP_THROTTLED", 429, **{"Retry-After": str(wait)})
    form = await request.form()
    if await second_factor(request).check(pending.employee_id, str(form.get("code") or "")) is None:
        return _code_page(request, "TOTP_WRONG_CODE", 401)
    for key in keys:
        await limiter.refund(key)
    return await _finish(request, pending, None)


async def _finish(
    request: Request[Any, Any, Any], pending: PendingSignIn, codes: list[str] | None
) -> Template | Redirect:
    """Spend the half-signed-in record and start the session: on to where the person was going, or, after an
    enrolment, to the page that shows the recovery codes once."""
    runtime = runtime_of(request)
    try:
        taken = await pending_sign_ins(request).take(request.cookies.get(PENDING_COOKIE) or "")
        if taken is None:  # another tab finished first, or it ran out meanwhile
            return _expired(request)
        if await sign_in_refusal(runtime.db, pending.employee_id) is not None:  # left or disabled meanwhile
            return _expired(request)
        cookie = await start_session(request, pending.employee_id)
    except RedisError:
        return _code_page(request, "UNAVAILABLE", 503)
    if codes is None:
        return Redirect(path=pending.next_path, status_code=303, cookies=[cookie, _spent_cookie(request)])
    return Template(
        template_name="totp_recovery_codes.html",
        context={"viewer": None, "codes": codes, "continue_path": pending.next_path},
        cookies=[cookie, _spent_cookie(request)],
        headers={"Cache-Control": "no-store"},
    )


async def enrolment_page(
    request: Request[Any, Any, Any], employee_id: int, action: str, *, error: str | None = None, status: int = 200
) -> Template:
    """The QR code and the secret of the person's enrolment in progress, and the form for the first code."""
    runtime = runtime_of(request)
    person = await runtime.people.find_employee(employee_id)
    account_name = person.email if person is not None else str(employee_id)
    try:
        secret = await enrolments(request).secret_for(employee_id)
    except (RedisError, SecretKeyMissing):
        return _code_page(request, "UNAVAILABLE", 503)
    uri = totp.provisioning_uri(secret, account_name)
    language = language_of(request)
    qr = totp.qr_svg(uri, gettext(language, "QR code for your authenticator app"))
    message = second_step_problem(language, error) if error else None
    return Template(
        template_name="totp_enrol.html",
        context={
            "viewer": await current_viewer(request),
            "page": EnrolmentPage(action, qr, totp.grouped(secret), account_name),
            "totp_error": message,
        },
        status_code=status,
        headers={"Cache-Control": "no-store"},
    )


@get("/login/totp/enrol", name="login-totp-enrol-page")
async def enrol_page(request: Request[Any, Any, Any]) -> Template:
    pending = await _pending(request, NextStep.ENROL)
    if pending is None:
        return _expired(request)
    return await enrolment_page(request, pending.employee_id, "/login/totp/enrol")


@post("/login/totp/enrol", name="login-totp-enrol")
async def enrol(request: Request[Any, Any, Any]) -> Template | Redirect:
    """The first code proves the app holds the secret: the factor is on, the session starts, the recovery codes
    are shown once."""
    pending = await _pending(request, NextStep.ENROL)
    if pending is None:
        return _expired(request)
    limiter, keys, wait = await _throttled(request, pending)
    if wait:
        return _code_page(request, "TOTP_THROTTLED", 429, **{"Retry-After": str(wait)})
    form = await request.form()
    try:
        secret = await enrolments(request).waiting(pending.employee_id)
    except RedisError:
        return _code_page(request, "UNAVAILABLE", 503)
    if secret is None:
        return _expired(request)
    try:
        codes = await second_factor(request).enrol(pending.employee_id, secret, str(form.get("code") or ""))
    except SecondFactorRefused as refused:
        action = "/login/totp/enrol"
        return await enrolment_page(request, pending.employee_id, action, error=refused.problem.value, status=400)
    for key in keys:
        await limiter.refund(key)
    with suppress(RedisError):  # it runs out by itself; the factor is on either way
        await enrolments(request).forget(pending.employee_id)
    return await _finish(request, pending, codes)


SECOND_STEP_ROUTES: list[ControllerRouterHandler] = [code_page, check_code, enrol_page, enrol]
