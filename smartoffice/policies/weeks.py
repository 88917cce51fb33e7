"""My week and a unit's compliance: the engine's answers for people, with who may see them and suggestions.

Each function runs inside the caller's transaction; :class:`~smartoffice.policies.service.PolicyService` opens it.
"""

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from smartoffice.bookings.models import ACTIVE_STATUSES, Booking, BookingStatus
from smartoffice.bookings.rules import rules_for
from smartoffice.date_range import require_supported
from smartoffice.errors import NotFound, PermissionDenied
from smartoffice.people import service as people
from smartoffice.people.models import Employee, OrgUnit
from smartoffice.people.roles import is_admin, managed_unit_roots, manages, manages_unit
from smartoffice.places.models import Building, Floor, Space, SpaceKind, Zone
from smartoffice.policies.day_rules import AWAY, PolicyView
from smartoffice.policies.engine import DayPlan, Requirement, WeekPlan, monday_of, plan_week, remote_places
from smartoffice.policies.errors import PolicyPermissionCode
from smartoffice.policies.facts import load_attendance, load_people, load_policies_for
from smartoffice.policies.models import LocationKind, WorkMode
from smartoffice.policies.remote_locations import Location
from smartoffice.policies.shared_facts import PolicyFactsView
from smartoffice.policies.suggestions import teammate_zones, week_desks
from smartoffice.workcalendar.service import WorkingCalendar, load_calendar

MAX_UNIT_MEMBERS = 2_000
"""The largest subtree a compliance report covers in one answer (an Eselon I unit of the demo has ~400)."""


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A day the person should (or may want to) be in, and the free desk nearest the teammates who are.

    ``desk_id`` is None when no desk is free that day (closed, full): the day is still suggested, so that the
    week's numbers and its suggestions never disagree."""

    day: date
    requirement: Requirement
    teammates_in: int
    zone_name: str | None
    """The zone where most of the teammates who are in sit."""
    desk_id: int | None
    desk_name: str | None
    floor_id: int | None = None
    """The free desk's floor."""


@dataclass(frozen=True, slots=True)
class BookedDesk:
    """One of the person's active desk bookings in the week, with its place and when check-in opens."""

    booking_id: int
    space_id: int
    label: str
    """The desk's name, else its code."""
    floor_id: int
    floor_name: str
    building_name: str
    time_zone: str
    start_at: datetime
    end_at: datetime
    status: BookingStatus
    check_in_opens_at: datetime
    """The booking rule's ``check_in_opens_minutes`` before the start (as check-in decides it)."""

    def can_check_in(self, now: datetime) -> bool:
        """As :meth:`smartoffice.bookings.checkin.SpaceToday.can_check_in`."""
        return self.status == BookingStatus.BOOKED and self.check_in_opens_at <= now < self.end_at


@dataclass(frozen=True, slots=True)
class MyWeek:
    plan: WeekPlan
    employee: Employee
    suggestions: Sequence[Suggestion]
    office_days_to_choose: int = 0
    """See :func:`office_days_to_choose`: what the page and the API show, and how many flexible days are
    suggested."""
    desks: Mapping[date, Sequence[BookedDesk]] = field(default_factory=dict)
    """The person's desk bookings (pending, booked, checked in) by local day."""
    locations: Mapping[date, Location] = field(default_factory=dict)
    """Where each remote day of the week is planned (read in the week's transaction: the API primes its location
    loader with them, the week page shows them)."""


@dataclass(frozen=True, slots=True)
class DayShare:
    """How many of a unit (its subtree, see :func:`unit_subtree`) plan (or were) remote on a day, against the cap
    in force."""

    day: date
    members: int
    remote: int
    cap_percent: int | None
    policy: PolicyView | None

    @property
    def allowed(self) -> int | None:
        """How many may be remote under the cap (:func:`~smartoffice.policies.engine.remote_places`)."""
        return remote_places(self.members, self.cap_percent)

    @property
    def is_breached(self) -> bool:
        allowed = self.allowed
        return allowed is not None and self.remote > allowed


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


