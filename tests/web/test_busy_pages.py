"""No database connection to be had is "busy, try again", not a fault (issue 10, item 6): the pages answer 503
with ``Retry-After`` on the error page, in the person's language; other routes answer 503 in JSON."""

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pytest
from litestar import Request, get
from sqlalchemy.exc import TimeoutError as PoolTimeout

from smartoffice.app import create_app
from smartoffice.busy import BUSY_CODE, RETRY_AFTER_SECONDS
from smartoffice.places.service import PlaceService
from smartoffice.runtime import Runtime, runtime_of
from smartoffice.settings import Settings
from tests.support.pages import PageClient
from tests.support.peers import client_from, running


async def starved(*_: Any, **__: Any) -> Sequence[Any]:
    raise PoolTimeout("QueuePool limit of size 1 overflow 0 reached, connection timed out, timeout 0.20")


async def test_a_page_that_cannot_get_a_connection_says_busy_in_the_persons_language(
    pages: PageClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(PlaceService, "sites", starved)

    page = await pages.http.get("/", headers={"accept-language": "id"})

    assert page.status_code == 503
    assert page.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
    assert page.headers["content-type"].startswith("text/html")
    assert '<html lang="id">' in page.text and f'data-code="{BUSY_CODE}"' in page.text


async def test_another_route_that_cannot_get_a_connection_says_busy_in_json(
    settings: Settings, runtime: Runtime
) -> None:
    @get("/starved")
    async def needs_the_database(request: Request[Any, Any, Any]) -> None:
        async with runtime_of(request).db.read():
            await starved()

    app = create_app(settings)
    app.register(needs_the_database)
    async with running(app), client_from(app, "127.0.0.1") as http:
        answer = await http.get("/starved")

    assert answer.status_code == 503
    assert answer.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
    assert answer.json()["code"] == BUSY_CODE


async def test_a_fault_is_still_a_500(pages: PageClient, monkeypatch: pytest.MonkeyPatch) -> None:
    async def broken(*_: Any) -> Sequence[Any]:
        raise RuntimeError("a bug, not a busy database")

    monkeypatch.setattr(PlaceService, "sites", broken)

    assert (await pages.http.get("/")).status_code == 500


async def test_a_page_really_starved_of_connections_says_busy(
    settings: Settings, runtime: Runtime, is_postgres: bool
) -> None:
    if not is_postgres:
        pytest.skip("the pool bounds are PostgreSQL's (SQLite's writers queue on its lock)")
    app = create_app(replace(settings, database_pool_size=1, database_max_overflow=0, database_pool_timeout=0.2))
    async with running(app), client_from(app, "127.0.0.1") as http:
        async with app.state.runtime.db.engine.connect():  # given: the process's only connection is in use
            page = await http.get("/")
        after = await http.get("/")

    assert page.status_code == 503
    assert page.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
    assert f'data-code="{BUSY_CODE}"' in page.text
    assert after.status_code == 200
