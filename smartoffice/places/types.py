"""GraphQL types for places. Written apart from the ORM models: the public schema is not the table layout."""

import datetime as dt
from enum import Enum
from typing import Annotated, Self

import strawberry
from strawberry import relay

from smartoffice.api.context import Info
from smartoffice.api.errors import ValidationError, to_graphql_error
from smartoffice.availability import service as availability
from smartoffice.availability.slots import LocalDay
from smartoffice.errors import InvalidInput
from smartoffice.places import models


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
    def from_model(cls, b: models.Building) -> Self:
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


def _amenities(space: models.Space) -> list[Amenity]:
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


@strawberry.type(description="Which desks of a floor are free on a local date, within a window of local time.")
class FloorAvailability:
    date: dt.date
    start_time: dt.time = strawberry.field(description="Start of the window, local time.")
    end_time: dt.time = strawberry.field(description="End of the window, local time (exclusive).")
    source: AvailabilitySource
    desks: list[DeskAvailability]


@strawberry.type(description="One storey of a building, with its plan size in metres.")
class Floor(relay.Node):
    id: relay.NodeID[int]
    building_id: strawberry.Private[int]
    level: int
    name: str
    width: float = strawberry.field(description="Plan width in metres.")
    height: float = strawberry.field(description="Plan height in metres.")

    @classmethod
    def from_model(cls, f: models.Floor) -> Self:
        return cls(id=f.id, building_id=f.building_id, level=f.level, name=f.name, width=f.width, height=f.height)

    @strawberry.field
    async def building(self, info: Info) -> Building:
        b = await info.context.loaders.places.building_by_id.load(self.building_id)
        return Building.from_model(b)

    @strawberry.field(description="The floor's desks, by code.")
    async def desks(self, info: Info) -> list["Desk"]:
        spaces = await info.context.loaders.places.spaces_by_floor_id.load(self.id)
        return [Desk.from_model(s) for s in spaces if s.kind == models.SpaceKind.DESK]

    @strawberry.field(description="The floor's meeting rooms, by code.")
    async def rooms(self, info: Info) -> list["MeetingRoom"]:
        spaces = await info.context.loaders.places.spaces_by_floor_id.load(self.id)
        return [MeetingRoom.from_model(s) for s in spaces if s.kind == models.SpaceKind.ROOM]

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
        loaders = info.context.loaders.places
        building = await loaders.building_by_id.load(self.building_id)
        wanted = {a.value for a in amenities or []}
        spaces = [s for s in await loaders.spaces_by_floor_id.load(self.id) if wanted <= set(s.amenities)]
        start, end = start_time or building.opens_at, end_time or building.closes_at
        if start >= end:
            error = to_graphql_error(InvalidInput("endTime", "END_BEFORE_START"), info.context.language)
            assert isinstance(error, ValidationError)
            return error
        occupancy = await info.context.runtime.availability.floor_day(self.id, building.time_zone, date)
        window = availability.window_slots(LocalDay(date, building.time_zone), start, end)
        return FloorAvailability(
            date=date,
            start_time=start,
            end_time=end,
            source=AvailabilitySource(occupancy.source.value),
            desks=[
                DeskAvailability(desk=Desk.from_model(s), status=SpaceStatus(occupancy.status(s.id, window).value))
                for s in spaces
                if s.kind == models.SpaceKind.DESK
            ],
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
    def from_model(cls, s: models.Space) -> Self:
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
    def from_model(cls, s: models.Space) -> Self:
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
