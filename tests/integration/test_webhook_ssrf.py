"""Webhook deliveries only reach addresses that were checked (issue 10 item 1), and one delivery's failure is its
own (item 2).

"Nothing connects" is measured with a bare listening socket (``tests/support/webhooks.py``'s ``Listener``): a TCP
connection to it completes in the kernel whether or not it is accepted, so counting the queued connections after
the job returned shows every connection the job made.
"""

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, time
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from smartoffice.integrations.models import DeliveryStatus, EventKind, WebhookDelivery, WebhookSubscription
from smartoffice.integrations.sealing import SecretBox
from smartoffice.integrations.webhooks import run_webhooks
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.bookings import book_desk
from tests.support.clock import Clock, install_clock
from tests.support.webhooks import (
    Listener,
    Receiver,
    TestResolver,
    all_deliveries,
    listening_socket,
    running_receiver,
    webhook_dispatcher,
    webhook_service,
)

PUBLIC_ONLY: tuple[str, ...] = ()
"""Production's default: no allowed networks."""


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as endpoint:
        yield endpoint


@pytest.fixture
def listener() -> Iterator[Listener]:
    with listening_socket() as socket:
        yield socket


@pytest.fixture
def clock(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> Clock:
    return install_clock(runtime, monkeypatch)


async def subscribe_and_book(runtime: Runtime, factory: Factory, url: str, **service: Any) -> str:
    """A person subscribed to their own bookings at ``url``, with one booking made: the secret."""
    desk, person = await factory.desk(), await factory.employee()
    _, secret = await webhook_service(runtime, **service).create(person.id, url, [EventKind.CREATED])
    await book_desk(runtime, desk, person, time(9), time(12))
    return secret


async def only_delivery(runtime: Runtime) -> WebhookDelivery:
    [delivery] = await all_deliveries(runtime)
    return delivery


class TestResolvedAddresses:
    async def test_a_name_resolving_to_loopback_is_refused_and_nothing_connects(
        self, runtime: Runtime, factory: Factory, clock: Clock, listener: Listener
    ) -> None:
        # given "localhost" accepted at creation where loopback is allowed, then delivered by a job that allows none
        await subscribe_and_book(runtime, factory, f"http://localhost:{listener.port}/hook")

        report = await webhook_dispatcher(runtime, Clock(datetime.now(UTC)), PUBLIC_ONLY).run_once()

        assert (report.delivered, report.retrying) == (0, 1)
        delivery = await only_delivery(runtime)
        assert delivery.last_error is not None
        assert delivery.last_error.startswith("address refused: localhost resolves to ")
        assert delivery.last_status_code is None
        assert listener.connections() == 0

    async def test_a_made_up_name_resolving_to_127_0_0_1_is_refused(
        self, runtime: Runtime, factory: Factory, clock: Clock, listener: Listener
    ) -> None:
        resolver = TestResolver({"rebind.test": ["127.0.0.1"]})
        await subscribe_and_book(
            runtime,
            factory,
            f"https://rebind.test:{listener.port}/hook",
            allowed=PUBLIC_ONLY,
            allow_loopback_http=False,
        )

        await webhook_dispatcher(runtime, Clock(datetime.now(UTC)), PUBLIC_ONLY, resolver=resolver).run_once()

        delivery = await only_delivery(runtime)
        assert delivery.last_error == "address refused: rebind.test resolves to 127.0.0.1: 127.0.0.1 is loopback"
        assert resolver.lookups == ["rebind.test"]
        assert listener.connections() == 0

    @pytest.mark.parametrize(
        ("address", "kind"),
        [
            ("::1", "loopback"),
            ("::ffff:127.0.0.1", "loopback"),  # judged as the IPv4 address it maps
            ("fe80::1", "link-local"),
            ("169.254.169.254", "link-local"),
            ("10.0.0.8", "private"),
            ("::", "unspecified"),
            ("64:ff9b::a9fe:a9fe", "link-local"),  # NAT64 around 169.254.169.254
        ],
    )
    async def test_non_public_addresses_are_refused_at_delivery(
        self, runtime: Runtime, factory: Factory, clock: Clock, address: str, kind: str
    ) -> None:
        resolver = TestResolver({"inside.test": [address]})
        await subscribe_and_book(runtime, factory, "https://inside.test/hook", allowed=PUBLIC_ONLY)

        await webhook_dispatcher(runtime, Clock(datetime.now(UTC)), PUBLIC_ONLY, resolver=resolver).run_once()

        delivery = await only_delivery(runtime)
        assert delivery.status == DeliveryStatus.PENDING and delivery.last_error is not None
        assert delivery.last_error.startswith("address refused: inside.test resolves to ")
        assert delivery.last_error.endswith(f" is {kind}")

    async def test_one_refused_address_among_public_ones_refuses_the_delivery(
        self, runtime: Runtime, factory: Factory, clock: Clock
    ) -> None:
        sent: list[httpx.Request] = []
        transport = httpx.MockTransport(lambda request: sent.append(request) or httpx.Response(204))
        resolver = TestResolver({"mixed.test": ["93.184.216.34", "127.0.0.1"]})
        await subscribe_and_book(runtime, factory, "https://mixed.test/hook", allowed=PUBLIC_ONLY)

        jobs = webhook_dispatcher(
            runtime, Clock(datetime.now(UTC)), PUBLIC_ONLY, resolver=resolver, transport=transport
        )
        await jobs.run_once()

        assert sent == []
        assert (await only_delivery(runtime)).last_error == (
            "address refused: mixed.test resolves to 127.0.0.1: 127.0.0.1 is loopback"
        )

    async def test_the_checked_address_is_connected_to_with_the_host_name_for_http_and_tls(
        self, runtime: Runtime, factory: Factory, clock: Clock
    ) -> None:
        # given a name that a second lookup would answer differently (DNS rebinding)
        sent: list[httpx.Request] = []
        transport = httpx.MockTransport(lambda request: sent.append(request) or httpx.Response(204))
        resolver = TestResolver({"hooks.example.test": ["93.184.216.34"]})
        await subscribe_and_book(runtime, factory, "https://Hooks.Example.test:8443/in?x=1", allowed=PUBLIC_ONLY)

        jobs = webhook_dispatcher(
            runtime, Clock(datetime.now(UTC)), PUBLIC_ONLY, resolver=resolver, transport=transport
        )
        report = await jobs.run_once()

        # then it was resolved once, and the request names the address itself
        assert report.delivered == 1 and resolver.lookups == ["hooks.example.test"]
        [request] = sent
        assert str(request.url) == "https://93.184.216.34:8443/in?x=1"
        assert request.headers["Host"] == "hooks.example.test:8443"
        assert request.extensions["sni_hostname"] == "hooks.example.test"  # TLS: SNI and certificate name


class TestAllowedNetworks:
    async def test_an_allowed_network_is_delivered_to(
        self, runtime: Runtime, factory: Factory, clock: Clock, receiver: Receiver
    ) -> None:
        receiver.secret = await subscribe_and_book(runtime, factory, receiver.url)

        report = await webhook_dispatcher(runtime, Clock(datetime.now(UTC)), ["127.0.0.0/8"]).run_once()

        assert report.delivered == 1
        assert [r.signature_ok for r in receiver.requests] == [True]

    async def test_without_the_allowance_the_same_delivery_is_refused_and_nothing_connects(
        self, runtime: Runtime, factory: Factory, clock: Clock, listener: Listener
    ) -> None:
        # given a subscription made where 127.0.0.1/32 is allowed (as in the tests' settings)
        await subscribe_and_book(runtime, factory, f"http://127.0.0.1:{listener.port}/hook")

        # when the job runs with production's default (no allowed networks)
        report = await webhook_dispatcher(runtime, Clock(datetime.now(UTC)), PUBLIC_ONLY).run_once()

        # then
        assert report.retrying == 1
        assert (await only_delivery(runtime)).last_error == "address refused: 127.0.0.1 is loopback"
        assert listener.connections() == 0

    async def test_a_redirect_is_not_followed(
        self, runtime: Runtime, factory: Factory, clock: Clock, receiver: Receiver, listener: Listener
    ) -> None:
        # given a receiver that redirects to another loopback port (allowed itself: no redirect is followed at all)
        target = f"http://127.0.0.1:{listener.port}/metadata"
        receiver.redirect_to = target
        receiver.secret = await subscribe_and_book(runtime, factory, receiver.url)

        report = await webhook_dispatcher(runtime, Clock(datetime.now(UTC))).run_once()

        assert (report.delivered, report.retrying) == (0, 1)
        delivery = await only_delivery(runtime)
        assert delivery.last_status_code == 302
        assert delivery.last_error == f"HTTP 302: redirect to {target} not followed"
        assert len(receiver.requests) == 1
        assert listener.connections() == 0


class TestTheJob:
    async def test_the_job_takes_the_allowed_networks_and_the_key_from_the_settings(
        self,
        runtime: Runtime,
        factory: Factory,
        clock: Clock,
        receiver: Receiver,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        # given a subscription to a loopback receiver, its secret sealed under the settings' key
        receiver.secret = await subscribe_and_book(runtime, factory, receiver.url)

        # when the job runs with settings that allow nothing but public addresses
        monkeypatch.setattr(runtime, "settings", replace(runtime.settings, webhook_allowed_networks=()))
        refused = await run_webhooks(runtime)
        # then nothing was sent
        assert (refused.delivered, refused.retrying) == (0, 1)
        assert receiver.requests == []

        # when it runs with 127.0.0.1 allowed and the retry due
        monkeypatch.setattr(runtime, "settings", replace(runtime.settings, webhook_allowed_networks=("127.0.0.1/32",)))
        clock.advance(minutes=10)
        allowed = await run_webhooks(runtime)
        # then it was delivered, signed with the secret shown at creation
        assert allowed.delivered == 1
        assert [r.signature_ok for r in receiver.requests] == [True]


class ExplodingTransport(httpx.AsyncBaseTransport):
    """The real transport, except that a request for ``boom.test`` raises what no HTTP client should: a bug."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.headers["Host"].startswith("boom.test"):
            raise ValueError("boom")
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


class TestOneFailureIsItsOwn:
    async def test_a_bad_url_and_an_unexpected_exception_leave_the_rest_of_the_batch_delivered_once(
        self, runtime: Runtime, factory: Factory, clock: Clock, receiver: Receiver
    ) -> None:
        with running_receiver() as second:
            await self.check_batch(runtime, factory, [receiver, second])

    async def check_batch(self, runtime: Runtime, factory: Factory, receivers: list[Receiver]) -> None:
        # given two good subscriptions, one legacy row with a URL the creation check would refuse today, and one
        # whose sending raises something that is no httpx.HTTPError
        desk, person = await factory.desk(), await factory.employee()
        service = webhook_service(runtime)
        for receiver in receivers:
            _, receiver.secret = await service.create(person.id, receiver.url, [EventKind.CREATED])
        box = SecretBox.from_settings(runtime.settings)
        async with runtime.db.write() as session:
            session.add(
                WebhookSubscription(
                    owner_id=person.id,
                    url="https://0177.0.0.1/",  # httpx raised InvalidURL for it: not an HTTPError
                    event_kinds=["created"],
                    sealed_secret=box.seal("whsec_legacy"),
                )
            )
        await service.create(person.id, "https://boom.test/hook", [EventKind.CREATED])
        await book_desk(runtime, desk, person, time(9), time(12))
        now = Clock(datetime.now(UTC))
        resolver = TestResolver({"boom.test": ["127.0.0.1"]})
        jobs = webhook_dispatcher(runtime, now, resolver=resolver, transport=ExplodingTransport(), max_attempts=2)

        # when the job runs
        report = await jobs.run_once()

        # then the good ones are delivered and recorded, each bad one has its own recorded failure
        assert (report.delivered, report.retrying, report.failed) == (2, 2, 0)
        by_url = await deliveries_by_url(runtime)
        assert [by_url[r.url][0].status for r in receivers] == [DeliveryStatus.DELIVERED] * 2
        legacy = by_url["https://0177.0.0.1/"][0]
        assert (legacy.status, legacy.attempts) == (DeliveryStatus.PENDING, 1)
        assert legacy.last_error == "URL not acceptable (WEBHOOK_IP_SPELLING)"
        assert by_url["https://boom.test/hook"][0].last_error == "ValueError: boom"

        # when the job runs again after the lease (2 minutes) and the retries are due
        now.advance(minutes=3)
        again = await jobs.run_once()

        # then each good delivery was received exactly once; the bad ones failed for good on their last attempt
        assert (again.delivered, again.failed) == (0, 2)
        assert [len(r.requests) for r in receivers] == [1, 1]
        assert all(r.requests[0].signature_ok for r in receivers)
        by_url = await deliveries_by_url(runtime)
        assert [d.status for d in by_url["https://0177.0.0.1/"] + by_url["https://boom.test/hook"]] == [
            DeliveryStatus.FAILED
        ] * 2


async def deliveries_by_url(runtime: Runtime) -> dict[str, list[WebhookDelivery]]:
    async with runtime.db.read() as session:
        rows = await session.execute(
            select(WebhookSubscription.url, WebhookDelivery)
            .join(WebhookDelivery, WebhookDelivery.subscription_id == WebhookSubscription.id)
            .order_by(WebhookDelivery.id)
        )
        grouped: dict[str, list[WebhookDelivery]] = {}
        for url, delivery in rows:
            grouped.setdefault(url, []).append(delivery)
    return grouped
