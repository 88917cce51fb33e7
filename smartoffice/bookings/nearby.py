"""Free desks for a person on a local day, ranked by how near they are to the teammates who are in that day.

CONTRACT (issue 13): written by the search helper; used by My week's suggestions (smartoffice/policies/weeks.py)
and by "book my required days". Distance is measured on the floor plan (metres between desk centres); a desk on
a floor where no teammate sits ranks after every desk on a floor where one does.

Four to six queries whatever the counts: the person, the live buildings (for their time zones and hours), the desk
rules and, when one closes on holidays, the calendar day (a building closed for a holiday offers no desk), the
free desks and the teammates' desks. A local day depends on the building's time zone, so the "that day"
predicates are one branch per time zone in use (Indonesia has three), never one query per desk or building.
"""

import heapq
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, and_, exists, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.availability.slots import LocalDay
from smartoffice.bookings.models import ACTIVE_STATUSES, Booking, BookingRule, overlapping
from smartoffice.people.models import Employee
from smartoffice.places import service as places
from smartoffice.places.codes import natural_key
from smartoffice.places.models import Building, Closure, DeskRelease, Floor, Space, SpaceKind, Zone
from smartoffice.policies.collective_leave import works_on_collective_leave
from smartoffice.workcalendar.models import DayKind
from smartoffice.workcalendar.service import load_calendar


@dataclass(frozen=True, slots=True)
class DeskChoice:
    space_id: int
    code: str
    floor_id: int
    floor_name: str
    building_id: int
    building_name: str
    zone_name: str | None
    amenities: Sequence[str]
    distance_m: float | None
    """Metres from the centre of the nearest teammate's desk on the same floor that day; ``None`` when no teammate
    sits on the desk's floor."""
    teammates_on_floor: int

    @classmethod
    def from_row(
        cls, d: Any, building_name: str, amenities: Sequence[str], distance: float | None, teammates: int
    ) -> "DeskChoice":
        """A free desk's row (``id``, ``code``, ``floor_id``, ``floor_name``, ``building_id``, ``zone_name``) as a
        choice; its amenities decoded by the caller, which reads them in its own form."""
        return cls(
            space_id=d.id,
            code=d.code,
            floor_id=d.floor_id,
            floor_name=d.floor_name,
            building_id=d.building_id,
            building_name=building_name,
            zone_name=d.zone_name,
            amenities=amenities,
            distance_m=None if distance is None else round(distance, 2),
            teammates_on_floor=teammates,
        )


DayPredicate = Callable[[LocalDay], ColumnElement[bool]]


@dataclass(frozen=True, slots=True)
class _Building:
    id: int
    name: str
    code: str
    time_zone: str
    open_that_day: bool


async def desks_near_team(
    session: AsyncSession,
    employee_id: int,
    day: date,
    *,
    building_ids: Sequence[int] | None = None,
    floor_ids: Sequence[int] | None = None,
    amenities: Sequence[str] = (),
    limit: int = 20,
) -> list[DeskChoice]:
    """Desks the person could book for the whole of ``day`` (the building's local day): bookable, in service,
    not retired, not closed, not assigned to someone else, held by nobody at any time that day, with every one of
    ``amenities``; nearest to the teammates (the person's org unit) first, then by natural code order."""
    return await free_desks(
        session,
        employee_id,
        day,
        building_ids=building_ids,
        floor_ids=floor_ids,
        amenities=amenities,
        limit=limit,
        near_team=True,
    )


