"""The waitlist's forms without JavaScript: join a full floor from the floor page's partial, see the line and
leave it (after a confirmation) from My bookings' partial, and a refused join shown once after the redirect.

The partials are included into floor.html and my_bookings.html by those pages; here a preview route renders both
inside base.html with the contexts those pages pass (``page``, ``viewer``, ``waitlist``, ``notice``)."""

import re
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest
from litestar import Request, get
from litestar.params import FromPath, FromQuery
from litestar.response import Template
from litestar.testing import AsyncTestClient

from smartoffice.app import create_app
from smartoffice.bookings.requests import BookDeskRequest
from smartoffice.runtime import Runtime, runtime_of
from smartoffice.settings import Settings
from smartoffice.web.context import current_viewer
from smartoffice.web.floor_view import build_floor_page
from smartoffice.web.language import language_of
from tests.factories import Factory
from tests.support.clock import tomorrow
from tests.support.pages import PageClient

PREVIEW = """{% extends "base.html" %}{% block content %}
<div id="floor-part">{% include "_waitlist_join.html" %}</div>
<div id="my-part">{% include "_my_waitlist.html" %}</div>
{% endblock %}"""


@get("/test/waitlist/{floor_id:int}")
async def preview(
    request: Request[Any, Any, Any], floor_id: FromPath[int], day: FromQuery[str], notice: FromQuery[str | None] = None
) -> Template:
    """What floor.html and my_bookings.html show of the waitlist, once they include the partials."""
    runtime, viewer = runtime_of(request), await current_viewer(request)
    assert viewer is not None
    language = language_of(request)
    page = await build_floor_page(runtime, floor_id, date.fromisoformat(day), viewer.id, None, language)
    waitlist = await runtime.waitlist.mine(viewer.id)
    context = {"page": page, "viewer": viewer, "waitlist": waitlist, "notice": notice}
    return Template(template_str=PREVIEW, context=context)


@pytest.fixture
async def pages(settings: Settings, runtime: Runtime) -> AsyncIterator[PageClient]:
    app = create_app(settings)
    app.register(preview)
    async with AsyncTestClient(app=app) as client:
        yield PageClient(client)


def part(html: str, name: str) -> str:
    match = re.search(rf'<div id="{name}">(.*?)</div>\s*(?:<div id=|</main>|$)', html, re.S)
    return match.group(1) if match else html.split(f'<div id="{name}">', 1)[1]


async def test_join_see_and_leave_the_waitlist_from_the_pages(
    pages: PageClient, runtime: Runtime, factory: Factory
) -> None:
    day = tomorrow()
    floor = await factory.floor(name="Lantai 3")
    zone = await factory.zone(floor, name="Zona A")
    desks = [await factory.desk(floor, zone_id=zone.id), await factory.desk(floor)]
    owner, waiter = await factory.employee(), await factory.employee()
    await runtime.bookings.book_desk(owner.id, BookDeskRequest(desks[0].id, day))
    await pages.act_as(waiter.id)
    preview_url = f"/test/waitlist/{floor.id}?day={day.isoformat()}"

    # a zone is full but the floor is not: the form offers the zone only; joining the floor is refused, shown once
    shown = (await pages.get(preview_url)).text
    assert 'name="zone"' in shown and "Zona A" in shown and 'value=""' not in part(shown, "floor-part")
    refused = await pages.submit("/waitlist", {"floor_id": floor.id, "date": day.isoformat()}, from_page=preview_url)
    assert refused.status_code == 303 and refused.headers["location"].startswith(f"/floors/{floor.id}?")
    assert 'data-code="WAITLIST_NOT_FULL"' in (await pages.get(preview_url)).text
    assert 'data-code="WAITLIST_NOT_FULL"' not in (await pages.get(preview_url)).text

    # joining the zone's line
    fields = {"floor_id": floor.id, "date": day.isoformat(), "zone": zone.code, "idempotency_key": "join-1"}
    joined = await pages.submit("/waitlist", fields, from_page=preview_url)
    assert joined.status_code == 303
    assert "notice=waitlist_joined" in joined.headers["location"]
    after = (await pages.get(preview_url + "&notice=waitlist_joined")).text
    assert 'role="status"' in part(after, "floor-part")
    mine = part(after, "my-part")
    [entry_id] = re.findall(r'data-waitlist-entry="(\d+)" data-status="waiting"', mine)
    assert "Zona A" in mine and "Number 1 in line" in mine

    # leaving: a confirmation page, then the form; the line is gone from My bookings
    confirm = await pages.get(f"/waitlist/{entry_id}/leave")
    assert confirm.status_code == 200 and f'action="/waitlist/{entry_id}/leave"' in confirm.text
    left = await pages.submit(f"/waitlist/{entry_id}/leave", {}, from_page=f"/waitlist/{entry_id}/leave")
    assert (left.status_code, left.headers["location"]) == (303, "/my-bookings?notice=waitlist_left")
    assert "data-waitlist-entry" not in (await pages.get(preview_url)).text
    again = await pages.submit(f"/waitlist/{entry_id}/leave", {}, from_page=f"/waitlist/{entry_id}/leave")
    assert again.status_code == 303
    assert 'data-code="WAITLIST_NOT_WAITING"' in (await pages.get("/my-bookings")).text
