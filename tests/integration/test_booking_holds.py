"""The write path's Redis hold: a lost race is answered before the write transaction, the index never refuses alone.

``BookingService.book`` holds the requested slots in the index first. These tests watch ``Database.write`` to see
whether the write transaction opened, and use the index directly to plant stale holds.
"""

from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.availability.service import HoldStatus
from smartoffice.bookings.requests import BookDeskRequest
from smartoffice.errors import BookingConflict, ConflictKind
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.clock import at, days_ahead

WITA = "Asia/Makassar"


@pytest.fixture
def write_count(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Counts the write transactions the runtime's database opens."""
    opened = [0]
    real_write = runtime.db.write

    def counting_write(*args: Any, **kwargs: Any) -> AbstractAsyncContextManager[AsyncSession]:
        @asynccontextmanager
        async def counted() -> AsyncIterator[AsyncSession]:
            opened[0] += 1
            async with real_write(*args, **kwargs) as session:
                yield session

        return counted()

    monkeypatch.setattr(runtime.db, "write", counting_write)
    yield opened


async def test_a_desk_the_index_shows_taken_is_refused_without_a_write_transaction(
    runtime: Runtime, factory: Factory, write_count: list[int]
) -> None:
    desk = await factory.desk()
    first, second = await factory.employee(), await factory.employee()
    day = days_ahead(1)
    await runtime.availability.floor_day(desk.floor_id, WITA, day)  # loaded and current: holds are possible
    before = write_count[0]
    await runtime.bookings.book_desk(first.id, BookDeskRequest(desk.id, day))
    assert write_count[0] == before + 1

    with pytest.raises(BookingConflict) as caught:
        await runtime.bookings.book_desk(second.id, BookDeskRequest(desk.id, day))
    assert [c.kind for c in caught.value.conflicts] == [ConflictKind.SPACE_TAKEN]
    assert write_count[0] == before + 1, "the lost race queued for the write lock"


async def test_a_stale_hold_never_refuses_a_free_desk(runtime: Runtime, factory: Factory) -> None:
    desk, person = await factory.desk(), await factory.employee()
    day = days_ahead(1)
    await runtime.availability.floor_day(desk.floor_id, WITA, day)
    # A hold whose transaction never came (its process died): the index says TAKEN until the TTL.
    stale = await runtime.availability.hold(desk.id, desk.floor_id, WITA, at(day, 6), at(day, 20))
    assert stale.status == HoldStatus.HELD

    booking = await runtime.bookings.book_desk(person.id, BookDeskRequest(desk.id, day))
    assert booking.id is not None


async def test_a_failed_transaction_gives_its_hold_back(runtime: Runtime, factory: Factory) -> None:
    floor = await factory.floor()
    desk, other_desk = await factory.desk(floor), await factory.desk(floor)
    person, colleague = await factory.employee(), await factory.employee()
    day = days_ahead(1)
    await runtime.availability.floor_day(floor.id, WITA, day)
    await runtime.bookings.book_desk(person.id, BookDeskRequest(other_desk.id, day))

    with pytest.raises(BookingConflict) as caught:  # the desk is free, the person is not: held, then refused
        await runtime.bookings.book_desk(person.id, BookDeskRequest(desk.id, day))
    assert [c.kind for c in caught.value.conflicts] == [ConflictKind.PERSON_ALREADY_BOOKED]

    whole_day = (at(day, 7), at(day, 19))  # the factory building's opening hours
    assert (await runtime.availability.hold(desk.id, floor.id, WITA, *whole_day)).status == HoldStatus.HELD
    await runtime.bookings.book_desk(colleague.id, BookDeskRequest(desk.id, day))
