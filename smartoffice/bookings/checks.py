"""The booking rules, checked in one place for every way a booking is made (desk, room, recurring, dry run).

Each check raises a typed domain error with a stable code; nothing here writes. The rules' numbers come from
``BookingRule`` rows (see ``rules.py``), closures from ``Closure`` rows and holidays from the working calendar.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol

from sqlalchemy import ColumnElement, ScalarSelect, Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.availability.slots import LocalDay, is_on_slot_boundary
from smartoffice.bookings.errors import BookingInputCode
from smartoffice.bookings.models import ACTIVE_STATUSES, Booking
from smartoffice.bookings.rules import RuleNumbers
from smartoffice.errors import CommonInputCode, InvalidInput
from smartoffice.identity.account_errors import AccountInputCode
from smartoffice.places.models import Closure, DeskRelease, OpeningHours, Space, SpaceKind, hours_on
from smartoffice.policies.collective_leave import works_on_collective_leave
from smartoffice.workcalendar.models import DayKind
from smartoffice.workcalendar.service import WorkingCalendar


@dataclass(frozen=True, slots=True)
class Window:
    """A requested booking, resolved to instants."""

    day: LocalDay
    start_at: datetime
    end_at: datetime
    blocks_until: datetime


MAX_TITLE_LENGTH = 200
"""A room booking's (and a series') title: the column's length."""


def check_title(title: str | None) -> None:
    """Refused here with the limit rather than by the database (a masked "Unexpected error.")."""
    if title is not None and len(title) > MAX_TITLE_LENGTH:
        raise InvalidInput("title", CommonInputCode.TEXT_TOO_LONG, max=MAX_TITLE_LENGTH)


def check_in_service(space: Space) -> None:
    """A retired space (or one on a retired floor or building) or a space marked not bookable takes no booking.

    Needs the space's floor and building loaded. Retiring cascades down (``places/editing.py``): a retired site's
    or zone's spaces are retired with it, so the space's own ``retired_at`` covers them."""
    label = space.name or space.code
    floor, building = space.floor, space.floor.building
    if space.retired_at is not None or floor.retired_at is not None or building.retired_at is not None:
        raise InvalidInput("spaceId", BookingInputCode.PLACE_RETIRED, space=label)
    if not space.bookable:
        raise InvalidInput("spaceId", BookingInputCode.NOT_BOOKABLE, space=label)


@dataclass(frozen=True, slots=True)
class PlaceHours:
    """What a booking's window is worked out from: the space's kind and own hours, and its building's hours.

    Taken from a loaded ``Space`` (:meth:`of`) or from the process's cache of places (``bookings/facts.py``)."""

    kind: SpaceKind
    space_name: str | None
    building_name: str
    time_zone: str
    opens_at: time
    closes_at: time
    opening_hours: OpeningHours | None
    bookable_hours: Mapping[str, list[str]] | None
    """A room's own hours by ISO weekday (``None``: the building's)."""

    @classmethod
    def of(cls, space: Space) -> "PlaceHours":
        """``space`` with its floor and building loaded."""
        building = space.floor.building
        return cls(
            space.kind,
            space.name,
            building.name,
            building.time_zone,
            building.opens_at,
            building.closes_at,
            building.opening_hours,
            space.bookable_hours,
        )


def resolve_window(space: Space, rule: RuleNumbers, day: date, start: time | None, end: time | None) -> Window:
    """Turn local times into instants, checking them against the space's hours. Desks default to a whole day."""
    return resolve_place_window(PlaceHours.of(space), rule, day, start, end)


