"""The app served by granian on loopback, as `smartoffice serve` runs it, and the Chromium the browser tests drive."""

import asyncio
import os
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

from smartoffice.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")
"""Debian's chromium: Playwright drives it by ``executable_path`` (no browser download)."""
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 90


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def server_env(settings: Settings, *, demo: bool = True) -> dict[str, str]:
    """The environment of a server (or a ``smartoffice`` command) on the tests' database and Redis: in demo mode
    (the "act as" picker), or as production runs (``demo=False``: a database URL alone means production)."""
    return {
        **os.environ,
        "SMARTOFFICE_DATABASE_URL": settings.resolved_database_url,
        "SMARTOFFICE_REDIS_URL": settings.redis_url or "",
        "SMARTOFFICE_SECRET_KEY": settings.secret_key,
        "SMARTOFFICE_DATA_DIR": str(settings.data_dir),
        "SMARTOFFICE_MIGRATE_ON_START": "0",
        "SMARTOFFICE_DEMO_MODE": "1" if demo else "0",
    }


@asynccontextmanager
async def serve(env: dict[str, str]) -> AsyncIterator[str]:
    """The app served by granian with ``env``; yields its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "granian", "--interface", "asgi", "--factory", "smartoffice.app:app_from_env"]
    process = await asyncio.create_subprocess_exec(
        *command, "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", env=env, cwd=ROOT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        await wait_until_healthy(base, process)
        yield base
    finally:
        await stop(process)


@asynccontextmanager
async def serve_app(settings: Settings, *, demo: bool = True) -> AsyncIterator[str]:
    """The app on the tests' database and Redis, in demo mode unless ``demo=False``; yields its base URL."""
    async with serve(server_env(settings, demo=demo)) as base:
        yield base


async def stop(process: asyncio.subprocess.Process) -> None:
    """Terminate a server process; kill it if it has not exited within 10 s."""
    process.terminate()
    try:
        await asyncio.wait_for(process.wait(), timeout=10)
    except TimeoutError:
        process.kill()
        await process.wait()


async def wait_until_healthy(base: str, process: asyncio.subprocess.Process) -> None:
    """Poll /health until the server answers (it must bind, open the database and Redis first)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + STARTUP_SECONDS
    async with httpx.AsyncClient(base_url=base, timeout=2) as client:
        while loop.time() < deadline:
            if process.returncode is not None:
                pytest.fail(f"the server exited with {process.returncode} before answering")
            try:
                if (await client.get("/health")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    pytest.fail(f"the server did not answer /health within {STARTUP_SECONDS} s")
