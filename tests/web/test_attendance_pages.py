"""``/admin/attendance`` and its reconciliation through a client that behaves like a browser without JavaScript:
upload, preview (new, changed and unchanged days), confirm; bad rows by line with nothing written; the
reconciliation's counts, rows and CSV for a unit manager; in English and Indonesian; everyone else refused."""

import re

import httpx
import pytest

from smartoffice.policies.models import WorkMode
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.attendance import actuals, attendance_file
from tests.support.pages import CSRF_FIELD, PageClient
from tests.support.policies import MON, TUE, WED, Team, build_team

PAGE = "/admin/attendance"


@pytest.fixture
async def team(factory: Factory) -> Team:
    return await build_team(factory)


async def upload(pages: PageClient, content: bytes, name: str = "presensi.csv") -> httpx.Response:
    page = await pages.get(PAGE)
    match = CSRF_FIELD.search(page.text)
    token = match.group(1) if match else pages.http.cookies["csrftoken"]
    return await pages.http.post(
        PAGE + "/upload",
        data={"_csrf_token": token},
        files={"file": (name, content, "text/csv")},
        follow_redirects=False,
    )


def confirm_action(html: str) -> str:
    match = re.search(r'action="(/admin/attendance/preview/[^"]+/confirm)"', html)
    assert match, "the preview has no confirm form"
    return match.group(1)


async def test_an_admin_uploads_previews_and_confirms_in_both_languages(
    pages: PageClient, runtime: Runtime, team: Team, factory: Factory
) -> None:
    agus, budi = team.staff[0], team.staff[1]
    await factory.work_day(budi, MON, actual=WorkMode.HOME)  # reported before: the file changes it
    await factory.work_day(agus, TUE, actual=WorkMode.OFFICE)  # the same again: unchanged
    await pages.act_as(team.admin.id)
    content = attendance_file(
        (agus.nip, MON.isoformat(), "hadir", "07:30", "e-presensi"),
        (budi.nip, MON.isoformat(), "dinas luar"),
        (agus.nip, TUE.isoformat(), "WFO"),
    )

    uploaded = await upload(pages, content)
    assert uploaded.status_code == 303
    preview = await pages.get(uploaded.headers["location"])
    assert preview.status_code == 200
    assert '<li data-count="new">New: 1</li>' in preview.text
    assert '<li data-count="changed">Changed: 1</li>' in preview.text
    assert '<li data-count="unchanged">Unchanged: 1</li>' in preview.text
    assert re.findall(r'<tr data-line="(\d)" data-kind="(\w+)">', preview.text) == [("2", "new"), ("3", "changed")]
    assert "<li>Status: Home (WFH) → Duty travel</li>" in preview.text
    assert await actuals(runtime.db) == {(budi.nip, MON.isoformat()): "home", (agus.nip, TUE.isoformat()): "office"}
    await pages.submit("/language", {"language": "id"}, from_page=PAGE)
    in_indonesian = await pages.get(uploaded.headers["location"])
    assert "Baru: 1" in in_indonesian.text and "Konfirmasi dan impor" in in_indonesian.text

    done = await pages.submit(confirm_action(preview.text), {}, from_page=uploaded.headers["location"])
    assert done.status_code == 303 and done.headers["location"].startswith(PAGE + "?imported=1")
    shown = await pages.get(done.headers["location"])
    assert "Kehadiran diimpor." in shown.text and "presensi.csv" in shown.text
    assert (await actuals(runtime.db))[budi.nip, MON.isoformat()] == "duty_travel"
    await pages.submit("/language", {"language": "en"}, from_page=PAGE)
    assert "Attendance imported." in (await pages.get(done.headers["location"])).text
    again = await pages.submit(confirm_action(preview.text), {}, from_page=PAGE)
    assert again.status_code == 404 and "attendance_upload_expired" in again.text


async def test_a_file_with_bad_rows_shows_each_line_and_cannot_be_confirmed(
    pages: PageClient, runtime: Runtime, team: Team
) -> None:
    await pages.act_as(team.admin.id)
    content = attendance_file(
        (team.staff[0].nip, MON.isoformat(), "bolos"), ("199912312020121999", MON.isoformat(), "hadir")
    )

    preview = await pages.get((await upload(pages, content)).headers["location"])

    assert preview.status_code == 422
    assert '<tr data-line="2" data-code="ATTENDANCE_STATUS_UNKNOWN">' in preview.text
    assert '<tr data-line="3" data-code="NIP_UNKNOWN">' in preview.text
    assert "/confirm" not in preview.text and await actuals(runtime.db) == {}


async def test_a_unit_manager_sees_the_reconciliation_and_its_csv_in_both_languages(
    pages: PageClient, runtime: Runtime, team: Team, factory: Factory
) -> None:
    await factory.work_day(team.staff[0], MON, actual=WorkMode.OFFICE)
    await pages.act_as(team.head.id)
    url = f"{PAGE}/reconciliation?scope=unit:{team.directorate.id}&from={MON}&to={WED}"

    page = await pages.get(url)
    await pages.submit("/language", {"language": "id"}, from_page=PAGE + "/reconciliation")
    in_indonesian = await pages.get(url)
    sheet = await pages.get(url.replace("/reconciliation?", "/reconciliation.csv?"))

    assert page.status_code == 200 and "Present without a booking" in page.text
    assert re.search(r'<li data-category="present_without_booking"><a [^>]*><strong>1</strong>', page.text)
    assert f'data-category="present_without_booking" data-nip="{team.staff[0].nip}"' in page.text
    assert "Hadir tanpa pemesanan" in in_indonesian.text and "Pemesanan dan kehadiran" in in_indonesian.text
    assert sheet.status_code == 200 and sheet.headers["content-type"].startswith("text/csv")
    assert sheet.text.splitlines()[1].startswith(f"{MON},present_without_booking,{team.staff[0].nip},Staf 1,")
    # the import itself is for administrators; a unit manager is refused it
    assert (await pages.get(PAGE)).status_code == 403


async def test_someone_without_a_role_or_outside_the_unit_is_refused(pages: PageClient, team: Team) -> None:
    await pages.act_as(team.stranger.id)
    assert (await pages.get(PAGE + "/reconciliation")).status_code == 403
    await pages.act_as(team.head.id)
    other = await pages.get(f"{PAGE}/reconciliation?scope=unit:{team.stranger.org_unit_id}&from={MON}&to={WED}")
    assert other.status_code == 403
    bad = await pages.get(f"{PAGE}/reconciliation?scope=unit:{team.directorate.id}&from=2026-01-01&to={WED}")
    assert bad.status_code == 422 and 'data-code="RECONCILIATION_RANGE"' in bad.text
