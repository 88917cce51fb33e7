"""An empty database upgraded to head matches the models, and the guarantees the models cannot express exist."""

import warnings
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect, text

from smartoffice.db import create_engine
from smartoffice.migrations import downgrade, upgrade
from smartoffice.models import Base


def _diff(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    with warnings.catch_warnings():
        # SQLite cannot reflect expression indexes (uq_role_assignments_grant), so Alembic skips it there with a
        # warning; PostgreSQL compares it, and test_role_grant_races.py checks the index exists on both.
        warnings.filterwarnings("ignore", message=".*expression-based index.*uq_role_assignments_grant")
        return compare_metadata(context, Base.metadata)


async def test_upgraded_schema_matches_the_models(database_url: str) -> None:
    engine = create_engine(database_url)
    async with engine.connect() as connection:
        differences = await connection.run_sync(_diff)
    await engine.dispose()
    assert differences == []


async def test_overlap_guards_exist(database_url: str, is_postgres: bool) -> None:
    engine = create_engine(database_url)
    async with engine.connect() as connection:
        if is_postgres:
            query = "SELECT conname FROM pg_constraint WHERE contype = 'x' ORDER BY conname"
        else:
            query = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'trg_bookings%' ORDER BY name"
        names = list((await connection.execute(text(query))).scalars())
    await engine.dispose()
    expected_pg = ["ex_bookings_person_desk_overlap", "ex_bookings_space_overlap"]
    expected_sqlite = ["trg_bookings_no_overlap_insert", "trg_bookings_no_overlap_update"]
    assert names == (expected_pg if is_postgres else expected_sqlite)


async def test_downgrade_to_base_and_upgrade_again(tmp_path: Any) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'roundtrip.sqlite3'}")
    await upgrade(engine)
    await downgrade(engine, "base")
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
    assert tables == ["alembic_version"]
    await upgrade(engine)
    await engine.dispose()
