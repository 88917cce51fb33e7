"""Issue 15's words in a real browser: a manager runs the anchor-day planner page, pins a unit, and applies the plan,
at a phone's width (390 px), by keyboard, every step passing axe-core (the real app served by granian, headless
Chromium). Afterwards the moved units' anchor days are set from the planned week's Monday and the pinned unit's are
not."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.browser import PHONE, axe_violations
from tests.support.capacity_planner_tower import TUESDAY, build_tower
from tests.support.live_server import CHROMIUM, CHROMIUM_ARGS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]


async def test_a_manager_runs_the_planner_pins_a_unit_and_applies_the_plan(
    server: str, runtime: Runtime, factory: Factory
) -> None:
    from playwright.async_api import async_playwright, expect

    tower = await build_tower(factory)
    today = datetime.now(ZoneInfo("Asia/Makassar")).date()
    monday = today + timedelta(days=7 - today.weekday())

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport=PHONE)
        try:
            await page.goto(f"{server}/?q=Adi")
            await page.get_by_role("button", name="Act as Adi Admin").click()
            await expect(page.get_by_text("You are now acting as this employee.")).to_be_visible()

            await page.goto(f"{server}/capacity/planner")
            await expect(page.get_by_role("heading", name="Anchor-day planner", exact=True)).to_be_visible()
            assert await axe_violations(page) == []

            # by keyboard: tick the tower, run the planner
            await page.get_by_label("T2 · Menara 2").focus()
            await page.keyboard.press("Space")
            await page.get_by_role("button", name="Run the planner").press("Enter")
            await expect(page.locator("#plan-status")).to_have_text("A plan fits: the fewest units possible move.")
            await expect(page.get_by_text("T2 on Tuesday: 22 expected, limit 17")).to_be_visible()
            assert await axe_violations(page) == []

            # pin DIT-B (it keeps Tuesday) and run again: the two other directorates move instead
            unit_b = page.get_by_role("group", name="DIT-B Direktorat Bina")
            await unit_b.get_by_label("Pin: keep today's days").focus()
            await page.keyboard.press("Space")
            await page.get_by_role("button", name="Run the planner again").press("Enter")
            moves = page.locator("#moves tbody th")
            await expect(moves).to_have_text(["DIT-A Direktorat Air", "DIT-C Direktorat Cipta"])
            await expect(
                page.get_by_role("group", name="DIT-B Direktorat Bina").get_by_label("Pin: keep today's days")
            ).to_be_checked()
            await expect(page.get_by_text("With the plan no building is over its limit on any day.")).to_be_visible()
            assert await axe_violations(page) == []

            # apply from the planned week's Monday (the form's default)
            await expect(page.get_by_label("New anchor days from")).to_have_value(monday.isoformat())
            await page.get_by_role("button", name="Apply the anchor days of 2 units").press("Enter")
            await expect(page.get_by_role("status")).to_contain_text("Anchor days of 2 units set from")
            await expect(page.locator("#plan-status")).to_have_text("A plan fits: the fewest units possible move.")
            await expect(page.locator("#moves")).to_have_count(0)  # the towers fit now: nothing left to move
            assert await axe_violations(page) == []
        finally:
            await browser.close()

    # then: the moved units have new anchor days from that Monday, the pinned one keeps Tuesday
    for code, moved in (("DIT-A", True), ("DIT-C", True), ("DIT-B", False)):
        schedule = await runtime.policies.anchor_schedule(tower.admin.id, tower.units[code].id)
        if moved:
            assert [s.effective_from for s in schedule.scheduled] == [monday]
            assert TUESDAY not in schedule.scheduled[0].weekdays
        else:
            assert schedule.scheduled == [] and schedule.current is not None
            assert list(schedule.current.weekdays) == [TUESDAY]
