"""``/admin/places``: the places the visitor manages (administrators: every site), forms to add and change each
kind, and retiring one after a confirmation page that lists the bookings it cancels.

Everything is decided by :class:`~smartoffice.places.editing.PlaceEditor` (who may, what is valid, which
bookings a change takes away); these pages read its forms (``places_forms.py``) and show its refusals on the form,
with what was typed kept. A change that would cancel bookings (retiring; a space made not bookable or assigned; a
room made smaller; narrower hours) is first run as a dry run: the confirmation page lists the people and bookings
affected and asks for the reason they will see; confirming makes the change and the cancellations in one
transaction. Post/redirect/get throughout; the service audits each change with the visitor, through ``page``.
"""

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from litestar.types import ControllerRouterHandler

from smartoffice.audit.record import Actor
from smartoffice.bookings.place_changes import PlaceLevel, PlaceRef
from smartoffice.errors import CommonPermissionCode, DomainError, InvalidInput, NotFound, PermissionDenied
from smartoffice.places.editing import PlaceChange, PlaceEditor
from smartoffice.places.errors import PlaceInputCode
from smartoffice.places.models import Building, Floor, Site, Space, SpaceKind, Zone
from smartoffice.runtime import runtime_of
from smartoffice.web.admin import places_forms as forms
from smartoffice.web.admin.access import StaffVisitor, facilities_visitor
from smartoffice.web.admin.places_view import affected_rows
from smartoffice.web.errors import PageError
from smartoffice.web.identity import see_other
from smartoffice.web.language import language_of

VIA = "page"
MODELS: dict[str, type[Any]] = {
    "site": Site,
    "building": Building,
    "floor": Floor,
    "zone": Zone,
    "desk": Space,
    "room": Space,
}
LEVELS = {
    "site": PlaceLevel.SITE,
    "building": PlaceLevel.BUILDING,
    "floor": PlaceLevel.FLOOR,
    "zone": PlaceLevel.ZONE,
    "desk": PlaceLevel.SPACE,
    "room": PlaceLevel.SPACE,
}
DONE = ("created", "updated", "retired")

Page = Template | Redirect


def _context(staff: StaffVisitor, **values: Any) -> dict[str, Any]:
    return {"staff": staff, "viewer": staff.viewer, "admin_current": "places", "nav_current": "admin", **values}


def _refuse_site(staff: StaffVisitor, kind: str) -> None:
    """Sites are changed by administrators alone (the editor refuses too): no form to fill in for nothing."""
    if kind == "site" and not staff.is_admin:
        raise PermissionDenied(CommonPermissionCode.ADMINS_ONLY)


def _kind(kind: str) -> str:
    if kind not in forms.KINDS:
        raise NotFoundException()
    return kind


@get("/admin/places", name="admin-places")
async def admin_places(request: Request[Any, Any, Any], done: FromQuery[str | None] = None) -> Template:
    staff = await facilities_visitor(request)
    sites = await runtime_of(request).place_editor.managed_sites(staff.id)
    return Template(
        template_name="admin/places.html",
        context=_context(staff, tree=sites, done=done if done in DONE else None),
    )


@get("/admin/places/floors/{floor_id:int}", name="admin-places-floor")
async def admin_floor(
    request: Request[Any, Any, Any], floor_id: FromPath[int], done: FromQuery[str | None] = None
) -> Template:
    staff = await facilities_visitor(request)
    contents = await runtime_of(request).place_editor.floor_contents(staff.id, floor_id)
    return Template(
        template_name="admin/places_floor.html",
        context=_context(staff, contents=contents, done=done if done in DONE else None, kind_names=forms.KIND_NAMES),
    )


@get("/admin/places/new/{kind:str}", name="admin-places-new")
async def new_place(
    request: Request[Any, Any, Any], kind: FromPath[str], parent: FromQuery[int | None] = None
) -> Template:
    staff = await facilities_visitor(request)
    kind = _kind(kind)
    _refuse_site(staff, kind)
    parent_place = await _parent(request, staff, kind, parent)
    return await _form(request, staff, kind, parent_place, None, forms.default_values(kind, parent_place))


