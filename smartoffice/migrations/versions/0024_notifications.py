"""notifications: the in-app list and email queue, people's preferences, room attendees, the events' cursor

``notifications`` holds one message to one person (in-app and/or email, with the email's attempts);
``notification_preferences`` and ``notification_schedules`` what each person chose; ``booking_attendees`` the
colleagues invited to a room booking; ``booking_events.notified_at`` the notifications job's cursor over the
outbox. Events already in the outbox count as notified: an upgrade does not announce the past.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-05 12:20:07.848490
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from smartoffice.db import UTCDateTime

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notification_preferences",
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "booking_confirmed",
                "booking_cancelled",
                "room_invitation",
                "approval_requested",
                "approval_decided",
                "exemption_requested",
                "exemption_decided",
                "check_in_reminder",
                "no_show_released",
                "waitlist_granted",
                "weekly_reminder",
                "unit_digest",
                name="notificationkind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("email", sa.Boolean(), nullable=False),
        sa.Column("in_app", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_notification_preferences_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("employee_id", "kind", name=op.f("pk_notification_preferences")),
    )
    op.create_table(
        "notification_schedules",
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("quiet_from", sa.Time(), nullable=True),
        sa.Column("quiet_until", sa.Time(), nullable=True),
        sa.Column("daily_digest", sa.Boolean(), nullable=False),
        sa.Column("digest_at", sa.Time(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_notification_schedules_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("employee_id", name=op.f("pk_notification_schedules")),
    )
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "booking_confirmed",
                "booking_cancelled",
                "room_invitation",
                "approval_requested",
                "approval_decided",
                "exemption_requested",
                "exemption_decided",
                "check_in_reminder",
                "no_show_released",
                "waitlist_granted",
                "weekly_reminder",
                "unit_digest",
                name="notificationkind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("dedupe_key", sa.String(length=160), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=True),
        sa.Column("in_app", sa.Boolean(), nullable=False),
        sa.Column("read_at", UTCDateTime(), nullable=True),
        sa.Column(
            "email_status",
            sa.Enum(
                "pending",
                "sent",
                "failed",
                "expired",
                name="emailstatus",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=True,
        ),
        sa.Column("email_to", sa.String(length=320), nullable=True),
        sa.Column("email_due_at", UTCDateTime(), nullable=True),
        sa.Column("email_attempts", sa.Integer(), nullable=False),
        sa.Column("email_error", sa.String(length=500), nullable=True),
        sa.Column("email_sent_at", UTCDateTime(), nullable=True),
        sa.Column("email_message_id", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["employees.id"], name=op.f("fk_notifications_actor_id_employees"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"], ["employees.id"], name=op.f("fk_notifications_recipient_id_employees"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sa.UniqueConstraint("recipient_id", "dedupe_key", name=op.f("uq_notifications_recipient_id_dedupe_key")),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index("ix_notifications_email_due", ["email_status", "email_due_at"], unique=False)
        batch_op.create_index("ix_notifications_created", ["created_at"], unique=False)
        batch_op.create_index("ix_notifications_recipient", ["recipient_id", "id"], unique=False)
        batch_op.create_index(
            "ix_notifications_unread",
            ["recipient_id"],
            unique=False,
            postgresql_where=sa.text("in_app AND read_at IS NULL"),
            sqlite_where=sa.text("in_app AND read_at IS NULL"),
        )

    op.create_table(
        "booking_attendees",
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["bookings.id"], name=op.f("fk_booking_attendees_booking_id_bookings"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_booking_attendees_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("booking_id", "employee_id", name=op.f("pk_booking_attendees")),
    )
    with op.batch_alter_table("booking_attendees", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_booking_attendees_employee_id"), ["employee_id"], unique=False)

    op.add_column("booking_events", sa.Column("notified_at", UTCDateTime(), nullable=True))
    op.execute("UPDATE booking_events SET notified_at = occurred_at")
    op.create_index("ix_booking_events_notify", "booking_events", ["notified_at", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_booking_events_notify", table_name="booking_events")
    with op.batch_alter_table("booking_events", schema=None) as batch_op:
        batch_op.drop_column("notified_at")

    with op.batch_alter_table("booking_attendees", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_booking_attendees_employee_id"))

    op.drop_table("booking_attendees")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_notifications_unread",
            postgresql_where=sa.text("in_app AND read_at IS NULL"),
            sqlite_where=sa.text("in_app AND read_at IS NULL"),
        )
        batch_op.drop_index("ix_notifications_recipient")
        batch_op.drop_index("ix_notifications_email_due")
        batch_op.drop_index("ix_notifications_created")

    op.drop_table("notifications")
    op.drop_table("notification_schedules")
    op.drop_table("notification_preferences")
