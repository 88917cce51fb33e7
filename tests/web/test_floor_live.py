"""The floor page's live stream (/floors/{id}/live) without a browser: what it sends, and that it lets go."""

import asyncio
import dataclasses
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from smartoffice.bookings.service import BookDeskRequest
from smartoffice.integrations.events import floor_channel
from smartoffice.runtime import Runtime, redis_client
from smartoffice.web import floor_live
from smartoffice.web.floor_live import live_events
from tests.factories import Factory
from tests.support.clock import tomorrow
from tests.support.pages import PageClient


async def events(response: httpx.Response) -> AsyncIterator[tuple[str, dict[str, Any]]]:
    """The named events of a text/event-stream response, their data decoded (comments and ``retry`` skipped)."""
    name, data = "message", ""
    async for line in response.aiter_lines():
        if line == "":
            if data:
                yield name, json.loads(data)
            name, data = "message", ""
        elif line.startswith("event: "):
            name = line.removeprefix("event: ")
        elif line.startswith("data: "):
            data += line.removeprefix("data: ")


async def subscribers(redis: Redis, channel: str) -> int:
    [(_, count)] = await redis.pubsub_numsub(channel)
    return int(count)


async def subscribers_settle_at(redis: Redis, channel: str, count: int) -> bool:
    """``channel`` has ``count`` subscribers, polled for up to 10 s: Redis drops a closed client's on its own."""
    for _ in range(100):
        if await subscribers(redis, channel) == count:
            return True
        await asyncio.sleep(0.1)
    return False


async def test_a_booking_made_elsewhere_reaches_the_stream_which_lets_go_on_disconnect(
    server: str, runtime: Runtime, factory: Factory, redis: Redis
) -> None:
    # given: a floor with two desks, watched through the server (another process than this test's)
    floor = await factory.floor()
    desk = await factory.desk(floor, code="L-1")
    other = await factory.desk(floor, code="L-2")
    colleague = await factory.employee(name="Budi Santoso")
    day = tomorrow()
    channel = floor_channel(floor.id)
    before = await subscribers(redis, channel)

    async with (
        httpx.AsyncClient(base_url=server, timeout=10) as client,
        client.stream("GET", f"/floors/{floor.id}/live?date={day}") as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        assert response.headers["cache-control"] == "no-cache"
        assert response.headers["x-accel-buffering"] == "no"
        stream = events(response)

        # the first event holds the whole floor
        name, first = await anext(stream)
        assert name == "desks"
        assert first["day"] == day.isoformat()
        assert first["desks"] == {
            str(desk.id): {"status": "free", "label": "Desk L-1, free", "text": "Free", "team": False},
            str(other.id): {"status": "free", "label": "Desk L-2, free", "text": "Free", "team": False},
        }
        assert first["counts"]["free"] == 2
        assert await subscribers(redis, channel) == before + 1

        # when: a colleague books a desk, through this process (its events go out through Redis)
        await runtime.bookings.book_desk(colleague.id, BookDeskRequest(desk.id, day))

        # then: the next event names that desk only, booked, and never who booked it (nobody acts here)
        name, change = await anext(stream)
        assert name == "desks"
        assert change["desks"] == {
            str(desk.id): {"status": "booked", "label": "Desk L-1, booked", "text": "Booked", "team": False}
        }
        assert change["counts"]["free"] == 1 and change["counts"]["booked"] == 1
        assert change["summary"] == "1 desk is free now."
        assert "Budi" not in json.dumps(change)

    # the visitor left: the stream's subscription goes away (the server notices the disconnect on its own)
    assert await subscribers_settle_at(redis, channel, before)


async def test_an_unknown_floor_is_not_found_and_a_bad_date_is_refused(pages: PageClient, factory: Factory) -> None:
    floor = await factory.floor()

    missing = await pages.get(f"/floors/{floor.id + 1000}/live")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/html")

    for bad in ("2026-02-30", "0001-01-01", "tomorrow"):
        refused = await pages.get(f"/floors/{floor.id}/live?date={bad}")
        assert refused.status_code == 422, bad
        assert 'data-code="invalid_date"' in refused.text

    too_big = await pages.get(f"/floors/{2**70}/live")
    assert too_big.status_code == 404


async def test_without_redis_the_stream_ends_at_once(
    runtime: Runtime, factory: Factory, caplog: pytest.LogCaptureFixture
) -> None:
    # given: Redis refuses connections (the page itself still works: its script retries later, backing off)
    floor = await factory.floor()
    await factory.desk(floor)
    dead = redis_client("redis://127.0.0.1:1/0")
    try:
        # when
        with caplog.at_level(logging.WARNING, logger="smartoffice.web.floor_live"):
            sent = [
                event
                async for event in live_events(dataclasses.replace(runtime, redis=dead), floor.id, None, None, "en")
            ]
    finally:
        await dead.aclose()
    # then: nothing is sent, the stream ends, and why is logged
    assert sent == []
    assert "Redis is unavailable" in caplog.text


async def test_a_quiet_stream_sends_heartbeats_and_lets_go_when_closed(
    runtime: Runtime, factory: Factory, redis: Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: a stream of a floor where nothing happens, with heartbeats every 50 ms instead of 15 s
    monkeypatch.setattr(floor_live, "HEARTBEAT_SECONDS", 0.05)
    floor = await factory.floor()
    await factory.desk(floor)
    channel = floor_channel(floor.id)
    before = await subscribers(redis, channel)
    stream = live_events(runtime, floor.id, tomorrow(), None, "en")

    # when: it has sent the floor, and then nothing changes
    first = await asyncio.wait_for(anext(stream), 10)  # 10 s: fail, rather than hang, if nothing comes
    assert first.event == "desks" and first.retry == floor_live.RETRY_MS
    heartbeat = await asyncio.wait_for(anext(stream), 10)

    # then: a comment keeps the connection open (browsers ignore it), and closing the stream unsubscribes
    assert heartbeat.encode() == b": still here\r\n\r\n"
    assert await subscribers(redis, channel) == before + 1
    await stream.aclose()
    assert await subscribers_settle_at(redis, channel, before)