@post("/admin/places/new/{kind:str}", name="admin-places-create")
async def create_place(request: Request[Any, Any, Any], kind: FromPath[str]) -> Page:
    staff = await facilities_visitor(request)
    kind = _kind(kind)
    form = await request.form()
    values = forms.form_values(form, form.getall("amenities") if "amenities" in form else [])
    parent_id = forms.optional_id(values, "parent")
    parent_place = await _parent(request, staff, kind, parent_id)
    editor, actor = runtime_of(request).place_editor, Actor(staff.id, VIA)
    try:
        place = await _create(editor, actor, kind, parent_place, values)
    except DomainError as exc:
        return await _form(request, staff, kind, parent_place, None, values, exc)
    return see_other(_after(kind, place, "created"))


@get("/admin/places/{kind:str}/{place_id:int}/edit", name="admin-places-edit")
async def edit_place(request: Request[Any, Any, Any], kind: FromPath[str], place_id: FromPath[int]) -> Template:
    staff = await facilities_visitor(request)
    _refuse_site(staff, kind)
    place = await _place(request, staff, _kind(kind), place_id)
    return await _form(request, staff, kind, None, place, await _values_of(request, kind, place))


@post("/admin/places/{kind:str}/{place_id:int}/edit", name="admin-places-update")
async def update_place(request: Request[Any, Any, Any], kind: FromPath[str], place_id: FromPath[int]) -> Page:
    """Buildings, desks and rooms run as a dry run first: if bookings would be cancelled, the confirmation page
    lists them and sends the form again with ``confirm`` and a ``reason``."""
    staff = await facilities_visitor(request)
    place = await _place(request, staff, _kind(kind), place_id)
    form = await request.form()
    values = forms.form_values(form, form.getall("amenities") if "amenities" in form else [])
    confirmed = bool(values.get("confirm"))
    editor, actor = runtime_of(request).place_editor, Actor(staff.id, VIA)
    try:
        change = await _update(request, editor, actor, kind, place, values, dry_run=not confirmed)
        if not confirmed and change is not None and change.affected:
            return _confirm(request, staff, kind, place, change, values, action="edit")
        if not confirmed and change is not None:
            change = await _update(request, editor, actor, kind, place, values, dry_run=False)
    except DomainError as exc:
        if confirmed and isinstance(exc, InvalidInput) and exc.field == "reason":
            change = await _update(request, editor, actor, kind, place, values, dry_run=True)
            assert change is not None
            return _confirm(request, staff, kind, place, change, values, action="edit", error=exc)
        return await _form(request, staff, kind, None, place, values, exc)
    return see_other(_after(kind, place, "updated"))


@get("/admin/places/{kind:str}/{place_id:int}/retire", name="admin-places-retire-confirm")
async def confirm_retire(request: Request[Any, Any, Any], kind: FromPath[str], place_id: FromPath[int]) -> Template:
    staff = await facilities_visitor(request)
    _refuse_site(staff, kind)
    place = await _place(request, staff, _kind(kind), place_id)
    change = await runtime_of(request).place_editor.retire(
        Actor(staff.id, VIA), PlaceRef(LEVELS[kind], place_id), dry_run=True
    )
    return _confirm(request, staff, kind, place, change, {}, action="retire")


@post("/admin/places/{kind:str}/{place_id:int}/retire", name="admin-places-retire")
async def retire_place(request: Request[Any, Any, Any], kind: FromPath[str], place_id: FromPath[int]) -> Page:
    staff = await facilities_visitor(request)
    place = await _place(request, staff, _kind(kind), place_id)
    form = await request.form()
    reason = str(form.get("reason") or "")
    editor, actor, ref = runtime_of(request).place_editor, Actor(staff.id, VIA), PlaceRef(LEVELS[kind], place_id)
    try:
        await editor.retire(actor, ref, reason=reason)
    except DomainError as exc:
        change = await editor.retire(actor, ref, dry_run=True)
        return _confirm(request, staff, kind, place, change, {"reason": reason}, action="retire", error=exc)
    return see_other(_after(kind, place, "retired"))


