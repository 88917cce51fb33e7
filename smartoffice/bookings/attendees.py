"""Colleagues invited to a room booking (``booking_attendees``): checked with the booking, written in its
transaction before its event, so the event's notifications (calendar invitations) find them.

The rules (:func:`check_invitations`): each invited colleague exists and is active, is not the person the room is
booked for, and is named once; at most the room's capacity minus one (the person booked takes a seat) and at most
:data:`MAX_INVITED`. The number attending counts the person booked: given, it must be at least the invited plus
one; not given, it is that. A booking without invitations reads nothing here (desks never come here).
"""

from collections.abc import Iterable, Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.bookings.errors import BookingInputCode
from smartoffice.bookings.models import BookingAttendee
from smartoffice.errors import InvalidInput
from smartoffice.people.models import Employee
from smartoffice.people.service import WITH_UNIT
from smartoffice.places.models import Space

MAX_INVITED = 50
"""Invitations per booking: a calendar invitation to more is a mailing list, not a meeting."""
FIELD = "attendeeIds"


def invited_limit(space: Space) -> int:
    return max(0, min(space.capacity - 1, MAX_INVITED))


async def check_invitations(
    session: AsyncSession, space: Space, person_id: int, attendee_ids: Sequence[int], attendee_count: int | None
) -> int:
    """Check the invitations of a booking of ``space`` for ``person_id``; returns the number attending."""
    if not attendee_ids:
        return 1 if attendee_count is None else attendee_count
    limit = invited_limit(space)
    if len(attendee_ids) > limit:
        raise InvalidInput(FIELD, BookingInputCode.TOO_MANY_ATTENDEES, max=limit)
    found = {
        employee_id: (name, active)
        for employee_id, name, active in await session.execute(
            select(Employee.id, Employee.name, Employee.active).where(Employee.id.in_(set(attendee_ids)))
        )
    }
    seen: set[int] = set()
    for employee_id in attendee_ids:
        if employee_id not in found:
            raise InvalidInput(FIELD, BookingInputCode.ATTENDEE_UNKNOWN)
        name, active = found[employee_id]
        if employee_id == person_id:
            raise InvalidInput(FIELD, BookingInputCode.ATTENDEE_IS_PERSON_BOOKED, name=name)
        if not active:
            raise InvalidInput(FIELD, BookingInputCode.ATTENDEE_INACTIVE, name=name)
        if employee_id in seen:
            raise InvalidInput(FIELD, BookingInputCode.ATTENDEE_REPEATED, name=name)
        seen.add(employee_id)
    needed = len(attendee_ids) + 1
    if attendee_count is None:
        return needed
    if attendee_count < needed:
        raise InvalidInput("attendeeCount", BookingInputCode.ATTENDEE_COUNT_TOO_LOW, needed=needed)
    return attendee_count


def add_attendees(session: AsyncSession, booking_id: int, attendee_ids: Iterable[int]) -> None:
    """The rows of a checked booking's invitations, in the caller's transaction (flushed with the next flush)."""
    session.add_all(BookingAttendee(booking_id=booking_id, employee_id=i) for i in attendee_ids)


async def attendees_by_booking(session: AsyncSession, booking_ids: Sequence[int]) -> dict[int, list[Employee]]:
    """Booking id → its invited colleagues (with unit and organisation), by name; one query."""
    if not booking_ids:
        return {}
    rows = await session.execute(
        select(BookingAttendee.booking_id, Employee)
        .join(Employee, Employee.id == BookingAttendee.employee_id)
        .where(BookingAttendee.booking_id.in_(set(booking_ids)))
        .options(WITH_UNIT)
        .order_by(Employee.name, Employee.id)
    )
    found: dict[int, list[Employee]] = {}
    for booking_id, employee in rows:
        found.setdefault(booking_id, []).append(employee)
    return found


async def employees_by_entry(session: AsyncSession, entries: Sequence[str]) -> list[int]:
    """The people named by ``entries`` (an e-mail address, any case, or a NIP, spaces ignored), in order.

    Raises InvalidInput naming the first entry that matches nobody (field ``attendees``); inactive people are
    returned, for :func:`check_invitations` to refuse by name. At most :data:`MAX_INVITED` entries are looked up."""
    if len(entries) > MAX_INVITED:
        raise InvalidInput("attendees", BookingInputCode.TOO_MANY_ATTENDEES, max=MAX_INVITED)
    keys = [_key(entry) for entry in entries]
    if not keys:
        return []
    emails = {k for k in keys if "@" in k}
    nips = {k for k in keys if "@" not in k}
    rows = await session.execute(
        select(Employee.id, func.lower(Employee.email), Employee.nip).where(
            or_(func.lower(Employee.email).in_(emails), Employee.nip.in_(nips))
        )
    )
    by_key: dict[str, int] = {}
    for employee_id, email, nip in rows:
        by_key[email] = employee_id
        by_key[nip] = employee_id
    ids = []
    for entry, key in zip(entries, keys, strict=True):
        if key not in by_key:
            raise InvalidInput("attendees", BookingInputCode.ATTENDEE_NOT_FOUND, entry=entry.strip())
        ids.append(by_key[key])
    return ids


def _key(entry: str) -> str:
    entry = entry.strip()
    return entry.lower() if "@" in entry else "".join(entry.split())
