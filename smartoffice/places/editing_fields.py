"""What the places editor takes: the fields of each kind of place, and their checks that need no database.

A create takes a whole ``*Fields`` value; an update takes the changes (field name → new value) and applies them
with :func:`dataclasses.replace` to the place's current fields, so that one set of checks guards both. Field
names in errors are the GraphQL input's (``timeZone``, ``assignedToId`` ...), which the pages map to their own.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from smartoffice.errors import CommonInputCode, InvalidInput
from smartoffice.places.errors import PlaceInputCode
from smartoffice.places.models import Building, Floor, OpeningHours, Site, Space, SpaceKind, Zone

MAX_CODE = 32
MAX_NAME = 200
MAX_FLOOR_NAME = 100
MAX_CAPACITY = 500
MIN_LEVEL, MAX_LEVEL = -20, 300
KNOWN_AMENITIES = frozenset(("monitor", "docking", "standing", "accessible", "quiet", "video_conference", "whiteboard"))
"""The values of the GraphQL ``Amenity`` enum: the only amenities the apps can show."""
_CODE = re.compile(r"^\S{1,32}$")
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")

WeeklyHours = Mapping[int, tuple[str, str]]
"""Local hours per ISO weekday (1 = Monday), ``"HH:MM"``; a weekday missing is closed (rooms: not bookable)."""


@dataclass(frozen=True, slots=True)
class SiteFields:
    code: str
    name: str

    @classmethod
    def of(cls, site: Site) -> "SiteFields":
        return cls(site.code, site.name)


@dataclass(frozen=True, slots=True)
class BuildingFields:
    code: str
    name: str
    time_zone: str
    opening_hours: WeeklyHours

    @classmethod
    def of(cls, b: Building) -> "BuildingFields":
        if b.opening_hours is None:
            every_day = (b.opens_at.strftime("%H:%M"), b.closes_at.strftime("%H:%M"))
            return cls(b.code, b.name, b.time_zone, dict.fromkeys(range(1, 8), every_day))
        hours = {int(day): (h[0], h[1]) for day, h in b.opening_hours.items() if h}
        return cls(b.code, b.name, b.time_zone, hours)


@dataclass(frozen=True, slots=True)
class FloorFields:
    level: int
    name: str
    width: float
    height: float

    @classmethod
    def of(cls, f: Floor) -> "FloorFields":
        return cls(f.level, f.name, f.width, f.height)


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle on the floor plan, in metres from its top-left corner."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class ZoneFields:
    code: str
    name: str
    org_unit_id: int | None = None
    box: Box | None = None
    """None: the whole floor."""

    @classmethod
    def of(cls, z: Zone) -> "ZoneFields":
        return cls(z.code, z.name, z.org_unit_id, Box(z.x, z.y, z.width, z.height))


@dataclass(frozen=True, slots=True)
class SpaceFields:
    """A desk or a meeting room. Desks: ``assigned_employee_id``; rooms: ``name``, ``capacity``,
    ``requires_approval``, ``approver_ids``, ``bookable_hours`` (None: the building's opening hours)."""

    kind: SpaceKind
    code: str
    box: Box
    name: str | None = None
    zone_id: int | None = None
    rotation: float = 0.0
    amenities: tuple[str, ...] = ()
    bookable: bool = True
    assigned_employee_id: int | None = None
    capacity: int = 1
    requires_approval: bool = False
    approver_ids: tuple[int, ...] = field(default=())
    bookable_hours: WeeklyHours | None = None

    @classmethod
    def of(cls, s: Space, approver_ids: tuple[int, ...]) -> "SpaceFields":
        hours = None
        if s.bookable_hours is not None:
            hours = {int(day): (h[0], h[1]) for day, h in s.bookable_hours.items() if h}
        return cls(
            kind=s.kind,
            code=s.code,
            box=Box(s.x, s.y, s.width, s.height),
            name=s.name,
            zone_id=s.zone_id,
            rotation=s.rotation,
            amenities=tuple(s.amenities or ()),
            bookable=s.bookable,
            assigned_employee_id=s.assigned_employee_id,
            capacity=s.capacity,
            requires_approval=s.requires_approval,
            approver_ids=approver_ids,
            bookable_hours=hours,
        )


def check_code(value: str, field_name: str = "code") -> str:
    code = value.strip()
    if not code:
        raise InvalidInput(field_name, CommonInputCode.REQUIRED)
    if not _CODE.match(code):
        raise InvalidInput(field_name, PlaceInputCode.PLACE_CODE_INVALID)
    return code


def check_name(value: str | None, max_length: int, field_name: str = "name", *, required: bool = True) -> str:
    name = (value or "").strip()
    if required and not name:
        raise InvalidInput(field_name, CommonInputCode.REQUIRED)
    if len(name) > max_length:
        raise InvalidInput(field_name, CommonInputCode.TEXT_TOO_LONG, max=max_length)
    return name


@cache
def _time_zones() -> frozenset[str]:
    """The IANA names zoneinfo knows (``available_timezones`` scans the disk: once per process)."""
    return frozenset(available_timezones())


def check_time_zone(value: str) -> str:
    name = value.strip()
    if name in _time_zones():
        return name
    try:
        return ZoneInfo(name).key if name else _refuse_zone(value)
    except (ZoneInfoNotFoundError, ValueError):
        return _refuse_zone(value)


def _refuse_zone(value: str) -> str:
    raise InvalidInput("timeZone", PlaceInputCode.PLACE_TIME_ZONE_UNKNOWN, value=value)


def check_hours(hours: WeeklyHours, field_name: str) -> OpeningHours:
    """``hours`` as stored (``{"1": ["07:30", "17:00"]}``): quarter hours, opening before closing."""
    stored: OpeningHours = {}
    for day, (opens, closes) in sorted(hours.items()):
        if not 1 <= day <= 7:
            raise InvalidInput(field_name, PlaceInputCode.PLACE_WEEKDAY_INVALID)
        start, end = _quarter(opens, field_name), _quarter(closes, field_name)
        if start >= end:
            raise InvalidInput(field_name, PlaceInputCode.PLACE_OPENS_AFTER_CLOSING, opens=opens, closes=closes)
        stored[str(day)] = [start.strftime("%H:%M"), end.strftime("%H:%M")]
    return stored


def _quarter(value: str, field_name: str) -> time:
    match = _HHMM.match(value.strip())
    if match is None or int(match.group(2)) % 15:
        raise InvalidInput(field_name, PlaceInputCode.PLACE_TIME_INVALID, value=value)
    return time(int(match.group(1)), int(match.group(2)))


def widest(hours: OpeningHours) -> tuple[time, time]:
    """A building's ``opens_at``/``closes_at``: the earliest opening and latest closing of its week."""
    opens = min(time.fromisoformat(h[0]) for h in hours.values())
    closes = max(time.fromisoformat(h[1]) for h in hours.values())
    return opens, closes


def check_building(fields: BuildingFields) -> tuple[BuildingFields, OpeningHours]:
    hours = check_hours(fields.opening_hours, "openingHours")
    if not hours:
        raise InvalidInput("openingHours", PlaceInputCode.PLACE_NEVER_OPEN)
    checked = BuildingFields(
        check_code(fields.code),
        check_name(fields.name, MAX_NAME),
        check_time_zone(fields.time_zone),
        fields.opening_hours,
    )
    return checked, hours


def check_floor(fields: FloorFields) -> FloorFields:
    if not MIN_LEVEL <= fields.level <= MAX_LEVEL:
        raise InvalidInput("level", PlaceInputCode.PLACE_LEVEL_OUT_OF_RANGE)
    if not (fields.width > 0 and fields.height > 0) or max(fields.width, fields.height) > 10_000:
        raise InvalidInput("width", PlaceInputCode.PLACE_SIZE_INVALID)
    return FloorFields(fields.level, check_name(fields.name, MAX_FLOOR_NAME), fields.width, fields.height)


def check_box(box: Box, floor: Floor, field_name: str = "x") -> None:
    if not (box.width > 0 and box.height > 0):
        raise InvalidInput("width", PlaceInputCode.PLACE_SIZE_INVALID)
    inside = box.x >= 0 and box.y >= 0 and box.x + box.width <= floor.width and box.y + box.height <= floor.height
    if not inside:
        raise InvalidInput(field_name, PlaceInputCode.PLACE_OUTSIDE_FLOOR, width=floor.width, height=floor.height)


def check_space(fields: SpaceFields, floor: Floor) -> SpaceFields:
    """The space's own rules; what needs the database (people, zones, codes) is the editor's."""
    code = check_code(fields.code)
    name = check_name(fields.name, MAX_NAME, required=fields.kind == SpaceKind.ROOM) or None
    check_box(fields.box, floor)
    if not -360 <= fields.rotation <= 360:
        raise InvalidInput("rotation", PlaceInputCode.PLACE_ROTATION_INVALID)
    for amenity in fields.amenities:
        if amenity not in KNOWN_AMENITIES:
            raise InvalidInput("amenities", PlaceInputCode.PLACE_AMENITY_UNKNOWN, value=amenity)
    if fields.kind == SpaceKind.DESK:
        if fields.approver_ids or fields.requires_approval:
            raise InvalidInput("approverIds", PlaceInputCode.PLACE_APPROVERS_ROOMS_ONLY)
        capacity = 1
    else:
        if fields.assigned_employee_id is not None:
            raise InvalidInput("assignedToId", PlaceInputCode.PLACE_ONLY_DESKS_ASSIGNED)
        if not 1 <= fields.capacity <= MAX_CAPACITY:
            raise InvalidInput("capacity", PlaceInputCode.PLACE_CAPACITY_INVALID)
        if fields.requires_approval and not fields.approver_ids:
            raise InvalidInput("approverIds", PlaceInputCode.PLACE_APPROVER_REQUIRED)
        capacity = fields.capacity
    if fields.bookable_hours is not None:
        check_hours(fields.bookable_hours, "bookableHours")
    return SpaceFields(
        kind=fields.kind,
        code=code,
        box=fields.box,
        name=name,
        zone_id=fields.zone_id,
        rotation=fields.rotation,
        amenities=tuple(dict.fromkeys(fields.amenities)),
        bookable=fields.bookable,
        assigned_employee_id=fields.assigned_employee_id,
        capacity=capacity,
        requires_approval=fields.requires_approval,
        approver_ids=tuple(dict.fromkeys(fields.approver_ids)),
        bookable_hours=fields.bookable_hours,
    )
