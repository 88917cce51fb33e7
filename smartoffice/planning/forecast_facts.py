"""The facts of the forecast's own days, in bulk: people's plans and desk bookings, closures, open desks, and how
much the buildings' attendance moved from week to week.

A fixed number of queries whatever the range: work-day rows, desk bookings, closures, desks under closures, and
the history's check-ins per building and week.
"""

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from statistics import mean, pstdev
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.people.models import Employee
from smartoffice.places.models import Building, Closure, Floor, Space, SpaceKind, Zone
from smartoffice.policies.models import WorkDay, WorkMode
from smartoffice.workcalendar.service import WorkingCalendar

PRESENT = (BookingStatus.BOOKED, BookingStatus.CHECKED_IN)
"""Desk bookings that put a person in a building on their day."""

DEFAULT_WEEKLY_SPREAD = 0.1
"""The week-to-week variation assumed without enough history (a tenth of the expected people)."""
MAX_WEEKLY_SPREAD = 0.5
MIN_HISTORY_WEEKS = 3
"""Fewer weeks with check-ins than this say nothing about the spread."""


@dataclass(frozen=True, slots=True)
class ClosureOnDay:
    reason: str
    desks: int | None
    """Desks it closes; None: the whole building."""


@dataclass(frozen=True, slots=True)
class DayFacts:
    plans: Mapping[int, Mapping[date, WorkMode]]
    """Employee id → day → the mode that counts: reported (``WorkDay.actual``) if any, else planned."""
    bookings: Mapping[int, Mapping[date, int]]
    """Employee id → local day → the building of their active desk booking that day."""
    closures: Mapping[tuple[int, date], list[ClosureOnDay]]
    """(building, day) → closures covering at least half of its opening hours that day."""
    spread: Mapping[int, float]
    """Building → week-to-week variation of its daily check-ins in the history (coefficient of variation)."""


def local_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    return (
        datetime.combine(day, time(), zone).astimezone(UTC),
        datetime.combine(day + timedelta(days=1), time(), zone).astimezone(UTC),
    )


async def load_day_facts(
    session: AsyncSession,
    buildings: Sequence[Building],
    unit_ids: Collection[int],
    first: date,
    last: date,
    history: tuple[date, date],
    calendar: WorkingCalendar,
) -> DayFacts:
    """The facts of ``[first, last]`` for the people of ``unit_ids`` and the ``buildings``, and the spread of the
    ``history`` range (``calendar`` covers it)."""
    return DayFacts(
        plans=await _plans(session, unit_ids, first, last),
        bookings=await _bookings(session, buildings, unit_ids, first, last),
        closures=await _closures(session, buildings, first, last),
        spread=await _weekly_spread(session, buildings, history, calendar),
    )


async def _plans(
    session: AsyncSession, unit_ids: Collection[int], first: date, last: date
) -> dict[int, dict[date, WorkMode]]:
    rows = await session.execute(
        select(WorkDay.employee_id, WorkDay.day, WorkDay.planned, WorkDay.actual)
        .join(Employee, WorkDay.employee_id == Employee.id)
        .where(Employee.org_unit_id.in_(sorted(unit_ids)), WorkDay.day.between(first, last))
    )
    plans: dict[int, dict[date, WorkMode]] = defaultdict(dict)
    for employee_id, day, planned, actual in rows:
        mode = actual or planned
        if mode is not None:
            plans[employee_id][day] = mode
    return plans


async def _bookings(
    session: AsyncSession, buildings: Sequence[Building], unit_ids: Collection[int], first: date, last: date
) -> dict[int, dict[date, int]]:
    """Bookings in the buildings (whoever made them), and those of the units' people elsewhere (who are then not
    in their own building)."""
    since = datetime.combine(first - timedelta(days=1), time(), UTC)
    until = datetime.combine(last + timedelta(days=2), time(), UTC)
    rows = await session.execute(
        select(Booking.employee_id, Booking.start_at, Floor.building_id, Building.time_zone)
        .join(Space, Booking.space_id == Space.id)
        .join(Floor, Space.floor_id == Floor.id)
        .join(Building, Floor.building_id == Building.id)
        .join(Employee, Booking.employee_id == Employee.id)
        .where(
            Booking.space_kind == SpaceKind.DESK,
            Booking.status.in_(PRESENT),
            Booking.start_at >= since,
            Booking.start_at < until,
            or_(Floor.building_id.in_([b.id for b in buildings]), Employee.org_unit_id.in_(sorted(unit_ids))),
        )
    )
    zones: dict[str, ZoneInfo] = {}
    bookings: dict[int, dict[date, int]] = defaultdict(dict)
    for employee_id, start_at, building_id, time_zone in rows:
        zone = zones.setdefault(time_zone, ZoneInfo(time_zone))
        day = start_at.astimezone(zone).date()
        if first <= day <= last:
            bookings[employee_id].setdefault(day, building_id)
    return bookings


