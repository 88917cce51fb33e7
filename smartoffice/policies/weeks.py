"""My week and a unit's compliance: the engine's answers for people, with who may see them and suggestions.

Each function runs inside the caller's transaction; :class:`~smartoffice.policies.service.PolicyService` opens it.
"""

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from smartoffice.availability.slots import LocalDay
from smartoffice.bookings.models import ACTIVE_STATUSES, Booking, overlapping
from smartoffice.date_range import require_supported
from smartoffice.errors import NotFound, PermissionDenied
from smartoffice.people import service as people
from smartoffice.people.models import Employee, OrgUnit
from smartoffice.people.roles import is_admin, managed_unit_roots, manages, manages_unit
from smartoffice.places.models import Building, Closure, Floor, Space, SpaceKind, Zone
from smartoffice.policies.engine import (
    PolicyView,
    Requirement,
    WeekPlan,
    monday_of,
    plan_week,
)
from smartoffice.policies.errors import PolicyPermissionCode
from smartoffice.policies.facts import load_attendance, load_people, load_policies_for
from smartoffice.policies.models import WorkMode
from smartoffice.workcalendar.service import load_calendar

MAX_UNIT_MEMBERS = 2_000
"""The largest subtree a compliance report covers in one answer (an Eselon I unit of the demo has ~400)."""
MAX_SUGGESTIONS = 3


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A desk to book on a day the person should (or may want to) be in, near the teammates who are."""

    day: date
    requirement: Requirement
    teammates_in: int
    zone_name: str | None
    desk_id: int | None
    desk_name: str | None


@dataclass(frozen=True, slots=True)
class MyWeek:
    plan: WeekPlan
    employee: Employee
    suggestions: Sequence[Suggestion]


@dataclass(frozen=True, slots=True)
class DayShare:
    """How many of a unit plan (or were) remote on a day, against the cap in force."""

    day: date
    members: int
    remote: int
    cap_percent: int | None
    policy: PolicyView | None

    @property
    def is_breached(self) -> bool:
        return self.cap_percent is not None and self.remote * 100 > self.cap_percent * self.members


@dataclass(frozen=True, slots=True)
class UnitWeek:
    unit: OrgUnit
    """With its organisation loaded."""
    monday: date
    weeks: Sequence[tuple[Employee, WeekPlan]]
    """Each member (with their unit and organisation loaded) and their week, by name."""
    shares: Sequence[DayShare]


async def can_see_week(session: AsyncSession, viewer_id: int, employee: Employee) -> bool:
    """The person, their direct supervisor, a unit manager over them, or an admin."""
    return viewer_id == employee.id or await manages(session, viewer_id, employee)


def week_monday(week_of: date) -> date:
    """The Monday of ``week_of``'s week; a day outside the supported range (smartoffice/date_range.py) is an invalid
    ``weekOf`` (the week of 0001-01-01 ran off the calendar while loading the day before it)."""
    require_supported(week_of, "weekOf")
    return monday_of(week_of)


async def my_week(session: AsyncSession, viewer_id: int, employee_id: int, week_of: date, today: date) -> MyWeek:
    employee = await people.get_employee(session, employee_id)
    if not await can_see_week(session, viewer_id, employee):
        raise PermissionDenied(PolicyPermissionCode.NOT_YOUR_WEEK)
    monday = week_monday(week_of)
    plans = await plan_weeks(session, [employee.id], monday, today, with_supervisors=True)
    plan = plans[employee.id]
    return MyWeek(plan, employee, await _suggestions(session, employee, plan))


async def plan_weeks(
    session: AsyncSession, employee_ids: Sequence[int], monday: date, today: date, *, with_supervisors: bool
) -> dict[int, WeekPlan]:
    """Each employee's week in a fixed number of queries (their supervisors' attendance too, for co-presence)."""
    sunday = monday + timedelta(days=6)
    persons = await load_people(session, employee_ids, monday, sunday)
    supervisors = (
        {p.supervisor_id for p in persons.values() if p.supervisor_id is not None} if with_supervisors else set()
    )
    attendance = await load_attendance(session, set(persons) | supervisors, monday, sunday)
    policies = await load_policies_for(session, monday, sunday, persons.values())
    calendar = await load_calendar(session, monday, sunday)
    return {
        person.id: plan_week(
            person,
            monday,
            today,
            policies,
            calendar,
            attendance.get(person.id, {}),
            attendance.get(person.supervisor_id, {}) if person.supervisor_id is not None else None,
        )
        for person in persons.values()
    }


async def _suggestions(session: AsyncSession, employee: Employee, plan: WeekPlan) -> list[Suggestion]:
    """For the coming working days not yet planned in the office: the zone where most teammates have desks
    booked, and a free desk there. Required days come first; flexible days only when office days remain to be
    chosen (beyond the flexible days already in the office) and teammates are in, one per day still to choose."""
    chosen = sum(
        1 for day in plan.working_days if day.requirement == Requirement.FLEXIBLE and day.status == WorkMode.OFFICE
    )
    to_choose = max(0, plan.office_days_to_choose - chosen)
    open_days = [
        day
        for day in plan.working_days
        if day.day >= plan.today
        and day.planned != WorkMode.OFFICE
        and day.status not in (WorkMode.LEAVE, WorkMode.DUTY_TRAVEL)
        and (day.requirement == Requirement.REQUIRED or to_choose > 0)
    ]
    if not open_days:
        return []
    zones_by_day = await _teammate_zones(session, employee, plan.days[0].day, plan.days[-1].day)
    suggestions = []
    for day in sorted(open_days, key=lambda d: (d.requirement != Requirement.REQUIRED, d.day)):
        zones = zones_by_day.get(day.day, Counter())
        if day.requirement == Requirement.FLEXIBLE:
            if not zones or to_choose == 0:
                continue
            to_choose -= 1
        desk = await _free_desk(session, zones.most_common(1)[0][0], day.day) if zones else None
        suggestions.append(
            Suggestion(
                day.day,
                day.requirement,
                sum(zones.values()),
                desk.zone_name if desk else None,
                desk.id if desk else None,
                desk.name if desk else None,
            )
        )
        if len(suggestions) == MAX_SUGGESTIONS:
            break
    return suggestions


async def _teammate_zones(
    session: AsyncSession, employee: Employee, first: date, last: date
) -> dict[date, Counter[int]]:
    """Per local day, the zones of the desks the person's unit colleagues hold (one query for the week)."""
    since = datetime.combine(first - timedelta(days=1), time(), UTC)
    until = datetime.combine(last + timedelta(days=2), time(), UTC)
    rows = await session.execute(
        select(Space.zone_id, Booking.start_at, Building.time_zone)
        .join(Booking, Booking.space_id == Space.id)
        .join(Floor, Space.floor_id == Floor.id)
        .join(Building, Floor.building_id == Building.id)
        .join(Employee, Booking.employee_id == Employee.id)
        .where(
            Employee.org_unit_id == employee.org_unit_id,
            Employee.id != employee.id,
            Booking.status.in_(ACTIVE_STATUSES),
            Booking.space_kind == SpaceKind.DESK,
            Booking.start_at >= since,
            Booking.start_at < until,
            Space.zone_id.is_not(None),
        )
    )
    zones: dict[date, Counter[int]] = defaultdict(Counter)
    for zone_id, start_at, time_zone in rows:
        if zone_id is not None:
            zones[start_at.astimezone(ZoneInfo(time_zone)).date()][zone_id] += 1
    return zones


