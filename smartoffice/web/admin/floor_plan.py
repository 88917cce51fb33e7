"""``/admin/places/floors/{id}/plan``: the floor plan editor, and the plan image it draws on.

The page draws the floor as an SVG (its plan image, if any, under the desks and rooms) and lists every space in a
form table with code, x, y, width, height and rotation inputs. That table is the page without JavaScript, and the
keyboard's way in: it posts (``POST .../plan``) and the page comes back (303). With JavaScript
(``static/floor-plan-editor.js`` on the vendored ``interactjs``) the same page selects, drags, resizes, rotates,
copies, renumbers, aligns and nudges on the plan, keeps the table in step, and posts the placements as JSON in
the form's ``placements`` field. Either way the save is ``runtime.plan_editor.save_placements`` with the plan
version the page was drawn from: a save made after someone else's is refused and the page says so.

The plan image is uploaded here (``POST .../plan/image``, SVG or PNG, checked by ``places/plan_images``) and
served to everyone at ``GET /floors/{id}/plan-image`` (public, like the floor page), the digest as ETag and in the
URL (``?v=``), with a sandboxing Content-Security-Policy for SVG. Desks as CSV: ``web/admin/floor_plan_desks.py``.
"""

import json
import math
from dataclasses import dataclass
from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.params import FromPath
from litestar.response import Redirect, Template

from smartoffice.audit.record import Actor
from smartoffice.errors import DomainError, InvalidInput
from smartoffice.i18n import Language, gettext
from smartoffice.places.plan_editing import EditableFloor, EditableSpace, Placement
from smartoffice.places.plan_errors import FloorPlanCode
from smartoffice.places.plan_images import MAX_IMAGE_BYTES, SVG, plan_image_url
from smartoffice.runtime import runtime_of
from smartoffice.web.admin.access import StaffVisitor, facilities_visitor
from smartoffice.web.errors import PageError, error_page
from smartoffice.web.identity import see_other
from smartoffice.web.language import language_of
from smartoffice.web.static import static_url

VIA = "page"
PLAN_PATH = "/admin/places/floors/{floor_id:int}/plan"
DONE = ("saved", "image", "imported")
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
"""An SVG plan is a drawing: no script, no fetching, no forms, whatever it holds (it was checked on upload too)."""


def plan_path(floor_id: int) -> str:
    return f"/admin/places/floors/{floor_id}/plan"


@dataclass(frozen=True, slots=True)
class SpaceRow:
    """One space as the page shows it: the stored values, or what the visitor posted when a save was refused."""

    space: EditableSpace
    values: dict[str, Any]

    @property
    def id(self) -> int:
        return self.space.id


def _rows(floor: EditableFloor, posted: dict[int, dict[str, Any]] | None = None) -> list[SpaceRow]:
    rows = []
    for s in floor.spaces:
        values: dict[str, Any] = {"code": s.code, "x": s.x, "y": s.y, "width": s.width, "height": s.height,
                                  "rotation": s.rotation}  # fmt: skip
        for name, value in (posted or {}).get(s.id, {}).items():
            if name == "code":
                values[name] = str(value)
                continue
            try:
                number = float(str(value).replace(",", "."))
            except ValueError:
                continue
            if math.isfinite(number):
                values[name] = number
        values["cx"] = round(values["x"] + values["width"] / 2, 3)
        values["cy"] = round(values["y"] + values["height"] / 2, 3)
        rows.append(SpaceRow(s, values))
    return rows


def editor_page(
    request: Request[Any, Any, Any],
    staff: StaffVisitor,
    floor: EditableFloor,
    *,
    error: PageError | None = None,
    posted: dict[int, dict[str, Any]] | None = None,
    desk_file_error: PageError | None = None,
) -> Template:
    done = request.query_params.get("done")
    counts = {k: request.query_params.get(k, "0") for k in ("new", "changed")}
    status = error.status if error else desk_file_error.status if desk_file_error else 200
    return Template(
        template_name="admin/floor_plan.html",
        context={
            "staff": staff,
            "viewer": staff.viewer,
            "admin_current": "places",
            "nav_current": "admin",
            "floor": floor,
            "rows": _rows(floor, posted),
            "image_url": plan_image_url(floor.id, floor.image_digest) if floor.image_digest else None,
            "plan_path": plan_path(floor.id),
            "done": done if done in DONE else None,
            "counts": {k: int(v) if v.isdigit() else 0 for k, v in counts.items()},
            "error": error,
            "desk_file_error": desk_file_error,
            "max_image_megabytes": MAX_IMAGE_BYTES // (1024 * 1024),
            "scripts": [static_url("vendor/interact.min.js"), static_url("floor-plan-editor.js")],
        },
        status_code=status,
    )


@get(PLAN_PATH, name="admin-floor-plan")
async def floor_plan_page(request: Request[Any, Any, Any], floor_id: FromPath[int]) -> Template:
    staff = await facilities_visitor(request)
    floor = await runtime_of(request).plan_editor.floor(staff.id, floor_id)
    return editor_page(request, staff, floor)


# ---- saving the placements ------------------------------------------------------------------------------------


def _number(text: object, code: str) -> float:
    try:
        value = float(str(text).strip().replace(",", "."))
    except ValueError:
        raise InvalidInput("placements", FloorPlanCode.PLACEMENT_NUMBER_INVALID, space=code) from None
    if not math.isfinite(value):
        raise InvalidInput("placements", FloorPlanCode.PLACEMENT_NUMBER_INVALID, space=code)
    return value


