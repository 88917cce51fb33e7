"""``findDesks``: free desks across floors and buildings for a day, nearest the caller's teammates first."""

import datetime as dt
from typing import Annotated

import strawberry

from smartoffice.api.context import Info
from smartoffice.api.errors import ValidationError
from smartoffice.bookings import nearby
from smartoffice.bookings.desk_search import MAX_DAYS_AHEAD, MAX_FILTER_IDS, MAX_RESULTS, DeskSearch
from smartoffice.identity.scopes import Scope
from smartoffice.ids import decode_id, encode_id
from smartoffice.places.api.types import Amenity, Desk


@strawberry.type(
    description="A desk you could book for the whole of the day asked for: free all day, in service, not closed and "
    "not someone else's assigned desk. Ranked by `findDesks`."
)
class DeskChoice:
    desk_id: strawberry.Private[int]
    code: str = strawberry.field(description="The desk's label, unique on its floor.")
    floor_id: strawberry.ID = strawberry.field(description="The desk's Floor.")
    floor_name: str = strawberry.field(description="The floor's name.")
    building_id: strawberry.ID = strawberry.field(description="The floor's Building.")
    building_name: str = strawberry.field(description="The building's name.")
    zone_name: str | None = strawberry.field(description="The zone (neighbourhood) the desk is in, or null.")
    amenities: list[Amenity] = strawberry.field(description="What the desk has.")
    distance_metres: float | None = strawberry.field(
        description="Metres on the floor plan from this desk's centre to the nearest desk a teammate (someone of "
        "your org unit) holds that day on the same floor; null when no teammate sits on this floor that day, or "
        "when `nearTeam` was false."
    )
    teammates_on_floor: int = strawberry.field(
        description="How many of your teammates hold a desk on this floor that day (0 when `nearTeam` was false)."
    )

    @strawberry.field(description="The desk itself.")
    async def desk(self, info: Info) -> Desk:
        return Desk.from_model(await info.context.loaders.places.space_by_id.load(self.desk_id))

    @classmethod
    def of(cls, choice: nearby.DeskChoice) -> "DeskChoice":
        known = {a.value for a in Amenity}
        return cls(
            desk_id=choice.space_id,
            code=choice.code,
            floor_id=strawberry.ID(encode_id("Floor", choice.floor_id)),
            floor_name=choice.floor_name,
            building_id=strawberry.ID(encode_id("Building", choice.building_id)),
            building_name=choice.building_name,
            zone_name=choice.zone_name,
            amenities=[Amenity(a) for a in choice.amenities if a in known],
            distance_metres=choice.distance_m,
            teammates_on_floor=choice.teammates_on_floor,
        )


@strawberry.type(description="The desks `findDesks` found, best first.")
class DeskChoices:
    date: dt.date = strawberry.field(description="The local day searched (each building's own time zone).")
    nodes: list[DeskChoice] = strawberry.field(
        description="The choices, best first; empty when nothing fits. (Named `nodes` like a page of a connection: "
        "`first` bounds it.)"
    )


FindDesksResult = Annotated[
    DeskChoices | ValidationError,
    strawberry.union(
        "FindDesksResult",
        description="The ranked desks; a ValidationError for a day in the past (PAST_DAY) or more than "
        f"{MAX_DAYS_AHEAD} days ahead (TOO_FAR_AHEAD), `first` outside 1..{MAX_RESULTS} or more than "
        f"{MAX_FILTER_IDS} ids in a filter (OUT_OF_RANGE), or a malformed id (INVALID_ID).",
    ),
]


@strawberry.type
class DeskSearchQuery:
    @strawberry.field(
        description="Free desks you could book for the whole of `date` (each building's local day), across floors "
        "and buildings: in `buildingIds` and `floorIds` when given (both narrow the search; ids of places that do "
        "not exist match nothing), with every one of `amenities`. With `nearTeam` (the default), desks on floors "
        "where your teammates (your org unit) hold a desk that day come first, nearest to one of them first "
        "(metres on the floor plan); then desks in your home building; then by building, floor and desk code "
        f"(A2 before A10). At most `first` (1..{MAX_RESULTS}) choices."
    )
    async def find_desks(
        self,
        info: Info,
        date: dt.date,
        building_ids: list[strawberry.ID] | None = None,
        floor_ids: list[strawberry.ID] | None = None,
        amenities: list[Amenity] | None = None,
        near_team: bool = True,
        first: int = 20,
    ) -> FindDesksResult:
        viewer = info.context.require_viewer()
        info.context.require_scope(Scope.PLACES_READ, Scope.OCCUPANCY_READ_AGGREGATE)
        search = DeskSearch(
            day=date,
            building_ids=_ids(building_ids, "Building", "buildingIds"),
            floor_ids=_ids(floor_ids, "Floor", "floorIds"),
            amenities=tuple(a.value for a in amenities or ()),
            near_team=near_team,
            limit=first,
        )
        found = await info.context.runtime.desk_search.find(viewer, search)
        return DeskChoices(date=date, nodes=[DeskChoice.of(c) for c in found])


def _ids(values: list[strawberry.ID] | None, type_name: str, field: str) -> list[int] | None:
    if values is None:
        return None
    return [decode_id(v, type_name, field) for v in values[: MAX_FILTER_IDS + 1]]
