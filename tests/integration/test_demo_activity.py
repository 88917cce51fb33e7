"""The lived-in demo: the weeks of activity ``smartoffice demo`` seeds around the clock's date follow the policies,
the calendar and the booking rules, and look like people (check-ins, ~10 % no-shows, meetings of every size).

The demo is seeded once for the module (through the CLI's own seeding call, on a fixed clock) and only read (the
planner's test grants a facilities manager role for the time of its plan)."""

from collections import Counter, defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise

import pytest
from sqlalchemy import delete, select

from smartoffice import cli
from smartoffice.activity import ActivityGenerator, activity_range, load_world
from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.db import Database
from smartoffice.people.models import Employee, OrgUnit, Role, RoleAssignment
from smartoffice.places.models import Building, Floor, Site, Space, SpaceKind, Zone
from smartoffice.planning.anchor_planner.proposal import DayLoad, PlanRequest, PlanStatus
from smartoffice.planning.anchor_planner.service import AnchorPlannerService
from smartoffice.policies.day_rules import ReasonCode
from smartoffice.policies.engine import ComplianceStatus, monday_of
from smartoffice.policies.facts import load_people
from smartoffice.policies.models import WorkDay, WorkMode
from smartoffice.policies.weeks import plan_weeks
from smartoffice.runtime import Runtime, open_runtime, redis_client
from smartoffice.settings import Settings
from smartoffice.workcalendar.models import DayKind
from smartoffice.workcalendar.service import WorkingCalendar
from tests.support.clock import WITA
from tests.support.database import empty_database, is_pgbouncer_run

TODAY = date(2026, 12, 30)
"""A Wednesday whose range (2 Nov 2026 - 13 Jan 2027) holds cuti bersama (24 Dec), Christmas and New Year."""
NOW = datetime.combine(TODAY, time(9, 30), WITA).astimezone(UTC)
WEDNESDAY = 2


@dataclass
class Seeded:
    bookings: list[Booking]
    work_days: list[WorkDay]
    employees: dict[int, Employee]
    units: dict[int, OrgUnit]
    rooms: dict[int, Space]
    desk_building: dict[int, int]
    desk_unit: dict[int, int | None]
    """The unit whose zone a desk is in."""
    calendar: WorkingCalendar

    def desks(self) -> list[Booking]:
        return [b for b in self.bookings if b.space_kind == SpaceKind.DESK]

    def meetings(self) -> list[Booking]:
        return [b for b in self.bookings if b.space_kind == SpaceKind.ROOM]


def local_day(booking: Booking) -> date:
    return booking.start_at.astimezone(WITA).date()


@pytest.fixture(scope="module")
async def activity_runtime(
    database_url: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Runtime]:
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("activity"),
        database_url=database_url,
        database_pgbouncer=is_pgbouncer_run(),
        redis_url=redis_url,
        secret_key="test-secret-key-for-csrf-and-sessions-0123456789",
        migrate_on_start=False,
        run_jobs=False,
    )
    async with open_runtime(settings) as runtime:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("smartoffice.db.utcnow", lambda: NOW)  # the clock the CLI dates the activity by
            await cli._seed(runtime.db, settings)
        yield runtime
    redis = redis_client(redis_url)
    await empty_database(settings.resolved_database_url, redis)
    await redis.aclose()


@pytest.fixture(scope="module")
async def seeded(activity_runtime: Runtime) -> Seeded:
    async with activity_runtime.db.read() as session:
        bookings = list((await session.scalars(select(Booking))).all())
        work_days = list((await session.scalars(select(WorkDay))).all())
        employees = {e.id: e for e in (await session.scalars(select(Employee))).all()}
        units = {u.id: u for u in (await session.scalars(select(OrgUnit))).all()}
        rooms = {s.id: s for s in (await session.scalars(select(Space).where(Space.kind == SpaceKind.ROOM))).all()}
        desk_building = dict(
            (await session.execute(select(Space.id, Floor.building_id).join(Floor, Space.floor_id == Floor.id))).all()
        )
        desk_unit = dict(
            (await session.execute(select(Space.id, Zone.org_unit_id).outerjoin(Zone, Space.zone_id == Zone.id))).all()
        )
    first, last = activity_range(TODAY)
    calendar = WorkingCalendar.build(first, last)
    return Seeded(bookings, work_days, employees, units, rooms, desk_building, desk_unit, calendar)


