"""The bookings a person may see, filtered and keyset-paginated: what the ``bookings`` connection reads.

Visibility is part of the WHERE clause (:func:`visible_bookings`), never applied to fetched rows, so a page is
always full and its cursor never skips or repeats what the caller may see. The keyset is ``(start_at, id)``.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, contains_eager

from smartoffice.availability.slots import LocalDay
from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.bookings.sql import decode_cursor, encode_cursor
from smartoffice.bookings.visibility import visible_bookings
from smartoffice.db import MAX_PAGE_SIZE
from smartoffice.errors import CommonInputCode, InvalidInput
from smartoffice.people.models import Employee, OrgUnit
from smartoffice.places.models import Building, Floor, Space


@dataclass(frozen=True, slots=True)
class BookingSearch:
    """Every given criterion must hold (AND); ``None`` or empty means "any"."""

    employee_id: int | None = None
    unit_id: int | None = None
    """The person booked is in this org unit or a unit below it."""
    building_id: int | None = None
    floor_id: int | None = None
    from_date: date | None = None
    """The booking starts on or after this local date of its building."""
    to_date: date | None = None
    """The booking starts on or before this local date of its building (inclusive)."""
    statuses: tuple[BookingStatus, ...] = field(default_factory=tuple)
    descending: bool = False
    """Latest start first instead of earliest first."""


@dataclass(frozen=True, slots=True)
class BookingListPage:
    bookings: Sequence[Booking]
    has_next: bool

    @staticmethod
    def cursor(booking: Booking) -> str:
        return encode_cursor(booking)


async def list_bookings(
    session: AsyncSession, viewer_id: int, search: BookingSearch, first: int = 20, after: str | None = None
) -> BookingListPage:
    """One page of the bookings ``viewer_id`` may see that match ``search``; ``first`` is capped at
    MAX_PAGE_SIZE. Raises InvalidInput for a cursor this API did not issue or a date range that ends first."""
    first = max(1, min(first, MAX_PAGE_SIZE))
    if search.from_date and search.to_date and search.to_date < search.from_date:
        raise InvalidInput("filter.to", CommonInputCode.END_BEFORE_START)
    query = _with_place().where(await visible_bookings(session, viewer_id), *await _criteria(session, search))
    keyset = tuple_(Booking.start_at, Booking.id)
    if after is not None:
        position = decode_cursor(after)
        query = query.where(keyset < position if search.descending else keyset > position)
    order = (Booking.start_at.desc(), Booking.id.desc()) if search.descending else (Booking.start_at, Booking.id)
    rows = (await session.scalars(query.order_by(*order).limit(first + 1))).all()
    return BookingListPage(rows[:first], has_next=len(rows) > first)


async def _criteria(session: AsyncSession, search: BookingSearch) -> list[ColumnElement[bool]]:
    criteria: list[ColumnElement[bool]] = []
    if search.employee_id is not None:
        criteria.append(Booking.employee_id == search.employee_id)
    if search.unit_id is not None:
        criteria.append(Booking.employee_id.in_(_people_in_subtree(search.unit_id)))
    if search.building_id is not None:
        criteria.append(Floor.building_id == search.building_id)
    if search.floor_id is not None:
        criteria.append(Space.floor_id == search.floor_id)
    if search.statuses:
        criteria.append(Booking.status.in_(search.statuses))
    if search.from_date is not None or search.to_date is not None:
        criteria.append(await _local_date_range(session, search.from_date, search.to_date))
    return criteria


def _people_in_subtree(unit_id: int) -> Select[Any]:
    child, person = aliased(OrgUnit), aliased(Employee)
    tree = select(OrgUnit.id).where(OrgUnit.id == unit_id).cte("filter_units", recursive=True)
    tree = tree.union_all(select(child.id).join(tree, child.parent_id == tree.c.id))
    return select(person.id).where(person.org_unit_id.in_(select(tree.c.id)))


async def _local_date_range(session: AsyncSession, first: date | None, last: date | None) -> ColumnElement[bool]:
    """Local dates are those of each booking's building: one UTC range per time zone in use (Indonesia has three),
    so the comparison stays on the indexed ``start_at`` column."""
    zones = (await session.scalars(select(Building.time_zone).distinct())).all()
    per_zone = []
    for zone in zones:
        bounds = [Building.time_zone == zone]
        if first is not None and (start := _midnight(first, zone)) is not None:
            bounds.append(Booking.start_at >= start)
        if last is not None and (end := _midnight(last, zone, days_after=1)) is not None:
            bounds.append(Booking.start_at < end)
        per_zone.append(and_(*bounds))
    return or_(*per_zone) if per_zone else false()


def _midnight(day: date, zone: str, days_after: int = 0) -> datetime | None:
    """Local midnight as a UTC instant; None (no bound) at the ends of the calendar, e.g. 9999-12-31."""
    try:
        return LocalDay(day + timedelta(days=days_after), zone).start_at
    except OverflowError:
        return None


async def visible_bookings_by_id(session: AsyncSession, viewer_id: int, ids: Sequence[int]) -> Sequence[Booking]:
    """The bookings among ``ids`` that ``viewer_id`` may see, with space, floor and building loaded."""
    query = _with_place().where(Booking.id.in_(ids), await visible_bookings(session, viewer_id))
    return (await session.scalars(query)).all()


def _with_place() -> Select[Booking]:
    """Bookings joined to their space, floor and building (for filters), which are loaded with them."""
    return (
        select(Booking)
        .join(Space, Space.id == Booking.space_id)
        .join(Floor, Floor.id == Space.floor_id)
        .join(Building, Building.id == Floor.building_id)
        .options(contains_eager(Booking.space).contains_eager(Space.floor).contains_eager(Floor.building))
    )
