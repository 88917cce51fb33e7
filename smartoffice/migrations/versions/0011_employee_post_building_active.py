"""employees: post name, home building, active

``employees.position_name`` (the post as named in the agency's records), ``home_building_id``, and ``active`` /
``left_on``: people who leave are deactivated, not deleted, so their history (bookings, plans, attendance, audit
entries) is kept.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 19:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("employees", schema=None) as batch_op:
        batch_op.add_column(sa.Column("position_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("home_building_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column("left_on", sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f("ix_employees_home_building_id"), ["home_building_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_employees_home_building_id_buildings"),
            "buildings",
            ["home_building_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("employees", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_employees_home_building_id_buildings"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_employees_home_building_id"))
        batch_op.drop_column("left_on")
        batch_op.drop_column("active")
        batch_op.drop_column("home_building_id")
        batch_op.drop_column("position_name")
