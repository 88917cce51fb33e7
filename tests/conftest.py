"""Shared fixtures: one real database and one real Redis server for the whole run, emptied after each test.

Which database and Redis: ``SMARTOFFICE_DATABASE_URL`` / ``SMARTOFFICE_REDIS_URL`` when set (CI's PostgreSQL
pass), otherwise a SQLite file and an embedded Redis server, exactly as a fresh machine runs the service.

Tests do not run inside one rolled-back outer transaction: the services own their transactions (SQLite's
``BEGIN IMMEDIATE``, commit-then-project-to-Redis), and the concurrency tests need real commits seen by other
connections. Instead every table is emptied after each test.
"""

import os
import zlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.engine import make_url

from smartoffice.db import Database, create_engine
from smartoffice.embedded_redis import EmbeddedRedis
from smartoffice.migrations import upgrade
from smartoffice.runtime import Runtime, open_runtime
from smartoffice.settings import Settings
from tests.factories import Factory
from tests.support.database import direct_url, empty_database, is_pgbouncer_run


def _env(name: str) -> str | None:
    return os.environ.get(f"SMARTOFFICE_{name}") or None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Where the browser tests (``@pytest.mark.browser``) run. What they add to the page tests, which run on both
    databases, is the browser's side (scripts, layout, axe-core, the keyboard); each starts a server process and
    Chromium, which CI's two passes on two cores cannot afford twice.

    - By default they run in the embedded pass only (a fresh machine's ``pytest`` runs every one of them).
    - ``SMARTOFFICE_TEST_BROWSER_SHARE=embedded|postgres`` (set by ``.ci/run`` for its two passes) shares them out
      instead: each test runs in exactly one of the passes, by a stable hash of its id (:data:`BROWSER_SHARES`), so
      the two passes, which run side by side, finish at about the same time.
    - ``SMARTOFFICE_TEST_BROWSER_EVERYWHERE=1`` runs them all against the configured database too.
    """
    if _env("TEST_BROWSER_EVERYWHERE"):
        return
    share = _env("TEST_BROWSER_SHARE")
    if share is None and _env("DATABASE_URL") is None:
        return
    for item in items:
        if "browser" not in item.keywords:
            continue
        if share is None:
            item.add_marker(pytest.mark.skip(reason="browser tests run in the embedded pass"))
        elif BROWSER_SHARES[zlib.crc32(item.nodeid.encode()) % len(BROWSER_SHARES)] != share:
            item.add_marker(pytest.mark.skip(reason=f"this browser test runs in CI's other pass, not {share}"))


BROWSER_SHARES = ("postgres", "embedded", "embedded")
"""A browser test's pass by its id's hash: a third of them run in the PostgreSQL pass, the slower one (shared half
and half, it took 18 min against the embedded pass's 15.5 on the 2-core CI machine)."""


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    url = _env("REDIS_URL")
    if url:
        yield url
        return
    with EmbeddedRedis() as server:
        yield server.url


@pytest.fixture(scope="session")
async def database_url(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    """A database at the latest migration, fresh for this run."""
    url = _env("DATABASE_URL")
    if url is None:
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    else:
        await reset_postgres_schema(direct_url(url))
    # Migrations go straight to PostgreSQL, as in production (docker-compose.yml's migrate service).
    engine = create_engine(direct_url(url))
    await upgrade(engine)
    await engine.dispose()
    yield url


@pytest.fixture(scope="session")
def direct_database_url(database_url: str) -> str:
    """The tests' database reached without PgBouncer, when the run goes through one (else ``database_url``)."""
    return direct_url(database_url)


async def reset_postgres_schema(url: str) -> None:
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


@pytest.fixture(scope="session")
def is_postgres(database_url: str) -> bool:
    return make_url(database_url).get_backend_name() == "postgresql"


@pytest.fixture
def settings(database_url: str, redis_url: str, tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path,
        database_url=database_url,
        database_pgbouncer=is_pgbouncer_run(),
        redis_url=redis_url,
        secret_key="test-secret-key-for-csrf-and-sessions-0123456789",
        webhook_allowed_networks=("127.0.0.1/32",),  # the webhook tests' receivers listen on loopback
        migrate_on_start=False,
        run_jobs=False,  # tests run jobs explicitly, at the moments they choose
        demo_mode=True,  # the X-Demo-Employee header and the "act as" picker; production tests turn it off
    )


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    # The tests' own housekeeping client waits longer than the service's 0.5 s: with both CI passes running on two
    # busy cores a connect once took longer, and a flush that times out fails the test that had passed.
    client = Redis.from_url(redis_url, socket_connect_timeout=10, socket_timeout=10)
    yield client
    await client.aclose()


@pytest.fixture
async def runtime(settings: Settings, redis: Redis) -> AsyncIterator[Runtime]:
    async with open_runtime(settings) as rt:
        yield rt
    await empty_database(settings.resolved_database_url, redis)


@pytest.fixture
def db(runtime: Runtime) -> Database:
    return runtime.db


@pytest.fixture
def factory(db: Database) -> Factory:
    return Factory(db)
