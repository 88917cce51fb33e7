"""Managing places over GraphQL: create, update and retire sites, buildings, floors, zones, desks and rooms.

The rules are :class:`~smartoffice.places.editing.PlaceEditor`'s (who may, what is valid, which bookings a change
takes away); errors rise from it and become members of the result unions. Apps need the ``places:write`` scope,
and their owner must be a facilities manager of the site or an administrator (sites: administrators only).

Changes that would cancel bookings (retiring; a space made not bookable; a desk assigned; a room made smaller;
opening or bookable hours narrowed) are shown first: send the input with ``dryRun: true`` to get the payload with
``applied: false`` and the ``affectedBookings``, nothing changed; then send it again with a ``reason`` (required
when any booking is affected), which the people affected see on their cancelled bookings.
"""

from typing import Any

import strawberry

from smartoffice.api.context import Info
from smartoffice.audit.record import Actor
from smartoffice.bookings.api.types import Booking
from smartoffice.bookings.place_changes import PlaceLevel, PlaceRef
from smartoffice.identity.scopes import Scope
from smartoffice.ids import decode_id, decode_space_id
from smartoffice.places import models
from smartoffice.places.api.editing_types import (
    BuildingPayload,
    BuildingResult,
    CreateBuildingInput,
    CreateDeskInput,
    CreateFloorInput,
    CreateRoomInput,
    CreateSiteInput,
    CreateZoneInput,
    FloorPayload,
    FloorResult,
    RetireInput,
    RetirePayload,
    RetireResult,
    SitePayload,
    SiteResult,
    SpacePayload,
    SpaceResult,
    UpdateBuildingInput,
    UpdateFloorInput,
    UpdateSiteInput,
    UpdateSpaceInput,
    UpdateZoneInput,
    WeekdayHoursInput,
    ZonePayload,
    ZoneResult,
)
from smartoffice.places.api.types import Building, Desk, Floor, MeetingRoom, Site, Zone
from smartoffice.places.editing import PlaceChange
from smartoffice.places.editing_fields import Box, BuildingFields, FloorFields, SiteFields, SpaceFields, ZoneFields


def _hours(items: list[WeekdayHoursInput]) -> dict[int, tuple[str, str]]:
    return {item.weekday: (item.opens, item.closes) for item in items}


def _changes(source: object, names: dict[str, str], nullable: tuple[str, ...] = ()) -> dict[str, Any]:
    """The fields the input sets (attribute → the editor's field name). Omitted fields are left out, and so is
    null for a field that cannot be empty (null there means "unchanged"), except those in ``nullable``."""
    given = {
        field: getattr(source, attr) for attr, field in names.items() if getattr(source, attr) is not strawberry.UNSET
    }
    return {field: value for field, value in given.items() if value is not None or field in nullable}


def _actor(info: Info) -> Actor:
    owner = info.context.require_viewer()
    info.context.require_scope(Scope.PLACES_WRITE)
    return Actor(owner, info.context.via)


def _bookings(change: PlaceChange[Any] | None) -> list[Booking]:
    return [Booking.from_model(b) for b in change.affected] if change else []


def _space_payload(info: Info, space: models.Space, change: PlaceChange[Any] | None = None) -> SpacePayload:
    # The payload's fields read the space through the request's loader: give it this one, which for a dry run
    # holds the proposed values.
    info.context.loaders.places.space_by_id.prime(space.id, space, force=True)
    is_desk = space.kind == models.SpaceKind.DESK
    return SpacePayload(
        applied=change.applied if change else True,
        affected_bookings=_bookings(change),
        desk=Desk.from_model(space) if is_desk else None,
        room=None if is_desk else MeetingRoom.from_model(space),
    )


def _box(x: float | None, y: float | None, width: float | None, height: float | None) -> Box | None:
    if x is None and y is None and width is None and height is None:
        return None
    return Box(x or 0.0, y or 0.0, width or 0.0, height or 0.0)


def _optional_id(value: strawberry.ID | None, kind: str, field: str) -> int | None:
    return None if value is None else decode_id(value, kind, field)


async def _retire(info: Info, level: PlaceLevel, kind: str, input: RetireInput) -> RetirePayload:
    actor = _actor(info)
    place = PlaceRef(level, decode_space_id(input.id, "id") if kind == "Space" else decode_id(input.id, kind, "id"))
    change = await info.context.runtime.place_editor.retire(actor, place, reason=input.reason, dry_run=input.dry_run)
    return RetirePayload(applied=change.applied, affected_bookings=_bookings(change), retired_id=input.id)


