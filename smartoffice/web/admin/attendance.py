"""``/admin/attendance``: administrators load attendance exported from the presensi system, in three steps.

1. **Upload** (``POST /admin/attendance/upload``, multipart ``file``): the bytes are staged in Redis for 30 minutes
   under a random token only this administrator may use (``AttendanceService.stage``), and the browser goes on to
2. **Preview** (``GET /admin/attendance/preview/<token>``): what the file would change now (new, changed and
   unchanged days, each change with its line) or every bad row by line and column; a valid file that changes
   something has a confirm form.
3. **Confirm** (``POST .../<token>/confirm``): the service plans the same bytes again inside its write transaction
   and writes them when still valid, audited as the administrator via ``page``; the staged bytes are dropped and the
   browser is sent (303) to the page with the counts. A file that became invalid meanwhile goes back to its preview.

The page also lists the latest imports and links to the reconciliation (:mod:`.attendance_reconciliation`).
Losing Redis only means uploading again.
"""

from contextlib import suppress
from datetime import date, time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, get, post
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.params import FromPath
from litestar.response import File, Redirect, Template
from redis.exceptions import RedisError

from smartoffice import formats, labels
from smartoffice.attendance.plan import AttendancePlan, ChangeKind
from smartoffice.attendance.reader import COLUMNS, HEADERS, REQUIRED
from smartoffice.audit.record import Actor
from smartoffice.i18n import N_, Language, gettext
from smartoffice.policies.models import WorkMode
from smartoffice.runtime import runtime_of
from smartoffice.web.admin.access import StaffVisitor, admin_visitor
from smartoffice.web.admin.uploads import (
    example_file,
    imported_counts,
    problem_rows,
    staged_upload,
    too_large_page,
    uploaded_content,
)
from smartoffice.web.errors import PageError
from smartoffice.web.identity import see_other
from smartoffice.web.language import language_of

PAGE_PATH = "/admin/attendance"
MAX_FILE_BYTES = 10 * 1024 * 1024
"""The largest file accepted: a week of 12,000 people (60,000 rows) is about 3 MB as CSV."""
EXAMPLE_FILE = Path("docs") / "examples" / "attendance-example.csv"
SHOWN_PROBLEMS = 1000
SHOWN_CHANGES = 500
FIELD_NAMES = {"actual": N_("Status"), "check_in_time": N_("Check-in"), "source": N_("Source")}


def value_text(language: Language, value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, WorkMode):
        return labels.label(language, value)
    if isinstance(value, time):
        return value.isoformat("minutes")
    return str(value)


def _shown(name: str, before: dict[str, Any] | None, values: dict[str, Any]) -> bool:
    """A new day's fields that are set; a changed day's fields that change."""
    return values[name] is not None if before is None else name in before


def plan_view(plan: AttendancePlan, language: Language) -> dict[str, Any]:
    """What the preview shows: the counts, each change (before → after for a changed day), each problem."""
    changes = [
        {
            "line": change.position,
            "nip": change.nip,
            "day": formats.long_date(language, change.record.day),
            "is_new": change.kind == ChangeKind.NEW,
            "fields": [
                {
                    "name": gettext(language, FIELD_NAMES[name]),
                    "before": value_text(language, change.before[name]) if change.before is not None else None,
                    "after": value_text(language, change.values[name]),
                }
                for name in FIELD_NAMES
                if _shown(name, change.before, change.values)
            ],
        }
        for change in plan.changes[:SHOWN_CHANGES]
    ]
    problems, problems_left_off = problem_rows(plan.problems, language, SHOWN_PROBLEMS)
    return {
        "is_valid": plan.is_valid,
        "changes_nothing": plan.changes_nothing,
        "new": plan.count(ChangeKind.NEW),
        "changed": plan.count(ChangeKind.CHANGED),
        "unchanged": plan.unchanged,
        "changes": changes,
        "changes_left_off": max(0, len(plan.changes) - SHOWN_CHANGES),
        "problems": problems,
        "problems_left_off": problems_left_off,
    }


def _imported(values: dict[str, str]) -> dict[str, int] | None:
    return imported_counts(values) if values.get("imported") == "1" else None


