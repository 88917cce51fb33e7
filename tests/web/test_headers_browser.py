"""The pages and GraphiQL work in Chromium under their Content-Security-Policy: no violation reported, and the
nonce'd style really applies (issue 10, item 8)."""

import pytest

from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.clock import tomorrow
from tests.support.live_server import CHROMIUM, CHROMIUM_ARGS
from tests.support.office_floor import office_floor

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`);
});
"""
BRAND_DARK = "rgb(8, 57, 47)"
"""base.html's ``--brand-dark``: the header has it only if the nonce'd <style> was applied."""


async def test_floor_my_week_and_graphiql_run_without_a_policy_violation(
    server: str, runtime: Runtime, factory: Factory
) -> None:
    from playwright.async_api import async_playwright, expect

    office = await office_floor(factory, runtime.db)
    await factory.employee(name="Siti Rahmawati")
    console_violations: list[str] = []
    seen: dict[str, list[str]] = {}

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport={"width": 1360, "height": 900})
        await page.add_init_script(RECORD_VIOLATIONS)
        page.on(
            "console",
            lambda message: (
                console_violations.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        try:
            await page.goto(f"{server}/?q=Siti")
            await page.get_by_role("button", name="Act as Siti Rahmawati").click()
            await expect(page.get_by_text("You are now acting as this employee.")).to_be_visible()
            header = page.locator(".site-header")

            await page.goto(f"{server}/floors/{office.floor.id}?date={tomorrow()}")
            await expect(page.locator("svg.plan")).to_be_visible()
            await expect(header).to_have_css("background-color", BRAND_DARK)
            seen["floor"] = await page.evaluate("window.__violations")

            await page.goto(f"{server}/my-week")
            await expect(page.get_by_role("heading", level=1)).to_be_visible()
            await expect(header).to_have_css("background-color", BRAND_DARK)
            seen["my week"] = await page.evaluate("window.__violations")

            await page.goto(f"{server}/graphql")
            await expect(page.locator(".graphiql-query-editor .CodeMirror")).to_be_visible()
            seen["graphiql"] = await page.evaluate("window.__violations")
        finally:
            await browser.close()

    assert seen == {"floor": [], "my week": [], "graphiql": []}
    assert console_violations == []
