"""Webhook subscriptions: made, listed and deleted over GraphQL; deliveries are :mod:`.webhook_delivery`'s.

A subscription's URL passes :func:`~smartoffice.integrations.webhook_addresses.check_url` (normalised, https to a
public host or an allowed network) and its secret is sealed (:mod:`~smartoffice.integrations.sealing`) before
it is stored; the secret is returned once, to its creator.
"""

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Self

from sqlalchemy import ColumnElement, and_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.db import MAX_PAGE_SIZE, Database, utcnow
from smartoffice.errors import CommonInputCode, InvalidInput, NotFound, PermissionDenied
from smartoffice.integrations.errors import WebhookInputCode, WebhookPermissionCode
from smartoffice.integrations.models import (
    BookingEvent,
    DeliveryStatus,
    EventKind,
    WebhookDelivery,
    WebhookSubscription,
)
from smartoffice.integrations.sealing import SecretBox
from smartoffice.integrations.webhook_addresses import AddressPolicy, check_url
from smartoffice.integrations.webhook_delivery import WebhookDispatcher, run_webhooks
from smartoffice.people import roles
from smartoffice.settings import Settings

__all__ = ["DeliveryPage", "WebhookDispatcher", "WebhookService", "check_url", "run_webhooks"]
"""``WebhookDispatcher`` and ``run_webhooks`` live in :mod:`.webhook_delivery`; imported from here by the jobs."""

MAX_SUBSCRIPTIONS_PER_OWNER = 20


@dataclass(frozen=True, slots=True)
class DeliveryPage:
    deliveries: Sequence[tuple[WebhookDelivery, EventKind]]
    """Newest first, each with the kind of its event."""
    has_next: bool


class WebhookService:
    def __init__(
        self,
        db: Database,
        clock: Callable[[], datetime] = utcnow,
        *,
        allow_loopback_http: bool,
        policy: AddressPolicy | None = None,
        box: SecretBox | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.allow_loopback_http = allow_loopback_http
        """``http://`` to a loopback host is accepted (debug, demo, tests; never in production)."""
        self.policy = policy if policy is not None else AddressPolicy()
        self.box = box if box is not None else SecretBox("")
        """Seals new secrets; without a secret key, creating a subscription fails (nothing is stored in clear)."""

    @classmethod
    def from_settings(cls, db: Database, settings: Settings, clock: Callable[[], datetime] = utcnow) -> Self:
        return cls(
            db,
            clock,
            allow_loopback_http=not settings.is_production,
            policy=AddressPolicy(settings.webhook_allowed_networks),
            box=SecretBox.from_settings(settings),
        )

    async def create(
        self, actor_id: int, url: str, kinds: Sequence[EventKind], description: str | None = None
    ) -> tuple[WebhookSubscription, str]:
        """A new subscription owned by the actor, and its secret (shown this once)."""
        url = check_url(url, allow_loopback_http=self.allow_loopback_http, policy=self.policy)
        if not kinds:
            raise InvalidInput("eventKinds", WebhookInputCode.NO_EVENT_KINDS)
        if description is not None and len(description) > 200:
            raise InvalidInput("description", CommonInputCode.TEXT_TOO_LONG, max=200)
        secret = "whsec_" + secrets.token_urlsafe(32)
        sealed = self.box.seal(secret)
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
                secret="",
                sealed_secret=sealed,
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
