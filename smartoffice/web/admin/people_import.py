"""``/admin/people/import``: administrators import people from a SIASN-shaped file in three steps.

1. **Upload** (``POST``, multipart, at most :data:`MAX_FILE_BYTES`): the bytes are kept in Redis for
   :data:`UPLOAD_TTL_SECONDS` under a random token bound to the administrator, and the browser goes on to
2. **Preview** (``GET .../<token>``): the plan made from the kept bytes against the database as it is now: counts,
   new people, changes field by field, leavers with the bookings each loses, or every problem by line (then no
   confirm button). The confirm form carries the plan's fingerprint.
3. **Confirm** (``POST .../<token>/confirm``): the service re-plans the same bytes inside its write transaction
   and writes only if the plan still has that fingerprint; otherwise the browser is sent back to the preview, now
   showing the new plan. Once written, the kept bytes are dropped, what changed is kept for an hour and the browser
   is sent (303) to the **result** page: reloading it, or re-sending the confirmation, never imports twice.

Losing Redis only means uploading again. The service checks the visitor is an administrator and audits the import
as them, via ``web``.
"""

import json
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from litestar import Request, Response, get, post
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.params import FromPath
from litestar.response import File, Redirect, Template
from redis.asyncio import Redis
from redis.exceptions import RedisError

from smartoffice.audit.record import Actor
from smartoffice.i18n import gettext
from smartoffice.people.imports.review import ImportReview
from smartoffice.runtime import runtime_of
from smartoffice.uploads import TOKEN, UploadShelf
from smartoffice.web.admin.access import StaffVisitor, admin_visitor
from smartoffice.web.admin.people_import_view import column_rows, plan_view, result_view
from smartoffice.web.admin.uploads import (
    example_file,
    staged_upload,
    too_large_page,
    too_large_problem,
    uploaded_content,
)
from smartoffice.web.errors import PageError
from smartoffice.web.identity import see_other
from smartoffice.web.language import language_of

MAX_FILE_BYTES = 10 * 1024 * 1024
"""The largest file accepted: a SIASN export of 12,000 people is about 3 MB as CSV, less as XLSX."""
UPLOAD_TTL_SECONDS = 30 * 60
RESULT_TTL_SECONDS = 60 * 60
EXAMPLE_FILE = Path("docs") / "examples" / "people-siasn-example.csv"
"""Beside the templates directory: the checkout's, or the Docker image's /app (the Dockerfile copies it)."""
IMPORT_PATH = "/admin/people/import"


# ---- keeping the upload between preview and confirm ----------------------------------------------------------


