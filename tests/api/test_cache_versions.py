"""The caches' version tokens are read once per HTTP request, all in one MGET (smartoffice.cache_versions), and
that changes nothing they promise: a change committed in the request is seen by its next read, Redis down means
SQL, a lost token becomes a new one."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from redis.asyncio import Redis
from sqlalchemy import func, update

from smartoffice.availability.breaker import CircuitBreaker
from smartoffice.cache_versions import read_version, request_versions
from smartoffice.ids import encode_id
from smartoffice.people.present import PRESENT_VERSION_KEY
from smartoffice.places.layout import LAYOUT_VERSION_KEY
from smartoffice.places.models import Floor
from smartoffice.runtime import Runtime, redis_client
from tests.factories import Factory
from tests.support.graphql import GraphQL
from tests.support.statements import statements

BUILDING_FLOORS = """
query($id: ID!) { node(id: $id) { ... on Building { floors { id name planVersion deskOrder } } } }
"""


@contextmanager
def redis_commands(redis: Redis, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[Any, ...]]]:
    """Every command ``redis`` sends inside the block (its name and keys)."""
    sent: list[tuple[Any, ...]] = []
    execute = redis.execute_command

    async def counting(*args: Any, **options: Any) -> Any:
        sent.append(args)
        return await execute(*args, **options)

    with monkeypatch.context() as patch:
        patch.setattr(redis, "execute_command", counting)
        yield sent


def version_reads(sent: list[tuple[Any, ...]]) -> list[str]:
    """The commands among ``sent`` that read a cache's version, by name."""
    reads = []
    for command, *keys in sent:
        flat = [k for key in keys for k in (key if isinstance(key, list) else [key])]
        if command in ("GET", "MGET") and any(str(k).endswith("-version") for k in flat):
            reads.append(command)
    return reads


