"""bound booking rules' buffer

``booking_rules.buffer_minutes`` between 0 and 720: with windows inside one local day, no booking then spans more
than ``MAX_BOOKING_SPAN`` from its start to ``blocks_until``, which overlap queries rely on to scan a few rows
instead of a space's whole history (``smartoffice.bookings.models.overlapping``). Existing rules are clamped first.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 06:30:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("UPDATE booking_rules SET buffer_minutes = 720 WHERE buffer_minutes > 720")
    op.execute("UPDATE booking_rules SET buffer_minutes = 0 WHERE buffer_minutes < 0")
    with op.batch_alter_table("booking_rules", schema=None) as batch_op:
        batch_op.create_check_constraint("buffer_bounded", "buffer_minutes BETWEEN 0 AND 720")


def downgrade() -> None:
    with op.batch_alter_table("booking_rules", schema=None) as batch_op:
        batch_op.drop_constraint("buffer_bounded", type_="check")
