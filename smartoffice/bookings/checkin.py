"""Checking in to a booking, and checking out of it early.

Three ways in, one rule. By booking id (the API, a list of one's bookings) or at the space (the QR code on a desk
or room, a room display or an e-presensi kiosk): the booked person, or whoever booked for them, checks in from the
rule's ``check_in_opens_minutes`` before the start until the booking ends. What this module decides where the
issue was silent:

* **Checking in twice is not an error.** The second call changes nothing and says so (``already_checked_in``):
  a QR code scanned twice or a kiosk retrying a request is harmless, and the caller still learns what happened.
* **Late is still in time until the release runs.** A booking still BOOKED after its grace period (the no-show
  job has not reached it yet) can be checked in: SQL still holds the space for its owner. Check-in locks the row
  and the release job only releases rows still BOOKED, so exactly one of the two wins.
* **Check-out ends the booking at the next quarter hour** (the slot in progress stays held, at least one slot
  after the start), and ``blocks_until`` moves with it so a room keeps its changeover buffer. The booking stays
  CHECKED_IN with ``checked_out_at`` set: it was used, for its new span.
* **Nobody checks in for a person who left** (``Employee.active`` false), by any way in: refused with the error
  booking for them gets (``PERSON_INACTIVE``), before anything else is said about the booking.

Every change bumps ``version`` and is projected after its commit; the index's versioned projection frees the
booking's previous slots and marks its current ones, so a shortened booking frees its tail.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from smartoffice.availability.service import AvailabilityService
from smartoffice.availability.slots import SLOT, LocalDay
from smartoffice.bookings.errors import BookingInputCode, BookingPermissionCode
from smartoffice.bookings.models import ACTIVE_STATUSES, Booking, BookingStatus
from smartoffice.bookings.rules import rules_for
from smartoffice.bookings.visibility import refusal
from smartoffice.db import Database, utcnow
from smartoffice.errors import InvalidInput, NotFound, NotFoundCode
from smartoffice.identity.account_errors import AccountInputCode
from smartoffice.integrations import events
from smartoffice.integrations.models import EventKind
from smartoffice.people import service as people
from smartoffice.places import service as places
from smartoffice.places.models import Floor, Space
from smartoffice.places.service import SPACE_TYPE_NAMES

REFUSED_STATUS_CODES = {
    BookingStatus.PENDING: BookingInputCode.AWAITING_APPROVAL,
    BookingStatus.CANCELLED: BookingInputCode.ALREADY_CANCELLED,
    BookingStatus.REJECTED: BookingInputCode.BOOKING_REJECTED,
    BookingStatus.RELEASED: BookingInputCode.BOOKING_RELEASED,
}
"""Why a booking in each of these states cannot be checked in (or out)."""

WITH_PLACE = joinedload(Booking.space).joinedload(Space.floor).joinedload(Floor.building)


@dataclass(frozen=True, slots=True)
class CheckIn:
    booking: Booking
    """With its space, floor and building loaded."""
    already_checked_in: bool
    """The booking was checked in before this call, which changed nothing."""


class NoBookingToCheckIn(NotFound):
    """The actor holds no booking of the space that could be checked in now, or later today."""

    def __init__(self, space: Space) -> None:
        super().__init__(SPACE_TYPE_NAMES[space.kind], space.id, NotFoundCode.NO_BOOKING_TO_CHECK_IN)


@dataclass(frozen=True, slots=True)
class SpaceToday:
    """A space as its QR code's page shows it to the actor: their bookings of it that have not ended today."""

    space: Space
    """With its floor and building loaded."""
    bookings: Sequence[Booking]
    """In start order; active ones (pending, booked, checked in) only."""
    opens_before_start: timedelta
    now: datetime

    def opens_at(self, booking: Booking) -> datetime:
        return booking.start_at - self.opens_before_start

    def can_check_in(self, booking: Booking) -> bool:
        return booking.status == BookingStatus.BOOKED and self.opens_at(booking) <= self.now < booking.end_at

    def can_check_out(self, booking: Booking) -> bool:
        return booking.status == BookingStatus.CHECKED_IN and booking.checked_out_at is None


