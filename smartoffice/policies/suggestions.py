"""My week's suggestions: the days to come in, each with the free desk nearest the teammates who are in that day.

The answer per day is :func:`~smartoffice.bookings.nearby.desks_near_team`'s first choice (``limit=1``), but for
the whole week at once: one query for the teammates' desks of the week (it also gives the "N of your team, Zona
B3" of each day), one for the free desks of every suggested day on the floors the search looks at first (the
teammates' floors that day, then the person's home building), with the live buildings and the desk booking rules
from the process's cache (:mod:`~smartoffice.policies.shared_facts`). A day that those floors cannot serve (no
free desk there) asks ``desks_near_team`` itself, which widens the search to every open building: rare, and the
same answer by construction. ``tests/integration/test_week_suggestions.py`` compares the two on every day.
"""

import functools
import json
import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Executable,
    Select,
    Text,
    and_,
    bindparam,
    cast,
    exists,
    false,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.availability.slots import LocalDay
from smartoffice.bookings.models import ACTIVE_STATUSES, MAX_BOOKING_SPAN, Booking
from smartoffice.bookings.nearby import DeskChoice, bookable_desks, desks_near_team
from smartoffice.people.models import Employee
from smartoffice.places.codes import natural_key
from smartoffice.places.models import Building, Closure, DeskRelease, Floor, Space, SpaceKind, Zone
from smartoffice.places.service import LiveBuilding, live_buildings
from smartoffice.policies.engine import DayPlan
from smartoffice.policies.shared_facts import PolicyFactsView, desk_holiday_rules
from smartoffice.workcalendar.models import DayKind
from smartoffice.workcalendar.service import WorkingCalendar


@dataclass(frozen=True, slots=True)
class DaySuggestion:
    """What a suggested day shows: the teammates in (by zone) and the best free desk, if any."""

    zones: Counter[str]
    desk: DeskChoice | None


@dataclass(frozen=True, slots=True)
class _Held:
    employee_id: int
    floor_id: int
    centre: tuple[float, float]
    zone_name: str | None
    floor_live: bool
    start_at: datetime
    end_at: datetime
    time_zone: str


TEAMMATE_DESKS = (
    select(
        Booking.employee_id,
        Booking.start_at,
        Booking.end_at,
        Space.floor_id,
        Space.x,
        Space.y,
        Space.width,
        Space.height,
        Zone.name,
        Floor.retired_at.is_(None),
        Building.time_zone,
    )
    .select_from(Space)
    .join(Booking, Booking.space_id == Space.id)
    .outerjoin(Zone, Space.zone_id == Zone.id)
    .join(Floor, Space.floor_id == Floor.id)
    .join(Building, Floor.building_id == Building.id)
    .join(Employee, Booking.employee_id == Employee.id)
    .where(
        Employee.org_unit_id == bindparam("unit_id"),
        Employee.id != bindparam("employee_id"),
        Booking.status.in_(ACTIVE_STATUSES),
        Booking.space_kind == SpaceKind.DESK,
        Booking.start_at >= bindparam("since"),
        Booking.start_at < bindparam("until"),
    )
)
"""The desk bookings of a person's unit colleagues starting in a UTC range, with where the desk is: built once
(a request binds its values)."""


async def teammate_zones(
    session: AsyncSession, employee: Employee, first: date, last: date
) -> tuple[dict[date, Counter[str]], list[_Held]]:
    """Per local day from ``first`` to ``last``, the zones (by name) of the desks the person's unit colleagues
    hold (bucketed by the booking's local start day), and every such booking (for the per-day desk search)."""
    # Wide enough for both readings: the local start day (a day either side in UTC), and any booking overlapping a
    # local day of the range (none lasts longer than MAX_BOOKING_SPAN).
    since = datetime.combine(first - timedelta(days=1), time(), UTC) - MAX_BOOKING_SPAN
    until = datetime.combine(last + timedelta(days=2), time(), UTC)
    values = {"unit_id": employee.org_unit_id, "employee_id": employee.id, "since": since, "until": until}
    rows = await session.execute(TEAMMATE_DESKS, values)
    held = [
        _Held(who, floor_id, (x + w / 2, y + h / 2), zone, bool(live), start_at, end_at, time_zone)
        for who, start_at, end_at, floor_id, x, y, w, h, zone, live, time_zone in rows
    ]
    zones: dict[date, Counter[str]] = defaultdict(Counter)
    lower, upper = since + MAX_BOOKING_SPAN, until
    for booking in held:
        # As weeks._teammate_zones read them: desks in a zone, started in the range, by local start day.
        if booking.zone_name is not None and lower <= booking.start_at < upper:
            zones[booking.start_at.astimezone(ZoneInfo(booking.time_zone)).date()][booking.zone_name] += 1
    return zones, held