async def _page(request: Request[Any, Any, Any], staff: StaffVisitor, error: PageError | None = None) -> Template:
    language = language_of(request)
    imports = await runtime_of(request).attendance.recent_imports(staff.id)
    return Template(
        template_name="admin/attendance.html",
        context={
            "staff": staff,
            "viewer": staff.viewer,
            "admin_current": "attendance",
            "nav_current": "admin",
            "columns": [(HEADERS[column][0], column in REQUIRED) for column in COLUMNS],
            "max_megabytes": MAX_FILE_BYTES // (1024 * 1024),
            "upload_error": error,
            "imported": _imported(dict(request.query_params)),
            "imports": [
                {
                    "at": formats.long_date(language, imp.at.date()),
                    "file_name": imp.file_name or "—",
                    "via": imp.via,
                    "days": _days(language, imp.first_day, imp.last_day),
                    "created": imp.created,
                    "changed": imp.changed,
                    "unchanged": imp.unchanged,
                }
                for imp in imports
            ],
        },
        status_code=error.status if error else 200,
    )


def _days(language: Language, first: date | None, last: date | None) -> str:
    if first is None or last is None:
        return "—"
    if first == last:
        return formats.long_date(language, first)
    return f"{formats.long_date(language, first)} – {formats.long_date(language, last)}"


@get(PAGE_PATH, name="admin-attendance")
async def attendance_page(request: Request[Any, Any, Any]) -> Template:
    return await _page(request, await admin_visitor(request))


@get(PAGE_PATH + "/example.csv", name="admin-attendance-example")
async def attendance_example(request: Request[Any, Any, Any]) -> File:
    """The example file from the repository (docs/examples)."""
    return await example_file(request, EXAMPLE_FILE)


def _too_large(request: Request[Any, Any, Any], _exc: Exception) -> Response[Any]:
    return too_large_page(request, MAX_FILE_BYTES, "attendance_file_too_large")


@post(
    PAGE_PATH + "/upload",
    name="admin-attendance-upload",
    request_max_body_size=MAX_FILE_BYTES + 64 * 1024,  # the file and the form's few other fields
    exception_handlers={RequestEntityTooLarge: _too_large},
)
async def attendance_upload(request: Request[Any, Any, Any]) -> Template | Redirect | Response[Any]:
    staff = await admin_visitor(request)
    language = language_of(request)
    form = await request.form()
    upload = await uploaded_content(form.get("file"), language, "attendance")
    if isinstance(upload, PageError):
        return await _page(request, staff, upload)
    file_name, content = upload
    if len(content) > MAX_FILE_BYTES:
        return _too_large(request, RequestEntityTooLarge())
    try:
        token = await runtime_of(request).attendance.stage(staff.id, file_name, content)
    except RedisError:
        return await _page(request, staff, PageError.busy(language))
    return see_other(f"{PAGE_PATH}/preview/{token}")


@get(PAGE_PATH + "/preview/{token:str}", name="admin-attendance-preview")
async def attendance_preview(request: Request[Any, Any, Any], token: FromPath[str]) -> Template:
    staff = await admin_visitor(request)
    language = language_of(request)
    service = runtime_of(request).attendance
    staged = await staged_upload(service.staged(staff.id, token), language, "attendance_upload_expired")
    if isinstance(staged, PageError):
        return await _page(request, staff, staged)
    file_name, content = staged
    plan = await service.preview(content, actor=Actor(staff.id, "page"))
    return Template(
        template_name="admin/attendance_preview.html",
        context={
            "staff": staff,
            "viewer": staff.viewer,
            "admin_current": "attendance",
            "nav_current": "admin",
            "token": token,
            "file_name": file_name,
            "view": plan_view(plan, language),
        },
        status_code=200 if plan.is_valid else 422,
    )


@post(PAGE_PATH + "/preview/{token:str}/confirm", name="admin-attendance-confirm")
async def attendance_confirm(request: Request[Any, Any, Any], token: FromPath[str]) -> Template | Redirect:
    staff = await admin_visitor(request)
    language = language_of(request)
    service = runtime_of(request).attendance
    staged = await staged_upload(service.staged(staff.id, token), language, "attendance_upload_expired")
    if isinstance(staged, PageError):
        return await _page(request, staff, staged)
    file_name, content = staged
    result = await service.run(content, actor=Actor(staff.id, "page"), file_name=file_name)
    if not result.plan.is_valid:
        return see_other(f"{PAGE_PATH}/preview/{token}")  # it shows why, now
    with suppress(RedisError):  # it expires by itself; confirming again would change nothing
        await service.unstage(token)
    counts = {
        "imported": 1,
        "created": result.plan.count(ChangeKind.NEW),
        "updated": result.plan.count(ChangeKind.CHANGED),
        "unchanged": result.plan.unchanged,
    }
    return see_other(f"{PAGE_PATH}?{urlencode(counts)}")


ATTENDANCE_ROUTES = [attendance_page, attendance_example, attendance_upload, attendance_preview, attendance_confirm]
