"""The IKN demo dataset: its size, its NIPs, its reporting lines, its floor plans, and that seeding is repeatable."""

import asyncio
from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import select

from smartoffice.db import Database
from smartoffice.demo import DEMO_AS_OF, DemoSummary, generate_demo, seed_demo
from smartoffice.people.models import Employee, EmploymentType, OrgUnit
from smartoffice.places.models import Building, Floor, Space, SpaceKind, Zone

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
