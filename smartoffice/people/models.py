"""Organisations, org units and employees. NIPs are personal data (they encode birth date and gender)."""

from datetime import date
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, false, text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smartoffice.db import Base, str_enum


class PositionKind(StrEnum):
    MANAGERIAL = "managerial"  # jabatan manajerial
    FUNCTIONAL = "functional"  # jabatan fungsional
    EXECUTOR = "executor"  # jabatan pelaksana


class EmploymentType(StrEnum):
    PNS = "pns"
    PPPK = "pppk"


class Role(StrEnum):
    UNIT_MANAGER = "unit_manager"  # the unit's subtree
    FACILITIES_MANAGER = "facilities_manager"  # one site
    ADMIN = "admin"  # everything


class RoleSource(StrEnum):
    """Who manages a granted role: ``grantRole`` / ``revokeRole`` (manual), or the identity provider's groups
    (:mod:`smartoffice.identity.idp_roles`, at each OIDC sign-in and SCIM group change)."""

    MANUAL = "manual"
    IDP = "idp"


class Organisation(Base):
    """An instansi (K/L): a ministry or agency."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class OrgUnit(Base):
    """A node of an organisation's unit tree: Eselon I (level 1), Eselon II (level 2), teams below."""

    __tablename__ = "org_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[int] = mapped_column(Integer)

    organisation: Mapped[Organisation] = relationship(lazy="raise")


class Employee(Base):
    __tablename__ = "employees"

    id: Mapped[int] = mapped_column(primary_key=True)
    nip: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    position_kind: Mapped[PositionKind] = mapped_column(str_enum(PositionKind, 16))
    position_level: Mapped[str | None] = mapped_column(String(64))
    employment_type: Mapped[EmploymentType] = mapped_column(str_enum(EmploymentType, 8))
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"), index=True)
    placed_on: Mapped[date] = mapped_column(Date)
    """The day this person took up the current post (tenure rules count from here)."""
    share_presence: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """Opted in: colleagues outside the person's unit see their name on the desk they booked."""
    language: Mapped[str | None] = mapped_column(String(8))
    """The language the person chose for the pages (``id`` or ``en``, see smartoffice.i18n); None: not chosen."""
    position_name: Mapped[str | None] = mapped_column(String(200))
    """The post as the agency names it (``Jabatan``), e.g. "Kepala Biro Umum" or "Perencana Ahli Muda"."""
    home_building_id: Mapped[int | None] = mapped_column(ForeignKey("buildings.id", ondelete="SET NULL"), index=True)
    """The building the person is housed in (``Gedung`` in the people file), if known."""
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    """False once the person left (gone from an import, or deprovisioned): no sign-in, no booking; history kept."""
    left_on: Mapped[date | None] = mapped_column(Date)
    home_address_ref: Mapped[str | None] = mapped_column(String(120))
    """The reference of the home address registered with the agency (the HR system's key, not the address)."""
    """The day the person was deactivated."""

    org_unit: Mapped[OrgUnit] = relationship(lazy="raise")


class RoleAssignment(Base):
    """A role held over a scope: unit managers over an org unit's subtree, facilities managers over a site."""

    __tablename__ = "role_assignments"
    __table_args__ = (
        CheckConstraint(
            "(role = 'unit_manager' AND org_unit_id IS NOT NULL AND site_id IS NULL)"
            " OR (role = 'facilities_manager' AND site_id IS NOT NULL AND org_unit_id IS NULL)"
            " OR (role = 'admin' AND site_id IS NULL AND org_unit_id IS NULL)",
            name="scope_fits_role",
        ),
        # One row per grant and source, so that two identical grants racing cannot both insert (the loser's insert
        # fails and RoleService.grant answers "already held"). NULL scopes are distinct in a plain unique index,
        # hence the COALESCE: ids start at 1, so 0 stands for "no scope". An expression index: SQLite and
        # PostgreSQL alike. The source is part of the key: a role held both manually and from the identity
        # provider is two rows, each taken back only by its own side (revokeRole, or the IdP's groups).
        Index(
            "uq_role_assignments_grant",
            "employee_id",
            "role",
            text("coalesce(org_unit_id, 0)"),
            text("coalesce(site_id, 0)"),
            "source",
            unique=True,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(str_enum(Role, 24))
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id", ondelete="CASCADE"))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    source: Mapped[RoleSource] = mapped_column(str_enum(RoleSource, 8), server_default=RoleSource.MANUAL.value)
    """``manual``: granted with ``grantRole``; ``idp``: from the identity provider's groups, kept in step by them.
    A server default only, so that statements written before the column (old migrations' tests) still insert."""
