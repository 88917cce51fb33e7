"""A unit head's path in a real browser, in English then in Indonesian: open the unit's compliance, filter it to a
sub-unit, open the trend and who is in on a day, then review and set the unit's anchor days; every page passes
axe-core at 390 px (granian, headless Chromium)."""

from typing import Any

import pytest
from sqlalchemy import select

from smartoffice.policies.models import AnchorDay
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.browser import PHONE, axe_violations
from tests.support.live_server import CHROMIUM, CHROMIUM_ARGS
from tests.support.policies import build_team

WORDS = {
    "en": {"compliance": "Compliance: Kedeputian Pendanaan", "show": "Show", "trend": "Trend",
           "trend_title": "Compliance trend: Kedeputian Pendanaan", "day": "Who is in", "tuesday": "Tuesday",
           "in_office": "In the office", "anchor": "Anchor days", "weekday": "Wednesday",
           "review": "Review the change", "confirm": "Confirm the anchor days", "saved": "anchor days are Wednesday"},
    "id": {"compliance": "Kepatuhan: Kedeputian Pendanaan", "show": "Tampilkan", "trend": "Tren",
           "trend_title": "Tren kepatuhan: Kedeputian Pendanaan", "day": "Siapa yang hadir", "tuesday": "Selasa",
           "in_office": "Di kantor", "anchor": "Hari jangkar", "weekday": "Kamis",
           "review": "Tinjau perubahannya", "confirm": "Konfirmasi hari jangkar", "saved": "hari jangkarnya Kamis"},
}  # fmt: skip

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]


async def accessible(page: Any) -> None:
    assert await axe_violations(page) == []


async def test_a_unit_head_reads_compliance_and_sets_anchor_days_in_both_languages(
    server: str, runtime: Runtime, factory: Factory
) -> None:
    from playwright.async_api import async_playwright, expect

    team = await build_team(factory)

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport=PHONE)
        try:
            start = f"/units/{team.deputy.id}/compliance"
            await page.goto(f"{server}/?q=Kepala&next={start}")
            await page.locator(
                f'form[action="/identity"]:has(input[name="employee_id"][value="{team.head.id}"]) button'
            ).click()
            await expect(page.locator(f"#member-{team.head.id}")).to_be_attached()
            for language in ("en", "id"):
                words = WORDS[language]
                if language == "id":
                    await page.goto(f"{server}{start}")
                    await page.locator('form.language-switch button[value="id"]').click()
                await expect(page.locator("html")).to_have_attribute("lang", language)
                await expect(page.get_by_role("heading", name=words["compliance"], level=1)).to_be_visible()
                await accessible(page)

                # the sub-unit filter: the deputy's head leaves, the directorate's staff stay
                await page.locator("#subunit").select_option(str(team.directorate.id))
                await page.get_by_role("button", name=words["show"], exact=True).click()
                await expect(page.locator(f"#member-{team.head.id}")).to_have_count(0)
                await expect(page.locator(f"#member-{team.staff[0].id}")).to_be_attached()
                await accessible(page)

                # the trend, filtered as well
                await page.get_by_role("link", name=words["trend"], exact=True).click()
                await expect(page.get_by_role("heading", name=words["trend_title"], level=1)).to_be_visible()
                await expect(page.locator("table.trend tbody tr")).to_have_count(8)
                await accessible(page)
                await page.screenshot(path=f"/tmp/compliance-trend-{language}.png", full_page=True)

                # who is in on Tuesday
                await page.get_by_role("link", name=words["day"], exact=True).click()
                await page.locator("nav.days").get_by_role("link", name=words["tuesday"]).click()
                await expect(page.locator("#group-in_office")).to_contain_text(words["in_office"])
                await expect(page.locator("nav.days a[aria-current=date]")).to_contain_text(words["tuesday"])
                await accessible(page)

                # anchor days: review, then confirm
                await page.get_by_role("link", name=words["anchor"], exact=True).click()
                await accessible(page)
                for box in await page.locator('input[name="weekdays"]').all():
                    await box.uncheck()
                await page.get_by_label(words["weekday"]).check()
                await page.get_by_role("button", name=words["review"]).click()
                await expect(page.locator("#review")).to_contain_text(words["weekday"])
                await accessible(page)
                await page.get_by_role("button", name=words["confirm"]).click()
                await expect(page.get_by_role("status")).to_contain_text(words["saved"])
                await accessible(page)
                await page.screenshot(path=f"/tmp/anchor-days-{language}.png", full_page=True)
        finally:
            await browser.close()

    async with runtime.db.read() as session:
        rows = (await session.scalars(select(AnchorDay).where(AnchorDay.org_unit_id == team.deputy.id))).all()
    assert [row.weekday for row in rows] == [3]  # Thursday replaced Wednesday from the same day
