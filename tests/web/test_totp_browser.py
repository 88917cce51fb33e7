"""Two-step sign-in in Chromium at 390 px (issue 11): an administrator's first password sign-in in production ends
on the enrolment page (a QR code, the key as text, a code to confirm), shows the recovery codes once, and the next
sign-in asks for the app's code. axe-core checks the enrolment, recovery-code, code and account pages."""

import time
from typing import Any

import pyotp
import pytest

from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from tests.factories import Factory
from tests.support.browser import PHONE, axe_violations
from tests.support.live_server import CHROMIUM, CHROMIUM_ARGS, serve_app
from tests.support.second_factor import PASSWORD, password_account

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]


async def sign_in(page: Any, base: str, email: str) -> None:
    await page.goto(f"{base}/login")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in", exact=True).click()


async def test_an_admin_enrols_then_signs_in_with_a_code_at_390_px(
    settings: Settings, runtime: Runtime, factory: Factory
) -> None:
    from playwright.async_api import async_playwright, expect

    admin = await password_account(factory, runtime, "Siti Rahmawati", admin=True)
    violations: dict[str, list[str]] = {}
    async with serve_app(settings, demo=False) as base, async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport=PHONE)
        try:
            await sign_in(page, base, admin.email)
            await expect(page.get_by_role("heading", name="Set up two-step sign-in")).to_be_visible()
            await expect(page.locator(".qr svg")).to_be_visible()
            violations["enrol"] = await axe_violations(page)
            fits = await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            secret = (await page.locator("#totp-secret").inner_text()).replace(" ", "")
            app = pyotp.TOTP(secret)

            await page.get_by_label("Code", exact=True).fill(app.now())
            await page.get_by_role("button", name="Confirm and turn on").click()

            await expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
            await expect(page.locator("#recovery-codes li")).to_have_count(10)
            violations["recovery codes"] = await axe_violations(page)
            await page.get_by_role("link", name="I have saved them, continue").click()
            await expect(page.get_by_text("Signed in as")).to_be_visible()
            await page.get_by_role("button", name="Sign out").click()

            await sign_in(page, base, admin.email)
            await expect(page.get_by_role("heading", name="Two-step sign-in")).to_be_visible()
            violations["code"] = await axe_violations(page)
            await page.get_by_label("Code", exact=True).fill(app.at(time.time() + 30))  # the enrolling step is spent
            await page.get_by_role("button", name="Verify and sign in").click()

            await expect(page.get_by_text("Signed in as")).to_be_visible()
            await page.get_by_role("link", name="Your account").click()
            await expect(page.get_by_text("This session")).to_be_visible()
            await expect(page.get_by_text("Recovery codes left: 10.")).to_be_visible()
            violations["account"] = await axe_violations(page)
            account_fits = await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        finally:
            await browser.close()

    assert fits, "the enrolment page scrolls sideways at 390 px"
    assert account_fits, "the account page scrolls sideways at 390 px"
    assert violations == {"enrol": [], "recovery codes": [], "code": [], "account": []}
