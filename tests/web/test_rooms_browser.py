"""The rooms pages in a real browser (granian + headless Chromium), at 1280 × 800 and on a phone (390 × 844): book a
room from the finder with a title and attendees, book a desk every week, and accept a request from the approvals
page by keyboard only; every page passes axe-core and fits its width."""

from datetime import date
from pathlib import Path

import pytest

from smartoffice.bookings.models import BookingStatus
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.bookings import insert_booking
from tests.support.browser import PHONE, axe_violations
from tests.support.clock import at, working_weekday
from tests.support.live_server import CHROMIUM, CHROMIUM_ARGS

DESKTOP = {"width": 1280, "height": 800}
PHONE_SCREENSHOT = Path("/tmp/rooms-phone.png")
DESKTOP_SCREENSHOT = Path("/tmp/rooms-desktop.png")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]


async def test_book_rooms_repeat_a_desk_and_approve_by_keyboard(
    server: str, runtime: Runtime, factory: Factory
) -> None:
    from playwright.async_api import async_playwright, expect

    # given a building with two rooms (one needs approval), a desk, Siti and the room's approver Rina
    building = await factory.building(name="Menara 3")
    floor = await factory.floor(building, name="Lantai 3")
    mahakam = await factory.room(floor, name="Ruang Mahakam", capacity=8, amenities=["video_conference"])
    pimpinan = await factory.room(floor, name="Ruang Pimpinan", capacity=12, requires_approval=True)
    desk = await factory.desk(floor, code="A7")
    siti = await factory.employee(name="Siti Rahmawati")
    rina = await factory.employee(name="Rina Wulandari")
    await factory.approver(pimpinan, rina)
    day = working_weekday(2).isoformat()
    finder = f"{server}/rooms?building={building.id}&date={day}&start=09:00&end=10:00&attendees=4"
    repeat = f"{server}/bookings/repeat?space={desk.id}&date={day}"
    later = await insert_booking(
        runtime.db,
        pimpinan,
        siti,
        at(date.fromisoformat(day), 14),
        at(date.fromisoformat(day), 15),
        status=BookingStatus.PENDING,
    )

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport=DESKTOP)

        async def act_as(name: str) -> None:
            await page.goto(f"{server}/?q={name.split()[0]}")
            await page.get_by_role("button", name=f"Act as {name}").click()
            await expect(page.get_by_text("You are now acting as this employee.")).to_be_visible()

        async def checked() -> None:
            assert await axe_violations(page) == [], page.url

        try:
            # Siti books Ruang Mahakam from the finder, with a title and five attendees
            await act_as("Siti Rahmawati")
            await page.goto(finder)
            await checked()
            room = page.locator(f"#room-{mahakam.id}")
            await room.get_by_label("Title").fill("Rapat koordinasi")
            await room.get_by_label("Attendees").fill("5")
            await room.get_by_role("button", name="Book 09:00–10:00 Ruang Mahakam").click()
            await expect(page.locator("#booked")).to_have_attribute("data-status", "booked")
            await expect(page.locator(f'.not-offered [data-room-id="{mahakam.id}"]')).to_contain_text(
                "09:00–10:00 Rapat koordinasi"
            )
            await checked()
            await page.screenshot(path=str(DESKTOP_SCREENSHOT), full_page=True)

            # and asks for Ruang Pimpinan, which waits for approval
            await page.locator(f"#room-{pimpinan.id}").get_by_role("button", name="Request 09:00–10:00").click()
            await expect(page.locator("#booked")).to_have_attribute("data-status", "pending")

            # she books the desk every week, three times: each day's result is shown
            await page.goto(repeat)
            await checked()
            await page.get_by_label("After a number of times").check()
            await page.get_by_role("spinbutton", name="Number of times").fill("3")
            await page.get_by_role("button", name="Book every week").click()
            await expect(page.locator('[data-result="booked"]')).to_have_count(3)
            await checked()
            series_url = page.url

            # Rina accepts the request with the keyboard only
            await act_as("Rina Wulandari")
            await page.goto(f"{server}/approvals")
            await checked()
            accept = page.get_by_role("button", name="Accept Ruang Pimpinan, 09:00")
            for _ in range(40):
                await page.keyboard.press("Tab")
                if await accept.evaluate("button => button === document.activeElement"):
                    break
            else:
                pytest.fail("Tab never reached the Accept button")
            await page.keyboard.press("Enter")
            await expect(page.locator("#decided")).to_be_visible()
            await checked()

            # every page again on a phone: approvals, the decline confirmation, the finder, the series' pages
            await page.set_viewport_size(PHONE)
            for url in (f"{server}/approvals", f"{server}/approvals/{later.id}/decline"):
                await page.goto(url)
                await checked()
            await act_as("Siti Rahmawati")
            for url in (finder, repeat, series_url):
                await page.goto(url)
                await checked()
            await page.goto(finder)
            await page.screenshot(path=str(PHONE_SCREENSHOT), full_page=True)
        finally:
            await browser.close()
