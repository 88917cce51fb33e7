"""The GraphQL fuzzer's world and its judge (tests/api/test_fuzz_graphql.py): the seeded objects whose ids the
generated documents use, how a generated document is prepared, and what every answer must be."""

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from hypothesis import strategies as st
from litestar.testing import AsyncTestClient
from schemathesis.graphql import nodes
from schemathesis.specs.graphql.schemas import GraphQLSchema
from sqlalchemy import func, select, union_all
from strawberry.relay import GlobalID

import graphql
from smartoffice.api.error_codes import MASKED_MESSAGE
from smartoffice.busy import BUSY_CODE
from smartoffice.db import Database
from smartoffice.identity.scopes import Scope
from smartoffice.ids import encode_id
from smartoffice.models import Base
from smartoffice.people.models import Role
from smartoffice.policies.models import ExemptionStatus
from tests.factories import Factory
from tests.support.auth import issue_token
from tests.support.hostile import EDGE_DATES, EDGE_INSTANTS, EDGE_TIMES, HUGE_NUMBERS, NUMBER_STRINGS, Raw

NON_NULL_BROKEN = "Cannot return null for non-nullable field"


NODE_TYPES = [
    "ApiToken",
    "Booking",
    "Building",
    "Desk",
    "Employee",
    "Exemption",
    "Floor",
    "MeetingRoom",
    "Organisation",
    "OrgUnit",
    "Policy",
    "Site",
    "WebhookSubscription",
]


ID_KINDS = {
    "bookingId": ("Booking",),
    "buildingId": ("Building",),
    "deskId": ("Desk",),
    "employeeId": ("Employee",),
    "exemptionId": ("Exemption",),
    "floorId": ("Floor",),
    "forEmployeeId": ("Employee",),
    "organisationId": ("Organisation",),
    "orgUnitId": ("OrgUnit",),
    "ownerId": ("Employee",),
    "policyId": ("Policy",),
    "roomId": ("MeetingRoom",),
    "spaceId": ("Desk", "MeetingRoom"),
    "subscriptionId": ("WebhookSubscription",),
    "tokenId": ("ApiToken",),
    "unitId": ("OrgUnit",),
    "desk.id": ("Desk",),
    "floor.id": ("Floor",),
}
"""What an ``ID`` argument or input field names, by its name (or ``field.argument``)."""


@dataclass(frozen=True)
class World:
    """The seeded objects' Relay global ids, and the administrator the fuzzer acts as."""

    admin_id: int
    ids: list[str]
    today: date

    def typed(self, sent: str, kinds: tuple[str, ...]) -> str:
        """A seeded id of one of ``kinds`` in place of the seeded id ``sent``; always the same one for ``sent``."""
        candidates = [i for i in self.ids if GlobalID.from_id(i).type_name in kinds]
        return candidates[self.ids.index(sent) % len(candidates)] if candidates else sent


class TypedIds(graphql.Visitor):
    """Gives each seeded id the type its argument expects (``deskId`` a desk's, ...). The generator picks ids
    without knowing where they go; ids not seeded (random, malformed, of another type) are left as drawn."""

    def __init__(self, world: World) -> None:
        super().__init__()
        self.world = world

    def _typed(self, name: str, value: graphql.ValueNode) -> graphql.ValueNode:
        kinds = ID_KINDS.get(name)
        if kinds is None or not isinstance(value, graphql.StringValueNode) or value.value not in self.world.ids:
            return value
        return replace(value, value=self.world.typed(value.value, kinds))

    def enter_object_field(self, node: graphql.ObjectFieldNode, *_: Any) -> graphql.ObjectFieldNode:
        return replace(node, value=self._typed(node.name.value, node.value))

    def enter_field(self, node: graphql.FieldNode, *_: Any) -> graphql.FieldNode:
        def key(argument: str) -> str:
            qualified = f"{node.name.value}.{argument}"
            return qualified if qualified in ID_KINDS else argument

        arguments = tuple(replace(a, value=self._typed(key(a.name.value), a.value)) for a in node.arguments or ())
        return replace(node, arguments=arguments)


BOOK_DESK = """mutation($input: BookDeskInput!) {
  bookDesk(input: $input) { __typename ... on BookSuccess { booking { id } } }
}"""
BOOK_ROOM = """mutation($input: BookRoomInput!) {
  bookRoom(input: $input) { __typename ... on BookSuccess { booking { id } } }
}"""
SUBSCRIBE = """mutation($input: CreateWebhookSubscriptionInput!) {
  createWebhookSubscription(input: $input) {
    __typename ... on CreateWebhookSubscriptionSuccess { subscription { id } }
  }
}"""
TOKENS = "{ apiTokens(includeInactive: true) { ... on ApiTokenConnection { edges { node { id } } } } }"


