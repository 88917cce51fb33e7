"""exemptions: the evidence file, the supervisor's recommendation, withdrawal and the discipline override

``exemptions.overrides_discipline`` (the unit head's "applies even during a discipline case"),
``recommended_by_id`` / ``recommended_at`` / ``recommendation`` / ``recommendation_note`` (the direct supervisor's
recommendation for or against), ``withdrawn_at``, and the ``exemption_evidence`` table holding one uploaded file
(PDF, PNG or JPEG, at most 5 MB) per exemption.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-05 06:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from smartoffice.db import UTCDateTime

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("exemptions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("overrides_discipline", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("recommended_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("recommended_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("recommendation", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("recommendation_note", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("withdrawn_at", UTCDateTime(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_exemptions_recommended_by_id_employees"),
            "employees",
            ["recommended_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_table(
        "exemption_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exemption_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=120), nullable=False),
        sa.Column("content_type", sa.String(length=32), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["exemption_id"],
            ["exemptions.id"],
            name=op.f("fk_exemption_evidence_exemption_id_exemptions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["employees.id"],
            name=op.f("fk_exemption_evidence_uploaded_by_id_employees"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exemption_evidence")),
        sa.UniqueConstraint("exemption_id", name=op.f("uq_exemption_evidence_exemption_id")),
    )


def downgrade() -> None:
    op.drop_table("exemption_evidence")
    with op.batch_alter_table("exemptions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("fk_exemptions_recommended_by_id_employees"), type_="foreignkey")
        batch_op.drop_column("withdrawn_at")
        batch_op.drop_column("recommendation_note")
        batch_op.drop_column("recommendation")
        batch_op.drop_column("recommended_at")
        batch_op.drop_column("recommended_by_id")
        batch_op.drop_column("overrides_discipline")
