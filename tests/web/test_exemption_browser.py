"""An exemption's whole path in a real browser, in English and then in Indonesian: a person asks with an evidence
file, their direct supervisor recommends from the queue, the head of the unit approves (applying even during a
discipline case), and the person sees it approved. Every page passes axe-core at 390 px (granian, Chromium)."""

import re
from typing import Any

import pytest

from smartoffice.policies.models import ExemptionStatus
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.browser import PHONE, axe_violations
from tests.support.clock import days_ahead
from tests.support.live_server import CHROMIUM, CHROMIUM_ARGS
from tests.support.policies import build_team

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
WORDS = {
    "en": {
        "title": "Exemptions",
        "send": "Send the request",
        "sent": "Your request is sent.",
        "waiting": "Waiting for the direct supervisor's recommendation",
        "queue": "Exemption requests to handle",
        "recommend": "Recommend",
        "recommended": "Your recommendation is recorded.",
        "approve": "Approve",
        "approved": "The exemption is approved.",
        "stage": "Approved",
        "override": "Applies even during a discipline case.",
    },
    "id": {
        "title": "Pengecualian",
        "send": "Kirim permohonan",
        "sent": "Permohonan Anda terkirim.",
        "waiting": "Menunggu rekomendasi atasan langsung",
        "queue": "Permohonan pengecualian yang perlu ditangani",
        "recommend": "Rekomendasikan",
        "recommended": "Rekomendasi Anda tercatat.",
        "approve": "Setujui",
        "approved": "Pengecualian disetujui.",
        "stage": "Disetujui",
        "override": "Tetap berlaku selama ada kasus hukuman disiplin.",
    },
}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]


async def act_as(page: Any, server: str, name: str, employee_id: int, next_path: str) -> None:
    """The demo's identity switch, as the home page offers it (whatever the page's language)."""
    from playwright.async_api import expect

    await page.goto(f"{server}/?q={name}&next={next_path}")
    await page.locator(f'form[action="/identity"]:has(input[name="employee_id"][value="{employee_id}"]) button').click()
    await expect(page).to_have_url(re.compile(re.escape(f"{server}{next_path}") + r"(\?notice=acting)?$"))


async def accessible(page: Any) -> None:
    assert await axe_violations(page) == []
    await page.set_viewport_size(PHONE)
    assert await axe_violations(page) == []


async def test_requested_recommended_approved_in_both_languages(
    server: str, runtime: Runtime, factory: Factory
) -> None:
    from playwright.async_api import async_playwright, expect

    team = await build_team(factory)

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport={"width": 1280, "height": 900})
        try:
            for person, language in ((team.staff[0], "en"), (team.staff[1], "id")):
                words = WORDS[language]
                await act_as(page, server, person.name, person.id, "/exemptions")
                if language == "id":
                    await page.locator('form.language-switch button[value="id"]').click()
                await expect(page.locator("html")).to_have_attribute("lang", language)
                await expect(page.get_by_role("heading", name=words["title"], level=1)).to_be_visible()

                # the person asks, with a scanned letter
                await page.locator("#starts_on").fill(days_ahead(7).isoformat())
                await page.locator("#ends_on").fill(days_ahead(60).isoformat())
                await page.locator("#remote_days").select_option("3")
                await page.locator("#reason").fill("Merawat orang tua yang sakit")
                await page.locator("#work_plan").fill("Laporan harian kepada atasan")
                await page.locator("#evidence_file").set_input_files(
                    files=[{"name": "surat dokter.pdf", "mimeType": "application/pdf", "buffer": PDF}]
                )
                await accessible(page)
                await page.get_by_role("button", name=words["send"]).click()
                await expect(page.get_by_role("status")).to_contain_text(words["sent"])
                await expect(page.locator("[data-stage]")).to_have_text(words["waiting"])
                await accessible(page)
                exemption_id = await page.locator("[data-exemption-id]").get_attribute("data-exemption-id")

                # the direct supervisor recommends from the queue
                await page.set_viewport_size({"width": 1280, "height": 900})
                await act_as(page, server, team.supervisor.name, team.supervisor.id, "/exemptions/queue")
                await expect(page.get_by_role("heading", name=words["queue"], level=1)).to_be_visible()
                card = page.locator(f"#recommend-{exemption_id}")
                await expect(card.get_by_role("link", name="surat_dokter.pdf")).to_be_visible()
                await accessible(page)
                await card.locator("textarea").fill("Layak didukung")
                await expect(card.locator('button[value="yes"]')).to_contain_text(words["recommend"])
                await card.locator('button[value="yes"]').click()
                await expect(page.get_by_role("status")).to_contain_text(words["recommended"])

                # the head of the unit approves, applying even during a discipline case
                await page.set_viewport_size({"width": 1280, "height": 900})
                await act_as(page, server, team.head.name, team.head.id, "/exemptions/queue")
                card = page.locator(f"#decide-{exemption_id}")
                await expect(card).to_contain_text("Layak didukung")
                await accessible(page)
                await card.locator('input[name="overrides_discipline"]').check()
                await expect(card.locator('button[value="approve"]')).to_contain_text(words["approve"])
                await card.locator('button[value="approve"]').click()
                await expect(page.get_by_role("status")).to_contain_text(words["approved"])
                await page.screenshot(path=f"/tmp/exemption-queue-{language}.png", full_page=True)

                # the person sees it approved
                await page.set_viewport_size({"width": 1280, "height": 900})
                await act_as(page, server, person.name, person.id, "/exemptions")
                row = page.locator(f"#exemption-{exemption_id}")
                await expect(row.locator("[data-stage]")).to_have_text(words["stage"])
                await expect(row).to_contain_text(words["override"])
                await accessible(page)
                await page.screenshot(path=f"/tmp/exemptions-{language}.png", full_page=True)
                await page.set_viewport_size({"width": 1280, "height": 900})
        finally:
            await browser.close()

    for person in team.staff[:2]:
        (details,) = await runtime.policies.exemptions_of(person.id)
        assert (details.exemption.status, details.exemption.overrides_discipline) == (ExemptionStatus.APPROVED, True)
        assert details.evidence is not None and details.evidence.file_name == "surat_dokter.pdf"
