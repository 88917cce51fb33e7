"""The demand model (``planning/demand.py``): who is expected in each building, unit by unit, from the policy
engine, housing, leave, exemptions and attendance history."""

from datetime import timedelta

import pytest

from smartoffice.bookings.models import BookingStatus
from smartoffice.db import Database
from smartoffice.planning.demand import UnitDemand, unit_demand
from smartoffice.planning.demand_history import DEFAULT_ATTENDANCE_RATE, PRIOR_PERSON_DAYS
from smartoffice.planning.demand_housing import load_housing
from smartoffice.planning.demand_people import load_housed_people
from smartoffice.policies.facts import load_people
from smartoffice.policies.models import Rating, WorkMode
from tests.factories import Factory
from tests.support.demand_world import FRI, MON, THU, TUE, WED, WEEK, DemandWorld, build_world, check_in

R = DEFAULT_ATTENDANCE_RATE


@pytest.fixture
async def world(factory: Factory) -> DemandWorld:
    return await build_world(factory)


async def demand(db: Database, world: DemandWorld) -> dict[tuple[str, str], UnitDemand]:
    async with db.read() as session:
        rows = await unit_demand(session, [world.north.id, world.south.id], WEEK)
    codes = {world.north.id: "N", world.south.id: "S"}
    return {(codes[row.building_id], row.code): row for row in rows}


async def test_units_follow_their_anchor_days_own_or_inherited(db: Database, world: DemandWorld) -> None:
    rows = await demand(db, world)

    # The directorate without anchor days of its own is planned under its deputy's Wednesday.
    deputy = rows["N", "DEP"]
    assert (deputy.unit_id, deputy.headcount, deputy.anchor_weekdays) == (world.deputy.id, 3, frozenset({2}))
    assert deputy.anchors_required and not deputy.every_day
    # 3 office days each: the anchor day, and two more spread over the other four days.
    assert deputy.anchored == pytest.approx(3 * R)
    assert deputy.spread == pytest.approx(3 * 2 * R)
    assert deputy.expected_on(2) == pytest.approx(3 * R)
    assert deputy.expected_on(0) == pytest.approx(3 * 2 * R / 4)
    own = rows["N", "DEP.B"]
    assert (own.headcount, own.anchor_weekdays, own.anchored) == (2, frozenset({0}), pytest.approx(2 * R))
    assert own.rate_from_history is False and own.attendance_rate == R


async def test_public_service_is_in_every_working_day(db: Database, world: DemandWorld) -> None:
    service = (await demand(db, world))["S", "LAY"]

    assert service.every_day and service.headcount == 2
    assert (service.fixed, service.anchored, service.spread) == (pytest.approx(2 * R), 0, 0)
    assert [service.expected_on(d) for d in range(5)] == [pytest.approx(2 * R)] * 5


async def test_people_are_housed_by_home_building_else_by_the_nearest_zone_up_their_units(
    db: Database, world: DemandWorld
) -> None:
    rows = await demand(db, world)

    # A sub-unit without a zone is housed where its parent's zone is; with no anchor days anywhere up its units it
    # is its own planning unit, its office days spread evenly.
    housed = rows["S", "BIRO.X"]
    assert (housed.unit_id, housed.headcount, housed.anchor_weekdays) == (world.housed_by_parent.id, 2, frozenset())
    assert housed.spread == pytest.approx(2 * 3 * R)
    assert housed.expected_on(4) == pytest.approx(2 * 3 * R / 5)
    assert housed.anchored == pytest.approx(2 * R)  # as if it had anchor days: what a planner giving it some reads
    # A person with a home building is counted there, under their planning unit, even away from their unit's zone.
    homed = rows["S", "DEP"]
    assert (homed.headcount, homed.anchor_weekdays, homed.anchored) == (1, frozenset({2}), pytest.approx(R))
    # People housed nowhere (the manager's unit has no zone) are not counted.
    assert {code for _, code in rows} == {"DEP", "DEP.B", "LAY", "BIRO.X"}


