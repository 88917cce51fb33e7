"""The occupancy dashboard in a real browser (the app served by granian, headless Chromium): at a phone's width and
a desktop's it passes axe-core and does not scroll sideways; a keyboard reaches a building in the breakdown and
drills down to it; a table downloads as a CSV file."""

import csv
import io
from pathlib import Path

import pytest

from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.browser import PHONE, axe_violations
from tests.support.live_server import CHROMIUM, CHROMIUM_ARGS
from tests.support.occupancy_world import JULY_LAST, JUNE_FIRST, MONDAY, occupancy_world

DESKTOP = {"width": 1280, "height": 900}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]


async def test_a_facilities_manager_reads_the_site_drills_down_by_keyboard_and_downloads_a_table(
    server: str, runtime: Runtime, factory: Factory, tmp_path: Path
) -> None:
    from playwright.async_api import async_playwright, expect

    world = await occupancy_world(factory, runtime.db)
    site_url = f"{server}/capacity?scope=site-{world.site.id}&from={JUNE_FIRST}&to={JULY_LAST}"

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport=PHONE, accept_downloads=True)
        try:
            await page.goto(f"{server}/?q={world.manager.name}")
            await page.get_by_role("button", name=f"Act as {world.manager.name}").click()
            await expect(page.get_by_text("You are now acting as this employee.")).to_be_visible()

            await page.goto(site_url)
            await expect(page.get_by_role("heading", name=world.site.name)).to_be_visible()
            await expect(page.get_by_role("img", name="People per day")).to_be_visible()
            assert await axe_violations(page) == []  # 390 px: includes "the page does not scroll sideways"
            await page.get_by_text("The numbers as a table").first.click()  # the tables under the charts, opened
            assert await axe_violations(page) == []
            await page.set_viewport_size(DESKTOP)
            assert await axe_violations(page) == []
            await page.set_viewport_size(PHONE)

            # the keyboard alone reaches the tower in the breakdown and opens its dashboard
            tower = page.locator("#parts-table").get_by_role("link", name=world.tower.name)
            for _ in range(150):
                await page.keyboard.press("Tab")
                if await tower.evaluate("link => link === document.activeElement"):
                    break
            else:
                pytest.fail("the breakdown's link to the tower cannot be reached with Tab")
            await page.keyboard.press("Enter")
            await expect(page.get_by_role("heading", name=world.tower.name)).to_be_visible()
            assert f"scope=building-{world.tower.id}" in page.url
            assert await axe_violations(page) == []

            async with page.expect_download() as downloading:
                await page.get_by_role("link", name="CSV (People per day)").click()
            download = await downloading.value
            saved = tmp_path / download.suggested_filename
            await download.save_as(saved)
        finally:
            await browser.close()

    assert download.suggested_filename == f"occupancy-{world.tower.code}-days-{JUNE_FIRST}-{JULY_LAST}.csv"
    content = saved.read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Day", "Weekday", "Working day", "Booked"]
    assert next(row for row in rows if row[0] == MONDAY.isoformat())[3] == "4"
