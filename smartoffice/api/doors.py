"""The two front doors of the GraphQL API, as litestar guards that run before strawberry sees the request.

``/graphql`` is for browsers: the login session cookie, with litestar's CSRF token in the ``X-CSRFToken``
header on every POST that rides on the cookie (double submit: the header must match the signed ``csrftoken``
cookie, which a cross-site page can neither read nor set). In demo mode the ``X-Demo-Employee`` header also
identifies (a header cannot be sent cross-site without CORS, so it needs no CSRF token); outside demo mode that
header is refused. App tokens are refused here.

``/api/graphql`` is for apps: ``Authorization: Bearer so_...`` only. A request carrying a session cookie is
refused (so a browser can never be tricked into spending its cookies here), GET is refused, and each token
is rate-limited in Redis.

Both accept only ``POST`` with ``Content-Type: application/json`` (``text/plain``, form and multipart bodies are
what a cross-site form can send). A ``GET`` is answered 405 with ``Allow: POST``, queries included, except a
browser's page load of ``/graphql`` outside production, which gets GraphiQL. Refusals have a GraphQL-shaped body:
``{"errors": [{"message": ..., "extensions": {"code": ...}}]}``; so has every other answer that is not the
operation's own: a body over the size cap (413 ``PAYLOAD_TOO_LARGE``), overload (503 ``BUSY`` with ``Retry-After``,
also when the overload comes out of the operation, see :mod:`smartoffice.api.controller`) and a bug (500
``INTERNAL_SERVER_ERROR``, logged with its traceback).
"""

import hashlib
import hmac
import logging
from typing import Any

from litestar import Request
from litestar.config.csrf import CSRFConfig
from litestar.connection import ASGIConnection
from litestar.exceptions import HTTPException
from litestar.handlers.base import BaseRouteHandler
from litestar.response import Response

from smartoffice.api.context import DEMO_IDENTITY_HEADER, Context, demo_viewer
from smartoffice.api.error_codes import INTERNAL_SERVER_ERROR, MASKED_MESSAGE
from smartoffice.busy import BUSY_CODE, ServiceBusy, busy_from
from smartoffice.i18n import Language, gettext, language_from_header
from smartoffice.identity.http import login_of
from smartoffice.identity.principal import Principal, PrincipalKind
from smartoffice.identity.ratelimit import RateLimiter
from smartoffice.identity.scopes import Scope
from smartoffice.identity.sessions import SESSION_COOKIE
from smartoffice.runtime import runtime_of

API_GRAPHQL_PATH = "/api/graphql"
PRINCIPAL_STATE_KEY = "smartoffice_principal"
DEMO_SESSION_COOKIE = "session"
"""The signed client-side cookie of the demo's "act as" picker (litestar's default session cookie name)."""
CSRF_DEFAULTS = CSRFConfig(secret="unused")
log = logging.getLogger(__name__)


class DoorRefusal(HTTPException):
    """A request refused before GraphQL runs; answered by :func:`refusal_response`."""

    def __init__(self, status_code: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail=message, status_code=status_code, headers=headers)
        self.code = code


def graphql_shaped(
    status_code: int, code: str, message: str, headers: dict[str, str] | None = None, **extensions: Any
) -> Response[dict[str, Any]]:
    body = {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]}
    return Response(body, status_code=status_code, headers=headers)


