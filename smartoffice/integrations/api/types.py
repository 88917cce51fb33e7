"""GraphQL types for integrations: booking events, webhooks, calendar feeds and live updates."""

import datetime as dt
from enum import Enum
from typing import Annotated, Any, Self

import strawberry
from strawberry import relay

from smartoffice.api.errors import NotFoundError, PermissionDeniedError, ValidationError
from smartoffice.api.pagination import PageInfo
from smartoffice.bookings.api.types import Booking
from smartoffice.ids import encode_id
from smartoffice.integrations import models


@strawberry.enum(description="What happened to a booking.")
class BookingEventKind(Enum):
    CREATED = strawberry.enum_value(models.EventKind.CREATED.value, description="Booked (also each occurrence).")
    CANCELLED = strawberry.enum_value(models.EventKind.CANCELLED.value, description="Cancelled.")
    CHECKED_IN = strawberry.enum_value(models.EventKind.CHECKED_IN.value, description="The person checked in.")
    CHECKED_OUT = strawberry.enum_value(
        models.EventKind.CHECKED_OUT.value, description="Checked out early: the rest of the slot is free again."
    )
    RELEASED = strawberry.enum_value(
        models.EventKind.RELEASED.value, description="Not checked in within the grace period: released (no-show)."
    )
    DECIDED = strawberry.enum_value(
        models.EventKind.DECIDED.value, description="An approver accepted or rejected a room booking (see status)."
    )


@strawberry.enum(description="Where a webhook delivery stands.")
class WebhookDeliveryStatus(Enum):
    PENDING = strawberry.enum_value(
        models.DeliveryStatus.PENDING.value, description="Not delivered yet; next attempt at nextAttemptAt."
    )
    DELIVERED = strawberry.enum_value(models.DeliveryStatus.DELIVERED.value, description="The receiver answered 2xx.")
    FAILED = strawberry.enum_value(
        models.DeliveryStatus.FAILED.value,
        description="Given up: every attempt failed, or the subscription was deleted.",
    )


@strawberry.type(description="An endpoint of yours that receives signed booking events (see the README).")
class WebhookSubscription(relay.Node):
    id: relay.NodeID[int]
    url: str = strawberry.field(description="Where events are POSTed.")
    event_kinds: list[BookingEventKind] = strawberry.field(description="The kinds of events sent there.")
    description: str | None
    is_active: bool
    created_at: dt.datetime

    @classmethod
    def from_model(cls, s: models.WebhookSubscription) -> Self:
        return cls(
            id=s.id,
            url=s.url,
            event_kinds=[BookingEventKind(k) for k in s.event_kinds],
            description=s.description,
            is_active=s.is_active,
            created_at=s.created_at,
        )


@strawberry.type(description="One booking event sent (or being sent) to one subscription.")
class WebhookDelivery(relay.Node):
    id: relay.NodeID[int]
    event_id: str = strawberry.field(description="The event's id, as in the body and X-SmartOffice-Event-Id.")
    event_kind: BookingEventKind
    status: WebhookDeliveryStatus
    attempts: int = strawberry.field(description="Attempts made so far.")
    next_attempt_at: dt.datetime | None = strawberry.field(description="When the next attempt is due (pending only).")
    last_status_code: int | None = strawberry.field(description="The receiver's HTTP status at the last attempt.")
    last_error: str | None = strawberry.field(description="Why the last attempt failed, if it did.")
    created_at: dt.datetime
    delivered_at: dt.datetime | None

    @classmethod
    def from_model(cls, d: models.WebhookDelivery, kind: models.EventKind) -> Self:
        return cls(
            id=d.id,
            event_id=str(d.event_id),
            event_kind=BookingEventKind(kind.value),
            status=WebhookDeliveryStatus(d.status.value),
            attempts=d.attempts,
            next_attempt_at=d.next_attempt_at if d.status == models.DeliveryStatus.PENDING else None,
            last_status_code=d.last_status_code,
            last_error=d.last_error,
            created_at=d.created_at,
            delivered_at=d.delivered_at,
        )