async def test_the_activity_covers_eight_weeks_back_and_two_ahead_of_the_clock(seeded: Seeded) -> None:
    days = {local_day(b) for b in seeded.bookings}

    assert activity_range(TODAY) == (date(2026, 11, 2), date(2027, 1, 13))
    assert min(days) == date(2026, 11, 2) and max(days) > date(2027, 1, 8)
    per_day = Counter(local_day(b) for b in seeded.desks())
    desks = len(seeded.desk_building) - len(seeded.rooms)
    # every working day so far is lived in: most desks taken, none twice (a full tower turns people away)
    assert all(0.5 * desks <= per_day[day] <= desks for day in seeded.calendar.working_days(date(2026, 11, 2), TODAY))
    # the days ahead fill up as they near: people book a few days ahead
    ahead = [per_day[day] for day in seeded.calendar.working_days(TODAY + timedelta(days=1), date(2027, 1, 13))]
    assert ahead[0] > 0.6 * desks and ahead[0] > 2 * ahead[-1] > 0


async def test_nobody_comes_on_a_holiday_and_only_public_service_on_cuti_bersama(
    activity_runtime: Runtime, seeded: Seeded
) -> None:
    serving = await public_service(activity_runtime.db, TODAY)
    by_day: dict[date, set[int]] = defaultdict(set)
    for booking in seeded.bookings:
        by_day[local_day(booking)].add(booking.employee_id)
    marked = {day: seeded.calendar.kind(day) for day in seeded.calendar.entries}

    holidays = [day for day, kind in marked.items() if kind == DayKind.PUBLIC_HOLIDAY]
    cuti_bersama = [day for day, kind in marked.items() if kind == DayKind.COLLECTIVE_LEAVE]
    assert date(2026, 12, 25) in holidays and date(2026, 12, 24) in cuti_bersama
    assert all(not by_day[day] for day in holidays)
    assert all(day.weekday() < 5 for day in by_day if by_day[day])
    for day in cuti_bersama:
        assert by_day[day] and by_day[day] <= serving  # desks only: the rooms are closed for everyone


async def test_public_service_is_in_every_working_day_it_is_not_away(activity_runtime: Runtime, seeded: Seeded) -> None:
    serving = await public_service(activity_runtime.db, TODAY)
    first = activity_range(TODAY)[0]
    days = [d for d in (first + timedelta(days=n) for n in range(56)) if d.weekday() < 5]
    working = [d for d in days if seeded.calendar.kind(d) in (None, DayKind.COLLECTIVE_LEAVE)]
    accounted: Counter[int] = Counter()
    for booking in seeded.desks():
        if booking.employee_id in serving and local_day(booking) in working:
            accounted[booking.employee_id] += 1
    for work_day in seeded.work_days:
        if work_day.employee_id in serving and work_day.day in working and work_day.planned != WorkMode.HOME:
            accounted[work_day.employee_id] += 1

    assert 20 <= len(serving) <= 120
    assert all(accounted[person] <= len(working) for person in serving)
    # a desk or a day's leave or travel on every working day (a few turned away from a full tower)
    assert sum(accounted[person] for person in serving) >= 0.97 * len(serving) * len(working)