async def my_week(
    session: AsyncSession,
    viewer_id: int,
    employee_id: int,
    week_of: date,
    today: date,
    shared: PolicyFactsView | None = None,
) -> MyWeek:
    """``shared``: the policies, calendar and unit facts from the process's cache (see
    :mod:`~smartoffice.policies.shared_facts`); without it, from SQL."""
    employee = await people.get_employee(session, employee_id)
    if not await can_see_week(session, viewer_id, employee):
        raise PermissionDenied(PolicyPermissionCode.NOT_YOUR_WEEK)
    monday = week_monday(week_of)
    located: dict[tuple[int, date], tuple[LocationKind, str | None]] = {}
    plans = await plan_weeks(
        session,
        [employee.id],
        monday,
        today,
        with_supervisors=True,
        shared=shared,
        known=(employee,),
        locations=located,
    )
    plan = plans[employee.id]
    to_choose = office_days_to_choose(plan)
    sunday = monday + timedelta(days=6)
    calendar = (
        await shared.calendar(session, monday, sunday) if shared else await load_calendar(session, monday, sunday)
    )
    suggestions = await _suggestions(session, employee, plan, to_choose, calendar, shared)
    desks = await booked_desks(session, employee.id, monday, sunday, shared)
    # Where its remote days are worked came with the week's work-day rows.
    locations = {day: Location(kind, detail) for (who, day), (kind, detail) in located.items() if who == employee.id}
    return MyWeek(plan, employee, suggestions, to_choose, desks, locations)


def is_covered(day: DayPlan) -> bool:
    """A working day that needs nothing more: in the office (a desk booked, an office plan, a check-in) or away
    (leave, duty travel). The one definition of "covered" the week's numbers, its suggestions and "book my
    required days" share; it is what the engine's compliance counts (``DayPlan.status``)."""
    return day.status == WorkMode.OFFICE or day.status in AWAY


def office_days_to_choose(plan: WeekPlan) -> int:
    """Office days still to pick among the flexible days: the office days the week needs, less the days away
    (which excuse office days one for one, as the engine judges), the required days that are not away, and the
    flexible days already in the office."""
    working = plan.working_days
    away = sum(1 for day in working if day.status in AWAY)
    required = sum(1 for day in working if day.requirement == Requirement.REQUIRED and day.status not in AWAY)
    chosen = sum(1 for day in working if day.requirement == Requirement.FLEXIBLE and day.status == WorkMode.OFFICE)
    return max(0, plan.office_days_needed - away - required - chosen)


def uncovered_days(plan: WeekPlan) -> list[DayPlan]:
    """Working days from today on that are not covered (see :func:`is_covered`)."""
    return [day for day in plan.working_days if day.day >= plan.today and not is_covered(day)]


async def plan_weeks(
    session: AsyncSession,
    employee_ids: Sequence[int],
    monday: date,
    today: date,
    *,
    with_supervisors: bool,
    shared: PolicyFactsView | None = None,
    known: Sequence[Employee] = (),
    locations: dict[tuple[int, date], tuple[LocationKind, str | None]] | None = None,
) -> dict[int, WeekPlan]:
    """Each employee's week in a fixed number of queries (their supervisors' attendance too, for co-presence);
    with ``shared``, the policies, calendar and unit facts come from the process's cache. ``locations``: filled
    with where the days of the week are worked (see :func:`~smartoffice.policies.facts.load_attendance`)."""
    sunday = monday + timedelta(days=6)
    persons = await load_people(session, employee_ids, monday, sunday, shared, known)
    supervisors = (
        {p.supervisor_id for p in persons.values() if p.supervisor_id is not None} if with_supervisors else set()
    )
    attendance = await load_attendance(session, set(persons) | supervisors, monday, sunday, locations)
    policies = await load_policies_for(session, monday, sunday, persons.values(), shared)
    calendar = (
        await shared.calendar(session, monday, sunday) if shared else await load_calendar(session, monday, sunday)
    )
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


async def week_calendar(
    session: AsyncSession, first: date, last: date, shared: PolicyFactsView | None
) -> WorkingCalendar:
    return await shared.calendar(session, first, last) if shared else await load_calendar(session, first, last)


async def _suggestions(
    session: AsyncSession,
    employee: Employee,
    plan: WeekPlan,
    to_choose: int,
    calendar: WorkingCalendar,
    shared: PolicyFactsView | None,
) -> list[Suggestion]:
    """Every required day from today on that is not covered, then as many flexible days as office days remain to
    be chosen (those with most teammates in first), each with the free desk nearest the teammates that day
    (:func:`~smartoffice.bookings.nearby.desks_near_team`'s first choice, for the week at once:
    :mod:`~smartoffice.policies.suggestions`). Empty exactly when the week needs nothing more that the days left
    can give."""
    open_days = uncovered_days(plan)
    if not open_days:
        return []
    zones_by_day, held = await teammate_zones(session, employee, plan.days[0].day, plan.days[-1].day)
    flexible = sorted(
        (day for day in open_days if day.requirement == Requirement.FLEXIBLE),
        key=lambda d: (-_total(zones_by_day, d.day), d.day),
    )
    days = [day for day in open_days if day.requirement == Requirement.REQUIRED] + flexible[:to_choose]
    desks = await week_desks(session, employee, days, calendar, held, shared)
    suggestions = []
    for day in days:
        zones = zones_by_day.get(day.day, Counter())
        desk = desks[day.day]
        suggestions.append(
            Suggestion(
                day.day,
                day.requirement,
                zones.total(),
                zones.most_common(1)[0][0] if zones else None,
                desk.space_id if desk else None,
                desk.code if desk else None,
                desk.floor_id if desk else None,
            )
        )
    return suggestions


