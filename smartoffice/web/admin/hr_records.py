"""``/admin/hr-records``: administrators load performance ratings and discipline cases from an HR file, and look
up what SmartOffice holds of one person.

1. **Upload** (``POST /admin/hr-records/upload``, multipart: ``kind`` ``ratings`` or ``cases``, and ``file``): the
   bytes are staged in Redis for 30 minutes under a random token that only this administrator may use
   (``HrRecordsService.stage``), and the browser goes on to
2. **Preview** (``GET /admin/hr-records/preview/<token>``): what the file would change now (new, changed and
   unchanged counts) or every bad row by line and column; a valid file that changes something has a confirm form.
3. **Confirm** (``POST .../<token>/confirm``): the service plans the same bytes again inside its write transaction
   and writes them when they are still valid, audited as the administrator via ``page``; the staged bytes are
   dropped and the browser is sent (303) back to the page with the counts. A file that has become invalid meanwhile
   sends the browser back to its preview, which shows why.

``?nip=<NIP>`` shows one person's ratings (latest year first) and cases. Losing Redis only means uploading again.
"""

from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, get, post
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from redis.exceptions import RedisError

from smartoffice import formats, labels
from smartoffice.audit.record import Actor
from smartoffice.errors import NotFound
from smartoffice.hr.plan import ChangeKind, HrPlan
from smartoffice.hr.reader import COLUMNS, HEADERS, REQUIRED
from smartoffice.hr.records import RecordKind
from smartoffice.hr.service import PersonRecords
from smartoffice.i18n import N_, Language, gettext
from smartoffice.policies.models import CaseStatus, Rating
from smartoffice.runtime import runtime_of
from smartoffice.web.admin.access import StaffVisitor, admin_visitor
from smartoffice.web.admin.uploads import (
    form_problem,
    imported_counts,
    problem_rows,
    staged_upload,
    too_large_page,
    uploaded_content,
)
from smartoffice.web.errors import PageError
from smartoffice.web.identity import see_other
from smartoffice.web.language import language_of

PAGE_PATH = "/admin/hr-records"
MAX_FILE_BYTES = 10 * 1024 * 1024
"""The largest file accepted: a year's ratings of 100,000 people is about 4 MB as CSV."""
SHOWN_PROBLEMS = 1000
SHOWN_CHANGES = 500


@dataclass(frozen=True, slots=True)
class FileFormat:
    """One kind of file as the page describes it: its columns, the required ones first."""

    kind: RecordKind
    columns: tuple[tuple[str, bool], ...]
    """(header, required)"""


def file_formats() -> list[FileFormat]:
    return [
        FileFormat(kind, tuple((HEADERS[column][0], column in REQUIRED[kind]) for column in COLUMNS[kind]))
        for kind in RecordKind
    ]


FIELD_NAMES = {
    "period": N_("Year"),
    "rating": N_("Rating"),
    "reference": N_("Number"),
    "status": N_("Status"),
    "opened_on": N_("Opened"),
    "closed_on": N_("Closed"),
}
"""A row's field as the preview names it."""


def value_text(language: Language, value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, date):
        return formats.long_date(language, value)
    if isinstance(value, Rating):
        return labels.label(language, value)
    if isinstance(value, CaseStatus):
        return gettext(language, CASE_STATUSES[value])
    return str(value)


CASE_STATUSES = {
    CaseStatus.PENDING: N_("Under examination"),
    CaseStatus.ACTIVE: N_("Sanction in force"),
    CaseStatus.CLOSED: N_("Closed"),
}


def change_rows(plan: HrPlan, language: Language) -> list[dict[str, Any]]:
    """What each row changes: every field of a new row, the changed fields of another (before and after)."""
    return [
        {
            "line": change.position,
            "nip": change.nip,
            "is_new": change.kind == ChangeKind.NEW,
            "fields": [
                {
                    "name": gettext(language, FIELD_NAMES[name]),
                    "before": value_text(language, change.before[name]) if change.before is not None else None,
                    "after": value_text(language, value),
                }
                for name, value in change.after.items()
            ],
        }
        for change in plan.changes[:SHOWN_CHANGES]
    ]


def plan_view(plan: HrPlan, language: Language) -> dict[str, Any]:
    problems, problems_left_off = problem_rows(plan.problems, language, SHOWN_PROBLEMS)
    return {
        "kind": plan.kind.value,
        "is_valid": plan.is_valid,
        "changes_nothing": plan.changes_nothing,
        "new": plan.count(ChangeKind.NEW),
        "changed": plan.count(ChangeKind.CHANGED),
        "unchanged": plan.unchanged,
        "changes": change_rows(plan, language),
        "changes_left_off": max(0, len(plan.changes) - SHOWN_CHANGES),
        "problems": problems,
        "problems_left_off": problems_left_off,
    }


def _imported(values: dict[str, str]) -> dict[str, int | str] | None:
    """The counts the confirmation sent the browser back with, and the kind of records imported."""
    kind, counts = values.get("imported"), imported_counts(values)
    if kind not in {k.value for k in RecordKind} or counts is None:
        return None
    return {"kind": str(kind), **counts}


