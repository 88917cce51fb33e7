"""``/admin/attendance/reconciliation``: desk bookings against attendance for a unit's subtree or a building.

``?scope=unit:<id>`` or ``?scope=building:<id>``, ``from`` and ``to`` (``YYYY-MM-DD``, at most 31 days; default the
last seven days to today): the counts per category (booked and present, booked and absent, booked with no data,
present without a booking) and each person's day, optionally only one ``category``; ``.csv`` is the same as a file.
Administrators choose any unit or building; unit managers their units; facilities managers their sites' buildings.
The service decides (a scope the visitor may not see is refused with the pages' permission page).
"""

import csv
import io
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, get
from litestar.response import Template

from smartoffice import formats, labels
from smartoffice.attendance.reconcile import Category, Reconciliation, Scope
from smartoffice.errors import InvalidInput, NotFound
from smartoffice.i18n import N_, Language, gettext
from smartoffice.runtime import runtime_of
from smartoffice.web.admin.access import StaffVisitor, staff_visitor
from smartoffice.web.errors import PageError
from smartoffice.web.forms import FormError, optional_date
from smartoffice.web.language import language_of

PAGE_PATH = "/admin/attendance/reconciliation"
SHOWN_ENTRIES = 500
DEFAULT_DAYS = 7
CATEGORIES = {
    Category.BOOKED_PRESENT: N_("Booked and present"),
    Category.BOOKED_ABSENT: N_("Booked and absent"),
    Category.BOOKED_NO_DATA: N_("Booked, no data"),
    Category.PRESENT_WITHOUT_BOOKING: N_("Present without a booking"),
}


class Query:
    """The page's query string, read: a scope (or none yet), the days, a category."""

    def __init__(self, params: dict[str, str], today: date) -> None:
        self.scope_value = params.get("scope", "").strip()
        self.scope = _scope(self.scope_value)
        self.last = optional_date(params.get("to"), "date") or today
        self.first = optional_date(params.get("from"), "date") or self.last - timedelta(days=DEFAULT_DAYS - 1)
        category = params.get("category", "")
        self.category = Category(category) if category in {c.value for c in Category} else None

    def url(self, path: str, **overrides: str) -> str:
        values = {"scope": self.scope_value, "from": self.first.isoformat(), "to": self.last.isoformat()}
        if self.category is not None:
            values["category"] = self.category.value
        return f"{path}?{urlencode({**values, **overrides})}"


def _scope(value: str) -> Scope | None:
    kind, _, number = value.partition(":")
    if not value:
        return None
    if kind not in ("unit", "building") or not (number.isdigit() and len(number) < 10):
        raise FormError("scope", "invalid_scope")
    return Scope(unit_id=int(number)) if kind == "unit" else Scope(building_id=int(number))


def category_label(language: Language, category: Category) -> str:
    return gettext(language, CATEGORIES[category])


def entry_rows(result: Reconciliation, language: Language, category: Category | None) -> list[dict[str, Any]]:
    return [
        {
            "day": formats.long_date(language, entry.day),
            "iso_day": entry.day.isoformat(),
            "category": entry.category.value,
            "category_label": category_label(language, entry.category),
            "nip": entry.nip,
            "name": entry.name,
            "unit": entry.unit_name,
            "booking": labels.label(language, entry.booking_status) if entry.booking_status else "—",
            "building": entry.building_name or "—",
            "checked_in": entry.checked_in_at.isoformat("minutes") if entry.checked_in_at else "—",
            "reported": labels.label(language, entry.reported) if entry.reported else "—",
            "reported_check_in": entry.reported_check_in.isoformat("minutes") if entry.reported_check_in else "—",
        }
        for entry in result.entries
        if category is None or entry.category == category
    ]


async def _result(
    request: Request[Any, Any, Any], staff: StaffVisitor
) -> tuple[Query | None, Reconciliation | None, PageError | None]:
    language = language_of(request)
    service = runtime_of(request).attendance
    try:
        query = Query(dict(request.query_params), service.today())
        if query.scope is None:
            return query, None, None
        return query, await service.reconciliation(staff.id, query.scope, query.first, query.last), None
    except (FormError, InvalidInput, NotFound) as exc:
        return None, None, PageError.of(exc, language)


@get(PAGE_PATH, name="admin-attendance-reconciliation")
async def reconciliation_page(request: Request[Any, Any, Any]) -> Template:
    staff = await staff_visitor(request)
    language = language_of(request)
    query, result, error = await _result(request, staff)
    choices = await runtime_of(request).attendance.reconciliation_choices(staff.id)
    rows = entry_rows(result, language, query.category) if result and query else []
    today = runtime_of(request).attendance.today()
    return Template(
        template_name="admin/attendance_reconciliation.html",
        context={
            "staff": staff,
            "viewer": staff.viewer,
            "admin_current": "attendance",
            "nav_current": "admin",
            "choices": choices,
            "scope_value": query.scope_value if query else request.query_params.get("scope", ""),
            "first": (query.first if query else today - timedelta(days=DEFAULT_DAYS - 1)).isoformat(),
            "last": (query.last if query else today).isoformat(),
            "category": query.category.value if query and query.category else "",
            "categories": [(c.value, category_label(language, c)) for c in Category],
            "result": result,
            "counts": [
                {
                    "key": c.value,
                    "label": category_label(language, c),
                    "count": n,
                    "url": query.url(PAGE_PATH, category=c.value) if query else "",
                }
                for c, n in (result.counts.items() if result else [])
            ],
            "period": (
                f"{formats.long_date(language, result.first)} – {formats.long_date(language, result.last)}"
                if result
                else ""
            ),
            "rows": rows[:SHOWN_ENTRIES],
            "rows_left_off": max(0, len(rows) - SHOWN_ENTRIES),
            "csv_url": query.url(PAGE_PATH + ".csv") if result and query else "",
            "all_url": query.url(PAGE_PATH, category="") if query else "",
            "error": error,
        },
        status_code=error.status if error else 200,
    )


CSV_HEADER = ("date", "category", "nip", "name", "unit", "booking_status", "building", "checked_in_at",
              "reported", "reported_check_in")  # fmt: skip


@get(PAGE_PATH + ".csv", name="admin-attendance-reconciliation-csv")
async def reconciliation_csv(request: Request[Any, Any, Any]) -> Response[str]:
    """The reconciliation as CSV (UTF-8, codes rather than words in the category and status columns; a value a
    spreadsheet would run as a formula starts with ``'``). A missing scope or a bad query answers 422."""
    staff = await staff_visitor(request)
    service = runtime_of(request).attendance
    query = Query(dict(request.query_params), service.today())
    if query.scope is None:
        raise FormError("scope", "missing_scope")
    result = await service.reconciliation(staff.id, query.scope, query.first, query.last)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for entry in result.entries:
        if query.category is not None and entry.category != query.category:
            continue
        writer.writerow(
            _cell(value)
            for value in (
                entry.day.isoformat(), entry.category.value, entry.nip, entry.name, entry.unit_name,
                entry.booking_status.value if entry.booking_status else "", entry.building_name or "",
                entry.checked_in_at.isoformat("minutes") if entry.checked_in_at else "",
                entry.reported.value if entry.reported else "",
                entry.reported_check_in.isoformat("minutes") if entry.reported_check_in else "",
            )
        )  # fmt: skip
    name = f"attendance-{result.first.isoformat()}-{result.last.isoformat()}.csv"
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _cell(value: Any) -> Any:
    """Text a spreadsheet would read as a formula starts with ``'`` (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


RECONCILIATION_ROUTES = [reconciliation_page, reconciliation_csv]
