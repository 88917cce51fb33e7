"""Overload at the GraphQL doors (issue 10, item 6): when no database connection can be had, the whole request is
answered 503 with ``Retry-After`` and the code ``BUSY``, never a 500 or a masked "Unexpected error.".

The pool really starves: the app's engine has one connection and no overflow, and the test holds that connection
while the request runs. SQLite's file databases use the same queue pool as PostgreSQL (``AsyncAdaptedQueuePool``),
so the starvation is the same real one on both.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
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
from smartoffice.identity.scopes import Scope
from smartoffice.ids import encode_id
from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from tests.factories import Factory
from tests.support.auth import bearer, issue_token
from tests.support.graphql import operation

STARVED_POOL = {"pool_size": 1, "max_overflow": 0, "pool_timeout": 0.05}
"""One connection, no overflow; a request waits 50 ms for it, then the pool gives up (SQLAlchemy's TimeoutError)."""
BUSY_BODY = {
    "errors": [
        {
            "message": "Too many people are using SmartOffice at this moment. Try again in a few seconds.",
            "extensions": {"code": BUSY_CODE, "retryAfter": RETRY_AFTER_SECONDS},
        }
    ]
}


@pytest.fixture
async def starved_app(
    settings: Settings, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[Litestar, AsyncTestClient]]:
    """An app whose database pool has a single connection (``runtime`` empties the database afterwards)."""

    def starved_engine(url: str, **kwargs: Any) -> AsyncEngine:
        return create_async_engine(url, **{**kwargs, **STARVED_POOL})

    # Under smartoffice.db.create_engine, whatever bounds it passes on (settings.database_pool_*, or none for SQLite)
    monkeypatch.setattr("smartoffice.db.create_async_engine", starved_engine)
    app = create_app(settings)
    async with AsyncTestClient(app=app) as client:
        monkeypatch.undo()  # only the app's runtime starves
        yield app, client


async def bookings(db: Database) -> int:
    async with db.read() as session:
        return int((await session.execute(select(func.count()).select_from(Booking))).scalar_one())


def app_engine(app: Litestar) -> AsyncEngine:
    engine: AsyncEngine = app.state.runtime.db.engine
    return engine


@asynccontextmanager
async def holding_the_only_connection(app: Litestar) -> AsyncIterator[None]:
    """The app's pool's one connection, checked out by the test. The test client runs the app on another event
    loop, where an asyncpg connection made on this one cannot be used: it is closed here, not returned."""
    connection = await app_engine(app).connect()
    try:
        yield
    finally:
        await connection.invalidate()
        await connection.close()


class TestAStarvedPool:
    async def test_a_query_is_answered_busy_not_masked(
        self, starved_app: tuple[Litestar, AsyncTestClient], factory: Factory
    ) -> None:
        app, client = starved_app
        building = await factory.building()
        await factory.floor(building)
        person = await factory.employee()

        async with holding_the_only_connection(app):
            response = await client.post(
                "/graphql", json={"query": operation("Sites")}, headers={"x-demo-employee": str(person.id)}
            )

        assert response.status_code == 503
        assert response.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
        assert response.json() == BUSY_BODY

    async def test_a_mutation_is_answered_busy_and_changes_nothing(
        self, starved_app: tuple[Litestar, AsyncTestClient], factory: Factory, db: Database
    ) -> None:
        app, client = starved_app
        desk, person = await factory.desk(), await factory.employee()
        tomorrow = (datetime.now(UTC).date() + timedelta(days=1)).isoformat()
        variables = {"input": {"deskId": encode_id("Desk", desk.id), "date": tomorrow}}

        async with holding_the_only_connection(app):
            response = await client.post(
                "/graphql",
                json={"query": operation("BookDesk"), "variables": variables},
                headers={"x-demo-employee": str(person.id), "accept-language": "id"},
            )

        assert (response.status_code, response.headers["retry-after"]) == (503, str(RETRY_AFTER_SECONDS))
        [error] = response.json()["errors"]
        assert error["extensions"]["code"] == BUSY_CODE
        assert await bookings(db) == 0
        # and once the connection is free again, the same request is carried out
        retried = await client.post(
            "/graphql",
            json={"query": operation("BookDesk"), "variables": variables},
            headers={"x-demo-employee": str(person.id)},
        )
        assert retried.json()["data"]["bookDesk"]["__typename"] == "BookSuccess"

    async def test_the_token_door_itself_is_answered_busy(
        self, starved_app: tuple[Litestar, AsyncTestClient], factory: Factory, db: Database
    ) -> None:
        """The door reads the token from the database before GraphQL runs: that was a bare 500."""
        app, client = starved_app
        person = await factory.employee()
        secret = await issue_token(db, person.id, Scope.BOOKINGS_READ)

        async with holding_the_only_connection(app):
            response = await client.post("/api/graphql", json={"query": "{ __typename }"}, headers=bearer(secret))

        assert (response.status_code, response.headers["retry-after"]) == (503, str(RETRY_AFTER_SECONDS))
        assert response.json() == BUSY_BODY

    async def test_the_app_has_the_starved_pool_and_the_test_does_not(
        self, starved_app: tuple[Litestar, AsyncTestClient], db: Database
    ) -> None:
        """The experiment's premise: the app's pool holds one connection; the test's own runtime is unaffected."""
        app, _client = starved_app

        pool: Any = app_engine(app).pool
        assert (type(pool).__name__, pool.size(), pool._max_overflow, pool._timeout) == (
            "AsyncAdaptedQueuePool",
            1,
            0,
            0.05,
        )
        assert db.engine.pool.size() != 1
