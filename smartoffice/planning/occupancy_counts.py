"""The grouped SQL behind an occupancy report: desk bookings counted per local day (and per part), desks and
headcount per part, and the retention job's aggregates for folded days.

**Local days in SQL.** A booking's day is found by comparing ``start_at`` with the UTC instants at which the
report's local days begin, in the zone of the booking's building: a ``CASE`` laid out as a binary search over
those instants (:func:`day_index`), so each row costs about log₂(days) comparisons, a year as cheaply as a week,
and the same SQL is right in any IANA zone (DST included) and on SQLite, which has no time zone functions. Scopes
whose buildings are in several zones get one search per zone, picked by the floor's building. A desk booking lies
within one local day (desks are booked within opening hours), so its start names its day.

**The number of queries does not grow with the days**: one grouped query for the scope's days, one more for its
parts (people are counted distinctly per day, and a person may sit in two parts on one day: a part's count cannot
be summed into the scope's), one for the desks per part, one for the headcount (units), one for the folded days.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, case, func, literal, null, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.availability.slots import LocalDay
from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.people.models import Employee
from smartoffice.places.models import Floor, Space, SpaceKind, Zone
from smartoffice.planning.occupancy_report import ScopeKind
from smartoffice.planning.occupancy_scope import ResolvedScope
from smartoffice.privacy.models import OccupancyDaily, RetentionFold

SEATED = (BookingStatus.BOOKED, BookingStatus.CHECKED_IN, BookingStatus.RELEASED)
"""Statuses that took a seat out of the pool: booked, checked in, or released as a no-show."""

Counts = tuple[int, int, int]
"""People booked, people checked in, no-shows."""


@dataclass(slots=True)
class DayCounts:
    """Counts by day index (0 = the report's first day); a day missing had none."""

    total: dict[int, Counts] = field(default_factory=dict)
    parts: dict[int, dict[int, Counts]] = field(default_factory=lambda: defaultdict(dict))
    """Part id → day index → counts."""
    folded: range = range(0)
    """Day indexes the retention job folded."""
    folded_total_known: bool = True
    """Whether the scope's own counts of folded days come from the aggregates (site and building scopes)."""
    folded_parts_known: bool = False
    """Whether its parts' counts of folded days do (a site's buildings)."""


def report_days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def day_index(column: Any, starts: list[datetime], end: datetime) -> Any:
    """The index ``i`` of the local day ``column`` falls on (``starts[i] <= column < starts[i + 1]``, the last day
    ending at ``end``), -1 before the first day and ``len(starts)`` from ``end`` on: a balanced ``CASE`` tree."""
    bounds = [*starts, end]

    def search(low: int, high: int) -> Any:
        # the number of bounds at or before ``column`` is in [low, high]; the day index is that number minus one
        if low == high:
            return literal(low - 1)
        middle = (low + high + 1) // 2
        return case((column >= bounds[middle - 1], search(middle, high)), else_=search(low, middle - 1))

    return search(0, len(bounds))


@lru_cache(maxsize=256)
def _zone_day_index(zone: str, first: date, last: date) -> tuple[Any, datetime, datetime]:
    """:func:`day_index` of ``Booking.start_at`` over the local days ``first``..``last`` in ``zone``, with the UTC
    instants the first day starts and the last one ends. Kept per process: the expression depends on nothing else
    (SQL expressions are immutable), and building its ``CASE`` tree again cost more than the rest of a building's
    month; reports ask for the same few ranges (this month, this quarter) over and over."""
    starts = [LocalDay(d, zone).start_at for d in report_days(first, last)]
    end = LocalDay(last, zone).end_at
    return day_index(Booking.start_at, starts, end), starts[0], end


def day_bucket(scope: ResolvedScope, days: list[date]) -> tuple[Any, datetime, datetime]:
    """The day-index expression for the scope's bookings, and the widest UTC range they may start in."""
    by_zone: dict[str, list[int]] = defaultdict(list)
    for building in scope.buildings:
        by_zone[building.time_zone].append(building.id)
    if not by_zone:
        by_zone["UTC"] = []
    searches = []
    low, high = None, None
    for zone, buildings in sorted(by_zone.items()):
        search, start, end = _zone_day_index(zone, days[0], days[-1])
        low = start if low is None else min(low, start)
        high = end if high is None else max(high, end)
        searches.append((buildings, search))
    assert low is not None and high is not None
    if len(searches) == 1:
        return searches[0][1].label("d"), low, high
    whens = [(Floor.building_id.in_(buildings), search) for buildings, search in searches[:-1]]
    return case(*whens, else_=searches[-1][1]).label("d"), low, high


def _desk_bookings(scope: ResolvedScope, bucket: Any, part: Any, low: datetime, high: datetime) -> Any:
    """The scope's desk bookings that may fall on the report's days: their day index ``d``, part ``p`` (null when
    the scope has no parts), person and status (a subquery the counting queries group)."""
    query = (
        select(
            bucket.label("d"),
            (part if part is not None else null()).label("p"),
            Booking.id,
            Booking.employee_id,
            Booking.status,
        )
        .select_from(Booking)
        .join(Space, Booking.space_id == Space.id)
        .join(Floor, Space.floor_id == Floor.id)
    )
    if not scope.kind.is_place:
        query = query.join(Employee, Booking.employee_id == Employee.id)
    return query.where(
        scope.booking_filter(),
        Space.kind == SpaceKind.DESK,
        Booking.space_kind == SpaceKind.DESK,
        Booking.start_at >= low,
        Booking.start_at < high,
    ).subquery("desk_bookings")


def _counted(rows: Any) -> list[Any]:
    """The three counts of :data:`Counts` over the subquery's rows (people distinctly)."""
    seated = rows.c.status.in_(SEATED)
    return [
        func.count(func.distinct(case((seated, rows.c.employee_id)))),
        func.count(func.distinct(case((rows.c.status == BookingStatus.CHECKED_IN, rows.c.employee_id)))),
        func.count(case((rows.c.status == BookingStatus.RELEASED, rows.c.id))),
    ]


class _ScopeDays:
    """A scope without parts and a range, equal to another when the statement counting them is the same: a place
    (its kind, id and buildings with their zones; a place's filter depends on nothing else) or, for organisations
    and units, only itself (their filters hold the unit subtree and sites; they are not kept)."""

    __slots__ = ("first", "key", "last", "scope")

    def __init__(self, scope: ResolvedScope, first: date, last: date) -> None:
        self.scope, self.first, self.last = scope, first, last
        buildings = tuple((b.id, b.time_zone) for b in scope.buildings)
        self.key = (scope.kind, scope.ref.id, buildings, first, last) if scope.kind.is_place else (id(self),)

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _ScopeDays) and self.key == other.key