async def _parent(request: Request[Any, Any, Any], staff: StaffVisitor, kind: str, parent_id: int | None) -> Any:
    parent_kind = forms.PARENT_KIND[kind]
    if parent_kind is None:
        return None
    if parent_id is None:
        raise NotFound(forms.KIND_NAMES[parent_kind], "")
    return await _place(request, staff, parent_kind, parent_id)


async def _place(request: Request[Any, Any, Any], staff: StaffVisitor, kind: str, place_id: int) -> Any:
    """The place (a parent, or the one the page changes), when the visitor manages its site."""
    place = await runtime_of(request).place_editor.place(staff.id, MODELS[kind], place_id)
    if isinstance(place, Space) and (place.kind == SpaceKind.ROOM) != (kind == "room"):
        raise NotFound("Space", place_id)
    return place


async def _values_of(request: Request[Any, Any, Any], kind: str, place: Any) -> dict[str, str]:
    editor = runtime_of(request).place_editor
    approvers: Sequence[str] = ()
    assignee = ""
    if isinstance(place, Space):
        ids = await editor.approvers_of(place.id)
        people = await editor.people_by_id(
            [*ids, *([place.assigned_employee_id] if place.assigned_employee_id else [])]
        )
        approvers = [people[i].email for i in ids if i in people]
        if place.assigned_employee_id in people:
            assignee = people[place.assigned_employee_id].email
    return forms.values_of(kind, place, approvers, assignee)


async def _people(editor: PlaceEditor, values: dict[str, str]) -> tuple[int | None, tuple[int, ...]]:
    """The assignee and approvers the form names by NIP or email (refused by field when nobody has one)."""
    assignee_key = values.get("assignedToId", "").strip()
    approver_keys = forms.people_keys(values, "approverIds")
    found = await editor.people_by_key([assignee_key, *approver_keys])
    if assignee_key and assignee_key not in found:
        raise InvalidInput("assignedToId", PlaceInputCode.PLACE_PERSON_NOT_FOUND)
    for key in approver_keys:
        if key not in found:
            raise InvalidInput("approverIds", PlaceInputCode.PLACE_PERSON_NOT_FOUND)
    assignee = found[assignee_key].id if assignee_key else None
    return assignee, tuple(found[key].id for key in approver_keys)


async def _create(editor: PlaceEditor, actor: Actor, kind: str, parent: Any, values: dict[str, str]) -> Any:
    match kind:
        case "site":
            return await editor.create_site(actor, forms.site_fields(values))
        case "building":
            return await editor.create_building(actor, parent.id, forms.building_fields(values))
        case "floor":
            return await editor.create_floor(actor, parent.id, forms.floor_fields(values))
        case "zone":
            return await editor.create_zone(actor, parent.id, forms.zone_fields(values))
    assignee, approvers = await _people(editor, values)
    return await editor.create_space(actor, parent.id, forms.space_fields(kind, values, assignee, approvers))