def _total(zones_by_day: Mapping[date, Counter[str]], day: date) -> int:
    zones = zones_by_day.get(day)
    return zones.total() if zones else 0


BOOKED_DESKS = (
    select(
        Booking.id,
        Booking.space_id,
        Booking.start_at,
        Booking.end_at,
        Booking.status,
        Space.name,
        Space.code,
        Floor.id,
        Floor.name,
        Building.id,
        Building.name,
        Building.time_zone,
    )
    .join(Space, Booking.space_id == Space.id)
    .join(Floor, Space.floor_id == Floor.id)
    .join(Building, Floor.building_id == Building.id)
    .where(
        Booking.employee_id == bindparam("employee_id"),
        Booking.space_kind == SpaceKind.DESK,
        Booking.status.in_(ACTIVE_STATUSES),
        Booking.start_at >= bindparam("since"),
        Booking.start_at < bindparam("until"),
    )
    .order_by(Booking.start_at, Booking.id)
)
"""A person's active desk bookings starting in a UTC range, with their place: built once (a request binds its
values; building the statement cost more than running it)."""


async def booked_desks(
    session: AsyncSession, employee_id: int, first: date, last: date, shared: PolicyFactsView | None = None
) -> dict[date, list[BookedDesk]]:
    """The person's active desk bookings by local day from ``first`` to ``last``, in start order, with when
    check-in opens for each (the building's desk rule; with ``shared``, from the process's cache)."""
    since = datetime.combine(first - timedelta(days=1), time(), UTC)
    until = datetime.combine(last + timedelta(days=2), time(), UTC)
    rows = (await session.execute(BOOKED_DESKS, {"employee_id": employee_id, "since": since, "until": until})).all()
    opens_before: dict[int, timedelta] = {}
    desks: dict[date, list[BookedDesk]] = defaultdict(list)
    for (
        booking_id,
        space_id,
        start_at,
        end_at,
        status,
        name,
        code,
        floor_id,
        floor_name,
        building_id,
        building_name,
        time_zone,
    ) in rows:
        day = start_at.astimezone(ZoneInfo(time_zone)).date()
        if not first <= day <= last:
            continue
        if building_id not in opens_before:
            cached = await shared.desk_check_in_opens(session) if shared else {}
            minutes = cached.get(building_id, cached.get(None))
            if minutes is None:
                minutes = (await rules_for(session, building_id, SpaceKind.DESK)).check_in_opens_minutes
            opens_before[building_id] = timedelta(minutes=minutes)
        desks[day].append(
            BookedDesk(
                booking_id,
                space_id,
                name or code,
                floor_id,
                floor_name,
                building_name,
                time_zone,
                start_at,
                end_at,
                status,
                start_at - opens_before[building_id],
            )
        )
    return dict(desks)


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


def unit_subtree(unit_id: int) -> Select[tuple[int]]:
    """The ids of a unit and every unit below it: whom a unit's remote share counts, in the compliance report and
    when a remote day is planned (``remote_days.check_remote_day``, for the planner's own unit). A unit head caps
    their unit, and their sub-units are part of it; for a unit without sub-units it is just its members."""
    tree = select(OrgUnit.id).where(OrgUnit.id == unit_id).cte("subtree", recursive=True)
    tree = tree.union_all(select(OrgUnit.id).join(tree, OrgUnit.parent_id == tree.c.id))
    return select(tree.c.id)


async def _members(session: AsyncSession, unit_id: int) -> list[Employee]:
    rows = await session.scalars(
        select(Employee)
        .where(Employee.org_unit_id.in_(unit_subtree(unit_id)))
        .options(joinedload(Employee.org_unit).joinedload(OrgUnit.organisation))
        .order_by(Employee.name, Employee.id)
        .limit(MAX_UNIT_MEMBERS)
    )
    return list(rows)


def _shares(weeks: Sequence[tuple[Employee, WeekPlan]], monday: date) -> list[DayShare]:
    """Per weekday that is a working day for some member: the subtree's remote count against the tightest cap in
    force for any of them, the same share planning checks for this unit (``remote_days``: the planner's unit and
    every unit above it), allowing :func:`~smartoffice.policies.engine.remote_places` of the members."""
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


async def supervises_anyone(session: AsyncSession, employee_id: int) -> bool:
    """Whether someone active has the person as their direct supervisor (the "my team" link of their week)."""
    return (
        await session.scalar(
            select(Employee.id).where(Employee.supervisor_id == employee_id, Employee.active.is_(True)).limit(1)
        )
    ) is not None


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
