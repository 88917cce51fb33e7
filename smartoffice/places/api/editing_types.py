"""The inputs and payloads of the places mutations (``mutations.py``): what apps send to create, change and
retire places, and what they get back (the place, or for a dry run what it would be, and the bookings the change
cancels or would cancel)."""

from typing import Annotated

import strawberry

from smartoffice.api.errors import NotFoundError, PermissionDeniedError, ValidationError
from smartoffice.bookings.api.types import Booking
from smartoffice.places.api.types import Amenity, Building, Desk, Floor, MeetingRoom, Site, Zone

DRY_RUN_HELP = (
    "True: check the change and list the bookings it would cancel (`affectedBookings`), changing nothing "
    "(`applied` false)."
)
REASON_HELP = (
    "Why, in words the people whose bookings are cancelled will see (at most 500 characters). Required when the "
    "change cancels any booking (ValidationError PLACE_REASON_REQUIRED); ignored otherwise."
)
HOURS_HELP = "Local hours per weekday (ISO weekday 1 = Monday), HH:MM on the quarter hour; a weekday left out is "


@strawberry.input(description="Local hours on one weekday.")
class WeekdayHoursInput:
    weekday: int = strawberry.field(description="ISO weekday: 1 Monday … 7 Sunday.")
    opens: str = strawberry.field(description="Local time HH:MM, on the quarter hour.")
    closes: str = strawberry.field(description="Local time HH:MM, on the quarter hour, after `opens`.")


@strawberry.input(description="A new site (campus). Administrators only.")
class CreateSiteInput:
    code: str = strawberry.field(description="Unique among all sites, 1 to 32 characters without spaces.")
    name: str


@strawberry.input(description="Changes to a site: the fields given. Administrators only.")
class UpdateSiteInput:
    site_id: strawberry.ID
    code: str | None = strawberry.UNSET
    name: str | None = strawberry.UNSET


@strawberry.input(description="A new building of a site.")
class CreateBuildingInput:
    site_id: strawberry.ID
    code: str = strawberry.field(description="Unique within the site, 1 to 32 characters without spaces.")
    name: str
    time_zone: str = strawberry.field(description="IANA time zone, e.g. Asia/Makassar (WITA) or Asia/Jakarta.")
    opening_hours: list[WeekdayHoursInput] = strawberry.field(description=HOURS_HELP + "closed.")


@strawberry.input(description="Changes to a building: the fields given.")
class UpdateBuildingInput:
    building_id: strawberry.ID
    code: str | None = strawberry.UNSET
    name: str | None = strawberry.UNSET
    time_zone: str | None = strawberry.UNSET
    opening_hours: list[WeekdayHoursInput] | None = strawberry.field(
        default=strawberry.UNSET,
        description=HOURS_HELP + "closed. Narrower hours cancel the bookings outside them.",
    )
    reason: str | None = strawberry.field(default=None, description=REASON_HELP)
    dry_run: bool = strawberry.field(default=False, description=DRY_RUN_HELP)


@strawberry.input(description="A new floor of a building.")
class CreateFloorInput:
    building_id: strawberry.ID
    level: int = strawberry.field(description="Storey number, unique within the building (-20 to 300).")
    name: str
    width: float = strawberry.field(description="Plan width in metres.")
    height: float = strawberry.field(description="Plan height in metres.")


@strawberry.input(description="Changes to a floor: the fields given. The plan cannot shrink below what it holds.")
class UpdateFloorInput:
    floor_id: strawberry.ID
    level: int | None = strawberry.UNSET
    name: str | None = strawberry.UNSET
    width: float | None = strawberry.UNSET
    height: float | None = strawberry.UNSET


@strawberry.input(description="A new zone (neighbourhood) on a floor.")
class CreateZoneInput:
    floor_id: strawberry.ID
    code: str = strawberry.field(description="Unique on the floor, 1 to 32 characters without spaces.")
    name: str
    org_unit_id: strawberry.ID | None = strawberry.field(default=None, description="The unit whose zone it is.")
    x: float | None = strawberry.field(
        default=None, description="Left edge in metres; omit x, y, width and height for the whole floor."
    )
    y: float | None = None
    width: float | None = None
    height: float | None = None


@strawberry.input(description="Changes to a zone: the fields given (`orgUnitId: null` unlinks the unit).")
class UpdateZoneInput:
    zone_id: strawberry.ID
    code: str | None = strawberry.UNSET
    name: str | None = strawberry.UNSET
    org_unit_id: strawberry.ID | None = strawberry.UNSET
    x: float | None = strawberry.UNSET
    y: float | None = strawberry.UNSET
    width: float | None = strawberry.UNSET
    height: float | None = strawberry.UNSET


@strawberry.input(description="A new desk on a floor.")
class CreateDeskInput:
    floor_id: strawberry.ID
    code: str = strawberry.field(description="Unique on the floor, 1 to 32 characters without spaces.")
    x: float = strawberry.field(description="Left edge in metres, within the floor plan.")
    y: float = strawberry.field(description="Top edge in metres, within the floor plan.")
    width: float = 1.6
    height: float = 0.8
    rotation: float = 0.0
    amenities: list[Amenity] = strawberry.field(default_factory=list)
    zone_id: strawberry.ID | None = strawberry.field(default=None, description="A zone of the same floor.")
    bookable: bool = True
    assigned_to_id: strawberry.ID | None = strawberry.field(
        default=None, description="An active employee who owns the desk (a hot desk when omitted)."
    )