async def _page(
    request: Request[Any, Any, Any],
    staff: StaffVisitor,
    *,
    nip: str | None = None,
    error: PageError | None = None,
    upload_kind: str | None = None,
) -> Template:
    """The page: the two upload forms, the search by NIP and, for a NIP, the person's records."""
    language = language_of(request)
    person: PersonRecords | None = None
    search_error: PageError | None = None
    number = "".join((nip or "").split())
    if number:
        if not (len(number) == 18 and number.isascii() and number.isdigit()):
            text = gettext(language, "A NIP is 18 digits.")
            search_error = form_problem(language, 422, "hr_nip_invalid", text)
        else:
            try:
                person = await runtime_of(request).hr_records.records_of(staff.id, number)
            except NotFound:
                text = gettext(language, "No employee has the NIP %(nip)s.", nip=number)
                search_error = PageError(404, "hr_nip_unknown", gettext(language, "Not found"), text)
    shown = error or search_error
    return Template(
        template_name="admin/hr_records.html",
        context={
            "staff": staff,
            "viewer": staff.viewer,
            "admin_current": "hr",
            "nav_current": "admin",
            "formats": file_formats(),
            "max_megabytes": MAX_FILE_BYTES // (1024 * 1024),
            "upload_error": error,
            "upload_kind": upload_kind,
            "nip": number,
            "person": person,
            "search_error": search_error,
            "imported": _imported(dict(request.query_params)),
        },
        status_code=shown.status if shown else 200,
    )


@get(PAGE_PATH, name="admin-hr-records")
async def hr_records_page(request: Request[Any, Any, Any], nip: FromQuery[str | None] = None) -> Template:
    return await _page(request, await admin_visitor(request), nip=nip)


def _too_large(request: Request[Any, Any, Any], _exc: Exception) -> Response[Any]:
    return too_large_page(request, MAX_FILE_BYTES, "hr_file_too_large")


@post(
    PAGE_PATH + "/upload",
    name="admin-hr-records-upload",
    request_max_body_size=MAX_FILE_BYTES + 64 * 1024,  # the file and the form's few other fields
    exception_handlers={RequestEntityTooLarge: _too_large},
)
async def hr_records_upload(request: Request[Any, Any, Any]) -> Template | Redirect | Response[Any]:
    staff = await admin_visitor(request)
    language = language_of(request)
    form = await request.form()
    kind_value, upload = form.get("kind"), form.get("file")
    if kind_value not in {kind.value for kind in RecordKind}:
        text = gettext(language, "Choose whether the file holds ratings or discipline cases.")
        return await _page(request, staff, error=form_problem(language, 422, "hr_kind_missing", text))
    kind = RecordKind(kind_value)
    uploaded = await uploaded_content(upload, language, "hr")
    if isinstance(uploaded, PageError):
        return await _page(request, staff, error=uploaded, upload_kind=kind)
    _file_name, content = uploaded
    if len(content) > MAX_FILE_BYTES:
        return _too_large(request, RequestEntityTooLarge())
    try:
        token = await runtime_of(request).hr_records.stage(staff.id, kind, content)
    except RedisError:
        return await _page(request, staff, error=PageError.busy(language), upload_kind=kind)
    return see_other(f"{PAGE_PATH}/preview/{token}")


@get(PAGE_PATH + "/preview/{token:str}", name="admin-hr-records-preview")
async def hr_records_preview(request: Request[Any, Any, Any], token: FromPath[str]) -> Template:
    staff = await admin_visitor(request)
    language = language_of(request)
    service = runtime_of(request).hr_records
    staged = await staged_upload(service.staged(staff.id, token), language, "hr_upload_expired")
    if isinstance(staged, PageError):
        return await _page(request, staff, error=staged)
    plan = await service.preview(staged.kind, staged.content, actor=Actor(staff.id, "page"))
    return Template(
        template_name="admin/hr_records_preview.html",
        context={
            "staff": staff,
            "viewer": staff.viewer,
            "admin_current": "hr",
            "nav_current": "admin",
            "token": token,
            "view": plan_view(plan, language),
        },
        status_code=200 if plan.is_valid else 422,
    )


@post(PAGE_PATH + "/preview/{token:str}/confirm", name="admin-hr-records-confirm")
async def hr_records_confirm(request: Request[Any, Any, Any], token: FromPath[str]) -> Template | Redirect:
    staff = await admin_visitor(request)
    language = language_of(request)
    service = runtime_of(request).hr_records
    staged = await staged_upload(service.staged(staff.id, token), language, "hr_upload_expired")
    if isinstance(staged, PageError):
        return await _page(request, staff, error=staged)
    result = await service.run(staged.kind, staged.content, actor=Actor(staff.id, "page"))
    if not result.plan.is_valid:
        return see_other(f"{PAGE_PATH}/preview/{token}")  # it shows why, now
    with suppress(RedisError):  # it expires by itself; confirming again would change nothing
        await service.unstage(token)
    counts = {
        "imported": staged.kind.value,
        "created": result.plan.count(ChangeKind.NEW),
        "updated": result.plan.count(ChangeKind.CHANGED),
        "unchanged": result.plan.unchanged,
    }
    return see_other(f"{PAGE_PATH}?{urlencode(counts)}")


HR_RECORDS_ROUTES = [hr_records_page, hr_records_upload, hr_records_preview, hr_records_confirm]
