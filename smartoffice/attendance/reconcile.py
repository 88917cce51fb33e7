"""Attendance reconciled against desk bookings, for a unit's subtree or a building over a range of days.

For each person and local day it answers one of four:

* **booked and present**: a desk booking (booked, checked in or released) and a check-in, or the attendance source
  reports them in the office;
* **booked and absent**: a booking released as a no-show, or the source reports something other than the office
  (absent, leave, remote, duty travel) with no check-in;
* **booked, no data**: a booking, no check-in, not released, and nothing reported: neither present nor absent;
* **present without a booking**: the source reports them in the office and they held no desk that day.

A unit's scope is its people (the whole subtree), wherever they booked; a building's is the bookings in it and, for
"present without a booking", the people whose home building it is (unless they held a desk in another building
that day: they were present there). Days after today are not reconciled (nothing can be known of them yet).
Cancelled and rejected bookings are no bookings.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from smartoffice.attendance.models import AttendanceReport
from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.hr.lookup import chunks, inline
from smartoffice.people.models import Employee, OrgUnit
from smartoffice.places.models import Building, Floor, Space, SpaceKind
from smartoffice.policies.models import WorkDay, WorkMode

MAX_DAYS = 31
BOOKED = (BookingStatus.BOOKED, BookingStatus.CHECKED_IN, BookingStatus.RELEASED)


class Category(StrEnum):
    BOOKED_PRESENT = "booked_present"
    BOOKED_ABSENT = "booked_absent"
    BOOKED_NO_DATA = "booked_no_data"
    PRESENT_WITHOUT_BOOKING = "present_without_booking"


@dataclass(frozen=True, slots=True)
class Scope:
    """A unit's subtree (``unit_id``) or a building (``building_id``): exactly one."""

    unit_id: int | None = None
    building_id: int | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    employee_id: int
    nip: str
    name: str
    unit_name: str
    day: date
    category: Category
    booking_status: BookingStatus | None
    """The day's desk booking (a checked-in one first, then a booked one, then a released one); None: none."""
    building_name: str | None
    checked_in_at: time | None
    """Local time of the booking's check-in."""
    reported: WorkMode | None
    """What the attendance source reported (``WorkDay.actual``)."""
    reported_check_in: time | None


@dataclass(frozen=True, slots=True)
class Reconciliation:
    scope: Scope
    scope_name: str
    first: date
    last: date
    """The last day reconciled: the range's, or today when the range runs past it."""
    entries: tuple[Entry, ...]

    @property
    def counts(self) -> dict[Category, int]:
        counted = Counter(entry.category for entry in self.entries)
        return {category: counted[category] for category in Category}


@dataclass(slots=True)
class _Booked:
    status: BookingStatus
    building: str
    checked_in_at: time | None


_RANK = {BookingStatus.CHECKED_IN: 0, BookingStatus.BOOKED: 1, BookingStatus.RELEASED: 2}


def subtree(unit_ids: Iterable[int] | Select[Any], name: str = "subtree") -> Select[Any]:
    """The units and every unit below them (a recursive CTE)."""
    roots = unit_ids if isinstance(unit_ids, Select) else select(OrgUnit.id).where(OrgUnit.id.in_(list(unit_ids)))
    child = aliased(OrgUnit)
    tree = select(OrgUnit.id).where(OrgUnit.id.in_(roots)).cte(name, recursive=True)
    tree = tree.union_all(select(child.id).join(tree, child.parent_id == tree.c.id))
    return select(tree.c.id)


async def reconcile(session: AsyncSession, scope: Scope, scope_name: str, first: date, last: date) -> Reconciliation:
    """The reconciliation of ``scope`` over ``[first, last]`` (checked by the caller: in order, at most
    :data:`MAX_DAYS`, ``last`` not after today)."""
    if scope.unit_id is not None:
        members = select(Employee.id).where(Employee.org_unit_id.in_(subtree([scope.unit_id])))
        booked = await _bookings(session, Booking.employee_id.in_(members), first, last)
        elsewhere: set[tuple[int, date]] = set()
    else:
        booked = await _bookings(session, Building.id == scope.building_id, first, last)
        # home staff's days at a desk in another building: present there, not here without a booking
        home = select(Employee.id).where(Employee.home_building_id == scope.building_id)
        elsewhere = set(await _bookings(session, Booking.employee_id.in_(home), first, last)) - set(booked)
    reported = await _reported(session, scope, first, last, set(booked))
    walk_ins = {key for key, (mode, _t) in reported.items() if mode == WorkMode.OFFICE} - elsewhere
    people = await _people(session, {key[0] for key in booked.keys() | walk_ins})
    entries = []
    for key in booked.keys() | walk_ins:
        employee, day = key
        if employee not in people:
            continue
        booking = booked.get(key)
        mode: WorkMode | None
        mode, reported_at = reported.get(key, (None, None))
        category = _category(booking, mode)
        nip, name, unit = people[employee]
        entries.append(
            Entry(
                employee, nip, name, unit, day, category,
                booking.status if booking else None, booking.building if booking else None,
                booking.checked_in_at if booking else None, mode, reported_at,
            )
        )  # fmt: skip
    order = list(Category)
    entries.sort(key=lambda e: (e.day, order.index(e.category), e.name, e.employee_id))
    return Reconciliation(scope, scope_name, first, last, tuple(entries))


