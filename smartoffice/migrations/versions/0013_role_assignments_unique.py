"""role_assignments: one row per grant

A unique expression index over ``(employee_id, role, COALESCE(org_unit_id, 0), COALESCE(site_id, 0))``, so that
two identical ``grantRole`` calls racing cannot both insert a row (NULL scopes would be distinct in a plain unique
index; ids start at 1, so 0 stands for "no scope"). Duplicates already there are deleted first, keeping the
oldest row (lowest id) of each grant.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 19:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        sa.text(
            "DELETE FROM role_assignments WHERE id NOT IN ("
            " SELECT MIN(id) FROM role_assignments"
            " GROUP BY employee_id, role, COALESCE(org_unit_id, 0), COALESCE(site_id, 0))"
        )
    )
    op.create_index(
        "uq_role_assignments_grant",
        "role_assignments",
        ["employee_id", "role", sa.text("coalesce(org_unit_id, 0)"), sa.text("coalesce(site_id, 0)")],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_role_assignments_grant", table_name="role_assignments")
