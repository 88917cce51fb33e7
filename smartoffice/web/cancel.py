"""Cancelling a booking, from the floor page or from the home page's list."""

from typing import Any

from litestar import Request, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from smartoffice.errors import DomainError, NotFound
from smartoffice.runtime import runtime_of
from smartoffice.web.context import acting_employee_id
from smartoffice.web.errors import PageError
from smartoffice.web.floor import floor_url, render_floor
from smartoffice.web.forms import FormError, is_storable_id, optional_date, optional_int
from smartoffice.web.home import render_home
from smartoffice.web.identity import see_other, with_notice


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
    try:
        if not is_storable_id(booking_id):
            raise NotFound("Booking", booking_id)
        booking = await runtime_of(request).bookings.cancel(viewer_id, booking_id)
    except DomainError as exc:
        if return_to is not None:
            return await render_floor(request, return_to, day, None, error=PageError.of(exc))
        return await render_home(request, error=PageError.of(exc))
    if return_to is not None:
        return see_other(floor_url(return_to, day, desk=booking.space_id, notice="cancelled"))
    return see_other(with_notice("/", "cancelled"))