async def test_a_unit_zoned_in_two_towers_is_shared_by_their_desks(
    db: Database, factory: Factory, world: DemandWorld
) -> None:
    zone = await factory.zone(world.south_floor, code="ZB2", org_unit_id=world.own_days.id)
    for _ in range(5):  # the north zone of DEP.B has 5 desks: the unit's desks are now half in each tower
        await factory.desk(world.south_floor, zone_id=zone.id)
    world.people["own_days"] += [await factory.employee(world.own_days) for _ in range(2)]

    rows = await demand(db, world)

    assert (rows["N", "DEP.B"].headcount, rows["S", "DEP.B"].headcount) == (2, 2)


async def test_exemptions_and_leave_take_people_out(db: Database, factory: Factory, world: DemandWorld) -> None:
    remote, partly, on_leave = world.people["inheriting"]
    await factory.exemption(remote, WEEK - timedelta(days=30), WEEK + timedelta(days=30))  # 5 remote days
    await factory.exemption(partly, WEEK - timedelta(days=30), WEEK + timedelta(days=30), remote_days_per_week=3)
    for day in (MON, TUE, WED, THU, FRI):
        await factory.work_day(on_leave, day, planned=WorkMode.LEAVE)

    deputy = (await demand(db, world))["N", "DEP"]

    assert (deputy.headcount, deputy.not_expected) == (3, 2)
    # The one left has 2 office days (3 remote): the anchor day and one more.
    assert (deputy.anchored, deputy.spread) == (pytest.approx(R), pytest.approx(R))


async def test_the_rate_comes_from_the_units_history(db: Database, world: DemandWorld) -> None:
    first, second = world.people["own_days"]
    days = [WEEK - timedelta(weeks=w) + timedelta(days=d) for w in range(1, 5) for d in (0, 2, 3)]  # 12 days
    for n, day in enumerate(days):
        await check_in(db, world.north_desks[0], first, day, status=BookingStatus.CHECKED_IN)
        # The second person came in on two days of three; the third booking was released as a no-show.
        status = BookingStatus.RELEASED if n % 3 == 2 else BookingStatus.CHECKED_IN
        await check_in(db, world.north_desks[1], second, day, status=status)

    own = (await demand(db, world))["N", "DEP.B"]

    # 8 weeks before 6 July 2026 hold 34 working days (six holidays and cuti bersama on weekdays): 3 office days a
    # week each asks 2 x 3 x 34 / 5 = 40.8 office days; 12 + 8 happened.
    observed, expected = 12 + 8, 2 * 3 * 34 / 5
    rate = (observed + PRIOR_PERSON_DAYS * R) / (expected + PRIOR_PERSON_DAYS)
    assert own.rate_from_history and own.attendance_rate == pytest.approx(rate)
    assert own.anchored == pytest.approx(2 * rate)
    # Other units keep the default: they have no history.
    assert (await demand(db, world))["N", "DEP"].attendance_rate == R


async def test_the_people_are_the_policy_engines_people(db: Database, factory: Factory, world: DemandWorld) -> None:
    first, second = world.people["inheriting"][:2]
    await factory.discipline_case(first)
    await factory.rating(first, Rating.KURANG)
    await factory.rating(second, Rating.BAIK, period=2024)
    await factory.rating(second, Rating.SANGAT_BAIK, period=2025)
    await factory.exemption(world.people["own_days"][0], WEEK - timedelta(days=9), WEEK, remote_days_per_week=3)
    sunday = WEEK + timedelta(days=6)

    async with db.read() as session:
        housing = await load_housing(session, [world.north.id, world.south.id], WEEK, sunday)
        loaded = await load_housed_people(session, housing, WEEK, sunday)
        engines = await load_people(session, [p.employee_id for p in housing.people], WEEK, sunday)

    assert len(loaded) == 10 and loaded == engines