def refusal_response(_request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    assert isinstance(exc, DoorRefusal)
    return graphql_shaped(exc.status_code, exc.code, exc.detail, exc.headers)


STATUS_CODES = {405: "METHOD_NOT_ALLOWED", 413: "PAYLOAD_TOO_LARGE"}
"""The code of a refusal by status; any other 4xx is ``BAD_REQUEST``."""


def envelope_refusal(status_code: int, reason: str) -> Response[dict[str, Any]]:
    """strawberry's refusal of a malformed request (not JSON, not an object, a batch, an unknown operationName, a
    subscription over HTTP), in the same GraphQL shape as the doors' refusals instead of its plain text."""
    return graphql_shaped(status_code, STATUS_CODES.get(status_code, "BAD_REQUEST"), reason)


def http_refusal(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    """litestar's own refusals on these routes (a body over ``graphql_max_body_bytes``: 413; a malformed
    ``Content-Length``: 400), GraphQL-shaped like every other answer of the doors."""
    assert isinstance(exc, HTTPException)
    if exc.status_code >= 500:
        return unexpected_failure(request, exc)
    message = exc.detail
    if exc.status_code == 413:
        message = f"The request body is larger than {runtime_of(request).settings.graphql_max_body_bytes} bytes."
    return graphql_shaped(exc.status_code, STATUS_CODES.get(exc.status_code, "BAD_REQUEST"), message, exc.headers)


def unexpected_failure(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    """Anything else raised on the way through the doors or the controller: overload is 503 busy with
    ``Retry-After`` (:func:`busy_response`); a bug is logged with its traceback and answered 500, GraphQL-shaped.
    (Errors inside the operation are the schema's business: they come back in the body's ``errors``.)"""
    busy = busy_from(exc)
    if busy is not None:
        log.warning("%s %s answered busy: %s", request.method, request.url.path, busy)
        return busy_response(busy, language_from_header(request.headers.get("accept-language")))
    log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return graphql_shaped(500, INTERNAL_SERVER_ERROR, MASKED_MESSAGE)


def busy_response(busy: ServiceBusy, language: Language) -> Response[dict[str, Any]]:
    """The whole request refused as 503 with ``Retry-After``: a partial answer from a starved process is worth
    little, and clients, proxies and load balancers know to retry a 503 (a mutation refused busy changed
    nothing; see the README on several mutations in one document)."""
    # The pages' wording (smartoffice.web.errors): one message for people, wherever they meet the overload.
    message = gettext(language, "Too many people are using SmartOffice at this moment. Try again in a few seconds.")
    return graphql_shaped(503, BUSY_CODE, message, {"Retry-After": str(busy.retry_after)}, retryAfter=busy.retry_after)


EXCEPTION_HANDLERS = {DoorRefusal: refusal_response, HTTPException: http_refusal, Exception: unexpected_failure}


def _is_graphiql_page_load(connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
    """A browser opening the endpoint as a page (what strawberry answers with the IDE), not a query in a URL."""
    return "text/html" in connection.headers.get("accept", "") and "query" not in connection.query_params


def _require_json_post(connection: ASGIConnection[Any, Any, Any, Any], *, allow_graphiql: bool) -> None:
    method = connection.scope.get("method")
    if method is None:  # a websocket: no body to check
        return
    if method == "GET" and allow_graphiql and _is_graphiql_page_load(connection):
        return
    if method != "POST":
        raise DoorRefusal(
            405,
            "METHOD_NOT_ALLOWED",
            "GraphQL operations are sent as POST with a JSON body; GET is not supported.",
            {"Allow": "POST"},
        )
    media_type = connection.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json":
        raise DoorRefusal(415, "UNSUPPORTED_MEDIA_TYPE", "Send the operation as Content-Type: application/json.")


def principal_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    principal = connection.scope.get("state", {}).get(PRINCIPAL_STATE_KEY)
    return principal if isinstance(principal, Principal) else Principal.anonymous()


def _set_principal(connection: ASGIConnection[Any, Any, Any, Any], principal: Principal) -> None:
    connection.scope.setdefault("state", {})[PRINCIPAL_STATE_KEY] = principal


def csrf_tokens_match(secret: str, header_token: str | None, cookie_token: str | None) -> bool:
    """litestar's CSRF check: both tokens carry a valid HMAC and the same random part."""

    def random_part(token: str | None) -> str | None:
        if not token or len(token) <= 64:
            return None
        part, mac = token[:64], token[64:]
        expected = hmac.new(secret.encode(), part.encode(), hashlib.sha256).hexdigest()
        return part if hmac.compare_digest(mac, expected) else None

    from_header, from_cookie = random_part(header_token), random_part(cookie_token)
    return from_header is not None and from_cookie is not None and hmac.compare_digest(from_header, from_cookie)


async def browser_door(connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler) -> None:
    settings = runtime_of(connection).settings
    _require_json_post(connection, allow_graphiql=not settings.is_production)
    if connection.headers.get("authorization"):
        raise DoorRefusal(400, "USE_API_ENDPOINT", f"App tokens go to {API_GRAPHQL_PATH}, not here.")
    demo_header = connection.headers.get(DEMO_IDENTITY_HEADER)
    if demo_header is not None:
        if not settings.is_demo:
            raise DoorRefusal(400, "DEMO_MODE_OFF", f"The {DEMO_IDENTITY_HEADER} header works in demo mode only.")
        viewer_id = await demo_viewer(runtime_of(connection), demo_header)  # nobody, for a person who left
        _set_principal(connection, Principal.for_employee(viewer_id, PrincipalKind.DEMO))
        return
    login = login_of(connection)
    if login is None:
        _set_principal(connection, Principal.anonymous())
        return
    if connection.scope.get("method") == "POST":
        header = connection.headers.get(CSRF_DEFAULTS.header_name)
        cookie = connection.cookies.get(CSRF_DEFAULTS.cookie_name)
        if not csrf_tokens_match(settings.secret_key, header, cookie):
            raise DoorRefusal(
                403,
                "CSRF_FAILED",
                f"Send the {CSRF_DEFAULTS.cookie_name} cookie's value in the X-CSRFToken header.",
            )
    _set_principal(connection, Principal(PrincipalKind.SESSION, login.employee_id))


async def token_door(connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler) -> None:
    _require_json_post(connection, allow_graphiql=False)
    if SESSION_COOKIE in connection.cookies or DEMO_SESSION_COOKIE in connection.cookies:
        raise DoorRefusal(400, "SESSION_COOKIE_REJECTED", "This endpoint takes app tokens only, never cookies.")
    if connection.headers.get(DEMO_IDENTITY_HEADER) is not None:
        raise DoorRefusal(400, "DEMO_HEADER_REJECTED", "This endpoint takes app tokens only.")
    scheme, _, raw = connection.headers.get("authorization", "").partition(" ")
    runtime = runtime_of(connection)
    token = await runtime.identity.authenticate(raw.strip()) if scheme.lower() == "bearer" else None
    if token is None:
        raise DoorRefusal(
            401,
            "UNAUTHENTICATED",
            "Send a valid, unexpired app token as Authorization: Bearer so_...",
            {"WWW-Authenticate": 'Bearer realm="smartoffice"'},
        )
    settings = runtime.settings
    limit = token.rate_limit or settings.token_rate_limit
    decision = await RateLimiter(runtime.redis, settings.token_rate_window_seconds).hit(f"token:{token.id}", limit)
    if not decision.allowed:
        log.info("token %s (%s) over its rate limit of %d", token.id, token.name, limit)
        raise DoorRefusal(
            429,
            "RATE_LIMITED",
            f"Over this token's limit of {limit} requests per {settings.token_rate_window_seconds} s.",
            {"Retry-After": str(decision.retry_after)},
        )
    scopes = frozenset(Scope(s) for s in token.scopes if s in Scope._value2member_map_)
    _set_principal(
        connection,
        Principal(
            PrincipalKind.TOKEN,
            token.owner_id,
            scopes,
            token_id=token.id,
            cost_budget=token.cost_budget,
            rate_limit=token.rate_limit,
        ),
    )


async def door_context(request: Request[Any, Any, Any]) -> Context:
    """The GraphQL context of either door: the principal its guard established."""
    return Context.for_request(
        runtime_of(request),
        None,
        language_from_header(request.headers.get("accept-language")),
        principal=principal_of(request),
    )
