"""The Redis index is a projection of SQL: it can be flushed, unreachable or stale and answers stay right."""

from datetime import date, time

from redis.asyncio import Redis
from redis.crc import key_slot

from smartoffice.availability.index import AvailabilityIndex, FloorDay
from smartoffice.availability.service import (
    AvailabilityService,
    Source,
    SpaceStatus,
    occupancy_from_sql,
    window_slots,
)
from smartoffice.availability.slots import LocalDay
from smartoffice.bookings.service import BookDeskRequest, BookingService
from smartoffice.db import Database
from smartoffice.places.models import Floor, Space
from smartoffice.runtime import Runtime, redis_client
from tests.factories import Factory
from tests.integration.test_book_desk import tomorrow

WITA = "Asia/Makassar"
WORKING_DAY = (time(7), time(19))


async def status_of(runtime: Runtime, floor: Floor, desk: Space, day: date) -> tuple[SpaceStatus, Source]:
    occupancy = await runtime.availability.floor_day(floor.id, WITA, day)
    return occupancy.status(desk.id, window_slots(LocalDay(day, WITA), *WORKING_DAY)), occupancy.source


async def test_first_read_loads_the_floor_day_from_sql_then_reads_hit_the_index(
    runtime: Runtime, factory: Factory
) -> None:
    floor = await factory.floor()
    desk, person = await factory.desk(floor), await factory.employee()
    await runtime.bookings.book_desk(person.id, BookDeskRequest(desk.id, tomorrow(), time(9), time(12)))

    assert await status_of(runtime, floor, desk, tomorrow()) == (
        SpaceStatus.PARTIALLY_BOOKED,
        Source.DATABASE,
    )
    assert await status_of(runtime, floor, desk, tomorrow()) == (SpaceStatus.PARTIALLY_BOOKED, Source.INDEX)


async def test_bookings_and_cancellations_keep_a_loaded_index_in_step(runtime: Runtime, factory: Factory) -> None:
    floor = await factory.floor()
    desk, person = await factory.desk(floor), await factory.employee()
    await status_of(runtime, floor, desk, tomorrow())  # load the floor-day

    booking = await runtime.bookings.book_desk(person.id, BookDeskRequest(desk.id, tomorrow()))
    assert await status_of(runtime, floor, desk, tomorrow()) == (SpaceStatus.BOOKED, Source.INDEX)

    await runtime.bookings.cancel(person.id, booking.id)
    assert await status_of(runtime, floor, desk, tomorrow()) == (SpaceStatus.FREE, Source.INDEX)


async def test_a_flushed_index_is_unknown_not_free(runtime: Runtime, factory: Factory, redis: Redis) -> None:
    floor = await factory.floor()
    desk, person = await factory.desk(floor), await factory.employee()
    await runtime.bookings.book_desk(person.id, BookDeskRequest(desk.id, tomorrow()))
    await status_of(runtime, floor, desk, tomorrow())

    await redis.flushdb()

    assert await status_of(runtime, floor, desk, tomorrow()) == (SpaceStatus.BOOKED, Source.DATABASE)


async def test_a_snapshot_raced_by_a_booking_is_not_loaded(runtime: Runtime, factory: Factory) -> None:
    floor = await factory.floor()
    desk, person = await factory.desk(floor), await factory.employee()
    index = runtime.availability.index
    floor_day = FloorDay(floor.id, LocalDay(tomorrow(), WITA))

    # given a loader that read the generation and an (empty) SQL snapshot...
    generation = await index.generation(floor_day)
    stale_snapshot: dict[int, str] = {}
    # ...when a booking commits before the loader writes,
    await runtime.bookings.book_desk(person.id, BookDeskRequest(desk.id, tomorrow()))
    # then the stale snapshot is refused, and the next read is correct.
    assert await index.load(floor_day, generation, stale_snapshot) is False
    assert await index.read(floor_day) is None
    assert await status_of(runtime, floor, desk, tomorrow()) == (SpaceStatus.BOOKED, Source.DATABASE)


async def test_an_index_that_drifted_is_dropped_when_sql_disagrees(runtime: Runtime, factory: Factory) -> None:
    floor = await factory.floor()
    desk, person = await factory.desk(floor), await factory.employee()
    index = runtime.availability.index
    floor_day = FloorDay(floor.id, LocalDay(tomorrow(), WITA))
    await status_of(runtime, floor, desk, tomorrow())
    # The index wrongly believes the desk is taken all day (e.g. a cancel whose projection was lost).
    await index.apply(floor_day, desk.id, 0, floor_day.day.slot_count, taken=True)

    await runtime.bookings.book_desk(person.id, BookDeskRequest(desk.id, tomorrow(), time(9), time(10)))

    assert await index.read(floor_day) is None
    assert await status_of(runtime, floor, desk, tomorrow()) == (
        SpaceStatus.PARTIALLY_BOOKED,
        Source.DATABASE,
    )


async def test_bookings_and_availability_work_with_redis_unreachable(
    runtime: Runtime, factory: Factory, db: Database
) -> None:
    floor = await factory.floor()
    desk, person = await factory.desk(floor), await factory.employee()
    dead = redis_client("redis://127.0.0.1:1/0")  # nothing listens on port 1
    availability = AvailabilityService(db, AvailabilityIndex(dead))
    bookings = BookingService(db, availability)
    try:
        await bookings.book_desk(person.id, BookDeskRequest(desk.id, tomorrow()))
        occupancy = await availability.floor_day(floor.id, WITA, tomorrow())
    finally:
        await dead.aclose()

    assert occupancy.source == Source.DATABASE
    assert occupancy.status(desk.id, window_slots(occupancy.day, *WORKING_DAY)) == SpaceStatus.BOOKED


async def test_rebuild_loads_every_floor_day_equal_to_sql(runtime: Runtime, factory: Factory) -> None:
    floor = await factory.floor()
    desks = [await factory.desk(floor) for _ in range(3)]
    people = [await factory.employee() for _ in range(3)]
    for desk, person, (start, end) in zip(
        desks, people, [(time(7), time(9)), (time(9), time(19)), (time(8), time(8, 15))], strict=True
    ):
        await runtime.bookings.book_desk(person.id, BookDeskRequest(desk.id, tomorrow(), start, end))

    loaded = await runtime.availability.rebuild([tomorrow()])

    floor_day = FloorDay(floor.id, LocalDay(tomorrow(), WITA))
    assert loaded >= 1
    from_index = await runtime.availability.index.read(floor_day)
    async with runtime.db.read() as session:
        assert from_index == await occupancy_from_sql(session, floor_day)
    assert from_index is not None and len(from_index) == 3


def test_keys_of_a_floor_day_share_one_cluster_slot() -> None:
    floor_day = FloorDay(42, LocalDay(date(2026, 11, 23), WITA))
    assert key_slot(floor_day.occupancy_key.encode()) == key_slot(floor_day.generation_key.encode())
    other_day = FloorDay(42, LocalDay(date(2026, 11, 24), WITA))
    assert floor_day.tag != other_day.tag
