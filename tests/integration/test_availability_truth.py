"""A property: over random closures (every level, any times), booking rules, holidays, weekday hours, assigned and
released desks and existing bookings, a desk the floor availability shows FREE for the whole day is exactly a
desk `validateBookDesk` accepts for the whole day; and the Redis index and SQL agree on the bookings.

Service level (what GraphQL and the floor page call: ``AvailabilityService.floor_day`` + ``truth``), one event
loop and one runtime for the whole test, the world emptied between examples (as ``test_booking_model`` does).
"""

import asyncio
import contextlib
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from datetime import time, timedelta
from typing import Any, TypeVar

import hypothesis
import pytest
from hypothesis import strategies as st
from sqlalchemy import update

from smartoffice.availability.service import SpaceStatus, packed_with
from smartoffice.availability.slots import LocalDay
from smartoffice.bookings.requests import BookDeskRequest
from smartoffice.errors import DomainError
from smartoffice.places.models import DeskRelease, Space, SpaceKind
from smartoffice.runtime import Runtime, open_runtime
from smartoffice.settings import Settings
from smartoffice.workcalendar.models import CalendarOverride, DayKind
from tests.factories import Factory
from tests.support.clock import DAY, Clock, at
from tests.support.database import empty_database

T = TypeVar("T")

DESKS = 4
ZONE_OF = (0, 1, 1, None)
"""The desks' zones (by index into the floor's two zones)."""
LEVELS = ("site", "building", "floor", "zone0", "zone1", "desk0", "desk1", "desk3", "other_floor")

SETTINGS = hypothesis.settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[hypothesis.HealthCheck.too_slow, hypothesis.HealthCheck.function_scoped_fixture],
)


@dataclass(frozen=True)
class ClosureSpec:
    level: str
    start_hour: int
    """Hours from the day's local midnight (negative: the day before)."""
    hours: int


@dataclass(frozen=True)
class World:
    opening: str
    """``all``: the building's usual hours; ``short``: its own hours that weekday; ``closed``: closed that weekday."""
    closed_on_holidays: bool
    holiday: bool
    buffer_minutes: int
    bookable: tuple[bool, ...]
    assigned: tuple[bool, ...]
    released: tuple[bool, ...]
    viewer_is_owner: bool
    bookings: tuple[tuple[int, int, int], ...]
    """(desk, start hour, end hour) booked by others before the closures and rules were set."""
    closures: tuple[ClosureSpec, ...]


edges = st.sampled_from((-12, 6, 7, 8, 9, 15, 16, 18, 19, 20))
"""Hours near the buildings' opening and closing (07–19, or 09–15), where the buffer and overlaps matter."""
closures = st.builds(
    ClosureSpec,
    level=st.sampled_from(LEVELS),
    start_hour=st.one_of(edges, st.integers(-6, 22)),
    hours=st.integers(1, 12),
)
mostly_true = st.sampled_from((True, True, True, False))
flags = st.lists(st.booleans(), min_size=DESKS, max_size=DESKS).map(tuple)
bookings = st.tuples(st.integers(0, DESKS - 1), st.integers(7, 17), st.integers(1, 4)).map(
    lambda b: (b[0], b[1], min(19, b[1] + b[2]))
)
worlds = st.builds(
    World,
    opening=st.sampled_from(("all", "all", "short", "closed")),
    closed_on_holidays=st.booleans(),
    holiday=st.sampled_from((False, False, True)),
    buffer_minutes=st.sampled_from((0, 60)),
    bookable=st.lists(mostly_true, min_size=DESKS, max_size=DESKS).map(tuple),
    assigned=flags,
    released=flags,
    viewer_is_owner=st.booleans(),
    bookings=st.lists(bookings, max_size=3).map(tuple),
    closures=st.lists(closures, max_size=3).map(tuple),
)


class Harness:
    def __init__(self, runner: asyncio.Runner, runtime: Runtime, settings: Settings) -> None:
        self.runner = runner
        self.runtime = runtime
        self.settings = settings

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return self.runner.run(coroutine)


@pytest.fixture
def harness(settings: Settings) -> Iterator[Harness]:
    with asyncio.Runner(loop_factory=asyncio.new_event_loop) as runner:  # not pytest-asyncio's loop: ours alone
        opened = open_runtime(settings, Clock())  # 06:00 WITA on DAY: the whole of DAY is bookable
        runtime = runner.run(opened.__aenter__())
        harness = Harness(runner, runtime, settings)
        try:
            yield harness
        finally:
            runner.run(empty_database(settings.resolved_database_url, runtime.redis))
            runner.run(opened.__aexit__(None, None, None))


