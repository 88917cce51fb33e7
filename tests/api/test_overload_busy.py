"""Overload deep inside an operation (issue 17): the two answers the benchmark saw masked as "Unexpected error." on
2026-12-04 — ``buildingOccupancy { building { floors } }`` and a SQL-only ``availabilityPacked`` — are the typed
503 ``BUSY`` with ``Retry-After`` when the database pool is exhausted at exactly the read that met it then.

The pool really starves: the app's engine has one connection, no overflow and a 50 ms wait, and the test takes that
connection (on the app's own event loop, as a concurrent request would) at the moment the read in question asks
for one: the building's floor list (read once per layout version, then kept beside the floor layouts), and the
SQL-only floor-day read. Earlier reads of the same request (the demo
identity, the report, the layout) get the connection; only that read does not. SQLite's file databases use the same
queue pool (``AsyncAdaptedQueuePool``), so this runs on both databases.
"""

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from smartoffice.app import create_app
from smartoffice.bookings.models import Booking
from smartoffice.busy import BUSY_CODE, RETRY_AFTER_SECONDS
from smartoffice.db import Database
from smartoffice.ids import encode_id
from smartoffice.people.models import Role
from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from tests.factories import Factory
from tests.support.clock import next_weekday
from tests.support.graphql import operation

STARVED_POOL = {"pool_size": 1, "max_overflow": 0, "pool_timeout": 0.05}
BUSY_MESSAGE = "Too many people are using SmartOffice at this moment. Try again in a few seconds."

OCCUPANCY_WITH_FLOORS = """query OccupancyWithFloors($buildingId: ID!, $from: Date!, $to: Date!) {
  buildingOccupancy(buildingId: $buildingId, from: $from, to: $to) {
    __typename
    ... on BuildingOccupancy { desks building { id floors { id name } openingHours { weekday opens } } }
    ... on Error { message }
  }
}"""
"""What the benchmark's (e) row asks (the building with its floors and hours beside the figures)."""


@asynccontextmanager
async def starved_app(settings: Settings) -> AsyncIterator[tuple[Litestar, AsyncTestClient]]:
    """An app whose database pool has a single connection (whatever bounds smartoffice.db passes on); the engine
    is made when the app starts, so only the app's runtime starves."""

    def starved_engine(url: str, **kwargs: Any) -> AsyncEngine:
        return create_async_engine(url, **{**kwargs, **STARVED_POOL})

    app = create_app(settings)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("smartoffice.db.create_async_engine", starved_engine)
        client = AsyncTestClient(app=app)
        await client.__aenter__()
    try:
        yield app, client
    finally:
        await client.__aexit__(None, None, None)


@pytest.fixture
async def indexed(settings: Settings, runtime: Runtime) -> AsyncIterator[tuple[Litestar, AsyncTestClient]]:
    # `runtime` is requested so the database is emptied after the test.
    async with starved_app(settings) as app_and_client:
        yield app_and_client


@pytest.fixture
async def sql_only(settings: Settings, runtime: Runtime) -> AsyncIterator[tuple[Litestar, AsyncTestClient]]:
    async with starved_app(replace(settings, availability_index=False)) as app_and_client:
        yield app_and_client


