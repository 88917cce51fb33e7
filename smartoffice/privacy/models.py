"""What retention keeps once the rows are gone: daily aggregates with no person in them, and the days folded.

``retention_folds`` has one row per local day whose bookings and work days were folded into the aggregates; the
latest such day is the *watermark*. Reports read days up to the watermark from the aggregates and later days
from the live rows, so a report over an old period answers the same before and after its rows are deleted.
"""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from smartoffice.db import Base, UTCDateTime


class RetentionFold(Base):
    """A local day folded into the aggregates (claimed first, so two processes never fold one day twice)."""

    __tablename__ = "retention_folds"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    folded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    bookings: Mapped[int] = mapped_column(Integer)
    """Bookings of the day that were counted (each deleted afterwards)."""
    work_days: Mapped[int] = mapped_column(Integer)
    """Work-day rows (plans, attendance) of the day that were counted."""


class OccupancyDaily(Base):
    """One building's bookings on one local day, as the occupancy report counts them."""

    __tablename__ = "occupancy_daily"

    building_id: Mapped[int] = mapped_column(ForeignKey("buildings.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    desk_booked: Mapped[int] = mapped_column(Integer)
    """People holding a desk (booked, checked in, or released as a no-show)."""
    desk_checked_in: Mapped[int] = mapped_column(Integer)
    """People who checked in to a desk."""
    desk_no_shows: Mapped[int] = mapped_column(Integer)
    """Desk bookings released because nobody checked in."""
    desk_cancelled: Mapped[int] = mapped_column(Integer)
    room_bookings: Mapped[int] = mapped_column(Integer)
    """Room bookings that held their room (booked, checked in, or released)."""
    room_minutes: Mapped[int] = mapped_column(Integer)
    """Minutes those room bookings covered."""


class AttendanceDaily(Base):
    """One org unit's people by work mode on one day: planned and actual, as the weekly plans count them."""

    __tablename__ = "attendance_daily"

    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    headcount: Mapped[int] = mapped_column(Integer)
    """Active people placed in the unit when the day was folded (the denominator of a remote share)."""
    planned_office: Mapped[int] = mapped_column(Integer)
    planned_remote: Mapped[int] = mapped_column(Integer)
    planned_leave: Mapped[int] = mapped_column(Integer)
    planned_duty_travel: Mapped[int] = mapped_column(Integer)
    actual_office: Mapped[int] = mapped_column(Integer)
    actual_remote: Mapped[int] = mapped_column(Integer)
    actual_leave: Mapped[int] = mapped_column(Integer)
    actual_duty_travel: Mapped[int] = mapped_column(Integer)