@dataclass(frozen=True, slots=True)
class _FreeDesk:
    id: int
    name: str
    zone_name: str


async def _free_desk(session: AsyncSession, zone_id: int, day: date) -> _FreeDesk | None:
    """A hot desk in the zone, in service, that nobody holds at any time of the local day and no closure covers
    then (the booking checks' closure predicate): a suggestion the booking will not refuse for its place."""
    zone = (
        await session.execute(
            select(Zone.name, Zone.floor_id, Floor.building_id, Building.site_id, Building.time_zone)
            .join(Floor, Zone.floor_id == Floor.id)
            .join(Building, Floor.building_id == Building.id)
            .where(Zone.id == zone_id, Zone.retired_at.is_(None), Floor.retired_at.is_(None))
        )
    ).one_or_none()
    if zone is None:
        return None
    local = LocalDay(day, zone.time_zone)
    taken = exists().where(
        Booking.space_id == Space.id,
        Booking.status.in_(ACTIVE_STATUSES),
        overlapping(local.start_at, local.end_at),
    )
    closed = exists().where(
        or_(
            Closure.site_id == zone.site_id,
            Closure.building_id == zone.building_id,
            Closure.floor_id == zone.floor_id,
            Closure.zone_id == zone_id,
            Closure.space_id == Space.id,
        ),
        Closure.start_at < local.end_at,
        Closure.end_at > local.start_at,
    )
    row = (
        await session.execute(
            select(Space.id, Space.name, Space.code)
            .where(
                Space.zone_id == zone_id,
                Space.kind == SpaceKind.DESK,
                Space.assigned_employee_id.is_(None),
                Space.bookable.is_(True),
                Space.retired_at.is_(None),
                ~taken,
                ~closed,
            )
            .order_by(Space.code)
            .limit(1)
        )
    ).first()
    return _FreeDesk(row.id, row.name or row.code, zone.name) if row else None