async def test_a_unit_comes_in_on_its_anchor_day(activity_runtime: Runtime, seeded: Seeded) -> None:
    async with activity_runtime.db.read() as session:
        people = await load_people(session, sorted(seeded.employees), TODAY, TODAY)
    anchor_of = {p.id: next(iter(p.anchor_weekdays)) for p in people.values() if p.anchor_weekdays}
    unit_of = {e.id: eselon_ii(e.org_unit_id, seeded.units) for e in seeded.employees.values()}
    first = activity_range(TODAY)[0]
    working = Counter(d.weekday() for d in seeded.calendar.working_days(first, TODAY - timedelta(days=1)))
    in_office: dict[int, Counter[int]] = defaultdict(Counter)
    for booking in seeded.desks():
        if booking.employee_id in anchor_of and local_day(booking) < TODAY:
            in_office[unit_of[booking.employee_id]][local_day(booking).weekday()] += 1
    anchors = {unit_of[p]: day for p, day in anchor_of.items()}

    def busiest(counts: Counter[int]) -> int:
        return max(range(5), key=lambda weekday: counts[weekday] / working[weekday])  # holidays aside

    units = [unit for unit in in_office if seeded.units[unit].level == 2]  # not an Eselon I head on their own
    busiest_on_anchor = [unit for unit in units if busiest(in_office[unit]) == anchors[unit]]
    assert len(units) == 41
    assert len(busiest_on_anchor) >= 0.9 * len(units), [in_office[u] for u in units if u not in busiest_on_anchor]


async def test_past_bookings_were_checked_in_missed_or_cancelled_as_people_do(seeded: Seeded) -> None:
    past = [b for b in seeded.desks() if local_day(b) < TODAY]
    statuses = Counter(b.status for b in past)
    held = statuses[BookingStatus.CHECKED_IN] + statuses[BookingStatus.RELEASED]

    assert set(statuses) == {BookingStatus.CHECKED_IN, BookingStatus.RELEASED, BookingStatus.CANCELLED}
    assert 0.07 <= statuses[BookingStatus.RELEASED] / held <= 0.13  # ~10 % no-shows
    assert 0.03 <= statuses[BookingStatus.CANCELLED] / len(past) <= 0.07
    for booking in past:
        assert booking.created_at < booking.start_at + timedelta(minutes=1)
        start = booking.start_at.astimezone(WITA)
        assert start.time() == time(7) and booking.end_at.astimezone(WITA).time() == time(19)
        if booking.status == BookingStatus.CHECKED_IN:
            assert booking.checked_in_at is not None
            assert time(6, 30) <= booking.checked_in_at.astimezone(WITA).time() < time(7, 30)  # before the grace ends
        elif booking.status == BookingStatus.RELEASED:
            assert booking.released_at is not None
            assert timedelta(minutes=30) < booking.released_at - booking.start_at < timedelta(minutes=31)
        else:
            assert booking.cancelled_at is not None and booking.created_at < booking.cancelled_at < booking.start_at


async def test_today_is_under_way_and_the_days_ahead_are_booked(seeded: Seeded) -> None:
    today = Counter(b.status for b in seeded.desks() if local_day(b) == TODAY)
    ahead = Counter(b.status for b in seeded.bookings if local_day(b) > TODAY)

    assert today[BookingStatus.CHECKED_IN] > 0.8 * sum(today.values())
    assert set(ahead) == {BookingStatus.BOOKED, BookingStatus.CANCELLED}
    assert ahead[BookingStatus.CANCELLED] < 0.06 * sum(ahead.values())
    assert all(b.created_at <= NOW + timedelta(hours=2, minutes=30) for b in seeded.bookings)  # none after noon


