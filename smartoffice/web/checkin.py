"""The check-in page a space's QR code opens, the check-in and check-out forms on it, and the QR code itself.

``/check-in/{space_id}`` shows the acting employee their bookings of that desk or room today, each with the one
action that fits (check in, check out, or when check-in opens). Nobody acting yet: a link to choose who you are
that comes back here. ``/spaces/{space_id}/qr.svg`` is the printable code for the desk or room, encoding the
page's absolute URL; ``/spaces/{space_id}/qr-card`` is a page to print with that code and, under it, the desk's code
(or the room's name), building and floor.
"""

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import segno
from litestar import Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from smartoffice.bookings.checkin import CheckIn, SpaceToday
from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.db import is_storable_id
from smartoffice.errors import NotFound
from smartoffice.i18n import Language, gettext
from smartoffice.places.models import Space, SpaceKind
from smartoffice.runtime import runtime_of
from smartoffice.web.context import acting_employee_id, current_viewer
from smartoffice.web.errors import PageError, attempt
from smartoffice.web.forms import FormError, optional_int
from smartoffice.web.identity import see_other, with_notice
from smartoffice.web.language import language_of

NOTICES = ("checked_in", "already_checked_in", "checked_out")
QR_CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True, slots=True)
class Visit:
    """One of the viewer's bookings of the space, as the page shows it (local times)."""

    booking_id: int
    start: time
    end: time
    state: str
    """``open`` (check in now), ``not_yet``, ``checked_in``, ``checked_out`` or ``pending`` (awaiting approval)."""
    opens: time
    checked_in_at: time | None
    checked_out_at: time | None


@dataclass(frozen=True, slots=True)
class CheckInPage:
    space_id: int
    label: str
    """``Desk T2-3-A9`` or the room's name."""
    is_room: bool
    floor_id: int
    floor_name: str
    building_name: str
    day: date
    visits: Sequence[Visit]
    path: str
    """This page's own path, where choosing an identity comes back to."""


@dataclass(frozen=True, slots=True)
class QrCard:
    space_id: int
    label: str
    code: str
    is_room: bool
    building_name: str
    floor_name: str
    check_in_url: str


def check_in_path(space_id: int) -> str:
    return f"/check-in/{space_id}"


@get("/check-in/{space_id:int}", name="check-in")
async def check_in_page(
    request: Request[Any, Any, Any], space_id: FromPath[int], notice: FromQuery[str | None] = None
) -> Template:
    return await render_check_in(request, space_id, notice=notice)


@post("/check-in/{space_id:int}", name="check-in-at-space")
async def check_in(request: Request[Any, Any, Any], space_id: FromPath[int]) -> Template | Redirect:
    """Check in: the booking the form names, else (a bare POST, as from a kiosk) the one open at this space now."""
    form = await request.form()
    viewer_id = acting_employee_id(request)
    if viewer_id is None:
        return see_other("/?" + urlencode({"notice": "pick_identity", "next": check_in_path(space_id)}))
    result = await attempt(_check_in(request, viewer_id, space_id, form.get("booking_id")), language_of(request))
    if isinstance(result, PageError):
        return await render_check_in(request, space_id, error=result)
    notice = "already_checked_in" if result.already_checked_in else "checked_in"
    # The booking's own space: a booking id from another space's form still lands where the booking is.
    return see_other(with_notice(check_in_path(result.booking.space_id), notice))


@post("/check-in/{space_id:int}/check-out", name="check-out")
async def check_out(request: Request[Any, Any, Any], space_id: FromPath[int]) -> Template | Redirect:
    form = await request.form()
    viewer_id = acting_employee_id(request)
    if viewer_id is None:
        return see_other("/?" + urlencode({"notice": "pick_identity", "next": check_in_path(space_id)}))
    checked_out = await attempt(_check_out(request, viewer_id, form.get("booking_id")), language_of(request))
    if isinstance(checked_out, PageError):
        return await render_check_in(request, space_id, error=checked_out)
    return see_other(with_notice(check_in_path(space_id), "checked_out"))


async def _check_in(request: Request[Any, Any, Any], viewer_id: int, space_id: int, booking: str | None) -> CheckIn:
    """The booking the form names (``booking``), else the viewer's booking open at this space now."""
    booking_id = optional_int(booking, "booking_id")
    if not is_storable_id(space_id):
        raise NotFound("Space", space_id)
    checkins = runtime_of(request).checkins
    if booking_id is None:
        return await checkins.check_in_at_space(viewer_id, space_id)
    return await checkins.check_in(viewer_id, booking_id)


