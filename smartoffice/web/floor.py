"""The floor page, and booking a desk from it."""

from collections.abc import Sequence
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, Template

from smartoffice.bookings.service import BookDeskRequest
from smartoffice.db import is_storable_id
from smartoffice.errors import NotFound
from smartoffice.runtime import runtime_of
from smartoffice.web.context import acting_employee_id, current_viewer
from smartoffice.web.errors import PageError, attempt
from smartoffice.web.flash import see_other_with_error
from smartoffice.web.floor_view import build_floor_page
from smartoffice.web.forms import (
    FormError,
    idempotency_key,
    optional_date,
    optional_int,
    optional_time,
    required_date,
    required_int,
)
from smartoffice.web.identity import see_other
from smartoffice.web.language import language_of


def floor_url(floor_id: int, day: date | None = None, *, desk: int | None = None, notice: str | None = None) -> str:
    query = {"date": day.isoformat() if day else None, "desk": desk, "notice": notice}
    encoded = urlencode({k: v for k, v in query.items() if v is not None})
    return f"/floors/{floor_id}" + (f"?{encoded}" if encoded else "")


@get("/floors/{floor_id:int}", name="floor")
async def floor_page(
    request: Request[Any, Any, Any],
    floor_id: FromPath[int],
    day: Annotated[str | None, QueryParameter(name="date")] = None,
    desk: FromQuery[str | None] = None,
    notice: FromQuery[str | None] = None,
    amenity: Annotated[list[str] | None, QueryParameter(name="amenity")] = None,
) -> Template:
    error = None
    try:
        chosen = optional_date(day)
    except FormError as exc:
        chosen, error = None, PageError.of(exc, language_of(request))
    try:
        selected = optional_int(desk, "desk")
    except FormError:
        selected = None  # a stale or mangled link: show the floor without a panel
    return await render_floor(request, floor_id, chosen, selected, notice=notice, error=error, amenities=amenity or ())


@post("/floors/{floor_id:int}/bookings", name="book-desk")
async def book_desk(request: Request[Any, Any, Any], floor_id: FromPath[int]) -> Redirect:
    """Book, then redirect (303): to the booked desk, or back to the floor with the error shown once there.

    The form's idempotency key makes a resent form (a double click, a retry after a slow network) the same
    booking: the second answer is the first one's redirect, "booked by you", never "already booked"."""
    form = await request.form()
    viewer_id = acting_employee_id(request)
    day: date | None = None
    if viewer_id is None:
        return see_other("/?" + urlencode({"notice": "pick_identity", "next": floor_url(floor_id)}))
    try:
        day = required_date(form.get("date"))
        desk_id = required_int(form.get("desk_id"), "desk_id")
        start = optional_time(form.get("start"), "start")
        end = optional_time(form.get("end"), "end")
    except FormError as exc:
        return see_other_with_error(request, floor_url(floor_id, day), PageError.of(exc, language_of(request)))
    key = idempotency_key(form)
    if key is not None:
        # One loaded page books one request once: the list's single form offers every desk, so after "back" the
        # same page key may ask for another desk or span, which is a new request, not a reused key.
        key = f"{key}:{desk_id}:{day.isoformat()}:{start}:{end}"
    booking = await attempt(
        runtime_of(request).bookings.book_desk(
            viewer_id, BookDeskRequest(desk_id, day, start, end), idempotency_key=key
        ),
        language_of(request),
    )
    if isinstance(booking, PageError):
        return see_other_with_error(request, floor_url(floor_id, day, desk=desk_id), booking)
    # The desk's own floor: a desk id from another floor still lands where the desk is.
    return see_other(floor_url(booking.space.floor_id, day, desk=desk_id, notice="booked"))


async def render_floor(
    request: Request[Any, Any, Any],
    floor_id: FromPath[int],
    day: date | None,
    selected: int | None,
    *,
    notice: str | None = None,
    error: PageError | None = None,
    amenities: Sequence[str] = (),
) -> Template:
    """The floor page; ``error`` sets the status (422 for a bad date). Raises NotFound for an unknown floor."""
    if not is_storable_id(floor_id):
        raise NotFound("Floor", floor_id)
    viewer = await current_viewer(request)
    language = language_of(request)
    page = await build_floor_page(
        runtime_of(request), floor_id, day, viewer.id if viewer else None, selected, language, amenities
    )
    return Template(
        template_name="floor.html",
        context={"page": page, "viewer": viewer, "notice": notice, "error": error},
        status_code=error.status if error else 200,
    )
