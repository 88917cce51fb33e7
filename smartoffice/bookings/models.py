"""The booking row and the constraints that make double booking impossible.

PostgreSQL: two exclusion constraints over active bookings (``btree_gist``):

* a space is held by at most one active booking at any instant: ``(space_id =, [start_at, end_at) &&)``;
* a person holds at most one desk at any instant: ``(employee_id =, [start_at, end_at) &&)`` over desk bookings.

SQLite has no exclusion constraints: the service checks the same overlap predicate inside a ``BEGIN IMMEDIATE``
transaction (see ``smartoffice.db``), and triggers raise on any insert or update that would overlap, as defence
in depth for code paths that forget. Both databases turn a violation into :class:`~smartoffice.errors.BookingConflict`.
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DDL, CheckConstraint, ForeignKey, Index, String, event, func, text
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smartoffice.db import Base, UTCDateTime, str_enum, utcnow
from smartoffice.people.models import Employee
from smartoffice.places.models import Space, SpaceKind


class BookingStatus(StrEnum):
    BOOKED = "booked"
    CANCELLED = "cancelled"


ACTIVE_STATUSES = (BookingStatus.BOOKED,)
ACTIVE_PREDICATE = "status = 'booked'"
"""SQL for "this booking holds its space" (shared by the constraints, the triggers and the queries)."""

SPACE_OVERLAP_CONSTRAINT = "ex_bookings_space_overlap"
PERSON_OVERLAP_CONSTRAINT = "ex_bookings_person_desk_overlap"
SQLITE_OVERLAP_ERROR = "booking_overlap"


class Booking(Base):
    __tablename__ = "bookings"
    __table_args__ = (
        CheckConstraint("start_at < end_at", name="start_before_end"),
        Index("ix_bookings_space_time", "space_id", "start_at"),
        Index("ix_bookings_employee_time", "employee_id", "start_at"),
        ExcludeConstraint(
            ("space_id", "="),
            (func.tstzrange(text("start_at"), text("end_at"), text("'[)'")), "&&"),
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
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[BookingStatus] = mapped_column(str_enum(BookingStatus, 16), default=BookingStatus.BOOKED)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(String(500))

    space: Mapped[Space] = relationship(lazy="raise")
    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id], lazy="raise")

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


def _sqlite_overlap_trigger(name: str, when: str) -> str:
    return f"""
CREATE TRIGGER {name} BEFORE {when} ON bookings
WHEN NEW.{ACTIVE_PREDICATE} AND EXISTS (
    SELECT 1 FROM bookings AS b
    WHERE b.{ACTIVE_PREDICATE} AND b.id IS NOT NEW.id
      AND b.start_at < NEW.end_at AND NEW.start_at < b.end_at
      AND (b.space_id = NEW.space_id
           OR (b.employee_id = NEW.employee_id AND b.space_kind = 'desk' AND NEW.space_kind = 'desk'))
)
BEGIN
    SELECT RAISE(ABORT, '{SQLITE_OVERLAP_ERROR}');
END
"""


SQLITE_TRIGGERS = {
    "trg_bookings_no_overlap_insert": _sqlite_overlap_trigger("trg_bookings_no_overlap_insert", "INSERT"),
    "trg_bookings_no_overlap_update": _sqlite_overlap_trigger(
        "trg_bookings_no_overlap_update", "UPDATE OF status, start_at, end_at, space_id, employee_id"
    ),
}

for _ddl in SQLITE_TRIGGERS.values():
    event.listen(Booking.__table__, "after_create", DDL(_ddl).execute_if(dialect="sqlite"))
