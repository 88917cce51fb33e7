"""Issue 12's words in a real browser: a facilities manager gives a ministry 120 seats of a floor on Tuesdays through
/admin/quotas; the page and the removal's confirmation pass axe-core at 1280 and at 390 px (the real app served by
granian, headless Chromium)."""

import pytest
from sqlalchemy import select

from smartoffice.places.models import Space, SpaceKind
from smartoffice.quotas.models import SeatQuota
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


async def test_a_facilities_manager_gives_a_ministry_120_seats_of_a_floor_on_tuesdays(
    server: str, runtime: Runtime, factory: Factory
) -> None:
    from playwright.async_api import async_playwright, expect

    office = await build_office(factory, desks=0)
    async with runtime.db.write() as session:
        session.add_all(
            Space(floor_id=office.floor.id, kind=SpaceKind.DESK, code=f"D{n:03d}", x=1.0, y=1.0, width=1.6, height=0.8)
            for n in range(150)
        )
    ministry = await factory.organisation(name="Kementerian Pekerjaan Umum")
    await factory.unit(ministry, name="Direktorat Jenderal Bina Marga", level=1)

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport=DESKTOP)
        try:
            await page.goto(f"{server}/?q=Fajar")
            await page.get_by_role("button", name="Act as Fajar Facilities").click()
            await expect(page.get_by_text("You are now acting as this employee.")).to_be_visible()

            await page.goto(f"{server}/admin/quotas")
            await expect(page.get_by_role("heading", name="Seat quotas", exact=True)).to_be_visible()
            assert await axe_violations(page) == []
            await page.set_viewport_size(PHONE)
            assert await axe_violations(page) == []

            # keyboard and labels only: what a person using a screen reader would do
            await page.get_by_label("Organisation or unit").select_option(f"organisation-{ministry.id}")
            await page.get_by_label("Building, floor or zone").select_option(f"floor-{office.floor.id}")
            await page.get_by_label("Tuesday").check()
            await page.get_by_label("Seats", exact=False).first.fill("120")
            await page.get_by_role("textbox", name="Note (optional)").fill("SK Sekjen PU 12/2026")
            await page.get_by_role("button", name="Save quota").press("Enter")

            await expect(page.get_by_role("status")).to_have_text("The quota is saved. The change is in the audit log.")
            row = page.locator("tr[data-quota-id]")
            await expect(row).to_contain_text("Kementerian Pekerjaan Umum")
            await expect(row).to_contain_text("120")
            await expect(page.get_by_text("Tuesday: shares total 120 of 150 desks")).to_be_visible()
            assert await axe_violations(page) == []
            assert await page.evaluate(
                "document.documentElement.scrollWidth <= window.innerWidth"
            )  # 390 px: no sideways page
            await page.set_viewport_size(DESKTOP)
            assert await axe_violations(page) == []

            await row.get_by_role("link", name="Remove the quota of Kementerian Pekerjaan Umum on Tuesday").click()
            await expect(page.get_by_role("heading", name="Remove a quota")).to_be_visible()
            assert await axe_violations(page) == []
            await page.set_viewport_size(PHONE)
            assert await axe_violations(page) == []
            await page.get_by_role("link", name="Keep it").click()
            await expect(page.get_by_role("heading", name="Seat quotas", exact=True)).to_be_visible()
        finally:
            await browser.close()

    async with runtime.db.read() as session:
        quotas = (await session.scalars(select(SeatQuota))).all()
    assert [(q.organisation_id, q.floor_id, q.weekday, q.seats, q.note) for q in quotas] == [
        (ministry.id, office.floor.id, 2, 120, "SK Sekjen PU 12/2026")
    ]