def _totals_query(scope_days: _ScopeDays) -> Any:
    """One grouped query for the scope's desk counts per day index (a scope without parts needs no more)."""
    if scope_days.scope.kind.is_place:
        return _place_totals_query(scope_days)
    return _build_totals_query(scope_days)


def _build_totals_query(scope_days: _ScopeDays) -> Any:
    scope = scope_days.scope
    bucket, low, high = day_bucket(scope, report_days(scope_days.first, scope_days.last))
    rows = _desk_bookings(scope, bucket, None, low, high)
    return select(rows.c.d, *_counted(rows)).group_by(rows.c.d)


_place_totals_query = lru_cache(maxsize=256)(_build_totals_query)
"""Kept per process for place scopes: the statement is immutable and depends only on the key of
:class:`_ScopeDays`, and building it (the subquery's column collection above all) cost more CPU than the rest of
a building's month; SQLAlchemy then also reuses its compiled form without working out its cache key again."""


async def count_days(session: AsyncSession, scope: ResolvedScope, first: date, last: date) -> DayCounts:
    """The desk counts of the scope and its parts per day, folded days from the aggregates where they can say.

    PostgreSQL counts the scope and its parts in one pass (``GROUPING SETS``); SQLite, which has none, reads the
    rows twice."""
    days = report_days(first, last)
    counts = DayCounts()

    def keep(index: int, part_id: int | None, found: Counts) -> None:
        if not 0 <= index < len(days):
            return
        if part_id is None:
            counts.total[index] = found
        else:
            counts.parts[part_id][index] = found

    if not scope.parts:
        for index, *found in await session.execute(_totals_query(_ScopeDays(scope, first, last))):
            keep(index, None, (found[0], found[1], found[2]))
        await _fold(session, scope, first, last, counts)
        return counts
    bucket, low, high = day_bucket(scope, days)
    part = scope.booking_part()
    rows = _desk_bookings(scope, bucket, part, low, high)
    if session.get_bind().dialect.name == "postgresql":
        query = select(rows.c.d, rows.c.p, func.grouping(rows.c.p), *_counted(rows)).group_by(
            func.grouping_sets(tuple_(rows.c.d), tuple_(rows.c.d, rows.c.p))
        )
        for index, part_id, whole, *found in await session.execute(query):
            if whole or part_id is not None:  # a part's null: bookings in no part (a desk outside every zone)
                keep(index, None if whole else part_id, (found[0], found[1], found[2]))
    else:
        for index, *found in await session.execute(select(rows.c.d, *_counted(rows)).group_by(rows.c.d)):
            keep(index, None, (found[0], found[1], found[2]))
        query = select(rows.c.d, rows.c.p, *_counted(rows)).where(rows.c.p.is_not(None)).group_by(rows.c.d, rows.c.p)
        for index, part_id, *found in await session.execute(query):
            keep(index, part_id, (found[0], found[1], found[2]))
    await _fold(session, scope, first, last, counts)
    return counts


