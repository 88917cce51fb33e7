"""A place in line for a desk: a person waits for any desk of a floor (or of one zone of it) on a local day.

``floor_id`` is always set (a zone's entry names its floor too), so the line for a freed desk is one query: the
waiting entries of the desk's floor and day whose zone is none or the desk's, in ``(joined_at, id)`` order. An
entry leaves the line once: ``granted`` (with the booking it got), ``skipped`` (the person could no longer book
that desk; ``skip_reason`` is the error code that said why) or ``left``.
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from smartoffice.db import Base, UTCDateTime, str_enum, utcnow


class WaitlistStatus(StrEnum):
    WAITING = "waiting"
    GRANTED = "granted"
    """A freed desk was booked for the person."""
    SKIPPED = "skipped"
    """A freed desk was offered but the booking rules refused the person (see ``skip_reason``)."""
    LEFT = "left"


class WaitlistEntry(Base):
    __tablename__ = "waitlist_entries"
    __table_args__ = (
        Index("ix_waitlist_entries_line", "floor_id", "day", "status", "joined_at"),
        Index("ix_waitlist_entries_employee_day", "employee_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"))
    floor_id: Mapped[int] = mapped_column(ForeignKey("floors.id", ondelete="CASCADE"))
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zones.id", ondelete="CASCADE"))
    """Only desks of this zone; none: any desk of the floor."""
    day: Mapped[date] = mapped_column(Date)
    """The building's local date."""
    status: Mapped[WaitlistStatus] = mapped_column(str_enum(WaitlistStatus, 16), default=WaitlistStatus.WAITING)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id", ondelete="SET NULL"))
    """The booking a grant made."""
    skip_reason: Mapped[str | None] = mapped_column(String(60))
    """The code of the error that refused the person when a desk was offered (e.g. ``QUOTA_FULL``)."""