async def build(runtime: Runtime, world: World) -> tuple[int, list[int], int]:
    """The world; returns the floor's id, its desks' ids and the viewer's id."""
    factory = Factory(runtime.db)
    weekday = str(DAY.isoweekday())
    hours = {
        "all": None,
        "short": {weekday: ["09:00", "15:00"]},
        "closed": {str(d): ["07:00", "19:00"] for d in range(1, 8) if str(d) != weekday},
    }[world.opening]
    site = await factory.site()
    building = await factory.building(site)
    floor, other_floor = await factory.floor(building), await factory.floor(building)
    zones = [await factory.zone(floor), await factory.zone(floor)]
    owner, viewer = await factory.employee(), await factory.employee()
    desks = [
        await factory.desk(floor, code=f"D{i}", zone_id=zones[z].id if z is not None else None)
        for i, z in enumerate(ZONE_OF)
    ]
    # bookings by others first: the rules, closures and assignments below may come after them
    for index, start, end in world.bookings:
        other = await factory.employee()
        with contextlib.suppress(DomainError):  # e.g. overlapping another generated booking
            await runtime.bookings.book_desk(other.id, BookDeskRequest(desks[index].id, DAY, time(start), time(end)))
    await factory.booking_rule(
        building, SpaceKind.DESK, closed_on_holidays=world.closed_on_holidays, buffer_minutes=world.buffer_minutes
    )
    async with runtime.db.write() as session:
        await session.execute(
            update(type(building)).where(type(building).id == building.id).values(opening_hours=hours)
        )
        for desk, bookable, assigned, released in zip(
            desks, world.bookable, world.assigned, world.released, strict=True
        ):
            values: dict[str, Any] = {"bookable": bookable}
            if assigned:
                values["assigned_employee_id"] = owner.id
            await session.execute(update(Space).where(Space.id == desk.id).values(**values))
            if assigned and released:
                session.add(DeskRelease(space_id=desk.id, day=DAY, released_by_id=owner.id))
        if world.holiday:
            session.add(CalendarOverride(day=DAY, kind=DayKind.PUBLIC_HOLIDAY, name="Hari Libur Uji"))
    scopes = {
        "site": {"site_id": site.id},
        "building": {"building_id": building.id},
        "floor": {"floor_id": floor.id},
        "zone0": {"zone_id": zones[0].id},
        "zone1": {"zone_id": zones[1].id},
        "desk0": {"space_id": desks[0].id},
        "desk1": {"space_id": desks[1].id},
        "desk3": {"space_id": desks[3].id},
        "other_floor": {"floor_id": other_floor.id},
    }
    midnight = at(DAY, 0)
    for spec in world.closures:
        start = midnight + timedelta(hours=spec.start_hour)
        await factory.closure(
            f"Tutup {spec.level}", **scopes[spec.level], start_at=start, end_at=start + timedelta(hours=spec.hours)
        )
    return floor.id, [d.id for d in desks], owner.id if world.viewer_is_owner else viewer.id


async def observe(runtime: Runtime, floor_id: int, desk_ids: list[int], viewer_id: int) -> None:
    layout = await runtime.layouts.get(floor_id)
    local_day = LocalDay(DAY, layout.building.time_zone)
    indexed = await runtime.availability.floor_day(floor_id, layout.building.time_zone, DAY, use_index=True)
    from_sql = await runtime.availability.floor_day(floor_id, layout.building.time_zone, DAY, use_index=False)
    assert indexed.slots == from_sql.slots  # the index and SQL agree on the bookings
    truth = await runtime.availability.truth(layout, DAY, viewer_id)
    window = truth.slots(local_day)  # as the floor page and GraphQL read it
    for _ in range(2):  # the floor-day's facts cached beside the layout (loaded, then reused) say the same
        cached = await runtime.availability.truth(layout, DAY, viewer_id, layouts=runtime.layouts)
        assert {d: (u.reason, u.code) for d, u in cached.desks.items()} == {
            d: (u.reason, u.code) for d, u in truth.desks.items()
        }
    packed = packed_with(indexed.packed(desk_ids, window), desk_ids, truth)
    for index, desk_id in enumerate(desk_ids):
        why = truth.of(desk_id)
        status = SpaceStatus.UNAVAILABLE if why else indexed.status(desk_id, window)
        try:
            await runtime.bookings.validate(viewer_id, BookDeskRequest(desk_id, DAY))
            answer = "OK"
        except DomainError as refused:
            answer = refused.code
        shown = f"desk {index}: {status} ({why.reason if why else '-'}), booking says {answer}"
        assert (status == SpaceStatus.FREE) == (answer == "OK"), shown
        assert (packed[index] == "F") == (answer == "OK"), shown
        if why is not None:
            expected = {
                "not_bookable": "NOT_BOOKABLE",
                "closed_weekday": "CLOSED_THAT_WEEKDAY",
                "holiday": "CLOSED_HOLIDAY",
                "closed": "CLOSED",
                "assigned": "DESK_ASSIGNED",
            }[why.reason]
            assert answer == expected, shown


@SETTINGS
@hypothesis.given(world=worlds)
@hypothesis.example(  # found by hypothesis: a booking right after closing, inside the changeover buffer
    world=World(
        opening="short",
        closed_on_holidays=False,
        holiday=False,
        buffer_minutes=60,
        bookable=(True,) * DESKS,
        assigned=(False,) * DESKS,
        released=(False,) * DESKS,
        viewer_is_owner=False,
        bookings=((0, 15, 16),),
        closures=(),
    )
)
def test_free_on_the_floor_is_exactly_what_booking_accepts(harness: Harness, world: World) -> None:
    try:
        floor_id, desk_ids, viewer_id = harness.run(build(harness.runtime, world))
        harness.run(observe(harness.runtime, floor_id, desk_ids, viewer_id))
    finally:
        harness.run(empty_database(harness.settings.resolved_database_url, harness.runtime.redis))
        harness.runtime.layouts.clear()
