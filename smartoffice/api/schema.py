"""The schema root: queries and mutations from every domain, plus the extensions every request runs."""

import strawberry
from strawberry import Schema
from strawberry.extensions import MaskErrors, ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig

from graphql import GraphQLError
from smartoffice.api.context import Info
from smartoffice.api.ids import decode_id
from smartoffice.bookings import mutations as booking_mutations
from smartoffice.bookings.types import BookDeskResult, BookingConnection, CancelBookingResult
from smartoffice.errors import DomainError, NotFound
from smartoffice.people import service as people
from smartoffice.people.types import Employee
from smartoffice.places import service as places
from smartoffice.places.models import SpaceKind
from smartoffice.places.types import Desk, Floor, Site


def _id_or_none(value: strawberry.ID, type_name: str) -> int | None:
    try:
        return decode_id(value, type_name, "id")
    except DomainError:
        return None


@strawberry.type
class Query:
    @strawberry.field(description="Every site (campus) and, through it, buildings, floors and desks.")
    async def sites(self, info: Info) -> list[Site]:
        async with info.context.runtime.db.read() as session:
            return [Site.from_model(s) for s in await places.list_sites(session)]

    @strawberry.field(description="A floor by id, or null if there is none.")
    async def floor(self, info: Info, id: strawberry.ID) -> Floor | None:
        floor_id = _id_or_none(id, "Floor")
        if floor_id is None:
            return None
        try:
            return Floor.from_model(await info.context.loaders.places.floor_by_id.load(floor_id))
        except NotFound:
            return None

    @strawberry.field(description="A desk by id, or null if there is none.")
    async def desk(self, info: Info, id: strawberry.ID) -> Desk | None:
        desk_id = _id_or_none(id, "Desk")
        if desk_id is None:
            return None
        try:
            row = await info.context.loaders.places.space_by_id.load(desk_id)
        except NotFound:
            return None
        return Desk.from_model(row) if row.kind == SpaceKind.DESK else None

    @strawberry.field(description="The person making the request, or null when anonymous.")
    async def viewer(self, info: Info) -> Employee | None:
        if info.context.viewer_id is None:
            return None
        async with info.context.runtime.db.read() as session:
            try:
                return Employee.from_model(await people.get_employee(session, info.context.viewer_id))
            except DomainError:
                return None

    @strawberry.field(description="Your bookings that have not ended yet, in start order.")
    async def my_bookings(self, info: Info, first: int = 20, after: str | None = None) -> BookingConnection:
        return await booking_mutations.my_bookings(info, first, after)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Book a desk for yourself for a day, or part of one.")
    async def book_desk(self, info: Info, input: booking_mutations.BookDeskInput) -> BookDeskResult:
        return await booking_mutations.book_desk(info, input)

    @strawberry.mutation(description="Cancel one of your bookings; its desk is free again at once.")
    async def cancel_booking(self, info: Info, input: booking_mutations.CancelBookingInput) -> CancelBookingResult:
        return await booking_mutations.cancel_booking(info, input)


def _should_mask(error: GraphQLError) -> bool:
    """Show authentication and domain errors and GraphQL's own; hide everything else (bugs) behind a generic message."""
    original = error.original_error
    client_errors = DomainError | PermissionError | GraphQLError  # GraphQLError: e.g. an input value coercion
    return original is not None and not isinstance(original, client_errors)


def build_schema(*, debug: bool = False) -> Schema:
    extensions: list = [ParserCache(maxsize=256), ValidationCache(maxsize=256)]
    if not debug:
        extensions.append(MaskErrors(should_mask_error=_should_mask))
    return Schema(
        query=Query,
        mutation=Mutation,
        extensions=extensions,
        config=StrawberryConfig(auto_camel_case=True),
    )


def schema_sdl() -> str:
    """The SDL that ``smartoffice export-schema`` writes to ``graphql/schema.graphql``."""
    return build_schema().as_str().rstrip() + "\n"