def resolve_place_window(
    place: PlaceHours, rule: RuleNumbers, day: date, start: time | None, end: time | None
) -> Window:
    """:func:`resolve_window` from a space's :class:`PlaceHours`."""
    local_day = LocalDay(day, place.time_zone)
    opens, closes = place_hours(place, day)
    if place.kind == SpaceKind.DESK:
        start, end = start or opens, end or closes
    if start is None or end is None:
        raise InvalidInput("startTime" if start is None else "endTime", CommonInputCode.REQUIRED)
    if start >= end:
        raise InvalidInput("endTime", CommonInputCode.END_BEFORE_START)
    if start < opens or end > closes:
        raise InvalidInput(
            "startTime" if start < opens else "endTime",
            BookingInputCode.OUTSIDE_OPENING_HOURS,
            building=place.space_name or place.building_name,
            opens=f"{opens:%H:%M}",
            closes=f"{closes:%H:%M}",
        )
    start_at, end_at = local_day.at(start), local_day.at(end)
    for field, instant in (("startTime", start_at), ("endTime", end_at)):
        if not is_on_slot_boundary(instant, local_day):
            raise InvalidInput(field, BookingInputCode.NOT_ON_SLOT)
    return Window(local_day, start_at, end_at, end_at + timedelta(minutes=rule.buffer_minutes))


def bookable_hours(space: Space, day: date) -> tuple[time, time]:
    """The space's local hours on a day: the building's hours that weekday, narrowed by a room's own hours."""
    return place_hours(PlaceHours.of(space), day)


def place_hours(place: PlaceHours, day: date) -> tuple[time, time]:
    """:func:`bookable_hours` from a space's :class:`PlaceHours`."""
    open_hours = hours_on(place.opens_at, place.closes_at, place.opening_hours, day)
    if open_hours is None:
        raise InvalidInput("date", BookingInputCode.CLOSED_THAT_WEEKDAY, building=place.building_name)
    building_opens, building_closes = open_hours
    if place.kind == SpaceKind.ROOM and place.bookable_hours is not None:
        hours = place.bookable_hours.get(str(day.isoweekday()))
        if not hours:
            raise InvalidInput("date", BookingInputCode.ROOM_NOT_BOOKABLE_THAT_DAY)
        opens, closes = (time.fromisoformat(h) for h in hours)  # "HH:MM", local to the building
        opens, closes = max(opens, building_opens), min(closes, building_closes)
        if opens >= closes:
            raise InvalidInput("date", BookingInputCode.ROOM_NOT_BOOKABLE_THAT_DAY)
        return opens, closes
    return building_opens, building_closes


def check_timing(window: Window, rule: RuleNumbers, kind: SpaceKind, now: datetime) -> None:
    """Not in the past, not too far ahead, neither too short nor too long."""
    if window.end_at <= now or (kind == SpaceKind.ROOM and window.start_at < now - timedelta(minutes=15)):
        raise InvalidInput("date", CommonInputCode.IN_PAST)
    today = now.astimezone(window.day.zone).date()
    if (window.day.day - today).days > rule.max_days_in_advance:
        raise InvalidInput("date", BookingInputCode.TOO_FAR_AHEAD, days=rule.max_days_in_advance)
    minutes = (window.end_at - window.start_at) // timedelta(minutes=1)
    if minutes < rule.min_duration_minutes:
        raise InvalidInput("endTime", BookingInputCode.TOO_SHORT, minutes=rule.min_duration_minutes)
    if minutes > rule.max_duration_minutes:
        raise InvalidInput("endTime", BookingInputCode.TOO_LONG, minutes=rule.max_duration_minutes)


# The rules below are each decided by one predicate, shared with the floor availability display
# (``smartoffice.availability.unavailable``): what the floor shows as unavailable is what booking refuses.


def holiday_closure(
    rule: RuleNumbers, calendar: WorkingCalendar, day: date, *, works_on_collective_leave: bool = False
) -> str | None:
    """The holiday's (or cuti bersama's) name when the rule closes the building for it on ``day``, else None.

    Cuti bersama close it only for those who are off: not for a person whose policies make it a working day
    (``works_on_collective_leave``, see :func:`depends_on_person`). A public holiday closes it for everyone."""
    if not rule.closed_on_holidays:
        return None
    if works_on_collective_leave and calendar.kind(day) == DayKind.COLLECTIVE_LEAVE:
        return None
    return calendar.closure_reason(day)


