"""``/account/data``: the signed-in person downloads their data as JSON or a ZIP of CSVs, never cached; nobody
signed in gets nothing."""

import io
import json
import zipfile
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import date

import pytest

from smartoffice.identity.sessions import SESSION_COOKIE
from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from tests.factories import Factory
from tests.support.apps import client_for
from tests.support.auth import login_session
from tests.support.bookings import insert_booking
from tests.support.clock import at
from tests.support.pages import PageClient

DAY = date(2026, 11, 16)


@pytest.fixture
async def production_pages(settings: Settings, runtime: Runtime) -> AsyncIterator[PageClient]:
    """The pages with demo mode off: only a login session says who someone is."""
    async with client_for(replace(settings, demo_mode=False)) as client:
        yield PageClient(client)


async def test_a_signed_in_person_downloads_their_data(
    production_pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    # given: Ani signed in, and a colleague booked on the same desk the next day
    unit = await factory.unit()
    ani, budi = await factory.employee(unit, name="Ani Lestari"), await factory.employee(unit, name="Budi Santoso")
    desk = await factory.desk()
    await insert_booking(runtime.db, desk, ani, at(DAY, 8), at(DAY, 17))
    await insert_booking(runtime.db, desk, budi, at(date(2026, 11, 17), 8), at(date(2026, 11, 17), 17))
    production_pages.http.cookies.set(SESSION_COOKIE, await login_session(runtime, ani.id))

    # when
    page = await production_pages.get("/account/data")
    as_json = await production_pages.get("/account/data/download?format=json")
    as_csv = await production_pages.get("/account/data/download?format=csv")

    # then
    assert page.status_code == 200
    assert 'href="/account/data/download?format=json"' in page.text
    assert "730 days" in page.text
    assert as_json.status_code == 200
    assert as_json.headers["cache-control"] == "no-store"
    assert as_json.headers["content-type"].startswith("application/json")
    assert "attachment" in as_json.headers["content-disposition"]
    document = json.loads(as_json.content)
    assert document["person"]["name"] == "Ani Lestari"
    assert [b["start_at"] for b in document["bookings"]] == ["2026-11-16T08:00:00+08:00"]
    assert "Budi" not in as_json.text
    assert as_csv.status_code == 200
    assert as_csv.headers["cache-control"] == "no-store"
    with zipfile.ZipFile(io.BytesIO(as_csv.content)) as archive:
        assert "Ani Lestari" in archive.read("person.csv").decode()
        assert len(archive.read("bookings.csv").decode().splitlines()) == 2


async def test_nobody_signed_in_is_refused(production_pages: PageClient, factory: Factory) -> None:
    await factory.employee(name="Ani Lestari")

    page = await production_pages.get("/account/data")
    download = await production_pages.get("/account/data/download?format=json")

    assert page.status_code == 200
    assert 'href="/account/data/download' not in page.text
    assert "Sign in to download" in page.text
    assert download.status_code == 401
    assert download.headers["content-type"].startswith("text/html")
    assert "Ani Lestari" not in download.text


async def test_in_demo_mode_the_person_acted_as_downloads(pages: PageClient, factory: Factory) -> None:
    ani = await factory.employee(name="Ani Lestari")
    await pages.act_as(ani.id)

    response = await pages.get("/account/data/download?format=json")

    assert response.status_code == 200
    assert json.loads(response.content)["person"]["id"] == ani.id


async def test_an_unknown_format_is_refused(pages: PageClient, factory: Factory) -> None:
    await pages.act_as((await factory.employee()).id)

    response = await pages.get("/account/data/download?format=xml")

    assert response.status_code == 422
    assert "Choose JSON or CSV." in response.text
