"""The facilities console's forms for places: which fields each kind of place has, their values as the form sends
them, and turning those values into the places editor's fields (``smartoffice/places/editing_fields.py``).

Form fields are named as the editor names them in its errors (``code``, ``timeZone``, ``openingHours``,
``assignedToId`` ...), so a refusal marks the field at fault. Opening and bookable hours are one pair of time
inputs per weekday (``openingHours_open_1`` ... ``_close_7``); both empty means closed that day.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from smartoffice.errors import CommonInputCode, InvalidInput
from smartoffice.i18n import N_
from smartoffice.places.editing_fields import (
    KNOWN_AMENITIES,
    Box,
    BuildingFields,
    FloorFields,
    SiteFields,
    SpaceFields,
    WeeklyHours,
    ZoneFields,
)
from smartoffice.places.errors import PlaceInputCode
from smartoffice.places.models import Building, Floor, Site, Space, SpaceKind, Zone

KINDS = ("site", "building", "floor", "zone", "desk", "room")
PARENT_KIND = {"site": None, "building": "site", "floor": "building", "zone": "floor", "desk": "floor", "room": "floor"}
KIND_NAMES = {
    "site": N_("Site"),
    "building": N_("Building"),
    "floor": N_("Floor"),
    "zone": N_("Zone"),
    "desk": N_("Desk"),
    "room": N_("Meeting room"),
}
WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"), N_("Sunday"))
AMENITY_NAMES = {
    "monitor": N_("Monitor"),
    "docking": N_("Docking station"),
    "standing": N_("Standing desk"),
    "accessible": N_("Accessible"),
    "quiet": N_("Quiet"),
    "video_conference": N_("Video conference"),
    "whiteboard": N_("Whiteboard"),
}
TIME_ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")
"""Offered first (WIB, WITA, WIT); any IANA name may be typed."""


@dataclass(frozen=True, slots=True)
class FormField:
    """One input of a place form. ``label`` and ``hint`` are msgids (the template translates them)."""

    name: str
    label: str
    kind: str = "text"
    """text, number, select, checkbox, amenities, hours, textarea."""
    required: bool = False
    hint: str | None = None
    step: str = "any"
    options: Sequence[tuple[str, str]] = field(default_factory=tuple)
    """select: (value, shown text)."""


def fields_for(
    kind: str, *, units: Sequence[tuple[str, str]] = (), zones: Sequence[tuple[str, str]] = ()
) -> list[FormField]:
    code = FormField("code", N_("Code"), required=True, hint=N_("Up to 32 characters, no spaces"))
    name = FormField("name", N_("Name"), required=True)
    box = [
        FormField("x", N_("Left edge (m from the plan's left)"), "number", True),
        FormField("y", N_("Top edge (m from the plan's top)"), "number", True),
        FormField("width", N_("Width (m)"), "number", True),
        FormField("height", N_("Height (m)"), "number", True),
    ]
    zone = FormField("zoneId", N_("Zone"), "select", options=(("", "—"), *zones))
    match kind:
        case "site":
            return [code, name]
        case "building":
            return [
                code,
                name,
                FormField(
                    "timeZone",
                    N_("Time zone"),
                    required=True,
                    hint=N_("WIB Asia/Jakarta, WITA Asia/Makassar, WIT Asia/Jayapura"),
                ),
                FormField(
                    "openingHours",
                    N_("Opening hours"),
                    "hours",
                    hint=N_("Leave both times empty on days the building is closed. Quarter hours only."),
                ),
            ]
        case "floor":
            return [
                FormField("level", N_("Level"), "number", True, step="1"),
                name,
                FormField("width", N_("Plan width (m)"), "number", True),
                FormField("height", N_("Plan height (m)"), "number", True),
            ]
        case "zone":
            optional_box = [
                FormField(
                    f.name,
                    f.label,
                    "number",
                    hint=N_("Leave the four empty for the whole floor") if f.name == "x" else None,
                )
                for f in box
            ]
            unit = FormField("orgUnitId", N_("Unit whose zone it is"), "select", options=(("", "—"), *units))
            return [code, name, unit, *optional_box]
        case "desk":
            return [
                code,
                zone,
                *box,
                FormField("rotation", N_("Rotation (degrees)"), "number"),
                FormField("amenities", N_("Amenities"), "amenities"),
                FormField(
                    "bookable", N_("Bookable"), "checkbox", hint=N_("Unticked: shown on the plan, nobody may book it")
                ),
                FormField(
                    "assignedToId", N_("Assigned to"), hint=N_("NIP or email of the owner; empty for a hot desk")
                ),
            ]
        case _:
            return [
                code,
                name,
                FormField("capacity", N_("Seats"), "number", True, step="1"),
                zone,
                *box,
                FormField("rotation", N_("Rotation (degrees)"), "number"),
                FormField("amenities", N_("Equipment"), "amenities"),
                FormField(
                    "bookable", N_("Bookable"), "checkbox", hint=N_("Unticked: kept for events, nobody may book it")
                ),
                FormField("requiresApproval", N_("Bookings need approval"), "checkbox"),
                FormField("approverIds", N_("Approvers"), "textarea", hint=N_("NIP or email, one per line")),
                FormField(
                    "bookableHours",
                    N_("Bookable hours"),
                    "hours",
                    hint=N_("Leave every day empty for the building's opening hours."),
                ),
            ]


def form_values(form: Mapping[str, Any], amenities: Sequence[str]) -> dict[str, str]:
    """What was sent, as text (kept to show the form again after a refusal)."""
    values = {str(k): str(v) for k, v in form.items() if k != "_csrf_token"}
    values["amenities"] = ",".join(a for a in amenities if a in KNOWN_AMENITIES)
    return values


def values_of(kind: str, place: Any, approvers: Sequence[str] = (), assignee: str = "") -> dict[str, str]:
    """A place's current values, as its edit form shows them."""
    if isinstance(place, Site):
        return {"code": place.code, "name": place.name}
    if isinstance(place, Building):
        return {
            "code": place.code,
            "name": place.name,
            "timeZone": place.time_zone,
            **_hours_values("openingHours", BuildingFields.of(place).opening_hours),
        }
    if isinstance(place, Floor):
        return {"level": str(place.level), "name": place.name, "width": _n(place.width), "height": _n(place.height)}
    if isinstance(place, Zone):
        unit = "" if place.org_unit_id is None else str(place.org_unit_id)
        return {"code": place.code, "name": place.name, "orgUnitId": unit, **_box_values(place)}
    assert isinstance(place, Space)
    fields = SpaceFields.of(place, ())
    values = {
        "code": place.code,
        "name": place.name or "",
        "zoneId": "" if place.zone_id is None else str(place.zone_id),
        **_box_values(place),
        "rotation": _n(place.rotation),
        "amenities": ",".join(place.amenities or ()),
        "bookable": "1" if place.bookable else "",
        "assignedToId": assignee,
        "capacity": str(place.capacity),
        "requiresApproval": "1" if place.requires_approval else "",
        "approverIds": "\n".join(approvers),
    }
    if fields.bookable_hours is not None:
        values |= _hours_values("bookableHours", fields.bookable_hours)
    return values


