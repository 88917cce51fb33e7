"""Booking a desk or a room every week: ``/bookings/repeat?space=&date=`` (the first day) asks for the weekdays, an
end (a last date or a number of times) and the times; ``POST /bookings/repeat`` books the series
(``bookings.recurring.book_series``) and redirects to ``/bookings/series/{id}?key=``, which shows each occurrence's
result: read back from the series' idempotency record, the only place the skipped days' reasons are kept.
"""

import uuid
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from litestar import Request, get, post
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY

from smartoffice import formats
from smartoffice.bookings import checks
from smartoffice.bookings.recurring import SeriesResult, book_series, stored_series_result
from smartoffice.bookings.requests import RecurringRequest
from smartoffice.db import is_storable_id
from smartoffice.errors import CommonInputCode, DomainError, InvalidInput, NotFound
from smartoffice.i18n import Language, gettext
from smartoffice.places.models import Space, SpaceKind
from smartoffice.runtime import runtime_of
from smartoffice.web.context import acting_employee_id, current_viewer
from smartoffice.web.errors import PageError
from smartoffice.web.flash import see_other_with_error
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

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DEFAULT_WEEKS = 4
MAX_COUNT = 200


@dataclass(frozen=True, slots=True)
class RepeatForm:
    """What the form shows: the space, the first day and its defaults."""

    space: Space
    first_day: date
    weekdays: tuple[str, ...]
    start: time
    end: time
    until: date
    count: int


@get("/bookings/repeat", name="repeat-booking")
async def repeat_page(
    request: Request[Any, Any, Any],
    space: FromQuery[str | None] = None,
    day: Annotated[str | None, QueryParameter(name="date")] = None,
    start: FromQuery[str | None] = None,
    end: FromQuery[str | None] = None,
) -> Template:
    viewer = await current_viewer(request)
    runtime = runtime_of(request)
    space_id = required_int(space, "space")
    if not is_storable_id(space_id):
        raise NotFound("Space", space_id)
    found = await runtime.places.space(space_id)
    local_today = runtime.clock().astimezone(_zone(found)).date()
    first = optional_date(day) or local_today
    opens, closes = _hours(found, first)
    form = RepeatForm(
        found,
        first,
        (WEEKDAY_CODES[first.weekday()],),
        optional_time(start, "start") or opens,
        optional_time(end, "end") or closes,
        first + timedelta(weeks=DEFAULT_WEEKS - 1),
        DEFAULT_WEEKS,
    )
    return Template(
        template_name="repeat.html",
        context={"viewer": viewer, "form": form, "weekdays": _weekday_names(), "nav_current": _nav(found)},
    )


@post("/bookings/repeat", name="book-repeat")
async def book_repeat(request: Request[Any, Any, Any]) -> Redirect:
    form = await request.form()
    language = language_of(request)
    viewer_id = acting_employee_id(request)
    back = "/bookings/repeat?" + urlencode(
        {k: v for k in ("space", "date", "start", "end") if isinstance(v := form.get(k), str)}
    )
    if viewer_id is None:
        return see_other("/?" + urlencode({"notice": "pick_identity", "next": back}))
    key = idempotency_key(form) or uuid.uuid4().hex
    try:
        space_id = required_int(form.get("space"), "space")
        request_ = RecurringRequest(
            space_id,
            weekly_rule(form.getall("weekday", []), form.get("ends"), form.get("until"), form.get("count")),
            required_date(form.get("date")),
            _required_time(form.get("start"), "start"),
            _required_time(form.get("end"), "end"),
            optional_int(_text(form.get("attendees")), "attendees") or 1,
            (_text(form.get("title")) or "").strip() or None,
        )
        result = await book_series(runtime_of(request).bookings, viewer_id, request_, idempotency_key=key)
    except (DomainError, FormError) as exc:
        return see_other_with_error(request, back, PageError.of(exc, language))
    if result.series is None:
        return see_other_with_error(request, back, nothing_booked(result, language))
    return see_other(f"/bookings/series/{result.series.id}?" + urlencode({"key": key}))


@get("/bookings/series/{series_id:int}", name="series-result")
async def series_page(
    request: Request[Any, Any, Any], series_id: FromPath[int], key: FromQuery[str | None] = None
) -> Template | Redirect:
    viewer = await current_viewer(request)
    if viewer is None:
        return see_other("/?" + urlencode({"notice": "pick_identity"}))
    result = await stored_series_result(runtime_of(request).bookings, viewer.id, key) if key else None
    if result is None or result.series is None or result.series.id != series_id:
        raise NotFound("BookingSeries", series_id)
    space = await runtime_of(request).places.space(result.series.space_id)
    booked = sum(1 for o in result.occurrences if o.booking is not None)
    return Template(
        template_name="repeat.html",
        context={
            "viewer": viewer,
            "result": result,
            "space": space,
            "booked_count": booked,
            "reasons": {day: error.message_in(language_of(request)) for day, error in _skipped(result)},
            "nav_current": _nav(space),
        },
    )


def weekly_rule(weekdays: list[Any], ends: object, until: object, count: object) -> str:
    """``FREQ=WEEKLY;BYDAY=..`` ending on a date (the whole of that day) or after a number of occurrences."""
    chosen = [code for code in WEEKDAY_CODES if code in {str(w) for w in weekdays}]
    if not chosen:
        raise InvalidInput("weekday", CommonInputCode.REQUIRED)
    rule = "FREQ=WEEKLY;BYDAY=" + ",".join(chosen)
    if ends == "count":
        times = required_int(_text(count), "count")
        if not 1 <= times <= MAX_COUNT:
            raise FormError("count", "invalid_count")
        return f"{rule};COUNT={times}"
    last = required_date(_text(until), "until")
    return f"{rule};UNTIL={last:%Y%m%d}T235959"


def nothing_booked(result: SeriesResult, language: Language) -> PageError:
    reasons = "; ".join(
        f"{formats.short_date(language, day)}: {error.message_in(language)}" for day, error in _skipped(result)
    )
    return PageError(HTTP_422_UNPROCESSABLE_ENTITY, "nothing_booked", gettext(language, "Nothing was booked"), reasons)


def _skipped(result: SeriesResult) -> list[tuple[date, DomainError]]:
    return [(o.day, o.skipped_because) for o in result.occurrences if o.skipped_because is not None]


def _hours(space: Space, day: date) -> tuple[time, time]:
    try:
        return checks.bookable_hours(space, day)
    except InvalidInput:
        building = space.floor.building
        return building.opens_at, building.closes_at


def _required_time(value: object, field: str) -> time:
    found = optional_time(_text(value), field)
    if found is None:
        raise FormError(field, f"missing_{field}")
    return found


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _zone(space: Space) -> ZoneInfo:
    return ZoneInfo(space.floor.building.time_zone)


def _nav(space: Space) -> str | None:
    return "rooms" if space.kind == SpaceKind.ROOM else None


def _weekday_names() -> list[tuple[str, int]]:
    """(RRULE code, weekday from Monday = 0) pairs: the template names them with the ``weekday`` filter."""
    return list(zip(WEEKDAY_CODES, range(7), strict=True))
