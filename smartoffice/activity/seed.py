"""Seeding the activity into a database, in bulk, inside the caller's write transaction.

PostgreSQL: binary ``COPY`` on the transaction's own connection (asyncpg's ``copy_records_to_table``), which the
exclusion constraints check row by row like any insert. SQLite: one ``executemany`` per table, which the overlap
triggers check. Either way the database, not the generator, has the last word on double booking.
"""

import time as clock
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.activity.generate import ActivityGenerator, DayActivity
from smartoffice.activity.world import chunked, load_world
from smartoffice.availability.index import AvailabilityIndex
from smartoffice.bookings.models import Booking
from smartoffice.db import Base
from smartoffice.policies.engine import monday_of
from smartoffice.policies.models import WorkDay

WEEKS_BACK, DAYS_AHEAD = 8, 14

BOOKING_COLUMNS = (
    "space_id", "space_kind", "employee_id", "booked_by_id", "start_at", "end_at", "blocks_until", "status",
    "version", "created_at", "checked_in_at", "released_at", "cancelled_at", "title", "attendee_count",
)  # fmt: skip
WORK_DAY_COLUMNS = (
    "employee_id", "day", "planned", "actual", "location_kind", "location_detail", "updated_by_id", "updated_at",
)  # fmt: skip
BATCH = 20_000
SQLITE_CACHE_KIB = -131_072
"""SQLite's page cache while seeding (negative: KiB), 128 MB."""

Progress = Callable[[str, int], None]
"""Told the name of a table and how many rows just went into it."""


@dataclass(frozen=True)
class ActivitySummary:
    first: date
    last: date
    desk_bookings: int
    room_bookings: int
    work_days: int
    turned_away: int
    """Office days that found no desk in the person's home building (it was full)."""
    engine_runs: int
    """How many weeks the policy engine worked out (people alike share one)."""
    seconds: float


def activity_range(today: date, *, weeks_back: int = WEEKS_BACK, days_ahead: int = DAYS_AHEAD) -> tuple[date, date]:
    """The days the activity covers: the ``weeks_back`` weeks before ``today``'s week, that week, and
    ``days_ahead`` days after ``today``."""
    return monday_of(today) - timedelta(weeks=weeks_back), today + timedelta(days=days_ahead)


async def seed_activity(
    session: AsyncSession,
    *,
    today: date,
    seed: int = 2026,
    first: date | None = None,
    last: date | None = None,
    progress: Progress | None = None,
) -> ActivitySummary:
    """Generate and insert the activity of ``first``-``last`` (default :func:`activity_range`) as of ``today``."""
    started = clock.perf_counter()
    default_first, default_last = activity_range(today)
    world = await load_world(session, first or default_first, last or default_last)
    generator = ActivityGenerator(world, today=today, seed=seed)
    days = list(generator.days())
    await BulkWriter(session, progress).write(days)
    desks = sum(len(day.desks) for day in days)
    rooms = sum(len(day.rooms) for day in days)
    work_days = sum(len(day.work_days) for day in days)
    turned_away = sum(day.turned_away for day in days)
    return ActivitySummary(
        world.first,
        world.last,
        desks,
        rooms,
        work_days,
        turned_away,
        generator.planner.engine_runs,
        clock.perf_counter() - started,
    )


async def forget_loaded_availability(redis_url: str) -> bool:
    """Bump the availability index's epoch, so that no floor-day loaded before is served again: they reload from
    SQL on their next read. Bulk-seeded bookings bypass the index's projections; a Redis that outlives the
    database (a shared one; the embedded one starts empty with the server) could otherwise still hold "free" for
    desks the seed booked. Returns False when Redis cannot be reached (then ``smartoffice availability rebuild``
    does it later)."""
    client = Redis.from_url(redis_url, socket_connect_timeout=5, socket_timeout=5)
    try:
        await AvailabilityIndex(client).bump_epoch()
        return True
    except (RedisError, OSError):
        return False
    finally:
        await client.aclose()


class BulkWriter:
    """Writes days of activity through the session's connection: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self, session: AsyncSession, progress: Progress | None = None) -> None:
        self.session = session
        self.progress = progress or (lambda _table, _rows: None)
        self.is_sqlite = session.get_bind().dialect.name == "sqlite"

    async def write(self, days: Sequence[DayActivity]) -> None:
        bookings = [row for day in days for row in (*day.desks, *day.rooms)]
        work_days = [row for day in days for row in day.work_days]
        connection = await (await self.session.connection()).get_raw_connection()
        driver = connection.driver_connection
        assert driver is not None
        if not self.is_sqlite:
            await self._copy(driver, "bookings", BOOKING_COLUMNS, bookings)
            await self._copy(driver, "work_days", WORK_DAY_COLUMNS, work_days)
            return
        # Latest first: SQLite's overlap trigger looks at the space's and the person's earlier bookings (by index,
        # ``start_at <`` the new one's end), and there are none yet, so each check reads a row or two.
        bookings.sort(key=lambda row: row[4], reverse=True)  # type: ignore[arg-type,return-value]
        # The table's seven indexes outgrow SQLite's default 2 MB page cache: a quarter less CPU with 128 MB.
        [(cache_size,)] = await (await driver.execute("PRAGMA cache_size")).fetchall()
        await driver.execute(f"PRAGMA cache_size = {SQLITE_CACHE_KIB}")
        try:
            await self._executemany(driver, Booking, BOOKING_COLUMNS, bookings)
            await self._executemany(driver, WorkDay, WORK_DAY_COLUMNS, work_days)
        finally:
            await driver.execute(f"PRAGMA cache_size = {int(cache_size)}")

    async def _copy(self, driver: Any, table: str, columns: Sequence[str], rows: list[tuple[object, ...]]) -> None:
        for batch in chunked(rows, BATCH):
            await driver.copy_records_to_table(table, records=batch, columns=columns)
            self.progress(table, len(batch))

    async def _executemany(
        self, driver: Any, model: type[Base], columns: Sequence[str], rows: list[tuple[object, ...]]
    ) -> None:
        """Through the driver, with values as SQLAlchemy stores them on SQLite (:func:`sqlite_value`): its own
        executemany would double the CPU the insert costs."""
        table = model.__tablename__
        statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        for batch in chunked(rows, BATCH):
            await driver.executemany(statement, [tuple(map(sqlite_value, row)) for row in batch])
            self.progress(table, len(batch))


def sqlite_value(value: object) -> object:
    """A value as SQLAlchemy binds it on SQLite: an instant (``UTCDateTime``) as naive UTC text with microseconds,
    a date as ISO text, anything else as it is (the enum columns' values are the generator's own constants)."""
    if isinstance(value, datetime):
        if value.tzinfo is not UTC:
            value = value.astimezone(UTC)
        return value.replace(tzinfo=None).isoformat(" ", "microseconds")
    if isinstance(value, date):
        return value.isoformat()
    return value
