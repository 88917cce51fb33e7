"""office-day policies

Policies as effective-dated JSON rules with a scope, anchor days per unit, discipline cases, performance
ratings, exemptions and per-person work days (plans and reported attendance beyond bookings).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 02:16:42.779975
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "anchor_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_until", sa.Date(), nullable=True),
        sa.CheckConstraint("weekday BETWEEN 0 AND 4", name=op.f("ck_anchor_days_working_weekday")),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_units.id"], name=op.f("fk_anchor_days_org_unit_id_org_units"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_anchor_days")),
        sa.UniqueConstraint(
            "org_unit_id", "weekday", "effective_from", name=op.f("uq_anchor_days_org_unit_id_weekday_effective_from")
        ),
    )
    with op.batch_alter_table("anchor_days", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_anchor_days_org_unit_id"), ["org_unit_id"], unique=False)

    op.create_table(
        "discipline_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending", "active", "closed", name="casestatus", native_enum=False, create_constraint=True, length=16
            ),
            nullable=False,
        ),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_discipline_cases_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discipline_cases")),
    )
    with op.batch_alter_table("discipline_cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_discipline_cases_employee_id"), ["employee_id"], unique=False)

    op.create_table(
        "exemptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("remote_days_per_week", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("work_plan", sa.Text(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "approved",
                "rejected",
                "withdrawn",
                name="exemptionstatus",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_exemptions_dates_in_order")),
        sa.CheckConstraint("remote_days_per_week BETWEEN 1 AND 5", name=op.f("ck_exemptions_remote_days_in_week")),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["employees.id"], name=op.f("fk_exemptions_decided_by_id_employees"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"], ["employees.id"], name=op.f("fk_exemptions_employee_id_employees"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["employees.id"],
            name=op.f("fk_exemptions_requested_by_id_employees"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exemptions")),
    )
    with op.batch_alter_table("exemptions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exemptions_employee_id"), ["employee_id"], unique=False)

    op.create_table(
        "performance_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column(
            "rating",
            sa.Enum(
                "sangat_baik",
                "baik",
                "butuh_perbaikan",
                "kurang",
                "sangat_kurang",
                name="rating",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_performance_ratings_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_performance_ratings")),
        sa.UniqueConstraint("employee_id", "period", name=op.f("uq_performance_ratings_employee_id_period")),
    )
    with op.batch_alter_table("performance_ratings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_performance_ratings_employee_id"), ["employee_id"], unique=False)

    op.create_table(
        "policies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("is_overlay", sa.Boolean(), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("set_by", sa.String(length=200), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_until", sa.Date(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("org_unit_id", sa.Integer(), nullable=True),
        sa.Column(
            "position_kind",
            sa.Enum(
                "managerial",
                "functional",
                "executor",
                name="positionkind",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=True,
        ),
        sa.Column("position_level", sa.String(length=64), nullable=True),
        sa.Column(
            "employment_type",
            sa.Enum("pns", "pppk", name="employmenttype", native_enum=False, create_constraint=True, length=8),
            nullable=True,
        ),
        sa.Column("building_id", sa.Integer(), nullable=True),
        sa.Column("employee_id", sa.Integer(), nullable=True),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "effective_until IS NULL OR effective_until >= effective_from", name=op.f("ck_policies_dates_in_order")
        ),
        sa.ForeignKeyConstraint(
            ["building_id"], ["buildings.id"], name=op.f("fk_policies_building_id_buildings"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["employees.id"], name=op.f("fk_policies_created_by_id_employees"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"], ["employees.id"], name=op.f("fk_policies_employee_id_employees"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_units.id"], name=op.f("fk_policies_org_unit_id_org_units"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_policies_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policies")),
        sa.UniqueConstraint("code", name=op.f("uq_policies_code")),
    )
    with op.batch_alter_table("policies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_policies_employee_id"), ["employee_id"], unique=False)

    op.create_table(
        "work_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column(
            "planned",
            sa.Enum(
                "office",
                "home",
                "anywhere",
                "leave",
                "duty_travel",
                name="planned_workmode",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=True,
        ),
        sa.Column(
            "actual",
            sa.Enum(
                "office",
                "home",
                "anywhere",
                "leave",
                "duty_travel",
                name="actual_workmode",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=True,
        ),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["employee_id"], ["employees.id"], name=op.f("fk_work_days_employee_id_employees"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["employees.id"], name=op.f("fk_work_days_updated_by_id_employees"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_days")),
        sa.UniqueConstraint("employee_id", "day", name=op.f("uq_work_days_employee_id_day")),
    )
    with op.batch_alter_table("work_days", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_work_days_day"), ["day"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("work_days", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_days_day"))

    op.drop_table("work_days")
    with op.batch_alter_table("policies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_policies_employee_id"))

    op.drop_table("policies")
    with op.batch_alter_table("performance_ratings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_performance_ratings_employee_id"))

    op.drop_table("performance_ratings")
    with op.batch_alter_table("exemptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exemptions_employee_id"))

    op.drop_table("exemptions")
    with op.batch_alter_table("discipline_cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_discipline_cases_employee_id"))

    op.drop_table("discipline_cases")
    with op.batch_alter_table("anchor_days", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_anchor_days_org_unit_id"))

    op.drop_table("anchor_days")
