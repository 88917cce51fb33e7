"""Timing the people import at tier M (12,000 people) on an empty database, then re-importing the same file:
``python -m tests.support.people_import_perf [DATABASE_URL]`` (default: a new SQLite file). PostgreSQL: the
database's public schema is dropped first. Prints seconds; no test asserts on them."""

import asyncio
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from smartoffice.db import Database, create_engine, utcnow
from smartoffice.migrations import upgrade
from smartoffice.people.imports.service import PeopleImportService
from smartoffice.places.models import Building, Site
from tests.support.people_files import csv_bytes, generated_rows


async def measure(url: str, people: int = 12_000) -> dict[str, float]:
    engine = create_engine(url)
    if url.startswith("postgresql"):
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    await upgrade(engine)
    await engine.dispose()
    db = Database.from_url(url)
    try:
        async with db.write() as session:
            site = Site(code="KIPP", name="KIPP")
            session.add(site)
            await session.flush()
            session.add(
                Building(
                    site_id=site.id,
                    code="T1",
                    name="T1",
                    time_zone="Asia/Makassar",
                    opens_at=dt.time(7),
                    closes_at=dt.time(19),
                )
            )
        content = csv_bytes(generated_rows(people), delimiter=";")
        service = PeopleImportService(db, None, None, utcnow)
        timings = {}
        for label in ("fresh import", "no-op re-import"):
            started = time.perf_counter()
            result = await service.run(content)
            timings[label] = time.perf_counter() - started
            assert result.plan.is_valid, result.plan.errors[:3]
        started = time.perf_counter()
        await service.preview(content)
        timings["dry run"] = time.perf_counter() - started
        return timings
    finally:
        await db.dispose()


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        target = sys.argv[1] if len(sys.argv) > 1 else f"sqlite+aiosqlite:///{Path(folder) / 'perf.sqlite3'}"
        print({k: round(v, 2) for k, v in asyncio.run(measure(target)).items()})
