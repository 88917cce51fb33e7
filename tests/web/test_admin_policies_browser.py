"""HR's path through the office-day policies in a real browser, in English and then in Indonesian: list the
policies, set a unit policy through its preview, end it; every page passes axe-core at 390 px (and the list at
1280) (granian, headless Chromium)."""

import pytest
from sqlalchemy import select

from smartoffice.policies.models import Policy
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.browser import PHONE, axe_violations
from tests.support.live_server import CHROMIUM, CHROMIUM_ARGS
from tests.support.policies import MON, build_team

DESKTOP = {"width": 1280, "height": 900}
WORDS = {
    "en": {
        "list": "Office-day policies",
        "new": "Set a new policy",
        "check": "Check who is affected",
        "covered": "4 people are covered on the first day.",
        "set": "Set this policy",
        "done": "The policy is set.",
        "end": "End",
        "end_heading": "End a policy",
        "end_it": "End it after",
        "ended": "The policy is ended.",
    },
    "id": {
        "list": "Kebijakan hari kerja di kantor",
        "new": "Tetapkan kebijakan baru",
        "check": "Periksa siapa yang terdampak",
        "covered": "4 pegawai tercakup pada hari pertama.",
        "set": "Tetapkan kebijakan ini",
        "done": "Kebijakan ditetapkan.",
        "end": "Akhiri",
        "end_heading": "Akhiri kebijakan",
        "end_it": "Akhiri setelah",
        "ended": "Kebijakan diakhiri.",
    },
}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]


async def test_an_admin_sets_and_ends_a_unit_policy(server: str, runtime: Runtime, factory: Factory) -> None:
    from playwright.async_api import async_playwright, expect

    team = await build_team(factory)

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport=DESKTOP)
        try:
            await page.goto(f"{server}/?q=Admin")
            await page.get_by_role("button", name="Act as Admin").click()
            await expect(page.get_by_text("You are now acting as this employee.")).to_be_visible()
            for language, words in WORDS.items():
                code = f"UNIT-DITREN-{language.upper()}"
                if language == "id":
                    await page.locator('form.language-switch button[value="id"]').click()
                    await expect(page.locator("html")).to_have_attribute("lang", "id")
                await page.set_viewport_size(DESKTOP)
                await page.goto(f"{server}/admin/policies?day={MON}")
                await expect(page.get_by_role("heading", name=words["list"], level=1)).to_be_visible()
                await expect(page.locator(f"#policy-{team.national.id}")).to_be_visible()
                assert await axe_violations(page) == []
                await page.set_viewport_size(PHONE)
                assert await axe_violations(page) == []

                await page.get_by_role("link", name=words["new"]).click()
                await expect(page.get_by_role("heading", name=words["new"], level=1)).to_be_visible()
                assert await axe_violations(page) == []
                await page.locator("#policy-code").fill(code)
                await page.locator("#policy-name").fill("Satu hari jarak jauh")
                await page.locator("#policy-level").select_option("unit")
                await page.locator("#policy-basis").fill("Keputusan Direktur Nomor 7 Tahun 2026")
                await page.locator("#policy-set-by").fill("Direktur Perencanaan")
                await page.locator("#policy-from").fill(MON.isoformat())
                await page.locator("#scope-unit").select_option(str(team.directorate.id))
                # the English pass's policy is still in force that week (it ends on its Friday): go one day lower
                await page.locator("#rule-max-remote-days-per-week").fill("1" if language == "en" else "0")
                await page.get_by_role("button", name=words["check"]).click()

                await expect(page.get_by_text(words["covered"])).to_be_visible()
                await expect(page.locator("tr[data-employee-id]")).to_have_count(4)
                assert await axe_violations(page) == []
                await page.screenshot(path=f"/tmp/admin-policies-preview-{language}.png", full_page=True)
                await page.get_by_role("button", name=words["set"]).click()

                await expect(page.get_by_role("status")).to_contain_text(words["done"])
                async with runtime.db.read() as session:
                    policy = await session.scalar(select(Policy).where(Policy.code == code))
                assert policy is not None and policy.effective_until is None
                await page.goto(f"{server}/admin/policies?day={MON}")
                await page.locator(f"#policy-{policy.id}").get_by_role("link", name=words["end"]).click()
                await expect(page.get_by_role("heading", name=words["end_heading"], level=1)).to_be_visible()
                await page.locator("#end-last-day").fill("2026-07-10")
                await page.get_by_role("button", name=words["check"]).click()
                await expect(page.get_by_role("button", name=words["end_it"])).to_be_visible()
                assert await axe_violations(page) == []
                await page.get_by_role("button", name=words["end_it"]).click()

                await expect(page.get_by_role("status")).to_contain_text(words["ended"])
                assert await axe_violations(page) == []
                async with runtime.db.read() as session:
                    ended = await session.get_one(Policy, policy.id)
                    await session.refresh(ended)
                assert ended.effective_until is not None and ended.effective_until.isoformat() == "2026-07-10"
        finally:
            await browser.close()