async def seed(factory: Factory, client: AsyncTestClient) -> World:
    """One building with three desks and a room needing approval, an organisation with a unit, an administrator,
    a unit manager and a member, two bookings, a policy, a pending exemption, a webhook subscription and a token."""
    building = await factory.building()
    floor = await factory.floor(building)
    zone = await factory.zone(floor)
    desks = [await factory.desk(floor, zone_id=zone.id) for _ in range(3)]
    room = await factory.room(floor, requires_approval=True)
    organisation = await factory.organisation()
    unit = await factory.unit(organisation)
    admin, manager, member = [await factory.employee(unit) for _ in range(3)]
    await factory.role(admin, Role.ADMIN)
    await factory.role(manager, Role.UNIT_MANAGER, org_unit_id=unit.id)
    await factory.approver(room, manager)
    today = datetime.now(UTC).date()
    policy = await factory.policy({"max_remote_days_per_week": 2}, organisation_id=organisation.id)
    exemption = await factory.exemption(
        member, today, today + timedelta(days=30), status=ExemptionStatus.PENDING, remote_days_per_week=3
    )
    await issue_token(factory.db, admin.id, Scope.BOOKINGS_READ)

    async def run(document: str, variables: dict[str, Any], as_employee: int) -> dict[str, Any]:
        response = await client.post(
            "/graphql", json={"query": document, "variables": variables}, headers={"x-demo-employee": str(as_employee)}
        )
        body: dict[str, Any] = response.json()
        assert "errors" not in body, body
        return body["data"]

    tomorrow = (today + timedelta(days=1)).isoformat()
    room_input = {
        "roomId": encode_id("MeetingRoom", room.id),
        "date": tomorrow,
        "startTime": "10:00",
        "endTime": "11:00",
    }
    desk_booking = await run(
        BOOK_DESK, {"input": {"deskId": encode_id("Desk", desks[0].id), "date": tomorrow}}, member.id
    )
    room_booking = await run(BOOK_ROOM, {"input": room_input}, member.id)
    subscription = await run(
        SUBSCRIBE, {"input": {"url": "https://hooks.example.go.id/so", "eventKinds": ["CREATED"]}}, admin.id
    )
    tokens = await run(TOKENS, {}, admin.id)
    ids = [
        encode_id("Site", building.site_id),
        encode_id("Building", building.id),
        encode_id("Floor", floor.id),
        *(encode_id("Desk", desk.id) for desk in desks),
        encode_id("MeetingRoom", room.id),
        encode_id("Organisation", organisation.id),
        encode_id("OrgUnit", unit.id),
        *(encode_id("Employee", person.id) for person in (admin, manager, member)),
        encode_id("Policy", policy.id),
        encode_id("Exemption", exemption.id),
        desk_booking["bookDesk"]["booking"]["id"],
        room_booking["bookRoom"]["booking"]["id"],
        subscription["createWebhookSubscription"]["subscription"]["id"],
        *(edge["node"]["id"] for edge in tokens["apiTokens"]["edges"]),
    ]
    return World(admin_id=admin.id, ids=ids, today=today)


