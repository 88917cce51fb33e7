"""Bookings reconciled against attendance on a built scenario: booked and present (checked in, or reported in the
office), booked and absent (a no-show, or reported absent), booked with no data, present without a booking; for a
unit's subtree and for a building; and who may see which."""

from datetime import date, timedelta

import pytest
from sqlalchemy import update

from smartoffice.attendance.reconcile import Category, Scope
from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.errors import InvalidInput, PermissionDenied
from smartoffice.people.models import Employee
from smartoffice.places.models import Building, Space
from smartoffice.policies.models import WorkMode
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.clock import at
from tests.support.policies import MON, TUE, WED, Team, build_team


async def booking(
    runtime: Runtime, desk: Space, person: Employee, day: date, status: BookingStatus, *, checked_in: bool = False
) -> None:
    async with runtime.db.write() as session:
        session.add(
            Booking(
                space_id=desk.id, space_kind=desk.kind, employee_id=person.id, booked_by_id=person.id,
                start_at=at(day, 8), end_at=at(day, 17), blocks_until=at(day, 17), status=status,
                checked_in_at=at(day, 7, 45) if checked_in else None,
            )
        )  # fmt: skip


@pytest.fixture
async def scenario(runtime: Runtime, factory: Factory) -> tuple[Team, Building]:
    team = await build_team(factory)
    building = await factory.building(name="Menara Bappenas")
    floor = await factory.floor(building)
    desks = [await factory.desk(floor) for _ in range(6)]
    agus, budi, citra = team.staff
    await booking(runtime, desks[0], agus, MON, BookingStatus.CHECKED_IN, checked_in=True)
    await booking(runtime, desks[1], budi, MON, BookingStatus.BOOKED)  # reported in the office below
    await booking(runtime, desks[2], citra, MON, BookingStatus.RELEASED)  # a no-show
    await booking(runtime, desks[3], team.supervisor, MON, BookingStatus.BOOKED)  # reported absent below
    await booking(runtime, desks[0], agus, TUE, BookingStatus.BOOKED)  # nothing known
    await booking(runtime, desks[0], agus, WED, BookingStatus.CANCELLED)  # no booking at all
    await booking(runtime, desks[4], team.stranger, MON, BookingStatus.CHECKED_IN, checked_in=True)  # other unit
    elsewhere = await factory.desk(await factory.floor(await factory.building(name="Menara Lain")))
    await booking(runtime, elsewhere, budi, WED, BookingStatus.BOOKED)  # in another building, reported there below
    await factory.work_day(budi, MON, actual=WorkMode.OFFICE)
    await factory.work_day(team.supervisor, MON, actual=WorkMode.ABSENT)
    await factory.work_day(budi, TUE, actual=WorkMode.OFFICE)  # came without a booking
    await factory.work_day(budi, WED, actual=WorkMode.OFFICE)
    await factory.work_day(citra, TUE, actual=WorkMode.HOME)  # neither booked nor in: not listed
    async with runtime.db.write() as session:
        await session.execute(update(Employee).where(Employee.id == budi.id).values(home_building_id=building.id))
    return team, building


def categories(result: object) -> list[tuple[str, date, Category]]:
    return [(e.name, e.day, e.category) for e in result.entries]  # type: ignore[attr-defined]


async def test_a_units_week_in_four_categories(runtime: Runtime, scenario: tuple[Team, Building]) -> None:
    team, _building = scenario

    result = await runtime.attendance.reconciliation(team.head.id, Scope(unit_id=team.directorate.id), MON, WED)

    assert result.counts == {
        Category.BOOKED_PRESENT: 3, Category.BOOKED_ABSENT: 2, Category.BOOKED_NO_DATA: 1,
        Category.PRESENT_WITHOUT_BOOKING: 1,
    }  # fmt: skip
    assert categories(result) == [
        ("Staf 1", MON, Category.BOOKED_PRESENT),
        ("Staf 2", MON, Category.BOOKED_PRESENT),
        ("Atasan Langsung", MON, Category.BOOKED_ABSENT),
        ("Staf 3", MON, Category.BOOKED_ABSENT),
        ("Staf 1", TUE, Category.BOOKED_NO_DATA),
        ("Staf 2", TUE, Category.PRESENT_WITHOUT_BOOKING),
        ("Staf 2", WED, Category.BOOKED_PRESENT),
    ]
    first = result.entries[0]
    assert (first.booking_status, first.building_name, first.checked_in_at.isoformat("minutes")) == (  # type: ignore[union-attr]
        BookingStatus.CHECKED_IN,
        "Menara Bappenas",
        "07:45",
    )
    no_show = result.entries[3]
    assert (no_show.booking_status, no_show.reported) == (BookingStatus.RELEASED, None)


async def test_a_building_counts_who_booked_in_it_and_its_home_staff(
    runtime: Runtime, scenario: tuple[Team, Building]
) -> None:
    team, building = scenario

    result = await runtime.attendance.reconciliation(team.admin.id, Scope(building_id=building.id), MON, WED)

    assert result.counts[Category.BOOKED_PRESENT] == 3  # the stranger from another unit booked here too
    assert result.counts[Category.PRESENT_WITHOUT_BOOKING] == 1  # Staf 2's home building (on Wednesday: elsewhere)
    assert ("Orang Lain", MON, Category.BOOKED_PRESENT) in categories(result)


async def test_who_may_see_a_reconciliation(runtime: Runtime, scenario: tuple[Team, Building]) -> None:
    team, building = scenario
    unit = Scope(unit_id=team.directorate.id)

    assert (await runtime.attendance.reconciliation(team.admin.id, unit, MON, WED)).counts[Category.BOOKED_ABSENT] == 2
    for outsider in (team.stranger, team.staff[0], team.supervisor):
        with pytest.raises(PermissionDenied):
            await runtime.attendance.reconciliation(outsider.id, unit, MON, WED)
    with pytest.raises(PermissionDenied):  # a unit manager is no facilities manager of the building
        await runtime.attendance.reconciliation(team.head.id, Scope(building_id=building.id), MON, WED)
    with pytest.raises(InvalidInput):
        await runtime.attendance.reconciliation(team.admin.id, unit, MON, MON + timedelta(days=31))
    with pytest.raises(InvalidInput):
        await runtime.attendance.reconciliation(team.admin.id, Scope(), MON, WED)
    choices = await runtime.attendance.reconciliation_choices(team.head.id)
    assert {c.name for c in choices.units} == {team.deputy.name, team.directorate.name} and choices.buildings == ()