@strawberry.type
class WebhookDeliveryEdge:
    cursor: str
    node: WebhookDelivery


@strawberry.type(description="A subscription's deliveries, newest first.")
class WebhookDeliveryConnection:
    edges: list[WebhookDeliveryEdge]
    page_info: PageInfo


@strawberry.input(description="Subscribe an endpoint of yours to booking events.")
class CreateWebhookSubscriptionInput:
    url: str = strawberry.field(description="https:// URL of a public host that accepts POSTed JSON.")
    event_kinds: list[BookingEventKind] = strawberry.field(description="Which events to send; at least one.")
    description: str | None = strawberry.field(default=None, description="For your own reference (≤ 200 chars).")


@strawberry.type(description="The subscription exists. Keep the secret: it is shown only this once.")
class CreateWebhookSubscriptionSuccess:
    subscription: WebhookSubscription
    secret: str = strawberry.field(
        description="Signs every delivery (HMAC-SHA256, header X-SmartOffice-Signature). Shown only this once."
    )


CreateWebhookSubscriptionResult = Annotated[
    CreateWebhookSubscriptionSuccess | ValidationError | PermissionDeniedError,
    strawberry.union("CreateWebhookSubscriptionResult"),
]


@strawberry.input(description="Stop sending events to an endpoint.")
class DeleteWebhookSubscriptionInput:
    subscription_id: strawberry.ID


@strawberry.type(description="The subscription is deleted; deliveries not yet made will not be made.")
class DeleteWebhookSubscriptionSuccess:
    subscription_id: strawberry.ID


DeleteWebhookSubscriptionResult = Annotated[
    DeleteWebhookSubscriptionSuccess | NotFoundError | PermissionDeniedError | ValidationError,
    strawberry.union("DeleteWebhookSubscriptionResult"),
]


@strawberry.type(description="Your calendar feed's new URL. Any previous URL no longer works.")
class CalendarFeedUrl:
    url: str = strawberry.field(
        description="An iCal (RFC 5545) URL with a secret token, for Outlook or Google Calendar. Shown only "
        "this once: whoever has it can read your bookings."
    )


@strawberry.type(description="Availability on a floor changed: a booking there was made, cancelled or changed.")
class FloorAvailabilityChange:
    floor_id: strawberry.ID
    date: dt.date = strawberry.field(description="The building's local date that changed.")
    kind: BookingEventKind
    desk_id: strawberry.ID | None = strawberry.field(description="The desk concerned, for a desk booking.")
    room_id: strawberry.ID | None = strawberry.field(description="The room concerned, for a room booking.")
    start_at: dt.datetime = strawberry.field(description="Start of the booking as the change left it (UTC).")
    end_at: dt.datetime = strawberry.field(description="End of the booking as the change left it (UTC, exclusive).")
    holds_space: bool = strawberry.field(
        description="Whether the booking now holds the space for [startAt, endAt) (false: that time is free again)."
    )
    occurred_at: dt.datetime

    @classmethod
    def from_message(cls, message: dict[str, Any], day: dt.date) -> Self:
        is_desk = message["spaceKind"] == "desk"
        space_id = encode_id("Desk" if is_desk else "MeetingRoom", message["spaceId"])
        return cls(
            floor_id=strawberry.ID(encode_id("Floor", message["floorId"])),
            date=day,
            kind=BookingEventKind(message["kind"]),
            desk_id=strawberry.ID(space_id) if is_desk else None,
            room_id=None if is_desk else strawberry.ID(space_id),
            start_at=dt.datetime.fromisoformat(message["startAt"]),
            end_at=dt.datetime.fromisoformat(message["endAt"]),
            holds_space=message["status"] in ("pending", "booked", "checked_in"),
            occurred_at=dt.datetime.fromisoformat(message["occurredAt"]),
        )


@strawberry.type(description="One of your bookings changed.")
class MyBookingChange:
    kind: BookingEventKind
    booking: Booking = strawberry.field(description="The booking as it is now.")
    occurred_at: dt.datetime
