"""Searching free desks across floors, ranked by distance to the teammates who are in that day (issue 13, item 3)."""

from datetime import datetime, timedelta

from smartoffice.bookings.nearby import DeskChoice, desks_near_team
from smartoffice.db import Database
from smartoffice.people.models import Employee
from smartoffice.places.models import Building, DeskRelease, Floor, Space, SpaceKind
from smartoffice.workcalendar.models import DayKind
from tests.factories import Factory
from tests.support.bookings import insert_booking
from tests.support.clock import DAY, at, upcoming
from tests.support.office import build_office


async def search(db: Database, person: Employee, **filters: object) -> list[DeskChoice]:
    async with db.read() as session:
        return await desks_near_team(session, person.id, DAY, **filters)  # type: ignore[arg-type]


async def desk(factory: Factory, floor: Floor, code: str, x: float, **overrides: object) -> Space:
    return await factory.desk(floor, code=code, x=x, y=2.0, width=1.6, height=0.8, **overrides)


async def test_the_desk_beside_a_teammate_comes_first_and_unbookable_desks_never(
    db: Database, factory: Factory
) -> None:
    # given alice's teammate amir at A1; free A2 (2 m away) and A10 (20 m away); and desks nobody may take that day
    office = await build_office(factory, desks=0)
    floor = office.floor
    a1 = await desk(factory, floor, "A1", 0.0)
    a10 = await desk(factory, floor, "A10", 20.0)
    a2 = await desk(factory, floor, "A2", 2.0)
    await insert_booking(db, a1, office.amir, *_office_day())
    closed = await desk(factory, floor, "A3", 4.0)
    await factory.closure(space_id=closed.id, start_at=at(DAY, 12), end_at=at(DAY, 13))
    await desk(factory, floor, "A4", 6.0, assigned_employee_id=office.bruno.id)
    await desk(factory, floor, "A5", 8.0, bookable=False)
    await desk(factory, floor, "A6", 10.0, retired_at=at(DAY, 0) - timedelta(days=30))
    evening = await desk(factory, floor, "A7", 12.0)
    await insert_booking(db, evening, office.bruno, at(DAY, 18), at(DAY, 19))
    released = await desk(factory, floor, "A8", 14.0, assigned_employee_id=office.bruno.id)
    async with db.write() as session:
        session.add(DeskRelease(space_id=released.id, day=DAY, released_by_id=office.bruno.id))
    own = await desk(factory, floor, "A9", 16.0, assigned_employee_id=office.alice.id)
    yesterday = await desk(factory, floor, "A11", 22.0)
    await insert_booking(db, yesterday, office.bruno, *_office_day(-1))

    # when alice searches
    choices = await search(db, office.alice)

    # then A2 first (2 m), the released and her own assigned desk are offered, the rest never
    assert [c.code for c in choices] == ["A2", "A8", "A9", "A10", "A11"]
    first = choices[0]
    assert (first.space_id, first.distance_m, first.teammates_on_floor) == (a2.id, 2.0, 1)
    assert first.floor_id == floor.id and first.building_name
    assert choices[3].space_id == a10.id and choices[3].distance_m == 20.0
    assert own.id in {c.space_id for c in choices}
    # amir is not bella's teammate (another team): nothing ranks by distance for her
    assert all(c.distance_m is None for c in await search(db, office.bella))
    assert [c.code for c in await search(db, office.alice, limit=1)] == ["A2"]


async def test_floors_with_teammates_first_then_home_building_then_code_and_amenities_filter(
    db: Database, factory: Factory
) -> None:
    # given two buildings: alice's home tower (no teammates in) and another whose floor 2 has amir that day
    office = await build_office(factory, desks=0)
    home_floor = await factory.floor(await factory.building(office.site, name="Menara 3"))
    async with db.write() as session:
        person = await session.get(Employee, office.alice.id)
        assert person is not None
        person.home_building_id = home_floor.building_id
    other_floor = office.floor
    team_floor = await factory.floor(await factory.building(office.site, name="Menara 1"))
    await insert_booking(db, await desk(factory, team_floor, "T1", 0.0), office.amir, *_office_day())
    await desk(factory, team_floor, "T9", 30.0, amenities=["monitor"])
    await desk(factory, team_floor, "T3", 6.0, amenities=["docking", "monitor"])
    await desk(factory, other_floor, "O1", 0.0, amenities=["docking"])
    await desk(factory, home_floor, "H10", 0.0, amenities=["docking"])
    await desk(factory, home_floor, "H2", 0.0, amenities=[])

    # when alice searches everywhere, then with a docking station, then in Menara 3 only
    everywhere = await search(db, office.alice)
    docking = await search(db, office.alice, amenities=["docking"])
    menara_3 = await search(db, office.alice, building_ids=[home_floor.building_id])
    by_floor = await search(db, office.alice, floor_ids=[other_floor.id])

    # then the teammate's floor by distance, then her home building, then the rest
    assert [c.code for c in everywhere] == ["T3", "T9", "H2", "H10", "O1"]
    assert [c.teammates_on_floor for c in everywhere] == [1, 1, 0, 0, 0]
    assert [c.code for c in docking] == ["T3", "H10", "O1"]
    assert set(docking[0].amenities) == {"docking", "monitor"}
    assert [c.code for c in menara_3] == ["H2", "H10"] and menara_3[0].building_name == "Menara 3"
    assert [c.code for c in by_floor] == ["O1"]
    assert await search(db, office.alice, building_ids=[999_999]) == []


async def test_a_building_closed_for_a_holiday_offers_no_desk(db: Database, factory: Factory) -> None:
    # given two buildings on a public holiday: one closes on holidays (the default rule), one stays open
    office = await build_office(factory, desks=0)
    await desk(factory, office.floor, "C1", 0.0)
    open_floor = await factory.floor(await factory.building(office.site, name="Menara Siaga"))
    await desk(factory, open_floor, "S1", 0.0)
    await factory.booking_rule(await _building(db, open_floor), SpaceKind.DESK, closed_on_holidays=False)
    holiday = upcoming(DayKind.PUBLIC_HOLIDAY)

    async with db.read() as session:
        on_holiday = await desks_near_team(session, office.alice.id, holiday)
        working_day = await desks_near_team(session, office.alice.id, DAY)

    assert [c.code for c in on_holiday] == ["S1"]
    assert sorted(c.code for c in working_day) == ["C1", "S1"]


async def _building(db: Database, floor: Floor) -> Building:
    async with db.read() as session:
        found = await session.get(Building, floor.building_id)
    assert found is not None
    return found


def _office_day(days: int = 0) -> tuple[datetime, datetime]:
    day = DAY + timedelta(days=days)
    return at(day, 8), at(day, 17)