def pool_taken_during(app: Litestar, owner: object, method: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """While ``owner.method`` runs in the app, the pool's only connection is held by someone else; returns a list
    that records each such call (the experiment's premise: the starved read is the one that ran)."""
    original: Callable[..., Awaitable[Any]] = getattr(owner, method)
    engine: AsyncEngine = app.state.runtime.db.engine
    calls: list[str] = []

    async def starved(*args: Any, **kwargs: Any) -> Any:
        calls.append(method)
        connection = await engine.connect()  # what a concurrent request holds
        try:
            return await original(*args, **kwargs)
        finally:
            await connection.close()

    monkeypatch.setattr(owner, method, starved)
    return calls


def assert_busy(response: Any) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
    assert response.json() == {
        "errors": [{"message": BUSY_MESSAGE, "extensions": {"code": BUSY_CODE, "retryAfter": RETRY_AFTER_SECONDS}}]
    }


async def test_building_occupancy_whose_floors_loader_finds_the_pool_exhausted_is_answered_busy(
    indexed: tuple[Litestar, AsyncTestClient], factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a facilities manager of a building with floors, and the pool taken when the floors are loaded
    app, client = indexed
    site = await factory.site()
    building = await factory.building(site)
    await factory.floor(building)
    manager = await factory.employee()
    await factory.role(manager, Role.FACILITIES_MANAGER, site_id=site.id)
    starved = pool_taken_during(app, app.state.runtime.layouts, "building_floor_ids", monkeypatch)
    today = datetime.now(UTC).date()
    variables = {"buildingId": encode_id("Building", building.id), "from": today.isoformat(), "to": today.isoformat()}

    # when
    response = await client.post(
        "/graphql",
        json={"query": OCCUPANCY_WITH_FLOORS, "variables": variables},
        headers={"x-demo-employee": str(manager.id)},
    )

    # then the whole request is refused busy, typed, not masked
    assert starved == ["building_floor_ids"]
    assert_busy(response)


async def test_sql_only_packed_availability_whose_floor_day_read_finds_the_pool_exhausted_is_answered_busy(
    sql_only: tuple[Litestar, AsyncTestClient], factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a floor with a desk, the index off, and the pool taken when the floor-day is read from SQL
    app, client = sql_only
    floor = await factory.floor()
    await factory.desk(floor)
    person = await factory.employee()
    starved = pool_taken_during(app, app.state.runtime.availability, "floor_day", monkeypatch)
    tomorrow = (datetime.now(UTC).date() + timedelta(days=1)).isoformat()
    variables = {"floorId": encode_id("Floor", floor.id), "date": tomorrow}

    # when
    response = await client.post(
        "/graphql",
        json={"query": operation("FloorAvailabilityPacked"), "variables": variables},
        headers={"x-demo-employee": str(person.id)},
    )

    # then
    assert starved == ["floor_day"]
    assert app.state.runtime.availability.read_index is False
    assert_busy(response)


async def test_a_booking_carried_out_before_the_pool_ran_dry_is_not_answered_nothing_was_done(
    indexed: tuple[Litestar, AsyncTestClient], factory: Factory, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """503 BUSY tells the client that nothing was done and the same request may be sent again. ``bookDesk`` commits
    before its answer's ``desk`` is loaded: the pool running dry there must not turn a booking made into "busy",
    or a client that trusts it books twice (or meets its own booking as a conflict)."""
    # given the pool taken when the booked desk is loaded for the answer, after the booking's transaction
    app, client = indexed
    desk, person = await factory.desk(), await factory.employee()
    tomorrow = (datetime.now(UTC).date() + timedelta(days=1)).isoformat()
    variables = {"input": {"deskId": encode_id("Desk", desk.id), "date": tomorrow}}
    starved = pool_taken_during(app, app.state.runtime.places, "by_id", monkeypatch)

    # when
    response = await client.post(
        "/graphql",
        json={"query": operation("BookDesk"), "variables": variables},
        headers={"x-demo-employee": str(person.id)},
    )

    # then the booking was made, and the answer says so: its id, and the desk left out with a typed BUSY error
    assert "by_id" in starved
    assert await live_bookings(db) == 1
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["data"]["bookDesk"]["__typename"] == "BookSuccess"
    assert body["data"]["bookDesk"]["booking"]["id"]
    assert body["data"]["bookDesk"]["booking"]["desk"] is None
    assert [(e["extensions"]["code"], e["extensions"]["committed"]) for e in body["errors"]] == [(BUSY_CODE, True)]
    assert body["errors"][0]["path"] == ["bookDesk", "booking", "desk"]


BOOK_ROOM_WITH_ATTENDEES = """mutation BookRoomWithAttendees($input: BookRoomInput!) {
  bookRoom(input: $input) { __typename ... on BookSuccess { booking { id attendees { id } } } }
}"""
"""A booking's answer with a non-null field read after the commit (``attendees: [Employee!]!``)."""


async def test_a_booking_whose_non_null_answer_field_met_the_overload_is_answered_committed_not_busy(
    indexed: tuple[Litestar, AsyncTestClient], factory: Factory, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the field that failed is non-null, GraphQL nulls the whole answer: there is no data left to show that
    the booking was made. The request's own commit says so instead: 200, the errors coded ``BUSY`` and marked
    ``committed`` (do not send it again), never the 503 that means "nothing was done"."""
    # given the pool taken when the room booking's attendees are loaded for the answer, after its transaction
    app, client = indexed
    room, person = await factory.room(), await factory.employee()
    variables = {
        "input": {
            "roomId": encode_id("MeetingRoom", room.id),
            "date": next_weekday(1).isoformat(),
            "startTime": "09:00",
            "endTime": "10:00",
        }
    }
    starved = pool_taken_during(app, app.state.runtime.bookings, "attendees_of", monkeypatch)

    # when
    response = await client.post(
        "/graphql",
        json={"query": BOOK_ROOM_WITH_ATTENDEES, "variables": variables},
        headers={"x-demo-employee": str(person.id)},
    )

    # then the booking was made, and the answer says the change was committed although its data is gone
    assert starved == ["attendees_of"]
    assert await live_bookings(db) == 1
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["data"] is None
    assert [(e["extensions"]["code"], e["extensions"]["committed"]) for e in body["errors"]] == [(BUSY_CODE, True)]


async def live_bookings(db: Database) -> int:
    async with db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(Booking)) or 0)
