"""Racing bookings: the database, not our pre-check, decides. Exactly one winner per desk and time."""

import asyncio
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.bookings.requests import BookRoomRequest
from smartoffice.bookings.service import BookDeskRequest, BookingService, is_overlap_violation
from smartoffice.db import Database
from smartoffice.errors import BookingConflict
from smartoffice.places.models import SpaceKind
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.bookings import overlapping_pairs, unprojected
from tests.support.clock import tomorrow

RACERS = 32
ROUNDS, ROUND_RACERS = 20, 64


async def race(
    runtime: Runtime,
    attempts: list[tuple[int, BookDeskRequest | BookRoomRequest]],
    bookings: BookingService | None = None,
) -> tuple[int, int, list[BaseException]]:
    service = bookings or runtime.bookings

    async def attempt(employee_id: int, request: BookDeskRequest | BookRoomRequest) -> str:
        try:
            await service.book(employee_id, request)
        except BookingConflict:
            return "conflict"
        return "booked"

    results = await asyncio.gather(*(attempt(e, r) for e, r in attempts), return_exceptions=True)
    others = [r for r in results if isinstance(r, BaseException)]
    return results.count("booked"), results.count("conflict"), others


async def test_many_people_race_for_one_desk(runtime: Runtime, factory: Factory) -> None:
    desk = await factory.desk()
    people = [await factory.employee() for _ in range(RACERS)]

    booked, conflicts, others = await race(runtime, [(p.id, BookDeskRequest(desk.id, tomorrow())) for p in people])

    assert (booked, conflicts, others) == (1, RACERS - 1, [])
    assert await overlapping_pairs(runtime.db) == 0


@pytest.mark.parametrize("kind", [SpaceKind.DESK, SpaceKind.ROOM])
@pytest.mark.parametrize("index", ["index", "no index"])
async def test_64_clients_race_for_one_slot_round_after_round(
    runtime: Runtime, factory: Factory, kind: SpaceKind, index: str
) -> None:
    """Issue 3's proof: 64 racers per round, exactly one winner each, and nothing else goes wrong.

    With the index, its holds turn most losers away early; without it (its breaker open, as when Redis is down)
    all 64 meet in the database at once, which is where PostgreSQL once answered deadlocks instead of conflicts.
    """
    bookings = runtime.bookings if index == "index" else unprojected(runtime)
    floor = await factory.floor()
    people = [await factory.employee() for _ in range(ROUND_RACERS)]
    for round_number in range(ROUNDS if index == "index" else ROUNDS // 2):
        space = await (factory.desk(floor) if kind == SpaceKind.DESK else factory.room(floor, capacity=4))
        start = time(7 + round_number % 10, 0)
        end = time(start.hour + 1, 0)

        requests: list[BookDeskRequest | BookRoomRequest] = [
            BookDeskRequest(space.id, tomorrow(), start, end)
            if kind == SpaceKind.DESK
            else BookRoomRequest(space.id, tomorrow(), start, end, attendee_count=2)
            for _ in people
        ]
        # Desks: each person may hold one desk at a time, so every round uses another hour.
        attempts = list(zip([p.id for p in people], requests, strict=True))
        booked, conflicts, others = await race(runtime, attempts, bookings)

        assert (booked, conflicts, others) == (1, ROUND_RACERS - 1, []), f"round {round_number}"
    assert await overlapping_pairs(runtime.db) == 0


async def test_one_person_races_for_many_desks(runtime: Runtime, factory: Factory) -> None:
    floor = await factory.floor()
    desks = [await factory.desk(floor) for _ in range(RACERS)]
    person = await factory.employee()

    booked, conflicts, others = await race(
        runtime, [(person.id, BookDeskRequest(d.id, tomorrow(), time(9), time(12))) for d in desks]
    )

    assert (booked, conflicts, others) == (1, RACERS - 1, [])
    assert await overlapping_pairs(runtime.db) == 0


async def test_partly_overlapping_windows_race(runtime: Runtime, factory: Factory) -> None:
    desk = await factory.desk()
    people = [await factory.employee() for _ in range(RACERS)]
    # Windows 09:00-11:00, 09:15-11:15, ...: every pair within 2 hours overlaps.
    starts = [time(9 + (15 * n) // 60, (15 * n) % 60) for n in range(8)]
    attempts = [
        (p.id, BookDeskRequest(desk.id, tomorrow(), s, time(s.hour + 2, s.minute)))
        for p, s in zip(people, starts * 4, strict=True)
    ]

    booked, _conflicts, others = await race(runtime, attempts)

    assert others == []
    assert booked >= 1
    assert await overlapping_pairs(runtime.db) == 0


@pytest.mark.parametrize("clash", ["same_space", "same_person_two_desks"])
async def test_the_database_refuses_overlaps_even_without_the_service(
    db: Database, factory: Factory, clash: str
) -> None:
    """Defence in depth: exclusion constraints (PostgreSQL) or triggers (SQLite) refuse a raw overlapping insert."""
    floor = await factory.floor()
    desk_a, desk_b = await factory.desk(floor), await factory.desk(floor)
    first, second = await factory.employee(), await factory.employee()
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)

    def row(desk_id: int, employee_id: int, offset_hours: int) -> Booking:
        return Booking(
            space_id=desk_id,
            space_kind=SpaceKind.DESK,
            employee_id=employee_id,
            booked_by_id=employee_id,
            start_at=start + timedelta(hours=offset_hours),
            end_at=start + timedelta(hours=offset_hours + 3),
            blocks_until=start + timedelta(hours=offset_hours + 3),
            status=BookingStatus.BOOKED,
        )

    async with db.write() as session:
        session.add(row(desk_a.id, first.id, 0))
    clashing = row(desk_a.id, second.id, 2) if clash == "same_space" else row(desk_b.id, first.id, 2)

    with pytest.raises(IntegrityError) as caught:
        async with db.write() as session:
            session.add(clashing)

    assert is_overlap_violation(caught.value)
    assert await overlapping_pairs(db) == 0


async def test_naive_datetimes_are_refused(db: Database, factory: Factory) -> None:
    desk, person = await factory.desk(), await factory.employee()
    naive = datetime(2030, 1, 1, 9, 0)  # noqa: DTZ001  (the point of the test)
    with pytest.raises(Exception, match="naive datetime"):
        async with db.write() as session:
            session.add(
                Booking(
                    space_id=desk.id,
                    space_kind=SpaceKind.DESK,
                    employee_id=person.id,
                    booked_by_id=person.id,
                    start_at=naive,
                    end_at=naive + timedelta(hours=1),
                    blocks_until=naive + timedelta(hours=1),
                )
            )
            await session.flush()
