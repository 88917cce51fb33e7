"""Redis killed, flushed, unreachable or frozen in the middle of a stream of concurrent bookings and cancellations.

Each test runs its own embedded Redis server (so the shared test Redis is untouched) and, on the shared database,
an availability and a booking service wired to that server with an injected clock. The stream is random but
seeded; the fault is injected by whichever worker completes a given operation, so it lands mid-stream with the
other workers' requests in flight. Afterwards: no double booking, every acknowledged booking in SQL as
acknowledged, reads right after Redis is back equal to SQL, and after ``reconcile()`` every floor-day read from
the index equals SQL.
"""

import asyncio
import os
import random
import signal
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, time, timedelta

import pytest
from redis.asyncio import Redis
from sqlalchemy import select

from smartoffice.availability.index import AvailabilityIndex, FloorDay
from smartoffice.availability.service import AvailabilityService, Source, occupancy_from_sql
from smartoffice.availability.slots import LocalDay
from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.bookings.service import BookDeskRequest, BookingService
from smartoffice.embedded_redis import EmbeddedRedis
from smartoffice.errors import BookingConflict, InvalidInput
from smartoffice.places.models import Floor, Space
from smartoffice.runtime import Runtime, redis_client
from tests.factories import Factory
from tests.support.bookings import overlapping_pairs
from tests.support.clock import Clock, tomorrow

WITA = "Asia/Makassar"
WORKERS = 6
OPERATIONS_PER_WORKER = 30
FAULT_AFTER = 40
"""The fault is injected when this many operations have completed (of WORKERS × OPERATIONS_PER_WORKER)."""
RECOVER_AFTER = 110
"""Redis comes back (where the scenario brings it back mid-stream) after this many."""


@dataclass
class Rig:
    server: EmbeddedRedis
    redis: Redis
    clock: Clock
    availability: AvailabilityService
    bookings: BookingService

    def back_after_cool_down(self) -> None:
        """Let the breaker's cool-down and the epoch cache run out, as real time would."""
        self.clock.advance(self.availability.breaker.reset_after + 1)


@pytest.fixture
async def rig(runtime: Runtime) -> AsyncIterator[Rig]:
    server = await asyncio.to_thread(EmbeddedRedis().start)
    redis = redis_client(server.url)
    clock = Clock()
    availability = AvailabilityService(runtime.db, AvailabilityIndex(redis), clock=clock.monotonic)
    try:
        yield Rig(server, redis, clock, availability, BookingService(runtime.db, availability))
    finally:
        if server._process is not None and server._process.poll() is None:
            os.kill(server._process.pid, signal.SIGCONT)  # in case a test froze it and failed before thawing
        await redis.aclose()
        server.stop()


@dataclass
class Office:
    floors: list[Floor]
    desks: list[Space]
    people: list[int]
    days: list[date]


@pytest.fixture
async def office(factory: Factory) -> Office:
    building = await factory.building()
    floors = [await factory.floor(building) for _ in range(2)]
    desks = [await factory.desk(floor) for floor in floors for _ in range(8)]
    people = [(await factory.employee()).id for _ in range(24)]
    return Office(floors, desks, people, [tomorrow(), tomorrow() + timedelta(days=1)])


@dataclass
class Stream:
    """What the clients were told: the bookings acknowledged, and which of them were acknowledged as cancelled."""

    booked: dict[int, int] = field(default_factory=dict)
    """Booking id → employee id, for every booking acknowledged."""
    cancelled: set[int] = field(default_factory=set)
    conflicts: int = 0
    refused: int = 0
    reads: int = 0
    unexpected: list[BaseException] = field(default_factory=list)
    done: int = 0


async def run_stream(
    rig: Rig,
    office: Office,
    *,
    seed: int,
    on_fault: Callable[[], Awaitable[None]],
    on_recover: Callable[[], Awaitable[None]] | None = None,
) -> Stream:
    stream = Stream()
    active: list[int] = []
    desks_by_floor = {floor.id: [d for d in office.desks if d.floor_id == floor.id] for floor in office.floors}
    assert all(desks_by_floor.values())

    async def one_operation(rng: random.Random) -> None:
        roll = rng.random()
        if roll < 0.25:
            floor = rng.choice(office.floors)
            await rig.availability.floor_day(floor.id, WITA, rng.choice(office.days))
            stream.reads += 1
        elif roll < 0.45 and active:
            booking_id = active.pop(rng.randrange(len(active)))
            await rig.bookings.cancel(stream.booked[booking_id], booking_id)
            stream.cancelled.add(booking_id)
        else:
            person, desk = rng.choice(office.people), rng.choice(office.desks)
            start = rng.randrange(7, 17)
            end = min(19, start + rng.randrange(1, 4))
            request = BookDeskRequest(desk.id, rng.choice(office.days), time(start), time(end))
            try:
                booking = await rig.bookings.book_desk(person, request)
            except BookingConflict:
                stream.conflicts += 1
                return
            except InvalidInput:
                stream.refused += 1
                return
            stream.booked[booking.id] = person
            active.append(booking.id)

    async def worker(n: int) -> None:
        rng = random.Random(seed * 1_000 + n)
        for _ in range(OPERATIONS_PER_WORKER):
            try:
                await one_operation(rng)
            except Exception as exc:
                stream.unexpected.append(exc)
            stream.done += 1
            # Whoever completes the threshold operation injects the fault, with the others' requests in flight.
            if stream.done == FAULT_AFTER:
                await on_fault()
            elif stream.done == RECOVER_AFTER and on_recover is not None:
                await on_recover()

    await asyncio.gather(*(worker(n) for n in range(WORKERS)))
    return stream