async def free_desks(
    session: AsyncSession,
    employee_id: int,
    day: date,
    *,
    building_ids: Sequence[int] | None = None,
    floor_ids: Sequence[int] | None = None,
    amenities: Sequence[str] = (),
    limit: int = 20,
    near_team: bool = True,
) -> list[DeskChoice]:
    """:func:`desks_near_team`; without ``near_team``, the teammates are not looked up (no distances): the
    person's home building first, then building, floor and natural code order."""
    if limit < 1:
        return []
    person = (
        await session.execute(select(Employee.org_unit_id, Employee.home_building_id).where(Employee.id == employee_id))
    ).one_or_none()
    if person is None:
        return []
    buildings = await _live_buildings(session, day)
    holiday_closed = await _closed_for_holiday(session, day, employee_id)
    open_ids = [b.id for b in buildings.values() if b.open_that_day and not holiday_closed(b.id)]
    if building_ids is not None:
        open_ids = [i for i in open_ids if i in set(building_ids)]
    if not open_ids:
        return []
    zones = {b.time_zone for b in buildings.values()}
    teammates = await _teammate_desks(session, employee_id, person.org_unit_id, day, zones) if near_team else {}
    present = {floor_id: len({who for who, _, _ in held}) for floor_id, held in teammates.items()}
    wanted = set(amenities)
    # Nearest first, in tiers that rank wholly before the next: the teammates' floors, then the home building,
    # then everywhere. A tier that already offers ``limit`` desks ends the search, so a suggestion near the team
    # reads one floor's desks rather than a campus's thousands.
    tiers: list[tuple[Sequence[int], Sequence[int] | None]] = []
    if teammates:
        tiers.append((open_ids, [f for f in teammates if floor_ids is None or f in floor_ids]))
    if person.home_building_id in open_ids:
        tiers.append(([person.home_building_id], floor_ids))
    tiers.append((open_ids, floor_ids))
    found: dict[int, Row[Any]] = {}
    for tier_buildings, tier_floors in tiers:
        for d in await _free_desks(session, employee_id, day, zones, tier_buildings, tier_floors):
            if not wanted or wanted <= set(d.amenities or ()):
                found.setdefault(d.id, d)
        if len(found) >= limit:
            break
    desks = list(found.values())

    building_keys = {b.id: natural_key(b.code) for b in buildings.values()}
    ranked = []
    for d in desks:
        around = teammates.get(d.floor_id, ())
        cx, cy = d.x + d.width / 2, d.y + d.height / 2
        distance = min((math.hypot(cx - tx, cy - ty) for _, tx, ty in around), default=None)
        place = (building_keys[d.building_id], d.building_id, d.floor_level, natural_key(d.code), d.id)
        if distance is not None:  # near a teammate first, by metres
            rank: tuple[Any, ...] = (0, distance, *place)
        else:  # then the person's home building; then building, floor and natural code order
            rank = (1, 0 if d.building_id == person.home_building_id else 1, *place)
        ranked.append((rank, distance, d))
    # Only the best few become choices: a campus may offer thousands of free desks.
    return [
        DeskChoice.from_row(
            d, buildings[d.building_id].name, tuple(d.amenities or ()), distance, present.get(d.floor_id, 0)
        )
        for _, distance, d in heapq.nsmallest(limit, ranked, key=itemgetter(0))
    ]


async def _live_buildings(session: AsyncSession, day: date) -> dict[int, _Building]:
    return {
        b.id: _Building(b.id, b.name, b.code, b.time_zone, b.hours_on(day) is not None)
        for b in (await places.live_buildings(session)).values()
    }


async def _closed_for_holiday(session: AsyncSession, day: date, employee_id: int) -> Callable[[int], bool]:
    """Whether a building's desk rule closes it on ``day`` for a holiday or cuti bersama (the booking checks'
    :func:`~smartoffice.bookings.checks.holiday_closure`): not a cuti bersama for a person who works on it
    (public service); the calendar is read only when some rule closes, their policies only on a cuti bersama."""
    rows = (
        await session.execute(
            select(BookingRule.building_id, BookingRule.closed_on_holidays).where(
                BookingRule.space_kind == SpaceKind.DESK
            )
        )
    ).all()
    closes = {building_id: closed for building_id, closed in rows}
    if not any(closes.values()):
        return lambda building_id: False
    calendar = await load_calendar(session, day, day)
    if calendar.closure_reason(day) is None or (
        calendar.kind(day) == DayKind.COLLECTIVE_LEAVE and await works_on_collective_leave(session, employee_id, day)
    ):
        return lambda building_id: False
    default = closes.get(None, False)
    return lambda building_id: closes.get(building_id, default)


