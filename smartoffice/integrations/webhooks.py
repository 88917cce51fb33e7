"""Webhooks: subscriptions managed over GraphQL, deliveries made by a periodic job from the booking events outbox.

The job (:func:`run_webhooks`, registered in :mod:`smartoffice.jobs`) runs in every server process, so every step
is safe to run twice at once:

1. **Fan-out.** New events (``dispatched_at IS NULL``) are claimed with ``FOR UPDATE SKIP LOCKED`` (PostgreSQL;
   SQLite's write lock serialises the transactions), turned into one delivery per matching subscription (a unique
   ``(event, subscription)`` pair) and marked dispatched, in one transaction.
2. **Claim.** Due deliveries are claimed the same way and leased: ``attempts + 1`` and ``next_attempt_at`` pushed
   a lease ahead, then committed. No transaction stays open while we wait for a receiver.
3. **Send and record.** Each claimed delivery is POSTed (short timeouts, no redirects, the response body is not
   read) and its outcome written only if the row is still at the attempt this process claimed: a lease that
   expired and was claimed again by another process is that process's to record.

2xx is delivered; anything else (or no answer) retries after an exponential backoff with jitter, and after
``max_attempts`` the delivery is failed. Delivery is at least once (a process dying mid-POST leaves the lease to
expire): receivers deduplicate by ``X-SmartOffice-Event-Id``.

Who receives what: an admin's subscription gets every booking's events; anyone else's only events of bookings
they hold or made.
"""

import asyncio
import ipaddress
import json
import logging
import random
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy import ColumnElement, and_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.db import MAX_PAGE_SIZE, Database, utcnow
from smartoffice.errors import CommonInputCode, InvalidInput, NotFound, PermissionDenied
from smartoffice.ids import encode_id
from smartoffice.integrations.errors import WebhookInputCode, WebhookPermissionCode
from smartoffice.integrations.models import (
    BookingEvent,
    DeliveryStatus,
    EventKind,
    WebhookDelivery,
    WebhookSubscription,
)
from smartoffice.integrations.signing import SIGNATURE_HEADER, signature_header
from smartoffice.people import roles
from smartoffice.people.models import Role, RoleAssignment

if TYPE_CHECKING:
    from smartoffice.runtime import Runtime

log = logging.getLogger(__name__)

MAX_SUBSCRIPTIONS_PER_OWNER = 20
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
TIMEOUT = httpx.Timeout(10.0, connect=3.0)
USER_AGENT = "SmartOffice-Webhooks/1"


# management


def check_url(url: str, *, allow_loopback_http: bool) -> str:
    """``https://`` to a public host; ``http://`` only to loopback, and only when allowed (debug, tests)."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError as exc:
        raise InvalidInput("url", WebhookInputCode.WEBHOOK_URL_NOT_ALLOWED) from exc
    if len(url) > 500 or not host or parts.username or parts.password:
        raise InvalidInput("url", WebhookInputCode.WEBHOOK_URL_NOT_ALLOWED)
    if parts.scheme == "http" and allow_loopback_http and host in LOOPBACK_HOSTS:
        return url.strip()
    if parts.scheme != "https" or host in LOOPBACK_HOSTS or _is_private_address(host):
        raise InvalidInput("url", WebhookInputCode.WEBHOOK_URL_NOT_ALLOWED)
    return url.strip()


def _is_private_address(host: str) -> bool:
    """An IP literal that is not on the public internet (a name is not resolved here: see the README)."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global


@dataclass(frozen=True, slots=True)
class DeliveryPage:
    deliveries: Sequence[tuple[WebhookDelivery, EventKind]]
    """Newest first, each with the kind of its event."""
    has_next: bool