class CheckInService:
    def __init__(self, db: Database, availability: AvailabilityService, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.availability = availability
        self.clock = clock

    async def check_in(self, actor_id: int, booking_id: int) -> CheckIn:
        """Raises NotFound, PermissionDenied, or InvalidInput (field ``bookingId``); changes nothing then."""
        async with self.db.write() as session:
            booking = await _locked_booking(session, booking_id)
            if not is_yours(actor_id, booking):
                raise await refusal(session, actor_id, booking, BookingPermissionCode.NOT_YOUR_BOOKING)
            await _refuse_leaver(session, booking.employee_id, "bookingId")
            if booking.status == BookingStatus.CHECKED_IN:
                if booking.checked_out_at is not None:
                    raise InvalidInput("bookingId", BookingInputCode.ALREADY_CHECKED_OUT)
                return CheckIn(booking, already_checked_in=True)
            _refuse_inactive(booking, "bookingId")
            now = self.clock()
            if booking.end_at <= now:
                raise InvalidInput("bookingId", BookingInputCode.ALREADY_ENDED)
            opens_before = await self._opens_before_start(session, booking.space)
            if now < booking.start_at - opens_before:
                raise _not_open(booking, opens_before, now, "bookingId")
            _mark_checked_in(booking, now)
            await events.record(session, EventKind.CHECKED_IN, booking, actor_id=actor_id)
        await self._project(booking)
        return CheckIn(booking, already_checked_in=False)

    async def check_in_at_space(self, actor_id: int, space_id: int) -> CheckIn:
        """Check in the actor's booking of a space that is open for check-in now (the QR code's way in).

        Prefers a booking to check in over one already checked in (back-to-back bookings of one desk). Raises
        NotFound (no such space; :class:`NoBookingToCheckIn`), or InvalidInput (field ``spaceId``) when the
        actor's booking there opens later or awaits approval.
        """
        async with self.db.write() as session:
            space = await places.get_space(session, space_id)
            await _refuse_leaver(session, actor_id, "spaceId")
            opens_before = await self._opens_before_start(session, space)
            now = self.clock()
            bookings = await _bookings_today(session, actor_id, space, opens_before, now, for_update=True)
            opened = [b for b in bookings if b.start_at - opens_before <= now]
            to_check_in = next((b for b in opened if b.status == BookingStatus.BOOKED), None)
            if to_check_in is None:
                checked_in = next((b for b in opened if _is_in(b)), None)
                if checked_in is not None:
                    return CheckIn(checked_in, already_checked_in=True)
                later = next((b for b in bookings if b.status == BookingStatus.BOOKED), None)
                if later is not None:
                    raise _not_open(later, opens_before, now, "spaceId")
                if any(b.status == BookingStatus.PENDING for b in bookings):
                    raise InvalidInput("spaceId", BookingInputCode.AWAITING_APPROVAL)
                raise NoBookingToCheckIn(space)
            _mark_checked_in(to_check_in, now)
            await events.record(session, EventKind.CHECKED_IN, to_check_in, actor_id=actor_id)
        await self._project(to_check_in)
        return CheckIn(to_check_in, already_checked_in=False)

    async def check_out(self, actor_id: int, booking_id: int) -> Booking:
        """End a checked-in booking now, rounded up to the next slot boundary, and free the rest of it.

        Raises NotFound, PermissionDenied, or InvalidInput (field ``bookingId``); changes nothing then.
        """
        async with self.db.write() as session:
            booking = await _locked_booking(session, booking_id)
            if not is_yours(actor_id, booking):
                raise await refusal(session, actor_id, booking, BookingPermissionCode.NOT_YOUR_BOOKING)
            if booking.status == BookingStatus.BOOKED:
                raise InvalidInput("bookingId", BookingInputCode.NOT_CHECKED_IN)
            _refuse_inactive(booking, "bookingId")
            if booking.checked_out_at is not None:
                raise InvalidInput("bookingId", BookingInputCode.ALREADY_CHECKED_OUT)
            now = self.clock()
            if booking.end_at <= now:
                raise InvalidInput("bookingId", BookingInputCode.ALREADY_ENDED)
            new_end = max(next_slot_boundary(now, booking.space.floor.building.time_zone), booking.start_at + SLOT)
            if new_end < booking.end_at:
                booking.blocks_until -= booking.end_at - new_end
                booking.end_at = new_end
            booking.checked_out_at = now
            booking.version += 1
            await events.record(session, EventKind.CHECKED_OUT, booking, actor_id=actor_id)
        await self._project(booking)
        return booking

    async def today_at_space(self, actor_id: int | None, space_id: int) -> SpaceToday:
        """What the check-in page shows (no bookings for nobody). Raises NotFound for an unknown space."""
        async with self.db.read() as session:
            space = await places.get_space(session, space_id)
            opens_before = await self._opens_before_start(session, space)
            now = self.clock()
            bookings: Sequence[Booking] = []
            if actor_id is not None:
                bookings = await _bookings_today(session, actor_id, space, opens_before, now)
        return SpaceToday(space, bookings, opens_before, now)

    async def _project(self, booking: Booking) -> None:
        space = booking.space
        await self.availability.project(booking, space.floor_id, space.floor.building.time_zone)

    @staticmethod
    async def _opens_before_start(session: AsyncSession, space: Space) -> timedelta:
        rule = await rules_for(session, space.floor.building_id, space.kind)
        return timedelta(minutes=rule.check_in_opens_minutes)


def is_yours(actor_id: int, booking: Booking) -> bool:
    """Who may check a booking in or out: the person booked, or whoever booked for them."""
    return actor_id in (booking.employee_id, booking.booked_by_id)


def next_slot_boundary(instant: datetime, time_zone: str) -> datetime:
    """``instant`` rounded up to a slot boundary of its local day (unchanged when already on one)."""
    day = LocalDay(instant.astimezone(ZoneInfo(time_zone)).date(), time_zone)
    slots = -((day.start_at - instant) // SLOT)
    return day.start_at + slots * SLOT


def _is_in(booking: Booking) -> bool:
    return booking.status == BookingStatus.CHECKED_IN and booking.checked_out_at is None


def _mark_checked_in(booking: Booking, now: datetime) -> None:
    booking.status = BookingStatus.CHECKED_IN
    booking.checked_in_at = now
    booking.version += 1


async def _refuse_leaver(session: AsyncSession, employee_id: int, field: str) -> None:
    """The booked person left: the refusal :func:`smartoffice.bookings.checks.check_person_active` gives bookings,
    on this way in's own field."""
    employee = await people.get_employee(session, employee_id)
    if not employee.active:
        raise InvalidInput(field, AccountInputCode.PERSON_INACTIVE, name=employee.name)


def _refuse_inactive(booking: Booking, field: str) -> None:
    code = REFUSED_STATUS_CODES.get(booking.status)
    if code is not None:
        raise InvalidInput(field, code)


def _not_open(booking: Booking, opens_before: timedelta, now: datetime, field: str) -> InvalidInput:
    zone = ZoneInfo(booking.space.floor.building.time_zone)
    opens = (booking.start_at - opens_before).astimezone(zone)
    shown = f"{opens:%H:%M}" if opens.date() == now.astimezone(zone).date() else f"{opens:%Y-%m-%d %H:%M}"
    return InvalidInput(
        field, BookingInputCode.CHECK_IN_NOT_OPEN, opens=shown, minutes=int(opens_before.total_seconds() // 60)
    )


async def _locked_booking(session: AsyncSession, booking_id: int) -> Booking:
    """The booking with its place, locked against the release job (PostgreSQL; SQLite's write lock is global)."""
    query = select(Booking).where(Booking.id == booking_id).options(WITH_PLACE).with_for_update(of=Booking)
    booking = await session.scalar(query)
    if booking is None:
        raise NotFound("Booking", booking_id)
    return booking


async def _bookings_today(
    session: AsyncSession,
    employee_id: int,
    space: Space,
    opens_before: timedelta,
    now: datetime,
    *,
    for_update: bool = False,
) -> Sequence[Booking]:
    """The person's active bookings of the space that have not ended and start today (local), or whose check-in
    has already opened (a booking just after midnight)."""
    time_zone = space.floor.building.time_zone
    today = LocalDay(now.astimezone(ZoneInfo(time_zone)).date(), time_zone)
    query = (
        select(Booking)
        .where(
            Booking.space_id == space.id,
            Booking.employee_id == employee_id,
            Booking.status.in_(ACTIVE_STATUSES),
            Booking.end_at > now,
            Booking.start_at < max(today.end_at, now + opens_before),
        )
        .options(WITH_PLACE)
        .order_by(Booking.start_at, Booking.id)
    )
    if for_update:
        query = query.with_for_update(of=Booking)
    return (await session.scalars(query)).all()
