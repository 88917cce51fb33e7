"""A fresh database for a scale tier: created (PostgreSQL) or a new file (SQLite), migrated, and seeded in bulk.

Places and people come from the demo generator (:data:`smartoffice.demo.TIERS`: tier S *is* the demo). Tier L
adds a year of desk bookings (~10 million rows) through PostgreSQL's binary ``COPY`` (asyncpg's
``copy_records_to_table``) into a ``bookings`` table stripped of its secondary indexes and constraints, which are
rebuilt afterwards in one pass each; rebuilding the exclusion constraints re-proves that the generated rows never
double-book a desk or a person.
"""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import asyncpg
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import make_url

from smartoffice.db import Database, is_sqlite
from smartoffice.demo import TIERS, Tier, demo_row_count, seed_demo
from smartoffice.migrations import upgrade
from smartoffice.people.models import Employee, Role, RoleAssignment
from smartoffice.places.models import Building, Floor, Site, Space, SpaceKind
from smartoffice.workcalendar.service import WorkingCalendar

BOOKING_YEAR_DAYS = 365
"""Tier L: bookings from a year before today up to the end of the booking horizon."""
BOOKING_HORIZON_DAYS = 28
"""The default rule's ``max_days_in_advance`` for desks: nothing is bookable beyond."""
PAST_STATUSES: dict[str, float] = {"checked_in": 0.82, "released": 0.10, "cancelled": 0.08}
"""What became of the bookings of past days (a released one is a no-show)."""
OCCUPANCY_BY_WEEKDAY = (0.55, 0.7, 0.75, 0.7, 0.45)
"""Share of desks booked, Monday to Friday: the mid-week peak the anchor days produce."""


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
            "tier L (100,000 staff, ~10 million bookings) needs PostgreSQL: pass "
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
    """Seed places and people of ``tier`` (and, for L, a year of bookings) into the migrated, empty database."""
    started = datetime.now(UTC)
    total = demo_row_count(tier)
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
            summary = await seed_demo(db, tier=tier, progress=advance)
            await _grant_report_reader(db)
            if not db.is_sqlite and tier.name != "L":  # L analyses once its bookings are in
                async with db.engine.begin() as conn:
                    await conn.execute(text("ANALYZE"))
        finally:
            await db.dispose()
        progress.update(task, completed=total, description="places and people")
        bookings = 0
        if tier.name == "L":
            bookings = await seed_bookings(url, today, progress)
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


BOOKING_COLUMNS = (
    "space_id", "space_kind", "employee_id", "booked_by_id", "start_at", "end_at", "blocks_until", "status",
    "version", "created_at", "checked_in_at", "released_at", "cancelled_at",
)  # fmt: skip


async def seed_bookings(url: str, today: date, progress: Progress, *, days: int = BOOKING_YEAR_DAYS) -> int:
    """Whole-day desk bookings for every working day from ``days`` before ``today`` to the booking horizon."""
    db = Database.from_url(url)
    try:
        async with db.read() as session:
            desks = list(await session.scalars(select(Space.id).where(Space.kind == SpaceKind.DESK).order_by(Space.id)))
            employees = list(await session.scalars(select(Employee.id).order_by(Employee.id)))
            zone, opens, closes = (
                await session.execute(
                    select(Building.time_zone, Building.opens_at, Building.closes_at)
                    .join(Floor, Floor.building_id == Building.id)
                    .limit(1)
                )
            ).one()
    finally:
        await db.dispose()
    first, last = today - timedelta(days=days), today + timedelta(days=BOOKING_HORIZON_DAYS)
    working = WorkingCalendar.build(first, last).working_days(first, last)
    task = progress.add_task("bookings (COPY)", total=len(working), tier="L")
    conn = await asyncpg.connect(asyncpg_dsn(url))
    rows = 0
    try:
        rebuild = await _strip_bookings_table(conn)
        rng = random.Random(2026)
        for day in working:
            records = _day_of_bookings(rng, day, today, desks, employees, ZoneInfo(zone), opens, closes)
            await conn.copy_records_to_table("bookings", records=records, columns=BOOKING_COLUMNS)
            rows += len(records)
            progress.update(task, advance=1, description=f"bookings (COPY) {day} {rows:,} rows")
        progress.update(task, description="bookings: rebuilding indexes and constraints")
        for statement in rebuild:
            await conn.execute(statement)
        progress.update(task, description="ANALYZE")
        await conn.execute("ANALYZE")  # every table: the planner has no statistics for fresh tables yet
        await conn.execute("SELECT setval(pg_get_serial_sequence('bookings', 'id'), (SELECT max(id) FROM bookings))")
    finally:
        await conn.close()
    return rows


def _day_of_bookings(
    rng: random.Random,
    day: date,
    today: date,
    desks: list[int],
    employees: list[int],
    zone: ZoneInfo,
    opens: time,
    closes: time,
) -> list[tuple[object, ...]]:
    start = datetime.combine(day, opens, zone).astimezone(UTC)
    end = datetime.combine(day, closes, zone).astimezone(UTC)
    count = int(len(desks) * OCCUPANCY_BY_WEEKDAY[day.weekday()])
    created = start - timedelta(days=3)
    checked_in = start + timedelta(minutes=20)
    released = start + timedelta(minutes=30)
    if day < today:
        drawn = rng.choices(list(PAST_STATUSES), list(PAST_STATUSES.values()), k=count)
    else:
        drawn = ["checked_in" if day == today else "booked"] * count
    stamps = {
        "checked_in": (checked_in, None, None),
        "released": (None, released, None),
        "cancelled": (None, None, created),
        "booked": (None, None, None),
    }
    people = rng.sample(employees, count)
    return [
        (desk, "desk", person, person, start, end, end, status, 1, created, *stamps[status])
        for desk, person, status in zip(rng.sample(desks, count), people, drawn, strict=True)
    ]


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
