"""The exemption pages without JavaScript: a person asks with an evidence file, the supervisor recommends from the
queue, the unit head decides, the person follows and withdraws; who may open the file, and how it is served."""

import re
from datetime import timedelta
from typing import Any

import httpx
import pytest

from smartoffice.policies.exemptions import months_end
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.clock import days_ahead
from tests.support.pages import CSRF_FIELD, PageClient
from tests.support.policies import Team, build_team

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
IDEMPOTENCY = re.compile(r'name="idempotency_key" value="([^"]+)"')


@pytest.fixture
async def team(factory: Factory) -> Team:
    return await build_team(factory)


def fields(**overrides: Any) -> dict[str, str]:
    values = {
        "starts_on": days_ahead(7).isoformat(),
        "ends_on": days_ahead(40).isoformat(),
        "remote_days": "3",
        "reason": "Merawat orang tua yang sakit",
        "work_plan": "Laporan harian kepada atasan",
        "evidence": "",
    }
    return {**values, **{k: str(v) for k, v in overrides.items()}}


async def send_request(
    pages: PageClient, data: dict[str, str], file: tuple[str, bytes, str] | None = ("surat.pdf", PDF, "application/pdf")
) -> httpx.Response:
    """The request form as a browser sends it: multipart, with the page's CSRF token and idempotency key."""
    page = await pages.get("/exemptions")
    csrf = CSRF_FIELD.search(page.text)
    key = IDEMPOTENCY.search(page.text)
    assert csrf and key
    files = {"evidence_file": file} if file else {"evidence_file": ("", b"", "application/octet-stream")}
    body = {"_csrf_token": csrf.group(1), "idempotency_key": key.group(1), **data}
    return await pages.http.post("/exemptions", data=body, files=files, follow_redirects=False)


def exemption_id_of(response: httpx.Response) -> int:
    assert response.status_code == 303, response.text
    match = re.fullmatch(r"/exemptions/(\d+)\?done=requested", response.headers["location"])
    assert match, response.headers["location"]
    return int(match.group(1))


async def test_requested_recommended_and_approved_from_the_pages(pages: PageClient, team: Team) -> None:
    person = team.staff[0]
    await pages.act_as(person.id)
    exemption_id = exemption_id_of(await send_request(pages, fields()))

    detail = await pages.get(f"/exemptions/{exemption_id}?done=requested")
    assert 'data-stage="awaiting_recommendation"' in detail.text
    assert "Surat keterangan" not in detail.text and "Download surat.pdf" in detail.text
    mine = await pages.get("/exemptions")
    assert f'id="exemption-{exemption_id}"' in mine.text and "Withdraw…" in mine.text

    await pages.act_as(team.supervisor.id)
    queue = await pages.get("/exemptions/queue")
    assert f'id="recommend-{exemption_id}"' in queue.text
    assert "Merawat orang tua yang sakit" in queue.text and "Laporan harian kepada atasan" in queue.text
    recommended = await pages.submit(
        f"/exemptions/{exemption_id}/recommendation",
        {"recommend": "yes", "note": "Layak didukung", "return_to": "/exemptions/queue"},
        from_page="/exemptions/queue",
    )
    assert recommended.headers["location"] == "/exemptions/queue?done=recommended"
    assert "No request waits for your recommendation." in (await pages.get("/exemptions/queue")).text

    await pages.act_as(team.head.id)
    queue = await pages.get("/exemptions/queue")
    assert f'id="decide-{exemption_id}"' in queue.text and "Recommended by Atasan Langsung" in queue.text
    decided = await pages.submit(
        f"/exemptions/{exemption_id}/decision",
        {"decision": "approve", "note": "Disetujui", "overrides_discipline": "on", "return_to": "/exemptions/queue"},
        from_page="/exemptions/queue",
    )
    assert decided.headers["location"] == "/exemptions/queue?done=approved"

    await pages.act_as(person.id)
    await pages.submit("/language", {"language": "id"}, from_page="/exemptions")
    mine = await pages.get("/exemptions")
    assert 'data-stage="approved"' in mine.text
    assert "Disetujui" in mine.text and "Tetap berlaku selama ada kasus hukuman disiplin." in mine.text
    assert "Permohonan Anda" in mine.text and "Tarik…" not in mine.text


