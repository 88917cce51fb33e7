"""The places pages in a real browser: a facilities manager adds a meeting room to a floor through the forms,
by keyboard, at a phone's width; the tree, the floor, the form and the retire confirmation pass axe-core's
checks at 1280 and 390 px and fit a phone's screen (the real app served by granian, headless Chromium)."""

from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from smartoffice.places.models import Space, SpaceKind
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.bookings import insert_booking
from tests.support.browser import PHONE, axe_violations
from tests.support.clock import WITA, days_ahead
from tests.support.live_server import CHROMIUM, CHROMIUM_ARGS
from tests.support.office import build_office

SCREENSHOT = Path("/tmp/admin-places-floor.png")
DESKTOP = {"width": 1280, "height": 900}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]


async def _fits(page: Any) -> bool:
    return bool(await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


async def test_a_facilities_manager_adds_a_meeting_room(server: str, runtime: Runtime, factory: Factory) -> None:
    from playwright.async_api import async_playwright, expect

    office = await build_office(factory)
    start = datetime.combine(days_ahead(2), time(9), WITA).astimezone(UTC)
    await insert_booking(runtime.db, office.desks[0], office.alice, start, start + timedelta(hours=2))
    floor_url = f"{server}/admin/places/floors/{office.floor.id}"
    checked = [
        f"{server}/admin/places",
        floor_url,
        f"{server}/admin/places/new/room?parent={office.floor.id}",
        f"{server}/admin/places/desk/{office.desks[0].id}/retire",
    ]

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport=PHONE)
        try:
            await page.goto(f"{server}/?q=Fajar")
            await page.get_by_role("button", name="Act as Fajar Facilities").click()
            await expect(page.get_by_text("You are now acting as this employee.")).to_be_visible()

            # the tree, then the floor, then the room form
            await page.goto(f"{server}/admin/places")
            await page.get_by_role("link", name=office.floor.name).click()
            await expect(page.get_by_role("heading", name=office.floor.name)).to_be_visible()
            await page.get_by_role("link", name="Add a meeting room").click()
            await expect(page.get_by_role("heading", name="Add: Meeting room")).to_be_visible()

            # by keyboard: type into the fields and press Enter to send the form
            await page.get_by_label("Code").fill("R-GARUDA")
            await page.get_by_label("Name", exact=True).fill("Ruang Garuda")
            await page.get_by_label("Seats").fill("12")
            await page.get_by_label("Whiteboard").check()
            await page.get_by_label("Approvers").fill(office.manager_a.email)
            await page.get_by_label("Bookings need approval").check()
            await page.get_by_label("Code").focus()
            await page.keyboard.press("Enter")

            await expect(page.get_by_role("status")).to_have_text("The place is added. The change is in the audit log.")
            await expect(page.locator("#rooms")).to_contain_text("Ruang Garuda")
            await page.screenshot(path=str(SCREENSHOT), full_page=True)

            for viewport in (DESKTOP, PHONE):
                await page.set_viewport_size(viewport)
                for url in checked:
                    await page.goto(url)
                    assert await axe_violations(page) == [], (url, viewport)
                    assert await _fits(page), (url, viewport)
            await expect(page.locator("#affected")).to_contain_text("Alice Anggraini")
        finally:
            await browser.close()

    async with runtime.db.read() as session:
        rooms = list(await session.scalars(select(Space).where(Space.kind == SpaceKind.ROOM)))
    assert [(r.code, r.name, r.capacity, r.amenities, r.requires_approval) for r in rooms] == [
        ("R-GARUDA", "Ruang Garuda", 12, ["whiteboard"], True)
    ]
