"""GraphQL for integrations: webhook management, the calendar feed URL, and live-update subscriptions."""

import base64
import binascii
from collections.abc import AsyncGenerator
from datetime import date, datetime

import strawberry

from smartoffice.api.context import Info, Loaders
from smartoffice.api.pagination import PageInfo
from smartoffice.bookings.api.types import Booking
from smartoffice.errors import CommonInputCode, InvalidInput
from smartoffice.identity.scopes import Scope
from smartoffice.ids import decode_id, id_or_none
from smartoffice.integrations.api.live import channel_messages
from smartoffice.integrations.api.types import (
    BookingEventKind,
    CalendarFeedUrl,
    CreateWebhookSubscriptionInput,
    CreateWebhookSubscriptionResult,
    CreateWebhookSubscriptionSuccess,
    DeleteWebhookSubscriptionInput,
    DeleteWebhookSubscriptionResult,
    DeleteWebhookSubscriptionSuccess,
    FloorAvailabilityChange,
    MyBookingChange,
    WebhookDelivery,
    WebhookDeliveryConnection,
    WebhookDeliveryEdge,
    WebhookSubscription,
)
from smartoffice.integrations.calendar_feed import feed_path
from smartoffice.integrations.events import floor_channel, person_channel
from smartoffice.integrations.models import EventKind


def _cursor(delivery_id: int) -> str:
    return base64.urlsafe_b64encode(f"delivery|{delivery_id}".encode()).decode()


def _after(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    try:
        kind, ident = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        if kind != "delivery":
            raise ValueError(kind)
        return int(ident)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidInput("after", CommonInputCode.INVALID_CURSOR) from exc


def _subscription_id(value: str) -> int:
    return decode_id(value, "WebhookSubscription", "subscriptionId")


@strawberry.type
class IntegrationsQuery:
    @strawberry.field(description="Your webhook subscriptions, newest first (at most 20).")
    async def webhook_subscriptions(self, info: Info) -> list[WebhookSubscription]:
        rows = await info.context.runtime.webhooks.mine(info.context.require_session())
        return [WebhookSubscription.from_model(s) for s in rows]

    @strawberry.field(
        description="Deliveries of one of your webhook subscriptions (admins: any), newest first; null if there "
        "is no such subscription or it is not yours."
    )
    async def webhook_deliveries(
        self, info: Info, subscription_id: strawberry.ID, first: int = 20, after: str | None = None
    ) -> WebhookDeliveryConnection | None:
        viewer = info.context.require_session()
        subscription = id_or_none(subscription_id, "WebhookSubscription")
        if subscription is None:
            return None
        after_id = _after(after)  # a cursor we did not issue is the caller's bug: a top-level error
        page = await info.context.runtime.webhooks.deliveries(viewer, subscription, first, after_id)
        if page is None:  # none, or not yours: as if it did not exist
            return None
        edges = [
            WebhookDeliveryEdge(cursor=_cursor(d.id), node=WebhookDelivery.from_model(d, kind))
            for d, kind in page.deliveries
        ]
        return WebhookDeliveryConnection(
            edges=edges,
            page_info=PageInfo(has_next_page=page.has_next, end_cursor=edges[-1].cursor if edges else None),
        )


@strawberry.type
class IntegrationsMutation:
    @strawberry.mutation(description="Send booking events to an endpoint of yours (admins: every booking's).")
    async def create_webhook_subscription(
        self, info: Info, input: CreateWebhookSubscriptionInput
    ) -> CreateWebhookSubscriptionResult:
        viewer = info.context.require_session()
        kinds = [EventKind[k.name] for k in input.event_kinds]
        subscription, secret = await info.context.runtime.webhooks.create(viewer, input.url, kinds, input.description)
        return CreateWebhookSubscriptionSuccess(
            subscription=WebhookSubscription.from_model(subscription), secret=secret
        )

    @strawberry.mutation(description="Delete a webhook subscription (its owner or an admin).")
    async def delete_webhook_subscription(
        self, info: Info, input: DeleteWebhookSubscriptionInput
    ) -> DeleteWebhookSubscriptionResult:
        viewer = info.context.require_session()
        await info.context.runtime.webhooks.delete(viewer, _subscription_id(input.subscription_id))
        return DeleteWebhookSubscriptionSuccess(subscription_id=input.subscription_id)

    @strawberry.mutation(
        description="A new secret URL for your calendar feed (iCal), shown only this once; the old one stops working."
    )
    async def rotate_calendar_feed(self, info: Info) -> CalendarFeedUrl:
        viewer = info.context.require_session()
        token = await info.context.runtime.calendar_feeds.rotate(viewer)
        request = info.context.request
        base = str(request.base_url).rstrip("/") if request is not None else ""
        return CalendarFeedUrl(url=base + feed_path(token))


@strawberry.type
class IntegrationsSubscription:
    @strawberry.subscription(
        description="Changes of availability on a floor on a local date, as they happen (WebSocket at /graphql/ws)."
    )
    async def floor_availability_changed(
        self, info: Info, floor_id: strawberry.ID, date: date
    ) -> AsyncGenerator[FloorAvailabilityChange, None]:
        info.context.require_viewer()
        info.context.require_scope(Scope.PLACES_READ)
        ident = decode_id(floor_id, "Floor", "floorId")
        wanted = date.isoformat()
        async for message in channel_messages(info.context.runtime.redis, floor_channel(ident)):
            if wanted in message.get("dates", ()):
                yield FloorAvailabilityChange.from_message(message, date)

    @strawberry.subscription(description="Changes of your bookings, as they happen (WebSocket at /graphql/ws).")
    async def my_bookings_changed(self, info: Info) -> AsyncGenerator[MyBookingChange, None]:
        viewer = info.context.require_viewer()
        info.context.require_scope(Scope.BOOKINGS_READ)
        runtime = info.context.runtime
        async for message in channel_messages(runtime.redis, person_channel(viewer)):
            booking = await runtime.bookings.find(viewer, message["bookingId"])
            if booking is None:
                continue
            info.context.loaders = Loaders(runtime)  # fresh per event: a connection lives long, data changes
            yield MyBookingChange(
                kind=BookingEventKind(message["kind"]),
                booking=Booking.from_model(booking),
                occurred_at=datetime.fromisoformat(message["occurredAt"]),
            )
