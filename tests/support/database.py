"""The tests' database: which URL to reach it by, engines for test plumbing, and emptying it between tests.

CI's PostgreSQL pass goes through PgBouncer (transaction pooling), the production topology:
``SMARTOFFICE_DATABASE_URL`` points at PgBouncer and ``SMARTOFFICE_DATABASE_PGBOUNCER=1``. Every engine opened on
that URL must then be built for PgBouncer (``create_engine(url, pgbouncer=True)``, or ``Database.from_settings``).
``SMARTOFFICE_TEST_DIRECT_DATABASE_URL`` names the same database reached directly, for what goes around PgBouncer
in production too (migrations) and for tests that need PostgreSQL itself (a role's connection limit).
"""

import os

import pytest
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from smartoffice.db import Database, create_engine
from smartoffice.models import Base

PGBOUNCER_VARIABLE = "SMARTOFFICE_DATABASE_PGBOUNCER"
DIRECT_URL_VARIABLE = "SMARTOFFICE_TEST_DIRECT_DATABASE_URL"


def is_pgbouncer_run() -> bool:
    """Whether this run's ``SMARTOFFICE_DATABASE_URL`` points at PgBouncer."""
    return os.environ.get(PGBOUNCER_VARIABLE, "").strip().lower() in ("1", "true", "yes", "on")


def direct_url(url: str) -> str:
    """``url``'s database without PgBouncer in between (``url`` itself when the run does not use PgBouncer)."""
    return (os.environ.get(DIRECT_URL_VARIABLE) or url) if is_pgbouncer_run() else url


def plumbing_engine(url: str) -> AsyncEngine:
    """An engine on ``url`` for test plumbing (seeding, emptying), built for PgBouncer when the run uses it."""
    return create_engine(url, pgbouncer=is_pgbouncer_run())


async def empty_database(url: str, redis: Redis) -> None:
    """Delete every row but the reference data the migrations insert, and flush Redis."""
    engine = plumbing_engine(url)
    async with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # One round trip (the simple query protocol runs the script in one implicit transaction) instead of
            # one per table: ~55 DELETEs through PgBouncer were ~0.1 s of every test's teardown.
            raw = await conn.get_raw_connection()
            await raw.driver_connection.execute(_postgres_script())  # type: ignore[union-attr]
        else:
            for table in reversed(Base.metadata.sorted_tables):
                if table.name == "booking_rules":  # keep the defaults the migration inserted (reference data)
                    await conn.execute(table.delete().where(table.c.building_id.is_not(None)))
                elif table.name == "audit_entries":
                    await _empty_append_only(conn)
                else:
                    await conn.execute(table.delete())
    await engine.dispose()
    await redis.flushdb()


def _postgres_script() -> str:
    statements = []
    for table in reversed(Base.metadata.sorted_tables):
        if table.name == "booking_rules":  # keep the defaults the migration inserted (reference data)
            statements.append("DELETE FROM booking_rules WHERE building_id IS NOT NULL")
        elif table.name == "audit_entries":  # append-only (migration 0010): row triggers do not fire on TRUNCATE
            statements.append("TRUNCATE audit_entries")
        else:
            statements.append(f'DELETE FROM "{table.name}"')
    return ";\n".join(statements)


async def _empty_append_only(conn: AsyncConnection) -> None:
    """The audit log refuses DELETE (migration 0010's trigger): on SQLite it is emptied around the trigger."""
    await conn.execute(text("DROP TRIGGER audit_entries_no_delete"))
    await conn.execute(text("DELETE FROM audit_entries"))
    await conn.execute(
        text(
            "CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries "
            "BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END"
        )
    )


async def second_connection_refusal(engine: AsyncEngine) -> DBAPIError:
    """What the server answers when ``engine`` opens a second connection while its first is held (a role's or
    PgBouncer's connection limit of one); the engine is disposed afterwards."""
    db = Database(engine)
    try:
        async with db.read() as holder:
            await holder.execute(text("SELECT 1"))
            with pytest.raises(DBAPIError) as raised:
                async with db.read() as session:
                    await session.execute(text("SELECT 1"))
    finally:
        await db.dispose()
    return raised.value
