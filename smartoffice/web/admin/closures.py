"""``/admin/closures``: the closures of the visitor's sites (current and upcoming, each with "End now"), and closing a
place in three steps without JavaScript: fill in the form, read who is affected, confirm.

The place is one ``<select>`` of ``level:id`` values: the sites, buildings and floors the visitor manages. To close a
zone or a single desk or room, the visitor first picks its floor (a GET, ``?floor=``), and the select then offers
that floor's zones and spaces too. Dates and times are local to the place (the building's zone); an empty start
time means from the start of the first day, an empty end time to the end of the last day.

POST ``/admin/closures/preview`` shows the confirmation page (:meth:`ClosureService.preview`: the people and
bookings the closure would cancel); its Confirm button POSTs the same fields to ``/admin/closures``, which creates
the closure and cancels what is under it then, and redirects (post/redirect/get). A refusal is shown on the form
with what was typed kept.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from litestar import Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY

from smartoffice.audit.record import Actor
from smartoffice.bookings.place_changes import PlaceLevel, PlaceRef
from smartoffice.errors import DomainError
from smartoffice.i18n import N_, Language, gettext
from smartoffice.places.closures import ClosureInput, ClosureView, LocalTimes, PlaceInfo
from smartoffice.places.models import SpaceKind
from smartoffice.runtime import runtime_of
from smartoffice.web.admin.access import StaffVisitor, facilities_visitor
from smartoffice.web.errors import PageError
from smartoffice.web.forms import FormError, optional_date, optional_int, optional_time, required_date
from smartoffice.web.identity import see_other
from smartoffice.web.language import language_of

VIA = "page"
FIELDS = ("place", "start_day", "start_time", "end_day", "end_time", "reason", "floor")
DONE = ("created", "ended", "deleted")


@dataclass(frozen=True, slots=True)
class LocalSpan:
    """A closure's (or booking's) start and end as the place's clock shows them."""

    start_day: date
    start_time: time
    end_day: date
    end_time: time

    @property
    def ends_at_midnight(self) -> bool:
        """Ends when a day begins: shown as the end of the day before (a whole-day closure's last day)."""
        return self.end_time == time(0)

    @property
    def last_day(self) -> date:
        return self.end_day - timedelta(days=1) if self.ends_at_midnight else self.end_day

    @classmethod
    def of(cls, start_at: datetime, end_at: datetime, zone: str) -> "LocalSpan":
        tz = ZoneInfo(zone)
        start, end = start_at.astimezone(tz), end_at.astimezone(tz)
        return cls(start.date(), start.time(), end.date(), end.time())


@dataclass(frozen=True, slots=True)
class ClosureRow:
    closure: ClosureView
    span: LocalSpan
    current: bool


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class OptionGroup:
    label: str
    options: list[Option]


@get("/admin/closures", name="admin-closures")
async def admin_closures(
    request: Request[Any, Any, Any],
    floor: FromQuery[str | None] = None,
    done: FromQuery[str | None] = None,
    cancelled: FromQuery[str | None] = None,
) -> Template:
    staff = await facilities_visitor(request)
    language = language_of(request)
    form = {"floor": floor or ""}
    try:
        return await render_closures(request, staff, form=form, done=done, cancelled=cancelled)
    except (DomainError, FormError) as exc:  # a floor that is not there or not the visitor's
        return await render_closures(request, staff, form={}, error=page_error(exc, language))


@post("/admin/closures/preview", name="admin-closures-preview")
async def preview_closure(request: Request[Any, Any, Any]) -> Template:
    """The confirmation step: the closure as understood, and the bookings it would cancel."""
    staff = await facilities_visitor(request)
    language = language_of(request)
    form = await _form(request)
    try:
        closure_input = _closure_input(form)
        preview = await runtime_of(request).closures.preview(Actor(staff.id, VIA), closure_input)
    except (DomainError, FormError) as exc:
        return await render_closures(request, staff, form=form, error=page_error(exc, language))
    return Template(
        template_name="admin/closures_confirm.html",
        context={
            **_frame(staff),
            "preview": preview,
            "span": LocalSpan.of(preview.start_at, preview.end_at, preview.place.time_zone),
            "affected": [(b, LocalSpan.of(b.start_at, b.end_at, b.time_zone)) for b in preview.affected],
            "form": form,
            "level_name": level_name(preview.place),
        },
    )


@post("/admin/closures", name="admin-closures-create")
async def create_closure(request: Request[Any, Any, Any]) -> Template | Redirect:
    staff = await facilities_visitor(request)
    language = language_of(request)
    form = await _form(request)
    try:
        created = await runtime_of(request).closures.create(Actor(staff.id, VIA), _closure_input(form))
    except (DomainError, FormError) as exc:
        return await render_closures(request, staff, form=form, error=page_error(exc, language))
    return see_other("/admin/closures?" + urlencode({"done": "created", "cancelled": len(created.cancelled)}))


@post("/admin/closures/{closure_id:int}/end", name="admin-closures-end")
async def end_closure(request: Request[Any, Any, Any], closure_id: FromPath[int]) -> Template | Redirect:
    staff = await facilities_visitor(request)
    try:
        ended = await runtime_of(request).closures.end(Actor(staff.id, VIA), closure_id)
    except DomainError as exc:
        return await render_closures(request, staff, form={}, error=page_error(exc, language_of(request)))
    return see_other("/admin/closures?" + urlencode({"done": "deleted" if ended.deleted else "ended"}))


