"""A floor's plan image (SVG or PNG): checked, stored in ``floor_plans`` (one per floor, replaced whole) and
read back for ``GET /floors/{id}/plan-image?v={digest}``.

The image is drawn under the floor's desks and rooms with its top-left at the floor's (0, 0) and its
bottom-right at (width, height) metres, so a plan exported at the floor's proportions lines up.

What is refused, and why:

* a PNG whose signature or ``IHDR`` header is wrong, or wider or taller than :data:`MAX_SIDE_PIXELS`;
* any file over :data:`MAX_IMAGE_BYTES`;
* an SVG that is not well-formed, that has a DTD (``<!DOCTYPE``/``<!ENTITY``: entity expansion and external
  entities are how XML parsers are attacked, and a drawing needs neither), or that could run or fetch anything:
  ``<script>``, ``<foreignObject>`` and other embedding elements, ``on*`` event attributes, links
  (``href``/``xlink:href``) other than to ``#fragments`` or to embedded ``data:`` raster images, ``url(...)`` or
  ``@import`` to anything but a fragment, animations that set links or handlers, and style-sheet processing
  instructions. Refused, not cleaned: an architect's export that trips this is better re-exported than silently
  changed. The image is also served with a sandboxing Content-Security-Policy, and ``<image>`` in a page never
  runs an SVG's script; the check is the first of three fences.

Parsing uses the standard library's expat through ``xml.etree`` after the DTD check (expat then has no entities
to expand and fetches nothing); ``defusedxml`` would add nothing once DTDs are refused.
"""

import hashlib
import re
import struct
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from smartoffice.audit.record import Actor, record_change
from smartoffice.db import Database
from smartoffice.errors import InvalidInput, NotFound
from smartoffice.places.models import Building, Floor, FloorPlan
from smartoffice.places.permissions import require_site_manager
from smartoffice.places.plan_errors import FloorPlanCode

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_SIDE_PIXELS = 20_000
PNG = "image/png"
SVG = "image/svg+xml"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FIELD = "image"

_FORBIDDEN_ELEMENTS = frozenset(
    {"script", "foreignobject", "iframe", "embed", "object", "audio", "video", "canvas", "handler", "listener"}
)
_LINK_ATTRIBUTES = frozenset({"href", "{http://www.w3.org/1999/xlink}href", "src"})
_SAFE_DATA_IMAGE = re.compile(r"data:image/(png|jpeg|gif|webp);base64,", re.IGNORECASE)
_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class PlanImage:
    floor_id: int
    content_type: str
    data: bytes
    digest: str
    uploaded_at: datetime


@dataclass(frozen=True, slots=True)
class CheckedImage:
    content_type: str
    data: bytes
    digest: str


def plan_image_url(floor_id: int, digest: str) -> str:
    """Where pages and the API find a floor's plan image; the digest makes each version its own URL."""
    return f"/floors/{floor_id}/plan-image?v={digest}"


