"""The schema root: each domain's queries and mutations merged, plus the extensions every request runs."""

from collections.abc import Iterable, Iterator, Mapping
from functools import cache, lru_cache
from typing import Any

from strawberry import Schema
from strawberry.extensions import ParserCache, SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import validate_document
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.graphql import OperationType
from strawberry.utils.logging import StrawberryLogger

from graphql import DocumentNode, GraphQLError, GraphQLSchema
from smartoffice.api.error_codes import CodedMaskErrors, ValidationCodes, coded, log_level
from smartoffice.api.errors import map_domain_errors
from smartoffice.api.execution import PlainValuesFirst
from smartoffice.api.limits import RequestLimits
from smartoffice.api.nodes import NodeQuery
from smartoffice.api.scalars import SCALARS
from smartoffice.attendance.api.operations import AttendanceMutation, AttendanceQuery
from smartoffice.audit.api.queries import AuditQuery
from smartoffice.bookings.api.checkin import CheckInMutation
from smartoffice.bookings.api.desk_search import DeskSearchQuery
from smartoffice.bookings.api.listing import BookingsListQuery
from smartoffice.bookings.api.mutations import BookingsMutation, BookingsQuery
from smartoffice.bookings.api.required_days import RequiredDaysMutation
from smartoffice.bookings.api.rules import BookingRulesMutation, BookingRulesQuery
from smartoffice.hr.api.mutations import HrMutation
from smartoffice.identity.api.mutations import IdentityMutation, IdentityQuery
from smartoffice.integrations.api.operations import IntegrationsMutation, IntegrationsQuery, IntegrationsSubscription
from smartoffice.notifications.api.admin import NotificationAdminMutation, NotificationAdminQuery
from smartoffice.notifications.api.mutations import NotificationsMutation
from smartoffice.notifications.api.queries import NotificationsQuery
from smartoffice.people.api.mutations import PeopleMutation
from smartoffice.people.api.queries import PeopleQuery
from smartoffice.places.api.closures import ClosuresMutation, ClosuresQuery
from smartoffice.places.api.mutations import PlacesMutation
from smartoffice.places.api.plan import FloorPlanMutation
from smartoffice.places.api.queries import PlacesQuery
from smartoffice.planning.api.anchor_planner import AnchorPlannerMutation, AnchorPlannerQuery
from smartoffice.planning.api.forecast import ForecastQuery
from smartoffice.planning.api.queries import PlanningQuery
from smartoffice.policies.api.mutations import PoliciesMutation
from smartoffice.policies.api.preview import PolicyPreviewQuery
from smartoffice.policies.api.queries import PoliciesQuery
from smartoffice.policies.api.unit_reports import UnitReportsQuery
from smartoffice.quotas.api.operations import QuotasMutation, QuotasQuery
from smartoffice.waitlist.api.operations import WaitlistMutation, WaitlistQuery
from smartoffice.workcalendar.api.queries import CalendarMutation, CalendarQuery

Query = merge_types(
    "Query",
    (
        NodeQuery,
        PlacesQuery,
        PlanningQuery,
        AnchorPlannerQuery,
        ForecastQuery,
        PeopleQuery,
        BookingsQuery,
        BookingsListQuery,
        CalendarQuery,
        PoliciesQuery,
        UnitReportsQuery,
        PolicyPreviewQuery,
        QuotasQuery,
        IdentityQuery,
        IntegrationsQuery,
        AuditQuery,
        ClosuresQuery,
        BookingRulesQuery,
        WaitlistQuery,
        DeskSearchQuery,
        AttendanceQuery,
        NotificationAdminQuery,
        NotificationsQuery,
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        BookingsMutation,
        CalendarMutation,
        CheckInMutation,
        RequiredDaysMutation,
        PeopleMutation,
        PlacesMutation,
        PoliciesMutation,
        QuotasMutation,
        HrMutation,
        FloorPlanMutation,
        IdentityMutation,
        IntegrationsMutation,
        ClosuresMutation,
        BookingRulesMutation,
        WaitlistMutation,
        AttendanceMutation,
        AnchorPlannerMutation,
        NotificationAdminMutation,
        NotificationsMutation,
    ),
)
Subscription = merge_types("Subscription", (IntegrationsSubscription,))
map_domain_errors(Query, Mutation)


VALIDATION_CACHE_SIZE = 256


