"""The last steps of every sign-in: a login session and its cookie, or, for an account with a second factor (or an
administrator who must enrol one), the half-signed-in record and its cookie instead (smartoffice.identity.pending).
Shared by the password form, the invitation link and the second step's pages."""

from typing import Any

from litestar import Request
from litestar.datastructures import Cookie
from litestar.response import Redirect
from litestar.status_codes import HTTP_303_SEE_OTHER

from smartoffice.identity import totp
from smartoffice.identity.http import session_store
from smartoffice.identity.pending import PENDING_COOKIE, PENDING_TTL_SECONDS, Enrolments, NextStep, PendingSignIns
from smartoffice.identity.second_factor import SecondFactorService
from smartoffice.identity.sessions import SESSION_COOKIE
from smartoffice.runtime import runtime_of

SECOND_STEP_PATHS = {NextStep.CODE: "/login/totp", NextStep.ENROL: "/login/totp/enrol"}


def second_factor(request: Request[Any, Any, Any]) -> SecondFactorService:
    runtime = runtime_of(request)
    box = totp.secret_box(runtime.settings)
    return SecondFactorService(runtime.db, box, runtime.clock, demo_mode=runtime.settings.is_demo)


def pending_sign_ins(request: Request[Any, Any, Any]) -> PendingSignIns:
    runtime = runtime_of(request)
    return PendingSignIns(runtime.redis, runtime.clock)


def enrolments(request: Request[Any, Any, Any]) -> Enrolments:
    runtime = runtime_of(request)
    return Enrolments(runtime.redis, totp.secret_box(runtime.settings))


async def signed_in(
    request: Request[Any, Any, Any], employee_id: int, next_path: str, *, cookies: list[Cookie] | None = None
) -> Redirect:
    """A new login session for the person, its cookie, and on to ``next_path``. Raises ``RedisError``."""
    cookie = await start_session(request, employee_id)
    return Redirect(path=next_path, status_code=HTTP_303_SEE_OTHER, cookies=[cookie, *(cookies or [])])


async def start_session(request: Request[Any, Any, Any], employee_id: int) -> Cookie:
    """A new login session (noting the browser's address and user agent); its cookie. Raises ``RedisError``."""
    session_id = await session_store(request).create(
        employee_id,
        client_address=request.client.host if request.client else None,
        user_agent=request.headers.get("user-agent"),
    )
    request.clear_session()  # the demo's "act as" choice, if any: signing in replaces it
    return session_cookie(request, session_id)


def session_cookie(request: Request[Any, Any, Any], session_id: str) -> Cookie:
    return Cookie(
        key=SESSION_COOKIE,
        value=session_id,
        max_age=runtime_of(request).settings.session_ttl_seconds,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def pending_cookie(request: Request[Any, Any, Any], pending_id: str, max_age: int = PENDING_TTL_SECONDS) -> Cookie:
    return Cookie(
        key=PENDING_COOKIE,
        value=pending_id,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/login",
    )


async def after_password(
    request: Request[Any, Any, Any], employee_id: int, next_path: str, throttle_key: str
) -> Redirect:
    """Signed in, or on to the second step when the account has one or must enrol one. Raises ``RedisError``."""
    step = await second_factor(request).step_after_password(employee_id)
    if step is None:
        return await signed_in(request, employee_id, next_path)
    pending_id = await pending_sign_ins(request).create(employee_id, step, next_path, throttle_key)
    request.clear_session()
    return Redirect(
        path=SECOND_STEP_PATHS[step], status_code=HTTP_303_SEE_OTHER, cookies=[pending_cookie(request, pending_id)]
    )
