"""Place queries: sites (and through them everything else), a floor, a desk."""

import strawberry

from smartoffice.api.context import Info
from smartoffice.api.ids import decode_id
from smartoffice.errors import DomainError, NotFound
from smartoffice.places import service as places
from smartoffice.places.models import SpaceKind
from smartoffice.places.types import Desk, Floor, Site


def id_or_none(value: strawberry.ID, type_name: str) -> int | None:
    """A query's id argument: a malformed id finds nothing (null), like an unknown one."""
    try:
        return decode_id(value, type_name, "id")
    except DomainError:
        return None


@strawberry.type
class PlacesQuery:
    @strawberry.field(description="Every site (campus) and, through it, buildings, floors and desks.")
    async def sites(self, info: Info) -> list[Site]:
        async with info.context.runtime.db.read() as session:
            return [Site.from_model(s) for s in await places.list_sites(session)]

    @strawberry.field(description="A floor by id, or null if there is none.")
    async def floor(self, info: Info, id: strawberry.ID) -> Floor | None:
        floor_id = id_or_none(id, "Floor")
        if floor_id is None:
            return None
        try:
            return Floor.from_model(await info.context.loaders.places.floor_by_id.load(floor_id))
        except NotFound:
            return None

    @strawberry.field(description="A desk by id, or null if there is none.")
    async def desk(self, info: Info, id: strawberry.ID) -> Desk | None:
        desk_id = id_or_none(id, "Desk")
        if desk_id is None:
            return None
        try:
            row = await info.context.loaders.places.space_by_id.load(desk_id)
        except NotFound:
            return None
        return Desk.from_model(row) if row.kind == SpaceKind.DESK else None