class _Validation:
    """A validation cache key: the schema, the query's text, the parse options and the rules, carrying the parsed
    document for a miss. Its hash is the text's (computed once per string by Python), not the document's."""

    __slots__ = ("document", "key", "rules", "schema")

    def __init__(
        self,
        schema: GraphQLSchema,
        query: str,
        parse_options: Mapping[str, Any],
        rules: tuple[type[Any], ...],
        document: DocumentNode,
    ) -> None:
        self.schema, self.rules, self.document = schema, rules, document
        self.key = (id(schema), query, tuple(sorted(parse_options.items())), rules)

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Validation) and self.schema is other.schema and self.key == other.key


@lru_cache(maxsize=VALIDATION_CACHE_SIZE)
def _validated(validation: _Validation) -> list[GraphQLError]:
    return validate_document(validation.schema, validation.document, validation.rules)


class TextValidationCache(SchemaExtension):
    """strawberry's ``ValidationCache``, keyed on the query's text instead of the parsed document.

    The stock extension keys its LRU on graphql-core's ``DocumentNode``, whose ``__hash__`` walks the whole tree on
    every request, cache hit or not (18 µs for ``bookDesk``'s document, 240 µs for the bench's ``myWeek``, a fifth of
    a ``{ __typename }`` request). The document is a function of the text and the parse options (``ParserCache``
    parses each pair once), so the same key decides; the rules stay in it (the cost budget and the introspection
    gate differ by caller, see :class:`~smartoffice.api.limits.RequestLimits`)."""

    def on_validate(self) -> Iterator[None]:
        execution = self.execution_context
        document, query = execution.graphql_document, execution.query
        if document is not None and query is not None:
            rules = tuple(execution.validation_rules)
            validation = _Validation(execution.schema._schema, query, execution.parse_options, rules, document)
            execution.pre_execution_errors = _validated(validation)
        yield


class _Schema(Schema):
    debug = False
    """Whether bugs' messages are shown (else masked as "Unexpected error.")."""

    async def execute(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        """Queries and mutations only: subscriptions live at /graphql/ws (``subscribe``). Over HTTP one ran into a
        masked "Unexpected error."; strawberry now refuses it as a 400 before anything runs."""
        allowed = set(allowed_operation_types or OperationType) - {OperationType.SUBSCRIPTION}
        result = await super().execute(
            query, variable_values, context_value, root_value, operation_name, allowed, operation_extensions
        )
        if result.errors:  # every error coded, whichever step it came from (smartoffice.api.error_codes)
            result.errors = coded(result.errors, debug=self.debug)
        return result

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """Logged before masking: a bug at ERROR with its traceback, overload at WARNING, the client's own
        refusals (parse, validation, domain, authentication) at INFO, so that nobody can fill the error log."""
        for error in errors:
            level, traceback = log_level(error)
            StrawberryLogger.logger.log(level, "%s", error, exc_info=traceback)

    @staticmethod
    def remove_field_suggestion(error: GraphQLError) -> None:
        """No "Did you mean ...?" at all (strawberry strips it from unknown fields only): with introspection off,
        suggestions would let a caller guess the schema's fields, arguments, types and enum values."""
        if " Did you mean " in error.message:
            error.message = error.message.split(" Did you mean ")[0].strip()


@cache
def build_schema(*, debug: bool = False) -> Schema:
    """The schema, built once per process for each ``debug`` (an app mounts it three times: ``/graphql``,
    ``/api/graphql`` and the subscriptions; the test suite creates an app per test). It holds no request state."""
    # Factories, not instances: strawberry gives each request its own extension objects (a shared instance's
    # execution_context would be overwritten by a concurrent request). The caches are module-level (the parser's
    # keyed by maxsize, the validation's :func:`_validated`), so they are still shared.
    extensions: list[Any] = [
        RequestLimits,
        lambda: ParserCache(maxsize=256),
        TextValidationCache,
        ValidationCodes,
    ]
    if not debug:
        extensions.append(CodedMaskErrors)  # shows domain, authentication and GraphQL's own errors, masks bugs
    schema = _Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        execution_context_class=PlainValuesFirst,
        config=StrawberryConfig(auto_camel_case=True, disable_field_suggestions=True, scalar_map=SCALARS),
    )
    schema.debug = debug
    return schema


def schema_sdl() -> str:
    """The SDL that ``smartoffice export-schema`` writes to ``graphql/schema.graphql``."""
    return build_schema().as_str().rstrip() + "\n"
