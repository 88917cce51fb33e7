"""Cancelling everything in a date range at once: a person going on leave.

What is cancelled: the person's own active bookings (desks and rooms) and the room bookings they made for others
(they organised the meeting), that start on a local day of their building from ``first`` to ``last`` and have not
started yet. A booking whose cancellation deadline has passed is kept and said so (the rule that refuses cancelling
it alone holds here too); the rest are cancelled in one transaction, with one event each, like ``cancel`` (which
audits nothing either: a person's own bookings are not an administrative change), and the desks they free go to
the waitlists' first in line in the same transaction (``waitlist/grant.py``). The
preview runs the same selection without changing anything, so the confirmation page lists what the POST cancels.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from smartoffice.availability.service import AvailabilityService
from smartoffice.bookings import idempotency
from smartoffice.bookings.models import ACTIVE_STATUSES, Booking, BookingRule, BookingStatus
from smartoffice.bookings.rules import rules_for
from smartoffice.bookings.service import BookingService
from smartoffice.db import Database, utcnow
from smartoffice.errors import CommonInputCode, InvalidInput
from smartoffice.integrations import events
from smartoffice.integrations.models import EventKind
from smartoffice.places.models import Floor, Space, SpaceKind
from smartoffice.waitlist.grant import grant_freed

MAX_RANGE_DAYS = 366
"""A year of leave at most in one go: a longer range is almost certainly a typo in the year."""
OPERATION = "cancel_range"

WITH_PLACE = joinedload(Booking.space).joinedload(Space.floor).joinedload(Floor.building)


@dataclass(frozen=True, slots=True)
class RangeCancellation:
    """What cancelling the range does (a preview) or did."""

    cancelled: Sequence[Booking]
    """Cancelled (or, in a preview, to be cancelled), in start order, with their place loaded."""
    kept: Sequence[Booking]
    """Past their cancellation deadline: left as they are."""


def check_range(first: date, last: date) -> None:
    if last < first:
        raise InvalidInput("until", CommonInputCode.RANGE_REVERSED)
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise InvalidInput("until", CommonInputCode.RANGE_TOO_LONG, max_days=MAX_RANGE_DAYS)


class CancelRangeService:
    def __init__(self, db: Database, availability: AvailabilityService, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.availability = availability
        self.clock = clock

    async def preview(self, actor_id: int, first: date, last: date) -> RangeCancellation:
        """What :meth:`cancel` would do now. Raises InvalidInput for a reversed or over-long range."""
        check_range(first, last)
        async with self.db.read() as session:
            return await self._select(session, actor_id, first, last, lock=False)

    async def cancel(
        self, actor_id: int, first: date, last: date, *, idempotency_key: str | None = None
    ) -> RangeCancellation:
        """Cancel the range's bookings in one transaction (see the module). A replayed key answers what the first
        request cancelled, and cancels nothing more."""
        check_range(first, last)
        digest = idempotency.request_hash(OPERATION, {"from": first, "until": last})
        key = idempotency.check_key(idempotency_key) if idempotency_key is not None else None
        now = self.clock()
        async with self.db.write() as session:
            if key is not None and (
                stored := await idempotency.stored_result(session, actor_id, key, OPERATION, digest)
            ):
                ids = stored["booking_ids"]
                replayed = (await session.scalars(select(Booking).where(Booking.id.in_(ids)).options(WITH_PLACE))).all()
                return RangeCancellation(sorted(replayed, key=_start_order), [])
            found = await self._select(session, actor_id, first, last, lock=True)
            for booking in found.cancelled:
                booking.status = BookingStatus.CANCELLED
                booking.cancelled_at = now
                booking.version += 1
            await events.record(session, EventKind.CANCELLED, found.cancelled, actor_id=actor_id)
            # the freed desks go to their waitlists' first in line in this same commit, as a single cancel's do
            granted = await grant_freed(
                session, found.cancelled, now, BookingService(self.db, self.availability, lambda: now)
            )
            if key is not None:
                result = {"booking_ids": [b.id for b in found.cancelled]}
                idempotency.record(session, actor_id, key, OPERATION, digest, result)
        for booking in [*found.cancelled, *granted]:
            space = booking.space
            await self.availability.project(booking, space.floor_id, space.floor.building.time_zone)
        return found

    async def _select(
        self, session: AsyncSession, actor_id: int, first: date, last: date, *, lock: bool
    ) -> RangeCancellation:
        now = self.clock()
        # A day either side covers every Indonesian zone (UTC+7 to +9); the local days are checked per booking.
        earliest = max(now, datetime.combine(first - timedelta(days=1), datetime.min.time(), tzinfo=now.tzinfo))
        latest = datetime.combine(last + timedelta(days=2), datetime.min.time(), tzinfo=now.tzinfo)
        query = (
            select(Booking)
            .where(
                or_(
                    Booking.employee_id == actor_id,
                    and_(Booking.booked_by_id == actor_id, Booking.space_kind == SpaceKind.ROOM),
                ),
                Booking.status.in_(ACTIVE_STATUSES),
                Booking.start_at > earliest,
                Booking.start_at < latest,
            )
            .options(WITH_PLACE)
            .order_by(Booking.start_at, Booking.id)
        )
        if lock:
            query = query.with_for_update(of=Booking)
        rules: dict[tuple[int, SpaceKind], BookingRule] = {}
        cancelled: list[Booking] = []
        kept: list[Booking] = []
        for booking in (await session.scalars(query)).unique():
            building = booking.space.floor.building
            local_day = booking.start_at.astimezone(ZoneInfo(building.time_zone)).date()
            if not first <= local_day <= last or booking.start_at <= now:
                continue
            pair = (building.id, booking.space_kind)
            if pair not in rules:
                rules[pair] = await rules_for(session, *pair)
            deadline = booking.start_at - timedelta(minutes=rules[pair].cancellation_deadline_minutes)
            (kept if now > deadline else cancelled).append(booking)
        return RangeCancellation(cancelled, kept)


def _start_order(booking: Booking) -> tuple[datetime, int]:
    return booking.start_at, booking.id
