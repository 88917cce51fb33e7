"""The booking row and the constraints that make double booking impossible.

PostgreSQL: two exclusion constraints over active bookings (``btree_gist``):

* a space is held by at most one active booking at any instant: ``(space_id =, [start_at, blocks_until) &&)``;
* a person holds at most one desk at any instant: ``(employee_id =, [start_at, end_at) &&)`` over desk bookings.

SQLite has no exclusion constraints: the service checks the same overlap predicate inside a ``BEGIN IMMEDIATE``
transaction (see ``smartoffice.db``), and triggers (created by the migrations) raise on any insert or update that
would overlap, as defence in depth for code paths that forget. Both databases turn a violation into
:class:`~smartoffice.errors.BookingConflict`.
"""

from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Time,
    UniqueConstraint,
    and_,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import InstrumentedAttribute, Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

from smartoffice.db import Base, UTCDateTime, str_enum, utcnow
from smartoffice.people.models import Employee
from smartoffice.places.models import Space, SpaceKind


class BookingStatus(StrEnum):
    PENDING = "pending"  # a room awaiting its approvers; holds the room meanwhile
    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    CANCELLED = "cancelled"
    REJECTED = "rejected"  # an approver said no
    RELEASED = "released"  # not checked in within the grace period: a no-show, freed automatically


ACTIVE_STATUSES = (BookingStatus.PENDING, BookingStatus.BOOKED, BookingStatus.CHECKED_IN)
ACTIVE_PREDICATE = "status IN ('pending', 'booked', 'checked_in')"
"""SQL for "this booking holds its space" (shared by the constraints, the triggers and the queries)."""

SPACE_OVERLAP_CONSTRAINT = "ex_bookings_space_overlap"
PERSON_OVERLAP_CONSTRAINT = "ex_bookings_person_desk_overlap"
SQLITE_OVERLAP_ERROR = "booking_overlap"


MAX_BUFFER_MINUTES = 12 * 60
"""The longest changeover a booking rule may set (a CHECK constraint on ``booking_rules``)."""

MAX_BOOKING_SPAN = timedelta(days=2)
"""No booking lasts longer from ``start_at`` to ``blocks_until``: a window lies within one local day (at most 25
hours across a DST change) and its buffer is at most :data:`MAX_BUFFER_MINUTES`. See :func:`overlapping`."""


