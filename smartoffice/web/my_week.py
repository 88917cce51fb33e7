"""The "my week" page: which days the acting employee is needed in the office and why, and planning each day.

``/my-week?week=YYYY-MM-DD`` shows the week holding that day (this week by default); ``employee=ID`` shows
someone else's week to their supervisor or a manager of their unit (the service decides). Each working day from
today on has a small form that plans it (``POST /my-week/plan``); a plan a policy refuses is answered on the page,
in the visitor's language, with nothing changed.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY

from smartoffice.errors import DomainError, NotFound, PolicyRefusal
from smartoffice.policies import changes
from smartoffice.policies.models import WorkMode
from smartoffice.runtime import runtime_of
from smartoffice.web.context import acting_employee_id, current_viewer
from smartoffice.web.errors import status_for
from smartoffice.web.forms import FormError, is_storable_id, optional_date, optional_int, required_date
from smartoffice.web.identity import see_other
from smartoffice.web.week_view import PLAN_CHOICES, build_my_week_page, localised, today_in_nusantara, week_url
from smartoffice.web.words import Words, words_for

FORM_ERROR_WORDS = {
    "invalid_week": "PAGE_INVALID_DATE",
    "invalid_date": "PAGE_INVALID_DATE",
    "missing_date": "PAGE_INVALID_DATE",
    "invalid_mode": "PAGE_INVALID_MODE",
    "invalid_employee": "PAGE_INVALID_EMPLOYEE",
}


@dataclass(frozen=True, slots=True)
class PageMessage:
    """A failure as these pages say it, in the visitor's language (base.html's own flash speaks English)."""

    status: int
    code: str
    title: str
    text: str

    @classmethod
    def of(cls, exc: DomainError | FormError, words: Words) -> "PageMessage":
        if isinstance(exc, FormError):
            title = words("PAGE_ERROR_CHECK")
            return cls(HTTP_422_UNPROCESSABLE_ENTITY, exc.code, title, words(FORM_ERROR_WORDS.get(exc.code, exc.code)))
        status = status_for(exc)
        if isinstance(exc, PolicyRefusal):
            title = words("PAGE_ERROR_REFUSED")
        else:
            title = words({403: "PAGE_ERROR_NOT_ALLOWED", 404: "PAGE_ERROR_NOT_FOUND"}.get(status, "PAGE_ERROR_CHECK"))
        return cls(status, exc.code, title, words(exc.code, **localised(words, exc.params)))


@get("/my-week", name="my-week")
async def my_week_page(
    request: Request[Any, Any, Any],
    week: FromQuery[str | None] = None,
    employee: FromQuery[str | None] = None,
    saved: FromQuery[str | None] = None,
) -> Template:
    words = words_for(request)
    error = None
    try:
        week_of = optional_date(week, "week")
        employee_id = optional_int(employee, "employee")
    except FormError as exc:
        week_of, employee_id, error = None, None, PageMessage.of(exc, words)
    try:
        saved_day = optional_date(saved, "saved")
    except FormError:
        saved_day = None  # a mangled notice: show the week without it
    return await render_my_week(request, words, week_of, employee_id, saved=saved_day, error=error)


@post("/my-week/plan", name="plan-work-day")
async def plan_work_day(request: Request[Any, Any, Any]) -> Template | Redirect:
    """Plan one day: ``date``, ``mode`` (a work mode, or ``none`` to clear) and, for someone else, ``employee``."""
    form = await request.form()
    words = words_for(request)
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
        runtime = runtime_of(request)
        async with runtime.db.write() as session:
            await changes.set_work_day(
                session, viewer_id, employee_id or viewer_id, day, today_in_nusantara(runtime), planned=mode
            )
    except (DomainError, FormError) as exc:
        return await render_my_week(request, words, day, employee_id, error=PageMessage.of(exc, words))
    employee_param = employee_id if employee_id != viewer_id else None
    return see_other(week_url(day, employee_param, saved=day.isoformat()) + f"#day-{day.isoformat()}")


def plan_choice(value: str | None) -> WorkMode | None:
    """The form's ``mode``: a work mode, or None for ``none`` (clear the plan)."""
    if value not in PLAN_CHOICES:
        raise FormError("mode", "invalid_mode")
    return None if value == "none" else WorkMode(value)


async def render_my_week(
    request: Request[Any, Any, Any],
    words: Words,
    week_of: date | None,
    employee_id: int | None,
    *,
    saved: date | None = None,
    error: PageMessage | None = None,
) -> Template:
    """The page (a prompt to choose who you are when nobody is acting); ``error`` sets the status.

    Raises NotFound or PermissionDenied for a week the viewer may not see: the pages' error page answers.
    """
    viewer = await current_viewer(request)
    page = None
    if viewer is not None:
        if employee_id is not None and not is_storable_id(employee_id):
            raise NotFound("Employee", employee_id)
        page = await build_my_week_page(runtime_of(request), words, viewer.id, employee_id or viewer.id, week_of)
    return Template(
        template_name="my_week.html",
        context={
            "page": page,
            "viewer": viewer,
            "t": words,
            "plan_choices": PLAN_CHOICES,
            "saved": words.day_month(saved) if saved and page and 0 <= (saved - page.monday).days < 7 else None,
            "page_message": error,
            "identity_next": week_url(week_of, employee_id),
        },
        status_code=error.status if error else 200,
    )
