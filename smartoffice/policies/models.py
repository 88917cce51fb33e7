"""Office-day policies as effective-dated data, and the facts about people they are evaluated against.

A :class:`Policy` is one row per decision (a regulation, an agency head's decree, a unit's anchor rule, an
individual arrangement) with its scope, its dates, its legal basis and its rules as a validated JSON document
(:class:`~smartoffice.policies.rules.PolicyRules`). Discipline cases, performance ratings and exemptions are the
facts eligibility reads; :class:`WorkDay` holds what a person plans or did on a day beyond their bookings.
"""

from datetime import date, datetime
from enum import IntEnum, StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from smartoffice.db import Base, UTCDateTime, str_enum, utcnow
from smartoffice.people.models import EmploymentType, PositionKind


class PolicyLevel(IntEnum):
    """Precedence, lowest first: a lower level may only tighten what the levels above it allow."""

    NATIONAL = 1  # a regulation (PermenPANRB 4/2025)
    AGENCY = 2  # the instansi's head (PPK)
    UNIT = 3  # a unit's head, within the agency's rules
    INDIVIDUAL = 4  # one person's arrangement


class Policy(Base):
    """Rules that apply to everyone in scope from ``effective_from`` to ``effective_until`` (inclusive).

    Every scope column that is set must match (a null column matches everyone). An overlay (Ramadan hours, an
    emergency occupancy cap) replaces the rules it states on its dates, above every level.
    """

    __tablename__ = "policies"
    __table_args__ = (
        CheckConstraint("effective_until IS NULL OR effective_until >= effective_from", name="dates_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[int] = mapped_column(Integer)
    is_overlay: Mapped[bool] = mapped_column(Boolean, default=False)
    legal_basis: Mapped[str] = mapped_column(Text)
    """The regulation or decree the rules come from, e.g. "PermenPANRB 4/2025 Pasal 13(1)"."""
    set_by: Mapped[str] = mapped_column(String(200))
    """Who decided it (an office or a person), as the decree names them."""
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"))
    effective_from: Mapped[date] = mapped_column(Date)
    effective_until: Mapped[date | None] = mapped_column(Date)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id", ondelete="CASCADE"))
    """The unit whose whole subtree is in scope."""
    position_kind: Mapped[PositionKind | None] = mapped_column(str_enum(PositionKind, 16))
    position_level: Mapped[str | None] = mapped_column(String(64))
    employment_type: Mapped[EmploymentType | None] = mapped_column(str_enum(EmploymentType, 8))
    building_id: Mapped[int | None] = mapped_column(ForeignKey("buildings.id", ondelete="CASCADE"))
    """People whose unit's home building this is (occupancy caps also apply to bookings in it)."""
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
    rules: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AnchorDay(Base):
    """A weekday a unit (and its subtree, unless a sub-unit has its own) meets in the office."""

    __tablename__ = "anchor_days"
    __table_args__ = (
        UniqueConstraint("org_unit_id", "weekday", "effective_from"),
        CheckConstraint("weekday BETWEEN 0 AND 4", name="working_weekday"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    """0 = Monday … 4 = Friday."""
    effective_from: Mapped[date] = mapped_column(Date)
    effective_until: Mapped[date | None] = mapped_column(Date)


class CaseStatus(StrEnum):
    PENDING = "pending"  # under examination
    ACTIVE = "active"  # a sanction in force
    CLOSED = "closed"


class DisciplineCase(Base):
    """A disciplinary case (*hukuman disiplin*): personal data, read only by the person, managers and admins."""

    __tablename__ = "discipline_cases"
    __table_args__ = (UniqueConstraint("employee_id", "reference"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
    status: Mapped[CaseStatus] = mapped_column(str_enum(CaseStatus, 16))
    opened_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    reference: Mapped[str | None] = mapped_column(String(64))
    """The HR system's number for the case (a decree's number), which a re-import matches on with the person: unique
    per person, not globally, as each agency numbers its own decrees. None for a case not loaded from an HR
    system (the demo's): no import ever matches it."""


class Rating(StrEnum):
    """*Predikat kinerja* of an SKP period, best first."""

    SANGAT_BAIK = "sangat_baik"
    BAIK = "baik"
    BUTUH_PERBAIKAN = "butuh_perbaikan"
    KURANG = "kurang"
    SANGAT_KURANG = "sangat_kurang"


class PerformanceRating(Base):
    __tablename__ = "performance_ratings"
    __table_args__ = (UniqueConstraint("employee_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
    period: Mapped[int] = mapped_column(Integer)
    """The SKP year."""
    rating: Mapped[Rating] = mapped_column(str_enum(Rating, 16))


class ExemptionStatus(StrEnum):
    PENDING = "pending"  # awaiting the direct supervisor's recommendation and/or the unit head's decision
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"  # by the person, before a decision


class Exemption(Base):
    """A request for remote days beyond the policy (special circumstances).

    The direct supervisor recommends for or against (``recommendation``); the unit head decides, seeing the
    recommendation. While pending, the person may withdraw it.
    """

    __tablename__ = "exemptions"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="dates_in_order"),
        CheckConstraint("remote_days_per_week BETWEEN 1 AND 5", name="remote_days_in_week"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
    remote_days_per_week: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text)
    work_plan: Mapped[str] = mapped_column(Text)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    status: Mapped[ExemptionStatus] = mapped_column(str_enum(ExemptionStatus, 16), default=ExemptionStatus.PENDING)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    overrides_discipline: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """Set by the unit head when approving: the exemption applies even while a discipline case suspends remote
    work (otherwise a discipline case suspends it, with the reason shown)."""
    recommended_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"))
    recommended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recommendation: Mapped[bool | None] = mapped_column(Boolean)
    """The direct supervisor's recommendation: True for, False against, None not (yet) given."""
    recommendation_note: Mapped[str | None] = mapped_column(Text)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ExemptionEvidence(Base):
    """The file a person attaches to an exemption request (a doctor's letter, a decree): one per exemption.

    Stored in the database, not on a disk the app would serve from: only PDF, PNG and JPEG (checked by their
    magic bytes), at most 5 MB, and always sent back as a download (see :mod:`smartoffice.policies.evidence`).
    """

    __tablename__ = "exemption_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    exemption_id: Mapped[int] = mapped_column(ForeignKey("exemptions.id", ondelete="CASCADE"), unique=True)
    file_name: Mapped[str] = mapped_column(String(120))
    content_type: Mapped[str] = mapped_column(String(32))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WorkMode(StrEnum):
    OFFICE = "office"  # WFO
    HOME = "home"  # WFH, the registered home
    ANYWHERE = "anywhere"  # WFA, another office or a place the agency sets
    LEAVE = "leave"  # cuti
    DUTY_TRAVEL = "duty_travel"  # dinas luar
    ABSENT = "absent"  # reported absent by the attendance source (actual only, never a plan)

    @property
    def is_remote(self) -> bool:
        return self in (WorkMode.HOME, WorkMode.ANYWHERE)


class LocationKind(StrEnum):
    """Where a remote day is worked: PermenPANRB 4/2025 limits location flexibility to these three."""

    REGISTERED_HOME = "registered_home"  # the home registered with the agency (WFH)
    AGENCY_OFFICE = "agency_office"  # another office of the agency (WFA)
    DESIGNATED_PLACE = "designated_place"  # a place the agency designates (WFA)


class WorkDay(Base):
    """What a person plans for a day, and what they did as the attendance system reports it.

    An active desk booking plans an office day and a check-in makes it actual, without a row here: this table
    holds only what bookings cannot say (remote days, leave, duty travel, attendance reported by another app).
    """

    __tablename__ = "work_days"
    __table_args__ = (UniqueConstraint("employee_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date, index=True)
    planned: Mapped[WorkMode | None] = mapped_column(str_enum(WorkMode, 16, "planned_workmode"))
    actual: Mapped[WorkMode | None] = mapped_column(str_enum(WorkMode, 16, "actual_workmode"))
    location_kind: Mapped[LocationKind | None] = mapped_column(str_enum(LocationKind, 20))
    """Where a remote plan (HOME, ANYWHERE) is worked; None for other plans."""
    location_detail: Mapped[str | None] = mapped_column(String(200))
    """Which office or designated place, or the registered home's reference, as the person gave it."""
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