async def test_one_desk_a_person_a_day_and_one_person_a_desk(seeded: Seeded) -> None:
    live = [b for b in seeded.desks() if b.status != BookingStatus.CANCELLED]
    people = Counter((b.employee_id, local_day(b)) for b in seeded.desks())
    desks = Counter((b.space_id, local_day(b)) for b in live)

    assert max(people.values()) == 1 and max(desks.values()) == 1
    # in their home building, mostly in their unit's own zone
    assert all(seeded.desk_building[b.space_id] == seeded.employees[b.employee_id].home_building_id for b in live)
    own_zone = [seeded.desk_unit[b.space_id] == eselon_ii(seeded.employees[b.employee_id].org_unit_id, seeded.units)
                for b in live]  # fmt: skip
    assert sum(own_zone) > 0.85 * len(live)


async def test_meetings_fit_their_rooms_and_never_overlap(seeded: Seeded) -> None:
    meetings = seeded.meetings()
    by_room: dict[int, list[Booking]] = defaultdict(list)
    for meeting in meetings:
        room = seeded.rooms[meeting.space_id]
        assert meeting.attendee_count is not None and 2 <= meeting.attendee_count <= room.capacity
        assert meeting.title
        start, end = meeting.start_at.astimezone(WITA), meeting.end_at.astimezone(WITA)
        assert time(8) <= start.time() and end.time() <= time(17) and start.date() == end.date()
        assert timedelta(minutes=30) <= end - start <= timedelta(hours=3)
        assert seeded.calendar.is_working_day(start.date())
        if meeting.status != BookingStatus.CANCELLED:
            by_room[meeting.space_id].append(meeting)
    for held in by_room.values():
        held.sort(key=lambda m: m.start_at)
        assert all(a.blocks_until <= b.start_at for a, b in pairwise(held))

    # rooms of every size see use, and big rooms often hold small meetings
    assert len(by_room) == len(seeded.rooms)
    sizes = [m.attendee_count / seeded.rooms[m.space_id].capacity for m in meetings if m.attendee_count]
    assert sum(ratio <= 0.5 for ratio in sizes) > 0.3 * len(sizes)
    assert any(ratio == 1 for ratio in sizes)


