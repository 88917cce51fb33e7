"""What other apps integrate through: the booking events outbox, webhook subscriptions and their deliveries, and
per-person calendar feeds.

``booking_events`` is a transactional outbox: a row is written in the very transaction that changes a booking,
so an event exists exactly when its change was committed. Everything downstream (Redis pub/sub for live updates,
webhook deliveries) is derived from it and may lag or fail without losing anything.
"""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from smartoffice.db import Base, UTCDateTime, str_enum, utcnow


class EventKind(StrEnum):
    CREATED = "created"
    CANCELLED = "cancelled"
    CHECKED_IN = "checked_in"
    CHECKED_OUT = "checked_out"
    RELEASED = "released"  # a no-show, released by the job
    DECIDED = "decided"  # an approver accepted or rejected a pending room booking (see the payload's status)


class BookingEvent(Base):
    """One committed change of a booking (the outbox)."""

    __tablename__ = "booking_events"
    __table_args__ = (
        Index("ix_booking_events_dispatch", "dispatched_at", "id"),
        Index("ix_booking_events_notify", "notified_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EventKind] = mapped_column(str_enum(EventKind, 16))
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"), index=True)
    employee_id: Mapped[int] = mapped_column(Integer, index=True)
    """The person booked (copied: the event must describe the booking as it was)."""
    space_id: Mapped[int] = mapped_column(Integer)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    """The booking as the change left it, plus who acted; see :func:`smartoffice.integrations.events.payload_of`."""
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """When the webhook job turned this event into deliveries (null: not yet)."""
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """When the notifications job turned this event into notifications (null: not yet; see
    :mod:`smartoffice.notifications.booking_events`)."""


class WebhookSubscription(Base):
    """An app's endpoint that receives booking events, signed with the subscription's secret.

    Signing needs the secret itself (HMAC), so it cannot be stored as a hash: it is stored encrypted
    (``sealed_secret``, see :mod:`smartoffice.integrations.sealing`) and shown only once, when the subscription is
    created.
    """

    __tablename__ = "webhook_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
    """An admin's subscription receives every booking's events; anyone else's only those of their own bookings."""
    url: Mapped[str] = mapped_column(String(500))
    event_kinds: Mapped[list[str]] = mapped_column(JSON)
    secret: Mapped[str] = mapped_column(String(100), default="")
    """The plaintext secret of a subscription made before migration 0009, emptied once sealed into
    ``sealed_secret`` (by the webhook job's next fan-out, or ``smartoffice secrets rotate``); always empty for
    newer ones. (Kept NOT NULL: making it nullable would rebuild the table on SQLite, and dropping the old table
    there cascades into ``webhook_deliveries``.)"""
    sealed_secret: Mapped[str | None] = mapped_column(String(300))
    """The secret, Fernet-encrypted under a key derived from ``SMARTOFFICE_SECRET_KEY``."""
    description: Mapped[str | None] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # due at next_attempt_at (also while an attempt is in flight: the lease)
    DELIVERED = "delivered"
    FAILED = "failed"  # gave up after the last attempt, or the subscription was deleted


class WebhookDelivery(Base):
    """One event for one subscription, and how its attempts went."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("event_id", "subscription_id"),
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
        Index("ix_webhook_deliveries_subscription", "subscription_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("booking_events.id", ondelete="CASCADE"))
    subscription_id: Mapped[int] = mapped_column(ForeignKey("webhook_subscriptions.id", ondelete="CASCADE"))
    status: Mapped[DeliveryStatus] = mapped_column(str_enum(DeliveryStatus, 16), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CalendarFeed(Base):
    """A person's secret iCal feed URL; only a hash of its token is kept."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    """SHA-256 (hex) of the token: the URL alone grants access, so a database leak must not."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
