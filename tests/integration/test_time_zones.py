"""Time: buildings in WITA and WIB, the local-day boundary at 16:00Z, and bookings made from another zone."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from smartoffice.availability.service import SpaceStatus, window_slots
from smartoffice.bookings.requests import BookDeskRequest
from smartoffice.errors import BookingConflict
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.clock import next_weekday

WIB, WITA = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar")


async def test_the_same_local_time_in_wib_and_wita_is_an_hour_apart(runtime: Runtime, factory: Factory) -> None:
    jakarta = await factory.desk(await factory.floor(await factory.building(time_zone="Asia/Jakarta")))
    nusantara = await factory.desk(await factory.floor(await factory.building(time_zone="Asia/Makassar")))
    person_a, person_b, day = await factory.employee(), await factory.employee(), next_weekday(1)

    in_jakarta = await runtime.bookings.book_desk(person_a.id, BookDeskRequest(jakarta.id, day, time(9), time(10)))
    in_ikn = await runtime.bookings.book_desk(person_b.id, BookDeskRequest(nusantara.id, day, time(9), time(10)))

    assert in_jakarta.start_at == datetime.combine(day, time(2), UTC)
    assert in_ikn.start_at == datetime.combine(day, time(1), UTC)
    assert in_jakarta.start_at - in_ikn.start_at == timedelta(hours=1)


async def test_one_person_cannot_hold_desks_in_both_zones_at_the_same_instant(
    runtime: Runtime, factory: Factory
) -> None:
    """09:00 WIB is 10:00 WITA: one instant, whatever the wall clocks say."""
    jakarta = await factory.desk(await factory.floor(await factory.building(time_zone="Asia/Jakarta")))
    nusantara = await factory.desk(await factory.floor(await factory.building(time_zone="Asia/Makassar")))
    person, day = await factory.employee(), next_weekday(2)
    await runtime.bookings.book_desk(person.id, BookDeskRequest(jakarta.id, day, time(9), time(10)))
    # 10:00-11:00 WITA == 09:00-10:00 WIB: the same hour, refused; 11:00 WITA is after it, allowed.
    with pytest.raises(BookingConflict):
        await runtime.bookings.book_desk(person.id, BookDeskRequest(nusantara.id, day, time(10), time(11)))
    await runtime.bookings.book_desk(person.id, BookDeskRequest(nusantara.id, day, time(11), time(12)))


async def test_an_early_ikn_booking_starts_the_day_before_in_utc(runtime: Runtime, factory: Factory) -> None:
    floor = await factory.floor(await factory.building(time_zone="Asia/Makassar"))
    desk, person, day = await factory.desk(floor), await factory.employee(), next_weekday(3)

    booking = await runtime.bookings.book_desk(person.id, BookDeskRequest(desk.id, day, time(7), time(8)))

    assert booking.start_at == datetime.combine(day - timedelta(days=1), time(23), UTC)
    assert booking.start_at.astimezone(WITA).date() == day
    on_the_day = await runtime.availability.floor_day(floor.id, "Asia/Makassar", day)
    day_before = await runtime.availability.floor_day(floor.id, "Asia/Makassar", day - timedelta(days=1))
    morning = window_slots(on_the_day.day, time(7), time(8))
    assert on_the_day.status(desk.id, morning) == SpaceStatus.BOOKED
    assert day_before.status(desk.id, window_slots(day_before.day, time(0), time(23, 45))) == SpaceStatus.FREE


async def test_a_booking_ending_at_local_midnight_stays_on_its_day(runtime: Runtime, factory: Factory) -> None:
    """16:00Z is midnight WITA: a half-open range ending there does not touch the next day."""
    floor = await factory.floor(
        await factory.building(time_zone="Asia/Makassar", opens_at=time(0), closes_at=time(23, 45))
    )
    desk, person, day = await factory.desk(floor), await factory.employee(), next_weekday(3)
    await runtime.bookings.book_desk(person.id, BookDeskRequest(desk.id, day, time(22), time(23, 45)))
    next_day = await runtime.availability.floor_day(floor.id, "Asia/Makassar", day + timedelta(days=1))
    assert next_day.slots.get(desk.id, "0").count("1") == 0
