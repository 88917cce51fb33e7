"""attendance reported by the presensi system: the import log, and each day's check-in time and source

``attendance_imports`` logs every import that changed something (who, when, through what, which file, counts);
``attendance_reports`` keeps, per person and day, what the source reported beside the mode (``work_days.actual``):
the check-in time and the source system, and which import last set them.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-05 06:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from smartoffice.db import UTCDateTime

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "attendance_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("via", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=True),
        sa.Column("digest", sa.String(length=64), nullable=True),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("changed", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=True),
        sa.Column("last_day", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["employees.id"], name=op.f("fk_attendance_imports_actor_id_employees"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance_imports")),
    )
    op.create_index(op.f("ix_attendance_imports_at"), "attendance_imports", ["at"], unique=False)
    op.create_table(
        "attendance_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("check_in_time", sa.Time(), nullable=True),
        sa.Column("source", sa.String(length=64), nullable=True),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["employee_id"], ["employees.id"], name=op.f("fk_attendance_reports_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["import_id"], ["attendance_imports.id"], name=op.f("fk_attendance_reports_import_id_attendance_imports"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance_reports")),
        sa.UniqueConstraint("employee_id", "day", name=op.f("uq_attendance_reports_employee_id_day")),
    )  # fmt: skip
    op.create_index(op.f("ix_attendance_reports_day"), "attendance_reports", ["day"], unique=False)
    op.create_index(op.f("ix_attendance_reports_import_id"), "attendance_reports", ["import_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_attendance_reports_import_id"), table_name="attendance_reports")
    op.drop_index(op.f("ix_attendance_reports_day"), table_name="attendance_reports")
    op.drop_table("attendance_reports")
    op.drop_index(op.f("ix_attendance_imports_at"), table_name="attendance_imports")
    op.drop_table("attendance_imports")
