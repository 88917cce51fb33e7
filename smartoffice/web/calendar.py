"""iCal downloads: a person's feed by its secret URL (for calendar apps), and one booking for its owner.

``/calendar/{token}.ics`` needs no session (calendar apps have none): the token is the credential, so the answer
must not leak it onward (``Referrer-Policy``) nor be kept by shared caches. ``/bookings/{id}.ics`` is for the
person acting in the pages' session, who must be the one booked or whoever booked it.
"""

from typing import Any

from litestar import Request, Response, get
from litestar.params import FromPath
from litestar.response import Redirect
from litestar.status_codes import HTTP_404_NOT_FOUND

from smartoffice.db import is_storable_id
from smartoffice.runtime import runtime_of
from smartoffice.web.context import acting_employee_id
from smartoffice.web.identity import see_other, with_notice
from smartoffice.web.language import language_of

ICS = "text/calendar"  # litestar appends "; charset=utf-8" to every text/* type: naming it here said it twice
SUFFIX = ".ics"


def _ics(body: bytes, filename: str, cache: str) -> Response[bytes]:
    headers = {
        "Cache-Control": cache,
        "Content-Disposition": f'inline; filename="{filename}"',
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
    }
    return Response(body, media_type=ICS, headers=headers)


def _not_found() -> Response[str]:
    return Response("Not found", status_code=HTTP_404_NOT_FOUND, media_type="text/plain")


@get("/calendar/{name:str}", name="calendar-feed")
async def calendar_feed(request: Request[Any, Any, Any], name: FromPath[str]) -> Response[Any]:
    if not name.endswith(SUFFIX) or len(name) > 200:
        return _not_found()
    body = await runtime_of(request).calendar_feeds.feed(name.removesuffix(SUFFIX))
    if body is None:
        return _not_found()
    return _ics(body, "smartoffice.ics", "private, max-age=300")


@get("/bookings/{name:str}", name="booking-ics")
async def booking_ics(request: Request[Any, Any, Any], name: FromPath[str]) -> Response[Any] | Redirect:
    ident = name.removesuffix(SUFFIX)
    if not name.endswith(SUFFIX) or not ident.isdigit() or not is_storable_id(int(ident)):
        return _not_found()
    viewer_id = acting_employee_id(request)
    if viewer_id is None:
        return see_other(with_notice("/", "pick_identity"))
    body = await runtime_of(request).calendar_feeds.booking(viewer_id, int(ident), language_of(request))
    if body is None:
        return _not_found()
    return _ics(body, f"booking-{ident}.ics", "private, no-store")
