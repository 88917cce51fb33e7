"""A fresh database for a scale tier: created (PostgreSQL) or a new file (SQLite), migrated, and seeded in bulk.

Places, people and activity come from the demo's generators (:data:`smartoffice.demo.TIERS`: tier S *is* the
demo; :mod:`smartoffice.activity`): S and M get the demo's 8 weeks of history and 2 weeks ahead around today. Tier L
gets a year of it instead (~13 million bookings), from the same generator with each person's office days drawn
once for an ordinary week (``ActivityGenerator(weekly=False)``). On PostgreSQL, M's and L's go in through binary
``COPY`` (asyncpg's ``copy_records_to_table``) into a ``bookings`` table stripped of its secondary indexes and
constraints, which are rebuilt afterwards in one pass each; rebuilding the exclusion constraints re-proves that the
generated rows never double-book a desk or a person.
"""

import asyncio
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import asyncpg
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import make_url

from smartoffice.activity import BOOKING_COLUMNS, WORK_DAY_COLUMNS, ActivityGenerator, activity_range, load_world
from smartoffice.activity.desks import BookingRecord
from smartoffice.activity.generate import WorkDayRecord
from smartoffice.db import Database, is_sqlite
from smartoffice.demo import TIERS, Tier, activity_row_count, demo_row_count, seed_demo
from smartoffice.migrations import upgrade
from smartoffice.people.models import Employee, Role, RoleAssignment
from smartoffice.places.models import Site

BOOKING_YEAR_DAYS = 365
"""Tier L: bookings from a year before today to two weeks after it."""


class BenchSetupError(Exception):
    """The benchmark cannot run as asked (a message for the user, not a bug)."""


@dataclass(frozen=True)
class SeedReport:
    tier: str
    desks: int
    employees: int
    bookings: int
    seconds: float
    reused: bool = False


def check_tier(tier: Tier, database_url: str) -> None:
    if tier.name == "L" and is_sqlite(database_url):
        raise BenchSetupError(
            "tier L (100,000 staff, ~13 million bookings) needs PostgreSQL: pass "
            "--database-url postgresql+asyncpg://user@host/smartoffice_bench_l"
        )


async def prepare_database(url: str, *, reset: bool, reuse: bool) -> bool:
    """Create the PostgreSQL database if missing and migrate it; returns True when it already holds data.

    A database with data is refused unless ``reset`` (its ``public`` schema is dropped) or ``reuse`` (kept as it is).
    """
    if not is_sqlite(url):
        await _create_postgres_database(url)
    db = Database.from_url(url)
    try:
        has_data = await _has_sites(db)
        if has_data and reset:
            if db.is_sqlite:
                raise BenchSetupError("--reset is for PostgreSQL; a SQLite benchmark uses a new file each run")
            async with db.engine.begin() as conn:
                await conn.execute(text("DROP SCHEMA public CASCADE"))
                await conn.execute(text("CREATE SCHEMA public"))
            has_data = False
        elif has_data and not reuse:
            raise BenchSetupError(
                f"{make_url(url).render_as_string(hide_password=True)} already holds data: pass --reset to wipe "
                "it and seed again, or --reuse to benchmark it as it is"
            )
        await upgrade(db.engine)
        return has_data
    finally:
        await db.dispose()


async def _has_sites(db: Database) -> bool:
    async with db.engine.connect() as conn:
        has_table = await conn.run_sync(lambda sync: sync.dialect.has_table(sync, "sites"))
        if not has_table:
            return False
        return bool(await conn.scalar(select(func.count()).select_from(Site)))


def asyncpg_dsn(url: str, database: str | None = None) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    if database is not None:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


