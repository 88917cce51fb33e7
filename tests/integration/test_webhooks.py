"""Webhooks: booking events delivered to a real HTTP server on loopback, signed, retried, recorded.

The receiver (``tests/support/webhooks.py``) checks each request's signature the way the README tells integrators
to, with nothing of ours, and answers the statuses the test scripts. It listens on 127.0.0.1, so the services
here allow 127.0.0.1/32 as an operator would with ``SMARTOFFICE_WEBHOOK_ALLOWED_NETWORKS``.
"""

import asyncio
import time as wall
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from smartoffice.errors import InvalidInput, NotFound, PermissionDenied
from smartoffice.ids import encode_id
from smartoffice.integrations import signing
from smartoffice.integrations.models import BookingEvent, DeliveryStatus, EventKind, WebhookDelivery
from smartoffice.integrations.webhook_addresses import AddressPolicy
from smartoffice.integrations.webhooks import WebhookDispatcher, WebhookService, check_url
from smartoffice.people.models import Role
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.bookings import book_desk
from tests.support.clock import Clock, install_clock
from tests.support.webhooks import (
    Receiver,
    all_deliveries,
    running_receiver,
    verify_like_an_integrator,
    webhook_dispatcher,
    webhook_service,
)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as endpoint:
        yield endpoint


@pytest.fixture
def clock(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> Clock:
    return install_clock(runtime, monkeypatch)  # DAY, a working Tuesday: bookings are valid then


def service(runtime: Runtime) -> WebhookService:
    return webhook_service(runtime)


def dispatcher(runtime: Runtime, now: Clock, **overrides: Any) -> WebhookDispatcher:
    """Backoff with a fixed jitter (0.5): the first retry is due 22.5 s after a failure."""
    return webhook_dispatcher(runtime, now, **overrides)


async def deliveries(runtime: Runtime) -> list[WebhookDelivery]:
    return await all_deliveries(runtime)


class TestDelivery:
    async def test_signed_delivery_fails_once_then_succeeds_on_retry(
        self, runtime: Runtime, factory: Factory, clock: Clock, receiver: Receiver
    ) -> None:
        # given an employee's subscription to their own "created" events, and a receiver that fails once
        desk, person = await factory.desk(), await factory.employee()
        subscription, receiver.secret = await service(runtime).create(person.id, receiver.url, [EventKind.CREATED])
        receiver.statuses = [500]
        booking = await book_desk(runtime, desk, person, time(9), time(12))
        now = Clock(datetime.now(UTC))
        jobs = dispatcher(runtime, now)

        # when the job runs: the event is fanned out and the first attempt fails
        first = await jobs.run_once()
        # then
        assert (first.fanned_out, first.delivered, first.retrying) == (1, 0, 1)
        [delivery] = await deliveries(runtime)
        assert (delivery.status, delivery.attempts, delivery.last_status_code) == (DeliveryStatus.PENDING, 1, 500)
        assert delivery.next_attempt_at == now.now + timedelta(seconds=22.5)

        # when the job runs again before the retry is due, nothing is sent
        now.advance(seconds=22)
        assert not await jobs.run_once()
        assert len(receiver.requests) == 1

        # when it is due, the retry succeeds
        now.advance(seconds=1)
        second = await jobs.run_once()
        assert (second.delivered, second.retrying) == (1, 0)
        [delivery] = await deliveries(runtime)
        assert (delivery.status, delivery.attempts, delivery.last_status_code) == (DeliveryStatus.DELIVERED, 2, 200)
        assert delivery.delivered_at == now.now

        # and the receiver got the same signed event twice, as attempts 1 and 2
        assert [r.signature_ok for r in receiver.requests] == [True, True]
        assert [r.headers["X-SmartOffice-Attempt"] for r in receiver.requests] == ["1", "2"]
        assert len({r.headers["X-SmartOffice-Event-Id"] for r in receiver.requests}) == 1
        body = receiver.requests[1].json
        assert body["type"] == "booking.created"
        assert body["data"]["booking"]["id"] == encode_id("Booking", booking.id)
        assert body["data"]["booking"]["employeeId"] == encode_id("Employee", person.id)
        assert body["data"]["booking"]["status"] == "BOOKED"
        assert receiver.requests[1].headers["X-SmartOffice-Event"] == "booking.created"
        assert subscription.id == delivery.subscription_id

    async def test_gives_up_after_the_last_attempt(
        self, runtime: Runtime, factory: Factory, clock: Clock, receiver: Receiver
    ) -> None:
        desk, person = await factory.desk(), await factory.employee()
        _, receiver.secret = await service(runtime).create(person.id, receiver.url, [EventKind.CREATED])
        receiver.statuses = [503, 503, 503]
        await book_desk(runtime, desk, person, time(9), time(12))
        now = Clock(datetime.now(UTC))
        jobs = dispatcher(runtime, now, max_attempts=3)

        reports = []
        for _ in range(3):
            reports.append(await jobs.run_once())
            now.advance(hours=1)

        assert [(r.retrying, r.failed) for r in reports] == [(1, 0), (1, 0), (0, 1)]
        [delivery] = await deliveries(runtime)
        assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.FAILED, 3, "HTTP 503")
        assert not await jobs.run_once()
        assert len(receiver.requests) == 3

    async def test_an_unreachable_receiver_is_retried(self, runtime: Runtime, factory: Factory, clock: Clock) -> None:
        desk, person = await factory.desk(), await factory.employee()
        await service(runtime).create(person.id, "http://127.0.0.1:1/nobody-listens", [EventKind.CREATED])
        await book_desk(runtime, desk, person, time(9), time(12))

        report = await dispatcher(runtime, Clock(datetime.now(UTC))).run_once()

        assert report.retrying == 1
        [delivery] = await deliveries(runtime)
        assert delivery.last_status_code is None
        assert delivery.last_error is not None and delivery.last_error.startswith("ConnectError")

    async def test_two_processes_deliver_each_event_once(
        self, runtime: Runtime, factory: Factory, clock: Clock, receiver: Receiver
    ) -> None:
        floor = await factory.floor()
        admin = await factory.employee()
        await factory.role(admin, Role.ADMIN)
        _, receiver.secret = await service(runtime).create(admin.id, receiver.url, list(EventKind))
        for _ in range(5):
            await book_desk(runtime, await factory.desk(floor), await factory.employee(), time(9), time(12))
        now = Clock(datetime.now(UTC))

        reports = await asyncio.gather(*(dispatcher(runtime, now).run_once() for _ in range(2)))

        assert sum(r.fanned_out for r in reports) == 5
        assert sum(r.delivered for r in reports) == 5
        assert len(receiver.requests) == 5
        assert len({r.headers["X-SmartOffice-Event-Id"] for r in receiver.requests}) == 5


