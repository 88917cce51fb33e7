"""The no-show release: bookings nobody checked in to are released after the grace period, exactly once."""

import asyncio
from datetime import time

import pytest
from sqlalchemy import select

from smartoffice.availability.service import Source, SpaceStatus
from smartoffice.bookings.checkin import CheckInService
from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.bookings.release import release_no_shows
from smartoffice.db import Database
from smartoffice.jobs import JOBS
from smartoffice.places.models import SpaceKind
from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from tests.factories import Factory
from tests.support.bookings import book_desk, insert_booking, set_rule, status_between
from tests.support.clock import DAY, Clock, at, install_clock


@pytest.fixture
def clock(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> Clock:
    return install_clock(runtime, monkeypatch)


@pytest.fixture
def checkin(runtime: Runtime, clock: Clock) -> CheckInService:
    return runtime.checkins


async def reload(db: Database, booking_id: int) -> Booking:
    async with db.read() as session:
        booking = await session.get(Booking, booking_id)
    assert booking is not None
    return booking


async def release(runtime: Runtime, local: time) -> int:
    return await release_no_shows(runtime.db, runtime.availability, at(DAY, local.hour, local.minute, local.second))


async def test_a_no_show_is_released_after_the_grace_and_its_slots_are_free(
    runtime: Runtime, factory: Factory, clock: Clock
) -> None:
    # given a desk booked 09:00-12:00 (grace 30 minutes), shown booked by a loaded index
    desk, person = await factory.desk(), await factory.employee()
    booking = await book_desk(runtime, desk, person, time(9), time(12))
    assert await status_between(runtime, desk, time(9), time(12)) == (SpaceStatus.BOOKED, Source.DATABASE)
    # when the job runs during the grace, nothing happens; once it has passed, the booking is released
    assert await release(runtime, time(9, 29, 59)) == 0
    assert await release(runtime, time(9, 30)) == 1
    # then
    released = await reload(runtime.db, booking.id)
    assert released.status == BookingStatus.RELEASED
    assert released.released_at == at(DAY, 9, 30)
    assert released.version == booking.version + 1
    assert await status_between(runtime, desk, time(9), time(12)) == (SpaceStatus.FREE, Source.INDEX)
    assert await release(runtime, time(9, 31)) == 0


async def test_checked_in_and_other_states_are_not_released(
    runtime: Runtime, factory: Factory, clock: Clock, checkin: CheckInService
) -> None:
    floor = await factory.floor()
    desk, room, person = await factory.desk(floor), await factory.room(floor), await factory.employee()
    booking = await book_desk(runtime, desk, person, time(9), time(12))
    clock.set(time(9))
    await checkin.check_in(person.id, booking.id)
    others = [
        await insert_booking(runtime.db, room, person, at(DAY, h), at(DAY, h, 30), status=status)
        for h, status in ((9, BookingStatus.PENDING), (10, BookingStatus.CANCELLED), (11, BookingStatus.REJECTED))
    ]

    assert await release(runtime, time(18)) == 0

    assert (await reload(runtime.db, booking.id)).status == BookingStatus.CHECKED_IN
    assert [(await reload(runtime.db, b.id)).status for b in others] == [b.status for b in others]


async def test_grace_follows_each_buildings_rule_per_kind_of_space(
    runtime: Runtime, factory: Factory, clock: Clock
) -> None:
    # given three buildings: the global rule (30 min), their own (60 min), and "never release" (0)
    default_floor, patient_floor, never_floor = await factory.floor(), await factory.floor(), await factory.floor()
    await set_rule(runtime.db, patient_floor.building_id, SpaceKind.DESK, check_in_grace_minutes=60)
    await set_rule(runtime.db, never_floor.building_id, SpaceKind.DESK, check_in_grace_minutes=0)
    # ...a room rule of its own in the default building does not change its desks
    await set_rule(runtime.db, default_floor.building_id, SpaceKind.ROOM, check_in_grace_minutes=90)
    bookings = {}
    for name, floor in (("default", default_floor), ("patient", patient_floor), ("never", never_floor)):
        desk, person = await factory.desk(floor), await factory.employee()
        bookings[name] = await book_desk(runtime, desk, person, time(9), time(12))
    room, person = await factory.room(default_floor), await factory.employee()
    bookings["room"] = await insert_booking(runtime.db, room, person, at(DAY, 9), at(DAY, 12))

    async def statuses() -> dict[str, BookingStatus]:
        return {name: (await reload(runtime.db, b.id)).status for name, b in bookings.items()}

    assert await release(runtime, time(9, 30)) == 1
    assert await statuses() == {
        "default": BookingStatus.RELEASED,
        "patient": BookingStatus.BOOKED,
        "never": BookingStatus.BOOKED,
        "room": BookingStatus.BOOKED,
    }
    assert await release(runtime, time(10)) == 1
    assert (await statuses())["patient"] == BookingStatus.RELEASED
    assert await release(runtime, time(10, 30)) == 1
    assert (await statuses())["room"] == BookingStatus.RELEASED
    assert await release(runtime, time(23)) == 0
    assert (await statuses())["never"] == BookingStatus.BOOKED


RUNS = 4
BOOKINGS = 30


async def test_concurrent_runs_release_each_booking_exactly_once(
    runtime: Runtime, factory: Factory, settings: Settings, clock: Clock
) -> None:
    # given many no-shows
    floor = await factory.floor()
    for _ in range(BOOKINGS):
        desk, person = await factory.desk(floor), await factory.employee()
        await book_desk(runtime, desk, person, time(9), time(12))
    # when several processes (each its own engine and connections) run the job at the same moment
    databases = [Database.from_url(settings.resolved_database_url) for _ in range(RUNS)]
    try:
        counts = await asyncio.gather(*(release_no_shows(db, runtime.availability, at(DAY, 10)) for db in databases))
    finally:
        for db in databases:
            await db.dispose()
    # then between them they released every booking, and each exactly once (one version bump each)
    assert sum(counts) == BOOKINGS
    async with runtime.db.read() as session:
        rows = (await session.execute(select(Booking.status, Booking.version))).all()
    assert {(status, version) for status, version in rows} == {(BookingStatus.RELEASED, 2)}
    assert await status_between(runtime, desk, time(9), time(12)) == (SpaceStatus.FREE, Source.DATABASE)


async def test_registered_as_a_job_that_uses_the_runtimes_clock(
    runtime: Runtime, factory: Factory, clock: Clock
) -> None:
    [job] = [job for job in JOBS if job.name == "release_no_shows"]
    assert job.interval_seconds == 60
    desk, person = await factory.desk(), await factory.employee()
    booking = await book_desk(runtime, desk, person, time(9), time(12))
    clock.set(time(9, 45))
    assert await job.run(runtime) == 1
    assert (await reload(runtime.db, booking.id)).status == BookingStatus.RELEASED


@pytest.mark.parametrize("grace_passed", [False, True])
async def test_a_booking_checked_in_while_the_job_runs_is_either_checked_in_or_released(
    runtime: Runtime, factory: Factory, clock: Clock, checkin: CheckInService, grace_passed: bool
) -> None:
    """Check-in and release race for one booking: exactly one of them wins, never both."""
    desk, person = await factory.desk(), await factory.employee()
    booking = await book_desk(runtime, desk, person, time(9), time(12))
    clock.set(time(9, 40) if grace_passed else time(9, 20))

    outcomes = await asyncio.gather(
        checkin.check_in(person.id, booking.id),
        release_no_shows(runtime.db, runtime.availability, clock.now),
        return_exceptions=True,
    )

    final = await reload(runtime.db, booking.id)
    checked_in = not isinstance(outcomes[0], BaseException)
    released = outcomes[1] == 1
    assert checked_in != released
    assert final.status == (BookingStatus.CHECKED_IN if checked_in else BookingStatus.RELEASED)
    assert final.version == booking.version + 1
    if not grace_passed:
        assert checked_in
