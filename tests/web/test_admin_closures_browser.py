"""Closing a zone for a day in a real browser: a facilities manager picks the floor, then the zone, gives the day
and the reason, reads who is affected and confirms; every page passes axe-core at 1280 and at 390 px (the real app
served by granian, headless Chromium)."""

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.bookings import insert_booking
from tests.support.browser import PHONE, axe_violations
from tests.support.clock import WITA, days_ahead
from tests.support.live_server import CHROMIUM, CHROMIUM_ARGS
from tests.support.office import build_office

DESKTOP = {"width": 1280, "height": 900}
REASON = "Perbaikan jaringan listrik"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]


async def test_a_facilities_manager_closes_a_zone_for_a_day(server: str, runtime: Runtime, factory: Factory) -> None:
    from playwright.async_api import async_playwright, expect

    office = await build_office(factory)
    zone = await factory.zone(office.floor, name="Zona Perencanaan")
    desk = await factory.desk(office.floor, code="Z01", zone_id=zone.id)
    day = days_ahead(3)
    start = datetime.combine(day, time(8), WITA).astimezone(UTC)
    booking = await insert_booking(runtime.db, desk, office.alice, start, start + timedelta(hours=9))

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport=DESKTOP)
        try:
            await page.goto(f"{server}/?q=Fajar")
            await page.get_by_role("button", name="Act as Fajar Facilities").click()
            await expect(page.get_by_text("You are now acting as this employee.")).to_be_visible()

            await page.goto(f"{server}/admin/closures")
            await expect(page.get_by_role("heading", name="Closures", exact=True)).to_be_visible()
            assert await axe_violations(page) == []
            await page.set_viewport_size(PHONE)
            assert await axe_violations(page) == []

            await page.locator("#closure-floor").select_option(str(office.floor.id))
            await page.get_by_role("button", name="Show its zones, desks and rooms").click()
            await page.locator("#closure-place").select_option(f"zone:{zone.id}")
            await page.get_by_label("First day").fill(day.isoformat())
            await page.get_by_label("Last day").fill(day.isoformat())
            await page.get_by_label("Reason").fill(REASON)
            await page.get_by_role("button", name="Check who is affected").click()

            await expect(page.get_by_role("heading", name="Confirm the closure")).to_be_visible()
            await expect(page.get_by_role("rowheader", name="Alice Anggraini")).to_be_visible()
            assert await axe_violations(page) == []
            await page.screenshot(path="/tmp/admin-closures-confirm.png", full_page=True)
            await page.set_viewport_size(DESKTOP)
            assert await axe_violations(page) == []

            await page.get_by_role("button", name="Close it and cancel these bookings").click()
            await expect(page.get_by_role("status")).to_have_text("The place is closed. 1 booking was cancelled.")
            await expect(page.locator("tr[data-closure-id] strong")).to_contain_text("Zona Perencanaan")
            await page.screenshot(path="/tmp/admin-closures.png", full_page=True)
            assert await axe_violations(page) == []
        finally:
            await browser.close()

    async with runtime.db.read() as session:
        row = await session.scalar(select(Booking).where(Booking.id == booking.id))
    assert row is not None and (row.status, row.cancel_reason) == (BookingStatus.CANCELLED, REASON)