async def _bookings(
    session: AsyncSession, where: ColumnElement[bool], first: date, last: date
) -> dict[tuple[int, date], _Booked]:
    """Each person's desk booking per local day in ``[first, last]`` (checked in first, then booked, then released)."""
    since = datetime.combine(first - timedelta(days=1), time(), UTC)
    until = datetime.combine(last + timedelta(days=2), time(), UTC)
    query = (
        select(Booking.employee_id, Booking.start_at, Booking.status, Booking.checked_in_at, Building.time_zone,
               Building.name)
        .join(Space, Booking.space_id == Space.id)
        .join(Floor, Space.floor_id == Floor.id)
        .join(Building, Floor.building_id == Building.id)
        .where(Booking.space_kind == SpaceKind.DESK, Booking.start_at >= since, Booking.start_at < until,
               Booking.status.in_(BOOKED), where)
    )  # fmt: skip
    booked: dict[tuple[int, date], _Booked] = {}
    for employee, start_at, status, checked_in_at, zone, building in await session.execute(query):
        local = ZoneInfo(zone)
        day = start_at.astimezone(local).date()
        if not first <= day <= last:
            continue
        seen = _Booked(status, building, checked_in_at.astimezone(local).time() if checked_in_at else None)
        kept = booked.get((employee, day))
        if kept is None or _RANK[status] < _RANK[kept.status]:
            booked[employee, day] = seen
    return booked


def _category(booking: _Booked | None, mode: WorkMode | None) -> Category:
    if booking is None:
        return Category.PRESENT_WITHOUT_BOOKING
    if booking.checked_in_at is not None or mode == WorkMode.OFFICE:
        return Category.BOOKED_PRESENT
    if booking.status == BookingStatus.RELEASED or mode is not None:
        return Category.BOOKED_ABSENT
    return Category.BOOKED_NO_DATA


async def _reported(
    session: AsyncSession, scope: Scope, first: date, last: date, booked: set[tuple[int, date]]
) -> dict[tuple[int, date], tuple[WorkMode | None, time | None]]:
    """What the source reported for the scope's people: a unit's members; for a building, its home staff on any day
    and the others on the days they booked in it."""
    query = (
        select(WorkDay.employee_id, WorkDay.day, WorkDay.actual, AttendanceReport.check_in_time)
        .outerjoin(
            AttendanceReport,
            and_(AttendanceReport.employee_id == WorkDay.employee_id, AttendanceReport.day == WorkDay.day),
        )
        .where(WorkDay.day.between(first, last), WorkDay.actual.is_not(None))
    )
    found: dict[tuple[int, date], tuple[WorkMode | None, time | None]] = {}
    if scope.unit_id is not None:
        members = select(Employee.id).where(Employee.org_unit_id.in_(subtree([scope.unit_id])))
        for employee, day, actual, check_in in await session.execute(query.where(WorkDay.employee_id.in_(members))):
            found[employee, day] = (actual, check_in)
        return found
    home = select(Employee.id).where(Employee.home_building_id == scope.building_id)
    for employee, day, actual, check_in in await session.execute(query.where(WorkDay.employee_id.in_(home))):
        found[employee, day] = (actual, check_in)
    for chunk in chunks(sorted({employee for employee, _day in booked})):
        for employee, day, actual, check_in in await session.execute(
            query.where(WorkDay.employee_id.in_(inline(chunk)))
        ):
            if (employee, day) in booked:
                found[employee, day] = (actual, check_in)
    return found


async def _people(session: AsyncSession, ids: set[int]) -> dict[int, tuple[str, str, str]]:
    people = {}
    for chunk in chunks(sorted(ids)):
        rows = await session.execute(
            select(Employee.id, Employee.nip, Employee.name, OrgUnit.name)
            .join(OrgUnit, OrgUnit.id == Employee.org_unit_id)
            .where(Employee.id.in_(inline(chunk)))
        )
        people.update({ident: (nip, name, unit) for ident, nip, name, unit in rows})
    return people


def days_between(first: date, last: date) -> int:
    return (last - first).days + 1