class TestWhoReceivesWhat:
    async def test_an_employee_gets_their_own_bookings_an_admin_everyones_and_only_the_kinds_chosen(
        self, runtime: Runtime, factory: Factory, clock: Clock, receiver: Receiver
    ) -> None:
        floor = await factory.floor()
        person, colleague, admin = await factory.employee(), await factory.employee(), await factory.employee()
        await factory.role(admin, Role.ADMIN)
        mine, _ = await service(runtime).create(person.id, receiver.url, [EventKind.CREATED, EventKind.CANCELLED])
        everyone, _ = await service(runtime).create(admin.id, receiver.url, [EventKind.CANCELLED])
        own = await book_desk(runtime, await factory.desk(floor), person, time(9), time(12))
        other = await book_desk(runtime, await factory.desk(floor), colleague, time(9), time(12))
        await runtime.bookings.cancel(colleague.id, other.id)

        await WebhookDispatcher(runtime.db, Clock(datetime.now(UTC))).fan_out()

        async with runtime.db.read() as session:
            rows = await session.execute(
                select(WebhookDelivery.subscription_id, BookingEvent.booking_id, BookingEvent.kind).join(
                    BookingEvent, BookingEvent.id == WebhookDelivery.event_id
                )
            )
            got = {tuple(row) for row in rows}
        assert got == {(mine.id, own.id, EventKind.CREATED), (everyone.id, other.id, EventKind.CANCELLED)}

    async def test_a_deleted_subscription_gets_nothing_more(
        self, runtime: Runtime, factory: Factory, clock: Clock, receiver: Receiver
    ) -> None:
        desk, person, stranger = await factory.desk(), await factory.employee(), await factory.employee()
        subscription, receiver.secret = await service(runtime).create(person.id, receiver.url, [EventKind.CREATED])
        await book_desk(runtime, desk, person, time(9), time(12))
        jobs = dispatcher(runtime, Clock(datetime.now(UTC)))
        await jobs.fan_out()

        with pytest.raises(PermissionDenied):
            await service(runtime).delete(stranger.id, subscription.id)
        await service(runtime).delete(person.id, subscription.id)

        assert not (await jobs.run_once()).delivered
        assert receiver.requests == []
        [delivery] = await deliveries(runtime)
        assert (delivery.status, delivery.last_error) == (DeliveryStatus.FAILED, "subscription deleted")
        with pytest.raises(NotFound):
            await service(runtime).delete(person.id, subscription.id)


