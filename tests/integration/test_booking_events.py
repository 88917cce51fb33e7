"""Booking events: one outbox row per committed booking change, published to Redis pub/sub after the commit.

The clock is ``tests.support.clock.install_clock``'s: a fixed working Tuesday in WITA, moved by hand.
"""

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from datetime import time, timedelta
from typing import Any

import pytest
from redis.asyncio.client import PubSub
from sqlalchemy import select

from smartoffice.bookings.recurring import book_series
from smartoffice.bookings.release import release_no_shows
from smartoffice.bookings.requests import BookDeskRequest, BookRoomRequest, CancelScope, RecurringRequest
from smartoffice.errors import BookingConflict
from smartoffice.integrations.events import EventPublisher, floor_channel, person_channel
from smartoffice.integrations.models import BookingEvent, EventKind
from smartoffice.runtime import Runtime, redis_client
from tests.factories import Factory
from tests.support.bookings import book_desk
from tests.support.clock import DAY, Clock, at, install_clock

WAIT_SECONDS = 5.0


@pytest.fixture
def clock(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> Clock:
    return install_clock(runtime, monkeypatch)


@pytest.fixture
async def listener(runtime: Runtime) -> AsyncIterator[PubSub]:
    pubsub = runtime.redis.pubsub(ignore_subscribe_messages=True)
    yield pubsub
    await pubsub.aclose()


async def events_of(runtime: Runtime, booking_id: int | None = None) -> list[BookingEvent]:
    query = select(BookingEvent).order_by(BookingEvent.id)
    if booking_id is not None:
        query = query.where(BookingEvent.booking_id == booking_id)
    async with runtime.db.read() as session:
        return list((await session.scalars(query)).all())


async def received(pubsub: PubSub, count: int) -> list[tuple[str, dict[str, Any]]]:
    """The next ``count`` messages (channel, decoded body); fails if they do not all arrive in time."""
    messages: list[tuple[str, dict[str, Any]]] = []
    deadline = asyncio.get_running_loop().time() + WAIT_SECONDS
    while len(messages) < count:
        left = deadline - asyncio.get_running_loop().time()
        assert left > 0, f"only {len(messages)} of {count} messages arrived: {messages}"
        # None also when the read was a subscribe confirmation (ignored): keep reading until the deadline
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=left)
        if message is not None:
            messages.append((message["channel"].decode(), json.loads(message["data"])))
    return messages


async def nothing_more(pubsub: PubSub) -> None:
    """No message is waiting. Publishing happens before the service call returns, so none can still come; a
    PING through the same connection flushes what Redis had queued before it."""
    await pubsub.ping()
    deadline = asyncio.get_running_loop().time() + WAIT_SECONDS
    while (left := deadline - asyncio.get_running_loop().time()) > 0:
        message = await pubsub.get_message(timeout=left)
        if message is None:  # a subscribe confirmation, ignored
            continue
        assert message["type"] != "message", f"unexpected message {message}"
        if message["type"] == "pong":
            return
    raise AssertionError("no PONG: the listener is not connected")


