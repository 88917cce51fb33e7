"""Webhook management and the calendar feed URL over GraphQL, through the real app."""

from dataclasses import replace

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import text

from smartoffice.ids import encode_id
from smartoffice.integrations.sealing import SecretBox
from smartoffice.people.models import Role
from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from tests.factories import Factory
from tests.support.graphql import GraphQL

CREATE = {"url": "http://127.0.0.1:9/hooks", "eventKinds": ["CREATED", "CANCELLED"], "description": "e-presensi"}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # demo mode: the x-demo-employee header identifies callers, and (not production) loopback http is allowed;
    # 127.0.0.1 itself must be an allowed network, as an operator would allow an internal receiver
    return replace(settings, demo_mode=True, webhook_allowed_networks=("127.0.0.1/32",))


class TestWebhookSubscriptions:
    async def test_create_shows_the_secret_once_then_list_and_delete(self, graphql: GraphQL, factory: Factory) -> None:
        person = await factory.employee()

        created = (await graphql("CreateWebhookSubscription", {"input": CREATE}, as_employee=person.id))["data"]
        result = created["createWebhookSubscription"]
        assert result["__typename"] == "CreateWebhookSubscriptionSuccess"
        assert result["secret"].startswith("whsec_") and len(result["secret"]) > 40
        assert result["subscription"]["eventKinds"] == ["CANCELLED", "CREATED"]
        subscription_id = result["subscription"]["id"]

        listed = (await graphql("WebhookSubscriptions", as_employee=person.id))["data"]["webhookSubscriptions"]
        assert [s["id"] for s in listed] == [subscription_id]
        assert "secret" not in listed[0]

        deleted = await graphql(
            "DeleteWebhookSubscription", {"input": {"subscriptionId": subscription_id}}, as_employee=person.id
        )
        assert deleted["data"]["deleteWebhookSubscription"] == {
            "__typename": "DeleteWebhookSubscriptionSuccess",
            "subscriptionId": subscription_id,
        }
        assert (await graphql("WebhookSubscriptions", as_employee=person.id))["data"]["webhookSubscriptions"] == []

    async def test_a_url_that_is_not_allowed_is_a_validation_error(self, graphql: GraphQL, factory: Factory) -> None:
        person = await factory.employee()
        variables = {"input": {**CREATE, "url": "http://hooks.example.go.id/x"}}

        result = (await graphql("CreateWebhookSubscription", variables, as_employee=person.id))["data"]

        assert result["createWebhookSubscription"]["__typename"] == "ValidationError"
        assert result["createWebhookSubscription"]["code"] == "WEBHOOK_URL_NOT_ALLOWED"

    @pytest.mark.parametrize(
        "url",
        [
            "https://2130706433:8118/",
            "https://0x7f000001/",
            "https://127.1/",
            "https://0177.0.0.1/",
            "https://0/",
            "https://2852039166/",
        ],
    )
    async def test_odd_ip_spellings_are_validation_errors(self, graphql: GraphQL, factory: Factory, url: str) -> None:
        person = await factory.employee()
        variables = {"input": {**CREATE, "url": url}}

        result = (await graphql("CreateWebhookSubscription", variables, as_employee=person.id))["data"]

        refused = result["createWebhookSubscription"]
        assert (refused["__typename"], refused["field"], refused["code"]) == (
            "ValidationError",
            "url",
            "WEBHOOK_IP_SPELLING",
        )

    async def test_a_private_address_outside_the_allowed_networks_is_a_validation_error(
        self, graphql: GraphQL, factory: Factory
    ) -> None:
        person = await factory.employee()
        variables = {"input": {**CREATE, "url": "https://169.254.169.254/latest/meta-data/"}}

        result = (await graphql("CreateWebhookSubscription", variables, as_employee=person.id))["data"]

        assert result["createWebhookSubscription"]["code"] == "WEBHOOK_ADDRESS_NOT_PUBLIC"

    async def test_the_secret_shown_once_is_stored_sealed(
        self, graphql: GraphQL, factory: Factory, runtime: Runtime, settings: Settings
    ) -> None:
        person = await factory.employee()

        created = (await graphql("CreateWebhookSubscription", {"input": CREATE}, as_employee=person.id))["data"]

        secret = created["createWebhookSubscription"]["secret"]
        async with runtime.db.read() as session:
            [(plaintext, sealed)] = (
                await session.execute(text("SELECT secret, sealed_secret FROM webhook_subscriptions"))
            ).all()
        assert plaintext == "" and secret not in sealed
        assert SecretBox.from_settings(settings.with_secret()).open(sealed) == secret

    async def test_someone_elses_subscription_cannot_be_seen_or_deleted_except_by_an_admin(
        self, graphql: GraphQL, factory: Factory
    ) -> None:
        owner, stranger, admin = await factory.employee(), await factory.employee(), await factory.employee()
        await factory.role(admin, Role.ADMIN)
        body = await graphql("CreateWebhookSubscription", {"input": CREATE}, as_employee=owner.id)
        subscription_id = body["data"]["createWebhookSubscription"]["subscription"]["id"]
        ident = {"subscriptionId": subscription_id}

        assert (await graphql("WebhookDeliveries", ident, as_employee=stranger.id))["data"] == {
            "webhookDeliveries": None
        }
        refused = await graphql("DeleteWebhookSubscription", {"input": ident}, as_employee=stranger.id)
        assert refused["data"]["deleteWebhookSubscription"]["__typename"] == "PermissionDeniedError"

        seen = await graphql("WebhookDeliveries", ident, as_employee=admin.id)
        assert seen["data"]["webhookDeliveries"] == {"edges": [], "pageInfo": {"hasNextPage": False, "endCursor": None}}
        deleted = await graphql("DeleteWebhookSubscription", {"input": ident}, as_employee=admin.id)
        assert deleted["data"]["deleteWebhookSubscription"]["__typename"] == "DeleteWebhookSubscriptionSuccess"
        unknown = {"subscriptionId": encode_id("WebhookSubscription", 999999)}
        gone = await graphql("DeleteWebhookSubscription", {"input": unknown}, as_employee=admin.id)
        assert gone["data"]["deleteWebhookSubscription"]["__typename"] == "NotFoundError"

    async def test_anonymous_callers_are_refused(self, graphql: GraphQL) -> None:
        body = await graphql("CreateWebhookSubscription", {"input": CREATE})
        assert body["data"] is None and body["errors"]


class TestCalendarFeedUrl:
    async def test_rotate_returns_a_working_feed_url_once(
        self, graphql: GraphQL, factory: Factory, client: AsyncTestClient
    ) -> None:
        person = await factory.employee()

        first = (await graphql("RotateCalendarFeed", as_employee=person.id))["data"]["rotateCalendarFeed"]["url"]
        second = (await graphql("RotateCalendarFeed", as_employee=person.id))["data"]["rotateCalendarFeed"]["url"]

        assert first != second and second.endswith(".ics") and "/calendar/cal_" in second
        path = second[second.index("/calendar/") :]
        assert (await client.get(path)).status_code == 200
        assert (await client.get(first[first.index("/calendar/") :])).status_code == 404
