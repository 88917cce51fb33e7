"""presence sharing and booking list indexes

``employees.share_presence`` (opt-in: colleagues outside the unit see the person's name on a booked desk), and
the indexes the ``bookings`` connection needs: ``(start_at, id)`` for its keyset order when the caller sees many
people's bookings, and ``(booked_by_id, start_at)`` for "bookings I made".

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 05:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("employees", schema=None) as batch_op:
        batch_op.add_column(sa.Column("share_presence", sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.create_index("ix_bookings_start_id", ["start_at", "id"], unique=False)
        batch_op.create_index("ix_bookings_booked_by_time", ["booked_by_id", "start_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.drop_index("ix_bookings_booked_by_time")
        batch_op.drop_index("ix_bookings_start_id")
    with op.batch_alter_table("employees", schema=None) as batch_op:
        batch_op.drop_column("share_presence")
