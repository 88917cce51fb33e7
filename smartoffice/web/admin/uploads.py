"""What the admin import pages (people, HR records, attendance) share in their upload → preview → confirm steps.

Each page keeps its own routes, service and error codes (``<prefix>_file_missing``, ``<prefix>_upload_expired``
...); the words a visitor reads, and the way a staged upload that Redis lost or no longer holds is answered, are
the same on every page.
"""

from collections.abc import Awaitable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from litestar import Request, Response
from litestar.datastructures import UploadFile
from litestar.exceptions import NotFoundException
from litestar.response import File
from redis.exceptions import RedisError

from smartoffice.i18n import Language, gettext
from smartoffice.people.siasn.problems import Problem
from smartoffice.runtime import runtime_of
from smartoffice.web.admin.access import admin_visitor
from smartoffice.web.errors import PageError, error_page
from smartoffice.web.language import language_of

T = TypeVar("T")


def form_problem(language: Language, status: int, code: str, text: str) -> PageError:
    """A form that cannot be used as sent: "Please check and try again", and ``text`` says why."""
    return PageError(status, code, gettext(language, "Please check and try again"), text)


def upload_expired(language: Language, code: str) -> PageError:
    text = gettext(
        language,
        "This upload is no longer kept (it was imported already, or it expired after 30 minutes). "
        "Upload the file again.",
    )
    return PageError(404, code, gettext(language, "Upload again"), text)


def too_large_problem(language: Language, max_bytes: int, code: str) -> PageError:
    text = gettext(
        language, "The file is larger than %(size)s MB. Upload a smaller file.", size=max_bytes // 1024 // 1024
    )
    return form_problem(language, 413, code, text)


def too_large_page(request: Request[Any, Any, Any], max_bytes: int, code: str) -> Response[Any]:
    """A body over the route's limit, refused before it is read in full: said in words, with the way back."""
    return error_page(too_large_problem(language_of(request), max_bytes, code))


async def example_file(request: Request[Any, Any, Any], path: Path) -> File:
    """An example file from the repository (``path`` beside the templates directory: the checkout's, or the Docker
    image's /app), for administrators."""
    await admin_visitor(request)
    example = runtime_of(request).settings.templates_dir.parent / path
    if not example.is_file():
        raise NotFoundException()
    return File(example, filename=example.name, media_type="text/csv; charset=utf-8")


async def uploaded_content(upload: Any, language: Language, prefix: str) -> tuple[str, bytes] | PageError:
    """The form's file as (its name, its bytes), or why it cannot be used (none chosen, or empty). Its size is the
    caller's to check."""
    if not isinstance(upload, UploadFile) or not upload.filename:
        text = gettext(language, "Choose a CSV or XLSX file to upload.")
        return form_problem(language, 422, f"{prefix}_file_missing", text)
    content = await upload.read()
    if not content:
        return form_problem(language, 422, f"{prefix}_file_empty", gettext(language, "The file is empty."))
    return Path(upload.filename).name[:200], content


async def staged_upload(staged: Awaitable[T | None], language: Language, expired_code: str) -> T | PageError:
    """What was staged under a token, or the page's answer: Redis busy, or the upload no longer kept."""
    try:
        found = await staged
    except RedisError:
        return PageError.busy(language)
    return upload_expired(language, expired_code) if found is None else found


def problem_rows(problems: Sequence[Problem], language: Language, shown: int) -> tuple[list[dict[str, Any]], int]:
    """The first ``shown`` problems as the preview's table lists them, and how many are left off."""
    rows = [
        {"line": p.line, "column": p.column or "", "code": p.code.name, "message": p.message_in(language)}
        for p in problems[:shown]
    ]
    return rows, max(0, len(problems) - shown)


def imported_counts(values: dict[str, str]) -> dict[str, int] | None:
    """The counts a confirmation sent the browser back with (``created``, ``updated``, ``unchanged``: shown as a
    notice), if they are well formed."""
    numbers = {name: values.get(name, "") for name in ("created", "updated", "unchanged")}
    if not all(v.isdigit() and len(v) < 10 for v in numbers.values()):
        return None
    return {name: int(value) for name, value in numbers.items()}
