"""Login sessions on HTTP: a middleware finds the session named by the cookie once per request; pages and the
browser's GraphQL door ask :func:`login_of`."""

from typing import Any

from litestar.connection import ASGIConnection
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from smartoffice.identity.accounts import session_is_live
from smartoffice.identity.sessions import SESSION_COOKIE, LoginSession, SessionStore

STATE_KEY = "smartoffice_login"


def session_store(connection: ASGIConnection[Any, Any, Any, Any]) -> SessionStore:
    """The process's one store (on the runtime's identity service)."""
    store: SessionStore = connection.app.state.runtime.identity.sessions
    return store


class LoginSessionMiddleware(ASGIMiddleware):
    """Requests carrying the session cookie get their :class:`LoginSession` (or ``None``) in the scope's state;
    requests without it cost nothing. A session counts only while its person may sign in (one primary-key read:
    see :func:`smartoffice.identity.accounts.session_is_live`)."""

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        if scope["type"] in ("http", "websocket"):
            connection: ASGIConnection[Any, Any, Any, Any] = ASGIConnection(scope)
            session_id = connection.cookies.get(SESSION_COOKIE)
            login = await session_store(connection).get(session_id) if session_id else None
            if login is not None and not await session_is_live(connection.app.state.runtime.db, login):
                login = None  # the person left, or their account was disabled or reset since
            scope.setdefault("state", {})[STATE_KEY] = login
        await next_app(scope, receive, send)


def login_of(connection: ASGIConnection[Any, Any, Any, Any]) -> LoginSession | None:
    login = connection.scope.get("state", {}).get(STATE_KEY)
    return login if isinstance(login, LoginSession) else None
