"""Booking events: written to the outbox inside the booking's transaction, published to Redis after its commit.

Every place that changes a booking calls :func:`record` once, inside its write transaction. The rows are the
record (webhooks are delivered from them); the live-update messages on Redis pub/sub are a best-effort echo,
sent by :class:`EventPublisher` from the database's after-commit hook, so a rolled-back change is never
announced. Redis down means no live update for that change (logged), never a failed booking.

Channels (plain ``PUBLISH``, which Redis Cluster broadcasts to every node):

* ``so:floor:{floor_id}`` - availability on a floor changed (any booking of a desk or room there);
* ``so:person:{employee_id}`` - a booking of that person changed.

Each message is the compact JSON of :func:`message_of`.
"""

import json
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.availability.breaker import CircuitBreaker
from smartoffice.bookings.models import Booking
from smartoffice.db import utcnow
from smartoffice.integrations.models import BookingEvent, EventKind
from smartoffice.places.models import Building, Floor, Space

log = logging.getLogger(__name__)

PENDING_EVENTS = "smartoffice.booking_events"
"""``session.info`` key: the events a write transaction recorded, published once it commits."""


def floor_channel(floor_id: int) -> str:
    return f"so:floor:{floor_id}"


def person_channel(employee_id: int) -> str:
    return f"so:person:{employee_id}"


async def record(
    session: AsyncSession,
    kind: EventKind,
    bookings: Booking | Sequence[Booking],
    *,
    actor_id: int | None = None,
    cause: str | None = None,
) -> list[BookingEvent]:
    """Add one event per booking to the outbox, in the caller's transaction (flushed with it).

    The bookings must be flushed (have ids). Their place (floor, building time zone) comes from ``booking.space``
    when loaded, else from one query. ``cause`` says why, where the kind alone does not: ``waitlist`` (a freed desk
    granted to the line), ``closure`` (cancelled under a new closure), ``place_retired`` (its space retired); the
    notifications put it into words.
    """
    bookings = [bookings] if isinstance(bookings, Booking) else list(bookings)
    if not bookings:
        return []
    places = await _places(session, bookings)
    now = utcnow()
    events = []
    for booking in bookings:
        floor_id, time_zone = places[booking.space_id]
        event = BookingEvent(
            kind=kind,
            booking_id=booking.id,
            employee_id=booking.employee_id,
            space_id=booking.space_id,
            occurred_at=now,
            payload=payload_of(booking, floor_id, time_zone, actor_id, cause),
        )
        events.append(event)
    session.add_all(events)
    session.info.setdefault(PENDING_EVENTS, []).extend(events)
    return events


def payload_of(
    booking: Booking, floor_id: int, time_zone: str, actor_id: int | None, cause: str | None = None
) -> dict[str, Any]:
    """The booking as the change left it: ids are the database's integers (webhooks add API ids)."""
    zone = ZoneInfo(time_zone)
    payload: dict[str, Any] = {
        "booking": {
            "id": booking.id,
            "status": booking.status.value,
            "version": booking.version,
            "spaceKind": booking.space_kind.value,
            "spaceId": booking.space_id,
            "floorId": floor_id,
            "employeeId": booking.employee_id,
            "bookedById": booking.booked_by_id,
            "startAt": booking.start_at.isoformat(),
            "endAt": booking.end_at.isoformat(),
            "dates": [d.isoformat() for d in _local_dates(booking.start_at, booking.end_at, zone)],
            "timeZone": time_zone,
            "seriesId": booking.series_id,
            "reason": booking.cancel_reason,
        },
        "actorId": actor_id,
    }
    if cause is not None:
        payload["cause"] = cause
    return payload


def message_of(event: BookingEvent) -> dict[str, Any]:
    """What subscribers on Redis receive: the event, flat."""
    booking = event.payload["booking"]
    return {"eventId": event.id, "kind": event.kind.value, "occurredAt": event.occurred_at.isoformat()} | {
        ("bookingId" if k == "id" else k): v for k, v in booking.items() if k not in _NOT_BROADCAST
    }


_NOT_BROADCAST = frozenset({"timeZone", "reason"})
"""Left out of live messages: a floor's channel reaches everyone looking at it, and a cancel reason is the
person's (their notifications carry it)."""


class EventPublisher:
    """Publishes a committed transaction's events to Redis; registered as the database's after-commit hook.

    Never raises. A circuit breaker of its own keeps a dead Redis from costing every booking a connect timeout.
    """

    def __init__(self, redis: Redis, breaker: CircuitBreaker | None = None) -> None:
        self.redis = redis
        self.breaker = breaker if breaker is not None else CircuitBreaker()

    async def after_commit(self, session: AsyncSession) -> None:
        events: list[BookingEvent] = session.info.pop(PENDING_EVENTS, [])
        if events:
            await self.publish(events)

    async def publish(self, events: Sequence[BookingEvent]) -> None:
        if not self.breaker.allow():
            log.warning("booking events %s not published: Redis is unavailable", [e.id for e in events])
            return
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                for event in events:
                    body = json.dumps(message_of(event), separators=(",", ":"))
                    pipe.publish(floor_channel(event.payload["booking"]["floorId"]), body)
                    pipe.publish(person_channel(event.employee_id), body)
                await pipe.execute()
        except (RedisError, OSError):
            self.breaker.record_failure()
            log.warning("booking events %s not published to Redis", [e.id for e in events], exc_info=True)
        else:
            self.breaker.record_success()


async def _places(session: AsyncSession, bookings: list[Booking]) -> dict[int, tuple[int, str]]:
    """Space id → (floor id, building time zone), from the loaded relationships or one query."""
    places: dict[int, tuple[int, str]] = {}
    for booking in bookings:
        space = booking.__dict__.get("space")  # loaded or not, without tripping lazy="raise"
        if space is not None and "floor" in space.__dict__ and "building" in space.floor.__dict__:
            places[booking.space_id] = (space.floor_id, space.floor.building.time_zone)
    missing = {b.space_id for b in bookings} - places.keys()
    if missing:
        rows = await session.execute(
            select(Space.id, Space.floor_id, Building.time_zone)
            .join(Floor, Floor.id == Space.floor_id)
            .join(Building, Building.id == Floor.building_id)
            .where(Space.id.in_(sorted(missing)))
        )
        places.update({space_id: (floor_id, time_zone) for space_id, floor_id, time_zone in rows})
    return places


def _local_dates(start_at: datetime, end_at: datetime, zone: ZoneInfo) -> list[Any]:
    first = start_at.astimezone(zone).date()
    last = (end_at - timedelta(microseconds=1)).astimezone(zone).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]
