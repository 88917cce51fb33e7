"""The IKN demo dataset: its size, its NIPs, its reporting lines, its floor plans, that seeding is repeatable, and
that the availability index shows what its activity booked. (The activity itself: ``test_demo_activity``.)"""

import asyncio
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from smartoffice.activity import seed_activity
from smartoffice.activity.seed import forget_loaded_availability
from smartoffice.availability.index import AvailabilityIndex
from smartoffice.availability.service import AvailabilityService, Source, window_slots
from smartoffice.availability.slots import LocalDay
from smartoffice.bookings.models import ACTIVE_STATUSES, Booking
from smartoffice.db import Database
from smartoffice.demo import DEMO_AS_OF, DEMO_TIME_ZONE, TIERS, DemoSummary, generate_demo, seed_demo
from smartoffice.people.models import Employee, EmploymentType, OrgUnit
from smartoffice.places.models import Building, Floor, Space, SpaceKind, Zone
from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from tests.factories import Factory
from tests.support.clock import Clock, working_weekday

EPSILON = 1e-6


def overlaps(a: Space, b: Space) -> bool:
    return (
        a.x < b.x + b.width - EPSILON
        and b.x < a.x + a.width - EPSILON
        and a.y < b.y + b.height - EPSILON
        and b.y < a.y + a.height - EPSILON
    )


async def test_seeds_the_ikn_campus_at_the_intended_scale(db: Database) -> None:
    summary = await seed_demo(db)

    assert (summary.sites, summary.buildings, summary.floors, summary.organisations) == (1, 4, 24, 2)
    assert 1_200 <= summary.desks <= 1_400
    assert 1_500 <= summary.employees <= 1_700
    async with db.read() as session:
        buildings = (await session.scalars(select(Building))).all()
        spaces = (await session.scalars(select(Space))).all()
    assert {b.time_zone for b in buildings} == {"Asia/Makassar"}
    desks_per_floor: dict[int, int] = defaultdict(int)
    rooms_per_floor: dict[int, int] = defaultdict(int)
    for space in spaces:
        if space.kind == SpaceKind.DESK:
            desks_per_floor[space.floor_id] += 1
        else:
            rooms_per_floor[space.floor_id] += 1
            assert space.capacity >= 1 and space.name
    assert len(desks_per_floor) == 24 and all(25 <= n <= 90 for n in desks_per_floor.values())
    assert len(rooms_per_floor) == 24 and all(1 <= n <= 3 for n in rooms_per_floor.values())


async def test_every_nip_is_unique_and_decodes(db: Database) -> None:
    await seed_demo(db)
    async with db.read() as session:
        employees = (await session.scalars(select(Employee))).all()

    assert len({e.nip for e in employees}) == len(employees)
    for employee in employees:
        nip = employee.nip
        assert len(nip) == 18 and nip.isdigit(), nip
        birth = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
        assert date(1965, 1, 1) <= birth <= date(2000, 12, 31), nip
        appointed_year = int(nip[8:12])
        if employee.employment_type == EmploymentType.PNS:
            assert 1 <= int(nip[12:14]) <= 12, nip
        else:
            assert nip[12:14] == "21", nip  # NI PPPK: appointment year, then the PPPK code
        assert appointed_year >= birth.year + 21, nip
        assert nip[14] in "12", nip
    pppk_share = sum(e.employment_type == EmploymentType.PPPK for e in employees) / len(employees)
    assert 0.10 <= pppk_share <= 0.20


async def test_everyone_but_the_eselon_i_heads_reports_to_their_unit_head(db: Database) -> None:
    await seed_demo(db)
    async with db.read() as session:
        employees = {e.id: e for e in (await session.scalars(select(Employee))).all()}
        units = {u.id: u for u in (await session.scalars(select(OrgUnit))).all()}

    tops = [e for e in employees.values() if e.supervisor_id is None]
    assert tops and len(tops) == sum(u.level == 1 for u in units.values())
    assert all(units[e.org_unit_id].level == 1 for e in tops)
    for employee in employees.values():
        if employee.supervisor_id is None:
            continue
        boss_unit = employees[employee.supervisor_id].org_unit_id
        assert boss_unit in (employee.org_unit_id, units[employee.org_unit_id].parent_id)
    assert len({e.email for e in employees.values()}) == len(employees)


