"""Overrides of the generated calendar: the government moves holidays and cuti bersama during the year."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from smartoffice.db import Base, UTCDateTime, str_enum, utcnow


class DayKind(StrEnum):
    PUBLIC_HOLIDAY = "public_holiday"  # libur nasional
    COLLECTIVE_LEAVE = "collective_leave"  # cuti bersama
    WORKING_DAY = "working_day"  # an override that makes a generated holiday (or a weekend) a working day


class CalendarOverride(Base):
    """One day whose kind differs from what the ``holidays`` package says (it wins over the package)."""

    __tablename__ = "calendar_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    kind: Mapped[DayKind] = mapped_column(str_enum(DayKind, 24))
    name: Mapped[str] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
