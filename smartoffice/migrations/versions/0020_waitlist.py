"""the waitlist for full days: ``waitlist_entries``, a person's place in line for a desk of a floor or zone on a day

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 03:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from smartoffice.db import UTCDateTime

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = ("waiting", "granted", "skipped", "left")


def upgrade() -> None:
    op.create_table(
        "waitlist_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("floor_id", sa.Integer(), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(*STATUSES, name="waitliststatus", native_enum=False, create_constraint=True, length=16),
            nullable=False,
        ),
        sa.Column("joined_at", UTCDateTime(), nullable=False),
        sa.Column("resolved_at", UTCDateTime(), nullable=True),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.Column("skip_reason", sa.String(length=60), nullable=True),
        *(
            sa.ForeignKeyConstraint(
                [column], [f"{target}.id"], name=op.f(f"fk_waitlist_entries_{column}_{target}"), ondelete=on_delete
            )
            for column, target, on_delete in (
                ("employee_id", "employees", "CASCADE"),
                ("floor_id", "floors", "CASCADE"),
                ("zone_id", "zones", "CASCADE"),
                ("booking_id", "bookings", "SET NULL"),
            )
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waitlist_entries")),
    )
    op.create_index(
        "ix_waitlist_entries_line", "waitlist_entries", ["floor_id", "day", "status", "joined_at"], unique=False
    )
    op.create_index("ix_waitlist_entries_employee_day", "waitlist_entries", ["employee_id", "day"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_waitlist_entries_employee_day", table_name="waitlist_entries")
    op.drop_index("ix_waitlist_entries_line", table_name="waitlist_entries")
    op.drop_table("waitlist_entries")
