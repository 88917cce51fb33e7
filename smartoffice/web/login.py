"""Signing in with a local account, and out. After sign-in a session in Redis (see
smartoffice.identity.sessions) names the person; its opaque id sits in an HttpOnly, SameSite=Lax cookie."""

from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Request, Router, get, post
from litestar.datastructures import Cookie
from litestar.params import QueryParameter
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER
from litestar.types import ControllerRouterHandler
from redis.exceptions import RedisError

from smartoffice.identity.accounts import verify_login
from smartoffice.identity.demo_accounts import DEMO_PASSWORD, DemoAccount, list_demo_accounts
from smartoffice.identity.http import session_store
from smartoffice.identity.ratelimit import RateLimiter
from smartoffice.identity.sessions import SESSION_COOKIE
from smartoffice.runtime import runtime_of
from smartoffice.web.context import current_viewer
from smartoffice.web.errors import EXCEPTION_HANDLERS
from smartoffice.web.forms import local_path
from smartoffice.web.words import words_for

LOGIN_ATTEMPTS = 10
LOGIN_WINDOW_SECONDS = 300
"""Failed or not, at most this many sign-in attempts per client address per window (Redis down: no limit)."""


@dataclass(frozen=True, slots=True)
class LoginPage:
    email: str
    next: str
    demo_accounts: list[DemoAccount]
    demo_password: str | None


async def _render(
    request: Request[Any, Any, Any], *, email: str, next_path: str, error: str | None, status: int
) -> Template:
    runtime = runtime_of(request)
    demo = runtime.settings.is_demo
    accounts: list[DemoAccount] = []
    if demo:
        async with runtime.db.read() as session:
            accounts = await list_demo_accounts(session)
    page = LoginPage(email, next_path, accounts, DEMO_PASSWORD if demo and accounts else None)
    return Template(
        template_name="login.html",
        context={
            "page": page,
            "viewer": await current_viewer(request),
            "login_error": error,
            "t": words_for(request),
        },
        status_code=status,
    )


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
    client = request.client.host if request.client else "unknown"
    decision = await RateLimiter(runtime.redis, LOGIN_WINDOW_SECONDS).hit(f"login:{client}", LOGIN_ATTEMPTS)
    if not decision.allowed:
        return await _render(request, email=email, next_path=next_path, error="PAGE_SIGN_IN_THROTTLED", status=429)
    employee_id = await verify_login(runtime.db, email, password)
    if employee_id is None:
        return await _render(request, email=email, next_path=next_path, error="PAGE_SIGN_IN_FAILED", status=401)
    try:
        session_id = await session_store(request).create(employee_id)
    except RedisError:
        return await _render(request, email=email, next_path=next_path, error="PAGE_SIGN_IN_UNAVAILABLE", status=503)
    request.clear_session()  # the demo's "act as" choice, if any: signing in replaces it
    cookie = Cookie(
        key=SESSION_COOKIE,
        value=session_id,
        max_age=runtime.settings.session_ttl_seconds,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )
    return Redirect(path=next_path, status_code=HTTP_303_SEE_OTHER, cookies=[cookie])


@post("/logout", name="logout")
async def logout(request: Request[Any, Any, Any]) -> Redirect:
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        await session_store(request).delete(session_id)
    request.clear_session()
    expired = Cookie(key=SESSION_COOKIE, value="", max_age=0, httponly=True, samesite="lax", path="/")
    return Redirect(path="/", status_code=HTTP_303_SEE_OTHER, cookies=[expired])


LOGIN_ROUTES: list[ControllerRouterHandler] = [
    Router(path="/", route_handlers=[login_page, login, logout], exception_handlers=EXCEPTION_HANDLERS)  # type: ignore[arg-type]
]
