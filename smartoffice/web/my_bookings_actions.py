"""The forms of My bookings: cancel everything in a date range (with a confirmation that lists it), a new calendar
feed URL (with a confirmation: the old one stops working), and presence sharing. Each POST redirects (303) back to
``/my-bookings`` with a notice, or with the error shown once."""

from datetime import date
from typing import Any
from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from smartoffice.bookings.cancel_range import RangeCancellation
from smartoffice.integrations.calendar_feed import feed_path
from smartoffice.runtime import runtime_of
from smartoffice.web.context import acting_employee_id, current_viewer
from smartoffice.web.errors import PageError, attempt
from smartoffice.web.flash import see_other_with_error
from smartoffice.web.forms import FormError, idempotency_key, required_date
from smartoffice.web.identity import see_other, with_notice
from smartoffice.web.language import language_of
from smartoffice.web.my_bookings import FEED_URL_KEY, PATH, booking_row

LEAVE_PATH = f"{PATH}/cancel-range"
FEED_PATH = f"{PATH}/calendar-feed"
PRESENCE_PATH = f"{PATH}/presence-sharing"
PICK_IDENTITY = "/?" + urlencode({"notice": "pick_identity", "next": PATH})


@get(LEAVE_PATH, name="confirm-cancel-range")
async def confirm_cancel_range(
    request: Request[Any, Any, Any], until: FromQuery[str | None] = None
) -> Template | Redirect:
    viewer = await current_viewer(request)
    if viewer is None:
        return see_other(PICK_IDENTITY)
    language = language_of(request)
    first_raw = request.query_params.get("from")

    async def preview() -> tuple[RangeCancellation, date, date]:
        first, last = required_date(first_raw), required_date(until)
        return await runtime_of(request).cancel_ranges.preview(viewer.id, first, last), first, last

    found = await attempt(preview(), language)
    if not isinstance(found, tuple):
        return see_other_with_error(request, PATH + "#leave", found)
    plan, first, last = found
    now = runtime_of(request).clock()
    return Template(
        template_name="my_bookings_range.html",
        context={
            "viewer": viewer,
            "nav_current": "my-bookings",
            "first": first,
            "last": last,
            "cancelled": [booking_row(b, language, {}, now) for b in plan.cancelled],
            "kept": [booking_row(b, language, {}, now) for b in plan.kept],
        },
    )


@post(LEAVE_PATH, name="cancel-range")
async def cancel_range(request: Request[Any, Any, Any]) -> Redirect:
    form = await request.form()
    viewer_id = acting_employee_id(request)
    if viewer_id is None:
        return see_other(PICK_IDENTITY)

    async def cancel() -> RangeCancellation:
        first, last = required_date(form.get("from")), required_date(form.get("until"))
        return await runtime_of(request).cancel_ranges.cancel(
            viewer_id, first, last, idempotency_key=idempotency_key(form)
        )

    done = await attempt(cancel(), language_of(request))
    if not isinstance(done, RangeCancellation):
        return see_other_with_error(request, PATH + "#leave", done)
    if not done.cancelled:
        return see_other(with_notice(PATH, "nothing_cancelled"))
    return see_other(f"{PATH}?" + urlencode({"notice": "range_cancelled", "count": len(done.cancelled)}))


@get(FEED_PATH, name="confirm-calendar-feed")
async def confirm_calendar_feed(request: Request[Any, Any, Any]) -> Template | Redirect:
    viewer = await current_viewer(request)
    if viewer is None:
        return see_other(PICK_IDENTITY)
    return Template(template_name="my_bookings_feed.html", context={"viewer": viewer, "nav_current": "my-bookings"})


@post(FEED_PATH, name="rotate-calendar-feed")
async def rotate_calendar_feed(request: Request[Any, Any, Any]) -> Redirect:
    viewer_id = acting_employee_id(request)
    if viewer_id is None:
        return see_other(PICK_IDENTITY)
    token = await runtime_of(request).calendar_feeds.rotate(viewer_id)
    url = str(request.base_url).rstrip("/") + feed_path(token)
    session = request.scope.get("session")
    if isinstance(session, dict):
        session[FEED_URL_KEY] = url
    else:
        request.set_session({FEED_URL_KEY: url})
    return see_other(with_notice(PATH, "feed_rotated") + "#calendar-feed")


@post(PRESENCE_PATH, name="presence-sharing")
async def set_presence_sharing(request: Request[Any, Any, Any]) -> Redirect:
    form = await request.form()
    viewer_id = acting_employee_id(request)
    if viewer_id is None:
        return see_other(PICK_IDENTITY)
    share = form.get("share")
    if share not in ("on", "off"):
        error = FormError("share", "invalid_share")
        return see_other_with_error(request, PATH + "#presence", PageError.of(error, language_of(request)))
    await runtime_of(request).people.set_presence_sharing(viewer_id, share == "on")
    return see_other(with_notice(PATH, "presence_on" if share == "on" else "presence_off") + "#presence")
