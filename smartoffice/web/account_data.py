"""``/account/data``: the signed-in person (in demo mode, the person acted as) downloads their personal data.

The page says what the copy holds and how long bookings, plans and attendance are kept; its two links download
one JSON document (``/account/data/download?format=json``) or a ZIP of one CSV per kind (``format=csv``), built
by :mod:`smartoffice.privacy.export` with nobody else's data in it. Downloads are ``Cache-Control: no-store`` (no
shared or browser cache keeps a copy). Nobody signed in: the page asks to sign in, a download is refused (401).
"""

from typing import Any

from litestar import Request, Response, get
from litestar.params import FromQuery
from litestar.response import Template
from litestar.status_codes import HTTP_401_UNAUTHORIZED

from smartoffice.i18n import gettext
from smartoffice.privacy.service import PersonalDataService
from smartoffice.runtime import runtime_of
from smartoffice.web.context import current_viewer
from smartoffice.web.errors import PageError
from smartoffice.web.language import language_of

NO_STORE = {"Cache-Control": "no-store"}
FORMATS = {"json": ("application/json", "json"), "csv": ("application/zip", "zip")}


@get("/account/data", name="account-data")
async def account_data_page(request: Request[Any, Any, Any]) -> Template:
    viewer = await current_viewer(request)
    return _page(request, viewer, status=200)


@get("/account/data/download", name="account-data-download")
async def download_account_data(
    request: Request[Any, Any, Any], format: FromQuery[str] = "json"
) -> Response[bytes] | Template:
    viewer = await current_viewer(request)
    if viewer is None:
        return _page(request, None, status=HTTP_401_UNAUTHORIZED)
    if format not in FORMATS:
        language = language_of(request)
        error = PageError(
            422,
            "invalid_format",
            gettext(language, "Please check and try again"),
            gettext(language, "Choose JSON or CSV."),
        )
        return _page(request, viewer, status=error.status, error=error)
    runtime = runtime_of(request)
    data = await PersonalDataService(runtime.db, runtime.identity.sessions, runtime.clock).my_data(viewer.id)
    media_type, extension = FORMATS[format]
    content = data.as_json() if format == "json" else data.as_csv_zip()
    return Response(
        content,
        media_type=media_type,
        headers={**NO_STORE, "Content-Disposition": f'attachment; filename="{data.file_name(extension)}"'},
    )


def _page(request: Request[Any, Any, Any], viewer: Any, *, status: int, error: PageError | None = None) -> Template:
    return Template(
        template_name="account_data.html",
        context={
            "viewer": viewer,
            "error": error,
            "retention_days": runtime_of(request).settings.retention_days,
            "identity_next": "/account/data",
        },
        status_code=status,
        headers=NO_STORE,
    )
