"""The "my week" page: which days the acting employee is needed in the office and why, and planning each day.

``/my-week?week=YYYY-MM-DD`` shows the week holding that day (this week by default); ``employee=ID`` shows
someone else's week to their supervisor or a manager of their unit (the service decides). Each working day from
today on has a small form that plans it (``POST /my-week/plan``); a plan a policy refuses is answered by a
redirect back to the week, which shows the refusal once in the visitor's language, with nothing changed.

On one's own week, "Book my required days" (``POST /my-week/book-required``, ``weeks`` 1 to 4) books a desk near
the team on each required day without one (:mod:`smartoffice.bookings.required_days`), then redirects to
``/my-week?booked=<its idempotency key>``, which lists each day's result as stored under that key: reloading it
books nothing, and sending the same form again books nothing new and shows the same results.
"""

import uuid
from datetime import date
from typing import Any
from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from smartoffice import formats
from smartoffice.bookings.idempotency import MAX_KEY_LENGTH
from smartoffice.db import is_storable_id
from smartoffice.errors import DomainError, NotFound
from smartoffice.i18n import Language
from smartoffice.policies.models import LocationKind, WorkMode
from smartoffice.policies.remote_locations import AWAY_FROM_HOME
from smartoffice.runtime import runtime_of
from smartoffice.web.context import acting_employee_id, current_viewer
from smartoffice.web.errors import PageError
from smartoffice.web.flash import see_other_with_error
from smartoffice.web.forms import FormError, idempotency_key, optional_date, optional_int, required_date, required_int
from smartoffice.web.identity import see_other
from smartoffice.web.language import language_of
from smartoffice.web.week_view import (
    NO_PLAN,
    PLAN_CHOICES,
    REQUIRED_WEEKS_CHOICES,
    RequiredDaysView,
    build_my_week_page,
    required_days_view,
    week_url,
)


@get("/my-week", name="my-week")
async def my_week_page(
    request: Request[Any, Any, Any],
    week: FromQuery[str | None] = None,
    employee: FromQuery[str | None] = None,
    saved: FromQuery[str | None] = None,
    booked: FromQuery[str | None] = None,
) -> Template:
    language = language_of(request)
    error = None
    try:
        week_of = optional_date(week, "week")
        employee_id = optional_int(employee, "employee")
    except FormError as exc:
        week_of, employee_id, error = None, None, PageError.of(exc, language)
    try:
        saved_day = optional_date(saved, "saved")
    except FormError:
        saved_day = None  # a mangled notice: show the week without it
    return await render_my_week(
        request, language, week_of, employee_id, saved=saved_day, booked_key=booked, error=error
    )


@post("/my-week/plan", name="plan-work-day")
async def plan_work_day(request: Request[Any, Any, Any]) -> Redirect:
    """Plan one day: ``date``, ``mode`` (a work mode, or ``none`` to clear) and, for someone else, ``employee``.

    An anywhere (WFA) day also sends where: ``location_kind`` (another office of the agency or a designated place)
    and ``location_detail`` (which). They are read for that mode only: the form keeps them (hidden) whatever mode
    is chosen, and a home (WFH) day is worked at the registered home."""
    form = await request.form()
    language = language_of(request)
    viewer_id = acting_employee_id(request)
    if viewer_id is None:
        return see_other("/?" + urlencode({"notice": "pick_identity", "next": "/my-week"}))
    day: date | None = None
    employee_id: int | None = None
    try:
        employee_id = optional_int(form.get("employee"), "employee")
        day = required_date(form.get("date"))
        mode = plan_choice(form.get("mode"))
        kind, detail = location_choice(mode, form.get("location_kind"), form.get("location_detail"))
        if employee_id is not None and not is_storable_id(employee_id):
            raise NotFound("Employee", employee_id)
        await runtime_of(request).policies.set_work_plan(
            viewer_id, employee_id or viewer_id, day, mode, location_kind=kind, location_detail=detail
        )
    except (DomainError, FormError) as exc:
        back = week_url(day, employee_id if employee_id != viewer_id else None)
        anchor = f"#day-{day.isoformat()}" if day else ""
        return see_other_with_error(request, back + anchor, PageError.of(exc, language))
    employee_param = employee_id if employee_id != viewer_id else None
    return see_other(week_url(day, employee_param, saved=day.isoformat()) + f"#day-{day.isoformat()}")


@post("/my-week/book-required", name="book-required-days")
async def book_required_days(request: Request[Any, Any, Any]) -> Redirect:
    """Book a desk near the team on each of one's required days without one, over ``weeks`` weeks from this one."""
    form = await request.form()
    language = language_of(request)
    viewer_id = acting_employee_id(request)
    if viewer_id is None:
        return see_other("/?" + urlencode({"notice": "pick_identity", "next": "/my-week"}))
    # Without a key from the form (a hand-made request) one is made here: the results are found by it.
    key = idempotency_key(form) or uuid.uuid4().hex
    try:
        weeks = required_int(form.get("weeks"), "weeks")
        await runtime_of(request).required_days.book(viewer_id, weeks, idempotency_key=key)
    except (DomainError, FormError) as exc:
        return see_other_with_error(request, "/my-week#book-required", PageError.of(exc, language))
    return see_other(week_url(booked=key) + "#required-days-result")


def location_choice(
    mode: WorkMode | None, kind: str | None, detail: str | None
) -> tuple[LocationKind | None, str | None]:
    """Where an anywhere day is worked, as the form says it (an unknown kind is none: the service asks for one);
    nothing for other modes."""
    if mode != WorkMode.ANYWHERE:
        return None, None
    return (LocationKind(kind) if kind in set(AWAY_FROM_HOME) else None), detail


def plan_choice(value: str | None) -> WorkMode | None:
    """The form's ``mode``: a work mode, or None for ``none`` (clear the plan)."""
    if value not in PLAN_CHOICES:
        raise FormError("mode", "invalid_mode")
    return None if value == NO_PLAN else WorkMode(value)


async def render_my_week(
    request: Request[Any, Any, Any],
    language: Language,
    week_of: date | None,
    employee_id: int | None,
    *,
    saved: date | None = None,
    booked_key: str | None = None,
    error: PageError | None = None,
) -> Template:
    """The page (a prompt to choose who you are when nobody is acting); ``error`` sets the status.

    Raises NotFound or PermissionDenied for a week the viewer may not see: the pages' error page answers.
    """
    viewer = await current_viewer(request)
    page = None
    booked: RequiredDaysView | None = None
    if viewer is not None:
        if employee_id is not None and not is_storable_id(employee_id):
            raise NotFound("Employee", employee_id)
        runtime = runtime_of(request)
        page = await build_my_week_page(runtime, language, viewer.id, employee_id or viewer.id, week_of)
        if booked_key and len(booked_key) <= MAX_KEY_LENGTH:
            stored = await runtime.required_days.stored(viewer.id, booked_key)
            booked = required_days_view(language, stored) if stored else None
    return Template(
        template_name="my_week.html",
        context={
            "page": page,
            "viewer": viewer,
            "plan_choices": PLAN_CHOICES,
            "saved": formats.day_month(language, saved)
            if saved and page and 0 <= (saved - page.monday).days < 7
            else None,
            "error": error,
            "booked": booked,
            "required_weeks": REQUIRED_WEEKS_CHOICES,
            "identity_next": week_url(week_of, employee_id),
        },
        status_code=error.status if error else 200,
    )
