"""The demand forecast (``planning/forecast.py``): the model per day, with the days' own facts on top, a range,
and the days at risk."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from smartoffice.bookings.models import BookingStatus
from smartoffice.errors import InvalidInput, PermissionDenied
from smartoffice.planning.demand_history import DEFAULT_ATTENDANCE_RATE
from smartoffice.planning.forecast import DemandForecast, ForecastDay, ForecastService, Risk
from smartoffice.policies.models import PolicyLevel, WorkMode
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.demand_world import BEFORE, MON, TUE, WED, WEEK, WITA, DemandWorld, build_world, check_in

R = DEFAULT_ATTENDANCE_RATE


@pytest.fixture
async def world(factory: Factory) -> DemandWorld:
    return await build_world(factory)


@pytest.fixture
def service(runtime: Runtime) -> ForecastService:
    return ForecastService(runtime.db, lambda: BEFORE)


async def site_forecast(
    service: ForecastService, world: DemandWorld, first: date = WEEK, weeks: int = 1
) -> DemandForecast:
    assert world.manager is not None
    return await service.forecast(world.manager.id, site_id=world.site.id, first=first, weeks=weeks)


def day_of(forecast: DemandForecast, building_id: int, day: date) -> ForecastDay:
    return next(d for d in forecast.days if d.building_id == building_id and d.day == day)


async def test_the_model_per_day_from_anchor_days_and_public_service(
    service: ForecastService, world: DemandWorld
) -> None:
    forecast = await site_forecast(service, world)

    assert [b.building.code for b in forecast.buildings] == ["N", "S"]
    assert [(b.desks, b.housed) for b in forecast.buildings] == [(10, 5), (6, 5)]
    north_wed = day_of(forecast, world.north.id, WED)
    # Wednesday: the deputy's three on their anchor day; directorate B's two on one of their four flexible days.
    assert north_wed.expected == pytest.approx(3 * R + 2 * R * 2 / 4, abs=0.01)
    # Monday is directorate B's anchor day.
    assert day_of(forecast, world.north.id, MON).expected == pytest.approx(3 * R * 2 / 4 + 2 * R, abs=0.01)
    # The south tower: public service every day, the bureau's sub-unit spread, the person housed by home building.
    south_tue = day_of(forecast, world.south.id, TUE)
    assert south_tue.expected == pytest.approx(2 * R + 2 * R * 3 / 5 + R * 2 / 4, abs=0.01)
    assert all(d.low <= d.expected <= d.high for d in forecast.days)
    assert all(d.risk == Risk.NONE for d in forecast.days) and forecast.days_at_risk == []


async def test_a_holiday_closes_the_building_but_for_those_who_work_cuti_bersama(
    service: ForecastService, factory: Factory, world: DemandWorld
) -> None:
    await factory.policy(
        {"works_on_collective_leave": True},
        level=int(PolicyLevel.AGENCY),
        organisation_id=world.service.organisation_id,
        org_unit_id=world.service.id,
    )
    week = date(2026, 5, 25)  # Wednesday 27 May: Idul Adha; Thursday 28 May: its cuti bersama

    forecast = await site_forecast(service, world, week)

    holiday = day_of(forecast, world.south.id, date(2026, 5, 27))
    assert (holiday.expected, holiday.high, holiday.holiday) == (0, 0, "Hari Raya Idul Adha")
    assert day_of(forecast, world.north.id, date(2026, 5, 28)).expected == 0
    # The public service works on cuti bersama: only its two are expected in the south tower that day.
    assert day_of(forecast, world.south.id, date(2026, 5, 28)).expected == pytest.approx(2 * R, abs=0.01)


async def test_peoples_own_plans_replace_the_models_guess(
    service: ForecastService, factory: Factory, world: DemandWorld
) -> None:
    remote, office, _ = world.people["inheriting"]
    await factory.work_day(remote, WED, planned=WorkMode.HOME)
    await factory.work_day(office, MON, planned=WorkMode.OFFICE)

    forecast = await site_forecast(service, world)

    # Wednesday loses the one working from home on the anchor day.
    assert day_of(forecast, world.north.id, WED).expected == pytest.approx(2 * R + 2 * R * 2 / 4, abs=0.01)
    monday = day_of(forecast, world.north.id, MON)
    # Monday: the one who plans it comes; the one at home Wednesday spreads 3 office days over the 4 other days
    # (3/4 x rate), the third as before (2/4 x rate); directorate B's anchor day.
    assert monday.expected == pytest.approx(1 + R * 3 / 4 + R * 2 / 4 + 2 * R, abs=0.01)
    assert (monday.planned_office, monday.low >= 1) == (1, True)


async def test_desk_bookings_are_people_who_come_where_the_desk_is(
    service: ForecastService, runtime: Runtime, world: DemandWorld
) -> None:
    visitor = world.people["housed_by_parent"][0]  # housed in the south tower
    before = await site_forecast(service, world)
    await check_in(runtime.db, world.north_desks[3], visitor, TUE, status=BookingStatus.BOOKED)

    after = await site_forecast(service, world)

    north_before, north_after = day_of(before, world.north.id, TUE), day_of(after, world.north.id, TUE)
    assert north_after.booked == 1
    assert north_after.expected == pytest.approx(north_before.expected + 1, abs=0.01)
    # Not in the south tower that day, and a little less likely on its other flexible days (one office day is met).
    assert day_of(after, world.south.id, TUE).expected == pytest.approx(
        day_of(before, world.south.id, TUE).expected - R * 3 / 5, abs=0.01
    )
    assert day_of(after, world.south.id, WED).expected < day_of(before, world.south.id, WED).expected


async def test_an_overflowing_anchor_day_is_flagged_first_with_a_range_around_it(
    service: ForecastService, factory: Factory, world: DemandWorld
) -> None:
    for _ in range(9):
        await factory.employee(world.inheriting)

    forecast = await site_forecast(service, world, weeks=2)

    wednesday = day_of(forecast, world.north.id, WED)
    assert wednesday.expected == pytest.approx(12 * R + 2 * R * 2 / 4, abs=0.01)  # 11.7 for 10 desks
    assert wednesday.risk == Risk.OVERFLOW
    assert wednesday.low <= wednesday.expected <= wednesday.high
    assert wednesday.high > wednesday.expected + 1  # a real range, not a point
    at_risk = forecast.days_at_risk
    assert [(d.day, d.risk) for d in at_risk[:2]] == [(WED, Risk.OVERFLOW), (WED + timedelta(weeks=1), Risk.OVERFLOW)]
    assert all(d.risk != Risk.NONE for d in at_risk)
    # Monday: 12 x 2/4 x 0.9 + 2 x 0.9 = 7.2 people, under the target of 8.5, but the high end is above 10 desks.
    monday = day_of(forecast, world.north.id, MON)
    assert (monday.expected, monday.target, monday.high, monday.risk) == (7.2, 8.5, 11, Risk.MAY_OVERFLOW)


async def test_closures_close_the_building_or_take_desks_away(
    service: ForecastService, factory: Factory, world: DemandWorld
) -> None:
    def day_at(day: date, hour: int) -> datetime:
        return datetime.combine(day, time(hour), WITA).astimezone(UTC)

    await factory.closure("Fumigasi", building_id=world.south.id, start_at=day_at(TUE, 0), end_at=day_at(WED, 0))
    await factory.closure("Renovasi", floor_id=world.north_floor.id, start_at=day_at(WED, 6), end_at=day_at(WED, 12))
    extra = await factory.floor(world.north, level=2)
    for _ in range(4):
        await factory.desk(extra)
    await factory.closure("Cat ulang", floor_id=extra.id, start_at=day_at(MON, 7), end_at=day_at(MON, 19))

    forecast = await site_forecast(service, world)

    closed = day_of(forecast, world.south.id, TUE)
    assert (closed.desks, closed.expected, closed.closure, closed.is_closed) == (0, 0, "Fumigasi", True)
    # Five of twelve opening hours is less than half: the floor's closure that Wednesday does not count.
    assert day_of(forecast, world.north.id, WED).desks == 14
    monday = day_of(forecast, world.north.id, MON)
    assert (monday.desks, monday.closure) == (10, "Cat ulang")


async def test_only_the_sites_facilities_managers_and_admins_and_sane_input(
    service: ForecastService, world: DemandWorld
) -> None:
    assert world.stranger is not None and world.manager is not None
    with pytest.raises(PermissionDenied):
        await service.forecast(world.stranger.id, building_id=world.north.id, first=WEEK)
    with pytest.raises(InvalidInput) as weeks:
        await service.forecast(world.manager.id, building_id=world.north.id, first=WEEK, weeks=9)
    assert weeks.value.field == "weeks"
    with pytest.raises(InvalidInput) as scope:
        await service.forecast(world.manager.id, site_id=world.site.id, building_id=world.north.id, first=WEEK)
    assert scope.value.field == "siteId"
    one = await service.forecast(world.manager.id, building_id=world.south.id, first=WEEK + timedelta(days=2))
    assert one.building is not None and one.building.id == world.south.id
    assert (one.first, [b.building.id for b in one.buildings]) == (WEEK, [world.south.id])


async def test_days_gone_count_what_happened_and_nothing_more(runtime: Runtime, world: DemandWorld) -> None:
    assert world.manager is not None
    wednesday_morning = datetime.combine(WED, time(10), WITA).astimezone(UTC)
    service = ForecastService(runtime.db, lambda: wednesday_morning)
    await check_in(runtime.db, world.north_desks[0], world.people["own_days"][0], MON, status=BookingStatus.CHECKED_IN)

    forecast = await service.forecast(world.manager.id, site_id=world.site.id, first=WEEK)

    monday = day_of(forecast, world.north.id, MON)
    assert (monday.expected, monday.low, monday.high, monday.booked) == (1, 1, 1, 1)
    assert day_of(forecast, world.south.id, TUE).expected == 0  # public service too: nothing recorded, nothing said
    assert day_of(forecast, world.north.id, WED).expected == pytest.approx(3 * R + R * 2 / 4 + R * 2 / 4, abs=0.01)
