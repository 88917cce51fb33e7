"""The two GraphQL HTTP endpoints: strawberry's litestar controller with our doors, IDE and refusal shapes."""

from typing import Any

from cross_web import HTTPException as StrawberryHTTPException  # what strawberry's views raise
from litestar import Request, Response
from litestar.background_tasks import BackgroundTasks
from litestar.di import Provide
from litestar.handlers import WebsocketRouteHandler
from litestar.handlers.base import BaseRouteHandler
from strawberry.litestar import make_graphql_controller

from smartoffice.api.context import Context
from smartoffice.api.doors import (
    API_GRAPHQL_PATH,
    EXCEPTION_HANDLERS,
    browser_door,
    door_context,
    envelope_refusal,
    token_door,
)
from smartoffice.api.schema import build_schema
from smartoffice.settings import Settings
from smartoffice.web.graphiql import graphiql_page

GRAPHQL_PATH = "/graphql"


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

    class GraphQLController(base):  # type: ignore[valid-type,misc]
        dependencies = {**base.dependencies, "response": Provide(_graphql_response)}
        guards = [token_door if is_api else browser_door]
        exception_handlers = EXCEPTION_HANDLERS

        async def render_graphql_ide(self, request: Request[Any, Any, Any]) -> Response[str]:
            return graphiql_page()  # strawberry's page loads its scripts from a CDN; ours from /static/

        def decode_json(self, data: str | bytes) -> object:
            decoded = super().decode_json(data)
            if not isinstance(decoded, dict | list):  # strawberry would call .get() on it: a 500
                raise StrawberryHTTPException(400, 'Send a JSON object: {"query": "...", "variables": {...}}.')
            return decoded

        async def execute_request(
            self, request: Request[Any, Any, Any], context: Any, root_value: Any
        ) -> Response[Any]:
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
