"""GraphQL types for places. Written apart from the ORM models: the public schema is not the table layout."""

import datetime as dt
from collections.abc import Sequence
from enum import Enum
from typing import Annotated, Self

import strawberry
from strawberry import relay

from smartoffice.api.context import Info
from smartoffice.api.errors import ValidationError
from smartoffice.availability import service as availability
from smartoffice.availability.slots import LocalDay
from smartoffice.bookings.api.occupancy import SpaceBooking
from smartoffice.bookings.occupants import FloorWindow
from smartoffice.errors import CommonInputCode, InvalidInput
from smartoffice.identity.scopes import Scope
from smartoffice.places import models
from smartoffice.places.layout import BuildingLayout, FloorLayout, SpaceLayout


@strawberry.type(description="A campus such as KIPP Nusantara: a group of buildings.")
class Site(relay.Node):
    id: relay.NodeID[int]
    code: str
    name: str

    @classmethod
    def from_model(cls, site: models.Site) -> Self:
        return cls(id=site.id, code=site.code, name=site.name)

    @strawberry.field(description="The site's buildings, by code.")
    async def buildings(self, info: Info) -> list["Building"]:
        rows = await info.context.loaders.places.buildings_by_site_id.load(self.id)
        return [Building.from_model(b) for b in rows]


@strawberry.type(description="A tower or office building, with its time zone and opening hours.")
class Building(relay.Node):
    id: relay.NodeID[int]
    site_id: strawberry.Private[int]
    code: str
    name: str
    time_zone: str = strawberry.field(description="IANA time zone; IKN is Asia/Makassar (WITA, UTC+8).")
    opens_at: dt.time = strawberry.field(description="Local opening time; whole-day desk bookings start here.")
    closes_at: dt.time = strawberry.field(description="Local closing time; whole-day desk bookings end here.")

    @classmethod
    def from_model(cls, b: models.Building | BuildingLayout) -> Self:
        return cls(
            id=b.id,
            site_id=b.site_id,
            code=b.code,
            name=b.name,
            time_zone=b.time_zone,
            opens_at=b.opens_at,
            closes_at=b.closes_at,
        )

    @strawberry.field(description="The building's floors, lowest first.")
    async def floors(self, info: Info) -> list["Floor"]:
        rows = await info.context.loaders.places.floors_by_building_id.load(self.id)
        return [Floor.from_model(f) for f in rows]


@strawberry.enum(description="Equipment and qualities of a desk or room.")
class Amenity(Enum):
    MONITOR = "monitor"
    DOCKING = "docking"
    STANDING = "standing"
    ACCESSIBLE = "accessible"
    QUIET = "quiet"
    VIDEO_CONFERENCE = "video_conference"
    WHITEBOARD = "whiteboard"


def _amenities(space: models.Space | SpaceLayout) -> list[Amenity]:
    known = {a.value for a in Amenity}
    return [Amenity(a) for a in space.amenities if a in known]


@strawberry.enum(description="How much of the asked-for time a space is booked.")
class SpaceStatus(Enum):
    FREE = strawberry.enum_value(availability.SpaceStatus.FREE.value, description="Free for the whole window.")
    PARTIALLY_BOOKED = strawberry.enum_value(
        availability.SpaceStatus.PARTIALLY_BOOKED.value, description="Booked for part of the window."
    )
    BOOKED = strawberry.enum_value(availability.SpaceStatus.BOOKED.value, description="Booked for the whole window.")


@strawberry.enum(description="Where an availability answer came from.")
class AvailabilitySource(Enum):
    INDEX = strawberry.enum_value(availability.Source.INDEX.value, description="The Redis availability index.")
    DATABASE = strawberry.enum_value(
        availability.Source.DATABASE.value,
        description="SQL, because the index did not hold this floor-day (it does now) or Redis was unreachable.",
    )


@strawberry.type(description="A desk and its status in the asked-for window.")
class DeskAvailability:
    desk: "Desk"
    status: SpaceStatus
    window: strawberry.Private[FloorWindow]

    @strawberry.field(
        description="The desk's active bookings overlapping the window, earliest first, each with its occupant as "
        "far as you may know who it is (see `Occupant`). One query for the whole floor, however many desks."
    )
    async def bookings(self, info: Info) -> list[SpaceBooking]:
        rows = await info.context.loaders.bookings.bookings_by_floor_window.load(self.window)
        return [SpaceBooking.from_row(r) for r in rows if r.space_id == self.desk.id]


