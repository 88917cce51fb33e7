"""``/admin/hr-records`` through a client that behaves like a browser without JavaScript: upload, preview, confirm;
bad rows by line with nothing written; one person's records by NIP; anyone but an administrator refused."""

import re

import httpx
import pytest

from smartoffice.hr.records import RecordKind
from smartoffice.people.models import Role
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.hr_records import audit_rows, cases, cases_file, ratings, ratings_file
from tests.support.pages import CSRF_FIELD, PageClient
from tests.support.policies import Team, build_team

PAGE = "/admin/hr-records"


@pytest.fixture
async def team(factory: Factory) -> Team:
    return await build_team(factory)


async def upload(pages: PageClient, kind: str, content: bytes, name: str = "hr.csv") -> httpx.Response:
    """POST the page's upload form (multipart) as a browser would after loading the page."""
    page = await pages.get(PAGE)
    match = CSRF_FIELD.search(page.text)
    token = match.group(1) if match else pages.http.cookies["csrftoken"]
    return await pages.http.post(
        PAGE + "/upload",
        data={"_csrf_token": token, "kind": kind},
        files={"file": (name, content, "text/csv")},
        follow_redirects=False,
    )


def confirm_action(html: str) -> str:
    match = re.search(r'action="(/admin/hr-records/preview/[^"]+/confirm)"', html)
    assert match, "the preview has no confirm form"
    return match.group(1)


async def test_an_admin_uploads_previews_and_confirms_a_ratings_file(
    pages: PageClient, runtime: Runtime, team: Team
) -> None:
    await pages.act_as(team.admin.id)
    content = ratings_file((team.staff[0].nip, 2025, "Sangat Baik"), (team.staff[1].nip, 2025, "Kurang"))

    uploaded = await upload(pages, "ratings", content)
    assert uploaded.status_code == 303
    preview = await pages.get(uploaded.headers["location"])
    assert preview.status_code == 200
    assert '<li data-count="new">New: 2</li>' in preview.text
    assert re.findall(r'<tr data-line="(\d)" data-kind="(\w+)">', preview.text) == [("2", "new"), ("3", "new")]
    assert await ratings(runtime.db) == {}  # a preview writes nothing

    action = confirm_action(preview.text)
    done = await pages.submit(action, {}, from_page=uploaded.headers["location"])
    assert done.status_code == 303 and done.headers["location"].startswith(PAGE + "?imported=ratings")
    shown = await pages.get(done.headers["location"])
    assert "Ratings imported." in shown.text and "New: 2, changed: 0, unchanged: 0." in shown.text
    assert await ratings(runtime.db) == {(team.staff[0].nip, 2025): "sangat_baik", (team.staff[1].nip, 2025): "kurang"}
    assert {(e["actor_id"], e["via"]) for e in await audit_rows(runtime.db)} == {(team.admin.id, "page")}
    # a second file that changes one rating says what it was and what it becomes
    changed = await upload(pages, "ratings", ratings_file((team.staff[1].nip, 2025, "Baik")))
    second = await pages.get(changed.headers["location"])
    assert re.findall(r'<tr data-line="(\d)" data-kind="(\w+)">', second.text) == [("2", "changed")]
    assert "<li>Rating: Poor → Good</li>" in second.text
    # the upload is gone once imported: confirming again imports nothing twice
    again = await pages.submit(action, {}, from_page=PAGE)
    assert again.status_code == 404 and "hr_upload_expired" in again.text


async def test_a_file_with_bad_rows_shows_each_line_and_cannot_be_confirmed(
    pages: PageClient, runtime: Runtime, team: Team
) -> None:
    await pages.act_as(team.admin.id)
    content = cases_file(
        (team.staff[0].nip, "K-1", "closed", "2026-06-10", "2026-06-01"),
        ("199912312020121999", "K-2", "active", "2026-06-10", ""),
    )

    uploaded = await upload(pages, "cases", content)
    preview = await pages.get(uploaded.headers["location"])

    assert preview.status_code == 422
    assert '<tr data-line="2" data-code="CLOSED_BEFORE_OPENED">' in preview.text
    assert '<tr data-line="3" data-code="NIP_UNKNOWN">' in preview.text
    assert "/confirm" not in preview.text
    assert await cases(runtime.db) == {}


async def test_a_persons_ratings_and_cases_are_shown_by_nip(pages: PageClient, runtime: Runtime, team: Team) -> None:
    person = team.staff[0]
    await runtime.hr_records.run(
        RecordKind.RATINGS, ratings_file((person.nip, 2024, "Baik"), (person.nip, 2025, "Kurang"))
    )
    await runtime.hr_records.run(RecordKind.CASES, cases_file((person.nip, "K-9", "active", "2026-06-01", "")))
    await pages.act_as(team.admin.id)

    found = await pages.get(f"{PAGE}?nip={person.nip}")
    unknown = await pages.get(f"{PAGE}?nip=199912312020121999")
    malformed = await pages.get(f"{PAGE}?nip=123")

    assert found.status_code == 200 and person.name in found.text
    assert re.findall(r'data-period="(\d+)" data-rating="(\w+)"', found.text) == [("2025", "kurang"), ("2024", "baik")]
    assert '<tr data-status="active">' in found.text and "K-9" in found.text
    assert unknown.status_code == 404 and "hr_nip_unknown" in unknown.text
    assert malformed.status_code == 422 and "hr_nip_invalid" in malformed.text


async def test_someone_who_is_no_admin_is_refused_and_cannot_use_an_admins_upload(
    pages: PageClient, runtime: Runtime, team: Team, factory: Factory
) -> None:
    await pages.act_as(team.admin.id)
    uploaded = await upload(pages, "ratings", ratings_file((team.staff[0].nip, 2025, "Baik")))
    preview_path = uploaded.headers["location"]
    other_admin = await factory.employee(name="Admin Lain")
    await factory.role(other_admin, Role.ADMIN)

    await pages.act_as(team.head.id)  # a unit manager: the admin pages, but not this one
    refused = await pages.get(PAGE)
    refused_preview = await pages.get(preview_path)
    await pages.act_as(other_admin.id)
    not_theirs = await pages.get(preview_path)

    assert refused.status_code == 403 and refused_preview.status_code == 403
    assert not_theirs.status_code == 404 and "hr_upload_expired" in not_theirs.text
    assert await ratings(runtime.db) == {}
