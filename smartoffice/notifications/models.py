"""Notification rows (the in-app list and the email queue in one) and people's notification preferences."""

from datetime import datetime, time
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Time, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from smartoffice.db import Base, UTCDateTime, str_enum, utcnow


class NotificationKind(StrEnum):
    """What a notification is about; :mod:`smartoffice.notifications.kinds` documents each one's ``data``."""

    BOOKING_CONFIRMED = "booking_confirmed"
    """A booking was made for the person (by them, by someone on their behalf, or from the waitlist)."""
    BOOKING_CANCELLED = "booking_cancelled"
    """Someone else (a manager, an admin) or a closure cancelled the person's booking; ``reason`` says why."""
    ROOM_INVITATION = "room_invitation"
    """The person is an attendee of a room booking (``method`` REQUEST), or it was cancelled (CANCEL)."""
    APPROVAL_REQUESTED = "approval_requested"
    """A room booking waits for the recipient's decision (room approvers; else the site's facilities managers)."""
    APPROVAL_DECIDED = "approval_decided"
    """The person's pending room booking was accepted or rejected."""
    EXEMPTION_REQUESTED = "exemption_requested"
    """Someone the recipient supervises or heads asked for an exemption."""
    EXEMPTION_DECIDED = "exemption_decided"
    """The person's exemption request was approved or rejected."""
    CHECK_IN_REMINDER = "check_in_reminder"
    """The person's booking has started and is not checked in: it is released as a no-show at ``releaseAt``."""
    NO_SHOW_RELEASED = "no_show_released"
    """The person's booking was released as a no-show."""
    WAITLIST_GRANTED = "waitlist_granted"
    """A freed desk was booked for the person from the waitlist."""
    WEEKLY_REMINDER = "weekly_reminder"
    """Next week's required office days, with a link that books them (Fridays, 14:00 in the person's zone)."""
    UNIT_DIGEST = "unit_digest"
    """Last week's compliance of a unit the recipient heads or manages (Mondays)."""


class EmailStatus(StrEnum):
    PENDING = "pending"
    """Due at ``email_due_at`` (also while an attempt is in flight: the lease pushes it ahead)."""
    SENT = "sent"
    FAILED = "failed"
    """Gave up after the last attempt (``email_error`` says why); shown to admins, who may retry it."""
    EXPIRED = "expired"
    """Not sent in time to mean anything (a check-in reminder after the release, or waiting longer than
    ``notification_email_max_age_hours``): recorded, never sent late."""


class Notification(Base):
    """One message to one person: shown in the app when ``in_app``, emailed when ``email_status`` is set."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("recipient_id", "dedupe_key"),
        Index("ix_notifications_recipient", "recipient_id", "id"),
        Index(
            "ix_notifications_unread",
            "recipient_id",
            postgresql_where=text("in_app AND read_at IS NULL"),
            sqlite_where=text("in_app AND read_at IS NULL"),
        ),
        Index("ix_notifications_email_due", "email_status", "email_due_at"),
        Index("ix_notifications_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(str_enum(NotificationKind, 32))
    dedupe_key: Mapped[str] = mapped_column(String(160))
    """What makes it the same notification, e.g. ``event:42`` or ``weekly:2026-12-07``: unique per recipient."""
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    """The facts to put into words at reading or sending time, in the reader's language (see ``kinds.py``)."""
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"))
    """Who caused it (none: the system, a job)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """After this it is not worth an email (a check-in reminder after the release)."""
    in_app: Mapped[bool] = mapped_column(Boolean, default=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    email_status: Mapped[EmailStatus | None] = mapped_column(str_enum(EmailStatus, 16))
    """None: not for email (the person turned it off, has no address, or it is theirs in-app only)."""
    email_to: Mapped[str | None] = mapped_column(String(320))
    """The address at production time."""
    email_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """Not before: after quiet hours, at the digest hour, after a retry's backoff, or a lease ahead."""
    email_attempts: Mapped[int] = mapped_column(Integer, default=0)
    email_error: Mapped[str | None] = mapped_column(String(500))
    email_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    email_message_id: Mapped[str | None] = mapped_column(String(200))
    """The Message-ID it (or the digest that carried it) went out with."""


class NotificationPreference(Base):
    """A person's choice for one kind: email and in-app on or off. No row: the kind's defaults."""

    __tablename__ = "notification_preferences"

    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[NotificationKind] = mapped_column(str_enum(NotificationKind, 32), primary_key=True)
    email: Mapped[bool] = mapped_column(Boolean)
    in_app: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NotificationSchedule(Base):
    """When a person's email may arrive: quiet hours and the daily digest, in their local time. No row: any time,
    at once."""

    __tablename__ = "notification_schedules"

    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), primary_key=True)
    quiet_from: Mapped[time | None] = mapped_column(Time)
    """Start of quiet hours (local); with ``quiet_until``, e.g. 21:00-06:00 across midnight. None: no quiet hours."""
    quiet_until: Mapped[time | None] = mapped_column(Time)
    daily_digest: Mapped[bool] = mapped_column(Boolean, default=False)
    """Gather the emails that are not time-critical into one a day, at ``digest_at``."""
    digest_at: Mapped[time] = mapped_column(Time, default=time(7, 0))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
