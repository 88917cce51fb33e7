"""Giving a freed desk to the first person waiting for it, inside the transaction that freed it.

Called by every path that frees a desk for others (a cancellation, the no-show release) before its commit, so a
desk is never seen free while someone waits for it and two releases can never hand one person two desks or one
desk to two people:

* the line is the waiting entries of the desk's floor and local day whose zone is none or the desk's, in
  ``(joined_at, id)`` order. After the desk's own row lock (the space before the person, the order every booking
  takes), the first entry is taken together with its person's row, ``FOR NO KEY UPDATE ... SKIP LOCKED``, one at
  a time (``LIMIT 1``): a concurrent release of another desk skips the person this one is deciding (in any of
  their lines) and offers its desk to the next, so a grant never waits for another grant, and two grants cannot
  wait for each other's people (a deadlock). The price: a person whose row another transaction holds at that
  instant (it is granting or booking them a desk) is passed over by this offer only. SQLite renders no lock
  clause: its write transactions run one after the other;
* the booking is made by :meth:`BookingService.prepare` (every rule, with the space's and then the person's row
  lock, as every booking takes them) and inserted in a savepoint, so the exclusion constraints (PostgreSQL) or the
  overlap triggers (SQLite) stay the arbiter; a failed insert never undoes the freeing itself;
* a person the rules refuse (they booked another desk meanwhile, their quota is full, they left the organisation)
  is skipped, the error's code recorded on their entry, and the desk is offered to the next. A refusal about the
  desk itself (it is not free for the whole day, the day is over, the floor is closed) ends the offer: the desk
  stays free and the line keeps its order;
* a person granted a desk leaves their other lines for that day (those another transaction is deciding right now
  are skipped: that transaction will find the person booked and skip them with PERSON_ALREADY_BOOKED).

The grant books the whole day (the building's hours) for the person, booked by them (they asked by joining), and
adds the usual ``created`` event to the outbox; the caller projects the returned bookings into the index after
its commit, as it projects the freed ones.

Not covered: a join that commits while a desk is being freed (the join saw the desk taken, the grant did not see
the entry yet) leaves that person waiting beside a free desk, which the floor page then shows them as free.
"""

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.bookings.errors import BookingInputCode
from smartoffice.bookings.models import (
    PERSON_OVERLAP_CONSTRAINT,
    SPACE_OVERLAP_CONSTRAINT,
    SQLITE_OVERLAP_ERROR,
    Booking,
)
from smartoffice.bookings.requests import BookDeskRequest
from smartoffice.errors import BookingConflict, ConflictKind, DomainError, InvalidInput
from smartoffice.identity.account_errors import AccountInputCode
from smartoffice.integrations import events
from smartoffice.integrations.models import EventKind
from smartoffice.people.models import Employee
from smartoffice.places.models import Building, Floor, Space, SpaceKind
from smartoffice.waitlist.models import WaitlistEntry, WaitlistStatus

if TYPE_CHECKING:
    from smartoffice.bookings.service import BookingService

PERSONAL_INPUT_CODES = frozenset({BookingInputCode.LIMIT_REACHED, AccountInputCode.PERSON_INACTIVE})
"""Refusals of valid input that are about the person, not the desk: the next person may still get it."""
OVERLAP_GUARDS = (SPACE_OVERLAP_CONSTRAINT, PERSON_OVERLAP_CONSTRAINT, SQLITE_OVERLAP_ERROR)


async def grant_freed(
    session: AsyncSession, freed: Sequence[Booking], now: datetime, bookings: "BookingService"
) -> list[Booking]:
    """Offer each desk ``freed`` (cancelled or released bookings, in the caller's write transaction) to its line.

    Returns the bookings granted (flushed, with their space, floor and building loaded), for the caller to project
    after its commit."""
    desks = [b for b in freed if b.space_kind == SpaceKind.DESK and b.end_at > now]
    if not desks:
        return []
    await session.flush()  # the freeing must be visible to the checks (the session does not autoflush)
    places = await _places(session, desks)
    offers: set[tuple[int, date]] = set()
    for booking in desks:
        time_zone = places[booking.space_id][2]
        offers.add((booking.space_id, booking.start_at.astimezone(ZoneInfo(time_zone)).date()))
    if not await _anyone_waiting(session, {places[s][0] for s, _ in offers}, {d for _, d in offers}):
        return []  # the usual case: no line, no locks
    granted: list[Booking] = []
    for space_id, day in sorted(offers):  # one order for the spaces' locks
        floor_id, zone_id, _time_zone = places[space_id]
        if (grant := await _offer(session, bookings, space_id, floor_id, zone_id, day, now)) is not None:
            granted.append(grant)
    await events.record(session, EventKind.CREATED, granted, cause="waitlist")
    return granted


