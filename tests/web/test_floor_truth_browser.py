"""In a real browser: an employee sees closed, holiday and assigned desks as unavailable, with the reason, before
clicking anything (no Book button), and the page stays accessible at desktop and phone widths."""

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from smartoffice.places.models import Space
from smartoffice.runtime import Runtime
from smartoffice.workcalendar.models import CalendarOverride, DayKind
from tests.factories import Factory
from tests.support.browser import PHONE, axe_violations
from tests.support.clock import at, tomorrow
from tests.support.live_server import CHROMIUM, CHROMIUM_ARGS
from tests.support.office_floor import office_floor

SCREENSHOT = Path("/tmp/floor-truth.png")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]


async def test_closed_zone_assigned_desk_and_holiday_show_before_clicking(
    server: str, runtime: Runtime, factory: Factory
) -> None:
    from playwright.async_api import async_playwright, expect

    # given: the east zone closed tomorrow for renovation, a west desk assigned to a colleague, and the day after
    # tomorrow cuti bersama
    office = await office_floor(factory, runtime.db)
    day = tomorrow()
    holiday = day + timedelta(days=1)
    async with runtime.db.write() as session:
        session.add(CalendarOverride(day=holiday, kind=DayKind.COLLECTIVE_LEAVE, name="Cuti Bersama Hari Raya Natal"))
    owner = await factory.employee(name="Budi Santoso")
    await factory.employee(name="Siti Rahmawati")
    east_desk, assigned, free = office.desk("T2-3-B1"), office.desk("T2-3-A2"), office.desk("T2-3-A9")
    async with runtime.db.write() as session:
        await session.execute(update(Space).where(Space.id == assigned.id).values(assigned_employee_id=owner.id))
    await factory.closure("Renovasi lantai 3", zone_id=east_desk.zone_id, start_at=at(day, 0), end_at=at(day, 23, 59))
    floor_url = f"{server}/floors/{office.floor.id}?date={day}"

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport={"width": 1280, "height": 900})
        try:
            await page.goto(f"{server}/?q=Siti")
            await page.get_by_role("button", name="Act as Siti Rahmawati").click()
            await expect(page.get_by_text("You are now acting as this employee.")).to_be_visible()

            # the floor, before any click: the closed zone's desks and the assigned desk say why
            await page.goto(floor_url)
            closed = page.locator(f'svg.plan a[data-desk-id="{east_desk.id}"]')
            await expect(closed).to_have_class("desk desk--unavailable")
            await expect(closed).to_have_attribute(
                "aria-label", "Desk T2-3-B1, unavailable: Closed at that time: Renovasi lantai 3"
            )
            taken = page.locator(f'svg.plan a[data-desk-id="{assigned.id}"]')
            await expect(taken).to_have_attribute("aria-label", "Desk T2-3-A2, unavailable: Assigned to someone else")
            await expect(page.locator(f"#desk-{east_desk.id}")).to_contain_text("Renovasi lantai 3")
            await expect(page.locator(f"#desk-{assigned.id}")).to_contain_text("Assigned to someone else")
            await expect(page.get_by_role("button", name="Book desk T2-3-B1", exact=True)).to_have_count(0)
            await expect(page.get_by_role("button", name="Book desk T2-3-A2", exact=True)).to_have_count(0)
            await expect(page.get_by_role("button", name="Book desk T2-3-A9", exact=True)).to_have_count(1)
            # 28 west desks, one assigned; 12 east desks, all closed
            await expect(page.locator(".summary")).to_contain_text("27 free")
            await expect(page.locator(".summary")).to_contain_text("13 unavailable")
            assert await axe_violations(page) == []

            # the panel of a closed desk says why and offers no booking
            await closed.click()
            panel = page.locator("#desk-panel")
            await expect(panel).to_contain_text("Closed at that time: Renovasi lantai 3")
            await expect(panel.get_by_role("button", name="Book this desk")).to_have_count(0)
            await page.screenshot(path=str(SCREENSHOT), full_page=True)

            # the free desk still books
            await page.locator(f'svg.plan a[data-desk-id="{free.id}"]').click()
            await expect(panel.get_by_role("button", name="Book this desk")).to_be_visible()

            # on cuti bersama the whole floor is closed, with the holiday's name, at phone width too
            await page.set_viewport_size(PHONE)
            await page.goto(f"{server}/floors/{office.floor.id}?date={holiday}")
            await expect(page.locator(".closed-banner")).to_contain_text("Cuti Bersama Hari Raya Natal")
            await expect(page.locator(".summary")).to_contain_text("0 free")
            await expect(page.locator("svg.plan a.desk--unavailable")).to_have_count(len(office.desks))
            await expect(page.get_by_role("button", name="Book desk T2-3-A9", exact=True)).to_have_count(0)
            assert await axe_violations(page) == []
        finally:
            await browser.close()
