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
from sqlalchemy.ext.asyncio import AsyncEngine

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
    """Delete every row but the reference data the migrations insert, and flush Redis.

    One round trip either way: one script, one transaction (~60 DELETEs one by one were most of a short test's
    teardown, through PgBouncer or aiosqlite's thread)."""
    engine = plumbing_engine(url)
    async with engine.begin() as conn:
        raw = await conn.get_raw_connection()
        if conn.dialect.name == "postgresql":
            # the simple query protocol runs the script in one implicit transaction
            await raw.driver_connection.execute(_postgres_script())  # type: ignore[union-attr]
        else:
            # executescript commits what is open first, then runs the script, which holds its own transaction
            await raw.driver_connection.executescript(_sqlite_script())  # type: ignore[union-attr]
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


def _sqlite_script() -> str:
    """The audit log refuses DELETE (migration 0010's trigger): on SQLite it is emptied around the trigger."""
    statements = ["BEGIN IMMEDIATE"]
    for table in reversed(Base.metadata.sorted_tables):
        if table.name == "booking_rules":  # keep the defaults the migration inserted (reference data)
            statements.append("DELETE FROM booking_rules WHERE building_id IS NOT NULL")
        elif table.name == "audit_entries":
            statements += ["DROP TRIGGER audit_entries_no_delete", "DELETE FROM audit_entries", AUDIT_TRIGGER]
        else:
            statements.append(f'DELETE FROM "{table.name}"')
    return ";\n".join([*statements, "COMMIT"]) + ";"


AUDIT_TRIGGER = (
    "CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries "
    "BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END"
)
"""Migration 0010's trigger, as it creates it on SQLite."""


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
