"""Cancelling a booking, with a confirmation step that works without JavaScript.

``GET /bookings/{id}/cancel`` names the booking (desk or room, building, floor, day, times) and holds the form;
its ``POST`` cancels (once, by the form's idempotency key) and goes back with ``notice=cancelled`` to where the
person came from: ``return_to``, a local path (the floor page's older forms send a floor id and ``date``, which
still lead back to that floor). A failure goes back there too, with the error shown once (post/redirect/get).
"""

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from smartoffice.bookings.models import Booking
from smartoffice.db import is_storable_id
from smartoffice.errors import NotFound
from smartoffice.runtime import runtime_of
from smartoffice.web.context import acting_employee_id, current_viewer
from smartoffice.web.errors import PageError, attempt
from smartoffice.web.flash import see_other_with_error
from smartoffice.web.floor import floor_url
from smartoffice.web.forms import FormError, idempotency_key, local_path, optional_date
from smartoffice.web.identity import see_other, with_notice
from smartoffice.web.language import language_of
from smartoffice.web.my_bookings import booking_row

DEFAULT_RETURN = "/my-bookings"


def cancel_path(booking_id: int, return_to: str | None = None) -> str:
    path = f"/bookings/{booking_id}/cancel"
    return f"{path}?{urlencode({'return_to': return_to})}" if return_to else path


@get("/bookings/{booking_id:int}/cancel", name="confirm-cancel-booking")
async def confirm_cancel_booking(
    request: Request[Any, Any, Any], booking_id: FromPath[int], return_to: FromQuery[str | None] = None
) -> Template | Redirect:
    viewer = await current_viewer(request)
    if viewer is None:
        return see_other("/?" + urlencode({"notice": "pick_identity", "next": cancel_path(booking_id, return_to)}))
    if not is_storable_id(booking_id):
        raise NotFound("Booking", booking_id)
    booking = await runtime_of(request).bookings.get(viewer.id, booking_id)
    return Template(
        template_name="cancel_confirm.html",
        context={
            "viewer": viewer,
            "nav_current": "my-bookings",
            "booking": booking_row(booking, language_of(request), {}, runtime_of(request).clock()),
            "return_to": local_path(return_to, DEFAULT_RETURN),
        },
    )


@post("/bookings/{booking_id:int}/cancel", name="cancel-booking")
async def cancel_booking(request: Request[Any, Any, Any], booking_id: FromPath[int]) -> Redirect:
    form = await request.form()
    viewer_id = acting_employee_id(request)
    if viewer_id is None:
        return see_other(with_notice("/", "pick_identity"))
    target = _return_target(form)
    cancelled = await attempt(_cancel(request, viewer_id, booking_id, idempotency_key(form)), language_of(request))
    if isinstance(cancelled, PageError):
        return see_other_with_error(request, target(None), cancelled)
    return see_other(target(cancelled))


def _return_target(form: Mapping[str, Any]) -> Callable[[Booking | None], str]:
    """Where to go back to: a function of the cancelled booking (``None`` after a failure) to the path."""
    raw = form.get("return_to")
    raw = raw.strip() if isinstance(raw, str) else ""
    if raw.isascii() and raw.isdigit() and is_storable_id(int(raw)):  # the floor page's form: a floor id
        try:
            day = optional_date(form.get("date"))
        except FormError:
            day = None
        floor_id = int(raw)
        return lambda b: (
            floor_url(floor_id, day, desk=b.space_id, notice="cancelled") if b else floor_url(floor_id, day)
        )
    path = local_path(raw, DEFAULT_RETURN)
    return lambda b: with_notice(path, "cancelled") if b else path


async def _cancel(request: Request[Any, Any, Any], viewer_id: int, booking_id: int, key: str | None) -> Booking:
    if not is_storable_id(booking_id):
        raise NotFound("Booking", booking_id)
    cancelled = await runtime_of(request).bookings.cancel_bookings(viewer_id, booking_id, idempotency_key=key)
    return cancelled[0]
