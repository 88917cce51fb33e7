"""Planning where a remote day is worked, then the history of weeks, in a real browser without JavaScript of ours:
in English, then in Bahasa Indonesia, each page passing axe-core at 390 px (granian, headless Chromium).

The served app has the real clock: the planned days are in a coming week without holidays.
"""

from datetime import timedelta

import pytest

from smartoffice.policies.models import WorkDay, WorkMode
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.browser import PHONE, axe_violations
from tests.support.clock import local_today, working_weekday
from tests.support.live_server import CHROMIUM, CHROMIUM_ARGS
from tests.support.week_places import BALIKPAPAN, HOME_REF, where_directorate

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]


@pytest.fixture
def demo_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """The served app in demo mode: the test chooses who it is with the demo's "act as" picker."""
    monkeypatch.setenv("SMARTOFFICE_DEMO_MODE", "1")


@pytest.mark.usefixtures("demo_mode")  # before ``server``, which passes the environment on
async def test_plan_where_a_remote_day_is_worked_then_the_history(
    server: str, runtime: Runtime, factory: Factory
) -> None:
    from playwright.async_api import async_playwright, expect

    # given Siti, with three office days reported in last week
    office = await where_directorate(factory)
    last_monday = local_today() - timedelta(days=local_today().weekday() + 7)
    async with runtime.db.write() as session:
        session.add_all(
            WorkDay(employee_id=office.siti.id, day=last_monday + timedelta(days=n), actual=WorkMode.OFFICE)
            for n in range(3)
        )
    tuesday, thursday = working_weekday(1, after=7), working_weekday(3, after=7)
    week = f"{server}/my-week?week={thursday}"

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport=PHONE)
        try:
            await page.goto(f"{server}/?q=Siti")
            await page.get_by_role("button", name="Act as Siti Rahmawati").click()
            await page.goto(week)

            # the place fields appear once "anywhere" is chosen (CSS only); she plans Thursday at the Balikpapan
            # office of her agency
            day = page.locator(f"#day-{thursday}")
            where = day.get_by_label("Where, for an anywhere day", exact=False)
            await expect(where).to_be_hidden()
            await day.get_by_text("Anywhere (WFA)", exact=True).click()
            await expect(where).to_be_visible()
            await where.select_option("agency_office")
            await day.get_by_label("Which office or place", exact=False).fill(BALIKPAPAN)
            await day.get_by_role("button", name="Save plan").click()

            # the day says where, and the page passes axe on a phone
            await expect(page.get_by_role("status")).to_contain_text("is saved")
            await expect(page.locator(f"#day-{thursday} [data-location]")).to_have_text(
                f"Another office of the agency · {BALIKPAPAN}"
            )
            assert await axe_violations(page) == []

            # her history of weeks, from My week: last week compliant with its three office days
            await page.get_by_role("link", name="History of weeks").click()
            await expect(page.get_by_role("heading", name="History of weeks", level=1)).to_be_visible()
            last_week = page.locator(f"#week-{last_monday}")
            await expect(last_week).to_have_attribute("data-status", "compliant")
            await expect(last_week.locator('[data-number="office"]')).to_have_text("3 of 3")
            await expect(page.get_by_role("row")).to_have_count(13)
            assert await axe_violations(page) == []

            # in Bahasa Indonesia: the history, then the week, where she plans Tuesday at home
            await page.locator('form.language-switch button[lang="id"]').click()
            await expect(page.get_by_role("heading", name="Riwayat minggu", level=1)).to_be_visible()
            await expect(last_week.locator('[data-number="office"]')).to_have_text("3 dari 3")
            assert await axe_violations(page) == []
            await page.goto(week)
            await expect(page.locator(f"#day-{thursday} [data-location]")).to_have_text(
                f"Kantor lain instansi · {BALIKPAPAN}"
            )
            day = page.locator(f"#day-{tuesday}")
            await day.get_by_text("Rumah (WFH)", exact=True).click()
            await expect(day.get_by_label("Tempat, untuk hari kerja dari mana saja", exact=False)).to_be_hidden()
            await day.get_by_role("button", name="Simpan rencana").click()
            await expect(page.locator(f"#day-{tuesday} [data-location]")).to_have_text(f"Rumah terdaftar · {HOME_REF}")
            assert await axe_violations(page) == []
            await page.screenshot(path="/tmp/where_my_week_id.png", full_page=True)
        finally:
            await browser.close()