async def _form(request: Request[Any, Any, Any]) -> dict[str, str]:
    data = await request.form()
    return {name: str(data.get(name) or "") for name in FIELDS}


def _closure_input(form: dict[str, str]) -> ClosureInput:
    place = _place(form["place"])
    start_day = required_date(form["start_day"], "start_day")
    end_day = optional_date(form["end_day"], "end_day") or start_day
    start_time = optional_time(form["start_time"], "start")
    end_time = optional_time(form["end_time"], "end")
    return ClosureInput(place, form["reason"], local=LocalTimes(start_day, end_day, start_time, end_time))


def _place(value: str) -> PlaceRef:
    level, _, ident = value.partition(":")
    if level not in PlaceLevel._value2member_map_:
        raise FormError("place", "missing_place" if not value else "invalid_place")
    place_id = optional_int(ident, "place")
    if place_id is None:
        raise FormError("place", "invalid_place")
    return PlaceRef(PlaceLevel(level), place_id)


def level_name(place: PlaceInfo) -> str:
    """The kind of place, as a msgid (translated in the template)."""
    if place.ref.level == PlaceLevel.SPACE:
        return N_("Meeting room") if place.space_kind == SpaceKind.ROOM else N_("Desk")
    return {
        PlaceLevel.SITE: N_("Site"),
        PlaceLevel.BUILDING: N_("Building"),
        PlaceLevel.FLOOR: N_("Floor"),
        PlaceLevel.ZONE: N_("Zone"),
    }[place.ref.level]


def page_error(exc: DomainError | FormError, language: Language) -> PageError:
    """A refusal in the page's words: the form's own fields get texts of their own."""
    if isinstance(exc, FormError) and exc.field in ("place", "start_day", "end_day"):
        texts = {
            "place": gettext(language, "Choose the place to close."),
            "start_day": gettext(language, "Choose the first day of the closure."),
            "end_day": gettext(language, "That date is not valid. Use the form YYYY-MM-DD."),
        }
        if exc.field == "start_day" and exc.code.startswith("invalid_"):
            texts["start_day"] = texts["end_day"]
        title = gettext(language, "Please check and try again")
        return PageError(HTTP_422_UNPROCESSABLE_ENTITY, exc.code, title, texts[exc.field])
    return PageError.of(exc, language)


def _frame(staff: StaffVisitor) -> dict[str, Any]:
    return {"staff": staff, "viewer": staff.viewer, "admin_current": "closures", "nav_current": "admin"}


async def _choices(
    request: Request[Any, Any, Any], staff: StaffVisitor, language: Language, floor_id: int | None
) -> tuple[list[OptionGroup], list[OptionGroup], PlaceInfo | None]:
    """The place select's groups (the chosen floor's zones and spaces first), and the floors to choose from."""
    service = runtime_of(request).closures
    actor = Actor(staff.id, VIA)
    groups: list[OptionGroup] = []
    floors: list[OptionGroup] = []
    for site in await service.places(actor):
        site_group = [Option(f"site:{site.id}", gettext(language, "Whole site: %(name)s", name=site.name))]
        for building in site.buildings:
            site_group.append(
                Option(f"building:{building.id}", gettext(language, "Whole building: %(name)s", name=building.name))
            )
            building_floors = [Option(f"floor:{fid}", f"{building.name} · {fname}") for fid, fname in building.floors]
            site_group.extend(building_floors)
            if building_floors:
                floors.append(OptionGroup(f"{site.name} · {building.name}", building_floors))
        groups.append(OptionGroup(site.name, site_group))
    chosen_floor: PlaceInfo | None = None
    if floor_id is not None:
        info, zones, spaces = await service.floor_parts(actor, floor_id)
        chosen_floor = info
        parts = [Option(f"zone:{z.id}", gettext(language, "Zone: %(name)s", name=z.name)) for z in zones]
        parts += [
            Option(
                f"space:{s.id}",
                gettext(language, "Meeting room: %(name)s", name=s.name or s.code)
                if s.kind == SpaceKind.ROOM
                else gettext(language, "Desk: %(name)s", name=s.name or s.code),
            )
            for s in spaces
        ]
        if parts:
            groups.insert(0, OptionGroup(info.name, parts))
    return groups, floors, chosen_floor


async def render_closures(
    request: Request[Any, Any, Any],
    staff: StaffVisitor,
    *,
    form: dict[str, str],
    done: str | None = None,
    cancelled: str | None = None,
    error: PageError | None = None,
) -> Template:
    language = language_of(request)
    runtime = runtime_of(request)
    floor_id = optional_int(form.get("floor") or None, "floor")
    groups, floors, chosen_floor = await _choices(request, staff, language, floor_id)
    now = runtime.clock()
    listed = await runtime.closures.list(Actor(staff.id, VIA))
    rows = [ClosureRow(c, LocalSpan.of(c.start_at, c.end_at, c.place.time_zone), c.is_current(now)) for c in listed]
    try:
        cancelled_count = max(0, optional_int(cancelled, "cancelled") or 0)
    except FormError:
        cancelled_count = 0
    return Template(
        template_name="admin/closures.html",
        context={
            **_frame(staff),
            "rows": rows,
            "groups": groups,
            "floors": floors,
            "chosen_floor": chosen_floor,
            "form": form,
            "done": done if done in DONE else None,
            "cancelled": cancelled_count,
            "error": error,
            "today": now.astimezone(ZoneInfo("Asia/Makassar")).date(),
        },
        status_code=error.status if error else 200,
    )


CLOSURE_ROUTES = [admin_closures, preview_closure, create_closure, end_closure]
