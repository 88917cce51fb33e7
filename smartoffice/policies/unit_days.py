"""What a unit's head reads day to day: who is in on a day, a unit's report filtered to a sub-unit, the anchor days
in force and scheduled, and a direct supervisor's team.

Each function runs inside the caller's transaction; :class:`~smartoffice.policies.service.PolicyService` opens it.
Unit views are for the unit's managers and administrators (as :func:`~smartoffice.policies.weeks.unit_week`);
the team view is the viewer's own direct reports, whose weeks :func:`~smartoffice.policies.weeks.can_see_week`
lets a supervisor see.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from smartoffice.bookings.models import ACTIVE_STATUSES, Booking
from smartoffice.date_range import require_supported
from smartoffice.errors import NotFound
from smartoffice.people.models import Employee, OrgUnit
from smartoffice.people.roles import unit_ancestors
from smartoffice.places.models import Building, Floor, Space, SpaceKind
from smartoffice.policies import weeks
from smartoffice.policies.day_rules import AWAY
from smartoffice.policies.engine import DayPlan, Requirement, WeekPlan, monday_of
from smartoffice.policies.models import AnchorDay, WorkMode
from smartoffice.policies.unit_trend import UnitOption, managed_unit, subtree_units


class Presence(StrEnum):
    """Where a person is on a day, as the "who is in" list groups people."""

    IN_OFFICE = "in_office"
    """Checked in, reported in the office, a desk booked or an office plan (for a past day: only what happened)."""
    REMOTE = "remote"
    """WFH or WFA, planned or reported."""
    AWAY = "away"
    """Leave or duty travel."""
    ABSENT = "absent"
    """Reported absent by the attendance source."""
    NO_DATA = "no_data"
    """A past working day the attendance source says nothing of (a desk booking nobody checked in to included):
    not known to be absent."""
    NO_PLAN = "no_plan"
    """A working day from today on with nothing planned."""
    NOT_WORKING = "not_working"
    """Not a working day for them (a holiday, cuti bersama)."""


PRESENCE_ORDER = tuple(Presence)


@dataclass(frozen=True, slots=True)
class PersonDay:
    employee: Employee
    """With their unit loaded."""
    presence: Presence
    mode: WorkMode | None
    """What counts that day (the engine's ``DayPlan.status``)."""
    planned: WorkMode | None
    actual: WorkMode | None
    is_required: bool
    """The policies require them in the office that day."""
    desk_label: str | None
    """The desk booked that day, if any."""
    checked_in: bool


@dataclass(frozen=True, slots=True)
class UnitDay:
    unit: OrgUnit
    """With its organisation loaded."""
    day: date
    people: Sequence[PersonDay]
    """By presence (in the office first), then by name."""


async def unit_day(session: AsyncSession, viewer_id: int, unit_id: int, day: date, today: date) -> UnitDay:
    """Who of the unit's subtree is in the office on ``day``, who is remote, away, absent or without a plan."""
    require_supported(day, "date")
    unit = await managed_unit(session, viewer_id, unit_id)
    members = await weeks._members(session, unit_id)
    plans = await weeks.plan_weeks(session, [m.id for m in members], monday_of(day), today, with_supervisors=False)
    desks = await _desks_on(session, [m.id for m in members], day)
    people = []
    for member in members:
        plan = plans.get(member.id)
        if plan is None:
            continue
        day_plan = plan.days[day.weekday()]
        desk = desks.get(member.id)
        people.append(
            PersonDay(
                employee=member,
                presence=presence_of(day_plan),
                mode=day_plan.status,
                planned=day_plan.planned,
                actual=day_plan.actual,
                is_required=day_plan.requirement == Requirement.REQUIRED,
                desk_label=desk[0] if desk else None,
                checked_in=bool(desk and desk[1]),
            )
        )
    rank = {presence: index for index, presence in enumerate(PRESENCE_ORDER)}
    people.sort(key=lambda p: (rank[p.presence], p.employee.name.casefold(), p.employee.id))
    return UnitDay(unit, day, people)


def presence_of(day: DayPlan) -> Presence:
    if day.requirement == Requirement.NOT_WORKING:
        return Presence.NOT_WORKING
    mode = day.status
    if mode == WorkMode.OFFICE:
        return Presence.IN_OFFICE
    if mode is not None and mode.is_remote:
        return Presence.REMOTE
    if mode in AWAY:
        return Presence.AWAY
    if mode == WorkMode.ABSENT:
        return Presence.ABSENT
    return Presence.NO_DATA if day.is_past else Presence.NO_PLAN


async def _desks_on(session: AsyncSession, employee_ids: Sequence[int], day: date) -> dict[int, tuple[str, bool]]:
    """Per employee, the desk they hold on the local ``day`` (name, else code) and whether they checked in to it
    (one query; a person holds one desk at a time, the first of the day is named)."""
    since = datetime.combine(day - timedelta(days=1), time(), UTC)
    until = datetime.combine(day + timedelta(days=2), time(), UTC)
    rows = await session.execute(
        select(Booking.employee_id, Booking.start_at, Booking.checked_in_at, Space.name, Space.code, Building.time_zone)
        .join(Space, Booking.space_id == Space.id)
        .join(Floor, Space.floor_id == Floor.id)
        .join(Building, Floor.building_id == Building.id)
        .where(
            Booking.employee_id.in_(sorted(employee_ids)),
            Booking.space_kind == SpaceKind.DESK,
            Booking.status.in_(ACTIVE_STATUSES),
            Booking.start_at >= since,
            Booking.start_at < until,
        )
        .order_by(Booking.start_at, Booking.id)
    )
    desks: dict[int, tuple[str, bool]] = {}
    for employee, start_at, checked_in_at, name, code, zone in rows:
        if start_at.astimezone(ZoneInfo(zone)).date() == day and employee not in desks:
            desks[employee] = (name or code, checked_in_at is not None)
    return desks


# a unit's week, filtered to a sub-unit


@dataclass(frozen=True, slots=True)
class UnitScope:
    unit: OrgUnit
    """The unit asked for (with its organisation)."""
    units: Sequence[UnitOption]
    """The unit's subtree, for the filter."""


@dataclass(frozen=True, slots=True)
class UnitReport:
    unit: OrgUnit
    """The unit asked for (with its organisation)."""
    week: weeks.UnitWeek
    """The week of the chosen sub-unit's subtree (the unit's own when none is chosen)."""
    units: Sequence[UnitOption]
    """The unit's subtree, for the filter."""


async def unit_scope(session: AsyncSession, viewer_id: int, unit_id: int, within: int | None) -> UnitScope:
    """The unit (if the viewer manages it) and its subtree; NotFound when ``within`` is given and not in it."""
    unit = await managed_unit(session, viewer_id, unit_id)
    units = await subtree_units(session, unit_id)
    if within is not None and within not in {option.id for option in units}:
        raise NotFound("OrgUnit", within)
    return UnitScope(unit, units)


async def unit_report(
    session: AsyncSession, viewer_id: int, unit_id: int, week_of: date, today: date, within: int | None
) -> UnitReport:
    """The unit's compliance for the week, for the subtree of ``within`` (a unit of its subtree) when given."""
    scope = await unit_scope(session, viewer_id, unit_id, within)
    week = await weeks.unit_week(session, viewer_id, within or unit_id, week_of, today)
    return UnitReport(scope.unit, week, scope.units)


# anchor days


@dataclass(frozen=True, slots=True)
class AnchorSet:
    weekdays: tuple[int, ...]
    """0 = Monday."""
    effective_from: date
    effective_until: date | None


@dataclass(frozen=True, slots=True)
class AnchorSchedule:
    unit: OrgUnit
    """With its organisation loaded."""
    today: date
    current: AnchorSet | None
    """The unit's own anchor days in force today (None: it has none of its own)."""
    scheduled: Sequence[AnchorSet]
    """Sets starting after today, earliest first (an empty set of weekdays ends the anchor days)."""
    inherited_from: OrgUnit | None
    """When the unit has no anchor days of its own today: the nearest unit above with some, whose apply."""
    inherited: tuple[int, ...] = ()


async def anchor_schedule(session: AsyncSession, viewer_id: int, unit_id: int, today: date) -> AnchorSchedule:
    """The unit's anchor days today and those scheduled: its managers and administrators."""
    unit = await managed_unit(session, viewer_id, unit_id)
    path = await unit_ancestors(session, unit_id)
    rows = await session.scalars(
        select(AnchorDay)
        .where(
            AnchorDay.org_unit_id.in_(path),
            or_(AnchorDay.effective_until.is_(None), AnchorDay.effective_until >= today),
        )
        .order_by(AnchorDay.effective_from, AnchorDay.weekday)
    )
    own: dict[date, list[AnchorDay]] = defaultdict(list)
    above_today: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        if row.org_unit_id == unit_id:
            own[row.effective_from].append(row)
        elif row.effective_from <= today:
            above_today[row.org_unit_id].append(row.weekday)
    sets = [
        AnchorSet(tuple(sorted(r.weekday for r in group)), start, group[0].effective_until)
        for start, group in sorted(own.items())
    ]
    current = next((s for s in reversed(sets) if s.effective_from <= today), None)
    scheduled = [s for s in sets if s.effective_from > today]
    inherited_from: OrgUnit | None = None
    inherited: tuple[int, ...] = ()
    if current is None:
        source = next((u for u in path[1:] if u in above_today), None)
        if source is not None:
            inherited_from = await session.get(OrgUnit, source)
            inherited = tuple(sorted(set(above_today[source])))
    return AnchorSchedule(unit, today, current, scheduled, inherited_from, inherited)


# a direct supervisor's team


@dataclass(frozen=True, slots=True)
class TeamWeek:
    monday: date
    weeks: Sequence[tuple[Employee, WeekPlan]]
    """Each active direct report (with their unit and organisation loaded) and their week, by name."""


MAX_TEAM = 500
"""The most direct reports one answer lists (a supervisor has a handful)."""


async def team_week(session: AsyncSession, viewer_id: int, week_of: date, today: date) -> TeamWeek:
    """The week of each of the viewer's active direct reports (empty for someone who supervises nobody)."""
    monday = weeks.week_monday(week_of)
    reports = list(
        await session.scalars(
            select(Employee)
            .where(Employee.supervisor_id == viewer_id, Employee.active.is_(True), Employee.id != viewer_id)
            .options(joinedload(Employee.org_unit).joinedload(OrgUnit.organisation))
            .order_by(Employee.name, Employee.id)
            .limit(MAX_TEAM)
        )
    )
    plans = await weeks.plan_weeks(session, [r.id for r in reports], monday, today, with_supervisors=True)
    return TeamWeek(monday, [(r, plans[r.id]) for r in reports if r.id in plans])
