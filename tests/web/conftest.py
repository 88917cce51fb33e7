"""The pages over HTTP: through a client that behaves like a browser without JavaScript, or served by granian."""

from collections.abc import AsyncIterator

import pytest

from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from tests.support.apps import client_for
from tests.support.live_server import serve_app
from tests.support.pages import PageClient


@pytest.fixture
async def pages(settings: Settings, runtime: Runtime) -> AsyncIterator[PageClient]:
    # ``runtime`` is requested for its clean-up: it empties the database after the test.
    async with client_for(settings) as client:
        yield PageClient(client)


@pytest.fixture
async def server(settings: Settings, runtime: Runtime) -> AsyncIterator[str]:
    """The app as `smartoffice serve` runs it (granian, demo mode), on the tests' database and Redis: its base URL."""
    async with serve_app(settings) as base:
        yield base