async def test_work_plans_keep_each_unit_within_its_remote_share(seeded: Seeded) -> None:
    modes = Counter(w.planned for w in seeded.work_days)
    remote: Counter[tuple[int, date]] = Counter()
    members: Counter[int] = Counter(eselon_ii(e.org_unit_id, seeded.units) for e in seeded.employees.values())
    for work_day in seeded.work_days:
        if work_day.planned == WorkMode.HOME:
            remote[eselon_ii(seeded.employees[work_day.employee_id].org_unit_id, seeded.units), work_day.day] += 1
    booked = {(b.employee_id, local_day(b)) for b in seeded.desks()}

    assert set(modes) == {WorkMode.HOME, WorkMode.LEAVE, WorkMode.DUTY_TRAVEL}
    assert not any((w.employee_id, w.day) in booked for w in seeded.work_days)  # a plan or a desk, not both
    assert all(count <= max(1, members[unit] * 30 // 100) + 1 for (unit, _day), count in remote.items())


async def test_past_weeks_are_judged_on_what_happened(activity_runtime: Runtime, seeded: Seeded) -> None:
    # a week of check-ins: most people complied; the rest missed a day (a no-show) or the source says nothing
    monday = monday_of(TODAY) - timedelta(weeks=3)
    async with activity_runtime.db.read() as session:
        plans = await plan_weeks(session, sorted(seeded.employees), monday, TODAY, with_supervisors=True)
    statuses = Counter(plan.status for plan in plans.values())

    assert statuses[ComplianceStatus.COMPLIANT] > 0.6 * len(plans)
    for plan in plans.values():
        if plan.status == ComplianceStatus.NO_DATA:
            assert any(day.is_unknown for day in plan.working_days)


async def test_every_employee_is_housed_where_their_unit_sits(activity_runtime: Runtime, seeded: Seeded) -> None:
    async with activity_runtime.db.read() as session:
        zoned = (
            await session.execute(select(Zone.org_unit_id, Floor.building_id).join(Floor, Zone.floor_id == Floor.id))
        ).all()
        buildings = set((await session.scalars(select(Building.id))).all())
    homes: dict[int, set[int]] = defaultdict(set)
    for unit, building in zoned:
        homes[unit].add(building)

    for employee in seeded.employees.values():
        assert employee.home_building_id in buildings
        unit = eselon_ii(employee.org_unit_id, seeded.units)
        if unit in homes:
            assert employee.home_building_id in homes[unit]


async def test_the_same_seed_and_day_give_the_same_rows(activity_runtime: Runtime) -> None:
    async with activity_runtime.db.read() as session:
        world = await load_world(session, *activity_range(TODAY))

    def rows(seed: int) -> list[object]:
        return [(d.day, d.desks, d.rooms, d.work_days) for d in ActivityGenerator(world, today=TODAY, seed=seed).days()]

    first = rows(2026)
    assert first == rows(2026)
    assert first != rows(7)


async def test_the_towers_overflow_on_their_anchor_days_and_the_planner_spreads_them(
    activity_runtime: Runtime, seeded: Seeded
) -> None:
    # given: the site has the seats (every tower's mean day fits under 85 % of its desks), but Bappenas' directorates,
    # all anchored on Wednesday, fill Menara 1 and 2; a facilities manager of the site
    db = activity_runtime.db
    async with db.write() as session:
        site_id = await session.scalar(select(Site.id))
        building_ids = sorted((await session.scalars(select(Building.id))).all())
        manager = min(seeded.employees)
        grant = RoleAssignment(employee_id=manager, role=Role.FACILITIES_MANAGER, site_id=site_id)
        session.add(grant)
    week = monday_of(TODAY) + timedelta(weeks=1)

    # when: the whole site is planned for next week at the default target, twice
    planner = AnchorPlannerService(db, lambda: NOW)
    request = PlanRequest(building_ids=tuple(building_ids), week=week)
    try:
        result, again = [await planner.plan(manager, request) for _ in range(2)]
    finally:
        async with db.write() as session:
            await session.execute(delete(RoleAssignment).where(RoleAssignment.id == grant.id))

    # then: today's anchor days overflow towers on Wednesday, the plan fits every building-day by moving a few units
    assert result.request.target_utilisation == 0.85
    by_building: dict[int, list[DayLoad]] = defaultdict(list)
    for load in result.loads:
        by_building[load.building_id].append(load)
    assert sorted(by_building) == building_ids and all(len(days) == 5 for days in by_building.values())
    assert all(sum(d.before for d in days) / 5 < days[0].limit for days in by_building.values())
    overflowing = [(d.building_code, d.weekday) for d in result.loads if d.overflows_before]
    assert ("T1", WEDNESDAY) in overflowing and ("T2", WEDNESDAY) in overflowing, overflowing
    assert result.status in (PlanStatus.OPTIMAL, PlanStatus.FEASIBLE) and result.binding == []
    assert not any(d.overflows_after for d in result.loads)
    assert 0 < len(result.moved) <= 10
    assert all(not unit.every_day for unit in result.moved)
    # and the same question gets the same plan (the moved units could tie on several days; a manager must not see
    # other days each time they press the button)
    assert [(u.unit_id, u.after) for u in again.units] == [(u.unit_id, u.after) for u in result.units]


async def public_service(db: Database, today: date) -> set[int]:
    async with db.read() as session:
        ids = (await session.scalars(select(Employee.id))).all()
        plans = await plan_weeks(session, ids, monday_of(today), today, with_supervisors=False)
    return {
        person
        for person, plan in plans.items()
        if any(r.code == ReasonCode.OFFICE_EVERY_WORKING_DAY for d in plan.days for r in d.reasons)
    }


def eselon_ii(unit_id: int, units: dict[int, OrgUnit]) -> int:
    unit = units[unit_id]
    while unit.level > 2 and unit.parent_id is not None:
        unit = units[unit.parent_id]
    return unit.id
