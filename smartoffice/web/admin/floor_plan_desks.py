"""A floor's desks as CSV on the floor plan editor's page (``runtime.desk_files``): export, and import in three
steps as the people import does it (``web/admin/people_import.py``):

1. **Upload** (``POST .../plan/desks``): the file is kept in Redis (:class:`~smartoffice.uploads.UploadShelf`)
   under a token bound to the visitor, and the browser goes on to
2. **Preview** (``GET .../plan/desks/{token}``): new, changed and unchanged desks, or every problem by line (then
   no confirm button). The confirm form carries the plan's fingerprint.
3. **Confirm** (``POST .../plan/desks/{token}/confirm``): the service plans again in its one write transaction and
   writes only that same plan; then back to the editor (303) with the counts. A changed floor sends the browser
   back to the preview, which shows the new plan.

Nothing is deleted: desks the file does not name stay as they are.
"""

from contextlib import suppress
from pathlib import Path
from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.params import FromPath
from litestar.response import Redirect, Template
from redis.exceptions import RedisError

from smartoffice.audit.record import Actor
from smartoffice.i18n import Language, gettext
from smartoffice.places.desk_csv import DeskImportPlan
from smartoffice.runtime import runtime_of
from smartoffice.uploads import UploadShelf
from smartoffice.web.admin.access import StaffVisitor, facilities_visitor
from smartoffice.web.admin.floor_plan import PLAN_PATH, VIA, editor_page, plan_path
from smartoffice.web.errors import PageError, error_page
from smartoffice.web.identity import see_other
from smartoffice.web.language import language_of

MAX_FILE_BYTES = 2 * 1024 * 1024
"""5,000 desks (the import's limit) are about 250 KB of CSV."""
UPLOAD_TTL_SECONDS = 30 * 60
DESKS_PATH = PLAN_PATH + "/desks"


def _shelf(request: Request[Any, Any, Any]) -> UploadShelf:
    return UploadShelf(runtime_of(request).redis, "desk-file", UPLOAD_TTL_SECONDS)


def _problem(language: Language, status: int, code: str, text: str) -> PageError:
    return PageError(status, code, gettext(language, "Please check and try again"), text)


async def _editor_with(
    request: Request[Any, Any, Any], staff: StaffVisitor, floor_id: int, error: PageError
) -> Template:
    floor = await runtime_of(request).plan_editor.floor(staff.id, floor_id)
    return editor_page(request, staff, floor, desk_file_error=error)


@get(PLAN_PATH + "/desks.csv", name="admin-floor-plan-desks-csv")
async def export_desks(request: Request[Any, Any, Any], floor_id: FromPath[int]) -> Response[bytes]:
    staff = await facilities_visitor(request)
    text, name = await runtime_of(request).desk_files.export(staff.id, floor_id)
    return Response(
        text.encode(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _too_large(request: Request[Any, Any, Any], _exc: Exception) -> Response[Any]:
    language = language_of(request)
    text = gettext(language, "The file is larger than %(size)s MB. Upload a smaller file.", size=2)
    return error_page(_problem(language, 413, "import_file_too_large", text))


@post(
    DESKS_PATH,
    name="admin-floor-plan-desks-upload",
    request_max_body_size=MAX_FILE_BYTES + 64 * 1024,
    exception_handlers={RequestEntityTooLarge: _too_large},
)
async def upload_desks(request: Request[Any, Any, Any], floor_id: FromPath[int]) -> Template | Redirect:
    staff = await facilities_visitor(request)
    language = language_of(request)
    form = await request.form()
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        text = gettext(language, "Choose a CSV or XLSX file to upload.")
        return await _editor_with(request, staff, floor_id, _problem(language, 422, "import_file_missing", text))
    content = await upload.read()
    if not content:
        text = gettext(language, "The file is empty.")
        return await _editor_with(request, staff, floor_id, _problem(language, 422, "import_file_empty", text))
    try:
        token = await _shelf(request).keep(staff.id, Path(upload.filename).name[:200], content)
    except RedisError:
        return await _editor_with(request, staff, floor_id, PageError.busy(language))
    return see_other(f"{plan_path(floor_id)}/desks/{token}")


def _expired(language: Language) -> PageError:
    return PageError(
        404,
        "import_upload_expired",
        gettext(language, "Upload again"),
        gettext(
            language,
            "This upload is no longer kept (it was imported already, or it expired after 30 minutes). "
            "Upload the file again.",
        ),
    )


def _problems(plan: DeskImportPlan, language: Language) -> list[dict[str, Any]]:
    return [{"line": p.line, "column": p.column, "text": p.message_in(language)} for p in plan.problems]


@get(DESKS_PATH + "/{token:str}", name="admin-floor-plan-desks-preview")
async def preview_desks(request: Request[Any, Any, Any], floor_id: FromPath[int], token: FromPath[str]) -> Template:
    staff = await facilities_visitor(request)
    language = language_of(request)
    runtime = runtime_of(request)
    try:
        upload = await _shelf(request).get(staff.id, token)
    except RedisError:
        return await _editor_with(request, staff, floor_id, PageError.busy(language))
    if upload is None:
        return await _editor_with(request, staff, floor_id, _expired(language))
    floor = await runtime.plan_editor.floor(staff.id, floor_id)
    plan = await runtime.desk_files.preview(staff.id, floor_id, upload.content)
    return Template(
        template_name="admin/floor_plan_desks_preview.html",
        context={
            "staff": staff,
            "viewer": staff.viewer,
            "admin_current": "places",
            "nav_current": "admin",
            "floor": floor,
            "plan_path": plan_path(floor_id),
            "token": token,
            "file_name": upload.label,
            "plan": plan,
            "problems": _problems(plan, language),
            "replanned": request.query_params.get("changed") == "1",
        },
        status_code=200 if plan.is_valid else 422,
    )


@post(DESKS_PATH + "/{token:str}/confirm", name="admin-floor-plan-desks-confirm")
async def confirm_desks(
    request: Request[Any, Any, Any], floor_id: FromPath[int], token: FromPath[str]
) -> Template | Redirect:
    staff = await facilities_visitor(request)
    language = language_of(request)
    form = await request.form()
    shelf = _shelf(request)
    try:
        upload = await shelf.get(staff.id, token)
    except RedisError:
        return await _editor_with(request, staff, floor_id, PageError.busy(language))
    if upload is None:
        return await _editor_with(request, staff, floor_id, _expired(language))
    result = await runtime_of(request).desk_files.run(
        Actor(staff.id, VIA), floor_id, upload.content, expected_fingerprint=str(form.get("fingerprint") or "")
    )
    if result.stale or not result.plan.is_valid:
        return see_other(f"{plan_path(floor_id)}/desks/{token}?changed=1")
    with suppress(RedisError):  # imported all the same; a second confirmation finds nothing new to write
        await shelf.drop(token)
    new, changed = len(result.plan.new), len(result.plan.changed)
    return see_other(f"{plan_path(floor_id)}?done=imported&new={new}&changed={changed}")


FLOOR_PLAN_DESK_ROUTES = [export_desks, upload_desks, preview_desks, confirm_desks]