async def _fold(session: AsyncSession, scope: ResolvedScope, first: date, last: date, counts: DayCounts) -> None:
    """Days the retention job folded (and may have deleted the bookings of) answer from ``occupancy_daily``,
    counted as above, so an old report of a site or building reads the same before and after. The aggregates are
    per building: finer scopes (floors, zones, units) cannot read those days, and say so."""
    watermark = await session.scalar(select(func.max(RetentionFold.day)))
    if watermark is None or watermark < first:
        return
    through = min(last, watermark)
    counts.folded = range((through - first).days + 1)
    counts.folded_total_known = scope.kind in (ScopeKind.SITE, ScopeKind.BUILDING)
    counts.folded_parts_known = scope.kind == ScopeKind.SITE
    for index in counts.folded:  # a folded day with no row had no bookings
        counts.total.pop(index, None)
        for part in counts.parts.values():
            part.pop(index, None)
    if not counts.folded_total_known or not scope.buildings:
        return
    rows = await session.execute(
        select(
            OccupancyDaily.building_id,
            OccupancyDaily.day,
            OccupancyDaily.desk_booked,
            OccupancyDaily.desk_checked_in,
            OccupancyDaily.desk_no_shows,
        ).where(OccupancyDaily.building_id.in_(scope.building_ids), OccupancyDaily.day.between(first, through))
    )
    for building, day, booked, checked_in, no_shows in rows:
        index = (day - first).days
        # a site's folded day sums its buildings: someone in two buildings that day counts in each
        b, c, n = counts.total.get(index, (0, 0, 0))
        counts.total[index] = (b + booked, c + checked_in, n + no_shows)
        if counts.folded_parts_known:
            counts.parts[building][index] = (booked, checked_in, no_shows)


async def count_desks(session: AsyncSession, scope: ResolvedScope) -> tuple[int, dict[int, int]]:
    """Desks in scope (not retired), in all and per part (none when the scope was resolved without parts)."""
    part = scope.space_part() if scope.parts else None
    query = select(func.count(Space.id)).select_from(Space).join(Floor, Space.floor_id == Floor.id)
    if not scope.kind.is_place:
        query = query.outerjoin(Zone, Space.zone_id == Zone.id)
    query = query.where(scope.space_filter(), Space.kind == SpaceKind.DESK, Space.retired_at.is_(None))
    if part is None:
        return await session.scalar(query) or 0, {}
    part = part.label("p")
    per_part: dict[int, int] = {}
    total = 0
    for desks, part_id in await session.execute(query.add_columns(part).group_by(part)):
        total += desks
        if part_id is not None:
            per_part[part_id] = desks
    return total, per_part


async def count_headcount(session: AsyncSession, scope: ResolvedScope) -> tuple[int | None, dict[int, int]]:
    """Active people placed in the unit subtree, in all and per part (``None`` for places)."""
    if scope.kind.is_place:
        return None, {}
    active = [Employee.active.is_(True), Employee.org_unit_id.in_(scope.units)]
    part = scope.booking_part()
    if part is None:
        return await session.scalar(select(func.count(Employee.id)).where(*active)) or 0, {}
    part = part.label("p")
    per_part: dict[int, int] = {}
    total = 0
    for part_id, people in await session.execute(select(part, func.count(Employee.id)).where(*active).group_by(part)):
        total += people
        if part_id is not None:
            per_part[part_id] = people
    return total, per_part


def seconds_between(start: Any, end: Any, dialect: str) -> ColumnElement[Any]:
    """``end - start`` in seconds, in SQL (SQLite stores instants as naive UTC text)."""
    if dialect == "sqlite":
        return (func.julianday(end) - func.julianday(start)) * 86400.0
    return func.extract("epoch", end - start)
