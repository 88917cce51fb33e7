"""Place queries: sites (and through them everything else), a floor, a desk."""

import datetime as dt

import strawberry

from smartoffice.api.context import Info
from smartoffice.api.found import load_found
from smartoffice.bookings.room_search import RoomQuery
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
        description="Meeting rooms of a building that bookRoom would accept for a local time window: free for the "
        "whole of it (changeover buffer included), open then (the building's and the room's hours), not closed, "
        "not on a holiday the rules close for, with at least `minCapacity` seats and every one of `amenities`; "
        "smallest first. Unknown buildings give []."
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
        query = RoomQuery(ident, date, start_time, end_time, min_capacity, frozenset(a.value for a in amenities or []))
        rooms = await info.context.runtime.room_search.free_rooms(query)
        # The rooms come with their floors: the answer's ``floor`` and per-room fields need no query of their own.
        places = info.context.loaders.places
        places.space_by_id.prime_many({r.id: r for r in rooms})
        places.floor_by_id.prime_many({r.floor_id: r.floor for r in rooms})
        return [MeetingRoom.from_model(r) for r in rooms]
