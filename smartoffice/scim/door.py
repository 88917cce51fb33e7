"""The door of ``/scim/v2``: ``Authorization: Bearer so_...``, an app token with the ``scim`` scope whose owner is an
administrator (no token or a bad one: 401 with ``WWW-Authenticate``; a token without the scope or an owner who
is not an administrator: 403), rate-limited per token as on ``/api/graphql``. No cookie authenticates here, so
the path is outside CSRF. Every refusal is a SCIM ``Error`` body in ``application/scim+json``, never a bare 500.
"""

import json
import logging
from typing import Any

from litestar import Request, Response
from litestar.connection import ASGIConnection
from litestar.exceptions import HTTPException
from litestar.handlers.base import BaseRouteHandler
from litestar.types import ExceptionHandlersMap
from pydantic import ValidationError
from scim2_models import Error, SCIMException, UnauthorizedException

from smartoffice.audit.record import Actor
from smartoffice.busy import busy_from
from smartoffice.identity.ratelimit import RateLimiter
from smartoffice.identity.scopes import Scope
from smartoffice.runtime import runtime_of
from smartoffice.scim.resources import SCIM_MEDIA_TYPE
from smartoffice.scim.service import ScimService

ACTOR_STATE_KEY = "smartoffice_scim_actor"
log = logging.getLogger(__name__)


def scim_response(
    body: dict[str, Any] | None, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response[Any]:
    content = b"" if body is None else json.dumps(body).encode()
    return Response(content, status_code=status_code, media_type=SCIM_MEDIA_TYPE, headers=headers)


def error_response(
    status: int, detail: str, scim_type: str | None = None, headers: dict[str, str] | None = None
) -> Response[Any]:
    return scim_response(Error(status=status, scim_type=scim_type, detail=detail).model_dump(), status, headers)


class TooManyRequests(SCIMException):
    status = 429
    _default_detail = "Too many requests"


def scim_refusal(_request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, SCIMException)
    headers = {"WWW-Authenticate": 'Bearer realm="smartoffice"'} if exc.status == 401 else None
    if isinstance(exc, TooManyRequests):
        headers = {"Retry-After": str(exc.context.get("retry_after", 1))}
    error = exc.to_error()
    return scim_response(error.model_dump(), exc.status, headers)


def invalid_payload(_request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, ValidationError)
    error = Error.from_validation_errors(exc)[0]
    return scim_response(error.model_dump(), int(error.status or 400))


def http_refusal(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, HTTPException)
    if exc.status_code >= 500:
        return unexpected_failure(request, exc)
    scim_type = "invalidSyntax" if exc.status_code == 400 else None
    return error_response(exc.status_code, str(exc.detail), scim_type, exc.headers)


def unexpected_failure(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """Overload is 503 with ``Retry-After``; a bug is logged and answered 500, SCIM-shaped and masked."""
    busy = busy_from(exc)
    if busy is not None:
        return error_response(503, "Busy; try again shortly", headers={"Retry-After": str(busy.retry_after)})
    log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return error_response(500, "An internal error occurred")


async def scim_door(connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler) -> None:
    scheme, _, raw = connection.headers.get("authorization", "").partition(" ")
    runtime = runtime_of(connection)
    token = await runtime.identity.authenticate(raw.strip()) if scheme.lower() == "bearer" else None
    if token is None:
        raise UnauthorizedException(detail="Send a valid, unexpired app token as Authorization: Bearer so_...")
    settings = runtime.settings
    limit = token.rate_limit or settings.token_rate_limit
    decision = await RateLimiter(runtime.redis, settings.token_rate_window_seconds).hit(f"token:{token.id}", limit)
    if not decision.allowed:
        raise TooManyRequests(detail=f"Over this token's limit of {limit} requests", retry_after=decision.retry_after)
    scopes = frozenset(Scope(s) for s in token.scopes if s in Scope._value2member_map_)
    actor = await service_of(connection).authorize(token.owner_id, token.id, scopes)
    connection.scope.setdefault("state", {})[ACTOR_STATE_KEY] = actor


def actor_of(request: Request[Any, Any, Any]) -> Actor:
    actor = request.scope.get("state", {}).get(ACTOR_STATE_KEY)
    assert isinstance(actor, Actor)
    return actor


def service_of(connection: ASGIConnection[Any, Any, Any, Any]) -> ScimService:
    runtime = runtime_of(connection)
    return ScimService(runtime.db, runtime.identity.sessions, runtime.clock)


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    SCIMException: scim_refusal,
    ValidationError: invalid_payload,
    HTTPException: http_refusal,
    Exception: unexpected_failure,
}
