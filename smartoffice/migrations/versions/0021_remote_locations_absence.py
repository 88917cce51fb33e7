"""where remote days are worked, and absence as an attendance source reports it

``work_days.location_kind`` / ``location_detail`` (PermenPANRB 4/2025: the registered home, another office of
the agency, or a place it designates), ``employees.home_address_ref`` (the registered home's reference), and
``absent`` as an actual work mode (a day counts as absent only when the attendance source says so).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05 06:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MODES = ("office", "home", "anywhere", "leave", "duty_travel")
_CHECK = "actual IN ({})"


def _actual_check(modes: Sequence[str]) -> sa.TextClause:
    return sa.text(_CHECK.format(", ".join(f"'{mode}'" for mode in modes)))


def upgrade() -> None:
    with op.batch_alter_table("work_days", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "location_kind",
                sa.Enum(
                    "registered_home",
                    "agency_office",
                    "designated_place",
                    name="locationkind",
                    native_enum=False,
                    create_constraint=True,
                    length=20,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("location_detail", sa.String(length=200), nullable=True))
        batch_op.drop_constraint(op.f("ck_work_days_actual_workmode"), type_="check")
        batch_op.create_check_constraint("actual_workmode", _actual_check((*_MODES, "absent")))
    with op.batch_alter_table("employees", schema=None) as batch_op:
        batch_op.add_column(sa.Column("home_address_ref", sa.String(length=120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("employees", schema=None) as batch_op:
        batch_op.drop_column("home_address_ref")
    op.execute("UPDATE work_days SET actual = NULL WHERE actual = 'absent'")
    with op.batch_alter_table("work_days", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_work_days_actual_workmode"), type_="check")
        batch_op.create_check_constraint("actual_workmode", _actual_check(_MODES))
        batch_op.drop_constraint(op.f("ck_work_days_locationkind"), type_="check")
        batch_op.drop_column("location_detail")
        batch_op.drop_column("location_kind")
