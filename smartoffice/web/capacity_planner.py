"""``/capacity/planner``: the anchor-day planner for facilities managers of a site, and administrators.

The manager picks a site or buildings, the week whose demand is planned and the target utilisation, and runs the
planner (a GET: nothing changes). The result page shows the planner's answer (the status in words, the building ×
weekday load before and after against each building's limit, the units that move, every unit, and, when no plan
fits, the constraints that together forbid one) above the same form with everything that was sent in it, now
with the units to pin, forbid days to, pair, or change in a "what if" (staff added or removed, floors closed, a
unit moved to another tower). Adjust, run again.

Applying is a POST of the plan's moved units and their new weekdays (hidden fields) from a day on, through
:meth:`AnchorPlannerService.apply` (``set_anchor_days``'s rules, permission and audit for each unit, all or
none). Then the page comes back to the same plan (post/redirect/get) saying how many units were set; a refusal
comes back with the error in words and nothing written.

A plan made with what-if changes cannot be applied: its load is that of a world that does not exist (staff not
yet hired, a floor still open, a unit still in its tower), so its days could overflow the real towers. The page
says so and links to the same plan without the what-if changes, which can be applied.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from litestar import Request, Response, get, post
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY

from smartoffice import formats
from smartoffice.errors import DomainError, InvalidInput, NotFound
from smartoffice.i18n import Language, gettext, ngettext
from smartoffice.planning.anchor_planner.proposal import PlanResult, UnitPlan
from smartoffice.runtime import runtime_of
from smartoffice.web.admin.access import StaffVisitor, facilities_visitor
from smartoffice.web.capacity_planner_form import (
    WEEKDAYS,
    BuildingOption,
    FloorOption,
    ParsedForm,
    PlannerForm,
    SiteOption,
    parse_apply_form,
    parse_planner_form,
    unit_errors,
)
from smartoffice.web.capacity_planner_view import (
    EXPORTS,
    NO_PLAN,
    PlanView,
    UnitRow,
    effective_default,
    export_table,
    field_error_text,
    plan_view,
    short_weekday,
    unit_row,
)
from smartoffice.web.charts import Download
from smartoffice.web.errors import PageError
from smartoffice.web.flash import see_other_with_error
from smartoffice.web.forms import FormError, idempotency_key, optional_date, optional_int
from smartoffice.web.identity import see_other
from smartoffice.web.language import language_of
from smartoffice.web.table_export import EXPORT_FORMATS, export_response

PATH = "/capacity/planner"
VIA = "page"
LOCAL_ZONE = ZoneInfo("Asia/Makassar")
"""Whose "today" the default week starts from (WITA, the offices' zone)."""


@dataclass(frozen=True, slots=True)
class ApplyView:
    """The apply form, or why there is none."""

    units: Sequence[UnitRow]
    effective_from: date
    back: str
    blocked: str | None
    """Why this plan cannot be applied (what-if changes), with :attr:`without_what_if` to the same plan without."""
    without_what_if: str | None


@get(PATH, name="capacity-planner")
async def planner_page(request: Request[Any, Any, Any]) -> Template | Response[bytes]:
    staff = await facilities_visitor(request)
    language = language_of(request)
    runtime = runtime_of(request)
    today = runtime.clock().astimezone(LOCAL_ZONE).date()
    sites = await _site_options(request, staff)
    params = {key: request.query_params.getall(key) for key in request.query_params}
    parsed = parse_planner_form(params, sites, today)
    result, listed, refused, error = await _plan(request, staff, parsed, language)
    errors = {name: field_error_text(language, code) for name, code in parsed.errors.items()} | refused
    buildings = {b.id: b for s in sites for b in s.buildings}
    units = [unit_row(language, unit, buildings) for unit in listed]
    view: PlanView | None = None
    apply: ApplyView | None = None
    downloads: dict[str, list[Download]] = {}
    if result is not None and not errors:
        export, file_format = request.query_params.get("export"), request.query_params.get("format")
        if export in EXPORTS and file_format in EXPORT_FORMATS and not errors:
            table = export_table(language, export, result, buildings)
            return export_response(table, file_format, f"{table.title} {result.request.week.isoformat()}")
        downloads = {name: _downloads(parsed.form, name) for name in EXPORTS}
        view = plan_view(language, result, buildings, downloads)
        if result.status not in NO_PLAN:
            apply = _apply_view(language, parsed.form, result, view, today)
    applied = _applied_notice(language, request)
    status = HTTP_422_UNPROCESSABLE_ENTITY if errors else (error.status if error else 200)
    return Template(
        template_name="capacity/planner.html",
        context={
            "staff": staff,
            "viewer": staff.viewer,
            "nav_current": "admin",
            "capacity_tab": "planner",
            "sites": sites,
            "form": parsed.form,
            "chosen": _chosen(parsed, sites),
            "weekdays": [(n, formats.weekday(language, n), short_weekday(language, n)) for n in WEEKDAYS],
            "errors": errors,
            "error": error,
            "result": result,
            "view": view,
            "units": units,
            "unit_names": {str(u.id): f"{u.code} {u.name}" for u in units},
            "downloads": downloads,
            "apply": apply,
            "applied": applied,
        },
        status_code=status,
    )


@post(f"{PATH}/apply", name="capacity-planner-apply")
async def apply_plan(request: Request[Any, Any, Any]) -> Redirect:
    staff = await facilities_visitor(request)
    language = language_of(request)
    data = await request.form()
    params = {key: data.getall(key) for key in data}
    try:
        form = parse_apply_form(params, PATH)
    except FormError as exc:
        return see_other_with_error(request, PATH, _apply_form_error(language, exc))
    try:
        changed = await runtime_of(request).anchor_planner.apply(
            staff.id, form.request, via=VIA, idempotency_key=idempotency_key(data)
        )
    except DomainError as exc:
        return see_other_with_error(request, form.back, PageError.of(exc, language))
    notice = urlencode({"applied": len(changed), "from": form.request.effective_from.isoformat()})
    separator = "&" if "?" in form.back else "?"
    return see_other(f"{form.back}{separator}{notice}#applied")


CAPACITY_PLANNER_ROUTES = [planner_page, apply_plan]


def _downloads(form: PlannerForm, name: str) -> list[Download]:
    return [
        Download(file_format.upper(), f"{PATH}?{urlencode([*form.query(), ('export', name), ('format', file_format)])}")
        for file_format in EXPORT_FORMATS
    ]


async def _plan(
    request: Request[Any, Any, Any], staff: StaffVisitor, parsed: ParsedForm, language: Language
) -> tuple[PlanResult | None, list[UnitPlan], dict[str, str], PageError | None]:
    """The planner's answer and its units, for a form that makes a request. For one that does not (a mistake in
    a field) or that the planner refuses (a unit it does not plan, more people removed than the unit has), no
    answer but the units of the same place and week (planned without the adjustments, to list them in the form),
    the errors in words by field, and the planner's refusal when no field can carry it."""
    planner = runtime_of(request).anchor_planner
    refusal: InvalidInput | NotFound | None = None
    if parsed.request is not None:
        try:
            result = await planner.plan(staff.id, parsed.request)
        except (InvalidInput, NotFound) as exc:
            refusal = exc
        else:
            return result, result.units, {}, None
    if parsed.base is None:
        return None, [], {}, PageError.of(refusal, language) if refusal else None
    try:
        listing = (await planner.plan(staff.id, parsed.base)).units
    except (InvalidInput, NotFound) as exc:
        return None, [], {}, PageError.of(refusal or exc, language)
    errors = {
        name: field_error_text(language, code)
        for name, code in unit_errors(parsed, {unit.unit_id for unit in listing}).items()
    }
    if refusal is None or errors:
        return None, listing, errors, None
    name = _field_of(refusal, parsed, listing)
    if name is None:
        return None, listing, {}, PageError.of(refusal, language)
    return None, listing, {name: refusal.message_in(language)}, None


def _field_of(refusal: InvalidInput | NotFound, parsed: ParsedForm, listing: Sequence[UnitPlan]) -> str | None:
    """The form field a refusal of the planner is about, when one is."""
    if not isinstance(refusal, InvalidInput):
        return None
    if refusal.field == "headcountChange":
        code = refusal.params.get("unit")
        unit_ids = {str(unit.unit_id) for unit in listing if unit.code == code}
        return next((f"staff_count_{i}" for i, row in enumerate(parsed.form.staff) if row.unit in unit_ids), None)
    return {"closedFloorIds": "closed_floor", "week": "week", "targetUtilisation": "target"}.get(refusal.field)


async def _site_options(request: Request[Any, Any, Any], staff: StaffVisitor) -> list[SiteOption]:
    sites = await runtime_of(request).places.sites()
    return [
        SiteOption(
            id=site.id,
            name=site.name,
            buildings=tuple(
                BuildingOption(
                    id=building.id,
                    code=building.code,
                    name=building.name,
                    site_id=site.id,
                    floors=tuple(FloorOption(floor.id, floor.name) for floor in building.floors),
                )
                for building in site.buildings
            ),
        )
        for site in sites
        if staff.may_manage_site(site.id)
    ]


def _chosen(parsed: ParsedForm, sites: Sequence[SiteOption]) -> list[BuildingOption]:
    """The buildings the form plans (for the floors to close and the towers to move to)."""
    if parsed.request is not None:
        ids = set(parsed.request.building_ids)
    else:
        ids = {int(b) for b in parsed.form.buildings if b.isdigit()}
        if not ids and parsed.form.site.isdigit():
            ids = {b.id for s in sites if s.id == int(parsed.form.site) for b in s.buildings}
    return [b for s in sites for b in s.buildings if b.id in ids]


def _apply_view(
    language: Language, form: PlannerForm, result: PlanResult, view: PlanView, today: date
) -> ApplyView | None:
    if not view.moves:
        return None
    back = f"{PATH}?{urlencode(form.query())}"
    blocked = without = None
    if form.has_what_if:
        blocked = gettext(
            language,
            "This plan is made for a what-if world (staff added or removed, floors closed or units moved), not for "
            "the towers as they are: its days could overflow them. To apply anchor days, run the same plan "
            "without the what-if changes.",
        )
        without = f"{PATH}?{urlencode(form.query(what_if=False))}"
    return ApplyView(
        units=view.moves,
        effective_from=effective_default(result.request.week, today),
        back=back,
        blocked=blocked,
        without_what_if=without,
    )


def _applied_notice(language: Language, request: Request[Any, Any, Any]) -> str | None:
    try:
        count = optional_int(request.query_params.get("applied"), "applied")
        start = optional_date(request.query_params.get("from"), "from")
    except FormError:
        return None
    if count is None or start is None:
        return None
    return ngettext(
        language,
        "Anchor days of %(count)s unit set from %(day)s.",
        "Anchor days of %(count)s units set from %(day)s.",
        count,
        count=count,
        day=formats.long_date(language, start),
    )


def _apply_form_error(language: Language, exc: FormError) -> PageError:
    if exc.field == "effective_from":
        text = gettext(language, "Enter the first day of the new anchor days as a date (YYYY-MM-DD).")
    else:
        text = gettext(language, "The plan to apply was not understood. Run the planner again and apply from there.")
    return PageError(HTTP_422_UNPROCESSABLE_ENTITY, exc.code, gettext(language, "Please check and try again"), text)