async def check_the_aftermath(runtime: Runtime, rig: Rig, office: Office, stream: Stream) -> None:
    # the stream ran, the fault did not stop it, nothing unexpected was raised
    assert stream.unexpected == []
    assert stream.done == WORKERS * OPERATIONS_PER_WORKER
    assert len(stream.booked) >= 20 and stream.cancelled and stream.reads
    # no double booking, and every acknowledged booking is in SQL as acknowledged
    assert await overlapping_pairs(runtime.db) == 0
    async with runtime.db.read() as session:
        rows = await session.execute(select(Booking.id, Booking.status).where(Booking.id.in_(list(stream.booked))))
        in_sql = dict(rows.all())
    assert set(in_sql) == set(stream.booked)
    for booking_id, status in in_sql.items():
        assert status == (BookingStatus.CANCELLED if booking_id in stream.cancelled else BookingStatus.BOOKED)

    floor_days = [FloorDay(floor.id, LocalDay(day, WITA)) for floor in office.floors for day in office.days]
    # Redis is back: reads are right at once, before any reconciliation (never a pre-failure state, never "free")
    for floor_day in floor_days:
        occupancy = await rig.availability.floor_day(floor_day.floor_id, WITA, floor_day.day.day)
        assert occupancy.slots == await sql_occupancy(runtime, floor_day), f"{floor_day.tag} from {occupancy.source}"

    report = await rig.availability.reconcile(office.days)

    assert not report.unavailable
    for floor_day in floor_days:
        occupancy = await rig.availability.floor_day(floor_day.floor_id, WITA, floor_day.day.day)
        if occupancy.source == Source.DATABASE:  # not loaded yet: this read loaded it
            occupancy = await rig.availability.floor_day(floor_day.floor_id, WITA, floor_day.day.day)
        assert occupancy.source == Source.INDEX
        assert occupancy.slots == await sql_occupancy(runtime, floor_day), floor_day.tag


async def sql_occupancy(runtime: Runtime, floor_day: FloorDay) -> dict[int, str]:
    async with runtime.db.read() as session:
        return await occupancy_from_sql(session, floor_day)


async def test_redis_killed_and_restarted_empty_mid_stream(runtime: Runtime, rig: Rig, office: Office) -> None:
    async def kill() -> None:
        rig.server.kill()

    async def restart() -> None:
        await asyncio.to_thread(rig.server.start)
        rig.back_after_cool_down()

    stream = await run_stream(rig, office, seed=1, on_fault=kill, on_recover=restart)

    await check_the_aftermath(runtime, rig, office, stream)


async def test_redis_flushed_mid_stream(runtime: Runtime, rig: Rig, office: Office) -> None:
    async def flush() -> None:
        await rig.redis.flushall()

    async def later() -> None:
        rig.back_after_cool_down()

    stream = await run_stream(rig, office, seed=2, on_fault=flush, on_recover=later)

    await check_the_aftermath(runtime, rig, office, stream)


async def test_redis_unreachable_for_the_rest_of_the_stream(runtime: Runtime, rig: Rig, office: Office) -> None:
    async def kill() -> None:
        rig.server.kill()

    stream = await run_stream(rig, office, seed=3, on_fault=kill)
    assert rig.availability.is_dirty  # projections were skipped while it was gone

    await asyncio.to_thread(rig.server.start)
    rig.back_after_cool_down()

    await check_the_aftermath(runtime, rig, office, stream)


async def test_redis_frozen_mid_stream_keeps_its_stale_data_but_it_is_not_served(
    runtime: Runtime, rig: Rig, office: Office
) -> None:
    """SIGSTOP: requests time out (and run late, on SIGCONT) while the loaded floor-days fall behind SQL."""
    assert rig.server._process is not None
    pid = rig.server._process.pid

    async def freeze() -> None:
        os.kill(pid, signal.SIGSTOP)

    async def thaw() -> None:
        os.kill(pid, signal.SIGCONT)
        rig.back_after_cool_down()

    stream = await run_stream(rig, office, seed=4, on_fault=freeze, on_recover=thaw)

    await check_the_aftermath(runtime, rig, office, stream)