@strawberry.type
class PlacesMutation:
    @strawberry.mutation(description="Administrators (apps: places:write): add a site.")
    async def create_site(self, info: Info, input: CreateSiteInput) -> SiteResult:
        site = await info.context.runtime.place_editor.create_site(_actor(info), SiteFields(input.code, input.name))
        return SitePayload(applied=True, affected_bookings=[], site=Site.from_model(site))

    @strawberry.mutation(description="Administrators (apps: places:write): rename or recode a site.")
    async def update_site(self, info: Info, input: UpdateSiteInput) -> SiteResult:
        actor = _actor(info)
        site_id = decode_id(input.site_id, "Site", "siteId")
        changes = _changes(input, {"code": "code", "name": "name"})
        site = await info.context.runtime.place_editor.update_site(actor, site_id, changes)
        return SitePayload(applied=True, affected_bookings=[], site=Site.from_model(site))

    @strawberry.mutation(
        description="Administrators (apps: places:write): retire a site with everything in it, cancelling its "
        "future bookings (try `dryRun` first)."
    )
    async def retire_site(self, info: Info, input: RetireInput) -> RetireResult:
        return await _retire(info, PlaceLevel.SITE, "Site", input)

    @strawberry.mutation(description="Facilities managers of the site and administrators: add a building.")
    async def create_building(self, info: Info, input: CreateBuildingInput) -> BuildingResult:
        actor = _actor(info)
        site_id = decode_id(input.site_id, "Site", "siteId")
        fields = BuildingFields(input.code, input.name, input.time_zone, _hours(input.opening_hours))
        building = await info.context.runtime.place_editor.create_building(actor, site_id, fields)
        return BuildingPayload(applied=True, affected_bookings=[], building=Building.from_model(building))

    @strawberry.mutation(
        description="Facilities managers of the site and administrators: change a building. Narrower opening "
        "hours cancel the bookings outside them (try `dryRun` first)."
    )
    async def update_building(self, info: Info, input: UpdateBuildingInput) -> BuildingResult:
        actor = _actor(info)
        building_id = decode_id(input.building_id, "Building", "buildingId")
        changes = _changes(input, {"code": "code", "name": "name", "time_zone": "time_zone"})
        if input.opening_hours is not strawberry.UNSET:
            changes["opening_hours"] = _hours(input.opening_hours or [])
        change = await info.context.runtime.place_editor.update_building(
            actor, building_id, changes, reason=input.reason, dry_run=input.dry_run
        )
        info.context.loaders.places.building_by_id.prime(change.place.id, change.place, force=True)
        return BuildingPayload(
            applied=change.applied, affected_bookings=_bookings(change), building=Building.from_model(change.place)
        )

    @strawberry.mutation(
        description="Facilities managers of the site and administrators: retire a building with its floors, "
        "zones, desks and rooms, cancelling their future bookings (try `dryRun` first)."
    )
    async def retire_building(self, info: Info, input: RetireInput) -> RetireResult:
        return await _retire(info, PlaceLevel.BUILDING, "Building", input)

    @strawberry.mutation(description="Facilities managers of the site and administrators: add a floor.")
    async def create_floor(self, info: Info, input: CreateFloorInput) -> FloorResult:
        actor = _actor(info)
        building_id = decode_id(input.building_id, "Building", "buildingId")
        fields = FloorFields(input.level, input.name, input.width, input.height)
        floor = await info.context.runtime.place_editor.create_floor(actor, building_id, fields)
        return FloorPayload(applied=True, affected_bookings=[], floor=Floor.from_model(floor))

    @strawberry.mutation(description="Facilities managers of the site and administrators: change a floor.")
    async def update_floor(self, info: Info, input: UpdateFloorInput) -> FloorResult:
        actor = _actor(info)
        floor_id = decode_id(input.floor_id, "Floor", "floorId")
        names = {"level": "level", "name": "name", "width": "width", "height": "height"}
        floor = await info.context.runtime.place_editor.update_floor(actor, floor_id, _changes(input, names))
        return FloorPayload(applied=True, affected_bookings=[], floor=Floor.from_model(floor))

    @strawberry.mutation(
        description="Facilities managers of the site and administrators: retire a floor with its zones, desks "
        "and rooms, cancelling their future bookings (try `dryRun` first)."
    )
    async def retire_floor(self, info: Info, input: RetireInput) -> RetireResult:
        return await _retire(info, PlaceLevel.FLOOR, "Floor", input)

    @strawberry.mutation(description="Facilities managers of the site and administrators: add a zone to a floor.")
    async def create_zone(self, info: Info, input: CreateZoneInput) -> ZoneResult:
        actor = _actor(info)
        floor_id = decode_id(input.floor_id, "Floor", "floorId")
        fields = ZoneFields(
            input.code,
            input.name,
            _optional_id(input.org_unit_id, "OrgUnit", "orgUnitId"),
            _box(input.x, input.y, input.width, input.height),
        )
        zone = await info.context.runtime.place_editor.create_zone(actor, floor_id, fields)
        return ZonePayload(applied=True, affected_bookings=[], zone=Zone.from_model(zone))

    @strawberry.mutation(description="Facilities managers of the site and administrators: change a zone.")
    async def update_zone(self, info: Info, input: UpdateZoneInput) -> ZoneResult:
        actor = _actor(info)
        editor = info.context.runtime.place_editor
        zone_id = decode_id(input.zone_id, "Zone", "zoneId")
        changes = _changes(input, {"code": "code", "name": "name"})
        if input.org_unit_id is not strawberry.UNSET:
            changes["org_unit_id"] = _optional_id(input.org_unit_id, "OrgUnit", "orgUnitId")
        changes |= _changes(input, {n: n for n in ("x", "y", "width", "height")})
        zone = await editor.update_zone(actor, zone_id, changes)
        return ZonePayload(applied=True, affected_bookings=[], zone=Zone.from_model(zone))

    @strawberry.mutation(
        description="Facilities managers of the site and administrators: retire a zone with its desks and rooms, "
        "cancelling their future bookings (try `dryRun` first)."
    )
    async def retire_zone(self, info: Info, input: RetireInput) -> RetireResult:
        return await _retire(info, PlaceLevel.ZONE, "Zone", input)

    @strawberry.mutation(description="Facilities managers of the site and administrators: add a desk to a floor.")
    async def create_desk(self, info: Info, input: CreateDeskInput) -> SpaceResult:
        actor = _actor(info)
        floor_id = decode_id(input.floor_id, "Floor", "floorId")
        fields = SpaceFields(
            kind=models.SpaceKind.DESK,
            code=input.code,
            box=Box(input.x, input.y, input.width, input.height),
            rotation=input.rotation,
            amenities=tuple(a.value for a in input.amenities),
            zone_id=_optional_id(input.zone_id, "Zone", "zoneId"),
            bookable=input.bookable,
            assigned_employee_id=_optional_id(input.assigned_to_id, "Employee", "assignedToId"),
        )
        return _space_payload(info, await info.context.runtime.place_editor.create_space(actor, floor_id, fields))

    @strawberry.mutation(description="Facilities managers of the site and administrators: add a meeting room.")
    async def create_room(self, info: Info, input: CreateRoomInput) -> SpaceResult:
        actor = _actor(info)
        floor_id = decode_id(input.floor_id, "Floor", "floorId")
        fields = SpaceFields(
            kind=models.SpaceKind.ROOM,
            code=input.code,
            name=input.name,
            box=Box(input.x, input.y, input.width, input.height),
            rotation=input.rotation,
            amenities=tuple(a.value for a in input.amenities),
            zone_id=_optional_id(input.zone_id, "Zone", "zoneId"),
            bookable=input.bookable,
            capacity=input.capacity,
            requires_approval=input.requires_approval,
            approver_ids=tuple(decode_id(i, "Employee", "approverIds") for i in input.approver_ids),
            bookable_hours=None if input.bookable_hours is None else _hours(input.bookable_hours),
        )
        return _space_payload(info, await info.context.runtime.place_editor.create_space(actor, floor_id, fields))

    @strawberry.mutation(
        description="Facilities managers of the site and administrators: change a desk or meeting room. Making "
        "it not bookable, assigning a desk, fewer seats or narrower hours cancel the bookings that no longer fit "
        "(try `dryRun` first)."
    )
    async def update_space(self, info: Info, input: UpdateSpaceInput) -> SpaceResult:
        actor = _actor(info)
        editor = info.context.runtime.place_editor
        space_id = decode_space_id(input.space_id, "spaceId")
        changes = _changes(
            input,
            {
                "code": "code",
                "name": "name",
                "rotation": "rotation",
                "bookable": "bookable",
                "capacity": "capacity",
                "requires_approval": "requires_approval",
            },
            nullable=("name",),
        )
        if input.amenities is not strawberry.UNSET:
            changes["amenities"] = tuple(a.value for a in input.amenities or [])
        if input.zone_id is not strawberry.UNSET:
            changes["zone_id"] = _optional_id(input.zone_id, "Zone", "zoneId")
        if input.assigned_to_id is not strawberry.UNSET:
            changes["assigned_employee_id"] = _optional_id(input.assigned_to_id, "Employee", "assignedToId")
        if input.approver_ids is not strawberry.UNSET:
            changes["approver_ids"] = tuple(decode_id(i, "Employee", "approverIds") for i in input.approver_ids or [])
        if input.bookable_hours is not strawberry.UNSET:
            changes["bookable_hours"] = None if input.bookable_hours is None else _hours(input.bookable_hours)
        changes |= _changes(input, {n: n for n in ("x", "y", "width", "height")})
        change = await editor.update_space(actor, space_id, changes, reason=input.reason, dry_run=input.dry_run)
        return _space_payload(info, change.place, change)

    @strawberry.mutation(
        description="Facilities managers of the site and administrators: retire a desk or meeting room, "
        "cancelling its future bookings (try `dryRun` first)."
    )
    async def retire_space(self, info: Info, input: RetireInput) -> RetireResult:
        return await _retire(info, PlaceLevel.SPACE, "Space", input)
