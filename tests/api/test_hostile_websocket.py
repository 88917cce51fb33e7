"""Hostile messages on the subscriptions' WebSocket (/graphql/ws) meet the same JSON reading as the HTTP doors."""

import pytest
from litestar.testing import AsyncTestClient

from smartoffice.integrations.api.live import SUBSCRIPTIONS_PATH
from tests.support.hostile import asgi_websocket

NOT_JSON = 4400
"""graphql-transport-ws: the server closes a connection whose message it cannot read with 4400."""


@pytest.mark.parametrize(
    "message",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"type": "connection_init", "payload": {"n": ' + "9" * 5_000 + "}}",
        '{"type": "connection_init", "payload": {"n": NaN}}',
    ],
    ids=["nested 100,000 deep", "a 5,000-digit number", "NaN"],
)
async def test_a_message_json_cannot_hold_closes_the_connection_as_not_json(
    client: AsyncTestClient, message: str
) -> None:
    """It raised out of strawberry's message loop instead (RecursionError, ValueError): no close code, a server
    error."""
    sent = await asgi_websocket(client, SUBSCRIPTIONS_PATH, [message])

    assert sent[0]["type"] == "websocket.accept"
    assert [m.get("code") for m in sent if m["type"] == "websocket.close"] == [NOT_JSON]