async def _update(
    request: Request[Any, Any, Any],
    editor: PlaceEditor,
    actor: Actor,
    kind: str,
    place: Any,
    values: dict[str, str],
    *,
    dry_run: bool,
) -> PlaceChange[Any] | None:
    """The change (``None`` for kinds that take no bookings away, which are then made at once)."""
    reason = values.get("reason")
    changes: dict[str, Any]
    match kind:
        case "site":
            fields = forms.site_fields(values)
            await editor.update_site(actor, place.id, {"code": fields.code, "name": fields.name})
        case "floor":
            f = forms.floor_fields(values)
            await editor.update_floor(
                actor, place.id, {"level": f.level, "name": f.name, "width": f.width, "height": f.height}
            )
        case "zone":
            z = forms.zone_fields(values)
            changes = {"code": z.code, "name": z.name, "org_unit_id": z.org_unit_id}
            await editor.update_zone(actor, place.id, changes | ({"box": z.box} if z.box else {}))
        case "building":
            b = forms.building_fields(values)
            changes = {"code": b.code, "name": b.name, "time_zone": b.time_zone, "opening_hours": b.opening_hours}
            return await editor.update_building(actor, place.id, changes, reason=reason, dry_run=dry_run)
        case _:
            assignee, approvers = await _people(editor, values)
            s = forms.space_fields(kind, values, assignee, approvers)
            changes = {
                name: getattr(s, name)
                for name in ("code", "box", "zone_id", "rotation", "amenities", "bookable", "bookable_hours")
            }
            if kind == "room":
                changes |= {
                    "name": s.name,
                    "capacity": s.capacity,
                    "requires_approval": s.requires_approval,
                    "approver_ids": s.approver_ids,
                }
            else:
                changes["assigned_employee_id"] = s.assigned_employee_id
            return await editor.update_space(actor, place.id, changes, reason=reason, dry_run=dry_run)
    return None


def _after(kind: str, place: Any, done: str) -> str:
    """Where to go after a change: the floor's page for a floor and what lies on it, else the tree."""
    query = "?" + urlencode({"done": done})
    if kind in ("zone", "desk", "room"):
        return f"/admin/places/floors/{place.floor_id}{query}"
    if kind == "floor" and done != "retired":
        return f"/admin/places/floors/{place.id}{query}"
    return f"/admin/places{query}"


async def _form(
    request: Request[Any, Any, Any],
    staff: StaffVisitor,
    kind: str,
    parent: Any,
    place: Any,
    values: dict[str, str],
    error: DomainError | None = None,
) -> Template:
    editor = runtime_of(request).place_editor
    floor_id = place.floor_id if isinstance(place, Zone | Space) else parent.id if isinstance(parent, Floor) else None
    units: list[tuple[str, str]] = []
    zones: list[tuple[str, str]] = []
    if kind == "zone":
        units = [(str(u.id), u.name) for u in await editor.org_units()]
    if kind in ("desk", "room") and floor_id is not None:
        contents = await editor.floor_contents(staff.id, floor_id)
        zones = [(str(z.id), f"{z.code} · {z.name}") for z in contents.zones]
    language = language_of(request)
    return Template(
        template_name="admin/places_form.html",
        context=_context(
            staff,
            kind=kind,
            kind_name=forms.KIND_NAMES[kind],
            parent=parent,
            place=place,
            floor_id=floor_id,
            fields=forms.fields_for(kind, units=units, zones=zones),
            values=values,
            weekdays=forms.WEEKDAYS,
            amenity_names=forms.AMENITY_NAMES,
            time_zones=forms.TIME_ZONES,
            error=PageError.of(error, language) if error else None,
            error_field=getattr(error, "field", None),
        ),
        status_code=PageError.of(error, language).status if error else 200,
    )


def _confirm(
    request: Request[Any, Any, Any],
    staff: StaffVisitor,
    kind: str,
    place: Any,
    change: PlaceChange[Any],
    values: dict[str, str],
    *,
    action: str,
    error: DomainError | None = None,
) -> Template:
    language = language_of(request)
    hidden = {k: v for k, v in values.items() if k not in ("reason", "confirm", "amenities")}
    return Template(
        template_name="admin/places_confirm.html",
        context=_context(
            staff,
            kind=kind,
            kind_name=forms.KIND_NAMES[kind],
            place=place,
            action=action,
            rows=affected_rows(change.affected, language),
            hidden=hidden,
            amenities=[a for a in values.get("amenities", "").split(",") if a],
            reason=values.get("reason", ""),
            error=PageError.of(error, language) if error else None,
            back=_after(kind, place, "updated").split("?")[0],
        ),
        status_code=PageError.of(error, language).status if error else 200,
    )


PLACES_ROUTES: list[ControllerRouterHandler] = [
    admin_places,
    admin_floor,
    new_place,
    create_place,
    edit_place,
    update_place,
    confirm_retire,
    retire_place,
]
