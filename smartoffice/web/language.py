"""The language a page speaks, and the switch on every page that changes it.

:func:`page_language` alone decides, in this order: the ``smartoffice_language`` cookie the switch sets, then
the signed-in person's saved preference (``employees.language``), then the browser's ``Accept-Language``, then
:data:`~smartoffice.i18n.DEFAULT_LANGUAGE`. :class:`PageLanguageMiddleware` asks it once per page request, before
the CSRF check and the handler, so that error pages speak it too; handlers and templates read the answer with
:func:`language_of`. Switching (``POST /language``) sets the cookie and, for a signed-in person, saves the choice.
"""

from typing import Any
from urllib.parse import urlsplit

from litestar import Request, post
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.response import Redirect
from litestar.status_codes import HTTP_303_SEE_OTHER
from litestar.types import ASGIApp, Receive, Scope, Send

from smartoffice.i18n import DEFAULT_LANGUAGE, Language, as_language, language_from_header
from smartoffice.identity.http import login_of
from smartoffice.runtime import runtime_of
from smartoffice.web.forms import local_path

LANGUAGE_COOKIE = "smartoffice_language"
COOKIE_MAX_AGE = 400 * 24 * 3600
"""The longest a browser keeps a cookie (RFC 6265bis): a choice made once lasts."""
STATE_KEY = "smartoffice_language"


async def page_language(connection: ASGIConnection[Any, Any, Any, Any]) -> Language:
    """The language of the pages for this request (see the module's docstring for the order)."""
    chosen = as_language(connection.cookies.get(LANGUAGE_COOKIE))
    if chosen is not None:
        return chosen
    login = login_of(connection)
    if login is not None:
        saved = as_language(await runtime_of(connection).people.saved_language(login.employee_id))
        if saved is not None:
            return saved
    return language_from_header(connection.headers.get("accept-language"))


class PageLanguageMiddleware(ASGIMiddleware):
    """Decides the page language once per request (after the login session is known) and keeps it in the scope."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        language = await page_language(ASGIConnection(scope))
        scope.setdefault("state", {})[STATE_KEY] = language
        await next_app(scope, receive, send)


def language_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Language:
    """The language :class:`PageLanguageMiddleware` decided; the default outside the pages' routes."""
    return as_language(connection.scope.get("state", {}).get(STATE_KEY)) or DEFAULT_LANGUAGE


def return_path(request: Request[Any, Any, Any]) -> str:
    """Where switching the language leads back to: this page, or after a form's POST the page that sent it."""
    if request.method == "GET":
        query = request.url.query
        return local_path(request.url.path + (f"?{query}" if query else ""))
    referrer = urlsplit(request.headers.get("referer", ""))
    if referrer.netloc != request.url.netloc:
        return "/"
    return local_path(referrer.path + (f"?{referrer.query}" if referrer.query else ""))


@post("/language", name="switch-language")
async def switch_language(request: Request[Any, Any, Any]) -> Redirect:
    """Speak ``language`` from now on, in this browser and (signed in) wherever the person signs in next."""
    form = await request.form()
    target = local_path(form.get("next"))
    language = as_language(form.get("language"))
    if language is None:
        return Redirect(path=target, status_code=HTTP_303_SEE_OTHER)
    login = login_of(request)
    if login is not None:
        await runtime_of(request).people.save_language(login.employee_id, language)
    cookie = Cookie(
        key=LANGUAGE_COOKIE,
        value=language,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )
    return Redirect(path=target, status_code=HTTP_303_SEE_OTHER, cookies=[cookie])
