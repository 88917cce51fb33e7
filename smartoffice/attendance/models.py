"""What the attendance source reported beyond the day's mode, and the imports that brought it.

The mode itself (present in the office, remote, leave, duty travel, absent) is ``WorkDay.actual``: the fact the
policy engine reads. :class:`AttendanceReport` keeps the rest of the report (the check-in time, the source system)
and which import last set it; :class:`AttendanceImport` is the log of imports (a file or an app's call).
"""

from datetime import date, datetime, time

from sqlalchemy import Date, ForeignKey, Integer, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from smartoffice.db import Base, UTCDateTime, utcnow


class AttendanceImport(Base):
    """One import that changed something: who, when, through what (``page``, ``cli``, ``token:<id>``, ``api``),
    which file, and its counts."""

    __tablename__ = "attendance_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"))
    via: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str | None] = mapped_column(String(200))
    """The uploaded or command-line file's name; None for an app's records."""
    digest: Mapped[str | None] = mapped_column(String(64))
    """SHA-256 of the file's bytes (hex)."""
    records: Mapped[int] = mapped_column(Integer)
    created: Mapped[int] = mapped_column(Integer)
    changed: Mapped[int] = mapped_column(Integer)
    unchanged: Mapped[int] = mapped_column(Integer)
    first_day: Mapped[date | None] = mapped_column(Date)
    last_day: Mapped[date | None] = mapped_column(Date)


class AttendanceReport(Base):
    """The details of a person's day as the attendance source last reported them (one row per person and day)."""

    __tablename__ = "attendance_reports"
    __table_args__ = (UniqueConstraint("employee_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date, index=True)
    check_in_time: Mapped[time | None] = mapped_column(Time)
    """Local time at which the source saw the person arrive (the office's time zone), if it says."""
    source: Mapped[str | None] = mapped_column(String(64))
    """The system that reported it (``e-presensi``, ``SIKAP`` ...), as the file or the app names it."""
    import_id: Mapped[int | None] = mapped_column(ForeignKey("attendance_imports.id", ondelete="SET NULL"), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
