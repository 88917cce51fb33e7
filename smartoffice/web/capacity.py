"""``/capacity``: the occupancy dashboard, for the facilities managers of a site and administrators.

A GET form (it works without JavaScript) picks the scope (a site, building, floor or zone, or an organisation or
unit: the pickers offer what :meth:`OccupancyService.report_scopes` says the visitor may report on) and the range
(by default the last eight full weeks, Monday to Sunday, before today's week). The page shows the summary figures
(desks, peak, mean, 85th percentile, utilisation, no-show rate: working days only), people booked and checked in
per day, the weekday × week heatmap, the trend by month, the breakdown one level down (each part links to its own
dashboard), and the meeting rooms (utilisation, meeting size against capacity). Every table downloads as CSV or
XLSX: ``?…&export=<table>&format=csv|xlsx`` (the keys are :data:`smartoffice.web.capacity_tables.EXPORTS`'s).

Everything comes from :meth:`OccupancyService.report`, which also decides who may read what (a facilities manager
asking for another site is refused there). Anyone who is neither an administrator nor a facilities manager gets
the pages' permission page (``NOT_A_FACILITIES_MANAGER``), nobody at all the offer to sign in (``STAFF_ONLY``).
A malformed field, a reversed or too long range, or a scope that does not exist is shown on the page above the
form, with what was sent.
"""

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Request, Response, get
from litestar.response import Template

from smartoffice.errors import DomainError
from smartoffice.i18n import Language, gettext
from smartoffice.planning.occupancy_report import OccupancyReport, OccupancyScope, ReportableScopes, ScopeKind
from smartoffice.policies.engine import monday_of
from smartoffice.runtime import runtime_of
from smartoffice.web import capacity_view as view
from smartoffice.web import charts
from smartoffice.web.admin.access import StaffVisitor, facilities_visitor
from smartoffice.web.capacity_tables import EXPORTS, part_kind_name
from smartoffice.web.errors import PageError, form_page_error
from smartoffice.web.forms import FormError, optional_date
from smartoffice.web.language import language_of
from smartoffice.web.table_export import export_response, requested_export

LOCAL_ZONE = ZoneInfo("Asia/Makassar")
"""Whose "today" the default range ends before (WITA, the offices' zone)."""
DEFAULT_WEEKS = 8
FIELDS = ("scope", "from", "to")


def default_range(today: date) -> tuple[date, date]:
    """The last :data:`DEFAULT_WEEKS` full weeks before today's week: Monday eight weeks back to last Sunday (the
    heatmap's columns are then whole weeks, and no day is still under way)."""
    monday = monday_of(today)
    return monday - timedelta(weeks=DEFAULT_WEEKS), monday - timedelta(days=1)


def parse_scope(value: str | None) -> OccupancyScope | None:
    """``building-3`` → the scope; blank → ``None``; anything else: :class:`FormError`."""
    if value is None or not value.strip():
        return None
    kind, _, number = value.strip().rpartition("-")
    if kind not in ScopeKind._value2member_map_ or not (number.isascii() and number.isdigit()) or len(number) > 12:
        raise FormError("scope", "invalid_scope")
    return OccupancyScope(ScopeKind(kind), int(number))


def default_scope(scopes: ReportableScopes) -> OccupancyScope | None:
    """The first place the visitor may report on (their first site), else the first organisation."""
    options = scopes.places or scopes.organisations
    return options[0].ref.scope if options else None


@get("/capacity", name="capacity-occupancy")
async def occupancy_page(request: Request[Any, Any, Any]) -> Template | Response[bytes]:
    staff = await facilities_visitor(request)
    language = language_of(request)
    runtime = runtime_of(request)
    values = {name: (request.query_params.get(name) or "").strip() for name in FIELDS}
    scopes = await runtime.occupancy.report_scopes(staff.id)
    first, last = default_range(runtime.clock().astimezone(LOCAL_ZONE).date())
    try:
        scope = parse_scope(values["scope"]) or default_scope(scopes)
        first = optional_date(values["from"], "from") or first
        last = optional_date(values["to"], "to") or last
        export, file_format = requested_export(request.query_params, EXPORTS)
        if scope is None:
            return _render(request, staff, scopes, values, None, first, last)
        report = await runtime.occupancy.report(staff.id, scope, first, last)
    except (DomainError, FormError) as exc:
        return _render(request, staff, scopes, values, None, first, last, error=_error(language, exc))
    if export is not None:
        table = EXPORTS[export](language, report)
        name = f"occupancy-{report.scope.code or scope.kind.value}-{export}-{first.isoformat()}-{last.isoformat()}"
        return export_response(table, file_format, name)
    return _render(request, staff, scopes, values, report, first, last)


CAPACITY_ROUTES = [occupancy_page]


def _render(
    request: Request[Any, Any, Any],
    staff: StaffVisitor,
    scopes: ReportableScopes,
    values: dict[str, str],
    report: OccupancyReport | None,
    first: date,
    last: date,
    *,
    error: PageError | None = None,
) -> Template:
    language = language_of(request)
    context: dict[str, Any] = {
        "staff": staff,
        "viewer": staff.viewer,
        "nav_current": "admin",
        "capacity_tab": "occupancy",
        "scopes": scopes,
        "form": {
            "scope": values["scope"],
            "from": values["from"] or first.isoformat(),
            "to": values["to"] or last.isoformat(),
        },
        "error": error,
        "report": report,
    }
    if report is not None:
        query = view.Query(report.scope.scope, first, last)
        parent = next(
            (o.parent for o in scopes.places + scopes.organisations if o.ref.scope == report.scope.scope), None
        )
        context["form"]["scope"] = view.scope_value(report.scope.scope)
        context |= {
            "query": query,
            "range_text": view.range_text(language, first, last),
            "figures": view.figures(language, report),
            "per_day": view.per_day_chart(language, report, query),
            "weeks": view.weeks_chart(language, report, query),
            "months": view.months_chart(language, report, query),
            "parts_chart": view.parts_chart(language, report, query),
            "parts": view.part_rows(language, report, query),
            "parts_kind": part_kind_name(language, report.part_kind),
            "rooms": view.room_rows(language, report),
            "rooms_utilisation": charts.percent(language)(report.rooms.utilisation),
            "sizes": view.sizes_chart(language, report, query),
            "up_url": query.url(parent) if parent else None,
        }
    return Template(
        template_name="capacity/occupancy.html", context=context, status_code=error.status if error else 200
    )


def _error(language: Language, exc: DomainError | FormError) -> PageError:
    texts = {
        "scope": gettext(language, "Choose a place, organisation or unit from the list."),
        "from": gettext(language, "That date is not valid. Use the form YYYY-MM-DD."),
        "to": gettext(language, "That date is not valid. Use the form YYYY-MM-DD."),
        "export": gettext(language, "That table cannot be downloaded. Use the links under the tables."),
    }
    return form_page_error(language, exc, texts)