@strawberry.type(description="Which desks of a floor are free on a local date, within a window of local time.")
class FloorAvailability:
    date: dt.date
    start_time: dt.time = strawberry.field(description="Start of the window, local time.")
    end_time: dt.time = strawberry.field(description="End of the window, local time (exclusive).")
    source: AvailabilitySource
    desks: list[DeskAvailability]


@strawberry.type(
    description="A floor's desk availability as one string: the compact shape for integrators that show or poll "
    "whole floors. `statuses[i]` is the status of desk `deskIds[i]`; the order is that of `Floor.desks` (by code) "
    "and is identified by `deskOrder`: fetch the floor plan once, keep its `deskOrder`, then ask only for "
    "`deskOrder statuses` and refetch the plan when `deskOrder` changes."
)
class PackedFloorAvailability:
    date: dt.date
    start_time: dt.time = strawberry.field(description="Start of the window, local time.")
    end_time: dt.time = strawberry.field(description="End of the window, local time (exclusive).")
    source: AvailabilitySource
    desk_order: str = strawberry.field(
        description="Identifies the desk order `statuses` follows (a digest of the desk ids); equal to "
        "`Floor.deskOrder` while the floor's desks are unchanged."
    )
    statuses: str = strawberry.field(
        description="One letter per desk: `F` free for the whole window, `P` partially booked, `B` booked for "
        "the whole window."
    )
    desk_ids: list[strawberry.ID] = strawberry.field(
        description="The desks' ids in the order of `statuses` (omit it once you hold the floor's desk list)."
    )


@strawberry.type(description="One storey of a building, with its plan size in metres.")
class Floor(relay.Node):
    id: relay.NodeID[int]
    building_id: strawberry.Private[int]
    level: int
    name: str
    width: float = strawberry.field(description="Plan width in metres.")
    height: float = strawberry.field(description="Plan height in metres.")
    layout: strawberry.Private[FloorLayout | None] = None
    """Set when the floor was read through the layout cache: its fields then need no further query."""

    @classmethod
    def from_model(cls, f: models.Floor) -> Self:
        return cls(id=f.id, building_id=f.building_id, level=f.level, name=f.name, width=f.width, height=f.height)

    @classmethod
    def from_layout(cls, f: FloorLayout) -> Self:
        return cls(
            id=f.id, building_id=f.building_id, level=f.level, name=f.name, width=f.width, height=f.height, layout=f
        )

    async def _layout(self, info: Info) -> FloorLayout:
        if self.layout is None:
            self.layout = await info.context.runtime.layouts.get(self.id)
        return self.layout

    @strawberry.field
    async def building(self, info: Info) -> Building:
        if self.layout is not None:
            return Building.from_model(self.layout.building)
        b = await info.context.loaders.places.building_by_id.load(self.building_id)
        return Building.from_model(b)

    @strawberry.field(description="The floor's desks, by code.")
    async def desks(self, info: Info) -> list["Desk"]:
        if self.layout is not None:
            return [Desk.from_model(s) for s in self.layout.desks]
        spaces = await info.context.loaders.places.spaces_by_floor_id.load(self.id)
        return [Desk.from_model(s) for s in spaces if s.kind == models.SpaceKind.DESK]

    @strawberry.field(description="The floor's meeting rooms, by code.")
    async def rooms(self, info: Info) -> list["MeetingRoom"]:
        spaces: Sequence[models.Space | SpaceLayout]
        if self.layout is not None:
            spaces = self.layout.spaces
        else:
            spaces = await info.context.loaders.places.spaces_by_floor_id.load(self.id)
        return [MeetingRoom.from_model(s) for s in spaces if s.kind == models.SpaceKind.ROOM]

    @strawberry.field(
        description="Identifies the order of the floor's desks (a digest of their ids): the order of "
        "`availabilityPacked.statuses`. It changes only when desks are added, removed or recoded."
    )
    async def desk_order(self, info: Info) -> str:
        return (await self._layout(info)).desk_order

    @strawberry.field(
        description="Desk availability on a local date. The window defaults to the building's opening hours. "
        "With `amenities`, only desks that have all of them are listed."
    )
    async def availability(
        self,
        info: Info,
        date: dt.date,
        start_time: dt.time | None = None,
        end_time: dt.time | None = None,
        amenities: list[Amenity] | None = None,
    ) -> Annotated[FloorAvailability | ValidationError, strawberry.union("FloorAvailabilityResult")]:
        info.context.require_scope(Scope.OCCUPANCY_READ_AGGREGATE)
        layout = await self._layout(info)
        building = layout.building
        wanted = {a.value for a in amenities or []}
        desks = [s for s in layout.desks if wanted <= set(s.amenities)] if wanted else layout.desks
        start, end = start_time or building.opens_at, end_time or building.closes_at
        if start >= end:
            raise InvalidInput("endTime", CommonInputCode.END_BEFORE_START)
        occupancy = await info.context.runtime.availability.floor_day(self.id, building.time_zone, date)
        local_day = LocalDay(date, building.time_zone)
        window = availability.window_slots(local_day, start, end)
        floor_window = FloorWindow(self.id, local_day.at(start), local_day.at(end))
        return FloorAvailability(
            date=date,
            start_time=start,
            end_time=end,
            source=AvailabilitySource(occupancy.source.value),
            desks=[
                DeskAvailability(
                    desk=Desk.from_model(s),
                    status=SpaceStatus(occupancy.status(s.id, window).value),
                    window=floor_window,
                )
                for s in desks
            ],
        )

    @strawberry.field(
        description="Every desk's availability on a local date as one packed string (see "
        "`PackedFloorAvailability`): the cheap way to read or poll a whole floor. The window defaults to the "
        "building's opening hours."
    )
    async def availability_packed(
        self,
        info: Info,
        date: dt.date,
        start_time: dt.time | None = None,
        end_time: dt.time | None = None,
    ) -> Annotated[PackedFloorAvailability | ValidationError, strawberry.union("PackedFloorAvailabilityResult")]:
        info.context.require_scope(Scope.OCCUPANCY_READ_AGGREGATE)
        layout = await self._layout(info)
        building = layout.building
        start, end = start_time or building.opens_at, end_time or building.closes_at
        if start >= end:
            raise InvalidInput("endTime", CommonInputCode.END_BEFORE_START)
        occupancy = await info.context.runtime.availability.floor_day(self.id, building.time_zone, date)
        window = availability.window_slots(LocalDay(date, building.time_zone), start, end)
        return PackedFloorAvailability(
            date=date,
            start_time=start,
            end_time=end,
            source=AvailabilitySource(occupancy.source.value),
            desk_order=layout.desk_order,
            statuses=occupancy.packed((d.id for d in layout.desks), window),
            desk_ids=[strawberry.ID(i) for i in layout.desk_global_ids],
        )


