"""The floor page in a real browser: the real app served by granian, driven through headless Chromium."""

from pathlib import Path

import pytest

from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.clock import tomorrow
from tests.support.live_server import CHROMIUM, CHROMIUM_ARGS
from tests.support.office_floor import book_some, office_floor

SCREENSHOT = Path("/tmp/floor.png")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]


async def test_book_and_cancel_a_desk_from_the_plan(server: str, runtime: Runtime, factory: Factory) -> None:
    from playwright.async_api import async_playwright, expect

    # given: a floor where colleagues already hold some desks, and me
    office = await office_floor(factory, runtime.db)
    day = tomorrow()
    await book_some(runtime, factory, office, day)
    await factory.employee(name="Siti Rahmawati")
    desk = office.desk("T2-3-A9")
    floor_url = f"{server}/floors/{office.floor.id}?date={day}"

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport={"width": 1360, "height": 900})
        try:
            # I act as Siti
            await page.goto(f"{server}/?q=Siti")
            await page.get_by_role("button", name="Act as Siti Rahmawati").click()
            await expect(page.get_by_text("You are now acting as this employee.")).to_be_visible()

            # open the floor and click a free desk on the plan
            await page.goto(floor_url)
            on_plan = page.locator(f'svg.plan a[data-desk-id="{desk.id}"]')
            await expect(on_plan).to_have_attribute("aria-label", "Desk T2-3-A9, free")
            await on_plan.click()
            await expect(page.get_by_role("heading", name="Desk T2-3-A9")).to_be_visible()

            # book it: the plan and the list now say it is mine
            await page.get_by_role("button", name="Book this desk").click()
            await expect(page.get_by_role("status")).to_have_text("Desk T2-3-A9 is booked for you.")
            await expect(on_plan).to_have_attribute("aria-label", "Desk T2-3-A9, booked by you")
            await expect(on_plan).to_have_class("desk desk--mine")
            await expect(page.locator(f"#desk-{desk.id}")).to_contain_text("Booked by you")
            await page.screenshot(path=str(SCREENSHOT), full_page=True)

            # cancel it: free again
            await page.get_by_role("button", name="Cancel my booking", exact=True).click()
            await expect(page.get_by_role("status")).to_have_text("Your booking of desk T2-3-A9 is cancelled.")
            await expect(on_plan).to_have_attribute("aria-label", "Desk T2-3-A9, free")
            await expect(on_plan).to_have_class("desk desk--free")

            # the list below the plan books and cancels too (one form, each button naming its desk)
            in_list = page.locator(f"#desk-{desk.id}")
            await page.get_by_role("button", name="Book desk T2-3-A9", exact=True).click()
            await expect(in_list).to_have_attribute("data-status", "mine")
            await page.get_by_role("button", name="Cancel my booking of desk T2-3-A9").click()
            await expect(in_list).to_have_attribute("data-status", "free")
        finally:
            await browser.close()


async def test_desks_on_the_plan_are_reachable_by_keyboard(server: str, runtime: Runtime, factory: Factory) -> None:
    from playwright.async_api import async_playwright, expect

    office = await office_floor(factory, runtime.db)
    day = tomorrow()
    first, other = office.desks[0], office.desk("T2-3-B4")

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page()
        try:
            await page.goto(f"{server}/floors/{office.floor.id}?date={day}")

            # Tabbing from the top of the page reaches the plan's first desk (the links before it are few)
            for _ in range(40):
                await page.keyboard.press("Tab")
                if await page.evaluate("document.activeElement.classList.contains('desk')"):
                    break
            focused = await page.evaluate("document.activeElement.getAttribute('aria-label')")
            assert focused == f"Desk {first.code}, free"

            # and Enter on a focused desk opens its panel
            await page.locator(f'svg.plan a[data-desk-id="{other.id}"]').focus()
            await page.keyboard.press("Enter")
            await expect(page).to_have_url(f"{server}/floors/{office.floor.id}?date={day}&desk={other.id}#desk-panel")
            await expect(page.get_by_role("heading", name="Desk T2-3-B4")).to_be_visible()
            await expect(page.locator(f'svg.plan a[data-desk-id="{other.id}"]')).to_have_attribute(
                "aria-current", "true"
            )
        finally:
            await browser.close()