async def test_a_request_reads_every_cache_version_in_one_round_trip(
    client: AsyncTestClient, graphql: GraphQL, factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: a building of three floors, whose floors' fields each need the layout (and the door the present people)
    building = await factory.building()
    floors = [await factory.floor(building, level=level) for level in (1, 2, 3)]
    for floor in floors:
        await factory.desk(floor)
    me = await factory.employee()
    app_redis = client.app.state.runtime.redis
    variables = {"id": encode_id("Building", building.id)}
    await graphql(BUILDING_FLOORS, variables, as_employee=me.id)  # warm
    # when
    with redis_commands(app_redis, monkeypatch) as sent:
        body = await graphql(BUILDING_FLOORS, variables, as_employee=me.id)
    # then
    assert [f["name"] for f in body["data"]["node"]["floors"]] == [f.name for f in floors]
    assert version_reads(sent) == ["MGET"], sent


async def test_outside_a_request_each_read_is_its_own(runtime: Runtime, factory: Factory) -> None:
    floor = await factory.floor()
    await factory.desk(floor)
    with redis_commands(runtime.redis, pytest.MonkeyPatch()) as sent:
        await runtime.layouts.get(floor.id)
        await runtime.layouts.get(floor.id)
    assert len(version_reads(sent)) == 2


async def test_a_change_committed_in_the_request_is_seen_by_its_next_read(runtime: Runtime, factory: Factory) -> None:
    floor = await factory.floor(name="Lantai Lama")
    await factory.desk(floor)
    with request_versions():
        before = await read_version(runtime.redis, CircuitBreaker(), LAYOUT_VERSION_KEY)
        assert (await runtime.layouts.get(floor.id)).name == "Lantai Lama"
        async with runtime.db.write() as session:
            await session.execute(update(Floor).where(Floor.id == floor.id).values(name="Lantai Baru"))
        after = await read_version(runtime.redis, CircuitBreaker(), LAYOUT_VERSION_KEY)
        assert after is not None and after != before
        assert (await runtime.layouts.get(floor.id)).name == "Lantai Baru"


async def test_a_version_bumped_elsewhere_is_not_seen_until_the_next_request(runtime: Runtime, redis: Redis) -> None:
    """The point of the scheme, and why it is safe: a request keeps the tokens it read first (see the module)."""
    breaker = CircuitBreaker()
    with request_versions():
        first = await read_version(runtime.redis, breaker, PRESENT_VERSION_KEY)
        await redis.set(PRESENT_VERSION_KEY, "bumped-by-another-process")
        assert await read_version(runtime.redis, breaker, PRESENT_VERSION_KEY) == first
    with request_versions():
        assert await read_version(runtime.redis, breaker, PRESENT_VERSION_KEY) == "bumped-by-another-process"


async def test_redis_down_in_a_request_means_sql_and_nothing_kept(runtime: Runtime, factory: Factory) -> None:
    dead = redis_client("redis://127.0.0.1:1/0")
    try:
        with request_versions():
            assert await read_version(dead, CircuitBreaker(), LAYOUT_VERSION_KEY) is None
            # the live Redis is asked afresh: nothing was kept for the request while the other could not say
            assert await read_version(runtime.redis, CircuitBreaker(), LAYOUT_VERSION_KEY) is not None
    finally:
        await dead.aclose()


async def test_a_lost_version_becomes_a_new_one_in_a_request(runtime: Runtime, redis: Redis) -> None:
    await redis.delete(LAYOUT_VERSION_KEY)
    with request_versions():
        token = await read_version(runtime.redis, CircuitBreaker(), LAYOUT_VERSION_KEY)
    stored = await redis.get(LAYOUT_VERSION_KEY)
    assert token is not None and stored is not None and stored.decode() == token


BUILDING_FLOORS_AND_HOURS = """
query($id: ID!) {
  node(id: $id) { ... on Building { floors { id level planVersion } openingHours { weekday opens closes } } }
}
"""


async def test_a_buildings_floors_and_hours_come_from_the_cached_layouts(
    client: AsyncTestClient, graphql: GraphQL, factory: Factory, runtime: Runtime
) -> None:
    # given a building of two floors, open Monday to Friday, read once
    building = await factory.building(opening_hours={str(d): ["07:00", "19:00"] for d in range(1, 6)})
    lower, upper = await factory.floor(building, level=1), await factory.floor(building, level=2)
    me = await factory.employee()
    variables = {"id": encode_id("Building", building.id)}
    await graphql(BUILDING_FLOORS_AND_HOURS, variables, as_employee=me.id)
    # when it is read again
    with statements(client.app.state.runtime.db) as seen:
        body = await graphql(BUILDING_FLOORS_AND_HOURS, variables, as_employee=me.id)
    # then its floors were not read from SQL, and the building once (``node`` itself), not again for its hours
    node = body["data"]["node"]
    assert [f["id"] for f in node["floors"]] == [encode_id("Floor", f.id) for f in (lower, upper)]
    assert all(f["planVersion"] for f in node["floors"])
    assert [(h["weekday"], h["opens"]) for h in node["openingHours"]][:2] == [(1, "07:00:00"), (2, "07:00:00")]
    assert not [s for s in seen if "FROM floors" in s], seen
    assert len([s for s in seen if "FROM buildings" in s]) == 1, seen

    # and a floor added (by another process) shows on the next read, a floor retired leaves it
    basement = await factory.floor(building, level=0)
    body = await graphql(BUILDING_FLOORS_AND_HOURS, variables, as_employee=me.id)
    assert [f["id"] for f in body["data"]["node"]["floors"]] == [
        encode_id("Floor", f.id) for f in (basement, lower, upper)
    ]
    async with runtime.db.write() as session:  # this test's process: the app sees it through the version
        await session.execute(update(Floor).where(Floor.id == upper.id).values(retired_at=func.now()))
    body = await graphql(BUILDING_FLOORS_AND_HOURS, variables, as_employee=me.id)
    assert [f["id"] for f in body["data"]["node"]["floors"]] == [encode_id("Floor", f.id) for f in (basement, lower)]


FLOOR_PLAN_FIELDS = """query($id: ID!) { node(id: $id) { ... on Floor { planImageUrl planVersion } } }"""
FLOOR_DESK_ORDER = """query($id: ID!) { node(id: $id) { ... on Floor { deskOrder } } }"""


async def test_a_retired_floors_layout_fields_answer_without_a_layout(
    graphql: GraphQL, factory: Factory, runtime: Runtime
) -> None:
    # given a floor with a desk, read, then retired
    floor = await factory.floor()
    await factory.desk(floor)
    me = await factory.employee()
    variables = {"id": encode_id("Floor", floor.id)}
    live = (await graphql(FLOOR_PLAN_FIELDS, variables, as_employee=me.id))["data"]["node"]
    async with runtime.db.write() as session:
        await session.execute(update(Floor).where(Floor.id == floor.id).values(retired_at=func.now()))
    # when
    plan = await graphql(FLOOR_PLAN_FIELDS, variables, as_employee=me.id)
    order = await graphql(FLOOR_DESK_ORDER, variables, as_employee=me.id)
    # then: no plan shown, the plan editor's version, and no desk order (the one field that needs the layout)
    assert plan["data"]["node"] == {"planImageUrl": None, "planVersion": live["planVersion"]}
    assert [(e["path"], e["extensions"]["code"]) for e in order["errors"]] == [(["node", "deskOrder"], "NOT_FOUND")]
