"""Changing a booking rule in a real browser: a facilities manager opens a building's desk rules, changes how far
ahead people may book and saves; every page passes axe-core at 1280 and at 390 px (granian, headless Chromium)."""

import pytest

from smartoffice.audit.record import Actor
from smartoffice.places.models import SpaceKind
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.browser import PHONE, axe_violations
from tests.support.live_server import CHROMIUM, CHROMIUM_ARGS
from tests.support.office import build_office

DESKTOP = {"width": 1280, "height": 900}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]


async def test_a_facilities_manager_changes_a_rule(server: str, runtime: Runtime, factory: Factory) -> None:
    from playwright.async_api import async_playwright, expect

    office = await build_office(factory)
    building = office.floor.building_id

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport=DESKTOP)
        try:
            await page.goto(f"{server}/?q=Fajar")
            await page.get_by_role("button", name="Act as Fajar Facilities").click()
            await expect(page.get_by_text("You are now acting as this employee.")).to_be_visible()

            await page.goto(f"{server}/admin/rules")
            await expect(page.get_by_role("heading", name="Booking rules", exact=True)).to_be_visible()
            assert await axe_violations(page) == []
            await page.set_viewport_size(PHONE)
            assert await axe_violations(page) == []

            await page.locator(f"#building-{building}").get_by_role("link", name="Edit desk rules").click()
            await expect(page.get_by_role("heading", level=1)).to_contain_text("Desk rules of")
            assert await axe_violations(page) == []
            await page.locator("#rule-max_days_in_advance").fill("7")
            await page.screenshot(path="/tmp/admin-rules-edit.png", full_page=True)
            await page.get_by_role("button", name="Save rules").click()

            await expect(page.get_by_role("status")).to_have_text("The rules are saved. New bookings follow them.")
            await expect(page.locator(f"#building-{building}")).to_contain_text("this building")
            await page.screenshot(path="/tmp/admin-rules.png", full_page=True)
            assert await axe_violations(page) == []
            await page.set_viewport_size(DESKTOP)
            assert await axe_violations(page) == []
        finally:
            await browser.close()

    rules = await runtime.booking_rules.effective(Actor(office.admin.id, "test"), building, SpaceKind.DESK)
    assert not rules.inherited and rules.values.max_days_in_advance == 7