async def _check_out(request: Request[Any, Any, Any], viewer_id: int, booking: str | None) -> Booking:
    booking_id = optional_int(booking, "booking_id")
    if booking_id is None:
        raise FormError("booking_id", "missing_booking_id")
    return await runtime_of(request).checkins.check_out(viewer_id, booking_id)


@get("/spaces/{space_id:int}/qr.svg", name="space-qr")
async def space_qr_code(request: Request[Any, Any, Any], space_id: FromPath[int]) -> Response[bytes]:
    """A printable QR code for the space: its check-in page's absolute URL (as this request reached us)."""
    space = await _space(request, space_id)
    url = str(request.url_for("check-in", space_id=space.id))
    code = segno.make(url, error="m", micro=False)
    out = io.BytesIO()
    language = language_of(request)
    title = gettext(language, "Check in at %(space)s", space=space_label(language, space))
    code.save(out, kind="svg", scale=8, border=4, title=title, desc=url, svgclass="qr")
    return Response(
        out.getvalue(),
        media_type="image/svg+xml",
        headers={"cache-control": f"public, max-age={QR_CACHE_SECONDS}"},
    )


@get("/spaces/{space_id:int}/qr-card", name="space-qr-card")
async def space_qr_card(request: Request[Any, Any, Any], space_id: FromPath[int]) -> Template:
    """A page to print and stick on the desk or room: its QR code, and under it what it is and where (a person
    reads the code; a phone scans the QR, which still encodes the check-in page, as ``qr.svg`` does)."""
    space = await _space(request, space_id)
    language = language_of(request)
    card = QrCard(
        space_id=space.id,
        label=space_label(language, space),
        code=space.code,
        is_room=space.kind == SpaceKind.ROOM,
        building_name=space.floor.building.name,
        floor_name=space.floor.name,
        check_in_url=str(request.url_for("check-in", space_id=space.id)),
    )
    return Template(template_name="qr_card.html", context={"card": card, "viewer": await current_viewer(request)})


async def render_check_in(
    request: Request[Any, Any, Any],
    space_id: int,
    *,
    notice: str | None = None,
    error: PageError | None = None,
) -> Template:
    """The page; ``error`` sets the status. Raises NotFound for an unknown space."""
    if not is_storable_id(space_id):
        raise NotFound("Space", space_id)
    runtime = runtime_of(request)
    viewer = await current_viewer(request)
    today = await runtime.checkins.today_at_space(viewer.id if viewer else None, space_id)
    page = _page(language_of(request), today, check_in_path(space_id))
    return Template(
        template_name="checkin.html",
        context={
            "page": page,
            "viewer": viewer,
            # this page's own notices, in its template; others (e.g. "acting") are the shared ones
            "checkin_notice": notice if notice in NOTICES else None,
            "notice": notice if notice not in NOTICES else None,
            "error": error,
        },
        status_code=error.status if error else 200,
    )


async def _space(request: Request[Any, Any, Any], space_id: int) -> Space:
    if not is_storable_id(space_id):
        raise NotFound("Space", space_id)
    return await runtime_of(request).places.space(space_id)


def space_label(language: Language, space: Space) -> str:
    if space.kind == SpaceKind.DESK:
        return gettext(language, "Desk %(code)s", code=space.code)
    return space.name or space.code


def _page(language: Language, today: SpaceToday, path: str) -> CheckInPage:
    space = today.space
    zone = ZoneInfo(space.floor.building.time_zone)
    return CheckInPage(
        space_id=space.id,
        label=space_label(language, space),
        is_room=space.kind == SpaceKind.ROOM,
        floor_id=space.floor_id,
        floor_name=space.floor.name,
        building_name=space.floor.building.name,
        day=today.now.astimezone(zone).date(),
        visits=[_visit(today, booking, zone) for booking in today.bookings],
        path=path,
    )


def _visit(today: SpaceToday, booking: Booking, zone: ZoneInfo) -> Visit:
    def local(instant: datetime | None) -> time | None:
        return instant.astimezone(zone).time() if instant else None

    if today.can_check_in(booking):
        state = "open"
    elif today.can_check_out(booking):
        state = "checked_in"
    elif booking.status == BookingStatus.CHECKED_IN:
        state = "checked_out"
    elif booking.status == BookingStatus.PENDING:
        state = "pending"
    else:
        state = "not_yet"
    return Visit(
        booking_id=booking.id,
        start=booking.start_at.astimezone(zone).time(),
        end=booking.end_at.astimezone(zone).time(),
        state=state,
        opens=today.opens_at(booking).astimezone(zone).time(),
        checked_in_at=local(booking.checked_in_at),
        checked_out_at=local(booking.checked_out_at),
    )
