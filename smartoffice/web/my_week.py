"""The "my week" page: which days the acting employee is needed in the office and why, and planning each day.

``/my-week?week=YYYY-MM-DD`` shows the week holding that day (this week by default); ``employee=ID`` shows
someone else's week to their supervisor or a manager of their unit (the service decides). Each working day from
today on has a small form that plans it (``POST /my-week/plan``); a plan a policy refuses is answered on the page,
in the visitor's language, with nothing changed.
"""

from datetime import date
from typing import Any
from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from smartoffice import formats
from smartoffice.db import is_storable_id
from smartoffice.errors import DomainError, NotFound
from smartoffice.i18n import Language
from smartoffice.policies.models import WorkMode
from smartoffice.runtime import runtime_of
from smartoffice.web.context import acting_employee_id, current_viewer
from smartoffice.web.errors import PageError
from smartoffice.web.forms import FormError, optional_date, optional_int, required_date
from smartoffice.web.identity import see_other
from smartoffice.web.language import language_of
from smartoffice.web.week_view import NO_PLAN, PLAN_CHOICES, build_my_week_page, week_url


@get("/my-week", name="my-week")
async def my_week_page(
    request: Request[Any, Any, Any],
    week: FromQuery[str | None] = None,
    employee: FromQuery[str | None] = None,
    saved: FromQuery[str | None] = None,
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
    return await render_my_week(request, language, week_of, employee_id, saved=saved_day, error=error)


@post("/my-week/plan", name="plan-work-day")
async def plan_work_day(request: Request[Any, Any, Any]) -> Template | Redirect:
    """Plan one day: ``date``, ``mode`` (a work mode, or ``none`` to clear) and, for someone else, ``employee``."""
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
        if employee_id is not None and not is_storable_id(employee_id):
            raise NotFound("Employee", employee_id)
        await runtime_of(request).policies.set_work_plan(viewer_id, employee_id or viewer_id, day, mode)
    except (DomainError, FormError) as exc:
        return await render_my_week(request, language, day, employee_id, error=PageError.of(exc, language))
    employee_param = employee_id if employee_id != viewer_id else None
    return see_other(week_url(day, employee_param, saved=day.isoformat()) + f"#day-{day.isoformat()}")


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
    error: PageError | None = None,
) -> Template:
    """The page (a prompt to choose who you are when nobody is acting); ``error`` sets the status.

    Raises NotFound or PermissionDenied for a week the viewer may not see: the pages' error page answers.
    """
    viewer = await current_viewer(request)
    page = None
    if viewer is not None:
        if employee_id is not None and not is_storable_id(employee_id):
            raise NotFound("Employee", employee_id)
        page = await build_my_week_page(runtime_of(request), language, viewer.id, employee_id or viewer.id, week_of)
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
            "identity_next": week_url(week_of, employee_id),
        },
        status_code=error.status if error else 200,
    )