class WebhookService:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow, *, allow_loopback_http: bool) -> None:
        self.db = db
        self.clock = clock
        self.allow_loopback_http = allow_loopback_http

    async def create(
        self, actor_id: int, url: str, kinds: Sequence[EventKind], description: str | None = None
    ) -> tuple[WebhookSubscription, str]:
        """A new subscription owned by the actor, and its secret (shown this once)."""
        url = check_url(url, allow_loopback_http=self.allow_loopback_http)
        if not kinds:
            raise InvalidInput("eventKinds", WebhookInputCode.NO_EVENT_KINDS)
        if description is not None and len(description) > 200:
            raise InvalidInput("description", CommonInputCode.TEXT_TOO_LONG, max=200)
        secret = "whsec_" + secrets.token_urlsafe(32)
        async with self.db.write() as session:
            existing = await session.scalars(
                select(WebhookSubscription.id).where(
                    WebhookSubscription.owner_id == actor_id, WebhookSubscription.deleted_at.is_(None)
                )
            )
            if len(existing.all()) >= MAX_SUBSCRIPTIONS_PER_OWNER:
                raise InvalidInput("url", WebhookInputCode.TOO_MANY_WEBHOOKS, max=MAX_SUBSCRIPTIONS_PER_OWNER)
            subscription = WebhookSubscription(
                owner_id=actor_id,
                url=url,
                event_kinds=sorted({k.value for k in kinds}),
                secret=secret,
                description=description,
                is_active=True,
                created_at=self.clock(),
            )
            session.add(subscription)
        return subscription, secret

    async def delete(self, actor_id: int, subscription_id: int) -> WebhookSubscription:
        """Stop a subscription (its owner or an admin); deliveries not yet made are failed, the record is kept."""
        async with self.db.write() as session:
            subscription = await self._visible(session, actor_id, subscription_id, for_update=True)
            subscription.is_active = False
            subscription.deleted_at = self.clock()
            await session.execute(
                update(WebhookDelivery)
                .where(
                    WebhookDelivery.subscription_id == subscription.id,
                    WebhookDelivery.status == DeliveryStatus.PENDING,
                )
                .values(status=DeliveryStatus.FAILED, last_error="subscription deleted")
            )
        return subscription

    async def mine(self, actor_id: int) -> Sequence[WebhookSubscription]:
        """The actor's subscriptions (at most MAX_SUBSCRIPTIONS_PER_OWNER), newest first."""
        async with self.db.read() as session:
            query = (
                select(WebhookSubscription)
                .where(WebhookSubscription.owner_id == actor_id, WebhookSubscription.deleted_at.is_(None))
                .order_by(WebhookSubscription.id.desc())
            )
            return (await session.scalars(query)).all()

    async def deliveries(
        self, actor_id: int, subscription_id: int, first: int = 20, after: int | None = None
    ) -> DeliveryPage | None:
        """A subscription's deliveries, newest first, keyset-paginated on the delivery id; ``None`` when there is
        no such subscription or it is not the actor's (and they are no admin): as if it did not exist."""
        first = max(1, min(first, MAX_PAGE_SIZE))
        async with self.db.read() as session:
            subscription = await session.get(WebhookSubscription, subscription_id)
            if subscription is None or subscription.deleted_at is not None:
                return None
            if subscription.owner_id != actor_id and not await roles.is_admin(session, actor_id):
                return None
            query = (
                select(WebhookDelivery, BookingEvent.kind)
                .join(BookingEvent, BookingEvent.id == WebhookDelivery.event_id)
                .where(WebhookDelivery.subscription_id == subscription_id)
            )
            if after is not None:
                query = query.where(WebhookDelivery.id < after)
            result = await session.execute(query.order_by(WebhookDelivery.id.desc()).limit(first + 1))
            rows = list(result.all())
        return DeliveryPage(rows[:first], has_next=len(rows) > first)

    async def subscriptions_by_id(self, actor_id: int, ids: Sequence[int]) -> Sequence[WebhookSubscription]:
        """The live subscriptions among ``ids`` the actor owns (an administrator: all of them)."""
        async with self.db.read() as session:
            query = select(WebhookSubscription).where(
                WebhookSubscription.id.in_(ids), await _visible_to(session, actor_id)
            )
            return (await session.scalars(query)).all()

    async def deliveries_by_id(self, actor_id: int, ids: Sequence[int]) -> list[tuple[WebhookDelivery, EventKind]]:
        """The deliveries among ``ids`` of subscriptions the actor may see, each with its event's kind."""
        async with self.db.read() as session:
            query = (
                select(WebhookDelivery, BookingEvent.kind)
                .join(BookingEvent, BookingEvent.id == WebhookDelivery.event_id)
                .join(WebhookSubscription, WebhookSubscription.id == WebhookDelivery.subscription_id)
                .where(WebhookDelivery.id.in_(ids), await _visible_to(session, actor_id))
            )
            return [(delivery, kind) for delivery, kind in await session.execute(query)]

    @staticmethod
    async def _visible(
        session: AsyncSession, actor_id: int, subscription_id: int, *, for_update: bool = False
    ) -> WebhookSubscription:
        query = select(WebhookSubscription).where(
            WebhookSubscription.id == subscription_id, WebhookSubscription.deleted_at.is_(None)
        )
        subscription = await session.scalar(query.with_for_update() if for_update else query)
        if subscription is None:
            raise NotFound("WebhookSubscription", subscription_id)
        if subscription.owner_id != actor_id and not await roles.is_admin(session, actor_id):
            raise PermissionDenied(WebhookPermissionCode.NOT_YOUR_WEBHOOK)
        return subscription


