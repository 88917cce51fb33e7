"""The people import in a real browser at a phone's width: upload a file, read the preview, confirm, read the
result; each page passes axe-core's checks (the real app served by granian, headless Chromium)."""

from pathlib import Path

import pytest

from smartoffice.people.models import Role
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.browser import PHONE, axe_violations
from tests.support.live_server import CHROMIUM, CHROMIUM_ARGS
from tests.support.people_files import STAFF_NIP, csv_bytes, valid_rows
from tests.support.people_import import by_nip, towers

SCREENSHOT = Path("/tmp/admin-people-import.png")
ACCOUNTS_SCREENSHOT = Path("/tmp/admin-accounts.png")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]


async def test_upload_preview_confirm_at_390px(server: str, runtime: Runtime, factory: Factory, tmp_path: Path) -> None:
    from playwright.async_api import async_playwright, expect

    await towers(factory)
    admin = await factory.employee(name="Admin Kepegawaian")
    await factory.role(admin, Role.ADMIN)
    people_file = tmp_path / "pegawai.csv"
    people_file.write_bytes(csv_bytes(valid_rows()))

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport=PHONE)
        try:
            await page.goto(f"{server}/?q=Admin")
            await page.get_by_role("button", name="Act as Admin Kepegawaian").click()
            await expect(page.get_by_text("You are now acting as this employee.")).to_be_visible()

            await page.goto(f"{server}/admin/people/import")
            await expect(page.get_by_role("heading", name="Import people")).to_be_visible()
            assert await axe_violations(page) == []

            await page.get_by_label("People file (CSV or XLSX, at most 10 MB)").set_input_files(str(people_file))
            await page.get_by_role("button", name="Upload and preview").click()
            await expect(page.get_by_role("heading", name="Import preview")).to_be_visible()
            await expect(page.locator('[data-count="new"]')).to_have_text("3")
            await expect(page.get_by_role("rowheader", name="Agus Pratama")).to_be_visible()
            assert await axe_violations(page) == []

            await page.get_by_role("button", name="Confirm and import").click()
            await expect(page.get_by_role("heading", name="Import done")).to_be_visible()
            await expect(page.get_by_role("status")).to_have_text("The people file is imported.")
            assert await axe_violations(page) == []
            await page.screenshot(path=str(SCREENSHOT), full_page=True)

            await page.reload()  # a GET: nothing is imported again
            await expect(page.get_by_role("heading", name="Import done")).to_be_visible()
        finally:
            await browser.close()

    assert STAFF_NIP in await by_nip(runtime.db)


async def test_accounts_page_create_and_disable_at_390px(server: str, runtime: Runtime, factory: Factory) -> None:
    from playwright.async_api import async_playwright, expect

    admin = await factory.employee(name="Admin Kepegawaian")
    await factory.role(admin, Role.ADMIN)
    person = await factory.employee(name="Dewi Anggraini")

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport=PHONE)
        try:
            await page.goto(f"{server}/?q=Admin")
            await page.get_by_role("button", name="Act as Admin Kepegawaian").click()
            await page.goto(f"{server}/admin/accounts")
            assert await axe_violations(page) == []

            await page.get_by_label("Create an account for (NIP or email)").fill(person.nip)
            await page.get_by_role("button", name="Create account", exact=True).click()
            link = page.locator("#invitation-link")
            await expect(link).to_contain_text(f"{server}/login/invite/")
            assert await axe_violations(page) == []
            await page.screenshot(path=str(ACCOUNTS_SCREENSHOT), full_page=True)

            await page.get_by_role("link", name="Disable the account of Dewi Anggraini").click()
            await expect(page.get_by_role("heading", name="Disable the account of Dewi Anggraini?")).to_be_visible()
            assert await axe_violations(page) == []
            await page.get_by_role("button", name="Disable the account").click()
            await expect(page.get_by_role("status")).to_contain_text("The account of Dewi Anggraini is disabled")
            await expect(page.locator(f'tr[data-employee-id="{person.id}"]')).to_have_attribute(
                "data-state", "disabled"
            )
        finally:
            await browser.close()
