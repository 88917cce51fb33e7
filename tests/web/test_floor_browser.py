"""The floor page in a real browser: the real app served by granian, driven through headless Chromium."""

import re
from pathlib import Path

import pytest

from smartoffice.bookings.service import BookDeskRequest
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.browser import PHONE, axe_violations
from tests.support.clock import tomorrow
from tests.support.live_server import CHROMIUM, CHROMIUM_ARGS
from tests.support.office_floor import book_some, office_floor

SCREENSHOT = Path("/tmp/floor.png")
PHONE_SCREENSHOT = Path("/tmp/floor-phone.png")
DESKTOP_SCREENSHOT = Path("/tmp/floor-desktop.png")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]


async def test_book_a_desk_from_the_plan_and_from_the_list(server: str, runtime: Runtime, factory: Factory) -> None:
    from playwright.async_api import async_playwright, expect

    # given: a floor where colleagues already hold some desks, and me
    office = await office_floor(factory, runtime.db)
    day = tomorrow()
    await book_some(runtime, factory, office, day)
    siti = await factory.employee(name="Siti Rahmawati")
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

            # cancelling is a link to its confirmation page (smartoffice/web/cancel.py), not a one-click form
            panel_cancel = page.locator("#desk-panel").get_by_role("link", name="Cancel my booking", exact=True)
            await expect(panel_cancel).to_have_attribute("href", re.compile(r"^/bookings/\d+/cancel$"))
            [booking] = (await runtime.bookings.upcoming(siti.id)).bookings
            await runtime.bookings.cancel(siti.id, booking.id)

            # the list below the plan books too (one form, each button naming its desk)
            await page.goto(floor_url)
            in_list = page.locator(f"#desk-{desk.id}")
            await page.get_by_role("button", name="Book desk T2-3-A9", exact=True).click()
            await expect(in_list).to_have_attribute("data-status", "mine")
            await expect(
                in_list.get_by_role("link", name="Cancel my booking of desk T2-3-A9", exact=True)
            ).to_be_visible()
        finally:
            await browser.close()


READABILITY = """() => {
  const plan = document.querySelector("svg.plan");
  const texts = [...plan.querySelectorAll("text")].map((t) => {
    const m = t.getScreenCTM();
    const scale = Math.hypot(m.a, m.b);
    return {
      text: t.textContent,
      px: parseFloat(getComputedStyle(t).fontSize) * scale,
      turned: Math.abs(m.b) > 1e-6 || Math.abs(m.c) > 1e-6 || m.a <= 0 || m.d <= 0,
    };
  });
  const desks = [...plan.querySelectorAll("a.desk")].map((a) => {
    const r = a.getBoundingClientRect();
    return { id: a.dataset.deskId, width: r.width, height: r.height };
  });
  return {
    small: texts.filter((t) => t.px < 12).map((t) => `${t.text} ${t.px.toFixed(1)}px`),
    turned: texts.filter((t) => t.turned).map((t) => t.text),
    labels: texts.length,
    tiny: desks.filter((d) => d.width < 24 || d.height < 24).map((d) => `${d.id} ${d.width}x${d.height}`),
    desks: desks.length,
    pageWidth: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
  };
}"""


