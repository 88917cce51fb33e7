"""Webhook subscriptions and deliveries by global id for ``node(id:)``: login sessions only, and only the
subscription's owner or an administrator, as ``webhookDeliveries`` decides (deleted subscriptions: none)."""

from collections.abc import Mapping, Sequence

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from smartoffice.api.context import Info
from smartoffice.integrations.api.types import WebhookDelivery as WebhookDeliveryNode
from smartoffice.integrations.api.types import WebhookSubscription as WebhookSubscriptionNode
from smartoffice.integrations.models import BookingEvent, EventKind, WebhookDelivery, WebhookSubscription
from smartoffice.people import roles


async def _visible(session: AsyncSession, actor_id: int) -> ColumnElement[bool]:
    """Live subscriptions the actor owns, or every live one for an administrator."""
    live = WebhookSubscription.deleted_at.is_(None)
    if await roles.is_admin(session, actor_id):
        return live
    return and_(live, WebhookSubscription.owner_id == actor_id)


async def visible_subscriptions(
    session: AsyncSession, actor_id: int, ids: Sequence[int]
) -> Sequence[WebhookSubscription]:
    query = select(WebhookSubscription).where(WebhookSubscription.id.in_(ids), await _visible(session, actor_id))
    return (await session.scalars(query)).all()


async def visible_deliveries(
    session: AsyncSession, actor_id: int, ids: Sequence[int]
) -> list[tuple[WebhookDelivery, EventKind]]:
    query = (
        select(WebhookDelivery, BookingEvent.kind)
        .join(BookingEvent, BookingEvent.id == WebhookDelivery.event_id)
        .join(WebhookSubscription, WebhookSubscription.id == WebhookDelivery.subscription_id)
        .where(WebhookDelivery.id.in_(ids), await _visible(session, actor_id))
    )
    return [(delivery, kind) for delivery, kind in await session.execute(query)]


async def subscriptions(info: Info, ids: list[int]) -> Mapping[int, relay.Node]:
    actor = info.context.require_session()
    async with info.context.runtime.db.read() as session:
        rows = await visible_subscriptions(session, actor, ids)
    return {s.id: WebhookSubscriptionNode.from_model(s) for s in rows}


async def deliveries(info: Info, ids: list[int]) -> Mapping[int, relay.Node]:
    actor = info.context.require_session()
    async with info.context.runtime.db.read() as session:
        rows = await visible_deliveries(session, actor, ids)
    return {d.id: WebhookDeliveryNode.from_model(d, kind) for d, kind in rows}


RESOLVERS = {"WebhookSubscription": subscriptions, "WebhookDelivery": deliveries}