async def test_the_evidence_file_is_a_download_for_those_who_may_see_it(pages: PageClient, team: Team) -> None:
    person = team.staff[0]
    await pages.act_as(person.id)
    exemption_id = exemption_id_of(await send_request(pages, fields(), ("Surat Dokter.pdf", PDF, "text/html")))

    for viewer in (person, team.supervisor, team.head, team.admin):
        await pages.act_as(viewer.id)
        response = await pages.get(f"/exemptions/{exemption_id}/evidence")
        assert response.status_code == 200
        assert response.content == PDF
        assert response.headers["content-type"] == "application/pdf"  # the stored type, not the claimed one
        assert response.headers["content-disposition"] == 'attachment; filename="Surat_Dokter.pdf"'
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "sandbox" in response.headers["content-security-policy"]
    for outsider in (team.staff[1], team.stranger):
        await pages.act_as(outsider.id)
        assert (await pages.get(f"/exemptions/{exemption_id}/evidence")).status_code == 404
        assert (await pages.get(f"/exemptions/{exemption_id}")).status_code == 404


@pytest.mark.parametrize(
    ("file", "language", "words"),
    [
        (("surat.pdf", b"MZ\x90\x00" + b"\x00" * 60, "application/pdf"), "en", "must be a PDF, PNG or JPEG file"),
        (("surat.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"), "id", "harus berupa berkas PDF"),
    ],
)
async def test_a_renamed_program_or_page_is_refused_and_the_form_keeps_the_text(
    pages: PageClient, team: Team, runtime: Runtime, file: tuple[str, bytes, str], language: str, words: str
) -> None:
    await pages.act_as(team.staff[0].id)
    if language == "id":
        await pages.submit("/language", {"language": "id"}, from_page="/exemptions")

    refused = await send_request(pages, fields(reason="Anak sakit keras"), file)

    assert refused.status_code == 422
    assert 'data-code="EVIDENCE_TYPE_NOT_ALLOWED"' in refused.text and words in refused.text
    assert ">Anak sakit keras</textarea>" in refused.text
    assert await runtime.policies.exemptions_of(team.staff[0].id) == []


async def test_beyond_three_calendar_months_is_refused_on_the_page(pages: PageClient, team: Team) -> None:
    await pages.act_as(team.staff[0].id)
    start = days_ahead(7)
    day_after = months_end(start, 3) + timedelta(days=1)  # the same day of the month 3 months later

    refused = await send_request(pages, fields(starts_on=start, ends_on=day_after))

    assert refused.status_code == 422
    assert 'data-code="EXEMPTION_TOO_LONG"' in refused.text
    assert "at the latest" in refused.text


async def test_the_person_withdraws_after_a_confirmation(pages: PageClient, team: Team, runtime: Runtime) -> None:
    person = team.staff[0]
    await pages.act_as(person.id)
    exemption_id = exemption_id_of(await send_request(pages, fields(evidence="Surat RSUD"), None))

    confirm = await pages.get(f"/exemptions/{exemption_id}/withdraw")
    assert "Withdraw this request?" in confirm.text
    withdrawn = await pages.submit(
        f"/exemptions/{exemption_id}/withdraw", {}, from_page=f"/exemptions/{exemption_id}/withdraw"
    )
    again = await pages.submit(f"/exemptions/{exemption_id}/withdraw", {}, from_page="/exemptions")

    assert withdrawn.headers["location"] == f"/exemptions?done=withdrawn#exemption-{exemption_id}"
    assert again.status_code == 303 and again.headers["location"] == "/exemptions"
    page = await pages.get("/exemptions")
    assert 'data-code="EXEMPTION_NOT_PENDING"' in page.text  # shown once
    assert 'data-stage="withdrawn"' in page.text
    (details,) = await runtime.policies.exemptions_of(person.id)
    assert details.exemption.withdrawn_at is not None


