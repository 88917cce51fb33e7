"""Fixtures the integration tests share."""

from collections.abc import AsyncIterator

import pytest

from smartoffice.runtime import Runtime, open_runtime
from smartoffice.settings import Settings


@pytest.fixture
async def other(runtime: Runtime, settings: Settings) -> AsyncIterator[Runtime]:
    """Another app process: its own engine and caches, the same database and Redis (torn down before ``runtime``).
    The per-process caches' tests change something through one and read it through the other."""
    async with open_runtime(settings) as second:
        yield second