def _placement(code: str, values: Any, *, space_id: int | None, copy_of: int | None = None) -> Placement:
    def number(name: str) -> float:
        return _number(values.get(name, ""), code)

    return Placement(
        code=code,
        x=number("x"),
        y=number("y"),
        width=number("width"),
        height=number("height"),
        rotation=number("rotation"),
        space_id=space_id,
        copy_of=copy_of,
    )


def _optional_id(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def placements_from_json(text: str) -> list[Placement]:
    """The script's placements: ``[{"spaceId" | "copyOf": int, "code", "x", "y", "width", "height", "rotation"}]``."""
    try:
        items = json.loads(text)
    except ValueError:
        items = None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise InvalidInput("placements", FloorPlanCode.PLACEMENT_NUMBER_INVALID, space="?")
    return [
        _placement(
            str(item.get("code", "")).strip(),
            item,
            space_id=_optional_id(item.get("spaceId")),
            copy_of=_optional_id(item.get("copyOf")),
        )
        for item in items
    ]


def placements_from_table(form: Any, floor: EditableFloor) -> tuple[list[Placement], dict[int, dict[str, Any]]]:
    """The form table's values (the page without JavaScript): every space whose row was posted, and what was
    posted (shown again if the save is refused)."""
    placements, posted = [], {}
    for s in floor.spaces:
        fields = {n: form.get(f"{n}-{s.id}") for n in ("code", "x", "y", "width", "height", "rotation")}
        if all(v is None for v in fields.values()):
            continue
        stored = {"code": s.code, "x": s.x, "y": s.y, "width": s.width, "height": s.height, "rotation": s.rotation}
        values = {n: stored[n] if v is None or str(v).strip() == "" else str(v).strip() for n, v in fields.items()}
        posted[s.id] = values
        code = str(values["code"])
        placements.append(_placement(code, values, space_id=s.id))
    return placements, posted


@post(PLAN_PATH, name="admin-floor-plan-save")
async def save_floor_plan(request: Request[Any, Any, Any], floor_id: FromPath[int]) -> Template | Redirect:
    staff = await facilities_visitor(request)
    editor = runtime_of(request).plan_editor
    floor = await editor.floor(staff.id, floor_id)
    form = await request.form()
    version = str(form.get("version") or "") or None
    posted: dict[int, dict[str, Any]] = {}
    try:
        scripted = str(form.get("placements") or "").strip()
        if scripted:
            placements = placements_from_json(scripted)
        else:
            placements, posted = placements_from_table(form, floor)
        await editor.save_placements(Actor(staff.id, VIA), floor_id, placements, version)
    except DomainError as refused:
        language = language_of(request)
        if scripted:
            posted = {p.space_id: {"code": p.code, **p.geometry()} for p in placements_or_none(scripted) if p.space_id}
        return editor_page(request, staff, floor, error=PageError.of(refused, language), posted=posted)
    return see_other(f"{plan_path(floor_id)}?done=saved")


def placements_or_none(text: str) -> list[Placement]:
    try:
        return placements_from_json(text)
    except DomainError:
        return []


# ---- the plan image -------------------------------------------------------------------------------------------


def _too_large(request: Request[Any, Any, Any], _exc: Exception) -> Response[Any]:
    language = language_of(request)
    text = gettext(language, FloorPlanCode.PLAN_IMAGE_TOO_LARGE.value, megabytes=MAX_IMAGE_BYTES // 1024 // 1024)
    return error_page(PageError(413, FloorPlanCode.PLAN_IMAGE_TOO_LARGE.name, _check_title(language), text))


def _check_title(language: Language) -> str:
    return gettext(language, "Please check and try again")


@post(
    PLAN_PATH + "/image",
    name="admin-floor-plan-image",
    request_max_body_size=MAX_IMAGE_BYTES + 64 * 1024,
    exception_handlers={RequestEntityTooLarge: _too_large},
)
async def upload_plan_image(request: Request[Any, Any, Any], floor_id: FromPath[int]) -> Template | Redirect:
    staff = await facilities_visitor(request)
    runtime = runtime_of(request)
    form = await request.form()
    upload = form.get("image")
    content = await upload.read() if isinstance(upload, UploadFile) else b""
    try:
        await runtime.plan_images.store(Actor(staff.id, VIA), floor_id, content)
    except InvalidInput as refused:
        floor = await runtime.plan_editor.floor(staff.id, floor_id)
        return editor_page(request, staff, floor, error=PageError.of(refused, language_of(request)))
    return see_other(f"{plan_path(floor_id)}?done=image")


@get("/floors/{floor_id:int}/plan-image", name="floor-plan-image")
async def plan_image(request: Request[Any, Any, Any], floor_id: FromPath[int]) -> Response[bytes]:
    """Anyone who may see the floor page may see its plan. A URL naming the current digest (``?v=``) is cached for
    a year (a new image has a new URL); otherwise the browser revalidates with the ETag."""
    image = await runtime_of(request).plan_images.image(floor_id)
    if image is None:
        return Response(b"", status_code=404, media_type="text/plain")
    etag = f'"{image.digest}"'
    versioned = request.query_params.get("v") == image.digest
    headers = {
        "ETag": etag,
        "Cache-Control": "public, max-age=31536000, immutable" if versioned else "no-cache",
        "X-Content-Type-Options": "nosniff",
    }
    if image.content_type == SVG:
        headers["Content-Security-Policy"] = SVG_POLICY
    if etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
        return Response(b"", status_code=304, headers=headers)
    return Response(image.data, media_type=image.content_type, headers=headers)


FLOOR_PLAN_ROUTES = [floor_plan_page, save_floor_plan, upload_plan_image, plan_image]
