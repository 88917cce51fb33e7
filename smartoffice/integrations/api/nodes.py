"""Webhook subscriptions and deliveries by global id for ``node(id:)``: login sessions only, and only the
subscription's owner or an administrator, as ``webhookDeliveries`` decides (deleted subscriptions: none)."""

from collections.abc import Mapping

from strawberry import relay

from smartoffice.api.context import Info
from smartoffice.integrations.api.types import WebhookDelivery, WebhookSubscription


async def subscriptions(info: Info, ids: list[int]) -> Mapping[int, relay.Node]:
    actor = info.context.require_session()
    rows = await info.context.runtime.webhooks.subscriptions_by_id(actor, ids)
    return {s.id: WebhookSubscription.from_model(s) for s in rows}


async def deliveries(info: Info, ids: list[int]) -> Mapping[int, relay.Node]:
    actor = info.context.require_session()
    rows = await info.context.runtime.webhooks.deliveries_by_id(actor, ids)
    return {d.id: WebhookDelivery.from_model(d, kind) for d, kind in rows}


RESOLVERS = {"WebhookSubscription": subscriptions, "WebhookDelivery": deliveries}
