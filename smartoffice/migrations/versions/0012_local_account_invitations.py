"""local accounts: invitations and disabling

``local_accounts.invitation_hash`` / ``invitation_expires_at`` (a one-time link where the person sets their
password, created by ``smartoffice accounts create|reset``), ``disabled_at`` (``smartoffice accounts disable``),
and ``password_hash`` nullable (no password until the invitation is accepted).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 19:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("local_accounts", schema=None) as batch_op:
        batch_op.alter_column("password_hash", existing_type=sa.String(length=255), nullable=True)
        batch_op.add_column(sa.Column("invitation_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("invitation_expires_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_local_accounts_invitation_hash"), ["invitation_hash"])


def downgrade() -> None:
    # Accounts still waiting for their first password cannot be kept by the old schema.
    op.execute(sa.text("DELETE FROM local_accounts WHERE password_hash IS NULL"))
    with op.batch_alter_table("local_accounts", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_local_accounts_invitation_hash"), type_="unique")
        batch_op.drop_column("disabled_at")
        batch_op.drop_column("invitation_expires_at")
        batch_op.drop_column("invitation_hash")
        batch_op.alter_column("password_hash", existing_type=sa.String(length=255), nullable=False)