async def _closures(
    session: AsyncSession, buildings: Sequence[Building], first: date, last: date
) -> dict[tuple[int, date], list[ClosureOnDay]]:
    """Closures of the buildings, their sites, floors, zones and desks; each counts on the days it covers at least
    half of the building's opening hours (a closure for an hour's maintenance does not empty a tower)."""
    ids = [b.id for b in buildings]
    floors = select(Floor.id).where(Floor.building_id.in_(ids))
    zones = select(Zone.id).join(Floor, Zone.floor_id == Floor.id).where(Floor.building_id.in_(ids))
    desk_ids = (
        select(Space.id)
        .join(Floor, Space.floor_id == Floor.id)
        .where(Floor.building_id.in_(ids), Space.kind == SpaceKind.DESK)
    )
    since = datetime.combine(first - timedelta(days=1), time(), UTC)
    until = datetime.combine(last + timedelta(days=2), time(), UTC)
    rows = (
        await session.scalars(
            select(Closure).where(
                Closure.start_at < until,
                Closure.end_at > since,
                or_(
                    Closure.site_id.in_({b.site_id for b in buildings}),
                    Closure.building_id.in_(ids),
                    Closure.floor_id.in_(floors),
                    Closure.zone_id.in_(zones),
                    Closure.space_id.in_(desk_ids),
                ),
            )
        )
    ).all()
    if not rows:
        return {}
    desks_on = await _desks_under(session, rows)
    by_id = {b.id: b for b in buildings}
    result: dict[tuple[int, date], list[ClosureOnDay]] = defaultdict(list)
    for closure in rows:
        hit: list[tuple[Building, int | None]]
        if closure.site_id is not None:
            hit = [(b, None) for b in buildings if b.site_id == closure.site_id]
        elif closure.building_id is not None:
            hit = [(by_id[closure.building_id], None)]
        else:
            scope: tuple[str, int | None] = (
                ("floor", closure.floor_id)
                if closure.floor_id is not None
                else ("zone", closure.zone_id)
                if closure.zone_id is not None
                else ("space", closure.space_id)
            )
            building_id, under = desks_on.get(scope, (0, 0))
            hit = [(by_id[building_id], under)] if building_id in by_id else []
        for building, desks in hit:
            zone = ZoneInfo(building.time_zone)
            day = first
            while day <= last:
                opens = datetime.combine(day, building.opens_at, zone).astimezone(UTC)
                closes = datetime.combine(day, building.closes_at, zone).astimezone(UTC)
                covered = min(closes, closure.end_at) - max(opens, closure.start_at)
                if closes > opens and covered * 2 >= closes - opens:
                    result[building.id, day].append(ClosureOnDay(closure.reason, desks))
                day += timedelta(days=1)
    return result


async def _desks_under(
    session: AsyncSession, closures: Sequence[Closure]
) -> dict[tuple[str, int | None], tuple[int, int]]:
    """``(scope, id) → (building, desks)`` for the floors, zones and desks the closures name."""
    floor_ids = {c.floor_id for c in closures if c.floor_id is not None}
    zone_ids = {c.zone_id for c in closures if c.zone_id is not None}
    space_ids = {c.space_id for c in closures if c.space_id is not None}
    found: dict[tuple[str, int | None], tuple[int, int]] = {}
    desk = (Space.kind == SpaceKind.DESK) & Space.retired_at.is_(None)
    if floor_ids:
        for floor_id, building_id, count in await session.execute(
            select(Floor.id, Floor.building_id, func.count(case((desk, Space.id))))
            .outerjoin(Space, Space.floor_id == Floor.id)
            .where(Floor.id.in_(floor_ids))
            .group_by(Floor.id, Floor.building_id)
        ):
            found["floor", floor_id] = (building_id, count)
    if zone_ids:
        for zone_id, building_id, count in await session.execute(
            select(Zone.id, Floor.building_id, func.count(case((desk, Space.id))))
            .join(Floor, Zone.floor_id == Floor.id)
            .outerjoin(Space, Space.zone_id == Zone.id)
            .where(Zone.id.in_(zone_ids))
            .group_by(Zone.id, Floor.building_id)
        ):
            found["zone", zone_id] = (building_id, count)
    if space_ids:
        for space_id, building_id in await session.execute(
            select(Space.id, Floor.building_id).join(Floor, Space.floor_id == Floor.id).where(Space.id.in_(space_ids))
        ):
            found["space", space_id] = (building_id, 1)
    return found


async def _weekly_spread(
    session: AsyncSession, buildings: Sequence[Building], history: tuple[date, date], calendar: WorkingCalendar
) -> dict[int, float]:
    """Per building, the coefficient of variation of its check-ins per working day, week by week, over the
    history; :data:`DEFAULT_WEEKLY_SPREAD` with fewer than :data:`MIN_HISTORY_WEEKS` weeks of check-ins."""
    first, last = history
    mondays = [first + timedelta(weeks=n) for n in range(((last - first).days + 1) // 7)]
    if not buildings or not mondays:
        return {b.id: DEFAULT_WEEKLY_SPREAD for b in buildings}
    zone = ZoneInfo(buildings[0].time_zone)
    bounds = [local_bounds(monday, zone)[0] for monday in mondays] + [local_bounds(last, zone)[1]]
    week = case(*((Booking.start_at < bounds[i + 1], i) for i in range(len(mondays))), else_=len(mondays)).label("w")
    rows = await session.execute(
        select(Floor.building_id, week, func.count(Booking.id))
        .join(Space, Booking.space_id == Space.id)
        .join(Floor, Space.floor_id == Floor.id)
        .where(
            Floor.building_id.in_([b.id for b in buildings]),
            Booking.space_kind == SpaceKind.DESK,
            Booking.checked_in_at.is_not(None),
            Booking.start_at >= bounds[0],
            Booking.start_at < bounds[-1],
        )
        .group_by(Floor.building_id, week)
    )
    per_day: dict[int, list[float]] = defaultdict(list)
    for building_id, index, count in rows:
        if index < len(mondays):
            working = len(calendar.working_days(mondays[index], mondays[index] + timedelta(days=6)))
            if working:
                per_day[building_id].append(count / working)
    spread = {}
    for building in buildings:
        values = per_day.get(building.id, [])
        if len(values) < MIN_HISTORY_WEEKS or mean(values) == 0:
            spread[building.id] = DEFAULT_WEEKLY_SPREAD
        else:
            spread[building.id] = min(MAX_WEEKLY_SPREAD, pstdev(values) / mean(values))
    return spread
