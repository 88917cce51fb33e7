"""On SQLite a write transaction takes the write lock at BEGIN, before its overlap check reads anything."""

import sqlite3

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from smartoffice.db import Database


async def test_write_transactions_begin_immediate(db: Database, database_url: str) -> None:
    if not db.is_sqlite:
        pytest.skip("PostgreSQL arbitrates with exclusion constraints, not a write lock")
    path = make_url(database_url).database
    assert path is not None
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        async with db.read() as session:
            await session.execute(text("SELECT 1"))
            other.execute("BEGIN IMMEDIATE")  # a deferred reader does not hold the write lock
            other.execute("ROLLBACK")

        async with db.write() as session:
            await session.execute(text("SELECT 1"))
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
    finally:
        other.close()
