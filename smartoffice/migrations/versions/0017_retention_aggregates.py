"""personal data retention: daily aggregates kept after the rows go

``retention_folds`` (one row per local day folded), ``occupancy_daily`` (per building and day) and
``attendance_daily`` (per org unit and day): what the retention job (``smartoffice.privacy.retention``) keeps of
bookings, work plans and attendance once they are older than ``SMARTOFFICE_RETENTION_DAYS`` and deleted.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 21:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from smartoffice.db import UTCDateTime

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OCCUPANCY_COUNTS = (
    "desk_booked",
    "desk_checked_in",
    "desk_no_shows",
    "desk_cancelled",
    "room_bookings",
    "room_minutes",
)
ATTENDANCE_COUNTS = (
    "headcount",
    "planned_office",
    "planned_remote",
    "planned_leave",
    "planned_duty_travel",
    "actual_office",
    "actual_remote",
    "actual_leave",
    "actual_duty_travel",
)


def upgrade() -> None:
    op.create_table(
        "retention_folds",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("folded_at", UTCDateTime(), nullable=False),
        sa.Column("bookings", sa.Integer(), nullable=False),
        sa.Column("work_days", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_retention_folds")),
    )
    op.create_table(
        "occupancy_daily",
        sa.Column("building_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in OCCUPANCY_COUNTS),
        sa.ForeignKeyConstraint(
            ["building_id"],
            ["buildings.id"],
            name=op.f("fk_occupancy_daily_building_id_buildings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("building_id", "day", name=op.f("pk_occupancy_daily")),
    )
    op.create_table(
        "attendance_daily",
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in ATTENDANCE_COUNTS),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["org_units.id"],
            name=op.f("fk_attendance_daily_org_unit_id_org_units"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("org_unit_id", "day", name=op.f("pk_attendance_daily")),
    )


def downgrade() -> None:
    op.drop_table("attendance_daily")
    op.drop_table("occupancy_daily")
    op.drop_table("retention_folds")
