"""Room search reads the room booking rule and the working calendar from the process's policy-facts cache
(``policies/shared_facts.py``; with the runtime's floor-layout version, from the room search's own cache of each
building's rooms and day facts): a holiday or a rule change made through one app process is seen by every other's
next search (two runtimes on one database and one Redis, as two workers), and Redis down reads them from SQL."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from smartoffice.bookings.errors import BookingInputCode
from smartoffice.bookings.room_search import RoomQuery, RoomSearchService
from smartoffice.errors import InvalidInput
from smartoffice.places.layout import FloorLayoutCache
from smartoffice.places.models import Space, SpaceKind
from smartoffice.policies.cache import VersionedCache
from smartoffice.policies.shared_facts import PolicyFacts
from smartoffice.runtime import Runtime
from smartoffice.workcalendar.models import DayKind
from tests.factories import Factory
from tests.support.policies import Team, build_team
from tests.support.statements import statements


@pytest.fixture
async def team(factory: Factory) -> Team:
    return await build_team(factory)


def next_wednesday() -> date:
    """A working day inside every booking horizon, not today (whatever the clock says)."""
    today = datetime.now(UTC).date()
    return today + timedelta(days=(2 - today.weekday()) % 7 or 7)


async def test_a_holiday_set_in_one_process_closes_the_rooms_in_another(
    runtime: Runtime, other: Runtime, team: Team, factory: Factory
) -> None:
    # given a room, searched once in the second process (the calendar is now in its memory)
    floor = await factory.floor()
    room = await factory.room(floor)
    day = next_wednesday()
    query = RoomQuery(floor.building_id, day, time(10), time(11))
    assert [r.id for r in await other.room_search.free_rooms(query)] == [room.id]
    with statements(other.db) as seen:
        assert [r.id for r in await other.room_search.free_rooms(query)] == [room.id]
    assert not [s for s in seen if "FROM calendar_overrides" in s]  # the calendar came from the cache

    # when the first process makes the day a holiday
    await runtime.work_calendar.set_override(team.admin.id, day, DayKind.PUBLIC_HOLIDAY, "Libur daerah")

    # then the second process's next search sees it (rooms close on holidays), and sees it lifted
    assert await other.room_search.free_rooms(query) == []
    found = await other.room_search.search(query, None)
    assert found is not None and found.rooms[0].refusal is not None
    await runtime.work_calendar.remove_override(team.admin.id, day)
    assert [r.id for r in await other.room_search.free_rooms(query)] == [room.id]


async def test_a_room_rule_changed_in_one_process_is_seen_by_another(
    runtime: Runtime, other: Runtime, factory: Factory
) -> None:
    # given a room, searched twice in the second process (its rule is now in its memory)
    building = await factory.building()
    floor = await factory.floor(building)
    room = await factory.room(floor)
    query = RoomQuery(floor.building_id, next_wednesday(), time(10), time(11))
    assert [r.id for r in await other.room_search.free_rooms(query)] == [room.id]
    with statements(other.db) as seen:
        assert [r.id for r in await other.room_search.free_rooms(query)] == [room.id]
    assert not [s for s in seen if "FROM booking_rules" in s]  # the rule came from the cache

    # when the first process gives the building a room rule that books no day ahead
    await factory.booking_rule(building, SpaceKind.ROOM, max_days_in_advance=0)

    # then the second process's next search refuses the room for it
    found = await other.room_search.search(query, None)
    assert found is not None and not found.offered
    refusal = found.rooms[0].refusal
    assert isinstance(refusal, InvalidInput) and refusal.code == BookingInputCode.TOO_FAR_AHEAD.name


async def test_without_redis_the_calendar_is_read_from_sql(runtime: Runtime, team: Team, factory: Factory) -> None:
    # given a process whose Redis is unreachable (its breaker open)
    facts = runtime.policies.facts
    assert facts is not None
    cache = facts.cache
    down = VersionedCache(cache.redis, cache.breaker, version_key=cache.version_key, models=())
    down.version = _unknown  # type: ignore[method-assign]
    search = RoomSearchService(runtime.db, facts=PolicyFacts(down))
    floor = await factory.floor()
    await factory.room(floor)
    day = next_wednesday()
    query = RoomQuery(floor.building_id, day, time(10), time(11))
    assert len(await search.free_rooms(query)) == 1

    # when the day becomes a holiday
    await runtime.work_calendar.set_override(team.admin.id, day, DayKind.PUBLIC_HOLIDAY, "Libur daerah")

    # then every search reads it from SQL
    with statements(runtime.db) as seen:
        assert await search.free_rooms(query) == []
    assert [s for s in seen if "FROM calendar_overrides" in s]


async def _unknown() -> None:
    return None


async def test_a_room_or_closure_changed_in_one_process_is_seen_by_another(
    runtime: Runtime, other: Runtime, factory: Factory
) -> None:
    """The building's rooms and the day's closures are kept in the second process's memory under the layout
    version (``RoomSearchService``'s cache): a committed change in the first process bumps it."""
    # given two rooms, searched twice in the second process (rooms and closures are now in its memory)
    floor = await factory.floor()
    small = await factory.room(floor, capacity=4)
    large = await factory.room(floor, capacity=10)
    day = next_wednesday()
    query = RoomQuery(floor.building_id, day, time(10), time(11))
    assert [r.id for r in await other.room_search.free_rooms(query)] == [small.id, large.id]
    with statements(other.db) as seen:
        assert [r.id for r in await other.room_search.free_rooms(query)] == [small.id, large.id]
    assert not [s for s in seen if "FROM spaces" in s or "FROM closures" in s]  # both came from the cache

    # when the first process closes the small room that morning
    start = datetime.combine(day, time(0), UTC)
    await factory.closure(space_id=small.id, start_at=start, end_at=start + timedelta(days=1))
    # then the second process's next search no longer offers it
    assert [r.id for r in await other.room_search.free_rooms(query)] == [large.id]

    # when the first process retires the large room
    async with runtime.db.write() as session:
        row = await session.get(Space, large.id)
        assert row is not None
        row.retired_at = datetime.now(UTC)
    # then the second process's next search does not show it at all
    found = await other.room_search.search(query, None)
    assert found is not None and [r.room.id for r in found.rooms] == [small.id]


async def test_without_redis_the_rooms_are_read_from_sql(runtime: Runtime, factory: Factory) -> None:
    # given a process whose Redis is unreachable (no layout version)
    layouts = FloorLayoutCache(runtime.db, runtime.layouts.redis, runtime.layouts.breaker)
    layouts.version = _unknown  # type: ignore[method-assign]
    search = RoomSearchService(runtime.db, layouts=layouts)
    floor = await factory.floor()
    room = await factory.room(floor)
    query = RoomQuery(floor.building_id, next_wednesday(), time(10), time(11))
    assert [r.id for r in await search.free_rooms(query)] == [room.id]

    # then every search reads the rooms from SQL
    with statements(runtime.db) as seen:
        assert [r.id for r in await search.free_rooms(query)] == [room.id]
    assert [s for s in seen if "FROM spaces" in s]
