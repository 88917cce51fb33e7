"""The two GraphQL HTTP endpoints: strawberry's litestar controller with our doors, IDE and refusal shapes.

What a hostile request meets, in order: the door (method, media type, identity, CSRF, rate limit), the body's size
(``graphql_max_body_bytes``, 413), its JSON (:mod:`smartoffice.api.request_body`, 400), the document's length in
characters (``graphql_max_document_chars``, 400), then the schema's own limits (tokens, depth, aliases, cost). An
error in the result that means overload turns the whole answer into 503 ``BUSY`` (which tells the client that
nothing was done) unless a mutation already committed or answered (:func:`_carried_out`); an exception anywhere is
logged and answered GraphQL-shaped (:func:`smartoffice.api.doors.unexpected_failure`).
"""

from typing import Any

from cross_web import AsyncHTTPRequestAdapter, LitestarRequestAdapter
from cross_web import HTTPException as StrawberryHTTPException  # what strawberry's views raise
from litestar import Request, Response
from litestar.background_tasks import BackgroundTasks
from litestar.di import Provide
from litestar.handlers import WebsocketRouteHandler
from litestar.handlers.base import BaseRouteHandler
from strawberry.http import GraphQLRequestData
from strawberry.litestar import make_graphql_controller
from strawberry.types import ExecutionResult

from graphql import GraphQLError, OperationType, get_operation_ast, parse
from smartoffice.api.context import Context
from smartoffice.api.doors import (
    API_GRAPHQL_PATH,
    EXCEPTION_HANDLERS,
    DoorRefusal,
    browser_door,
    door_context,
    envelope_refusal,
    token_door,
)
from smartoffice.api.limits import MAX_DOCUMENT_SIZE_EXCEEDED, document_too_large
from smartoffice.api.schema import build_schema
from smartoffice.busy import busy_from
from smartoffice.db import Commits, count_commits
from smartoffice.request_json import MalformedBody, decode_request_json
from smartoffice.settings import Settings
from smartoffice.web.graphiql import graphiql_page

GRAPHQL_PATH = "/graphql"
OPERATION_STATE_KEY = "smartoffice_graphql_request"
"""Where :meth:`parse_http_body` leaves the request's document and operation name for :func:`_carried_out`."""
COMMITS_STATE_KEY = "smartoffice_graphql_commits"
"""Where :meth:`execute_request` leaves the request's :class:`~smartoffice.db.Commits` for :func:`_carried_out`."""


def _carried_out(request: Request[Any, Any, Any], result: ExecutionResult) -> bool:
    """Whether a mutation of this request already did its work before one of its fields met the overload: a write
    transaction of this request committed (:func:`~smartoffice.db.count_commits`), or a root field answered. Then a
    503 "nothing was done, send it again" would be untrue (``bookDesk`` commits before its answer's ``desk`` is
    loaded: a client trusting it would book twice): the answer is the data (null where a non-null field failed)
    with the errors coded ``BUSY`` and marked ``committed``. Queries change nothing, so they stay refused whole (a
    partial answer from a starved process is worth little). Only asked when an error means busy, so the document is
    parsed again only then."""
    state = request.scope.get("state", {})
    commits = state.get(COMMITS_STATE_KEY)
    committed = isinstance(commits, Commits) and commits.count > 0
    if not committed and not (result.data and any(value is not None for value in result.data.values())):
        return False
    sent = state.get(OPERATION_STATE_KEY)
    if not isinstance(sent, GraphQLRequestData) or not sent.query:
        return False
    try:
        operation = get_operation_ast(parse(sent.query), sent.operation_name)
    except GraphQLError:
        return False
    return operation is not None and operation.operation == OperationType.MUTATION


async def graphql_context(request: Request[Any, Any, Any]) -> Context:
    # Who is asking was settled by the door's guard (smartoffice.api.doors) before strawberry ran.
    return await door_context(request)


async def _graphql_response() -> Response[Any]:
    # strawberry declares this dependency with sync_to_thread=True: one thread hop per request for nothing.
    return Response({}, background=BackgroundTasks([]))


def graphql_controller(settings: Settings, path: str = GRAPHQL_PATH) -> type:
    """``/graphql`` (browsers: session cookie + CSRF, or the demo header) or ``/api/graphql`` (app tokens)."""
    is_api = path == API_GRAPHQL_PATH
    base = make_graphql_controller(
        build_schema(debug=settings.debug),
        path=path,
        context_getter=graphql_context,
        allow_queries_via_get=False,
        graphql_ide=None if is_api or settings.is_production else "graphiql",
    )

    max_document_chars = settings.graphql_max_document_chars

    class GraphQLController(base):  # type: ignore[valid-type,misc]
        dependencies = {**base.dependencies, "response": Provide(_graphql_response)}
        guards = [token_door if is_api else browser_door]
        exception_handlers = EXCEPTION_HANDLERS
        request_max_body_size = settings.graphql_max_body_bytes
        """litestar refuses a larger body (413) from its Content-Length, or while streaming a chunked one in,
        before strawberry reads it."""

        async def render_graphql_ide(self, request: Request[Any, Any, Any]) -> Response[str]:
            return graphiql_page()  # strawberry's page loads its scripts from a CDN; ours from /static/

        def decode_json(self, data: str | bytes) -> object:
            try:
                decoded = decode_request_json(data)  # not UTF-8, too deep, a 5,000-digit int: 400s, not 500s
            except MalformedBody as error:
                raise StrawberryHTTPException(400, str(error)) from None
            if not isinstance(decoded, dict | list):  # strawberry would call .get() on it: a 500
                raise StrawberryHTTPException(400, 'Send a JSON object: {"query": "...", "variables": {...}}.')
            return decoded

        async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> Any:
            data = await super().parse_http_body(request)
            if isinstance(data, GraphQLRequestData) and len(data.query or "") > max_document_chars:
                message = document_too_large(len(data.query or ""), max_document_chars)
                raise DoorRefusal(400, MAX_DOCUMENT_SIZE_EXCEEDED, message)  # before graphql-core parses it
            if isinstance(data, GraphQLRequestData) and isinstance(request, LitestarRequestAdapter):
                request.request.scope.setdefault("state", {})[OPERATION_STATE_KEY] = data
            return data

        async def process_result(self, request: Request[Any, Any, Any], result: ExecutionResult) -> Any:
            carried_out: bool | None = None
            for error in result.errors or ():
                busy = busy_from(error.original_error) if error.original_error else None
                if busy is None:
                    continue
                if carried_out is None:
                    carried_out = _carried_out(request, result)
                if not carried_out:
                    raise busy from error.original_error  # the whole request is refused busy (a 503)
                error.extensions = {**(error.extensions or {}), "committed": True}  # do not send it again
            return await super().process_result(request, result)

        async def execute_request(
            self, request: Request[Any, Any, Any], context: Any, root_value: Any
        ) -> Response[Any]:
            request.scope.setdefault("state", {})[COMMITS_STATE_KEY] = count_commits()
            try:
                response: Response[Any] = await self.run(request, context=context, root_value=root_value)
                return response
            except StrawberryHTTPException as refusal:
                return envelope_refusal(refusal.status_code, refusal.reason)

        def get_route_handlers(self) -> list[BaseRouteHandler]:
            # HTTP only: browsers send cookies on a cross-site WebSocket handshake, so no WebSocket may ride on
            # these doors; subscriptions live at /graphql/ws and authenticate on connect.
            return [h for h in super().get_route_handlers() if not isinstance(h, WebsocketRouteHandler)]

    return GraphQLController
