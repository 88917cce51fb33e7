"""The "history of weeks" page: a person's past weeks, each with the engine's verdict and its numbers.

``/my-week/history`` lists the 12 weeks before this one, newest first (``employee=ID``: someone else's, for their
supervisor or a manager of their unit, as My week decides); each row links to that week in My week. The weeks are
judged in bulk by :meth:`~smartoffice.policies.service.PolicyService.week_history`.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from litestar import Request, get
from litestar.params import FromQuery
from litestar.response import Template

from smartoffice import formats
from smartoffice.db import is_storable_id
from smartoffice.errors import NotFound
from smartoffice.i18n import Language
from smartoffice.policies.engine import ComplianceStatus, WeekPlan
from smartoffice.runtime import runtime_of
from smartoffice.web.context import current_viewer
from smartoffice.web.errors import PageError
from smartoffice.web.forms import FormError, optional_int
from smartoffice.web.language import language_of
from smartoffice.web.week_view import week_url


@dataclass(frozen=True, slots=True)
class WeekRow:
    monday: date
    label: str
    """``Monday 29 June to Sunday 5 July 2026``."""
    status: ComplianceStatus
    office_days: int
    office_days_needed: int
    remote_days: int
    remote_days_allowed: int
    url: str
    """The week in My week."""


@dataclass(frozen=True, slots=True)
class WeekHistoryPage:
    employee_name: str
    is_own: bool
    rows: Sequence[WeekRow]
    week_url: str
    """This week in My week (of the same person)."""


def week_row(language: Language, plan: WeekPlan, employee_param: int | None) -> WeekRow:
    working = plan.working_days
    return WeekRow(
        monday=plan.monday,
        label=formats.week_range(language, plan.monday, plan.monday + timedelta(days=6)),
        status=plan.status,
        office_days=plan.office_days,
        office_days_needed=plan.office_days_needed,
        remote_days=sum(1 for day in working if day.status is not None and day.status.is_remote),
        remote_days_allowed=plan.remote_days_allowed,
        url=week_url(plan.monday, employee_param),
    )


@get("/my-week/history", name="week-history")
async def week_history_page(request: Request[Any, Any, Any], employee: FromQuery[str | None] = None) -> Template:
    """Raises NotFound or PermissionDenied for a person the viewer may not see: the pages' error page answers."""
    language = language_of(request)
    viewer = await current_viewer(request)
    error = None
    try:
        employee_id = optional_int(employee, "employee")
    except FormError as exc:
        employee_id, error = None, PageError.of(exc, language)
    page = None
    if viewer is not None:
        if employee_id is not None and not is_storable_id(employee_id):
            raise NotFound("Employee", employee_id)
        history = await runtime_of(request).policies.week_history(viewer.id, employee_id or viewer.id)
        own = history.employee.id == viewer.id
        param = None if own else history.employee.id
        page = WeekHistoryPage(
            employee_name=history.employee.name,
            is_own=own,
            rows=[week_row(language, plan, param) for plan in history.weeks],
            week_url=week_url(None, param),
        )
    next_url = "/my-week/history" + (f"?{urlencode({'employee': employee_id})}" if employee_id is not None else "")
    return Template(
        template_name="week_history.html",
        context={"page": page, "viewer": viewer, "error": error, "identity_next": next_url},
        status_code=error.status if error else 200,
    )
