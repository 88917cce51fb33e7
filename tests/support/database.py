"""Emptying the tests' database and Redis between tests (the ``runtime`` fixture does it after each one)."""

from redis.asyncio import Redis

from smartoffice.db import create_engine
from smartoffice.models import Base


async def empty_database(url: str, redis: Redis) -> None:
    """Delete every row but the reference data the migrations insert, and flush Redis."""
    engine = create_engine(url)
    async with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name == "booking_rules":  # keep the defaults the migration inserted (reference data)
                await conn.execute(table.delete().where(table.c.building_id.is_not(None)))
            else:
                await conn.execute(table.delete())
    await engine.dispose()
    await redis.flushdb()
