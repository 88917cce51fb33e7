"""Approvals: the room bookings waiting for the visitor's decision (``/approvals``), accepted at once or declined
with a reason after a confirmation page (``/approvals/{id}/decline``); both post to ``/approvals/{id}/decision``
and come back here (post/redirect/get). Who may decide, and the audit entry, are the booking service's."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from litestar import Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from smartoffice import formats
from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.db import is_storable_id
from smartoffice.errors import DomainError, NotFound
from smartoffice.i18n import Language, gettext
from smartoffice.runtime import runtime_of
from smartoffice.web.context import acting_employee_id, current_viewer
from smartoffice.web.errors import PageError
from smartoffice.web.flash import see_other_with_error
from smartoffice.web.forms import FormError, optional_int
from smartoffice.web.identity import see_other
from smartoffice.web.language import language_of

DECISIONS = ("accept", "decline")


@dataclass(frozen=True, slots=True)
class Waiting:
    """A pending booking as the list shows it (times in its building's zone)."""

    booking: Booking
    start: datetime
    end: datetime

    @classmethod
    def of(cls, booking: Booking) -> "Waiting":
        zone = ZoneInfo(booking.space.floor.building.time_zone)
        return cls(booking, booking.start_at.astimezone(zone), booking.end_at.astimezone(zone))


@get("/approvals", name="approvals")
async def approvals_page(
    request: Request[Any, Any, Any], decided: FromQuery[str | None] = None, outcome: FromQuery[str | None] = None
) -> Template:
    viewer = await current_viewer(request)
    runtime = runtime_of(request)
    waiting: list[Waiting] = []
    decided_words = None
    if viewer is not None:
        waiting = [Waiting.of(b) for b in await runtime.approvals.pending_for(viewer.id)]
        booking_id = _quiet_int(decided)
        if booking_id is not None and outcome in DECISIONS:
            found = await runtime.bookings.visible_by_id(viewer.id, [booking_id])
            if found:
                decided_words = decision_words(Waiting.of(found[0]), outcome, language_of(request))
    return Template(
        template_name="approvals.html",
        context={"viewer": viewer, "nav_current": "approvals", "waiting": waiting, "decided_words": decided_words},
    )


@get("/approvals/{booking_id:int}/decline", name="confirm-decline")
async def confirm_decline(request: Request[Any, Any, Any], booking_id: FromPath[int]) -> Template | Redirect:
    """The confirmation step before declining (works without JavaScript): the booking and a field for the reason."""
    viewer = await current_viewer(request)
    if viewer is None:
        return see_other("/?" + urlencode({"notice": "pick_identity", "next": "/approvals"}))
    if not is_storable_id(booking_id):
        raise NotFound("Booking", booking_id)
    found = await runtime_of(request).bookings.visible_by_id(viewer.id, [booking_id])
    if not found:
        raise NotFound("Booking", booking_id)
    return Template(
        template_name="approvals.html",
        context={"viewer": viewer, "nav_current": "approvals", "declining": Waiting.of(found[0])},
    )


@post("/approvals/{booking_id:int}/decision", name="decide-booking")
async def decide_booking(request: Request[Any, Any, Any], booking_id: FromPath[int]) -> Redirect:
    form = await request.form()
    language = language_of(request)
    viewer_id = acting_employee_id(request)
    if viewer_id is None:
        return see_other("/?" + urlencode({"notice": "pick_identity", "next": "/approvals"}))
    decision = form.get("decision")
    reason = form.get("reason")
    try:
        if decision not in DECISIONS:
            raise FormError("decision", "invalid_decision")
        if not is_storable_id(booking_id):
            raise NotFound("Booking", booking_id)
        await runtime_of(request).bookings.decide(
            viewer_id,
            booking_id,
            accept=decision == "accept",
            reason=reason if isinstance(reason, str) else None,
            via="web",
        )
    except (DomainError, FormError) as exc:
        return see_other_with_error(request, "/approvals", PageError.of(exc, language))
    return see_other("/approvals?" + urlencode({"decided": booking_id, "outcome": decision}))


def decision_words(waiting: Waiting, outcome: str, language: Language) -> str:
    booking = waiting.booking
    params = {
        "room": booking.space.name or booking.space.code,
        "day": formats.long_date(language, waiting.start.date()),
        "start": f"{waiting.start:%H:%M}",
        "end": f"{waiting.end:%H:%M}",
    }
    if outcome == "accept" and booking.status != BookingStatus.REJECTED:
        return gettext(language, "Accepted: %(room)s on %(day)s, %(start)s–%(end)s.", **params)
    return gettext(language, "Declined: %(room)s on %(day)s, %(start)s–%(end)s. The room is free again.", **params)


def _quiet_int(value: str | None) -> int | None:
    try:
        return optional_int(value, "decided")
    except FormError:
        return None
