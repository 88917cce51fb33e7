"""The rows one booking reads in its transaction, in as few round trips as the checks allow.

Each ORM round trip cost 0.7–1.6 ms of Python CPU while its SQL took a fraction of that, so the booking path reads:

* the person's row (lock included) as a light Core row (:func:`person_row`), not an ORM entity with its unit;
* everything else it decides on in **one** ``SELECT`` of scalar subqueries (:func:`read_for_booking`): the first
  closure it would overlap, the owner's release of an assigned desk, the person's active bookings, whether any
  booking overlaps it, whether any seat quota covers the desk that weekday. Each subquery is the very query the
  one-at-a-time check runs (``checks.closure_reason_query``, ``release_query``, ``active_count_query``,
  ``sql.conflicts_query``, ``quotas.enforcement.covering_quotas_query``), and each decision stays in ``checks``.

The statement runs after the space's and the person's row locks are taken (``BookingService.prepare``), so what it
counts for that space and person cannot change before the commit, except to be cancelled: a conflict it found is
listed again (``find_conflicts``) before it is reported, and a quota or an occupancy cap, which count other
people's bookings under locks of their own, are still checked by their own statements after it.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Integer, Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.bookings import checks
from smartoffice.bookings.checks import Window
from smartoffice.bookings.models import MAX_BOOKING_SPAN, Booking
from smartoffice.bookings.sql import conflicts_query
from smartoffice.errors import NotFound
from smartoffice.people.models import Employee
from smartoffice.places.models import Closure, DeskRelease, Space, SpaceKind
from smartoffice.quotas.enforcement import covering_quotas_query


@dataclass(frozen=True, slots=True)
class PersonRow:
    """The person a booking is for, as the checks need them (``check_person_active``, ``check_quota``)."""

    id: int
    name: str
    active: bool
    org_unit_id: int


@cache
def _person_query(lock: bool) -> Select[int, str, bool, int]:
    """``person_row``'s statement, built once per shape with a bound ``employee_id``."""
    query = select(Employee.id, Employee.name, Employee.active, Employee.org_unit_id).where(
        Employee.id == bindparam("employee_id")
    )
    return query.with_for_update(of=Employee, key_share=True) if lock else query


async def person_row(session: AsyncSession, employee_id: int, *, lock: bool) -> PersonRow:
    """As :func:`~smartoffice.people.service.get_employee` (``lock``: the same ``FOR NO KEY UPDATE``), lighter."""
    row = (await session.execute(_person_query(lock), {"employee_id": employee_id})).one_or_none()
    if row is None:
        raise NotFound("Employee", employee_id)
    return PersonRow(*row)


@dataclass(frozen=True, slots=True)
class BookingReads:
    closure_reason: str | None
    """The first closure the booking would overlap (``checks.refuse_closed``)."""
    released: bool
    """An assigned desk of someone else's is released that day (read only for such a desk)."""
    active: int
    """The person's bookings of this kind that have not ended (``checks.refuse_over_limit``)."""
    may_conflict: bool
    """Some active booking overlaps (then ``find_conflicts`` lists them)."""
    quota_covers: bool
    """Some seat quota of that weekday covers the desk (then ``check_quota`` decides; desks only)."""


async def read_for_booking(
    session: AsyncSession, space: Space, employee_id: int, window: Window, now: datetime
) -> BookingReads:
    """One statement for what :class:`BookingReads` holds. ``space.floor`` and its building loaded."""
    floor = space.floor
    assigned_to_other = checks.is_assigned_to_other(space.assigned_employee_id, employee_id, released=False)
    statement = _statement(space.kind, space.zone_id is not None, assigned_to_other)
    params = {
        "r_site": floor.building.site_id,
        "r_building": floor.building_id,
        "r_floor": floor.id,
        "r_zone": space.zone_id,
        "r_space": space.id,
        "r_employee": employee_id,
        "r_start_at": window.start_at,
        "r_blocks_until": window.blocks_until,
        "r_now": now,
        "r_day": window.day.day,
        "r_weekday": window.day.day.isoweekday(),
        "c_start_at": window.start_at,
        "c_end_at": window.end_at,
        "c_blocks_until": window.blocks_until,
        "c_since": window.start_at - MAX_BOOKING_SPAN,
    }
    row = (await session.execute(statement, params)).one()._mapping
    return BookingReads(
        closure_reason=row["closure_reason"],
        released=bool(row.get("released", False)),
        active=int(row["active"] or 0),
        may_conflict=bool(row["may_conflict"]),
        quota_covers=bool(row.get("quota_covers", False)),
    )


@cache
def _statement(kind: SpaceKind, has_zone: bool, assigned_to_other: bool) -> Select[Any]:
    """The statement, built once per shape of booking with bound parameters (building it and its cache key took
    about as much CPU as running it); values come at execution. ``overlapping``'s index bound, which SQLite cannot
    work out in SQL, is bound too (``c_since``)."""
    space, employee = bindparam("r_space", type_=Integer), bindparam("r_employee", type_=Integer)
    building = bindparam("r_building", type_=Integer)
    floor, zone = bindparam("r_floor", type_=Integer), bindparam("r_zone", type_=Integer) if has_zone else None
    start_at = bindparam("r_start_at", type_=Closure.start_at.type)
    blocks_until = bindparam("r_blocks_until", type_=Closure.end_at.type)
    columns = [
        checks.closure_reason_in(
            bindparam("r_site", type_=Integer), building, floor, zone, space, start_at, blocks_until
        )
        .scalar_subquery()
        .label("closure_reason"),
        checks.active_count_query(employee, kind, bindparam("r_now", type_=Booking.end_at.type))
        .scalar_subquery()
        .label("active"),
    ]
    if assigned_to_other:
        day = bindparam("r_day", type_=DeskRelease.day.type)
        columns.append(checks.release_query(space, day).exists().label("released"))
    if kind == SpaceKind.DESK:
        weekday = bindparam("r_weekday", type_=Integer)
        columns.append(covering_quotas_query(weekday, building, floor, zone).exists().label("quota_covers"))
    instant = Booking.start_at.type
    may_conflict = conflicts_query(
        space,
        kind,
        employee,
        bindparam("c_start_at", type_=instant),
        bindparam("c_end_at", type_=instant),
        bindparam("c_blocks_until", type_=instant),
        since=bindparam("c_since", type_=instant),
    ).exists()
    columns.append(may_conflict.label("may_conflict"))
    return select(*columns)