async def test_nobody_but_the_supervisor_recommends(pages: PageClient, team: Team) -> None:
    await pages.act_as(team.staff[0].id)
    exemption_id = exemption_id_of(await send_request(pages, fields()))
    await pages.act_as(team.staff[1].id)
    await pages.submit("/language", {"language": "id"}, from_page="/exemptions/queue")

    refused = await pages.submit(
        f"/exemptions/{exemption_id}/recommendation",
        {"recommend": "yes", "return_to": "/exemptions/queue"},
        from_page="/exemptions/queue",
    )
    page = await pages.get("/exemptions/queue")

    assert refused.headers["location"] == "/exemptions/queue"
    assert 'data-code="NOT_YOUR_RECOMMENDATION"' in page.text and "Hanya atasan langsung" in page.text
    assert "Tidak ada permohonan yang menunggu rekomendasi Anda." in page.text


async def test_the_same_form_sent_twice_makes_one_request(pages: PageClient, team: Team, runtime: Runtime) -> None:
    await pages.act_as(team.staff[0].id)
    page = await pages.get("/exemptions")
    csrf, key = CSRF_FIELD.search(page.text), IDEMPOTENCY.search(page.text)
    assert csrf and key
    body = {"_csrf_token": csrf.group(1), "idempotency_key": key.group(1), **fields()}
    files = {"evidence_file": ("surat.pdf", PDF, "application/pdf")}

    first = await pages.http.post("/exemptions", data=body, files=files, follow_redirects=False)
    again = await pages.http.post("/exemptions", data=body, files=files, follow_redirects=False)

    assert exemption_id_of(first) == exemption_id_of(again)
    assert len(await runtime.policies.exemptions_of(team.staff[0].id)) == 1


async def test_a_file_over_5_mb_is_refused(pages: PageClient, team: Team, runtime: Runtime) -> None:
    await pages.act_as(team.staff[0].id)
    just_over = PDF + b"\x00" * (5 * 1024 * 1024 + 1 - len(PDF))
    far_over = PDF + b"\x00" * (6 * 1024 * 1024)

    over = await send_request(pages, fields(), ("surat.pdf", just_over, "application/pdf"))
    too_large = await send_request(pages, fields(), ("surat.pdf", far_over, "application/pdf"))

    assert over.status_code == 422 and 'data-code="EVIDENCE_TOO_LARGE"' in over.text
    assert too_large.status_code == 413 and "larger than 5 MB" in too_large.text
    assert await runtime.policies.exemptions_of(team.staff[0].id) == []


async def test_the_request_page_offers_each_person_their_own_form(pages: PageClient, team: Team) -> None:
    await pages.act_as(team.staff[0].id)
    exemption_id = exemption_id_of(await send_request(pages, fields()))
    url = f"/exemptions/{exemption_id}"

    as_person = await pages.get(url)
    await pages.act_as(team.supervisor.id)
    as_supervisor = await pages.get(url)
    await pages.act_as(team.head.id)
    await pages.submit("/language", {"language": "id"}, from_page=url)
    as_head = await pages.get(url)

    assert "Withdraw…" in as_person.text and "/recommendation" not in as_person.text
    assert "/decision" not in as_person.text
    assert "Your recommendation as direct supervisor" in as_supervisor.text and "/decision" not in as_supervisor.text
    assert "Keputusan Anda sebagai pimpinan unit kerja" in as_head.text
    assert "Atasan langsung belum memberikan rekomendasi." in as_head.text
    assert "/recommendation" not in as_head.text and "Tarik…" not in as_head.text