async def unit_week(session: AsyncSession, viewer_id: int, unit_id: int, week_of: date, today: date) -> UnitWeek:
    """Compliance of everyone in a unit's subtree for a week (Pasal 35 monitoring): unit managers and admins."""
    unit = await session.get(OrgUnit, unit_id, options=[joinedload(OrgUnit.organisation)])
    if unit is None:
        raise NotFound("OrgUnit", unit_id)
    if not await manages_unit(session, viewer_id, unit_id):
        raise PermissionDenied(PolicyPermissionCode.NOT_YOUR_UNIT)
    members = await _members(session, unit_id)
    monday = week_monday(week_of)
    plans = await plan_weeks(session, [m.id for m in members], monday, today, with_supervisors=True)
    weeks = [(member, plans[member.id]) for member in members if member.id in plans]
    return UnitWeek(unit, monday, weeks, _shares(weeks, monday))


async def _members(session: AsyncSession, unit_id: int) -> list[Employee]:
    tree = select(OrgUnit.id).where(OrgUnit.id == unit_id).cte("subtree", recursive=True)
    tree = tree.union_all(select(OrgUnit.id).join(tree, OrgUnit.parent_id == tree.c.id))
    rows = await session.scalars(
        select(Employee)
        .where(Employee.org_unit_id.in_(select(tree.c.id)))
        .options(joinedload(Employee.org_unit).joinedload(OrgUnit.organisation))
        .order_by(Employee.name, Employee.id)
        .limit(MAX_UNIT_MEMBERS)
    )
    return list(rows)


def _shares(weeks: Sequence[tuple[Employee, WeekPlan]], monday: date) -> list[DayShare]:
    """Per weekday that is a working day for some member: the subtree's remote count against the tightest cap in
    force for any of them (for a unit without sub-units, exactly the share the cap limits)."""
    shares = []
    for offset in range(5):
        day = monday + timedelta(days=offset)
        plans = [plan.days[offset] for _, plan in weeks if plan.days[offset].requirement != Requirement.NOT_WORKING]
        if not plans:
            continue
        remote = sum(1 for p in plans if p.status is not None and p.status.is_remote)
        capped = [p.rules for p in plans if p.rules is not None and p.rules.rules.max_unit_remote_percent is not None]
        cap = min((r.rules.max_unit_remote_percent for r in capped), default=None)  # type: ignore[type-var]
        source = next(
            (r.sources.get("max_unit_remote_percent") for r in capped if r.rules.max_unit_remote_percent == cap), None
        )
        shares.append(DayShare(day, len(plans), remote, cap, source))
    return shares


# where the week pages link to


async def units_managed_by(session: AsyncSession, employee_id: int) -> list[OrgUnit]:
    """The units whose compliance the person monitors, for links from their week: each unit they are a unit
    manager of; an admin without such a role (they may see every unit) gets their own unit."""
    rows = await session.scalars(
        select(OrgUnit)
        .where(OrgUnit.id.in_(managed_unit_roots(employee_id)))  # granted, or headed by position
        .order_by(OrgUnit.level, OrgUnit.name, OrgUnit.id)
    )
    units = list(dict.fromkeys(rows))
    if not units and await is_admin(session, employee_id):
        own = await session.scalar(
            select(OrgUnit).join(Employee, Employee.org_unit_id == OrgUnit.id).where(Employee.id == employee_id)
        )
        units = [own] if own is not None else []
    return units


async def home_floor_id(session: AsyncSession, unit_path: Sequence[int]) -> int | None:
    """The floor of the hot-desk zone of the nearest unit on ``unit_path`` (a person's unit, then the units above
    it) that has one, the lowest such floor: where "book a desk" on their week points. None without a zone."""
    if not unit_path:
        return None
    rows = await session.execute(
        select(Zone.org_unit_id, Zone.floor_id)
        .join(Floor, Zone.floor_id == Floor.id)
        .where(Zone.org_unit_id.in_(unit_path))
        .order_by(Floor.level, Zone.floor_id)
    )
    first_floor: dict[int, int] = {}
    for unit_id, floor_id in rows:
        if unit_id is not None:
            first_floor.setdefault(unit_id, floor_id)
    return next((first_floor[unit] for unit in unit_path if unit in first_floor), None)