def bookable_desks(employee_id: Any, released: ColumnElement[bool], *leading: Any) -> Select[*tuple[Any, ...]]:
    """Desks ``employee_id`` may book, with what a :class:`DeskChoice` needs (after the ``leading`` columns):
    bookable, not retired, on a floor in use, not assigned to someone else unless ``released`` that day. The query
    joins ``Floor``, ``Building`` and ``Zone``; the caller adds when (free, not closed) and where."""
    return (
        select(
            *leading,
            Space.id,
            Space.code,
            Space.floor_id,
            Space.x,
            Space.y,
            Space.width,
            Space.height,
            Space.amenities,
            Floor.name.label("floor_name"),
            Floor.level.label("floor_level"),
            Floor.building_id,
            Zone.name.label("zone_name"),
        )
        .join(Floor, Space.floor_id == Floor.id)
        .join(Building, Floor.building_id == Building.id)
        .outerjoin(Zone, Space.zone_id == Zone.id)
        .where(
            Space.kind == SpaceKind.DESK,
            Space.bookable.is_(True),
            Space.retired_at.is_(None),
            Floor.retired_at.is_(None),
            or_(Space.assigned_employee_id.is_(None), Space.assigned_employee_id == employee_id, released),
        )
    )


def _that_day(zones: Iterable[str], day: date, predicate: DayPredicate) -> ColumnElement[bool]:
    """``predicate`` for the local day of the row's building: one branch per time zone."""
    branches = [and_(Building.time_zone == zone, predicate(LocalDay(day, zone))) for zone in sorted(zones)]
    return or_(false(), *branches)


async def _free_desks(
    session: AsyncSession,
    employee_id: int,
    day: date,
    zones: set[str],
    building_ids: Sequence[int],
    floor_ids: Sequence[int] | None,
) -> Sequence[Row[*tuple[Any, ...]]]:
    def free(local: LocalDay) -> ColumnElement[bool]:
        taken = exists().where(
            Booking.space_id == Space.id,
            Booking.status.in_(ACTIVE_STATUSES),
            overlapping(local.start_at, local.end_at),
        )
        closed = exists().where(
            or_(
                Closure.space_id == Space.id,
                Closure.zone_id == Space.zone_id,
                Closure.floor_id == Floor.id,
                Closure.building_id == Building.id,
                Closure.site_id == Building.site_id,
            ),
            Closure.start_at < local.end_at,
            Closure.end_at > local.start_at,
        )
        return and_(~taken, ~closed)

    released = exists().where(DeskRelease.space_id == Space.id, DeskRelease.day == day)
    query = bookable_desks(employee_id, released).where(Building.id.in_(building_ids), _that_day(zones, day, free))
    if floor_ids is not None:
        query = query.where(Space.floor_id.in_(floor_ids))
    return (await session.execute(query)).all()


async def _teammate_desks(
    session: AsyncSession, employee_id: int, org_unit_id: int, day: date, zones: set[str]
) -> dict[int, list[tuple[int, float, float]]]:
    """Per floor, who and the centres of the desks the person's unit colleagues hold at some time of the local day."""

    def held(local: LocalDay) -> ColumnElement[bool]:
        return overlapping(local.start_at, local.end_at, until=Booking.end_at)

    rows = await session.execute(
        select(Booking.employee_id, Space.floor_id, Space.x, Space.y, Space.width, Space.height)
        .join(Booking, Booking.space_id == Space.id)
        .join(Employee, Booking.employee_id == Employee.id)
        .join(Floor, Space.floor_id == Floor.id)
        .join(Building, Floor.building_id == Building.id)
        .where(
            Employee.org_unit_id == org_unit_id,
            Employee.id != employee_id,
            Booking.space_kind == SpaceKind.DESK,
            Booking.status.in_(ACTIVE_STATUSES),
            Floor.retired_at.is_(None),
            _that_day(zones, day, held),
        )
    )
    desks: dict[int, list[tuple[int, float, float]]] = defaultdict(list)
    for r in rows:
        desks[r.floor_id].append((r.employee_id, r.x + r.width / 2, r.y + r.height / 2))
    return desks
