"""``buildingOccupancy``'s lean path (planning/occupancy.py ``building_occupancy``): the same days and summary as
the full report's building scope, live days and folded ones, and a change to a booking shows in the next read."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update

from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.db import Database
from smartoffice.planning.occupancy import OccupancyService
from smartoffice.planning.occupancy_report import BuildingDays, OccupancyScope, ScopeKind
from smartoffice.privacy.models import OccupancyDaily, RetentionFold
from tests.factories import Factory
from tests.support.occupancy_world import (
    JULY_LAST,
    JUNE_FIRST,
    MONDAY,
    TUESDAY,
    OccupancyWorld,
    at,
    book,
    occupancy_world,
)


@pytest.fixture
async def world(factory: Factory, db: Database) -> OccupancyWorld:
    return await occupancy_world(factory, db)


async def building_days(db: Database, world: OccupancyWorld, first: date, last: date) -> BuildingDays:
    return await OccupancyService(db).building_occupancy(world.manager.id, world.tower.id, first, last)


async def assert_same_as_the_report(db: Database, world: OccupancyWorld, first: date, last: date) -> BuildingDays:
    lean = await building_days(db, world, first, last)
    full = await OccupancyService(db).report(
        world.manager.id, OccupancyScope(ScopeKind.BUILDING, world.tower.id), first, last
    )
    assert full.building is not None and lean.building.id == full.building.id
    assert (lean.first, lean.last, lean.desks) == (full.first, full.last, full.desks)
    assert lean.days == full.days
    assert lean.summary == full.summary
    return lean


def counts(result: BuildingDays, day: date) -> tuple[int, int, int]:
    found = next(d for d in result.days if d.day == day)
    return found.booked, found.checked_in, found.no_shows


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (MONDAY, MONDAY),
        (MONDAY, MONDAY + timedelta(days=6)),
        (JUNE_FIRST, date(2026, 6, 30)),
        (JUNE_FIRST, JULY_LAST),
        (date(2026, 5, 15), date(2026, 8, 14)),  # 92 days, the longest buildingOccupancy covers
    ],
)
async def test_the_days_and_summary_are_the_reports(
    db: Database, world: OccupancyWorld, first: date, last: date
) -> None:
    result = await assert_same_as_the_report(db, world, first, last)
    assert len(result.days) == (last - first).days + 1


async def test_folded_days_read_the_aggregates_as_the_report_does(db: Database, world: OccupancyWorld) -> None:
    # given the retention job folded every day up to Tuesday (the bookings are still there)
    async with db.write() as session:
        session.add(RetentionFold(day=TUESDAY, folded_at=datetime(2028, 7, 1, tzinfo=UTC), bookings=9, work_days=0))
        session.add(
            OccupancyDaily(
                building_id=world.tower.id,
                day=MONDAY,
                desk_booked=7,
                desk_checked_in=5,
                desk_no_shows=1,
                desk_cancelled=0,
                room_bookings=3,
                room_minutes=270,
            )
        )

    result = await assert_same_as_the_report(db, world, JUNE_FIRST, JULY_LAST)

    assert (counts(result, MONDAY), counts(result, TUESDAY)) == ((7, 5, 1), (0, 0, 0))
    assert counts(result, date(2026, 7, 1)) == (3, 1, 0)  # after the watermark: live again
    assert all(d.counted for d in result.days)


async def test_a_change_to_a_booking_shows_in_the_next_read(db: Database, world: OccupancyWorld) -> None:
    wednesday = MONDAY + timedelta(days=2)

    async def wednesday_counts() -> tuple[int, int, int]:
        result = await assert_same_as_the_report(db, world, MONDAY, MONDAY + timedelta(days=6))
        return counts(result, wednesday)

    assert await wednesday_counts() == (0, 0, 0)
    # made
    await book(db, world.desks[0], world.people[0], at(wednesday, 8), 9)
    assert await wednesday_counts() == (1, 0, 0)
    async with db.read() as session:
        booking_id = await session.scalar(
            Booking.__table__.select()  # type: ignore[attr-defined]
            .with_only_columns(Booking.id)
            .where(Booking.employee_id == world.people[0].id, Booking.start_at == at(wednesday, 8))
        )

    async def change(**values: object) -> None:
        async with db.write() as session:
            await session.execute(update(Booking).where(Booking.id == booking_id).values(**values))

    # checked in
    await change(status=BookingStatus.CHECKED_IN, checked_in_at=at(wednesday, 8))
    assert await wednesday_counts() == (1, 1, 0)
    # released as a no-show (still took a seat)
    await change(status=BookingStatus.RELEASED, checked_in_at=None)
    assert await wednesday_counts() == (1, 0, 1)
    # moved to a desk in another building: gone from the tower
    await change(status=BookingStatus.BOOKED, space_id=world.annex_desk.id)
    assert await wednesday_counts() == (0, 0, 0)
    # moved back, then cancelled
    await change(space_id=world.desks[1].id)
    assert await wednesday_counts() == (1, 0, 0)
    await change(status=BookingStatus.CANCELLED)
    assert await wednesday_counts() == (0, 0, 0)
