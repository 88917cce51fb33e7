"""Webhook deliveries, made by a periodic job from the booking events outbox.

The job (:func:`run_webhooks`, registered in :mod:`smartoffice.jobs`) runs in every server process, so every step
is safe to run twice at once:

1. **Fan-out.** New events (``dispatched_at IS NULL``) are claimed with ``FOR UPDATE SKIP LOCKED`` (PostgreSQL;
   SQLite's write lock serialises the transactions), turned into one delivery per matching subscription (a unique
   ``(event, subscription)`` pair) and marked dispatched, in one transaction. Secrets still stored in plaintext
   (from before migration 0009) are sealed in that transaction too.
2. **Claim.** Due deliveries are claimed the same way and leased: ``attempts + 1`` and ``next_attempt_at`` pushed
   a lease ahead, then committed. No transaction stays open while we wait for a receiver.
3. **Send and record.** Each claimed delivery is POSTed (:mod:`~smartoffice.integrations.webhook_transport`: the
   host resolved and every address checked, the checked address connected to, short timeouts, no redirects, the
   response body not read) and its outcome written only if the row is still at the attempt this process claimed:
   a lease that expired and was claimed again by another process is that process's to record.

Each delivery fails on its own: *any* exception while preparing or sending one (a URL the client cannot parse,
an address refused, a secret no key opens, a bug) becomes that delivery's recorded outcome and never touches the
others in the batch. 2xx is delivered; anything else retries after an exponential backoff with jitter, and after
``max_attempts`` the delivery is failed. A refused address is retried like any failure rather than failed at once:
DNS answers and the operator's allowed networks can change, and a refused attempt connects to nothing. Delivery
is at least once (a process dying mid-POST leaves the lease to expire): receivers deduplicate by
``X-SmartOffice-Event-Id``.

Who receives what: an admin's subscription gets every booking's events; anyone else's only events of bookings
they hold or made.
"""

import asyncio
import json
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import httpx
from sqlalchemy import select, update

from smartoffice.backoff import exponential_backoff
from smartoffice.db import Database, utcnow
from smartoffice.errors import DomainError
from smartoffice.ids import encode_id
from smartoffice.integrations.models import BookingEvent, DeliveryStatus, WebhookDelivery, WebhookSubscription
from smartoffice.integrations.sealing import SecretBox, SecretKeyMissing, SecretUnreadable
from smartoffice.integrations.signing import SIGNATURE_HEADER, signature_header
from smartoffice.integrations.webhook_addresses import AddressPolicy, parse_target
from smartoffice.integrations.webhook_secrets import seal_plaintext_secrets, secret_of
from smartoffice.integrations.webhook_transport import (
    AddressRefused,
    Resolver,
    checked_address,
    post_to,
    system_resolver,
    webhook_client,
)
from smartoffice.people.models import Role, RoleAssignment

if TYPE_CHECKING:
    from smartoffice.runtime import Runtime

log = logging.getLogger(__name__)

USER_AGENT = "SmartOffice-Webhooks/1"
MAX_ERROR_LENGTH = 500


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
    event_id: int
    event_type: str
    secret: str | None
    body: bytes | None
    problem: str | None = None
    """Why this delivery could not even be prepared (its secret, its event): it is recorded without sending."""


@dataclass(frozen=True, slots=True)
class _Outcome:
    claimed: _Claimed
    status_code: int | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.error is None and self.status_code is not None and 200 <= self.status_code < 300


@dataclass(slots=True)
class DispatchReport:
    fanned_out: int = 0
    """Events turned into deliveries (or found to have no subscriber)."""
    delivered: int = 0
    retrying: int = 0
    failed: int = 0

    def __bool__(self) -> bool:
        return any((self.fanned_out, self.delivered, self.retrying, self.failed))


def _reason(exc: BaseException) -> str:
    if isinstance(exc, AddressRefused | SecretUnreadable | SecretKeyMissing):
        text = str(exc)
    elif isinstance(exc, DomainError):
        text = f"URL not acceptable ({exc.code})"
    else:
        text = f"{type(exc).__name__}: {exc}"
    return text[:MAX_ERROR_LENGTH]


class WebhookDispatcher:
    def __init__(
        self,
        db: Database,
        clock: Callable[[], datetime] = utcnow,
        *,
        box: SecretBox | None = None,
        policy: AddressPolicy | None = None,
        resolver: Resolver = system_resolver,
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
        self.box = box if box is not None else SecretBox("")
        """Opens the subscriptions' secrets; without a key every delivery fails with a clear reason."""
        self.policy = policy if policy is not None else AddressPolicy()
        self.resolver = resolver
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
            if self.box.can_seal:
                await seal_plaintext_secrets(session, self.box)
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
                claimed.append(self._prepare(delivery, subscription, event))
        return claimed

    def _prepare(self, delivery: WebhookDelivery, subscription: WebhookSubscription, event: BookingEvent) -> _Claimed:
        """What sending needs, or why this one delivery cannot be sent (never an exception for the batch)."""
        common = (delivery.id, delivery.attempts, subscription.url, event.id, f"booking.{event.kind.value}")
        try:
            secret = secret_of(subscription, self.box)
            body = json.dumps(event_body(event), separators=(",", ":")).encode()
        except Exception as exc:
            log.warning("webhook delivery %s cannot be prepared: %s", delivery.id, _reason(exc))
            return _Claimed(*common, secret=None, body=None, problem=_reason(exc))
        return _Claimed(*common, secret=secret, body=body)

    async def _send_all(self, claimed: list[_Claimed]) -> list[_Outcome]:
        limit = asyncio.Semaphore(self.concurrency)
        async with webhook_client(self.transport) as client:

            async def send(item: _Claimed) -> _Outcome:
                async with limit:
                    return await self._send(client, item)

            return list(await asyncio.gather(*(send(item) for item in claimed)))

    async def _send(self, client: httpx.AsyncClient, item: _Claimed) -> _Outcome:
        if item.problem is not None or item.secret is None or item.body is None:
            return _Outcome(item, None, item.problem or "nothing to send")
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
            target = parse_target(item.url)
            address = await checked_address(target, self.policy, self.resolver)
            status, error = await post_to(client, target, address, item.body, headers)
            return _Outcome(item, status, error)
        except Exception as exc:  # any failure is this delivery's alone: recorded, retried, never the batch's
            if not isinstance(exc, httpx.HTTPError | AddressRefused | DomainError):
                log.warning("webhook delivery %s failed unexpectedly", item.delivery_id, exc_info=True)
            return _Outcome(item, None, _reason(exc))

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
        return exponential_backoff(attempt, self.base_delay, self.max_delay, self.jitter())


def _receives(subscription: WebhookSubscription, event: BookingEvent, owner_is_admin: bool) -> bool:
    if event.kind.value not in subscription.event_kinds or subscription.created_at > event.occurred_at:
        return False
    involved = (event.employee_id, event.payload["booking"]["bookedById"])
    return owner_is_admin or subscription.owner_id in involved


async def run_webhooks(runtime: "Runtime") -> DispatchReport:
    """The periodic job: fan out new booking events and make the deliveries that are due."""
    settings = runtime.settings
    return await WebhookDispatcher(
        runtime.db,
        runtime.clock,
        box=SecretBox.from_settings(settings),
        policy=AddressPolicy(settings.webhook_allowed_networks),
    ).run_once()
