"""ratings and discipline cases loaded from HR systems

``discipline_cases.reference``: the HR system's number for a case (a decree's number), which an import matches on
with the person, unique per person (``uq_discipline_cases_employee_id_reference``: each agency numbers its own
decrees, so two agencies may use the same number). NULL for cases not loaded from an HR system; NULLs are
distinct in a unique constraint on both databases, so those stay as they are. Ratings already have their key
(``employee_id``, ``period``).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 21:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("discipline_cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reference", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_discipline_cases_employee_id_reference"), ["employee_id", "reference"]
        )


def downgrade() -> None:
    with op.batch_alter_table("discipline_cases", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_discipline_cases_employee_id_reference"), type_="unique")
        batch_op.drop_column("reference")