def default_values(kind: str, parent: Any) -> dict[str, str]:
    if kind == "building":
        return {
            "timeZone": "Asia/Makassar",
            **_hours_values("openingHours", dict.fromkeys(range(1, 6), ("07:30", "16:00"))),
        }
    if kind == "desk":
        return {"x": "1", "y": "1", "width": "1.6", "height": "0.8", "rotation": "0", "bookable": "1"}
    if kind == "room":
        return {"x": "1", "y": "1", "width": "6", "height": "4", "rotation": "0", "bookable": "1", "capacity": "8"}
    return {}


def site_fields(values: Mapping[str, str]) -> SiteFields:
    return SiteFields(values.get("code", ""), values.get("name", ""))


def building_fields(values: Mapping[str, str]) -> BuildingFields:
    return BuildingFields(
        values.get("code", ""), values.get("name", ""), values.get("timeZone", ""), hours_in(values, "openingHours")
    )


def floor_fields(values: Mapping[str, str]) -> FloorFields:
    return FloorFields(
        int(number(values, "level", whole=True)),
        values.get("name", ""),
        number(values, "width"),
        number(values, "height"),
    )


def zone_fields(values: Mapping[str, str]) -> ZoneFields:
    given = [values.get(n, "").strip() for n in ("x", "y", "width", "height")]
    box = Box(*(number(values, n) for n in ("x", "y", "width", "height"))) if any(given) else None
    return ZoneFields(values.get("code", ""), values.get("name", ""), optional_id(values, "orgUnitId"), box)


