"""After the booking phase: prove in SQL that nothing was double-booked and no acknowledged booking was lost."""

from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from smartoffice.bench.scenarios import BookingTally
from smartoffice.bookings.models import ACTIVE_STATUSES, Booking
from smartoffice.db import Database
from smartoffice.places.models import SpaceKind


@dataclass(frozen=True)
class Audit:
    space_double_bookings: int
    """Pairs of live bookings of one space whose times overlap (over the whole table)."""
    person_double_bookings: int
    """Pairs of live desk bookings of one person whose times overlap."""
    live_from_run: int
    """Live bookings created by the run."""
    acknowledged_missing: int
    """Bookings the clients were told succeeded (and did not cancel) that SQL does not hold as live."""

    @property
    def double_bookings(self) -> int:
        return self.space_double_bookings + self.person_double_bookings

    @property
    def ok(self) -> bool:
        return self.double_bookings == 0 and self.acknowledged_missing == 0

    def summary(self) -> str:
        return (
            f"{self.double_bookings} double bookings; {self.live_from_run} live bookings from the run, "
            f"{self.acknowledged_missing} acknowledged but missing"
        )


async def audit_bookings(db: Database, tally: BookingTally, max_id_before: int) -> Audit:
    a, b = aliased(Booking), aliased(Booking)
    live = and_(a.status.in_(ACTIVE_STATUSES), b.status.in_(ACTIVE_STATUSES), a.id < b.id)
    space_pairs = (
        select(func.count())
        .select_from(a)
        .join(b, and_(a.space_id == b.space_id, live, a.start_at < b.blocks_until, b.start_at < a.blocks_until))
        .where(b.id > max_id_before)
    )
    person_pairs = (
        select(func.count())
        .select_from(a)
        .join(
            b,
            and_(
                a.employee_id == b.employee_id,
                live,
                a.space_kind == SpaceKind.DESK,
                b.space_kind == SpaceKind.DESK,
                a.start_at < b.end_at,
                b.start_at < a.end_at,
            ),
        )
        .where(b.id > max_id_before)
    )
    async with db.read() as session:
        spaces = await session.scalar(space_pairs)
        people = await session.scalar(person_pairs)
        live_ids = set(
            await session.scalars(
                select(Booking.id).where(Booking.id > max_id_before, Booking.status.in_(ACTIVE_STATUSES))
            )
        )
    missing = sum(1 for booking_id in tally.kept if booking_id not in live_ids)
    return Audit(spaces or 0, people or 0, len(live_ids), missing)
