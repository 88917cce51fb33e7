"""``/admin/rules``: the booking rules of each building the visitor manages, desks and rooms side by side, each marked
"default" (inherited from the rules for every building) or "this building" (its own); an edit form per building and
kind with every rule explained in plain words; reset to the default. Administrators also edit the defaults.

The rules and their checks are :class:`~smartoffice.bookings.rule_editing.BookingRuleService`'s; a refusal is shown
on the form with what was typed kept. Rules apply to bookings made afterwards: existing bookings stay (the page
says so).
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY

from smartoffice.audit.record import Actor
from smartoffice.bookings.rule_editing import EffectiveRules, RuleValues, api_field
from smartoffice.errors import DomainError, InvalidInput
from smartoffice.i18n import N_, Language, gettext
from smartoffice.places.models import SpaceKind
from smartoffice.runtime import runtime_of
from smartoffice.web.admin.access import StaffVisitor, facilities_visitor
from smartoffice.web.errors import PageError
from smartoffice.web.forms import FormError, optional_int
from smartoffice.web.identity import see_other
from smartoffice.web.language import language_of

VIA = "page"
DONE = ("saved", "reset")


@dataclass(frozen=True, slots=True)
class RuleField:
    name: str
    label: str
    """A msgid."""
    explanation: str
    """A msgid: what the number means, in plain words."""
    unit: str
    """A msgid: days, minutes, bookings."""


RULE_FIELDS = (
    RuleField(
        "max_days_in_advance",
        N_("Book ahead"),
        N_("How many days ahead people may book, from 0 (today only) to 365."),
        N_("days"),
    ),
    RuleField(
        "min_duration_minutes",
        N_("Shortest booking"),
        N_("The shortest booking allowed, in minutes: a multiple of 15."),
        N_("minutes"),
    ),
    RuleField(
        "max_duration_minutes",
        N_("Longest booking"),
        N_("The longest booking allowed, in minutes: a multiple of 15, at most 1440 (a whole day)."),
        N_("minutes"),
    ),
    RuleField(
        "max_active_bookings",
        N_("Bookings one person may hold"),
        N_("How many bookings of this kind one person may hold that have not ended yet, from 1 to 100."),
        N_("bookings"),
    ),
    RuleField(
        "cancellation_deadline_minutes",
        N_("Cancellation deadline"),
        N_("People may cancel until this many minutes before the start. 0: until the start. At most 10080 (a week)."),
        N_("minutes"),
    ),
    RuleField(
        "check_in_opens_minutes",
        N_("Check-in opens"),
        N_("Check-in opens this many minutes before the start, from 0 to 240."),
        N_("minutes"),
    ),
    RuleField(
        "check_in_grace_minutes",
        N_("No-show grace period"),
        N_(
            "A booking nobody checked in to is released this many minutes after its start, so others can book the "
            "place. 0: never released. At most 240, and not longer than the longest booking."
        ),
        N_("minutes"),
    ),
    RuleField(
        "buffer_minutes",
        N_("Buffer after a booking"),
        N_(
            "Meeting rooms only: the room stays free this many minutes after each booking, for cleaning or setting "
            "up. Desks: 0."
        ),
        N_("minutes"),
    ),
)


@dataclass(frozen=True, slots=True)
class BuildingCard:
    building_id: int
    name: str
    site_name: str
    desk: EffectiveRules
    room: EffectiveRules


@get("/admin/rules", name="admin-rules")
async def admin_rules(request: Request[Any, Any, Any], done: FromQuery[str | None] = None) -> Template:
    staff = await facilities_visitor(request)
    defaults, buildings = await runtime_of(request).booking_rules.overview(Actor(staff.id, VIA))
    cards = [BuildingCard(b.building.id, b.building.name, b.site_name, b.desk, b.room) for b in buildings]
    return Template(
        template_name="admin/rules.html",
        context={
            **_frame(staff),
            "defaults": defaults,
            "desk": SpaceKind.DESK,
            "room": SpaceKind.ROOM,
            "cards": cards,
            "fields": RULE_FIELDS,
            "done": done if done in DONE else None,
        },
    )


@get("/admin/rules/edit", name="admin-rules-edit")
async def edit_rules(
    request: Request[Any, Any, Any], building: FromQuery[str | None] = None, kind: FromQuery[str | None] = None
) -> Template:
    staff = await facilities_visitor(request)
    language = language_of(request)
    try:
        building_id, space_kind = optional_int(building, "building"), _kind(kind)
        rules = await runtime_of(request).booking_rules.effective(Actor(staff.id, VIA), building_id, space_kind)
    except (DomainError, FormError) as exc:
        error = page_error(exc, language)
        return Template(template_name="error.html", context={"error": error}, status_code=error.status)
    form = {f.name: str(getattr(rules.values, f.name)) for f in RULE_FIELDS}
    form["closed_on_holidays"] = "on" if rules.values.closed_on_holidays else ""
    return await render_edit(request, staff, building_id, space_kind, form, inherited=rules.inherited)


@post("/admin/rules/edit", name="admin-rules-save")
async def save_rules(request: Request[Any, Any, Any]) -> Template | Redirect:
    staff = await facilities_visitor(request)
    language = language_of(request)
    data = await request.form()
    form = {f.name: str(data.get(f.name) or "").strip() for f in RULE_FIELDS}
    form["closed_on_holidays"] = "on" if data.get("closed_on_holidays") else ""
    try:
        building_id = optional_int(str(data.get("building") or ""), "building")
        space_kind = _kind(str(data.get("kind") or ""))
    except FormError as exc:
        error = page_error(exc, language)
        return Template(template_name="error.html", context={"error": error}, status_code=error.status)
    if space_kind == SpaceKind.DESK:  # desks have no buffer: the form does not ask
        form["buffer_minutes"] = form["buffer_minutes"] or "0"
    try:
        values = _values(form, language)
        await runtime_of(request).booking_rules.update(Actor(staff.id, VIA), building_id, space_kind, values)
    except (DomainError, FormError, _NotANumber) as exc:
        field = _error_field(exc)
        error = exc.error if isinstance(exc, _NotANumber) else page_error(exc, language)
        return await render_edit(request, staff, building_id, space_kind, form, error=error, error_field=field)
    return see_other(
        "/admin/rules?" + urlencode({"done": "saved"}) + (f"#building-{building_id}" if building_id else "")
    )


@post("/admin/rules/reset", name="admin-rules-reset")
async def reset_rules(request: Request[Any, Any, Any]) -> Template | Redirect:
    staff = await facilities_visitor(request)
    language = language_of(request)
    data = await request.form()
    try:
        building_id = optional_int(str(data.get("building") or ""), "building")
        space_kind = _kind(str(data.get("kind") or ""))
        await runtime_of(request).booking_rules.reset(Actor(staff.id, VIA), building_id, space_kind)
    except (DomainError, FormError) as exc:
        error = page_error(exc, language)
        return Template(template_name="error.html", context={"error": error}, status_code=error.status)
    return see_other(
        "/admin/rules?" + urlencode({"done": "reset"}) + (f"#building-{building_id}" if building_id else "")
    )


class _NotANumber(Exception):
    def __init__(self, field: str, error: PageError) -> None:
        super().__init__(field)
        self.field = field
        self.error = error


def _values(form: dict[str, str], language: Language) -> RuleValues:
    numbers: dict[str, int] = {}
    for field in RULE_FIELDS:
        text = form[field.name]
        if not (text.isascii() and text.isdigit()) or len(text) > 6:
            message = gettext(
                language, "%(field)s: enter a whole number, 0 or more.", field=gettext(language, field.label)
            )
            title = gettext(language, "Please check and try again")
            raise _NotANumber(field.name, PageError(HTTP_422_UNPROCESSABLE_ENTITY, "invalid_number", title, message))
        numbers[field.name] = int(text)
    return RuleValues(**numbers, closed_on_holidays=bool(form["closed_on_holidays"]))


def _error_field(exc: Exception) -> str | None:
    """The form field at fault (snake case, as the form names them)."""
    if isinstance(exc, _NotANumber):
        return exc.field
    if isinstance(exc, InvalidInput):
        return next((f.name for f in RULE_FIELDS if api_field(f.name) == exc.field), None)
    return None


def _kind(value: str | None) -> SpaceKind:
    try:
        return SpaceKind((value or "").strip())
    except ValueError:
        raise FormError("kind", "invalid_kind") from None


def page_error(exc: DomainError | FormError, language: Language) -> PageError:
    if isinstance(exc, FormError) and exc.field in ("kind", "building"):
        text = gettext(language, "Those rules could not be found. Go back to the booking rules and try again.")
        return PageError(HTTP_422_UNPROCESSABLE_ENTITY, exc.code, gettext(language, "Please check and try again"), text)
    return PageError.of(exc, language)


def _frame(staff: StaffVisitor) -> dict[str, Any]:
    return {"staff": staff, "viewer": staff.viewer, "admin_current": "rules", "nav_current": "admin"}


async def render_edit(
    request: Request[Any, Any, Any],
    staff: StaffVisitor,
    building_id: int | None,
    kind: SpaceKind,
    form: dict[str, str],
    *,
    inherited: bool | None = None,
    error: PageError | None = None,
    error_field: str | None = None,
) -> Template:
    if inherited is None:
        rules = await runtime_of(request).booking_rules.effective(Actor(staff.id, VIA), building_id, kind)
        inherited = rules.inherited
    building_name = None
    if building_id is not None:
        building_name = next(
            (
                b.building.name
                for b in (await runtime_of(request).booking_rules.overview(Actor(staff.id, VIA)))[1]
                if b.building.id == building_id
            ),
            None,
        )
    return Template(
        template_name="admin/rules_edit.html",
        context={
            **_frame(staff),
            "building_id": building_id,
            "building_name": building_name,
            "kind": kind,
            "inherited": inherited,
            "fields": [f for f in RULE_FIELDS if f.name != "buffer_minutes" or kind == SpaceKind.ROOM],
            "form": form,
            "error": error,
            "error_field": error_field,
        },
        status_code=error.status if error else 200,
    )


RULE_ROUTES = [admin_rules, edit_rules, save_rules, reset_rules]
