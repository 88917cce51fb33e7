"""roles from the identity provider: grants derived from its groups

``role_assignments.source``: ``manual`` (``grantRole``; every row there before) or ``idp`` (kept in step with the
identity provider's groups by ``smartoffice.identity.idp_roles``). The source joins the unique grant index, so a
role held both manually and from the identity provider is two rows, each taken back only by its own side.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 21:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GRANT_INDEX = "uq_role_assignments_grant"
GRANT_KEY: list[str | sa.TextClause] = [
    "employee_id",
    "role",
    sa.text("coalesce(org_unit_id, 0)"),
    sa.text("coalesce(site_id, 0)"),
]


def upgrade() -> None:
    op.drop_index(GRANT_INDEX, table_name="role_assignments")
    with op.batch_alter_table("role_assignments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "source",
                sa.Enum("manual", "idp", name="rolesource", native_enum=False, create_constraint=True, length=8),
                server_default="manual",
                nullable=False,
            )
        )
    op.create_index(GRANT_INDEX, "role_assignments", [*GRANT_KEY, "source"], unique=True)


def downgrade() -> None:
    # Back to one row per grant: the identity provider's rows go (they are re-derived at the next sign-in once
    # this revision is applied again); the manual ones stay.
    op.drop_index(GRANT_INDEX, table_name="role_assignments")
    op.execute(sa.text("DELETE FROM role_assignments WHERE source = 'idp'"))
    with op.batch_alter_table("role_assignments", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_role_assignments_rolesource"), type_="check")
        batch_op.drop_column("source")
    op.create_index(GRANT_INDEX, "role_assignments", GRANT_KEY, unique=True)
