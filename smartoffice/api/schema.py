"""The schema root: each domain's queries and mutations merged, plus the extensions every request runs."""

from strawberry import Schema
from strawberry.extensions import MaskErrors, ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from graphql import GraphQLError
from smartoffice.bookings.checkin_mutations import CheckInMutation
from smartoffice.bookings.mutations import BookingsMutation, BookingsQuery
from smartoffice.errors import DomainError
from smartoffice.people.queries import PeopleQuery
from smartoffice.places.queries import PlacesQuery
from smartoffice.workcalendar.queries import CalendarMutation, CalendarQuery

Query = merge_types("Query", (PlacesQuery, PeopleQuery, BookingsQuery, CalendarQuery))
Mutation = merge_types("Mutation", (BookingsMutation, CalendarMutation, CheckInMutation))


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