async def test_some_people_are_new_in_post_so_tenure_rules_have_cases(db: Database) -> None:
    await seed_demo(db)
    async with db.read() as session:
        placed = (await session.scalars(select(Employee.placed_on))).all()

    assert placed and all(date(2019, 1, 1) <= d < DEMO_AS_OF for d in placed)
    recent = sum(d > DEMO_AS_OF - timedelta(days=180) for d in placed)
    assert 0.05 * len(placed) <= recent <= 0.25 * len(placed)


async def test_desks_and_rooms_fit_their_floor_without_overlapping(db: Database) -> None:
    await seed_demo(db)
    async with db.read() as session:
        floors = {f.id: f for f in (await session.scalars(select(Floor))).all()}
        spaces = (await session.scalars(select(Space).order_by(Space.floor_id, Space.x, Space.y))).all()

    by_floor: dict[int, list[Space]] = defaultdict(list)
    for space in spaces:
        floor = floors[space.floor_id]
        assert space.x >= 0 and space.x + space.width <= floor.width + EPSILON, space.code
        assert space.y >= 0 and space.y + space.height <= floor.height + EPSILON, space.code
        if space.kind == SpaceKind.DESK:
            assert (space.width, space.height, space.rotation) in ((1.6, 0.8, 0.0), (1.6, 0.8, 180.0))
            assert space.zone_id is not None
        by_floor[space.floor_id].append(space)
    assert len(by_floor) == 24
    for floor_spaces in by_floor.values():
        clashes = [
            (a.code, b.code) for i, a in enumerate(floor_spaces) for b in floor_spaces[i + 1 :] if overlaps(a, b)
        ]
        assert clashes == []


async def test_every_floor_is_shared_by_both_ministries(db: Database) -> None:
    await seed_demo(db)
    async with db.read() as session:
        rows = (
            await session.execute(
                select(Zone.floor_id, OrgUnit.organisation_id).join(OrgUnit, Zone.org_unit_id == OrgUnit.id)
            )
        ).all()

    ministries_per_floor: dict[int, set[int]] = defaultdict(set)
    for floor_id, organisation_id in rows:
        ministries_per_floor[floor_id].add(organisation_id)
    assert len(ministries_per_floor) == 24
    assert all(len(ministries) == 2 for ministries in ministries_per_floor.values())


@pytest.mark.parametrize("tier", ["S", "M"])
def test_every_tower_holds_as_many_people_per_desk_as_the_site_and_units_stay_together(tier: str) -> None:
    data = generate_demo(tier=TIERS[tier])
    units = data.org_units
    desks = Counter(data.floors[s["floor_id"]]["building_id"] for s in data.spaces if s["kind"] == SpaceKind.DESK)
    staff = Counter(e["home_building_id"] for e in data.employees)
    towers: dict[int, set[int]] = defaultdict(set)
    for employee in data.employees:
        unit = employee["org_unit_id"]
        towers[unit].add(employee["home_building_id"])
        while units[unit]["level"] > 2:
            unit = units[unit]["parent_id"]
        towers[unit].add(employee["home_building_id"])

    # every tower within 3 % of the site's people per desk (S: 1.23), so that the site's seats are every tower's
    site = len(data.employees) / sum(desks.values())
    assert sorted(staff) == sorted(desks)
    assert all(abs(staff[b] / desks[b] - site) <= 0.03 * site for b in desks), {b: staff[b] / desks[b] for b in desks}
    # a team in one tower; an Eselon II unit in one, or two where its floors run on into the next tower
    assert all(len(towers[u]) == 1 for u, row in enumerate(units) if row["level"] == 3 and u in towers)
    assert all(len(towers[u]) <= 2 for u, row in enumerate(units) if row["level"] == 2)
    assert sum(len(towers[u]) == 1 for u, row in enumerate(units) if row["level"] == 2) > 0.85 * sum(
        row["level"] == 2 for row in units
    )


async def test_seeding_again_changes_nothing(db: Database) -> None:
    first = await seed_demo(db)
    second = await seed_demo(db, seed=7)

    assert second == first
    assert isinstance(second, DemoSummary) and second.employees > 0


async def test_two_servers_starting_at_once_seed_once(db: Database) -> None:
    first, second = await asyncio.gather(seed_demo(db), seed_demo(db))

    assert first == second
    assert (first.sites, first.employees) == (1, 1_600)


def test_the_same_seed_gives_the_same_data() -> None:
    first, again, other = generate_demo(2026), generate_demo(2026), generate_demo(7)

    assert first == again
    assert [e["nip"] for e in first.employees] != [e["nip"] for e in other.employees]


