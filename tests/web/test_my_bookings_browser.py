"""In a real browser: My bookings and the pages it leads to fit a phone and a desktop with no serious accessibility
violation, and a booking is cancelled through its confirmation with the keyboard alone."""

import re

import pytest

from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.bookings import insert_booking
from tests.support.browser import PHONE, axe_violations
from tests.support.clock import at, days_ahead, tomorrow
from tests.support.live_server import CHROMIUM, CHROMIUM_ARGS

DESKTOP = {"width": 1280, "height": 800}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]


async def test_my_bookings_fits_both_sizes_and_cancels_by_keyboard(
    server: str, runtime: Runtime, factory: Factory
) -> None:
    from playwright.async_api import async_playwright, expect

    # given Siti's desk tomorrow, a room awaiting approval the day after, and a desk of last week she never used
    building = await factory.building(name="Menara Kemenko Dua")
    floor = await factory.floor(building, name="Lantai Tiga")
    desk, room = await factory.desk(floor, code="T2-3-A9"), await factory.room(floor, name="Ruang Garuda")
    siti = await factory.employee(name="Siti Rahmawati")
    day, later, past = tomorrow(), days_ahead(2), days_ahead(-7)
    booking = await insert_booking(runtime.db, desk, siti, at(day, 8), at(day, 17))
    await insert_booking(runtime.db, room, siti, at(later, 10), at(later, 11), status=BookingStatus.PENDING)
    await insert_booking(runtime.db, desk, siti, at(past, 8), at(past, 17), status=BookingStatus.RELEASED)
    urls = [
        "/my-bookings",
        f"/bookings/{booking.id}/cancel?return_to=%2Fmy-bookings",
        f"/my-bookings/cancel-range?from={day}&until={later}",
        "/my-bookings/calendar-feed",
        f"/spaces/{desk.id}/qr-card",
        "/",
    ]

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport=DESKTOP)
        try:
            await page.goto(f"{server}/?q=Siti")
            await page.get_by_role("button", name="Act as Siti Rahmawati").click()
            await expect(page.get_by_text("You are now acting as this employee.")).to_be_visible()

            # every page, at desktop and phone widths: no violation, no sideways scrolling
            found = {}
            for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
                await page.set_viewport_size(viewport)
                for url in urls:
                    await page.goto(f"{server}{url}")
                    found[(size, url)] = await axe_violations(page)
            assert {key: v for key, v in found.items() if v} == {}

            # cancel tomorrow's desk, keyboard only, on the phone: the link, then the confirmation's button
            await page.goto(f"{server}/my-bookings")
            await expect(page.get_by_text("Awaiting approval")).to_be_visible()
            await expect(page.get_by_text("Released: nobody checked in")).to_be_visible()
            cancel = page.get_by_role("link", name=re.compile(r"^Cancel Desk T2-3-A9"))
            await cancel.focus()
            await page.keyboard.press("Enter")
            await expect(page.get_by_role("heading", name="Cancel your booking of Desk T2-3-A9?")).to_be_visible()
            yes = page.get_by_role("button", name="Yes, cancel this booking")
            await page.keyboard.press("Tab")
            for _ in range(40):  # Tab through the page until the button has the focus
                if await yes.evaluate("b => b === document.activeElement"):
                    break
                await page.keyboard.press("Tab")
            await page.keyboard.press("Enter")
            await expect(page).to_have_url(re.compile(r"/my-bookings\?notice=cancelled$"))
            await expect(page.get_by_role("status")).to_have_text("Your booking is cancelled.")
            await page.screenshot(path="/tmp/my-bookings-phone.png", full_page=True)
        finally:
            await browser.close()

    async with runtime.db.read() as session:
        cancelled = await session.get(Booking, booking.id)
    assert cancelled is not None and cancelled.status == BookingStatus.CANCELLED
