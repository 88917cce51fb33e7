"""Attendance in a real browser, in English then in Indonesian: an administrator uploads a presensi file, sees its
preview, confirms it, and reads the reconciliation with the bookings; every page passes axe-core at 1280 and at
390 px (granian, headless Chromium)."""

from typing import Any

import pytest

from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.attendance import actuals, attendance_file
from tests.support.browser import PHONE, axe_violations
from tests.support.clock import at
from tests.support.live_server import CHROMIUM, CHROMIUM_ARGS
from tests.support.policies import MON, TUE, build_team

DESKTOP = {"width": 1280, "height": 900}
WORDS = {
    "en": {"import": "Attendance", "upload": "Upload and preview", "new": "New: 2", "changed": "Changed: 0",
           "confirm": "Confirm and import", "imported": "Attendance imported.",
           "compare": "Compare bookings with attendance", "show": "Show", "present": "Booked and present",
           "absent": "Booked and absent", "walk_in": "Present without a booking"},
    "id": {"import": "Kehadiran", "upload": "Unggah dan pratinjau", "new": "Baru: 0", "changed": "Berubah: 1",
           "confirm": "Konfirmasi dan impor", "imported": "Kehadiran diimpor.",
           "compare": "Bandingkan pemesanan dengan kehadiran", "show": "Tampilkan", "present": "Memesan dan hadir",
           "absent": "Memesan dan tidak hadir", "walk_in": "Hadir tanpa pemesanan"},
}  # fmt: skip

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]


async def accessible(page: Any) -> None:
    await page.set_viewport_size(DESKTOP)
    assert await axe_violations(page) == []
    await page.set_viewport_size(PHONE)
    assert await axe_violations(page) == []


async def test_an_admin_imports_attendance_and_reads_the_reconciliation_in_both_languages(
    server: str, runtime: Runtime, factory: Factory
) -> None:
    from playwright.async_api import async_playwright, expect

    team = await build_team(factory)
    floor = await factory.floor(await factory.building(name="Menara Bappenas"))
    desk, other = await factory.desk(floor), await factory.desk(floor)
    agus, budi, citra = team.staff
    async with runtime.db.write() as session:
        for person, space, status in ((agus, desk, BookingStatus.CHECKED_IN), (budi, other, BookingStatus.BOOKED)):
            session.add(
                Booking(
                    space_id=space.id, space_kind=space.kind, employee_id=person.id, booked_by_id=person.id,
                    start_at=at(MON, 8), end_at=at(MON, 17), blocks_until=at(MON, 17), status=status,
                    checked_in_at=at(MON, 7, 40) if status == BookingStatus.CHECKED_IN else None,
                )
            )  # fmt: skip
    files = {
        "en": attendance_file((budi.nip, MON.isoformat(), "absent"), (citra.nip, MON.isoformat(), "present", "07:50")),
        "id": attendance_file((budi.nip, MON.isoformat(), "tidak hadir"), (citra.nip, MON.isoformat(), "dinas luar")),
    }

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport=DESKTOP)
        try:
            await page.goto(f"{server}/?q=Admin&next=/admin/attendance")
            await page.locator(
                f'form[action="/identity"]:has(input[name="employee_id"][value="{team.admin.id}"]) button'
            ).click()
            await expect(page.locator("#attendance-file")).to_be_attached()
            for language in ("en", "id"):
                words = WORDS[language]
                if language == "id":
                    await page.locator('form.language-switch button[value="id"]').click()
                await expect(page.locator("html")).to_have_attribute("lang", language)
                await expect(page.get_by_role("heading", name=words["import"], level=1)).to_be_visible()
                await accessible(page)

                # upload, preview, confirm
                await page.locator("#attendance-file").set_input_files(
                    files=[{"name": f"presensi-{language}.csv", "mimeType": "text/csv", "buffer": files[language]}]
                )
                await page.get_by_role("button", name=words["upload"]).click()
                await expect(page.locator("#attendance-counts")).to_contain_text(words["new"])
                await expect(page.locator("#attendance-counts")).to_contain_text(words["changed"])
                await accessible(page)
                await page.screenshot(path=f"/tmp/attendance-preview-{language}.png", full_page=True)
                await page.get_by_role("button", name=words["confirm"]).click()
                await expect(page.get_by_role("status")).to_contain_text(words["imported"])
                await accessible(page)

                # the reconciliation of the directorate's Monday
                await page.get_by_role("link", name=words["compare"]).click()
                await page.locator("#reconcile-scope").select_option(f"unit:{team.directorate.id}")
                await page.locator("#reconcile-from").fill(MON.isoformat())
                await page.locator("#reconcile-to").fill(TUE.isoformat())
                await page.get_by_role("button", name=words["show"], exact=True).click()
                counts = page.locator("#reconcile-counts")
                await expect(counts.locator('[data-category="booked_present"]')).to_contain_text(
                    f"1 {words['present']}"
                )
                await expect(counts.locator('[data-category="booked_absent"]')).to_contain_text(f"1 {words['absent']}")
                walk_ins = "1" if language == "en" else "0"  # then Citra was on duty travel instead
                await expect(counts.locator('[data-category="present_without_booking"]')).to_contain_text(
                    f"{walk_ins} {words['walk_in']}"
                )
                await accessible(page)
                await page.screenshot(path=f"/tmp/attendance-reconciliation-{language}.png", full_page=True)
                await page.goto(f"{server}/admin/attendance")
        finally:
            await browser.close()

    assert await actuals(runtime.db) == {
        (budi.nip, MON.isoformat()): "absent",
        (citra.nip, MON.isoformat()): "duty_travel",
    }