@strawberry.type(description="A bookable desk. Position and size are in metres on the floor plan.")
class Desk(relay.Node):
    id: relay.NodeID[int]
    floor_id: strawberry.Private[int]
    code: str = strawberry.field(description="Label on the desk, unique on its floor.")
    x: float
    y: float
    width: float
    height: float
    rotation: float = strawberry.field(description="Degrees clockwise around the desk's centre.")
    amenities: list[Amenity]

    @classmethod
    def from_model(cls, s: models.Space | SpaceLayout) -> Self:
        return cls(
            id=s.id,
            floor_id=s.floor_id,
            code=s.code,
            x=s.x,
            y=s.y,
            width=s.width,
            height=s.height,
            rotation=s.rotation,
            amenities=_amenities(s),
        )

    @strawberry.field
    async def floor(self, info: Info) -> Floor:
        return Floor.from_model(await info.context.loaders.places.floor_by_id.load(self.floor_id))


@strawberry.type(description="A meeting room. Booking rooms comes with the booking core.")
class MeetingRoom(relay.Node):
    id: relay.NodeID[int]
    floor_id: strawberry.Private[int]
    code: str
    name: str
    capacity: int = strawberry.field(description="Seats in the room.")
    x: float
    y: float
    width: float
    height: float
    amenities: list[Amenity]

    @classmethod
    def from_model(cls, s: models.Space | SpaceLayout) -> Self:
        return cls(
            id=s.id,
            floor_id=s.floor_id,
            code=s.code,
            name=s.name or s.code,
            capacity=s.capacity,
            x=s.x,
            y=s.y,
            width=s.width,
            height=s.height,
            amenities=_amenities(s),
        )

    @strawberry.field
    async def floor(self, info: Info) -> Floor:
        return Floor.from_model(await info.context.loaders.places.floor_by_id.load(self.floor_id))
