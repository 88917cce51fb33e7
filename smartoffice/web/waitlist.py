"""The waitlist's forms: join the line of a full floor or zone (from the floor page), and leave it (from My
bookings, after a confirmation). Each POST redirects (303): back to the page with a notice, or with the error
shown once (``web/flash.py``)."""

from typing import Any
from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from smartoffice.db import is_storable_id
from smartoffice.errors import NotFound
from smartoffice.runtime import runtime_of
from smartoffice.waitlist.service import JoinWaitlistRequest, WaitlistView
from smartoffice.web.context import acting_employee_id, current_viewer
from smartoffice.web.errors import PageError, attempt
from smartoffice.web.flash import see_other_with_error
from smartoffice.web.floor import floor_url
from smartoffice.web.forms import FormError, idempotency_key, local_path, required_date, required_int
from smartoffice.web.identity import see_other, with_notice
from smartoffice.web.language import language_of

MY_BOOKINGS = "/my-bookings"
JOINED, LEFT = "waitlist_joined", "waitlist_left"
"""The notices the two forms redirect with (worded in ``_waitlist_join.html`` and ``_my_waitlist.html``)."""


def _pick_identity(next_path: str) -> Redirect:
    return see_other("/?" + urlencode({"notice": "pick_identity", "next": next_path}))


@post("/waitlist", name="join-waitlist")
async def join_waitlist(request: Request[Any, Any, Any]) -> Redirect:
    form = await request.form()
    language = language_of(request)
    try:
        floor_id = required_int(form.get("floor_id"), "floor_id")
    except FormError as exc:
        return see_other_with_error(request, "/", PageError.of(exc, language))
    viewer_id = acting_employee_id(request)
    if viewer_id is None:
        return _pick_identity(floor_url(floor_id))
    day = None

    async def join() -> WaitlistView:
        nonlocal day
        day = required_date(form.get("date"))
        zone_code = str(form.get("zone") or "").strip()
        service = runtime_of(request).waitlist
        zone_id = await service.zone_id_by_code(floor_id, zone_code) if zone_code else None
        return await service.join(
            viewer_id, JoinWaitlistRequest(floor_id, day, zone_id), idempotency_key=idempotency_key(form)
        )

    joined = await attempt(join(), language)
    if isinstance(joined, PageError):
        return see_other_with_error(request, floor_url(floor_id, day) + "#waitlist", joined)
    return see_other(floor_url(floor_id, joined.day, notice=JOINED) + "#waitlist")


@get("/waitlist/{entry_id:int}/leave", name="confirm-leave-waitlist")
async def confirm_leave_waitlist(request: Request[Any, Any, Any], entry_id: FromPath[int]) -> Template | Redirect:
    viewer = await current_viewer(request)
    if viewer is None:
        return _pick_identity(MY_BOOKINGS)
    if not is_storable_id(entry_id):
        raise NotFound("WaitlistEntry", entry_id)
    entry = await runtime_of(request).waitlist.get(viewer.id, entry_id)
    return Template(
        template_name="waitlist_leave.html",
        context={"viewer": viewer, "nav_current": "my-bookings", "entry": entry, "return_to": MY_BOOKINGS},
    )


@post("/waitlist/{entry_id:int}/leave", name="leave-waitlist")
async def leave_waitlist(request: Request[Any, Any, Any], entry_id: FromPath[int]) -> Redirect:
    form = await request.form()
    return_to = local_path(form.get("return_to"), MY_BOOKINGS)
    viewer_id = acting_employee_id(request)
    if viewer_id is None:
        return _pick_identity(MY_BOOKINGS)

    async def leave() -> WaitlistView:
        if not is_storable_id(entry_id):
            raise NotFound("WaitlistEntry", entry_id)
        return await runtime_of(request).waitlist.leave(viewer_id, entry_id)

    left = await attempt(leave(), language_of(request))
    if isinstance(left, PageError):
        return see_other_with_error(request, return_to, left)
    return see_other(with_notice(return_to, LEFT))