async def _create_postgres_database(url: str) -> None:
    name = make_url(url).database
    if not name:
        raise BenchSetupError("the database URL names no database")
    conn = await asyncpg.connect(asyncpg_dsn(url, "postgres"))
    try:
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def seed_tier(url: str, tier: Tier, *, today: date, show_progress: bool = True) -> SeedReport:
    """Seed places and people of ``tier`` with their activity around ``today`` (for L, a year of bookings) into
    the migrated, empty database."""
    started = datetime.now(UTC)
    # On PostgreSQL, M's and L's bookings go in by COPY into a stripped table once places and people are in; S (the
    # demo, also on SQLite) and M on SQLite get theirs from seed_demo itself.
    by_copy = not is_sqlite(url) and tier.name != "S"
    total = demo_row_count(tier) + (0 if by_copy else activity_row_count(tier))
    with Progress(
        TextColumn("[bold]seeding tier {task.fields[tier]}[/] {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        disable=not show_progress,
    ) as progress:
        task = progress.add_task("places and people", total=total, tier=tier.name)

        def advance(table: str, rows: int) -> None:
            progress.update(task, advance=rows, description=table)

        db = Database.from_url(url)
        try:
            summary = await seed_demo(db, tier=tier, today=None if by_copy else today, progress=advance)
            await _grant_report_reader(db)
            if not db.is_sqlite and not by_copy:  # the others analyse once their bookings are in
                async with db.engine.begin() as conn:
                    await conn.execute(text("ANALYZE"))
        finally:
            await db.dispose()
        progress.update(task, completed=total, description="places and people")
        bookings = summary.desk_bookings + summary.room_bookings
        if by_copy:
            year = tier.name == "L"
            first = today - timedelta(days=BOOKING_YEAR_DAYS) if year else None
            bookings = await seed_bookings(url, today, progress, tier=tier.name, first=first, weekly=not year)
    seconds = (datetime.now(UTC) - started).total_seconds()
    return SeedReport(tier.name, summary.desks, summary.employees, bookings, seconds)


async def _grant_report_reader(db: Database) -> None:
    """The first employee manages the site's facilities, so the benchmark may read its occupancy reports."""
    async with db.write() as session:
        employee_id = await session.scalar(select(func.min(Employee.id)))
        site_id = await session.scalar(select(func.min(Site.id)))
        await session.execute(
            insert(RoleAssignment).values(employee_id=employee_id, role=Role.FACILITIES_MANAGER, site_id=site_id)
        )


async def seed_bookings(
    url: str,
    today: date,
    progress: Progress,
    *,
    tier: str = "L",
    first: date | None = None,
    last: date | None = None,
    weekly: bool = True,
) -> int:
    """The activity generator's bookings (and, ``weekly``, work plans) of ``first``-``last`` (default: the demo's
    :func:`~smartoffice.activity.activity_range`), by COPY into the stripped ``bookings`` table; returns how many
    bookings. Not ``weekly`` (tier L's year), each person keeps the office days of one ordinary week."""
    default_first, default_last = activity_range(today)
    first, last = first or default_first, last or default_last
    db = Database.from_url(url)
    try:
        async with db.read() as session:
            world = await load_world(session, first, last)
    finally:
        await db.dispose()
    generator = ActivityGenerator(world, today=today, weekly=weekly).days()
    task = progress.add_task("bookings (COPY)", total=(last - first).days + 1, tier=tier)
    conn = await asyncpg.connect(asyncpg_dsn(url))
    rows = 0
    try:
        rebuild = await _strip_bookings_table(conn)
        copying: asyncio.Future[int] | None = None
        while True:
            # Draw the next day in a thread while the server takes the last one in.
            day = await asyncio.to_thread(next, generator, None)
            if copying is not None:
                rows += await copying
            if day is None:
                break
            copying = asyncio.ensure_future(_copy(conn, [*day.desks, *day.rooms], day.work_days))
            progress.update(task, advance=1, description=f"bookings (COPY) {day.day} {rows:,} rows")
        progress.update(task, description="bookings: rebuilding indexes and constraints")
        for statement in rebuild:
            await conn.execute(statement)
        progress.update(task, description="ANALYZE")
        await conn.execute("ANALYZE")  # every table: the planner has no statistics for fresh tables yet
        await conn.execute("SELECT setval(pg_get_serial_sequence('bookings', 'id'), (SELECT max(id) FROM bookings))")
    finally:
        await conn.close()
    return rows


async def _copy(conn: asyncpg.Connection, bookings: list[BookingRecord], work_days: list[WorkDayRecord]) -> int:
    if bookings:
        await conn.copy_records_to_table("bookings", records=bookings, columns=BOOKING_COLUMNS)
    if work_days:
        await conn.copy_records_to_table("work_days", records=work_days, columns=WORK_DAY_COLUMNS)
    return len(bookings)


async def _strip_bookings_table(conn: asyncpg.Connection) -> list[str]:
    """Drop the secondary indexes and the constraints of ``bookings`` (but its primary key); return the DDL that
    puts them back, read from the catalogue so that it follows whatever the migrations created."""
    constraints = await conn.fetch(
        """SELECT conname, pg_get_constraintdef(oid) AS definition FROM pg_constraint
           WHERE conrelid = 'bookings'::regclass AND contype <> 'p' ORDER BY contype = 'x', conname"""
    )
    indexes = await conn.fetch(
        """SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'bookings' AND indexname NOT IN
           (SELECT conname FROM pg_constraint WHERE conrelid = 'bookings'::regclass)"""
    )
    for row in constraints:
        await conn.execute(f'ALTER TABLE bookings DROP CONSTRAINT "{row["conname"]}"')
    for row in indexes:
        await conn.execute(f'DROP INDEX "{row["indexname"]}"')
    return [row["indexdef"] for row in indexes] + [
        f'ALTER TABLE bookings ADD CONSTRAINT "{row["conname"]}" {row["definition"]}' for row in constraints
    ]


__all__ = ["TIERS", "BenchSetupError", "SeedReport", "check_tier", "prepare_database", "seed_tier"]