async def test_the_availability_index_shows_the_desks_the_demo_booked_as_taken(
    runtime: Runtime, settings: Settings
) -> None:
    # given: the demo without activity, and a floor-day the index has already loaded (all free)
    clock = Clock()
    availability = AvailabilityService(runtime.db, AvailabilityIndex(runtime.redis), clock=clock.monotonic)
    day = working_weekday(1, after=3)  # a Tuesday to come: the index holds days until two after they end
    await seed_demo(runtime.db)
    async with runtime.db.read() as session:
        floor = (await session.scalars(select(Floor).order_by(Floor.id).limit(1))).one()
        desks = (
            await session.scalars(select(Space.id).where(Space.floor_id == floor.id, Space.kind == SpaceKind.DESK))
        ).all()
    whole_day = window_slots(LocalDay(day, DEMO_TIME_ZONE), *WHOLE_DAY)

    def taken(occupancy: object) -> set[int]:
        return {d for d in desks if occupancy.status(d, whole_day) != "free"}  # type: ignore[attr-defined]

    before = await availability.floor_day(floor.id, DEMO_TIME_ZONE, day)
    loaded = await availability.floor_day(floor.id, DEMO_TIME_ZONE, day)
    assert taken(before) == set() and loaded.source == Source.INDEX
    # when: the activity is seeded in bulk (no projection reaches the index), as the CLI does, then the epoch bumped
    async with runtime.db.write() as session:
        await seed_activity(session, today=day, first=day, last=day)
        booked = set(
            (
                await session.scalars(
                    select(Booking.space_id).where(Booking.space_id.in_(desks), Booking.status.in_(ACTIVE_STATUSES))
                )
            ).all()
        )
    stale = await availability.floor_day(floor.id, DEMO_TIME_ZONE, day)
    assert await forget_loaded_availability(settings.redis_url or "")
    clock.advance(seconds=2)  # the epoch is cached for a second per process
    # then: the floor-day reloads from SQL and shows the seeded bookings as taken, and so does the index after it
    assert len(booked) > 0.3 * len(desks)
    assert taken(stale) == set()  # what a shared Redis would still say without the bump
    fresh = await availability.floor_day(floor.id, DEMO_TIME_ZONE, day)
    again = await availability.floor_day(floor.id, DEMO_TIME_ZONE, day)
    assert (fresh.source, again.source) == (Source.DATABASE, Source.INDEX)
    assert taken(fresh) == taken(again) == booked


WHOLE_DAY = (time(7), time(19))


async def test_the_activity_keeps_off_assigned_desks_and_closed_floors(runtime: Runtime, factory: Factory) -> None:
    # given: the demo, one desk assigned to a person of the unit whose zone it is in, and a floor closed for a day
    week = date(2026, 11, 23)  # Monday to Friday, no holiday
    closed_day = week + timedelta(days=2)
    await seed_demo(runtime.db)
    async with runtime.db.write() as session:
        desk = (await session.scalars(select(Space).where(Space.kind == SpaceKind.DESK).order_by(Space.id))).first()
        assert desk is not None and desk.zone_id is not None
        zone = await session.get(Zone, desk.zone_id)
        assert zone is not None
        owner = (await session.scalars(select(Employee).where(Employee.org_unit_id == zone.org_unit_id))).first()
        assert owner is not None
        desk.assigned_employee_id = owner.id
        other_floor = (await session.scalars(select(Floor).where(Floor.id != desk.floor_id).order_by(Floor.id))).first()
        assert other_floor is not None
    start = datetime.combine(closed_day, time(0), ZoneInfo(DEMO_TIME_ZONE))
    await factory.closure(floor_id=other_floor.id, start_at=start, end_at=start + timedelta(days=1))
    # when
    async with runtime.db.write() as session:
        await seed_activity(session, today=week + timedelta(days=7), first=week, last=week + timedelta(days=4))
        bookings = (await session.scalars(select(Booking).where(Booking.space_kind == SpaceKind.DESK))).all()
        floors = dict((await session.execute(select(Space.id, Space.floor_id))).all())
    # then: only the owner sits at their desk, and they do on their office days; nobody on the closed floor that day
    at_the_desk = {b.employee_id for b in bookings if b.space_id == desk.id}
    assert at_the_desk == {owner.id}
    assert {b.start_at.date() for b in bookings if b.employee_id == owner.id and b.space_id != desk.id} == set()
    on_closed_floor = Counter(
        b.start_at.astimezone(ZoneInfo(DEMO_TIME_ZONE)).date() for b in bookings if floors[b.space_id] == other_floor.id
    )
    assert on_closed_floor[closed_day] == 0 and on_closed_floor[week] > 0, (on_closed_floor, len(bookings))