def _teammates_on(held: Sequence[_Held], day: date) -> dict[int, list[tuple[int, float, float]]]:
    """As ``nearby._teammate_desks``: per live floor, who and the desk centres held at some time of the local day."""
    desks: dict[int, list[tuple[int, float, float]]] = defaultdict(list)
    for booking in held:
        local = LocalDay(day, booking.time_zone)
        if booking.floor_live and booking.start_at < local.end_at and booking.end_at > local.start_at:
            desks[booking.floor_id].append((booking.employee_id, *booking.centre))
    return desks


@dataclass(frozen=True, slots=True)
class _DaySearch:
    day: date
    open_ids: list[int]
    teammates: dict[int, list[tuple[int, float, float]]]
    home_building_id: int | None

    @property
    def has_near_tier(self) -> bool:
        """Teammates sit somewhere that day and some building is open (their floors are searched first)."""
        return bool(self.teammates and self.open_ids)


async def week_desks(
    session: AsyncSession,
    employee: Employee,
    days: Sequence[DayPlan],
    calendar: WorkingCalendar,
    held: Sequence[_Held],
    shared: PolicyFactsView | None,
) -> dict[date, DeskChoice | None]:
    """The first choice of ``desks_near_team(employee, day, limit=1)`` for each of ``days``."""
    if not days:
        return {}
    buildings = await (shared.live_buildings(session) if shared else live_buildings(session))
    closes = await (shared.desk_holiday_rules(session) if shared else desk_holiday_rules(session))
    zones = {b.time_zone for b in buildings.values()}
    searches = []
    for plan in days:
        day = plan.day
        closed = _closed_for_holiday(calendar, plan, closes)
        open_ids = [b.id for b in buildings.values() if b.hours_on(day) is not None and not closed(b.id)]
        home = employee.home_building_id if employee.home_building_id in open_ids else None
        searches.append(_DaySearch(day, open_ids, _teammates_on(held, day), home))
    # The home building's desks count only on a day with no free desk on the teammates' floors: asked for first
    # only where there is no such floor, and for the (few) days whose teammates' floors turn out full.
    first = [
        (search.has_near_tier, search.home_building_id is not None and not search.has_near_tier) for search in searches
    ]
    rows = await _free_desks(session, employee.id, zones, searches, first)
    then = [
        (False, near and not rows.get(i) and s.home_building_id is not None)
        for i, ((near, _), s) in enumerate(zip(first, searches, strict=True))
    ]
    if any(home for _, home in then):
        rows.update(await _free_desks(session, employee.id, zones, searches, then))
    found: dict[date, DeskChoice | None] = {}
    for index, search in enumerate(searches):
        if not search.open_ids:
            found[search.day] = None
            continue
        near = [r for r in rows.get(index, ()) if r.floor_id in search.teammates]
        candidates = near or [r for r in rows.get(index, ()) if r.building_id == search.home_building_id]
        if candidates:
            found[search.day] = _best(candidates, search, buildings, employee.home_building_id)
        else:  # nothing free near the team or in the home building: the full search (every open building)
            choices = await desks_near_team(session, employee.id, search.day, limit=1)
            found[search.day] = choices[0] if choices else None
    return found


def _closed_for_holiday(calendar: WorkingCalendar, plan: DayPlan, closes: Mapping[int | None, bool]) -> Any:
    """As ``nearby._closed_for_holiday``, with the day's calendar and the person's rules from their week."""
    day = plan.day
    works_on_leave = plan.rules is not None and bool(plan.rules.rules.works_on_collective_leave)
    if (
        not any(closes.values())
        or calendar.closure_reason(day) is None
        or (calendar.kind(day) == DayKind.COLLECTIVE_LEAVE and works_on_leave)
    ):
        return lambda building_id: False
    default = closes.get(None, False)
    return lambda building_id: closes.get(building_id, default)


def _best(
    rows: Sequence[Any], search: _DaySearch, buildings: Mapping[int, LiveBuilding], home_building_id: int | None
) -> DeskChoice:
    """As ``nearby.free_desks``'s ranking: nearest a teammate (metres), then the home building, then building,
    floor and natural code order. The natural keys are built only for the rows that tie on what comes before."""
    present = {floor_id: len({who for who, _, _ in desks}) for floor_id, desks in search.teammates.items()}
    distances: list[float | None] = []
    hypot, teammates = math.hypot, search.teammates
    for d in rows:
        around = teammates.get(d.floor_id)
        if around:
            cx, cy = d.x + d.width / 2, d.y + d.height / 2
            distances.append(min([hypot(cx - tx, cy - ty) for _, tx, ty in around]))
        else:
            distances.append(None)

    def head(index: int) -> tuple[Any, ...]:
        distance, d = distances[index], rows[index]
        if distance is not None:
            return (0, distance)
        return (1, 0 if d.building_id == home_building_id else 1)

    heads = [head(i) for i in range(len(rows))]
    first = min(heads)
    tied = [i for i, h in enumerate(heads) if h == first]

    building_keys = {b: natural_key(buildings[b].code) for b in {rows[i].building_id for i in tied}}

    def floor_of(index: int) -> tuple[Any, ...]:
        d = rows[index]
        return (building_keys[d.building_id], d.building_id, d.floor_level)

    first_floor = min(floor_of(i) for i in tied)
    best = min((i for i in tied if floor_of(i) == first_floor), key=lambda i: (natural_key(rows[i].code), rows[i].id))
    d, distance = rows[best], distances[best]
    amenities = tuple(json.loads(d.amenities) or ()) if d.amenities is not None else ()
    return DeskChoice.from_row(d, buildings[d.building_id].name, amenities, distance, present.get(d.floor_id, 0))