def scalar_strategies(world: World) -> dict[str, st.SearchStrategy[graphql.ValueNode]]:
    """Most values are ones the services can act on (seeded ids, the next weeks, times on the 15-minute grid
    around opening hours), the others come from anywhere."""
    near_days = st.integers(-7, 40).map(lambda n: world.today + timedelta(days=n))
    slot_times = st.integers(6 * 4, 20 * 4 - 1).map(lambda n: time(n // 4, n % 4 * 15))
    seeded_ids = st.sampled_from(world.ids)
    ids = st.one_of(
        seeded_ids,
        seeded_ids,  # a second time: three of four ids name a seeded object (one_of picks a branch evenly)
        seeded_ids,
        st.builds(encode_id, st.sampled_from(NODE_TYPES), st.integers(-(2**70), 2**70)),
        st.text(max_size=24),
    )
    near_dates = near_days.map(date.isoformat)
    dates = st.one_of(near_dates, near_dates, st.dates().map(date.isoformat), EDGE_DATES)
    times = st.one_of(
        slot_times.map(time.isoformat),
        slot_times.map(time.isoformat),
        st.times().map(time.isoformat),
        st.sampled_from(["", "24:00", "9", "09:00+08:00", "T09:00"]),
    )
    instants = st.one_of(
        st.builds(lambda d, t: datetime.combine(d, t, UTC).isoformat(), near_days, slot_times),
        st.datetimes(timezones=st.just(UTC)).map(datetime.isoformat),
        st.datetimes().map(datetime.isoformat),  # naive: must be refused, never stored
        EDGE_INSTANTS,
    )
    return {
        "ID": ids.map(nodes.String),
        "Date": dates.map(nodes.String),
        "Time": times.map(nodes.String),
        "DateTime": instants.map(nodes.String),
    }


async def table_counts(db: Database) -> dict[str, int]:
    """Rows per table: a refused mutation must not add or remove any."""
    tables = Base.metadata.sorted_tables
    counts = union_all(*(select(func.count()).select_from(table) for table in tables))
    async with db.read() as session:
        return dict(zip([t.name for t in tables], (await session.execute(counts)).scalars(), strict=True))


@dataclass(frozen=True)
class Prepared:
    query: str
    """The generated query with ``__typename`` selected on its root field, to tell an ``Error`` member."""
    root_field: str
    is_mutation: bool


def field(name: str) -> graphql.FieldNode:
    return graphql.FieldNode(name=graphql.NameNode(value=name), arguments=(), directives=())


def prepare(query: str, world: World, schema: GraphQLSchema) -> Prepared:
    """The generated query with typed ids, and ``__typename`` and an ``Error``'s ``message`` selected on its root
    field (to tell a refusal from a success, and to say what was refused in a failure)."""
    document = graphql.visit(graphql.parse(query), TypedIds(world))
    operation = next(d for d in document.definitions if isinstance(d, graphql.OperationDefinitionNode))
    root, *others = operation.selection_set.selections
    assert isinstance(root, graphql.FieldNode)
    root_type = schema.client_schema.get_root_type(operation.operation)
    assert root_type is not None
    returns = graphql.get_named_type(root_type.fields[root.name.value].type)
    if root.selection_set is not None:  # AST nodes are frozen: rebuild the path down to the root field
        extra: list[graphql.SelectionNode] = [field("__typename")]
        if isinstance(returns, graphql.GraphQLUnionType) and error_members(schema) & {t.name for t in returns.types}:
            on_error = graphql.NamedTypeNode(name=graphql.NameNode(value="Error"))
            message = graphql.SelectionSetNode(selections=(field("message"),))
            extra.append(graphql.InlineFragmentNode(type_condition=on_error, selection_set=message, directives=()))
        selections = replace(root.selection_set, selections=(*extra, *root.selection_set.selections))
        root_set = replace(operation.selection_set, selections=(replace(root, selection_set=selections), *others))
        definitions = [replace(d, selection_set=root_set) if d is operation else d for d in document.definitions]
        document = replace(document, definitions=tuple(definitions))
    is_mutation = operation.operation == graphql.OperationType.MUTATION
    return Prepared(graphql.print_ast(document), (root.alias or root.name).value, is_mutation)


def error_members(schema: GraphQLSchema) -> set[str]:
    """The result-union members that implement ``Error``: a mutation answered with one was refused."""
    error = schema.client_schema.get_type("Error")
    assert isinstance(error, graphql.GraphQLInterfaceType)
    return {member.name for member in schema.client_schema.get_possible_types(error)}


def assert_graphql_answer(status: int, body: Any, query: str) -> None:
    """Below 500, or 503 ``BUSY`` (overload is no bug); a GraphQL answer; every error with a message and a code,
    none of them the masked "Unexpected error." (an exception nobody expected) or a broken non-null promise."""
    assert isinstance(body, dict) and ("data" in body or "errors" in body), f"not a GraphQL answer for\n{query}\n{body}"
    errors = body.get("errors") or []
    codes = [(error.get("extensions") or {}).get("code") for error in errors]
    assert status < 500 or (status == 503 and codes == [BUSY_CODE]), f"{status} for\n{query}\n{body}"
    for error, code in zip(errors, codes, strict=True):
        message = error.get("message")
        assert isinstance(message, str), f"an error without a message for\n{query}\n{body}"
        assert message != MASKED_MESSAGE, f"an unexpected exception for\n{query}\n{body}"
        assert NON_NULL_BROKEN not in message, f"a broken non-null promise for\n{query}\n{body}"
        assert isinstance(code, str) and code, f"an error without extensions.code for\n{query}\n{body}"


RRULES = st.sampled_from(
    ["FREQ=SECONDLY", "FREQ=DAILY;INTERVAL=0", "FREQ=DAILY;COUNT=100000", "FREQ=WEEKLY;UNTIL=00010101T000000Z"]
)
MAX_INPUT_NESTING = 4


@st.composite
def hostile_variables(
    draw: st.DrawFn, document: graphql.DocumentNode, schema: graphql.GraphQLSchema, world: World
) -> dict[str, Any]:
    """Variables for an operation of graphql/operations/, each of its type: one leaf hostile (an edge date, a huge
    number, NaN spelled as a string, over-long text, an odd recurrence rule) and the others values the services can
    act on, so that the hostile one reaches as deep as it can (one bad leaf among many would stop at coercion)."""
    operation = next(d for d in document.definitions if isinstance(d, graphql.OperationDefinitionNode))
    leaves = _Leaves(draw, world, hostile_at=draw(st.integers(0, 7), label="hostile leaf"))
    variables = {}
    for definition in operation.variable_definitions or ():
        type_ = graphql.type_from_ast(schema, definition.type)
        assert type_ is not None and graphql.is_input_type(type_)
        variables[definition.variable.name.value] = leaves.value(type_, definition.variable.name.value, 0)
    return variables


@dataclass
class _Leaves:
    draw: st.DrawFn
    world: World
    hostile_at: int
    drawn: int = 0

    def value(self, type_: Any, name: str, depth: int) -> Any:
        inner = graphql.get_nullable_type(type_)
        if depth > MAX_INPUT_NESTING or (not graphql.is_non_null_type(type_) and self.draw(st.integers(0, 4)) == 0):
            return None
        if isinstance(inner, graphql.GraphQLList):
            return [self.value(inner.of_type, name, depth + 1) for _ in range(self.draw(st.integers(0, 3)))]
        if isinstance(inner, graphql.GraphQLInputObjectType):
            return {
                field_name: self.value(field.type, field_name, depth + 1)
                for field_name, field in inner.fields.items()
                if graphql.is_required_input_field(field) or self.draw(st.booleans())
            }
        if isinstance(inner, graphql.GraphQLEnumType):
            return self.draw(st.sampled_from(sorted(inner.values)))
        hostile = self.drawn == self.hostile_at
        self.drawn += 1
        return self.draw(_scalar(inner.name, name, self.world, hostile=hostile), label=f"{name} ({inner.name})")


def _scalar(type_name: str, field_name: str, world: World, *, hostile: bool) -> st.SearchStrategy[Any]:
    near_days = st.integers(-7, 40).map(lambda n: world.today + timedelta(days=n))
    slot_times = st.integers(6 * 4, 20 * 4 - 1).map(lambda n: time(n // 4, n % 4 * 15))
    huge = HUGE_NUMBERS.map(Raw)
    kinds = ID_KINDS.get(field_name)
    sane: dict[str, st.SearchStrategy[Any]] = {
        "ID": st.sampled_from(world.ids).map(lambda i: world.typed(i, kinds) if kinds else i),
        "Int": st.integers(0, 50),
        "Float": st.floats(0, 100),
        "Date": near_days.map(date.isoformat),
        "DateTime": st.builds(lambda d, t: datetime.combine(d, t, UTC).isoformat(), near_days, slot_times),
        "Time": slot_times.map(time.isoformat),
        "Boolean": st.booleans(),
        "String": RRULES if "rule" in field_name.lower() else st.text(max_size=20),
    }
    is_hostile = hostile
    hostile_values: dict[str, st.SearchStrategy[Any]] = {
        "ID": huge | st.builds(encode_id, st.sampled_from(NODE_TYPES), st.integers(2**31, 2**70)) | st.just(""),
        "Int": huge | NUMBER_STRINGS,
        "Float": huge | NUMBER_STRINGS,
        "Date": EDGE_DATES,
        "DateTime": EDGE_INSTANTS,
        "Time": EDGE_TIMES,
        "Boolean": NUMBER_STRINGS,
        "String": st.text(min_size=190, max_size=400) | RRULES,
    }
    return hostile_values.get(type_name, huge) if is_hostile else sane.get(type_name, st.text(max_size=20))