class TestOutbox:
    async def test_booking_a_desk_records_and_publishes_a_created_event(
        self, runtime: Runtime, factory: Factory, clock: Clock, listener: PubSub
    ) -> None:
        # given someone listening on the floor's and the person's channels
        floor = await factory.floor()
        desk, person = await factory.desk(floor), await factory.employee()
        await listener.subscribe(floor_channel(floor.id), person_channel(person.id))
        # when
        booking = await book_desk(runtime, desk, person, time(9), time(12))
        # then one event is recorded, with the booking as it was committed
        [event] = await events_of(runtime)
        assert (event.kind, event.booking_id, event.employee_id, event.space_id) == (
            EventKind.CREATED,
            booking.id,
            person.id,
            desk.id,
        )
        assert event.payload["booking"] | {"startAt": None, "endAt": None} == {
            "id": booking.id,
            "status": "booked",
            "version": 1,
            "spaceKind": "desk",
            "spaceId": desk.id,
            "floorId": floor.id,
            "employeeId": person.id,
            "bookedById": person.id,
            "startAt": None,
            "endAt": None,
            "dates": [DAY.isoformat()],
            "timeZone": "Asia/Makassar",
            "seriesId": None,
            "reason": None,
        }
        assert event.payload["actorId"] == person.id
        assert event.dispatched_at is None
        # and published on both channels
        messages = await received(listener, 2)
        assert sorted(channel for channel, _ in messages) == sorted(
            [floor_channel(floor.id), person_channel(person.id)]
        )
        assert {body["eventId"] for _, body in messages} == {event.id}
        assert messages[0][1]["kind"] == "created" and messages[0][1]["startAt"] == at(DAY, 9).isoformat()

    async def test_dry_runs_and_refused_bookings_record_and_publish_nothing(
        self, runtime: Runtime, factory: Factory, clock: Clock, listener: PubSub
    ) -> None:
        floor = await factory.floor()
        desk, person, other = await factory.desk(floor), await factory.employee(), await factory.employee()
        await book_desk(runtime, desk, person, time(9), time(12))
        await listener.subscribe(floor_channel(floor.id))

        await runtime.bookings.validate(other.id, BookDeskRequest(desk.id, DAY, time(13), time(14)))
        with pytest.raises(BookingConflict):
            await book_desk(runtime, desk, other, time(10), time(11))

        assert [e.kind for e in await events_of(runtime)] == [EventKind.CREATED]
        await nothing_more(listener)

    async def test_cancelling_a_series_records_one_event_per_booking(
        self, runtime: Runtime, factory: Factory, clock: Clock
    ) -> None:
        desk, person = await factory.desk(), await factory.employee()
        result = await book_series(
            runtime.bookings, person.id, RecurringRequest(desk.id, "FREQ=DAILY;COUNT=3", DAY, time(9), time(10))
        )
        booked = [o.booking for o in result.occurrences if o.booking]
        assert len(booked) == 3

        await runtime.bookings.cancel_bookings(person.id, booked[0].id, CancelScope.THIS_AND_FOLLOWING)

        events = await events_of(runtime)
        assert [(e.kind, e.booking_id) for e in events] == [(EventKind.CREATED, b.id) for b in booked] + [
            (EventKind.CANCELLED, b.id) for b in booked
        ]
        assert {e.payload["booking"]["seriesId"] for e in events} == {result.series.id if result.series else None}
        assert [e.payload["booking"]["version"] for e in events[3:]] == [2, 2, 2]

    async def test_a_series_with_skipped_occurrences_publishes_only_what_was_booked(
        self, runtime: Runtime, factory: Factory, clock: Clock, listener: PubSub
    ) -> None:
        # given a desk already taken on the second day: that occurrence's savepoint rolls back
        floor = await factory.floor()
        desk, person, other = await factory.desk(floor), await factory.employee(), await factory.employee()
        await runtime.bookings.book_desk(other.id, BookDeskRequest(desk.id, DAY + timedelta(days=1), time(9), time(10)))
        await listener.subscribe(person_channel(person.id))
        # when
        result = await book_series(
            runtime.bookings, person.id, RecurringRequest(desk.id, "FREQ=DAILY;COUNT=3", DAY, time(9), time(10))
        )
        # then
        booked = [o.booking.id for o in result.occurrences if o.booking]
        assert len(booked) == 2
        assert [e.booking_id for e in await events_of(runtime) if e.employee_id == person.id] == booked
        assert [body["bookingId"] for _, body in await received(listener, 2)] == booked
        await nothing_more(listener)

    async def test_deciding_checking_in_and_out_and_releasing_are_events(
        self, runtime: Runtime, factory: Factory, clock: Clock
    ) -> None:
        floor = await factory.floor()
        room = await factory.room(floor, requires_approval=True)
        desk, no_show = await factory.desk(floor), await factory.desk(floor)
        approver, person = await factory.employee(), await factory.employee()
        await factory.approver(room, approver)
        meeting = await runtime.bookings.book_room(person.id, BookRoomRequest(room.id, DAY, time(9), time(11)))
        await runtime.bookings.decide(approver.id, meeting.id, accept=True)
        seat = await book_desk(runtime, desk, person, time(12), time(15))
        skipped = await book_desk(runtime, no_show, await factory.employee(), time(9), time(10))
        checkin = runtime.checkins

        clock.now = at(DAY, 9, 5)
        await checkin.check_in(person.id, meeting.id)
        clock.now = at(DAY, 9, 40)
        await checkin.check_out(person.id, meeting.id)
        clock.now = at(DAY, 12)
        await checkin.check_in_at_space(person.id, desk.id)
        assert await release_no_shows(runtime.db, runtime.availability, at(DAY, 9, 30)) == 1

        kinds = {(e.booking_id, e.kind) for e in await events_of(runtime)}
        assert kinds >= {
            (meeting.id, EventKind.DECIDED),
            (meeting.id, EventKind.CHECKED_IN),
            (meeting.id, EventKind.CHECKED_OUT),
            (seat.id, EventKind.CHECKED_IN),
            (skipped.id, EventKind.RELEASED),
        }
        [decided] = [e for e in await events_of(runtime, meeting.id) if e.kind == EventKind.DECIDED]
        assert (decided.payload["booking"]["status"], decided.payload["actorId"]) == ("booked", approver.id)
        [released] = [e for e in await events_of(runtime, skipped.id) if e.kind == EventKind.RELEASED]
        assert released.payload["actorId"] is None
        assert released.payload["booking"]["floorId"] == floor.id  # found by query: the release loads no space


class TestRedisDown:
    async def test_a_booking_succeeds_and_its_event_is_kept_when_redis_is_unreachable(
        self, runtime: Runtime, factory: Factory, clock: Clock, caplog: pytest.LogCaptureFixture
    ) -> None:
        # given a publisher whose Redis refuses connections
        dead = redis_client("redis://127.0.0.1:1/0")
        runtime.db.after_commit[:] = [EventPublisher(dead).after_commit]
        desk, person = await factory.desk(), await factory.employee()
        # when
        with caplog.at_level(logging.WARNING, logger="smartoffice.integrations.events"):
            booking = await book_desk(runtime, desk, person, time(9), time(12))
        await dead.aclose()
        # then the booking and its event are committed; the failure is logged, not raised
        assert [(e.kind, e.booking_id) for e in await events_of(runtime)] == [(EventKind.CREATED, booking.id)]
        assert "not published to Redis" in caplog.text
