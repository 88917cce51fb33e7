"""Live updates: GraphQL subscriptions over WebSocket (graphql-transport-ws) at ``/graphql/ws``, fed by Redis.

Each subscription listens on the Redis pub/sub channel its events are published to (see
:mod:`smartoffice.integrations.events`), so a booking made through any app process reaches subscribers on every
other. Messages published while a subscriber is not listening are not replayed: a client (re)subscribes, then
queries the current state.

Authentication happens on connect: the ``connection_init`` payload proves who the caller is, and the connection
is refused (close code 4403) unless :func:`principal_from_connection_params` accepts it: an app token
(``{"token": "so_..."}``, the same tokens as ``/api/graphql``, its scopes then apply) or, in demo mode only, the demo
identity (``{"employeeId": "<id>"}``). That function is **the hook for identity on WebSockets**; the browser's
login session is not accepted yet (it would need an Origin check against cross-site WebSocket hijacking, since
browsers send cookies on WebSockets). The endpoint serves WebSockets only: queries and mutations go to
``/graphql`` and ``/api/graphql``, behind their own protections.
"""

import json
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

from litestar import WebSocket
from litestar.handlers import WebsocketRouteHandler
from litestar.handlers.base import BaseRouteHandler
from redis.asyncio import Redis
from strawberry import Schema
from strawberry.exceptions import ConnectionRejectionError
from strawberry.litestar import make_graphql_controller
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from smartoffice.api.context import Context, Loaders, demo_viewer
from smartoffice.i18n import language_from_header
from smartoffice.identity.principal import Principal, PrincipalKind
from smartoffice.identity.scopes import Scope
from smartoffice.request_json import MalformedBody, decode_request_json
from smartoffice.runtime import Runtime, runtime_of

log = logging.getLogger(__name__)

SUBSCRIPTIONS_PATH = "/graphql/ws"


class SubscriptionContext(Context, kw_only=True):
    connection_params: dict[str, Any] | None = None
    """The ``connection_init`` payload (strawberry sets it)."""


async def subscription_context(socket: WebSocket[Any, Any, Any]) -> SubscriptionContext:
    runtime = runtime_of(socket)
    return SubscriptionContext(
        runtime=runtime,
        viewer_id=None,  # set by on_ws_connect once the payload is checked
        language=language_from_header(socket.headers.get("accept-language")),
        loaders=Loaders(runtime),
        principal=Principal.anonymous(),
    )


async def principal_from_connection_params(runtime: Runtime, params: dict[str, Any]) -> Principal | None:
    """Who the connection acts for, from its ``connection_init`` payload; ``None`` refuses it.

    THE AUTH HOOK for WebSockets: an app token, or the demo identity in demo mode (as ``X-Demo-Employee`` on
    /graphql). A browser login session would be checked here too, with the connection's Origin.
    """
    token = params.get("token")
    if isinstance(token, str):
        found = await runtime.identity.authenticate(token)
        if found is None:
            return None
        scopes = frozenset(Scope(s) for s in found.scopes if s in Scope._value2member_map_)
        return Principal(PrincipalKind.TOKEN, found.owner_id, scopes, token_id=found.id)
    value = params.get("employeeId")
    if not runtime.settings.is_demo or not isinstance(value, str | int) or isinstance(value, bool):
        return None
    employee_id = await demo_viewer(runtime, str(value))  # nobody for a non-id, an id of nobody, or a leaver
    return Principal(PrincipalKind.DEMO, employee_id) if employee_id is not None else None


def subscriptions_controller(schema: Schema) -> type:
    """The WebSocket-only GraphQL endpoint for subscriptions."""
    base = make_graphql_controller(
        schema,
        path=SUBSCRIPTIONS_PATH,
        context_getter=subscription_context,
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),  # not the legacy graphql-ws protocol
        connection_init_wait_timeout=timedelta(seconds=10),
        graphql_ide=None,
        allow_queries_via_get=False,
        keep_alive=True,
        keep_alive_interval=30,
        max_subscriptions_per_connection=20,
    )

    class SubscriptionsController(base):  # type: ignore[valid-type,misc]
        def get_route_handlers(self) -> list[BaseRouteHandler]:
            # Only the WebSocket handler: an HTTP GraphQL endpoint here would bypass /graphql's protections.
            return [h for h in super().get_route_handlers() if isinstance(h, WebsocketRouteHandler)]

        def decode_json(self, data: str | bytes) -> object:
            # As the HTTP doors read bodies (smartoffice.api.request_body): a message nested 100,000 deep or holding
            # a 5,000-digit number raised out of strawberry's loop (it expects JSONDecodeError only) and dropped the
            # connection with a server error; now it is closed 4400 like any message that is not JSON.
            try:
                return decode_request_json(data)
            except MalformedBody as error:
                raise json.JSONDecodeError(str(error), "", 0) from None

        async def on_ws_connect(self, context: SubscriptionContext) -> None:
            principal = await principal_from_connection_params(context.runtime, context.connection_params or {})
            if principal is None:
                raise ConnectionRejectionError({"reason": "connection_init must carry a valid token"})
            context.principal, context.viewer_id = principal, principal.employee_id

    return SubscriptionsController


async def channel_messages(redis: Redis, channel: str) -> AsyncIterator[dict[str, Any]]:
    """Messages published on a channel from now on, decoded; ends (raising) if Redis goes away."""
    pubsub = redis.pubsub(ignore_subscribe_messages=True)
    try:
        await pubsub.subscribe(channel)
        async for message in pubsub.listen():
            if message.get("type") != "message":
                continue
            try:
                yield json.loads(message["data"])
            except (ValueError, TypeError):
                log.warning("ignoring a malformed message on %s", channel)
    finally:
        await pubsub.aclose()  # type: ignore[no-untyped-call]  # redis-py leaves it unannotated