@strawberry.input(description="A new meeting room on a floor.")
class CreateRoomInput:
    floor_id: strawberry.ID
    code: str = strawberry.field(description="Unique on the floor, 1 to 32 characters without spaces.")
    name: str
    capacity: int = strawberry.field(description="Seats, 1 to 500.")
    x: float
    y: float
    width: float
    height: float
    rotation: float = 0.0
    amenities: list[Amenity] = strawberry.field(default_factory=list)
    zone_id: strawberry.ID | None = None
    bookable: bool = True
    requires_approval: bool = False
    approver_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list,
        description="Employees who accept or reject its bookings; at least one when `requiresApproval`.",
    )
    bookable_hours: list[WeekdayHoursInput] | None = strawberry.field(
        default=None, description=HOURS_HELP + "not bookable. Omit for the building's opening hours."
    )


@strawberry.input(description="Changes to a desk or meeting room: the fields given. See each field for what applies.")
class UpdateSpaceInput:
    space_id: strawberry.ID = strawberry.field(description="A Desk or MeetingRoom id.")
    code: str | None = strawberry.UNSET
    name: str | None = strawberry.field(default=strawberry.UNSET, description="Rooms.")
    x: float | None = strawberry.UNSET
    y: float | None = strawberry.UNSET
    width: float | None = strawberry.UNSET
    height: float | None = strawberry.UNSET
    rotation: float | None = strawberry.UNSET
    amenities: list[Amenity] | None = strawberry.UNSET
    zone_id: strawberry.ID | None = strawberry.field(default=strawberry.UNSET, description="null: no zone.")
    bookable: bool | None = strawberry.field(
        default=strawberry.UNSET, description="False cancels the space's future bookings."
    )
    assigned_to_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="Desks: the owner (null: a hot desk). Assigning cancels others' future bookings of the desk.",
    )
    capacity: int | None = strawberry.field(
        default=strawberry.UNSET, description="Rooms. Fewer seats cancel bookings with more attendees."
    )
    requires_approval: bool | None = strawberry.field(default=strawberry.UNSET, description="Rooms.")
    approver_ids: list[strawberry.ID] | None = strawberry.field(default=strawberry.UNSET, description="Rooms.")
    bookable_hours: list[WeekdayHoursInput] | None = strawberry.field(
        default=strawberry.UNSET,
        description="Rooms: " + HOURS_HELP + "not bookable; null: the building's hours. Narrower hours cancel the "
        "bookings outside them.",
    )
    reason: str | None = strawberry.field(default=None, description=REASON_HELP)
    dry_run: bool = strawberry.field(default=False, description=DRY_RUN_HELP)


@strawberry.input(description="A place to retire, and why.")
class RetireInput:
    id: strawberry.ID = strawberry.field(description="The place's id (of the type the mutation names).")
    reason: str | None = strawberry.field(default=None, description=REASON_HELP)
    dry_run: bool = strawberry.field(default=False, description=DRY_RUN_HELP)


@strawberry.interface(description="What a change to a place did, or (a dry run) would do.")
class PlaceChangePayload:
    applied: bool = strawberry.field(description="False for a dry run: nothing was changed.")
    affected_bookings: list[Booking] = strawberry.field(
        description="The bookings the change cancelled (or would cancel), earliest first."
    )


@strawberry.type(description="The site as it now is.")
class SitePayload(PlaceChangePayload):
    site: Site


@strawberry.type(description="The building as it now is (or would be, for a dry run).")
class BuildingPayload(PlaceChangePayload):
    building: Building


@strawberry.type(description="The floor as it now is.")
class FloorPayload(PlaceChangePayload):
    floor: Floor


@strawberry.type(description="The zone as it now is.")
class ZonePayload(PlaceChangePayload):
    zone: Zone


@strawberry.type(description="The desk or room as it now is (or would be, for a dry run); the other is null.")
class SpacePayload(PlaceChangePayload):
    desk: Desk | None
    room: MeetingRoom | None


@strawberry.type(
    description="The place is retired (with everything below it: a building's floors, zones, desks and rooms), "
    "or, for a dry run, would be. It no longer shows and takes no bookings; its history stays."
)
class RetirePayload(PlaceChangePayload):
    retired_id: strawberry.ID = strawberry.field(description="The retired place's id.")


ERRORS = ValidationError | PermissionDeniedError | NotFoundError
SiteResult = Annotated[SitePayload | ERRORS, strawberry.union("SiteResult")]
BuildingResult = Annotated[BuildingPayload | ERRORS, strawberry.union("BuildingResult")]
FloorResult = Annotated[FloorPayload | ERRORS, strawberry.union("FloorResult")]
ZoneResult = Annotated[ZonePayload | ERRORS, strawberry.union("ZoneResult")]
SpaceResult = Annotated[SpacePayload | ERRORS, strawberry.union("SpaceResult")]
RetireResult = Annotated[RetirePayload | ERRORS, strawberry.union("RetireResult")]
