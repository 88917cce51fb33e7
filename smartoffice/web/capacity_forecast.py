"""``/capacity/forecast``: the demand forecast, for the facilities managers of a site and administrators.

A GET form (it works without JavaScript) picks a site or one of its buildings (those :meth:`report_scopes` offers
the visitor), the first week (by default next week), how many weeks (1 to 8, default 4) and the target utilisation
(50 to 100 %, default 85 %). The page lists the days at risk first, then a chart per building (expected people with
their range against the target, the days at risk flagged), the building × day heatmap and every figure in one
table. Tables download as CSV or XLSX: ``?…&export=days|risk&format=csv|xlsx``.

Everything comes from :meth:`ForecastService.forecast`, which also decides who may see what. A malformed field, a
place that does not exist or that the visitor may not see is shown on the page above the form.
"""

from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from litestar import Request, Response, get
from litestar.response import Template

from smartoffice.errors import DomainError
from smartoffice.i18n import Language, gettext
from smartoffice.planning.forecast import DEFAULT_TARGET_UTILISATION, DEFAULT_WEEKS, MAX_WEEKS, DemandForecast
from smartoffice.planning.occupancy_report import ScopeKind, ScopeOption
from smartoffice.policies.engine import monday_of, next_monday
from smartoffice.runtime import runtime_of
from smartoffice.web import capacity_forecast_view as view
from smartoffice.web.admin.access import StaffVisitor, facilities_visitor
from smartoffice.web.errors import PageError, form_page_error
from smartoffice.web.forms import FormError, optional_date
from smartoffice.web.language import language_of
from smartoffice.web.table_export import export_response, requested_export

LOCAL_ZONE = ZoneInfo("Asia/Makassar")
FIELDS = ("scope", "from", "weeks", "target")
WEEK_CHOICES = range(1, MAX_WEEKS + 1)
TARGET_RANGE = range(50, 101)


def parse_place(value: str, options: list[ScopeOption]) -> str:
    """``site-3`` / ``building-7`` as sent (named as the occupancy page names its scope, so the tabs carry it);
    blank → the first option; anything else: :class:`FormError`."""
    if not value:
        if not options:
            raise FormError("scope", "missing_scope")
        return f"{options[0].ref.kind.value}-{options[0].ref.id}"
    kind, _, number = value.rpartition("-")
    if kind not in (ScopeKind.SITE.value, ScopeKind.BUILDING.value) or not (number.isascii() and number.isdigit()):
        raise FormError("scope", "invalid_scope")
    if len(number) > 12:
        raise FormError("scope", "invalid_scope")
    return value


def parse_choice(value: str, field: str, choices: range, default: int) -> int:
    if not value:
        return default
    if not (value.isascii() and value.isdigit()) or int(value) not in choices:
        raise FormError(field, f"invalid_{field}")
    return int(value)


@get("/capacity/forecast", name="capacity-forecast")
async def forecast_page(request: Request[Any, Any, Any]) -> Template | Response[bytes]:
    staff = await facilities_visitor(request)
    language = language_of(request)
    runtime = runtime_of(request)
    values = {name: (request.query_params.get(name) or "").strip() for name in FIELDS}
    scopes = await runtime.occupancy.report_scopes(staff.id)
    options = [o for o in scopes.places if o.ref.kind in (ScopeKind.SITE, ScopeKind.BUILDING)]
    first = next_monday(runtime.clock().astimezone(LOCAL_ZONE).date())
    weeks, target = DEFAULT_WEEKS, round(DEFAULT_TARGET_UTILISATION * 100)
    query = None
    try:
        first = optional_date(values["from"], "from") or first
        weeks = parse_choice(values["weeks"], "weeks", WEEK_CHOICES, weeks)
        target = parse_choice(values["target"], "target", TARGET_RANGE, target)
        export, file_format = requested_export(request.query_params, view.EXPORTS)
        if not options and not values["scope"]:
            return _render(request, staff, options, values, None, None)
        place = parse_place(values["scope"], options)
        query = view.ForecastQuery(place, monday_of(first), weeks, target)
        kind, _, number = place.rpartition("-")
        forecast = await runtime.forecast.forecast(
            staff.id,
            site_id=int(number) if kind == ScopeKind.SITE.value else None,
            building_id=int(number) if kind == ScopeKind.BUILDING.value else None,
            first=first,
            weeks=weeks,
            target_utilisation=target / 100,
        )
    except (DomainError, FormError) as exc:
        return _render(request, staff, options, values, None, query, error=_error(language, exc))
    if export is not None:
        table = view.EXPORTS[export](language, forecast)
        name = f"forecast-{place}-{export}-{forecast.first.isoformat()}-{weeks}w"
        return export_response(table, file_format, name)
    return _render(request, staff, options, values, forecast, query)


CAPACITY_FORECAST_ROUTES = [forecast_page]


def _render(
    request: Request[Any, Any, Any],
    staff: StaffVisitor,
    options: list[ScopeOption],
    values: dict[str, str],
    forecast: DemandForecast | None,
    query: view.ForecastQuery | None,
    *,
    error: PageError | None = None,
) -> Template:
    language = language_of(request)
    context: dict[str, Any] = {
        "staff": staff,
        "viewer": staff.viewer,
        "nav_current": "admin",
        "capacity_tab": "forecast",
        "options": options,
        "week_choices": WEEK_CHOICES,
        "form": {
            "scope": query.place if query else values["scope"],
            "from": values["from"] or (query.first.isoformat() if query else ""),
            "weeks": query.weeks if query else (values["weeks"] or DEFAULT_WEEKS),
            "target": query.target_percent if query else (values["target"] or 85),
        },
        "error": error,
        "forecast": forecast,
    }
    if query is not None:
        context["capacity_tab_query"] = "?" + urlencode({"scope": query.place})  # the occupancy page's scope too
    if forecast is not None and query is not None:
        context["form"]["from"] = forecast.first.isoformat()
        days, risk = view.days_table(language, forecast), view.risk_table(language, forecast)
        context |= {
            "query": query,
            "range_text": view.range_text(language, forecast),
            "risk_table": risk,
            "risk_rows": view.table_rows(language, risk, forecast.days_at_risk),
            "days_table": days,
            "days_rows": view.table_rows(language, days, forecast.days),
            "building_charts": [view.building_chart(language, b, query) for b in forecast.buildings if b.days],
            "heatmap": view.heatmap_chart(language, forecast, query),
        }
    return Template(template_name="capacity/forecast.html", context=context, status_code=error.status if error else 200)


def _error(language: Language, exc: DomainError | FormError) -> PageError:
    texts = {
        "scope": gettext(language, "Choose a site or a building from the list."),
        "from": gettext(language, "That date is not valid. Use the form YYYY-MM-DD."),
        "weeks": gettext(language, "Choose from 1 to 8 weeks."),
        "target": gettext(language, "The target is a whole percentage from 50 to 100."),
        "export": gettext(language, "That table cannot be downloaded. Use the links under the tables."),
    }
    return form_page_error(language, exc, texts)
