"""``placeSpaces``: the floor plan editor's save over GraphQL (``runtime.plan_editor``).

Apps need ``places:write``; the person (or the app's owner) must manage the floor's site or be an administrator,
which the service decides inside its transaction. The desk CSV import is on the pages only
(``/admin/places/floors/{id}/plan``): a file upload with a preview is a page's job.
"""

from typing import Annotated

import strawberry

from smartoffice.api.context import Info
from smartoffice.api.errors import NotFoundError, PermissionDeniedError, ValidationError
from smartoffice.audit.record import Actor
from smartoffice.identity.scopes import Scope
from smartoffice.ids import decode_id, decode_space_id, encode_id
from smartoffice.places.api.types import Floor
from smartoffice.places.plan_editing import Placement
from smartoffice.places.service import SPACE_TYPE_NAMES


@strawberry.input(
    description="Where one desk or meeting room goes, in metres from the floor plan's top-left corner. Give "
    "`spaceId` to move, resize, rotate or renumber a space, or `copyOf` to create a copy of one."
)
class SpacePlacementInput:
    space_id: strawberry.ID | None = strawberry.field(
        default=None, description="The desk or meeting room placed (a space of the floor)."
    )
    copy_of: strawberry.ID | None = strawberry.field(
        default=None,
        description="Without `spaceId`: create a new space like this one (kind, zone, amenities, capacity, booking "
        "settings; no owner, approvers or name) at this place and code.",
    )
    code: str = strawberry.field(description="The space's code, unique on its floor (1–32 characters, no spaces).")
    x: float = strawberry.field(description="Left edge, metres from the plan's left.")
    y: float = strawberry.field(description="Top edge, metres from the plan's top.")
    width: float = strawberry.field(description="Width in metres, over 0.")
    height: float = strawberry.field(description="Depth in metres, over 0.")
    rotation: float = strawberry.field(default=0.0, description="Degrees clockwise about the centre, 0–360.")

    def to_placement(self, index: int) -> Placement:
        field = f"placements.{index}"
        return Placement(
            code=self.code,
            x=self.x,
            y=self.y,
            width=self.width,
            height=self.height,
            rotation=self.rotation,
            space_id=decode_space_id(self.space_id, f"{field}.spaceId") if self.space_id is not None else None,
            copy_of=decode_space_id(self.copy_of, f"{field}.copyOf") if self.copy_of is not None else None,
        )


@strawberry.input(description="One save of the floor plan editor: every placement is applied, or none.")
class PlaceSpacesInput:
    floor_id: strawberry.ID = strawberry.field(description="The floor whose spaces are placed.")
    placements: list[SpacePlacementInput] = strawberry.field(
        description="At most 2,000. Spaces not listed stay as they are; nothing is deleted."
    )
    expected_version: str | None = strawberry.field(
        default=None,
        description="`Floor.planVersion` as you read it: if someone changed the plan since, nothing is saved "
        "(ValidationError PLAN_CHANGED on expectedVersion). Leave it out only to overwrite on purpose.",
    )


@strawberry.type(description="The placements are saved.")
class PlaceSpacesSuccess:
    floor: Floor = strawberry.field(description="The floor as it is now.")
    plan_version: str = strawberry.field(description="The floor's plan version now: the next save's expectedVersion.")
    updated_space_ids: list[strawberry.ID] = strawberry.field(description="The spaces that changed.")
    created_space_ids: list[strawberry.ID] = strawberry.field(description="The copies created, in input order.")


PlaceSpacesResult = Annotated[
    PlaceSpacesSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("PlaceSpacesResult"),
]


@strawberry.type
class FloorPlanMutation:
    @strawberry.mutation(
        description="Move, resize, rotate, renumber and copy a floor's desks and meeting rooms in one transaction "
        "(the floor plan editor's save). Facilities managers of the floor's site and administrators; apps need "
        "places:write. Audited as space.update / space.create, one entry per space."
    )
    async def place_spaces(self, info: Info, input: PlaceSpacesInput) -> PlaceSpacesResult:
        info.context.require_scope(Scope.PLACES_WRITE)
        actor = Actor(info.context.require_viewer(), info.context.via)
        floor_id = decode_id(input.floor_id, "Floor", "floorId")
        placements = [p.to_placement(i) for i, p in enumerate(input.placements)]
        runtime = info.context.runtime
        result = await runtime.plan_editor.save_placements(actor, floor_id, placements, input.expected_version)

        def global_id(ident: int) -> strawberry.ID:
            return strawberry.ID(encode_id(SPACE_TYPE_NAMES[result.kinds[ident]], ident))

        return PlaceSpacesSuccess(
            floor=Floor.from_layout(await runtime.layouts.get(floor_id)),
            plan_version=result.version,
            updated_space_ids=[global_id(i) for i in result.updated],
            created_space_ids=[global_id(i) for i in result.created],
        )
