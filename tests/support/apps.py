"""In-process test clients on apps built once per distinct settings for the whole run.

Building an app registers some two hundred routes (litestar parses every handler's signature and builds its
middleware stack), which costs more CPU than most tests themselves; the test clients of ``tests/web`` and
``tests/api`` built one per test. :func:`client_for` lends an idle app instead and takes it back when the client
closes. Each client still runs the app's lifespan, so every test gets its own runtime (database pool, Redis client,
caches, jobs); only the route table and the template engine are shared, and neither holds anything a test changes.
An app is lent to one client at a time: a test with two clients (two people) gets two apps, as the lifespan keeps
its runtime on the app.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path

from litestar import Litestar
from litestar.testing import AsyncTestClient

from smartoffice.app import create_app
from smartoffice.settings import Settings

_IDLE: dict[Settings, list[Litestar]] = {}


@asynccontextmanager
async def client_for(settings: Settings, **client_options: object) -> AsyncIterator[AsyncTestClient[Litestar]]:
    """A test client of an app for ``settings``; settings that differ only in their data directory share apps (the
    app only creates that directory)."""
    idle = _IDLE.setdefault(replace(settings, data_dir=Path(".")), [])
    app = idle.pop() if idle else create_app(settings)
    try:
        async with AsyncTestClient(app=app, **client_options) as client:  # type: ignore[arg-type]
            yield client
    finally:
        idle.append(app)
