"""Cancelling a booking, from the floor page or from the home page's list."""

from typing import Any

from litestar import Request, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from smartoffice.bookings.models import Booking
from smartoffice.db import is_storable_id
from smartoffice.errors import NotFound
from smartoffice.runtime import runtime_of
from smartoffice.web.context import acting_employee_id
from smartoffice.web.errors import PageError, attempt
from smartoffice.web.floor import floor_url, render_floor
from smartoffice.web.forms import FormError, optional_date, optional_int
from smartoffice.web.home import render_home
from smartoffice.web.identity import see_other, with_notice
from smartoffice.web.language import language_of


@post("/bookings/{booking_id:int}/cancel", name="cancel-booking")
async def cancel_booking(request: Request[Any, Any, Any], booking_id: FromPath[int]) -> Template | Redirect:
    form = await request.form()
    try:
        return_to = optional_int(form.get("return_to"), "return_to")
        day = optional_date(form.get("date"))
    except FormError:
        return_to, day = None, None  # where to go back to is a convenience: home will do
    viewer_id = acting_employee_id(request)
    if viewer_id is None:
        return see_other(with_notice("/", "pick_identity"))
    booking = await attempt(_cancel(request, viewer_id, booking_id), language_of(request))
    if isinstance(booking, PageError):
        if return_to is not None:
            return await render_floor(request, return_to, day, None, error=booking)
        return await render_home(request, error=booking)
    if return_to is not None:
        return see_other(floor_url(return_to, day, desk=booking.space_id, notice="cancelled"))
    return see_other(with_notice("/", "cancelled"))


async def _cancel(request: Request[Any, Any, Any], viewer_id: int, booking_id: int) -> Booking:
    if not is_storable_id(booking_id):
        raise NotFound("Booking", booking_id)
    return await runtime_of(request).bookings.cancel(viewer_id, booking_id)
