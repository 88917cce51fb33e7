"""The per-process floor layout cache: served from memory while the layout version in Redis stands, reloaded
when any process commits a change to places, when Redis loses the version, and never trusted without Redis."""

import pytest
from redis.asyncio import Redis
from sqlalchemy import text, update

from smartoffice.availability.breaker import CircuitBreaker
from smartoffice.demo import seed_demo
from smartoffice.errors import NotFound
from smartoffice.places.layout import LAYOUT_VERSION_KEY, FloorLayoutCache, bump_layout_version
from smartoffice.places.models import Floor, Space
from smartoffice.runtime import Runtime, redis_client
from tests.factories import Factory
from tests.support.statements import statements


def other_process(runtime: Runtime) -> FloorLayoutCache:
    """A cache as another app process holds it: its own entries, the same database and Redis."""
    return FloorLayoutCache(runtime.db, runtime.redis, CircuitBreaker())


async def test_a_floor_is_read_from_sql_once_then_from_memory(runtime: Runtime, factory: Factory) -> None:
    # given
    floor = await factory.floor()
    desk = await factory.desk(floor, code="A01", amenities=["monitor"])
    await factory.room(floor, code="R01")
    cache = other_process(runtime)
    # when
    with statements(runtime.db) as queries:
        first = await cache.get(floor.id)
        loads = len(queries)
        second = await cache.get(floor.id)
    # then
    assert loads > 0 and len(queries) == loads, queries
    assert second is first
    assert [d.id for d in first.desks] == [desk.id]
    assert first.desks[0].amenities == ("monitor",)
    assert [s.code for s in first.spaces] == ["A01", "R01"]
    assert first.building.time_zone == "Asia/Makassar"


async def test_a_desk_added_through_one_process_is_seen_by_another(runtime: Runtime, factory: Factory) -> None:
    # given: another process has the floor cached
    floor = await factory.floor()
    await factory.desk(floor, code="A01")
    cache = other_process(runtime)
    before = await cache.get(floor.id)
    # when: this process adds a desk (an ORM write: the commit bumps the layout version)
    await factory.desk(floor, code="A02")
    # then
    after = await cache.get(floor.id)
    assert [d.code for d in before.desks] == ["A01"]
    assert [d.code for d in after.desks] == ["A01", "A02"]
    assert after.desk_order != before.desk_order


async def test_a_bulk_update_of_places_bumps_the_version(runtime: Runtime, factory: Factory) -> None:
    # given
    floor = await factory.floor()
    desk = await factory.desk(floor, code="A01")
    cache = other_process(runtime)
    await cache.get(floor.id)
    # when: an ORM-enabled UPDATE statement, not a flush
    async with runtime.db.write() as session:
        await session.execute(update(Space).where(Space.id == desk.id).values(code="B01"))
    # then
    assert [d.code for d in (await cache.get(floor.id)).desks] == ["B01"]


async def test_writes_outside_places_keep_the_version(runtime: Runtime, factory: Factory, redis: Redis) -> None:
    # given
    floor = await factory.floor()
    await other_process(runtime).get(floor.id)
    version = await redis.get(LAYOUT_VERSION_KEY)
    # when
    await factory.employee()
    # then
    assert version is not None and await redis.get(LAYOUT_VERSION_KEY) == version


async def test_raw_sql_changes_are_seen_once_the_version_is_bumped(runtime: Runtime, factory: Factory) -> None:
    # given: a change the ORM cannot see (a script, another tool), which must bump the version itself
    floor = await factory.floor(name="Lantai 1")
    cache = other_process(runtime)
    await cache.get(floor.id)
    async with runtime.db.write() as session:
        await session.execute(text("UPDATE floors SET name = 'Lantai Satu' WHERE id = :id"), {"id": floor.id})
    assert (await cache.get(floor.id)).name == "Lantai 1"  # the documented contract: no bump, no news
    # when
    await bump_layout_version(runtime.redis)
    # then
    assert (await cache.get(floor.id)).name == "Lantai Satu"


async def test_a_lost_version_in_redis_invalidates_every_entry(
    runtime: Runtime, factory: Factory, redis: Redis
) -> None:
    # given
    floor = await factory.floor(name="Lantai 1")
    cache = other_process(runtime)
    await cache.get(floor.id)
    async with runtime.db.write() as session:
        await session.execute(text("UPDATE floors SET name = 'Lantai Satu' WHERE id = :id"), {"id": floor.id})
    # when: Redis restarts empty
    await redis.flushdb()
    # then
    assert (await cache.get(floor.id)).name == "Lantai Satu"
    assert await redis.get(LAYOUT_VERSION_KEY) is not None


async def test_without_redis_layouts_come_from_sql_and_are_not_cached(runtime: Runtime, factory: Factory) -> None:
    # given: a process whose Redis is unreachable
    floor = await factory.floor(name="Lantai 1")
    dead = redis_client("redis://127.0.0.1:1/0")
    try:
        cache = FloorLayoutCache(runtime.db, dead, CircuitBreaker())
        first = await cache.get(floor.id)
        async with runtime.db.write() as session:
            await session.execute(update(Floor).where(Floor.id == floor.id).values(name="Lantai Satu"))
        # when
        second = await cache.get(floor.id)
    finally:
        await dead.aclose()
    # then
    assert (first.name, second.name) == ("Lantai 1", "Lantai Satu")


async def test_a_missing_floor_is_not_found_and_not_cached(runtime: Runtime, factory: Factory) -> None:
    cache = other_process(runtime)
    with pytest.raises(NotFound):
        await cache.get(2_000_000)
    assert not cache._entries


async def test_seeding_the_demo_bumps_the_version(runtime: Runtime, redis: Redis) -> None:
    # given
    await redis.set(LAYOUT_VERSION_KEY, "before")
    # when
    await seed_demo(runtime.db)
    # then
    assert await redis.get(LAYOUT_VERSION_KEY) not in (None, b"before")
