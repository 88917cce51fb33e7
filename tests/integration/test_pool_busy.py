"""When no database connection can be had, the database layer raises what ``busy_from`` answers as busy.

Each case is the real failure of a real database at its limit: the pool waited ``database_pool_timeout`` out,
PostgreSQL refused a connection over a connection limit, SQLite's write lock stayed taken past ``busy_timeout``.
(PgBouncer's refusals: test_pgbouncer_busy.py. The HTTP answer, 503 + Retry-After: the API's tests.)
"""

from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from smartoffice.busy import ServiceBusy, busy_from
from smartoffice.db import SQLITE_BEGIN_OPTION, Database, create_engine
from smartoffice.settings import Settings
from tests.support.database import second_connection_refusal


@pytest.fixture
def postgres_only(is_postgres: bool) -> None:
    if not is_postgres:
        pytest.skip("connection pool bounds and connection limits are PostgreSQL's")


@pytest.mark.usefixtures("postgres_only")
async def test_the_pool_is_sized_by_the_settings(settings: Settings) -> None:
    db = Database.from_settings(
        replace(settings, database_pool_size=3, database_max_overflow=4, database_pool_timeout=1.5)
    )
    try:
        pool = db.engine.pool
        assert (pool.size(), pool.timeout(), pool._max_overflow) == (3, 1.5, 4)  # type: ignore[attr-defined]
    finally:
        await db.dispose()


@pytest.mark.usefixtures("postgres_only")
async def test_a_request_finding_the_pool_exhausted_is_answered_busy(settings: Settings) -> None:
    # given a process whose only connection is in use
    db = Database.from_settings(
        replace(settings, database_pool_size=1, database_max_overflow=0, database_pool_timeout=0.1)
    )
    try:
        async with db.read() as holder:
            await holder.execute(text("SELECT 1"))
            # when another unit of work needs a connection
            with pytest.raises(PoolTimeout) as raised:
                async with db.read() as session:
                    await session.execute(text("SELECT 1"))
    finally:
        await db.dispose()
    # then it gives up after database_pool_timeout with what busy_from calls busy
    assert isinstance(busy_from(raised.value), ServiceBusy)


@pytest.fixture
async def one_connection_url(direct_database_url: str, postgres_only: None) -> AsyncIterator[str]:
    """The tests' database as a role that PostgreSQL lets open a single connection."""
    url = make_url(direct_database_url)
    role = f"{url.database}_one_connection"
    admin = create_engine(direct_database_url)
    async with admin.begin() as conn:
        await conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        await conn.execute(text(f'CREATE ROLE "{role}" LOGIN CONNECTION LIMIT 1'))
    try:
        yield url.set(username=role).render_as_string(hide_password=False)
    finally:
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        await admin.dispose()


async def test_postgresql_refusing_a_connection_over_its_limit_is_busy(one_connection_url: str) -> None:
    # given the role's one connection is taken, when a second unit of work opens a connection
    refusal = await second_connection_refusal(create_engine(one_connection_url, pool_size=5, max_overflow=0))
    # then PostgreSQL's refusal ("too many connections for role") is busy, not a fault
    assert "too many connections" in str(refusal)
    assert isinstance(busy_from(refusal), ServiceBusy)


async def test_sqlite_write_lock_held_past_busy_timeout_is_busy(tmp_path: Path) -> None:
    # given one writer holds SQLite's write lock, and another connection that will not wait for it
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'locked.sqlite3'}")
    writing = {SQLITE_BEGIN_OPTION: "IMMEDIATE"}
    try:
        async with engine.connect() as holder, engine.connect() as other:
            await (await holder.execution_options(**writing)).begin()
            await holder.execute(text("CREATE TABLE t (x INTEGER)"))
            await other.exec_driver_sql("PRAGMA busy_timeout=0")  # the 30 s wait, cut short
            await other.commit()
            # when the other starts a write transaction
            with pytest.raises(DBAPIError) as raised:
                await (await other.execution_options(**writing)).begin()
    finally:
        await engine.dispose()
    # then SQLite's "database is locked" is busy: the transaction wrote nothing and may be retried
    assert "database is locked" in str(raised.value)
    assert isinstance(busy_from(raised.value), ServiceBusy)