def depends_on_person(rule: RuleNumbers, calendar: WorkingCalendar, day: date) -> bool:
    """Whether :func:`holiday_closure` on ``day`` depends on who books: a cuti bersama in a building whose rule
    closes on holidays. Only then are the person's policies read (every other day is decided for everyone)."""
    return rule.closed_on_holidays and calendar.kind(day) == DayKind.COLLECTIVE_LEAVE


async def person_works_on_holiday(
    session: AsyncSession, rule: RuleNumbers, calendar: WorkingCalendar, day: date, employee_id: int | None
) -> bool:
    """Whether ``employee_id`` works on ``day``'s cuti bersama (read only when :func:`depends_on_person`)."""
    if employee_id is None or not depends_on_person(rule, calendar, day):
        return False
    return await works_on_collective_leave(session, employee_id, day)


def check_calendar(
    window: Window, rule: RuleNumbers, calendar: WorkingCalendar, *, works_on_collective_leave: bool = False
) -> None:
    reason = holiday_closure(rule, calendar, window.day.day, works_on_collective_leave=works_on_collective_leave)
    if reason:
        raise InvalidInput("date", BookingInputCode.CLOSED_HOLIDAY, name=reason)


async def check_person_calendar(
    session: AsyncSession,
    window: Window,
    rule: RuleNumbers,
    calendar: WorkingCalendar,
    employee_id: int,
    kind: SpaceKind,
) -> None:
    """:func:`check_calendar` for a space booked for ``employee_id``: a desk is open on cuti bersama for someone
    who works on it (as the floor shows them, ``availability.unavailable``); a room is decided for everyone, as the
    room finder shows it."""
    works = kind == SpaceKind.DESK and await person_works_on_holiday(
        session, rule, calendar, window.day.day, employee_id
    )
    check_calendar(window, rule, calendar, works_on_collective_leave=works)


SqlInt = int | ColumnElement[int]
"""A value, or a bound parameter standing for one (``bookings/gather.py`` builds its statement once per shape)."""
SqlInstant = datetime | ColumnElement[datetime]


def closure_scope(
    site_id: SqlInt,
    building_id: SqlInt,
    floor_id: SqlInt,
    zone_ids: Iterable[SqlInt],
    space_ids: Iterable[SqlInt] | ScalarSelect[int],
) -> ColumnElement[bool]:
    """Closures of the site, building or floor, or of one of ``zone_ids`` or ``space_ids`` (ids or a subquery)."""
    zones = list(zone_ids)
    return or_(
        Closure.space_id.in_(space_ids),
        Closure.floor_id == floor_id,
        Closure.building_id == building_id,
        Closure.site_id == site_id,
        *([Closure.zone_id.in_(zones)] if zones else []),
    )


def closure_overlaps(
    closure_start: datetime, closure_end: datetime, start_at: datetime, blocks_until: datetime
) -> bool:
    """A closure takes away a booking it overlaps, buffer included: the predicate of :func:`check_closures`."""
    return closure_start < blocks_until and closure_end > start_at


def closure_reason_query(space: Space, window: Window) -> Select[str]:
    """The reason of the first closure of the space's site, building, floor, zone or own that the booking would
    overlap (buffer included: :func:`closure_overlaps`). ``space.floor`` and its building loaded."""
    floor = space.floor
    return closure_reason_in(
        floor.building.site_id,
        floor.building_id,
        floor.id,
        space.zone_id,
        space.id,
        window.start_at,
        window.blocks_until,
    )


def closure_reason_in(
    site_id: SqlInt,
    building_id: SqlInt,
    floor_id: SqlInt,
    zone_id: SqlInt | None,
    space_id: SqlInt,
    start_at: SqlInstant,
    blocks_until: SqlInstant,
) -> Select[str]:
    """:func:`closure_reason_query` from the space's place and the booking's ``[start_at, blocks_until)``."""
    scope = closure_scope(site_id, building_id, floor_id, [zone_id] if zone_id is not None else [], [space_id])
    return (
        select(Closure.reason)
        .where(scope, Closure.start_at < blocks_until, Closure.end_at > start_at)
        .order_by(Closure.start_at)
        .limit(1)
    )