class KeptImports:
    """Uploaded files (smartoffice.uploads) and import results in Redis, each under a random token and readable
    only by the administrator who made it."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis
        self.uploads = UploadShelf(redis, "people-import", UPLOAD_TTL_SECONDS)

    async def keep_result(self, actor_id: int, result: Mapping[str, Any]) -> str:
        token = secrets.token_urlsafe(24)
        value = json.dumps({"actor": actor_id, "result": result})
        await self.redis.set(_result_key(token), value, ex=RESULT_TTL_SECONDS)
        return token

    async def result(self, actor_id: int, token: str) -> dict[str, Any] | None:
        if not TOKEN.fullmatch(token):
            return None
        raw = await self.redis.get(_result_key(token))
        kept = json.loads(raw) if raw else None
        if not kept or kept.get("actor") != actor_id:
            return None
        result: dict[str, Any] = kept["result"]
        return result


def _result_key(token: str) -> str:
    return f"admin:people-import:result:{token}"


def _kept(request: Request[Any, Any, Any]) -> KeptImports:
    return KeptImports(runtime_of(request).redis)


def _form_page(request: Request[Any, Any, Any], staff: StaffVisitor | None, error: PageError | None = None) -> Template:
    language = language_of(request)
    return Template(
        template_name="admin/people_import.html",
        context={
            "staff": staff,
            "viewer": staff.viewer if staff else None,
            "admin_current": "people",
            "nav_current": "admin",
            "columns": column_rows(language),
            "max_megabytes": MAX_FILE_BYTES // (1024 * 1024),
            "upload_error": error,
        },
        status_code=error.status if error else 200,
    )


# ---- the routes -----------------------------------------------------------------------------------------------


@get(IMPORT_PATH, name="admin-people-import")
async def people_import_form(request: Request[Any, Any, Any]) -> Template:
    return _form_page(request, await admin_visitor(request))


@get(IMPORT_PATH + "/example.csv", name="admin-people-import-example")
async def people_import_example(request: Request[Any, Any, Any]) -> File:
    """The example file from the repository (docs/examples)."""
    return await example_file(request, EXAMPLE_FILE)


def _too_large(request: Request[Any, Any, Any], _exc: Exception) -> Response[Any]:
    return too_large_page(request, MAX_FILE_BYTES, "import_file_too_large")


@post(
    IMPORT_PATH,
    name="admin-people-import-upload",
    request_max_body_size=MAX_FILE_BYTES + 64 * 1024,  # the file and the form's few other fields
    exception_handlers={RequestEntityTooLarge: _too_large},
)
async def people_import_upload(request: Request[Any, Any, Any]) -> Template | Redirect:
    staff = await admin_visitor(request)
    language = language_of(request)
    form = await request.form()
    upload = await uploaded_content(form.get("file"), language, "import")
    if isinstance(upload, PageError):
        return _form_page(request, staff, upload)
    file_name, content = upload
    if len(content) > MAX_FILE_BYTES:
        return _form_page(request, staff, too_large_problem(language, MAX_FILE_BYTES, "import_file_too_large"))
    try:
        token = await _kept(request).uploads.keep(staff.id, file_name, content)
    except RedisError:
        return _form_page(request, staff, PageError.busy(language))
    return see_other(f"{IMPORT_PATH}/{token}")


@get(IMPORT_PATH + "/{token:str}", name="admin-people-import-preview")
async def people_import_preview(request: Request[Any, Any, Any], token: FromPath[str]) -> Template:
    staff = await admin_visitor(request)
    language = language_of(request)
    upload = await staged_upload(_kept(request).uploads.get(staff.id, token), language, "import_upload_expired")
    if isinstance(upload, PageError):
        return _form_page(request, staff, upload)
    review: ImportReview = await runtime_of(request).people_import.review(staff.id, upload.content)
    return Template(
        template_name="admin/people_import_preview.html",
        context={
            "staff": staff,
            "viewer": staff.viewer,
            "admin_current": "people",
            "nav_current": "admin",
            "token": token,
            "file_name": upload.label,
            "fingerprint": review.fingerprint,
            "view": plan_view(review.plan, review.bookings_lost, language),
            "replanned": request.query_params.get("changed") == "1",
        },
        status_code=200 if review.plan.is_valid else 422,
    )


@post(IMPORT_PATH + "/{token:str}/confirm", name="admin-people-import-confirm")
async def people_import_confirm(request: Request[Any, Any, Any], token: FromPath[str]) -> Template | Redirect:
    staff = await admin_visitor(request)
    language = language_of(request)
    form = await request.form()
    fingerprint = str(form.get("fingerprint") or "")
    kept = _kept(request)
    upload = await staged_upload(kept.uploads.get(staff.id, token), language, "import_upload_expired")
    if isinstance(upload, PageError):
        return _form_page(request, staff, upload)
    service = runtime_of(request).people_import
    # What each leaver loses, counted just before: the import cancels exactly those that have not started by then.
    lost = (await service.review(staff.id, upload.content)).bookings_lost
    result = await service.run(upload.content, actor=Actor(staff.id, "page"), expected_fingerprint=fingerprint)
    if result.stale or not result.plan.is_valid:
        return see_other(f"{IMPORT_PATH}/{token}?changed=1")
    view = result_view(result, lost, upload.label, language)
    try:
        await kept.uploads.drop(token)
        result_token = await kept.keep_result(staff.id, view)
    except RedisError:  # imported all the same: show what changed now, once
        return _result_page(staff, view)
    return see_other(f"{IMPORT_PATH}/result/{result_token}")


@get(IMPORT_PATH + "/result/{token:str}", name="admin-people-import-result")
async def people_import_result(request: Request[Any, Any, Any], token: FromPath[str]) -> Template:
    staff = await admin_visitor(request)
    try:
        view = await _kept(request).result(staff.id, token)
    except RedisError:
        view = None
    if view is None:
        language = language_of(request)
        return _form_page(
            request,
            staff,
            PageError(
                404,
                "import_result_expired",
                gettext(language, "Not found"),
                gettext(language, "This import's result is no longer kept. The audit log has what it changed."),
            ),
        )
    return _result_page(staff, view)


def _result_page(staff: StaffVisitor, view: Mapping[str, Any]) -> Template:
    return Template(
        template_name="admin/people_import_result.html",
        context={
            "staff": staff,
            "viewer": staff.viewer,
            "admin_current": "people",
            "nav_current": "admin",
            "result": view,
            "view": view["plan"],
        },
    )


PEOPLE_IMPORT_ROUTES = [
    people_import_form,
    people_import_example,
    people_import_upload,
    people_import_result,
    people_import_preview,
    people_import_confirm,
]