async def _free_desks(
    session: AsyncSession,
    employee_id: int,
    zones: set[str],
    searches: Sequence[_DaySearch],
    tiers: Sequence[tuple[bool, bool]],
) -> dict[int, list[Any]]:
    """The free desks of the tiers asked for each search (``(near, home)``: the teammates' floors in open
    buildings, the home building), in one ``UNION ALL`` query; by the search's index. Free as
    ``nearby._free_desks`` decides it.

    The statement is built once per shape (time zones, and which tiers each day has) with bound parameters, so a
    request only binds values: building a statement of this size (and its cache key) cost more than running it."""
    ordered_zones = tuple(sorted(zones))
    shape = []
    params: dict[str, Any] = {"employee_id": employee_id}
    for index, (search, (near, home)) in enumerate(zip(searches, tiers, strict=True)):
        shape.append((near, home))
        if not (near or home):
            continue
        params[f"d{index}_day"] = search.day
        params[f"d{index}_open"] = search.open_ids
        params[f"d{index}_floors"] = sorted(search.teammates)
        params[f"d{index}_home"] = search.home_building_id
        for z, zone in enumerate(ordered_zones):
            local = LocalDay(search.day, zone)
            params[f"d{index}_z{z}_start"] = local.start_at
            params[f"d{index}_z{z}_end"] = local.end_at
            params[f"d{index}_z{z}_since"] = local.start_at - MAX_BOOKING_SPAN
    statement = _free_desks_statement(ordered_zones, tuple(shape))
    if statement is None:
        return {}
    found: dict[int, list[Any]] = defaultdict(list)
    for row in await session.execute(statement, params):
        found[row.search].append(row)
    return found


@functools.lru_cache(maxsize=256)
def _free_desks_statement(zones: tuple[str, ...], shape: tuple[tuple[bool, bool], ...]) -> Executable | None:
    branches = []
    for index, (near, home) in enumerate(shape):
        tiers = []
        if near:
            tiers.append(
                and_(
                    Building.id.in_(bindparam(f"d{index}_open", expanding=True)),
                    Space.floor_id.in_(bindparam(f"d{index}_floors", expanding=True)),
                )
            )
        if home:
            tiers.append(Building.id == bindparam(f"d{index}_home"))
        if tiers:
            branches.append(_free_on(zones, index).where(or_(*tiers)))
    if not branches:
        return None
    return branches[0] if len(branches) == 1 else union_all(*branches)


def _free_on(zones: tuple[str, ...], index: int) -> Select[*tuple[Any, ...]]:
    def free(z: int) -> ColumnElement[bool]:
        start: BindParameter[Any] = bindparam(f"d{index}_z{z}_start")
        end: BindParameter[Any] = bindparam(f"d{index}_z{z}_end")
        taken = exists().where(
            Booking.space_id == Space.id,
            Booking.status.in_(ACTIVE_STATUSES),
            # bookings.overlapping(start, end), bound: what an index on (space_id, start_at) serves
            Booking.start_at < end,
            Booking.blocks_until > start,
            Booking.start_at > bindparam(f"d{index}_z{z}_since"),
        )
        closed = exists().where(
            or_(
                Closure.space_id == Space.id,
                Closure.zone_id == Space.zone_id,
                Closure.floor_id == Floor.id,
                Closure.building_id == Building.id,
                Closure.site_id == Building.site_id,
            ),
            Closure.start_at < end,
            Closure.end_at > start,
        )
        return and_(~taken, ~closed)

    that_day = or_(false(), *(and_(Building.time_zone == zone, free(z)) for z, zone in enumerate(zones)))
    released = exists().where(DeskRelease.space_id == Space.id, DeskRelease.day == bindparam(f"d{index}_day"))
    desks = bookable_desks(bindparam("employee_id"), released, literal(index).label("search")).where(that_day)
    # The amenities as JSON text: hundreds of free desks come back and one a day is chosen, so only the chosen
    # desks' lists are decoded (the driver would decode every row's).
    return desks.with_only_columns(
        *(_as_text(column) if _is_amenities(column) else column for column in desks.selected_columns),
        maintain_column_froms=True,
    )


def _is_amenities(column: Any) -> bool:
    return getattr(column, "table", None) is Space.__table__ and getattr(column, "name", None) == "amenities"


def _as_text(column: Any) -> ColumnElement[str]:
    return cast(column, Text).label("amenities")