async def _offer(
    session: AsyncSession,
    bookings: "BookingService",
    desk_id: int,
    floor_id: int,
    zone_id: int | None,
    day: date,
    now: datetime,
) -> Booking | None:
    """The desk to the first person in its line whom the rules let book it; ``None`` when nobody gets it."""
    # The space's lock first, as every booking takes it before the person's (see BookingService.prepare).
    await session.execute(select(Space.id).where(Space.id == desk_id).with_for_update(key_share=True))
    line = (
        select(WaitlistEntry)
        .join(Employee, Employee.id == WaitlistEntry.employee_id)
        .where(
            WaitlistEntry.floor_id == floor_id,
            WaitlistEntry.day == day,
            WaitlistEntry.status == WaitlistStatus.WAITING,
            or_(WaitlistEntry.zone_id.is_(None), WaitlistEntry.zone_id == zone_id),
        )
        .order_by(WaitlistEntry.joined_at, WaitlistEntry.id)
        .limit(1)
        .with_for_update(skip_locked=True, key_share=True, of=(WaitlistEntry, Employee))
    )
    while (entry := await session.scalar(line)) is not None:
        try:
            async with session.begin_nested():
                booking = await bookings.prepare(session, entry.employee_id, BookDeskRequest(desk_id, day))
                session.add(booking)
                await session.flush()
        except IntegrityError as exc:  # the constraint saw a booking the checks could not
            if not any(name in str(exc.orig) for name in OVERLAP_GUARDS):
                raise
            if PERSON_OVERLAP_CONSTRAINT not in str(exc.orig):
                return None  # the desk is not free after all
            reason = ConflictKind.PERSON_ALREADY_BOOKED.value
        except DomainError as error:
            if not _is_about_the_person(error):
                return None
            reason = error.code
        else:
            entry.status, entry.booking_id, entry.resolved_at = WaitlistStatus.GRANTED, booking.id, now
            await session.flush()  # the next offer's line query must not see this entry waiting (no autoflush)
            await _leave_other_lines(session, entry, now)
            return booking
        entry.status, entry.skip_reason, entry.resolved_at = WaitlistStatus.SKIPPED, reason, now
        await session.flush()
    return None


def _is_about_the_person(error: DomainError) -> bool:
    if isinstance(error, BookingConflict):
        return all(c.kind == ConflictKind.PERSON_ALREADY_BOOKED for c in error.conflicts)
    if isinstance(error, InvalidInput):
        return error.error_code in PERSONAL_INPUT_CODES
    return True  # not allowed to book (permission, policy, quota): this person only


async def _leave_other_lines(session: AsyncSession, granted: WaitlistEntry, now: datetime) -> None:
    others = (
        select(WaitlistEntry.id)
        .where(
            WaitlistEntry.employee_id == granted.employee_id,
            WaitlistEntry.day == granted.day,
            WaitlistEntry.status == WaitlistStatus.WAITING,
            WaitlistEntry.id != granted.id,
        )
        .with_for_update(skip_locked=True)
    )
    ids = list(await session.scalars(others))
    if ids:
        await session.execute(
            update(WaitlistEntry)
            .where(WaitlistEntry.id.in_(ids))
            .values(status=WaitlistStatus.SKIPPED, skip_reason="PERSON_ALREADY_BOOKED", resolved_at=now)
            .execution_options(synchronize_session=False)
        )


async def _anyone_waiting(session: AsyncSession, floor_ids: set[int], days: set[date]) -> bool:
    waiting = select(WaitlistEntry.id).where(
        WaitlistEntry.floor_id.in_(sorted(floor_ids)),
        WaitlistEntry.day.in_(sorted(days)),
        WaitlistEntry.status == WaitlistStatus.WAITING,
    )
    return await session.scalar(waiting.limit(1)) is not None


async def _places(session: AsyncSession, desks: Sequence[Booking]) -> dict[int, tuple[int, int | None, str]]:
    """Each freed desk's floor, zone and building time zone: from the booking's loaded space where the caller loaded
    it with its floor and building (a cancellation does), else in one query."""
    places: dict[int, tuple[int, int | None, str]] = {}
    for booking in desks:
        space = booking.__dict__.get("space")  # never a lazy load: only what is already in memory
        floor = space.__dict__.get("floor") if space is not None else None
        building = floor.__dict__.get("building") if floor is not None else None
        if space is not None and building is not None:
            places[booking.space_id] = (space.floor_id, space.zone_id, building.time_zone)
    missing = sorted({b.space_id for b in desks} - places.keys())
    if missing:
        rows = await session.execute(
            select(Space.id, Space.floor_id, Space.zone_id, Building.time_zone)
            .join(Floor, Floor.id == Space.floor_id)
            .join(Building, Building.id == Floor.building_id)
            .where(Space.id.in_(missing))
        )
        places.update((space_id, (floor_id, zone_id, zone)) for space_id, floor_id, zone_id, zone in rows)
    return places
