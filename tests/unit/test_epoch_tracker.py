"""The per-process epoch: cached briefly, read by one request at a time, bumped before serving after a failure."""

import asyncio
from collections.abc import Awaitable

import pytest

from smartoffice.availability.epoch import EPOCH_CACHE_SECONDS, EpochTracker
from tests.support.clock import Clock


class FakeIndex:
    """The two epoch calls of AvailabilityIndex; a GET can be held back to let a test order replies."""

    def __init__(self) -> None:
        self.value = 100
        self.gets = 0
        self.bumps = 0
        self.hold_gets = asyncio.Event()
        self.hold_gets.set()

    async def epoch(self) -> str:
        self.gets += 1
        seen = str(self.value)  # the server answers now...
        await self.hold_gets.wait()  # ...but the reply may reach us late
        return seen

    async def bump_epoch(self) -> str:
        self.bumps += 1
        self.value += 1
        return str(self.value)


async def passthrough(call: Awaitable[str]) -> str:
    return await call


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def index() -> FakeIndex:
    return FakeIndex()


@pytest.fixture
def tracker(index: FakeIndex, clock: Clock) -> EpochTracker:
    return EpochTracker(index, passthrough, clock.monotonic)  # type: ignore[arg-type]


async def test_the_epoch_is_read_once_per_cache_period(tracker: EpochTracker, index: FakeIndex, clock: Clock) -> None:
    assert [await tracker.current(), await tracker.current()] == ["100", "100"]
    assert index.gets == 1

    clock.advance(EPOCH_CACHE_SECONDS)

    assert await tracker.current() == "100"
    assert index.gets == 2


async def test_concurrent_requests_share_one_read(tracker: EpochTracker, index: FakeIndex) -> None:
    index.hold_gets.clear()
    waiting = [asyncio.ensure_future(tracker.current()) for _ in range(10)]
    await asyncio.sleep(0)  # let them all start (scheduling, not timing)
    index.hold_gets.set()

    assert await asyncio.gather(*waiting) == ["100"] * 10
    assert index.gets == 1


async def test_a_failure_makes_the_next_request_bump_the_epoch_once(tracker: EpochTracker, index: FakeIndex) -> None:
    await tracker.current()

    tracker.record_failure()
    assert tracker.is_dirty

    assert await tracker.current() == "101"
    assert await tracker.current() == "101"
    assert (index.bumps, tracker.is_dirty) == (1, False)


async def test_a_late_read_of_the_old_epoch_does_not_undo_a_bump(tracker: EpochTracker, index: FakeIndex) -> None:
    index.hold_gets.clear()
    slow_read = asyncio.ensure_future(tracker.current())  # reads "100", its reply delayed
    await asyncio.sleep(0)
    tracker.record_failure()  # meanwhile a projection fails
    after_failure = asyncio.ensure_future(tracker.current())
    await asyncio.sleep(0)
    index.hold_gets.set()

    assert await slow_read == "100"  # it began before the failure
    assert await after_failure == "101"  # it waited for the slow read, then bumped
    assert await tracker.current() == "101"  # and the cache holds the bump, not the late "100"


async def test_a_rebuild_bump_covers_earlier_failures(tracker: EpochTracker, index: FakeIndex) -> None:
    tracker.record_failure()

    assert await tracker.bump() == "101"

    assert not tracker.is_dirty
    assert await tracker.current() == "101"
    assert index.bumps == 1
