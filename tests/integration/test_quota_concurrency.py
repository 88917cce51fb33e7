"""The 64-racer test with seat quotas (issue 12, part 7): 64 people of one ministry race for 64 different desks
under a quota of 10. Exactly 10 win, 54 are refused with QUOTA_FULL, nothing else goes wrong; on SQLite and on
PostgreSQL (``SMARTOFFICE_DATABASE_URL``), through the index and without it."""

import asyncio
from datetime import time, timedelta

import pytest
from sqlalchemy import func, select

from smartoffice.bookings.models import ACTIVE_STATUSES, Booking
from smartoffice.bookings.requests import BookDeskRequest
from smartoffice.bookings.service import BookingService
from smartoffice.busy import busy_from
from smartoffice.errors import BookingConflict, DomainError
from smartoffice.quotas.models import SeatQuota
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.bookings import overlapping_pairs, unprojected
from tests.support.clock import DAY, Clock, at, install_clock

RACERS, SEATS, ROUNDS = 64, 10, 3
RETRIES = 5


async def race(service: BookingService, attempts: list[tuple[int, BookDeskRequest]]) -> list[str | BaseException]:
    """Each racer's outcome: ``booked``, ``conflict`` or a refusal's code. A racer answered "busy" (no pooled
    connection became free in time: 64 racers share 30 connections, and a loaded CI machine can starve them) does what
    a client does with the 503, it tries again; the busy answer changed nothing (``smartoffice.busy``)."""

    async def attempt(employee_id: int, request: BookDeskRequest) -> str:
        for tries in range(RETRIES):
            try:
                await service.book(employee_id, request)
            except BookingConflict:
                return "conflict"
            except DomainError as error:
                return error.code
            except Exception as error:
                if busy_from(error) is None or tries == RETRIES - 1:
                    raise
                continue
            return "booked"
        raise AssertionError("unreachable")

    return list(await asyncio.gather(*(attempt(e, r) for e, r in attempts), return_exceptions=True))


@pytest.mark.parametrize("index", ["index", "no index"])
async def test_64_people_of_one_ministry_race_for_64_desks_under_a_quota_of_10(
    runtime: Runtime, factory: Factory, monkeypatch: pytest.MonkeyPatch, index: str
) -> None:
    clock = install_clock(runtime, monkeypatch, Clock(at(DAY - timedelta(days=4), 8)))
    service = runtime.bookings if index == "index" else unprojected(runtime)
    service.clock = clock
    ministry = await factory.organisation()
    units = [await factory.unit(ministry) for _ in range(4)]
    floor = await factory.floor()
    desks = [await factory.desk(floor) for _ in range(RACERS)]
    people = [await factory.employee(units[n % 4]) for n in range(RACERS)]
    async with runtime.db.write() as session:
        session.add(SeatQuota(organisation_id=ministry.id, floor_id=floor.id, weekday=DAY.isoweekday(), seats=SEATS))

    for round_number in range(ROUNDS):
        day = DAY + timedelta(days=7 * round_number)  # a Tuesday each round: the quota binds every one
        requests = [BookDeskRequest(d.id, day, time(8), time(17)) for d in desks]

        results = await race(service, list(zip([p.id for p in people], requests, strict=True)))

        others = [r for r in results if r not in ("booked", "QUOTA_FULL")]
        assert (results.count("booked"), results.count("QUOTA_FULL"), others) == (SEATS, RACERS - SEATS, [])
    async with runtime.db.read() as session:
        per_day = (
            await session.execute(
                select(func.count(func.distinct(Booking.employee_id)))
                .where(Booking.status.in_(ACTIVE_STATUSES))
                .group_by(Booking.start_at)
            )
        ).scalars()
        assert list(per_day) == [SEATS] * ROUNDS  # 0 quota overruns
    assert await overlapping_pairs(runtime.db) == 0  # 0 double bookings
