"""Place queries: sites (and through them everything else), a floor, a desk."""

import datetime as dt

import strawberry

from smartoffice.api.context import Info
from smartoffice.api.found import load_found
from smartoffice.availability.service import SpaceStatus as OccupancyStatus
from smartoffice.availability.service import window_slots
from smartoffice.availability.slots import LocalDay
from smartoffice.identity.scopes import Scope
from smartoffice.ids import id_or_none
from smartoffice.places.api.types import Amenity, Desk, Floor, MeetingRoom, Site
from smartoffice.places.models import SpaceKind


@strawberry.type
class PlacesQuery:
    @strawberry.field(description="Every site (campus) and, through it, buildings, floors and desks.")
    async def sites(self, info: Info) -> list[Site]:
        info.context.require_scope(Scope.PLACES_READ)
        return [Site.from_model(s) for s in await info.context.runtime.places.sites()]

    @strawberry.field(description="A floor by id, or null if there is none.")
    async def floor(self, info: Info, id: strawberry.ID) -> Floor | None:
        info.context.require_scope(Scope.PLACES_READ)
        floor_id = id_or_none(id, "Floor")
        if floor_id is None:
            return None
        layout = await info.context.runtime.layouts.find(floor_id)
        return Floor.from_layout(layout) if layout else None

    @strawberry.field(description="A desk by id, or null if there is none.")
    async def desk(self, info: Info, id: strawberry.ID) -> Desk | None:
        info.context.require_scope(Scope.PLACES_READ)
        desk_id = id_or_none(id, "Desk")
        if desk_id is None:
            return None
        row = (await load_found(info.context.loaders.places.space_by_id, [desk_id])).get(desk_id)
        return Desk.from_model(row) if row and row.kind == SpaceKind.DESK else None

    @strawberry.field(
        description="Meeting rooms of a building that are free for the whole of a local time window, with at "
        "least `minCapacity` seats and every one of `amenities`, smallest first. Unknown buildings give []."
    )
    async def find_rooms(
        self,
        info: Info,
        building_id: strawberry.ID,
        date: dt.date,
        start_time: dt.time,
        end_time: dt.time,
        min_capacity: int = 1,
        amenities: list[Amenity] | None = None,
    ) -> list[MeetingRoom]:
        info.context.require_scope(Scope.PLACES_READ, Scope.OCCUPANCY_READ_AGGREGATE)
        ident = id_or_none(building_id, "Building")
        if ident is None or start_time >= end_time:
            return []
        runtime = info.context.runtime
        found = await runtime.places.rooms_of_building(ident)
        if found is None:
            return []
        building, rooms = found
        wanted = {a.value for a in amenities or []}
        candidates = [r for r in rooms if r.capacity >= min_capacity and wanted <= set(r.amenities)]
        window = window_slots(LocalDay(date, building.time_zone), start_time, end_time)
        free = []
        for floor_id in sorted({r.floor_id for r in candidates}):
            occupancy = await runtime.availability.floor_day(floor_id, building.time_zone, date)
            free += [
                r
                for r in candidates
                if r.floor_id == floor_id and occupancy.status(r.id, window) == OccupancyStatus.FREE
            ]
        return [MeetingRoom.from_model(r) for r in sorted(free, key=lambda r: (r.capacity, r.code))]
