"""the facilities console: retiring places, bookable spaces, weekday hours, plan images, cancel reasons, quotas

* ``retired_at`` on sites, buildings, floors, zones and spaces: retired places keep their history, are neither
  shown nor bookable;
* ``spaces.bookable``: a space on the plan that nobody may book;
* ``buildings.opening_hours``: local hours per ISO weekday (null: ``opens_at``–``closes_at`` every day);
* ``floor_plans``: a floor's plan image (SVG or PNG) in the database;
* ``bookings.cancel_reason``: why someone else cancelled a booking (a closure, a retired desk);
* ``seat_quotas``: an organisation's or unit's share of a building, floor or zone per weekday (``exclusive``: a
  zone reserved for its holder that weekday).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 23:55:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from smartoffice.db import UTCDateTime

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RETIRABLE = ("sites", "buildings", "floors", "zones", "spaces")
HOLDERS = ("organisation_id", "org_unit_id")
SCOPES = ("building_id", "floor_id", "zone_id")


def _exactly_one(columns: Sequence[str]) -> str:
    return " + ".join(f"CAST({c} IS NOT NULL AS INTEGER)" for c in columns) + " = 1"


def upgrade() -> None:
    for table in RETIRABLE:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("retired_at", UTCDateTime(), nullable=True))
    with op.batch_alter_table("spaces", schema=None) as batch_op:
        batch_op.add_column(sa.Column("bookable", sa.Boolean(), server_default=sa.true(), nullable=False))
    with op.batch_alter_table("buildings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("opening_hours", sa.JSON(), nullable=True))
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cancel_reason", sa.String(length=500), nullable=True))
    op.create_table(
        "floor_plans",
        sa.Column("floor_id", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("uploaded_at", UTCDateTime(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["floor_id"], ["floors.id"], name=op.f("fk_floor_plans_floor_id_floors"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["employees.id"],
            name=op.f("fk_floor_plans_uploaded_by_id_employees"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("floor_id", name=op.f("pk_floor_plans")),
    )
    op.create_table(
        "seat_quotas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("org_unit_id", sa.Integer(), nullable=True),
        sa.Column("building_id", sa.Integer(), nullable=True),
        sa.Column("floor_id", sa.Integer(), nullable=True),
        sa.Column("zone_id", sa.Integer(), nullable=True),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("exclusive", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(_exactly_one(HOLDERS), name=op.f("ck_seat_quotas_exactly_one_holder")),
        sa.CheckConstraint(_exactly_one(SCOPES), name=op.f("ck_seat_quotas_exactly_one_scope")),
        sa.CheckConstraint("weekday BETWEEN 1 AND 7", name=op.f("ck_seat_quotas_iso_weekday")),
        sa.CheckConstraint("seats >= 0", name=op.f("ck_seat_quotas_seats_not_negative")),
        *(
            sa.ForeignKeyConstraint(
                [column], [f"{target}.id"], name=op.f(f"fk_seat_quotas_{column}_{target}"), ondelete=on_delete
            )
            for column, target, on_delete in (
                ("organisation_id", "organisations", "CASCADE"),
                ("org_unit_id", "org_units", "CASCADE"),
                ("building_id", "buildings", "CASCADE"),
                ("floor_id", "floors", "CASCADE"),
                ("zone_id", "zones", "CASCADE"),
                ("created_by_id", "employees", "SET NULL"),
            )
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seat_quotas")),
    )
    for column in (*HOLDERS, *SCOPES):
        op.create_index(op.f(f"ix_seat_quotas_{column}"), "seat_quotas", [column], unique=False)
    op.create_index(
        "uq_seat_quotas_share",
        "seat_quotas",
        [*(sa.text(f"coalesce({c}, 0)") for c in (*HOLDERS, *SCOPES)), "weekday"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_seat_quotas_share", table_name="seat_quotas")
    for column in (*HOLDERS, *SCOPES):
        op.drop_index(op.f(f"ix_seat_quotas_{column}"), table_name="seat_quotas")
    op.drop_table("seat_quotas")
    op.drop_table("floor_plans")
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.drop_column("cancel_reason")
    with op.batch_alter_table("buildings", schema=None) as batch_op:
        batch_op.drop_column("opening_hours")
    with op.batch_alter_table("spaces", schema=None) as batch_op:
        batch_op.drop_column("bookable")
    for table in RETIRABLE:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("retired_at")