async def test_the_plan_reads_pans_zooms_and_filters_on_a_phone_and_a_desktop(
    server: str, runtime: Runtime, factory: Factory
) -> None:
    from playwright.async_api import async_playwright, expect

    # given: the office floor; my teammate on A1 and a colleague of another unit who hides her presence on A2
    office = await office_floor(factory, runtime.db)
    day = tomorrow()
    unit = await factory.unit()
    await factory.employee(unit, name="Rina Kusuma")
    teammate = await factory.employee(unit, name="Siti Rahmawati", share_presence=False)
    stranger = await factory.employee(name="Bambang Hidden", share_presence=False)
    mate_desk, private_desk = office.desk("T2-3-A1"), office.desk("T2-3-A2")
    await runtime.bookings.book_desk(teammate.id, BookDeskRequest(mate_desk.id, day))
    await runtime.bookings.book_desk(stranger.id, BookDeskRequest(private_desk.id, day))
    floor_url = f"{server}/floors/{office.floor.id}?date={day}"

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport=PHONE)
        try:
            await page.goto(f"{server}/?q=Rina")
            await page.get_by_role("button", name="Act as Rina Kusuma").click()
            await expect(page.get_by_text("You are now acting as this employee.")).to_be_visible()

            for viewport in (PHONE, {"width": 1280, "height": 800}):
                await page.set_viewport_size(viewport)
                await page.goto(floor_url)
                # readable: no plan text under 12 px or turned, every desk a 24 px target, no sideways page
                seen = await page.evaluate(READABILITY)
                assert seen["labels"] >= len(office.desks) and seen["desks"] == len(office.desks)
                assert (seen["small"], seen["turned"], seen["tiny"]) == ([], [], []), viewport
                assert seen["pageWidth"] <= seen["viewport"], viewport
                assert await axe_violations(page) == [], viewport
                if viewport is PHONE:
                    await page.locator(".plan-card").screenshot(path=str(PHONE_SCREENSHOT))
                else:
                    await page.screenshot(path=str(DESKTOP_SCREENSHOT))

            # my teammate is named (and marked); the colleague who hides her presence is not
            mate = page.locator(f'svg.plan a[data-desk-id="{mate_desk.id}"]')
            await expect(mate).to_have_attribute("aria-label", "Desk T2-3-A1, booked: Siti Rahmawati (your team)")
            await expect(mate).to_have_attribute("data-team", "true")
            await expect(page.locator(f"#desk-{mate_desk.id}")).to_contain_text("Siti Rahmawati")
            await expect(page.locator(f'svg.plan a[data-desk-id="{private_desk.id}"]')).to_have_attribute(
                "aria-label", "Desk T2-3-A2, booked"
            )
            await expect(page.locator("body")).not_to_contain_text("Bambang")

            # zoom by keyboard: + makes the plan bigger inside its box, "Fit plan" fits it in the box
            plan = page.locator("svg.plan")
            width = float(await plan.get_attribute("width") or 0)
            await page.get_by_role("button", name="Zoom in").focus()
            await page.keyboard.press("Enter")
            await expect(plan).not_to_have_attribute("width", str(int(width)))
            assert float(await plan.get_attribute("width") or 0) > width
            await page.get_by_role("button", name="Fit plan").focus()
            await page.keyboard.press("Enter")
            box = await page.locator("[data-plan-viewport]").evaluate("(b) => b.clientWidth")
            assert float(await plan.get_attribute("width") or 0) <= box
            assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

            # the amenity filter applies as it is ticked: desks without a docking station fade, rows go
            await page.get_by_label("docking").check()
            without, with_docking = office.desk("T2-3-A1"), office.desk("T2-3-A2")
            await expect(page.locator(f'svg.plan a[data-desk-id="{without.id}"]')).to_have_attribute("data-match", "no")
            await expect(page.locator(f'svg.plan a[data-desk-id="{with_docking.id}"]')).not_to_have_attribute(
                "data-match", "no"
            )
            await expect(page.locator(f"#desk-{without.id}")).to_be_hidden()
            await expect(page.locator(f"#desk-{with_docking.id}")).to_be_visible()
            assert "amenity=docking" in page.url

            # Tab from the top reaches the plan's desks, and Enter on one opens its panel
            await page.goto(floor_url)
            for _ in range(60):
                await page.keyboard.press("Tab")
                if await page.evaluate("document.activeElement.classList.contains('desk')"):
                    break
            focused = await page.evaluate("document.activeElement.getAttribute('aria-label')")
            assert focused == "Desk T2-3-A1, booked: Siti Rahmawati (your team)"
            other = office.desk("T2-3-B4")
            await page.locator(f'svg.plan a[data-desk-id="{other.id}"]').focus()
            await page.keyboard.press("Enter")
            await expect(page).to_have_url(f"{floor_url}&desk={other.id}#desk-panel")
            await expect(page.get_by_role("heading", name="Desk T2-3-B4")).to_be_visible()
            await expect(page.locator(f'svg.plan a[data-desk-id="{other.id}"]')).to_have_attribute(
                "aria-current", "true"
            )
        finally:
            await browser.close()
