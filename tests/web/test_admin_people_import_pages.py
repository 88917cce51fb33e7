"""The people import page (``/admin/people/import``): upload → preview → confirm → result, for administrators only.

The preview shows what the file would change (or every bad line, with no confirm button); confirming applies
exactly the previewed plan (or shows the new one when the data changed meanwhile), once; the result page can be
reloaded without importing again; the import is audited as the administrator, via ``web``."""

import re
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select, update

from smartoffice.audit.models import AuditEntry
from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.db import utcnow
from smartoffice.people.models import Employee, Role
from smartoffice.runtime import Runtime
from smartoffice.web.admin.people_import import MAX_FILE_BYTES
from tests.factories import Factory
from tests.support.bookings import insert_booking
from tests.support.org_chart import build_org_chart
from tests.support.pages import CSRF_FIELD, PageClient
from tests.support.people_files import HEAD_NIP, STAFF_NIP, csv_bytes, head, pppk, staff, valid_rows
from tests.support.people_import import by_nip, counts, towers

ADMINS_ONLY = "Only administrators may do this"
STAFF_ONLY = "Only administrators and managers may open the administration pages"
PREVIEW = re.compile(r"^/admin/people/import/([A-Za-z0-9_-]+)$")
RESULT = re.compile(r"^/admin/people/import/result/([A-Za-z0-9_-]+)$")
FINGERPRINT = re.compile(r'name="fingerprint" value="([0-9a-f]{64})"')


async def upload(pages: PageClient, content: bytes, name: str = "pegawai.csv") -> httpx.Response:
    """The upload form posted as a browser sends it: multipart, with the CSRF token of the form's page."""
    form = await pages.get("/admin/people/import")
    match = CSRF_FIELD.search(form.text)
    token = match.group(1) if match else pages.http.cookies["csrftoken"]
    files = {"file": (name, content, "text/csv")}
    return await pages.http.post(
        "/admin/people/import", data={"_csrf_token": token}, files=files, follow_redirects=False
    )


async def preview_of(pages: PageClient, content: bytes) -> tuple[str, httpx.Response]:
    """Upload ``content``: the preview's path and the preview page."""
    response = await upload(pages, content)
    assert response.status_code == 303, response.text
    path = response.headers["location"]
    assert PREVIEW.match(path)
    return path, await pages.get(path)


async def confirm(pages: PageClient, preview_path: str, preview: httpx.Response) -> httpx.Response:
    match = FINGERPRINT.search(preview.text)
    assert match, "the preview has no confirm form"
    return await pages.submit(f"{preview_path}/confirm", {"fingerprint": match.group(1)}, from_page=preview_path)


async def signed_in_admin(pages: PageClient, factory: Factory) -> Employee:
    """An administrator of another agency than the files' (so the import never makes them leave)."""
    admin = await factory.employee(name="Admin Kepegawaian")
    await factory.role(admin, Role.ADMIN)
    await pages.act_as(admin.id)
    return admin


async def audit_rows(runtime: Runtime) -> list[tuple[str, int | None, str]]:
    async with runtime.db.read() as session:
        query = select(AuditEntry.action, AuditEntry.actor_id, AuditEntry.via).order_by(AuditEntry.id)
        return [tuple(row) for row in await session.execute(query)]  # type: ignore[misc]


def count_shown(html: str, name: str) -> int:
    match = re.search(rf'data-count="{name}">(\d+)<', html)
    assert match, f"no {name} count on the page"
    return int(match.group(1))