async def _visible_to(session: AsyncSession, actor_id: int) -> ColumnElement[bool]:
    """Live subscriptions the actor owns, or every live one for an administrator."""
    live = WebhookSubscription.deleted_at.is_(None)
    if await roles.is_admin(session, actor_id):
        return live
    return and_(live, WebhookSubscription.owner_id == actor_id)


# delivery


def event_body(event: BookingEvent) -> dict[str, Any]:
    """What a receiver gets: the event with the API's global ids, so it can query GraphQL about it."""
    booking = event.payload["booking"]
    actor_id = event.payload.get("actorId")
    space_type = "Desk" if booking["spaceKind"] == "desk" else "MeetingRoom"
    return {
        "id": str(event.id),
        "type": f"booking.{event.kind.value}",
        "occurredAt": event.occurred_at.isoformat(),
        "data": {
            "booking": {
                "id": encode_id("Booking", booking["id"]),
                "status": booking["status"].upper(),
                "version": booking["version"],
                "spaceKind": booking["spaceKind"].upper(),
                "spaceId": encode_id(space_type, booking["spaceId"]),
                "floorId": encode_id("Floor", booking["floorId"]),
                "employeeId": encode_id("Employee", booking["employeeId"]),
                "bookedById": encode_id("Employee", booking["bookedById"]),
                "startAt": booking["startAt"],
                "endAt": booking["endAt"],
                "dates": booking["dates"],
                "timeZone": booking["timeZone"],
            },
            "actorId": encode_id("Employee", actor_id) if actor_id is not None else None,
        },
    }


@dataclass(frozen=True, slots=True)
class _Claimed:
    delivery_id: int
    attempt: int
    url: str
    secret: str
    event_id: int
    event_type: str
    body: bytes


@dataclass(frozen=True, slots=True)
class _Outcome:
    claimed: _Claimed
    status_code: int | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


@dataclass(slots=True)
class DispatchReport:
    fanned_out: int = 0
    """Events turned into deliveries (or found to have no subscriber)."""
    delivered: int = 0
    retrying: int = 0
    failed: int = 0

    def __bool__(self) -> bool:
        return any((self.fanned_out, self.delivered, self.retrying, self.failed))


