"""SCIM over the real ASGI app (in process) and over a real server process (for scim2-tester)."""

from collections.abc import AsyncIterator

import pytest
from litestar.testing import AsyncTestClient

from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from tests.support.apps import client_for
from tests.support.live_server import serve_app


@pytest.fixture
async def client(settings: Settings, runtime: Runtime) -> AsyncIterator[AsyncTestClient]:
    # `runtime` is requested so the database is emptied after the test.
    async with client_for(settings) as test_client:
        yield test_client


@pytest.fixture
async def server(settings: Settings, runtime: Runtime) -> AsyncIterator[str]:
    async with serve_app(settings) as base:
        yield base