def check_image(data: bytes) -> CheckedImage:
    """The image's type and digest if it is a PNG or SVG a plan may be; else InvalidInput (``image``)."""
    if not data:
        raise InvalidInput(FIELD, FloorPlanCode.PLAN_IMAGE_EMPTY)
    if len(data) > MAX_IMAGE_BYTES:
        raise InvalidInput(FIELD, FloorPlanCode.PLAN_IMAGE_TOO_LARGE, megabytes=MAX_IMAGE_BYTES // (1024 * 1024))
    if data.startswith(PNG_SIGNATURE):
        _check_png(data)
        content_type = PNG
    elif _looks_like_svg(data):
        _check_svg(data)
        content_type = SVG
    else:
        raise InvalidInput(FIELD, FloorPlanCode.PLAN_IMAGE_TYPE)
    return CheckedImage(content_type, data, hashlib.sha256(data).hexdigest())


def _check_png(data: bytes) -> None:
    # The first chunk must be IHDR (length 13): width and height, big-endian, follow its type.
    if len(data) < 33 or data[12:16] != b"IHDR" or struct.unpack(">I", data[8:12])[0] != 13:
        raise InvalidInput(FIELD, FloorPlanCode.PLAN_IMAGE_UNREADABLE, kind="PNG")
    width, height = struct.unpack(">II", data[16:24])
    if not (0 < width <= MAX_SIDE_PIXELS and 0 < height <= MAX_SIDE_PIXELS):
        raise InvalidInput(FIELD, FloorPlanCode.PLAN_IMAGE_DIMENSIONS, width=width, height=height, max=MAX_SIDE_PIXELS)


def _looks_like_svg(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<?xml") or head.startswith(b"<svg") or head.startswith(b"<!--") or b"<svg" in head


def _check_svg(data: bytes) -> None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(FIELD, FloorPlanCode.PLAN_IMAGE_UNREADABLE, kind="SVG (UTF-8)") from None
    lowered = text.lower()
    for marker in ("<!doctype", "<!entity"):
        if marker in lowered:
            raise InvalidInput(FIELD, FloorPlanCode.PLAN_IMAGE_UNSAFE, what=marker.upper())
    if "<?xml-stylesheet" in lowered:
        raise InvalidInput(FIELD, FloorPlanCode.PLAN_IMAGE_UNSAFE, what="<?xml-stylesheet?>")
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError:
        raise InvalidInput(FIELD, FloorPlanCode.PLAN_IMAGE_UNREADABLE, kind="SVG") from None
    if _local(root.tag) != "svg":
        raise InvalidInput(FIELD, FloorPlanCode.PLAN_IMAGE_UNREADABLE, kind="SVG")
    for element in root.iter():
        problem = _unsafe(element)
        if problem is not None:
            raise InvalidInput(FIELD, FloorPlanCode.PLAN_IMAGE_UNSAFE, what=problem)


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1].lower()


def _unsafe(element: ElementTree.Element) -> str | None:
    """What makes ``element`` unsafe in a plan image, or None."""
    name = _local(element.tag)
    if name in _FORBIDDEN_ELEMENTS:
        return f"<{name}>"
    if name == "style" and not _only_fragment_urls(element.text or "", allow_import=False):
        return "<style> url()/@import"
    for attribute, value in element.attrib.items():
        local = _local(attribute)
        if local.startswith("on"):
            return local
        if attribute in _LINK_ATTRIBUTES or local == "href":
            target = value.strip()
            if not (target.startswith("#") or (name == "image" and _SAFE_DATA_IMAGE.match(target))):
                return f"{local}={target[:40]}"
        sets_link_or_handler = value.strip().lower().startswith("on") or _local(value) == "href"
        if name in ("set", "animate") and local == "attributename" and sets_link_or_handler:
            return f"<{name} attributeName={value}>"
        if not _only_fragment_urls(value, allow_import=True):
            return f"{local}=url()"
    return None


def _only_fragment_urls(text: str, *, allow_import: bool) -> bool:
    if not allow_import and "@import" in text.lower():
        return False
    return all(target.startswith("#") for target in _URL.findall(text))


class PlanImageService:
    """``runtime.plan_images``: a floor's plan image, stored and read (the image, or only its digest)."""

    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db, self.clock = db, clock

    async def store(self, actor: Actor, floor_id: int, data: bytes) -> PlanImage:
        """Check ``data`` and make it the floor's plan image (replacing any), audited as ``floor_plan.upload``.
        Raises InvalidInput (``image``), NotFound (the floor) or PermissionDenied."""
        checked = check_image(data)
        now = self.clock()
        async with self.db.write() as session:
            floor = await session.get(Floor, floor_id)
            if floor is None or floor.retired_at is not None:
                raise NotFound("Floor", floor_id)
            site_id = await session.scalar(select(Building.site_id).where(Building.id == floor.building_id))
            assert site_id is not None
            if actor.employee_id is not None:
                await require_site_manager(session, actor.employee_id, site_id)
            plan = await session.get(FloorPlan, floor_id)
            before = None if plan is None else {"content_type": plan.content_type, "digest": plan.digest}
            if plan is None:
                plan = FloorPlan(floor_id=floor_id)
                session.add(plan)
            plan.content_type, plan.data, plan.digest = checked.content_type, checked.data, checked.digest
            plan.uploaded_at, plan.uploaded_by_id = now, actor.employee_id
            record_change(
                session, actor, "floor_plan.upload", at=now, entity_kind="FloorPlan", entity_id=floor_id,
                before=before, after={"content_type": checked.content_type, "digest": checked.digest,
                                      "bytes": len(checked.data)},
                site_id=site_id,
            )  # fmt: skip
        return PlanImage(floor_id, checked.content_type, checked.data, checked.digest, now)

    async def image(self, floor_id: int) -> PlanImage | None:
        """The floor's plan image, or None when it has none."""
        async with self.db.read() as session:
            plan = await session.get(FloorPlan, floor_id)
            if plan is None:
                return None
            return PlanImage(plan.floor_id, plan.content_type, plan.data, plan.digest, plan.uploaded_at)