class WebhookDispatcher:
    def __init__(
        self,
        db: Database,
        clock: Callable[[], datetime] = utcnow,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        max_attempts: int = 8,
        base_delay: timedelta = timedelta(seconds=30),
        max_delay: timedelta = timedelta(hours=6),
        lease: timedelta = timedelta(minutes=2),
        batch_size: int = 100,
        concurrency: int = 8,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.db = db
        self.clock = clock
        self.transport = transport
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.lease = lease
        self.batch_size = batch_size
        self.concurrency = concurrency
        self.jitter = jitter

    async def run_once(self) -> DispatchReport:
        report = DispatchReport()
        if not await self._has_work():  # a read: idle runs must not take SQLite's write lock every few seconds
            return report
        report.fanned_out = await self.fan_out()
        claimed = await self._claim()
        if claimed:
            outcomes = await self._send_all(claimed)
            await self._record(outcomes, report)
        return report

    async def _has_work(self) -> bool:
        undispatched = select(BookingEvent.id).where(BookingEvent.dispatched_at.is_(None)).limit(1)
        due = (
            select(WebhookDelivery.id)
            .where(WebhookDelivery.status == DeliveryStatus.PENDING, WebhookDelivery.next_attempt_at <= self.clock())
            .limit(1)
        )
        async with self.db.read() as session:
            return (await session.scalar(undispatched)) is not None or (await session.scalar(due)) is not None

    async def fan_out(self) -> int:
        """Turn undispatched events into deliveries; returns how many events this call dispatched."""
        now = self.clock()
        async with self.db.write() as session:
            query = (
                select(BookingEvent)
                .where(BookingEvent.dispatched_at.is_(None))
                .order_by(BookingEvent.id)
                .limit(self.batch_size)
                .with_for_update(skip_locked=True)  # PostgreSQL; SQLite: the write lock already serialises
            )
            events = (await session.scalars(query)).all()
            if not events:
                return 0
            subscriptions = (
                await session.scalars(select(WebhookSubscription).where(WebhookSubscription.is_active.is_(True)))
            ).all()
            admins = set(
                await session.scalars(
                    select(RoleAssignment.employee_id).where(
                        RoleAssignment.role == Role.ADMIN,
                        RoleAssignment.employee_id.in_({s.owner_id for s in subscriptions}),
                    )
                )
            )
            for event in events:
                for subscription in subscriptions:
                    if _receives(subscription, event, subscription.owner_id in admins):
                        session.add(
                            WebhookDelivery(
                                event_id=event.id,
                                subscription_id=subscription.id,
                                status=DeliveryStatus.PENDING,
                                attempts=0,
                                next_attempt_at=now,
                                created_at=now,
                            )
                        )
                event.dispatched_at = now
        return len(events)

    async def _claim(self) -> list[_Claimed]:
        now = self.clock()
        async with self.db.write() as session:
            query = (
                select(WebhookDelivery, WebhookSubscription, BookingEvent)
                .join(WebhookSubscription, WebhookSubscription.id == WebhookDelivery.subscription_id)
                .join(BookingEvent, BookingEvent.id == WebhookDelivery.event_id)
                .where(WebhookDelivery.status == DeliveryStatus.PENDING, WebhookDelivery.next_attempt_at <= now)
                .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
                .limit(self.batch_size)
                .with_for_update(of=WebhookDelivery, skip_locked=True)
            )
            claimed = []
            for delivery, subscription, event in (await session.execute(query)).all():
                delivery.attempts += 1
                delivery.next_attempt_at = now + self.lease
                body = json.dumps(event_body(event), separators=(",", ":")).encode()
                claimed.append(
                    _Claimed(
                        delivery.id,
                        delivery.attempts,
                        subscription.url,
                        subscription.secret,
                        event.id,
                        f"booking.{event.kind.value}",
                        body,
                    )
                )
        return claimed

    async def _send_all(self, claimed: list[_Claimed]) -> list[_Outcome]:
        limit = asyncio.Semaphore(self.concurrency)
        async with httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False, transport=self.transport) as client:

            async def send(item: _Claimed) -> _Outcome:
                async with limit:
                    return await self._send(client, item)

            return list(await asyncio.gather(*(send(item) for item in claimed)))

    async def _send(self, client: httpx.AsyncClient, item: _Claimed) -> _Outcome:
        timestamp = int(time.time())  # the wall clock: receivers compare it with theirs
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-SmartOffice-Event": item.event_type,
            "X-SmartOffice-Event-Id": str(item.event_id),
            "X-SmartOffice-Delivery": str(item.delivery_id),
            "X-SmartOffice-Attempt": str(item.attempt),
            SIGNATURE_HEADER: signature_header(item.secret, timestamp, item.body),
        }
        try:
            # Stream, and never read the body: a receiver's answer is its status code, however much it sends.
            async with client.stream("POST", item.url, content=item.body, headers=headers) as response:
                return _Outcome(
                    item, response.status_code, None if response.is_success else f"HTTP {response.status_code}"
                )
        except httpx.HTTPError as exc:
            return _Outcome(item, None, f"{type(exc).__name__}: {exc}"[:500])

    async def _record(self, outcomes: list[_Outcome], report: DispatchReport) -> None:
        now = self.clock()
        async with self.db.write() as session:
            for outcome in outcomes:
                claimed = outcome.claimed
                values: dict[str, Any] = {"last_status_code": outcome.status_code, "last_error": outcome.error}
                if outcome.ok:
                    values.update(status=DeliveryStatus.DELIVERED, delivered_at=now)
                    report.delivered += 1
                elif claimed.attempt >= self.max_attempts:
                    values.update(status=DeliveryStatus.FAILED)
                    report.failed += 1
                else:
                    values.update(next_attempt_at=now + self.backoff(claimed.attempt))
                    report.retrying += 1
                await session.execute(
                    update(WebhookDelivery)
                    .where(
                        WebhookDelivery.id == claimed.delivery_id,
                        WebhookDelivery.attempts == claimed.attempt,
                        WebhookDelivery.status == DeliveryStatus.PENDING,
                    )
                    .values(**values)
                )
        for outcome in outcomes:
            if not outcome.ok:
                log.info(
                    "webhook delivery %s attempt %s: %s",
                    outcome.claimed.delivery_id,
                    outcome.claimed.attempt,
                    outcome.error,
                )

    def backoff(self, attempt: int) -> timedelta:
        """Delay after failed attempt ``attempt`` (1-based): exponential, capped, with "equal jitter" (half fixed,
        half random) so that receivers coming back up are not hit by every sender at the same instant."""
        delay = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        wait: timedelta = delay / 2 + delay / 2 * self.jitter()
        return wait


def _receives(subscription: WebhookSubscription, event: BookingEvent, owner_is_admin: bool) -> bool:
    if event.kind.value not in subscription.event_kinds or subscription.created_at > event.occurred_at:
        return False
    involved = (event.employee_id, event.payload["booking"]["bookedById"])
    return owner_is_admin or subscription.owner_id in involved


async def run_webhooks(runtime: "Runtime") -> DispatchReport:
    """The periodic job: fan out new booking events and make the deliveries that are due."""
    return await WebhookDispatcher(runtime.db, runtime.clock).run_once()
