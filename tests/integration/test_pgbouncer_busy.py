"""Through a real PgBouncer in transaction pooling mode: the asyncpg settings it needs, and its refusals as busy.

Each test runs its own tiny PgBouncer (tests/support/pgbouncer.py) in front of the tests' PostgreSQL.
"""

from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from smartoffice.busy import ServiceBusy, busy_from
from smartoffice.db import Database, create_engine
from tests.support.database import second_connection_refusal
from tests.support.pgbouncer import PGBOUNCER, running_pgbouncer


@pytest.fixture
def server_url(direct_database_url: str, is_postgres: bool) -> str:
    if not is_postgres:
        pytest.skip("PgBouncer is PostgreSQL's connection pooler")
    if PGBOUNCER is None:
        pytest.skip("pgbouncer is not installed (.ci/run installs Debian's package)")
    return direct_database_url


@pytest.fixture
def two_servers_url(server_url: str) -> Iterator[str]:
    with running_pgbouncer(server_url, default_pool_size=2) as url:
        yield url


@pytest.mark.parametrize("said_by", ["argument", "url"])
async def test_statements_survive_a_change_of_server_connection(two_servers_url: str, said_by: str) -> None:
    """Under transaction pooling a client's next transaction may run on another server connection (and another
    client's statements may be there): nothing prepared may be reused by name across transactions."""
    # given a client (a replica's engine) that ran a statement on PgBouncer's server connection B, while another
    # client held server connection A
    if said_by == "url":  # as every tool given only SMARTOFFICE_DATABASE_URL gets it
        db = Database(create_engine(f"{two_servers_url}?pgbouncer=true"))
    else:
        db = Database(create_engine(two_servers_url, pgbouncer=True))
    others = [create_engine(two_servers_url, pgbouncer=True) for _ in range(2)]
    query = text("SELECT pg_backend_pid() + 0 * length(:name)")
    try:
        holding_a = await others[0].connect()
        a = await holding_a.scalar(text("SELECT pg_backend_pid()"))
        async with db.read() as session:
            b = await session.scalar(query, {"name": "x"})
            await holding_a.close()  # A is released first, B last: PgBouncer reuses them last in, first out
        # when B is then taken by a third client
        async with others[1].connect() as holding_b:
            assert await holding_b.scalar(text("SELECT pg_backend_pid()")) == b
            # then the client's next transaction runs the same statement on A (with a statement cache it would
            # be "prepared statement ... does not exist" there)
            async with db.read() as session:
                assert await session.scalar(query, {"name": "y"}) == a != b
    finally:
        for engine in (db.engine, *others):
            await engine.dispose()


async def test_pgbouncer_refusing_a_client_over_max_client_conn_is_busy(server_url: str) -> None:
    with running_pgbouncer(server_url, max_client_conn=1) as url:
        # given PgBouncer's only client slot is taken, when a second connection is opened
        refusal = await second_connection_refusal(create_engine(url, pgbouncer=True, pool_size=5, max_overflow=0))
    # then PgBouncer's refusal is busy
    assert "no more connections allowed" in str(refusal)
    assert isinstance(busy_from(refusal), ServiceBusy)


async def test_pgbouncer_queue_timing_out_is_busy(server_url: str) -> None:
    with running_pgbouncer(server_url, default_pool_size=1, query_wait_timeout=1) as url:
        # given PgBouncer's only server connection is held by a long transaction
        holder_db = Database(create_engine(url, pgbouncer=True))
        waiter_db = Database(create_engine(url, pgbouncer=True))
        try:
            async with holder_db.read() as holder:
                await holder.execute(text("SELECT 1"))
                # when another client's transaction waits in PgBouncer's queue past query_wait_timeout
                with pytest.raises(DBAPIError) as raised:
                    async with waiter_db.read() as session:
                        await session.execute(text("SELECT 1"))
        finally:
            await holder_db.dispose()
            await waiter_db.dispose()
    # then PgBouncer's answer is busy
    assert "query_wait_timeout" in str(raised.value)
    assert isinstance(busy_from(raised.value), ServiceBusy)