def space_fields(kind: str, values: Mapping[str, str], assignee: int | None, approvers: tuple[int, ...]) -> SpaceFields:
    is_room = kind == "room"
    hours = hours_in(values, "bookableHours") if is_room else {}
    return SpaceFields(
        kind=SpaceKind.ROOM if is_room else SpaceKind.DESK,
        code=values.get("code", ""),
        name=values.get("name", "") if is_room else None,
        box=Box(*(number(values, n) for n in ("x", "y", "width", "height"))),
        zone_id=optional_id(values, "zoneId"),
        rotation=number(values, "rotation") if values.get("rotation", "").strip() else 0.0,
        amenities=tuple(a for a in values.get("amenities", "").split(",") if a),
        bookable=bool(values.get("bookable")),
        assigned_employee_id=assignee,
        capacity=int(number(values, "capacity", whole=True)) if is_room else 1,
        requires_approval=is_room and bool(values.get("requiresApproval")),
        approver_ids=approvers,
        bookable_hours=hours or None,
    )


def people_keys(values: Mapping[str, str], name: str) -> list[str]:
    text = values.get(name, "").replace(",", "\n")
    return [line.strip() for line in text.splitlines() if line.strip()]


def number(values: Mapping[str, str], name: str, *, whole: bool = False) -> float:
    text = values.get(name, "").strip().replace(",", ".")
    if not text:
        raise InvalidInput(name, CommonInputCode.REQUIRED)
    try:
        value = float(text)
    except ValueError:
        raise InvalidInput(name, PlaceInputCode.PLACE_NUMBER_INVALID, value=text) from None
    if value != value or value in (float("inf"), float("-inf")) or (whole and not value.is_integer()):
        raise InvalidInput(name, PlaceInputCode.PLACE_NUMBER_INVALID, value=text)
    return value


def optional_id(values: Mapping[str, str], name: str) -> int | None:
    text = values.get(name, "").strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and len(text) < 12):
        raise InvalidInput(name, PlaceInputCode.PLACE_NUMBER_INVALID, value=text)
    return int(text)


def hours_in(values: Mapping[str, str], name: str) -> dict[int, tuple[str, str]]:
    hours: dict[int, tuple[str, str]] = {}
    for day in range(1, 8):
        opens = values.get(f"{name}_open_{day}", "").strip()
        closes = values.get(f"{name}_close_{day}", "").strip()
        if opens or closes:
            hours[day] = (opens[:5] or "—", closes[:5] or "—")
    return hours


def _hours_values(name: str, hours: WeeklyHours) -> dict[str, str]:
    values = {}
    for day, (opens, closes) in hours.items():
        values[f"{name}_open_{day}"], values[f"{name}_close_{day}"] = opens, closes
    return values


def _box_values(place: Zone | Space) -> dict[str, str]:
    return {"x": _n(place.x), "y": _n(place.y), "width": _n(place.width), "height": _n(place.height)}


def _n(value: float) -> str:
    return f"{value:g}"