class Booking(Base):
    """A hold on a space for ``[start_at, end_at)``.

    The space stays blocked until ``blocks_until`` (``end_at`` plus the room's buffer for cleaning or
    changeover; equal to ``end_at`` for desks), and that is the range the space constraint compares.
    """

    __tablename__ = "bookings"
    __table_args__ = (
        CheckConstraint("start_at < end_at", name="start_before_end"),
        CheckConstraint("end_at <= blocks_until", name="blocks_at_least_until_end"),
        Index("ix_bookings_space_time", "space_id", "start_at"),
        Index("ix_bookings_employee_time", "employee_id", "start_at"),
        Index("ix_bookings_status_start", "status", "start_at"),
        # the bookings connection: keyset order for admins and facilities managers, and "made by me"
        Index("ix_bookings_start_id", "start_at", "id"),
        Index("ix_bookings_booked_by_time", "booked_by_id", "start_at"),
        ExcludeConstraint(
            ("space_id", "="),
            (func.tstzrange(text("start_at"), text("blocks_until"), text("'[)'")), "&&"),
            where=text(ACTIVE_PREDICATE),
            using="gist",
            name=SPACE_OVERLAP_CONSTRAINT,
        ).ddl_if(dialect="postgresql"),
        ExcludeConstraint(
            ("employee_id", "="),
            (func.tstzrange(text("start_at"), text("end_at"), text("'[)'")), "&&"),
            where=text(f"{ACTIVE_PREDICATE} AND space_kind = 'desk'"),
            using="gist",
            name=PERSON_OVERLAP_CONSTRAINT,
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    space_kind: Mapped[SpaceKind] = mapped_column(str_enum(SpaceKind, 8))
    """Copied from the space (which never changes kind) so the per-person constraint needs no join."""
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"))
    booked_by_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"))
    """Who made the booking: the employee, or their manager or a facilities manager on their behalf."""
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime)
    blocks_until: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[BookingStatus] = mapped_column(str_enum(BookingStatus, 16), default=BookingStatus.BOOKED)
    version: Mapped[int] = mapped_column(Integer, default=1)
    """Bumped by every change, so projections into the availability index apply in order and at most once."""
    title: Mapped[str | None] = mapped_column(String(200))
    attendee_count: Mapped[int | None] = mapped_column(Integer)
    series_id: Mapped[int | None] = mapped_column(ForeignKey("booking_series.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
    """Why someone else cancelled it (a closure, a retired desk), shown to the person; ``None`` when they did."""
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """Rooms checked out early: ``end_at`` was shortened to free the rest of the slot."""
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(String(500))

    space: Mapped[Space] = relationship(lazy="raise")
    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id], lazy="raise")

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class BookingAttendee(Base):
    """A colleague invited to a room booking: they receive it as a calendar invitation (and its cancellation)."""

    __tablename__ = "booking_attendees"

    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"), primary_key=True)
    employee_id: Mapped[int] = mapped_column(
        ForeignKey("employees.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class BookingSeries(Base):
    """A recurring booking: an RRULE expanded in the building's local time into one booking per occurrence."""

    __tablename__ = "booking_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
    booked_by_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"))
    rrule: Mapped[str] = mapped_column(String(500))
    """RFC 5545 recurrence rule, e.g. ``FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10``."""
    starts_on: Mapped[date] = mapped_column(Date)
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    time_zone: Mapped[str] = mapped_column(String(64))
    title: Mapped[str | None] = mapped_column(String(200))
    attendee_count: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class BookingRule(Base):
    """Booking rules for one kind of space in one building, or for every building when ``building_id`` is null.

    The building's row wins over the global one; the migration inserts the global rows, so rules are always data.
    """

    __tablename__ = "booking_rules"
    __table_args__ = (
        UniqueConstraint("building_id", "space_kind"),
        CheckConstraint(f"buffer_minutes BETWEEN 0 AND {MAX_BUFFER_MINUTES}", name="buffer_bounded"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int | None] = mapped_column(ForeignKey("buildings.id", ondelete="CASCADE"))
    space_kind: Mapped[SpaceKind] = mapped_column(str_enum(SpaceKind, 8))
    max_days_in_advance: Mapped[int] = mapped_column(Integer)
    min_duration_minutes: Mapped[int] = mapped_column(Integer)
    max_duration_minutes: Mapped[int] = mapped_column(Integer)
    max_active_bookings: Mapped[int] = mapped_column(Integer)
    """Bookings of this kind a person may hold that have not ended yet."""
    cancellation_deadline_minutes: Mapped[int] = mapped_column(Integer)
    """Cancelling is allowed until this many minutes before the start (0: until the start)."""
    check_in_opens_minutes: Mapped[int] = mapped_column(Integer)
    """Check-in opens this many minutes before the start."""
    check_in_grace_minutes: Mapped[int] = mapped_column(Integer)
    """A booking not checked in this many minutes after its start is released as a no-show (0: never)."""
    buffer_minutes: Mapped[int] = mapped_column(Integer)
    """The space stays blocked this long after each booking (rooms: changeover)."""
    closed_on_holidays: Mapped[bool] = mapped_column(Boolean)
    """Public holidays and cuti bersama are closed for booking."""


class IdempotencyKey(Base):
    """A mutation's result, stored in the same transaction as its effect, so a replay returns it unchanged."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("actor_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    operation: Mapped[str] = mapped_column(String(50))
    request_hash: Mapped[str] = mapped_column(String(64))
    """SHA-256 of the canonical request: the same key with another payload is refused."""
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def overlapping(
    start_at: datetime | ColumnElement[datetime],
    end_at: datetime | ColumnElement[datetime],
    *,
    until: InstrumentedAttribute[datetime] = Booking.blocks_until,
    since: datetime | ColumnElement[datetime] | None = None,
) -> ColumnElement[bool]:
    """Bookings overlapping ``[start_at, end_at)`` (by ``[start_at, until)``), in the form an index can serve.

    ``start_at < end AND until > start`` alone is a range on ``start_at`` open to the past: with an index on
    ``(space_id, start_at)`` or ``(employee_id, start_at)`` it reads every earlier booking of the space or person,
    a year of history at IKN scale. No booking starts more than :data:`MAX_BOOKING_SPAN` before it ends, so the
    lower bound below loses no overlap and makes the scan a few rows.

    The bound is worked out in Python (``start_at - MAX_BOOKING_SPAN``; SQLite cannot do that arithmetic on its
    text instants): a statement built once with bound parameters passes it as ``since``.
    """
    if since is None:
        if not isinstance(start_at, datetime):
            raise TypeError("overlapping: a bound start_at needs its bound `since` (start_at - MAX_BOOKING_SPAN)")
        since = start_at - MAX_BOOKING_SPAN
    return and_(Booking.start_at < end_at, until > start_at, Booking.start_at > since)