async def test_a_valid_file_previews_confirms_and_the_result_reloads_without_importing_again(
    pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    await towers(factory)
    admin = await signed_in_admin(pages, factory)

    path, preview = await preview_of(pages, csv_bytes(valid_rows()))

    assert preview.status_code == 200
    assert count_shown(preview.text, "new") == 3 and count_shown(preview.text, "leaving") == 0
    assert "Bambang Santoso" in preview.text and "Agus Pratama" in preview.text
    assert STAFF_NIP not in await by_nip(runtime.db)  # a preview writes nothing

    done = await confirm(pages, path, preview)
    assert done.status_code == 303 and RESULT.match(done.headers["location"])
    result = await pages.get(done.headers["location"])

    assert result.status_code == 200 and "The people file is imported." in result.text
    assert count_shown(result.text, "new") == 3
    people = await by_nip(runtime.db)
    assert {HEAD_NIP, STAFF_NIP} <= set(people)
    rows = await audit_rows(runtime)
    assert rows and {(actor, via) for _action, actor, via in rows} == {(admin.id, "page")}
    assert sum(1 for action, _actor, _via in rows if action == "employee.create") == 3

    # reloading the result, or sending the confirmation again, imports nothing more
    before = await counts(runtime.db)
    again = await pages.get(done.headers["location"])
    resent = await confirm(pages, path, preview)
    assert again.status_code == 200 and "The people file is imported." in again.text
    assert resent.status_code == 404 and "Upload the file again." in resent.text
    assert await counts(runtime.db) == before


async def test_the_same_file_again_previews_no_changes_and_offers_no_confirm(
    pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    await towers(factory)
    await signed_in_admin(pages, factory)
    await runtime.people_import.run(csv_bytes(valid_rows()))

    _path, preview = await preview_of(pages, csv_bytes(valid_rows()))

    assert preview.status_code == 200
    assert "No changes: the database already matches this file." in preview.text
    assert not FINGERPRINT.search(preview.text)


async def test_a_file_with_one_bad_nip_shows_the_line_and_reason_and_writes_nothing(
    pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    await towers(factory)
    await signed_in_admin(pages, factory)
    before = await counts(runtime.db)

    _path, preview = await preview_of(pages, csv_bytes([head(), staff(NIP="19860110201001100"), pppk()]))

    assert preview.status_code == 422
    assert "The file has 1 error; nothing can be imported." in preview.text
    row = re.search(r'<tr data-line="3" data-code="(\w+)">(.*?)</tr>', preview.text, re.S)
    assert row, preview.text
    assert "NIP" in row.group(1) and "NIP" in row.group(2)  # the reason, naming the column
    assert not FINGERPRINT.search(preview.text)  # no confirm button
    assert await counts(runtime.db) == before


async def test_a_leavers_future_bookings_are_shown_then_cancelled(
    pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    await towers(factory)
    await signed_in_admin(pages, factory)
    await runtime.people_import.run(csv_bytes(valid_rows()))
    leaver = (await by_nip(runtime.db))[STAFF_NIP]
    desk = await factory.desk()
    start = utcnow().replace(microsecond=0) + timedelta(days=2)
    booking = await insert_booking(runtime.db, desk, leaver, start, start + timedelta(hours=8))
    await insert_booking(runtime.db, desk, leaver, start + timedelta(days=1), start + timedelta(days=1, hours=8))

    path, preview = await preview_of(pages, csv_bytes([head(), pppk()]))

    assert count_shown(preview.text, "leaving") == 1
    row = re.search(rf'<tr data-nip="{STAFF_NIP}">.*?class="bookings-lost">(\d+)<', preview.text, re.S)
    assert row and row.group(1) == "2"
    assert "2 future bookings of the people leaving will be cancelled." in preview.text

    done = await confirm(pages, path, preview)
    result = await pages.get(done.headers["location"])

    assert 'data-count="cancelled_bookings">2<' in result.text
    async with runtime.db.read() as session:
        status = await session.scalar(select(Booking.status).where(Booking.id == booking.id))
        active = await session.scalar(select(Employee.active).where(Employee.id == leaver.id))
    assert status == BookingStatus.CANCELLED and active is False


async def test_a_confirmation_after_the_data_changed_shows_the_new_preview_instead(
    pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    await towers(factory)
    await signed_in_admin(pages, factory)
    await runtime.people_import.run(csv_bytes(valid_rows()))
    renamed = csv_bytes([head(), staff(Nama="Agus Pratama Putra"), pppk()])
    path, preview = await preview_of(pages, renamed)
    assert count_shown(preview.text, "changed") == 1
    assert (
        "<strong>Nama</strong>: <del>Agus Pratama</del>" in preview.text
        and "<ins>Agus Pratama Putra</ins>" in preview.text
    )
    # someone else renames him meanwhile, exactly as the file would
    async with runtime.db.write() as session:
        await session.execute(update(Employee).where(Employee.nip == STAFF_NIP).values(name="Agus Pratama Putra"))
    before = await counts(runtime.db)

    response = await confirm(pages, path, preview)

    assert response.status_code == 303 and response.headers["location"] == f"{path}?changed=1"
    replanned = await pages.get(response.headers["location"])
    assert "The data changed since your preview" in replanned.text
    assert "No changes: the database already matches this file." in replanned.text
    assert await counts(runtime.db) == before


async def test_a_file_too_large_or_missing_is_refused_in_words(pages: PageClient, factory: Factory) -> None:
    await signed_in_admin(pages, factory)

    too_large = await upload(pages, b"x" * (MAX_FILE_BYTES + 1))
    far_too_large = await upload(pages, b"x" * (MAX_FILE_BYTES + 1024 * 1024))  # refused before it is all read
    form = await pages.get("/admin/people/import")
    token = CSRF_FIELD.search(form.text)
    assert token
    missing = await pages.http.post("/admin/people/import", data={"_csrf_token": token.group(1)}, files={})

    assert too_large.status_code == 413 and "The file is larger than 10 MB." in too_large.text
    assert far_too_large.status_code == 413 and "The file is larger than 10 MB." in far_too_large.text
    assert missing.status_code == 422 and "Choose a CSV or XLSX file to upload." in missing.text


async def test_the_example_file_and_the_columns_are_offered(pages: PageClient, factory: Factory) -> None:
    await signed_in_admin(pages, factory)

    form = await pages.get("/admin/people/import")
    example = await pages.get("/admin/people/import/example.csv")

    assert 'href="/admin/people/import/example.csv"' in form.text and "<code>Kode Unit Induk</code>" in form.text
    assert example.status_code == 200 and example.headers["content-type"].startswith("text/csv")
    assert example.text.startswith("Kode Instansi;Instansi;Kode Unit")


async def test_an_upload_is_the_uploaders_only(pages: PageClient, factory: Factory) -> None:
    await towers(factory)
    await signed_in_admin(pages, factory)
    path, _preview = await preview_of(pages, csv_bytes(valid_rows()))
    other = await factory.employee(name="Admin Lain")
    await factory.role(other, Role.ADMIN)
    await pages.act_as(other.id)

    response = await pages.get(path)

    assert response.status_code == 404 and "Upload the file again." in response.text


ROUTES = [
    ("GET", "/admin/people/import"),
    ("GET", "/admin/people/import/example.csv"),
    ("POST", "/admin/people/import"),
    ("GET", "/admin/people/import/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
    ("POST", "/admin/people/import/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/confirm"),
    ("GET", "/admin/people/import/result/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
]


@pytest.mark.parametrize("who", ["employee", "unit_head", "facilities_manager"])
@pytest.mark.parametrize(("method", "url"), ROUTES)
async def test_anyone_but_an_administrator_gets_the_permission_page(
    pages: PageClient, factory: Factory, runtime: Runtime, who: str, method: str, url: str
) -> None:
    if who == "employee":
        visitor, says = await factory.employee(), STAFF_ONLY
    elif who == "unit_head":
        visitor, says = (await build_org_chart(factory)).director, ADMINS_ONLY
    else:
        visitor, says = await factory.employee(), ADMINS_ONLY
        await factory.role(visitor, Role.FACILITIES_MANAGER, site_id=(await factory.site()).id)
    await pages.act_as(visitor.id)

    if method == "GET":
        response = await pages.get(url)
    else:
        response = await pages.submit(url, {"fingerprint": "0" * 64}, from_page="/")

    assert response.status_code == 403 and says in response.text
    async with runtime.db.read() as session:
        assert await session.scalar(select(func.count()).select_from(AuditEntry)) == 0
