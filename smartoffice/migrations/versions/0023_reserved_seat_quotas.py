"""seat quotas that reserve a zone: ``seat_quotas.exclusive``

A zone quota marked exclusive reserves the zone for its holder on its weekday: nobody else may book its desks
then. A plain ``ADD COLUMN`` on both databases (no table rebuild on SQLite, which would lose the expression index
``uq_seat_quotas_share``); that only zone quotas are exclusive is the service's rule.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-05 00:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("seat_quotas", sa.Column("exclusive", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    op.drop_column("seat_quotas", "exclusive")