def refuse_closed(reason: str | None) -> None:
    if reason is not None:
        raise InvalidInput("date", BookingInputCode.CLOSED, reason=reason)


async def check_closures(session: AsyncSession, space: Space, window: Window) -> None:
    refuse_closed(await session.scalar(closure_reason_query(space, window)))


def is_assigned_to_other(assigned_employee_id: int | None, employee_id: int | None, released: bool) -> bool:
    """An assigned desk is its owner's, except on days the owner released it."""
    return assigned_employee_id is not None and assigned_employee_id != employee_id and not released


def release_query(space_id: SqlInt, day: date | ColumnElement[date]) -> Select[int]:
    """The owner's release of an assigned desk on a local day, if any."""
    return select(DeskRelease.id).where(DeskRelease.space_id == space_id, DeskRelease.day == day)


def refuse_assigned(space: Space, employee_id: int, *, released: bool) -> None:
    if is_assigned_to_other(space.assigned_employee_id, employee_id, released=released):
        raise InvalidInput("deskId", BookingInputCode.DESK_ASSIGNED)


async def check_assigned_desk(session: AsyncSession, space: Space, employee_id: int, window: Window) -> None:
    """An assigned desk is its owner's, except on days the owner released it."""
    if not is_assigned_to_other(space.assigned_employee_id, employee_id, released=False):
        return
    released = await session.scalar(release_query(space.id, window.day.day))
    refuse_assigned(space, employee_id, released=released is not None)


class Person(Protocol):
    """An ``Employee`` row, or the light row the booking path locks (``bookings/gather.py``)."""

    @property
    def name(self) -> str: ...
    @property
    def active(self) -> bool: ...


def check_person_active(employee: Person) -> None:
    """Nobody books for, or as, a person who left: their sign-in and tokens are gone, and so is their desk."""
    if not employee.active:
        raise InvalidInput("forEmployeeId", AccountInputCode.PERSON_INACTIVE, name=employee.name)


def check_attendees(space: Space, attendee_count: int) -> None:
    if attendee_count < 1:
        raise InvalidInput("attendeeCount", BookingInputCode.ATTENDEES_TOO_FEW)
    if attendee_count > space.capacity:
        raise InvalidInput("attendeeCount", BookingInputCode.OVER_CAPACITY, capacity=space.capacity)


def active_count_query(employee_id: SqlInt, kind: SpaceKind, now: SqlInstant) -> Select[int]:
    """How many bookings of ``kind`` the person holds that have not ended."""
    return select(func.count(Booking.id)).where(
        Booking.employee_id == employee_id,
        Booking.space_kind == kind,
        Booking.status.in_(ACTIVE_STATUSES),
        Booking.end_at > now,
    )


def refuse_over_limit(active: int, rule: RuleNumbers) -> None:
    if active >= rule.max_active_bookings:
        raise InvalidInput("date", BookingInputCode.LIMIT_REACHED, limit=rule.max_active_bookings)


async def check_active_limit(
    session: AsyncSession, employee_id: int, kind: SpaceKind, rule: RuleNumbers, now: datetime
) -> None:
    refuse_over_limit(await session.scalar(active_count_query(employee_id, kind, now)) or 0, rule)


def check_cancellation_deadline(booking: Booking, rule: RuleNumbers, now: datetime) -> None:
    if now > booking.start_at - timedelta(minutes=rule.cancellation_deadline_minutes) and now < booking.start_at:
        raise InvalidInput(
            "bookingId", BookingInputCode.CANCELLATION_DEADLINE_PASSED, minutes=rule.cancellation_deadline_minutes
        )
