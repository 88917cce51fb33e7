"""Talking GraphQL in tests: the operations in ``graphql/operations/``, the ``graphql`` fixture's type, and a
graphql-transport-ws client's few steps for subscriptions over a real WebSocket."""

import asyncio
import json
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from httpx_ws import AsyncWebSocketSession
from litestar.testing import AsyncTestClient
from redis.asyncio import Redis

OPERATIONS = Path(__file__).resolve().parents[2] / "graphql" / "operations"

GraphQL = Callable[..., Awaitable[dict[str, Any]]]
"""The ``graphql`` fixture: ``await graphql(name_or_document, variables, as_employee=..., language=...)``."""


def fix_app_clock(
    client: AsyncTestClient, monkeypatch: pytest.MonkeyPatch, now: datetime, *services: str
) -> Callable[[], datetime]:
    """The app's runtime (opened by the client's lifespan) and its ``services`` (default: bookings and policies) on
    the fixed clock ``now``; the clock."""

    def clock() -> datetime:
        return now

    runtime = client.app.state.runtime
    for service in (runtime, *(getattr(runtime, name) for name in services or ("bookings", "policies"))):
        monkeypatch.setattr(service, "clock", clock)
    return clock


async def data_of(graphql: GraphQL, name: str, variables: dict[str, Any] | None = None, **options: Any) -> Any:
    """The one field an operation answers, asserting it raised no top-level error."""
    body = await graphql(name, variables, **options)
    assert "errors" not in body, body
    (result,) = body["data"].values()
    return result


PROTOCOL = "graphql-transport-ws"
WAIT_SECONDS = 10.0


def operation(name: str) -> str:
    return (OPERATIONS / f"{name}.graphql").read_text()


async def next_message(ws: AsyncWebSocketSession) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(await ws.receive_text(timeout=WAIT_SECONDS))
    return message


async def connect(ws: AsyncWebSocketSession, payload: dict[str, Any]) -> dict[str, Any]:
    await ws.send_text(json.dumps({"type": "connection_init", "payload": payload}))
    return await next_message(ws)


async def listening(redis: Redis, *channels: str) -> None:
    """Wait until a subscriber is on each channel (the server subscribes after the client's ``subscribe``)."""
    deadline = asyncio.get_running_loop().time() + WAIT_SECONDS
    while True:
        counts = dict(await redis.pubsub_numsub(*channels))
        if all(counts.get(c.encode(), 0) >= 1 for c in channels):
            return
        assert asyncio.get_running_loop().time() < deadline, f"nobody subscribed to {channels}: {counts}"
        await asyncio.sleep(0.05)