class TestSigning:
    def test_verify_accepts_its_own_signature_and_rejects_tampering_and_replays(self) -> None:
        body, now = b'{"id":"1"}', 1_800_000_000
        header = signing.signature_header("whsec_x", now, body)
        assert signing.verify("whsec_x", header, body, now + 299)
        assert verify_like_an_integrator("whsec_x", signing.signature_header("whsec_x", int(wall.time()), body), body)
        assert not signing.verify("whsec_x", header, body + b" ", now)
        assert not signing.verify("whsec_y", header, body, now)
        assert not signing.verify("whsec_x", header, body, now + 301)  # a replay, 5 minutes later
        assert not signing.verify("whsec_x", "v1=" + signing.signature("whsec_x", now, body), body, now)
        assert signing.verify("whsec_x", f"{header},v1=deadbeef", body, now)  # any matching v1 (secret rotation)

    def test_backoff_is_exponential_capped_and_jittered(self, runtime: Runtime) -> None:
        low = WebhookDispatcher(runtime.db, jitter=lambda: 0.0)
        high = WebhookDispatcher(runtime.db, jitter=lambda: 1.0)
        assert [low.backoff(n).total_seconds() for n in (1, 2, 3)] == [15, 30, 60]
        assert [high.backoff(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
        assert high.backoff(20) == timedelta(hours=6)


PRODUCTION = AddressPolicy()
"""No allowed networks: public addresses only."""


class TestUrls:
    @pytest.mark.parametrize(
        "url",
        ["https://hooks.example.go.id/smartoffice", "https://1.1.1.1:8443/x"],
    )
    def test_public_https_is_allowed(self, url: str) -> None:
        assert check_url(url, allow_loopback_http=False, policy=PRODUCTION) == url

    @pytest.mark.parametrize(
        ("url", "code"),
        [
            ("http://hooks.example.go.id/x", "WEBHOOK_URL_NOT_ALLOWED"),  # not https
            ("http://127.0.0.1:9000/x", "WEBHOOK_URL_NOT_ALLOWED"),  # loopback http: only in debug and tests
            ("https://127.0.0.1/x", "WEBHOOK_ADDRESS_NOT_PUBLIC"),
            ("https://10.0.0.5/x", "WEBHOOK_ADDRESS_NOT_PUBLIC"),  # private network
            ("https://169.254.169.254/latest/meta-data", "WEBHOOK_ADDRESS_NOT_PUBLIC"),  # cloud metadata
            ("https://user:pw@example.go.id/x", "WEBHOOK_URL_NOT_ALLOWED"),
            ("ftp://example.go.id/x", "WEBHOOK_URL_NOT_ALLOWED"),
            ("https:///x", "WEBHOOK_URL_INVALID"),
        ],
    )
    def test_others_are_refused_in_production(self, url: str, code: str) -> None:
        with pytest.raises(InvalidInput) as refused:
            check_url(url, allow_loopback_http=False, policy=PRODUCTION)
        assert refused.value.code == code

    def test_loopback_http_is_allowed_outside_production_inside_the_allowed_networks(self) -> None:
        loopback = AddressPolicy(["127.0.0.1/32"])
        assert check_url("http://127.0.0.1:9000/x", allow_loopback_http=True, policy=loopback) == (
            "http://127.0.0.1:9000/x"
        )
        with pytest.raises(InvalidInput):
            check_url("http://10.0.0.5/x", allow_loopback_http=True, policy=loopback)
        with pytest.raises(InvalidInput):  # http is allowed there, the address is not
            check_url("http://127.0.0.1:9000/x", allow_loopback_http=True, policy=PRODUCTION)
