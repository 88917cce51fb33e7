"""Property-based fuzzing of the GraphQL API (issue 5): bad input gets a clear, typed error and changes nothing.

schemathesis loads the schema by introspection from the running app and generates documents for every root
field, queries and mutations (hypothesis-graphql underneath): arguments of every shape the schema allows, two in
three of them valid, with ids, dates and times drawn mostly from a small seeded world (so that the services'
deepest paths run) and otherwise from anywhere. Each door is fuzzed as its most powerful caller: ``/api/graphql``
with a token holding every scope, owned by an administrator, and ``/graphql`` in demo mode as that administrator
(``X-Demo-Employee``).

Every answer must be a GraphQL answer below 500 in which no error is the masked "Unexpected error." (an exception
nobody expected) or a broken non-null promise; a mutation answered with an ``Error`` member, or refused outright,
must leave every table's row count as it was; and no two active bookings may ever overlap. Around the documents,
any JSON body (not an object, members of the wrong type, a batch, ...) must get a GraphQL answer below 500 too.

Bounded and reproducible for CI: ``EXAMPLES`` documents per operation and door, derandomized, no shrinking (every
example changes the shared world, so a replay is not the same experiment; a failure prints its document instead).
About 800 requests, 20-40 s per database on a 2-core machine. To explore: ``SMARTOFFICE_FUZZ_EXAMPLES=50
SMARTOFFICE_FUZZ_RANDOM=1`` (a new random run each time). The bugs it found are pinned in test_fuzz_regressions.py.
"""

import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import strategies as st
from litestar.testing import AsyncTestClient
from schemathesis.generation import GenerationMode
from schemathesis.graphql import nodes
from schemathesis.specs.graphql.scalars import CUSTOM_SCALARS
from schemathesis.specs.graphql.schemas import GraphQLSchema
from sqlalchemy import func, select, union_all
from strawberry.extensions import MaskErrors
from strawberry.relay import GlobalID

import graphql
from smartoffice.api.doors import API_GRAPHQL_PATH
from smartoffice.api.schema import schema_sdl
from smartoffice.app import create_app
from smartoffice.db import Database
from smartoffice.identity.scopes import Scope
from smartoffice.ids import encode_id
from smartoffice.models import Base
from smartoffice.people.models import Role
from smartoffice.policies.models import ExemptionStatus
from smartoffice.runtime import Runtime, open_runtime, redis_client
from smartoffice.settings import Settings
from tests.factories import Factory
from tests.support.auth import bearer, issue_token
from tests.support.bookings import overlapping_pairs
from tests.support.database import empty_database

EXAMPLES = int(os.environ.get("SMARTOFFICE_FUZZ_EXAMPLES", "6"))
"""Per operation and door."""
MASKED_MESSAGE = MaskErrors().error_message
"""What an unexpected exception becomes outside debug mode (smartoffice.api.schema masks everything but domain,
permission and GraphQL errors)."""
NON_NULL_BROKEN = "Cannot return null for non-nullable field"
GENERATION_MODES = [GenerationMode.POSITIVE, GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
"""Two in three documents are valid; the others break the schema (a null for a non-null argument, a string for an
Int, ...) and must be refused by validation, never reach a resolver."""
FUZZ_SETTINGS = hypothesis.settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("SMARTOFFICE_FUZZ_RANDOM") != "1",  # 1: explore beyond CI's fixed examples
    database=None,
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    suppress_health_check=[
        hypothesis.HealthCheck.function_scoped_fixture,  # one world for the module, on purpose
        hypothesis.HealthCheck.too_slow,
        hypothesis.HealthCheck.filter_too_much,
        hypothesis.HealthCheck.data_too_large,
    ],
)
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
    dates = st.one_of(near_days, near_days, st.dates()).map(date.isoformat)
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
    )
    return {
        "ID": ids.map(nodes.String),
        "Date": dates.map(nodes.String),
        "Time": times.map(nodes.String),
        "DateTime": instants.map(nodes.String),
    }


@pytest.fixture(scope="module")
async def fuzz_settings(database_url: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        data_dir=tmp_path_factory.mktemp("fuzz"),
        database_url=database_url,
        redis_url=redis_url,
        secret_key="test-secret-key-for-csrf-and-sessions-0123456789",
        migrate_on_start=False,
        run_jobs=False,
        demo_mode=True,
    )


@pytest.fixture(scope="module")
async def fuzz_runtime(fuzz_settings: Settings, redis_url: str) -> AsyncIterator[Runtime]:
    """One runtime and one world for the module: every operation is fuzzed in the world the ones before it left
    (seeding per operation would cost more than the fuzzing). Emptied at the end, as ``runtime`` does per test."""
    async with open_runtime(fuzz_settings) as runtime:
        yield runtime
    redis = redis_client(redis_url)
    await empty_database(fuzz_settings.resolved_database_url, redis)
    await redis.aclose()


@pytest.fixture(scope="module")
async def fuzz_client(fuzz_settings: Settings, fuzz_runtime: Runtime) -> AsyncIterator[AsyncTestClient]:
    async with AsyncTestClient(app=create_app(fuzz_settings)) as client:
        yield client


@pytest.fixture(scope="module")
async def world(fuzz_runtime: Runtime, fuzz_client: AsyncTestClient) -> AsyncIterator[World]:
    seeded = await seed(Factory(fuzz_runtime.db), fuzz_client)
    with pytest.MonkeyPatch.context() as patch:
        for name, strategy in scalar_strategies(seeded).items():
            patch.setitem(CUSTOM_SCALARS, name, strategy)  # schemathesis's registry, restored afterwards
        yield seeded


@pytest.fixture(scope="module")
async def live_schema(fuzz_client: AsyncTestClient, world: World) -> GraphQLSchema:
    """The schema as the running app tells it by introspection."""
    response = await fuzz_client.post(
        "/graphql",
        json={"query": graphql.get_introspection_query()},
        headers={"x-demo-employee": str(world.admin_id)},
    )
    return schemathesis.graphql.from_dict(response.json()["data"])


@pytest.fixture(scope="module")
async def doors(fuzz_runtime: Runtime, world: World) -> dict[str, tuple[str, dict[str, str]]]:
    """Where and how the fuzzer calls: an administrator's token with every scope, or the demo header."""
    secret = await issue_token(fuzz_runtime.db, world.admin_id, *Scope, rate_limit=1_000_000)
    return {
        "token": (API_GRAPHQL_PATH, bearer(secret)),
        "demo": ("/graphql", {"x-demo-employee": str(world.admin_id)}),
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
    assert status < 500, f"{status} for\n{query}\n{body}"
    assert isinstance(body, dict) and ("data" in body or "errors" in body), f"not a GraphQL answer for\n{query}\n{body}"
    for error in body.get("errors") or []:
        message = error.get("message")
        assert isinstance(message, str), f"an error without a message for\n{query}\n{body}"
        assert message != MASKED_MESSAGE, f"an unexpected exception for\n{query}\n{body}"
        assert NON_NULL_BROKEN not in message, f"a broken non-null promise for\n{query}\n{body}"


OPERATIONS = [result.ok().label for result in schemathesis.graphql.from_file(schema_sdl()).get_all_operations()]
"""Every root field of the schema the app serves (``Query.sites``, ``Mutation.bookDesk``, ...)."""


@pytest.mark.parametrize("operation_label", OPERATIONS)
@pytest.mark.parametrize("door", ["token", "demo"])
@FUZZ_SETTINGS
@hypothesis.given(data=st.data())
async def test_bad_input_gets_a_typed_answer_and_changes_nothing(
    data: st.DataObject,
    door: str,
    operation_label: str,
    fuzz_client: AsyncTestClient,
    fuzz_runtime: Runtime,
    live_schema: GraphQLSchema,
    world: World,
    doors: dict[str, tuple[str, dict[str, str]]],
) -> None:
    # given
    operation = live_schema.find_operation_by_label(operation_label)
    assert operation is not None, f"{operation_label} is not in the schema the app serves"
    mode = data.draw(st.sampled_from(GENERATION_MODES), label="mode")
    case = data.draw(operation.as_strategy(generation_mode=mode), label=operation_label)
    sent = prepare(case.body, world, live_schema)
    path, headers = doors[door]
    before = await table_counts(fuzz_runtime.db) if sent.is_mutation else None

    # when
    response = await fuzz_client.post(path, json={"query": sent.query}, headers=headers)

    # then
    try:
        body = response.json()
    except ValueError:
        pytest.fail(f"{response.status_code} with a body that is not JSON for\n{sent.query}\n{response.text}")
    assert_graphql_answer(response.status_code, body, sent.query)
    if sent.is_mutation:
        result = (body.get("data") or {}).get(sent.root_field)
        if result is None or result.get("__typename") in error_members(live_schema):
            after = await table_counts(fuzz_runtime.db)
            assert after == before, f"a refused mutation changed the database:\n{sent.query}\n{body}"
        assert await overlapping_pairs(fuzz_runtime.db) == 0, f"overlapping active bookings after\n{sent.query}\n{body}"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=8,
)
ENVELOPES = JSON | st.fixed_dictionaries(
    {},
    optional={
        "query": st.sampled_from(["{ __typename }", "query A { viewer { id } }", "subscription { x }", ""]) | JSON,
        "variables": JSON,
        "operationName": st.sampled_from(["A", "B"]) | JSON,
        "extensions": JSON,
    },
)
"""Request bodies around a document: any JSON value, or an object with the four members of any type."""


@pytest.mark.parametrize("door", ["token", "demo"])
@hypothesis.settings(FUZZ_SETTINGS, max_examples=10 * EXAMPLES)
@hypothesis.given(body=ENVELOPES)
async def test_any_json_body_gets_a_graphql_answer(
    body: Any, door: str, fuzz_client: AsyncTestClient, doors: dict[str, tuple[str, dict[str, str]]]
) -> None:
    path, headers = doors[door]

    response = await fuzz_client.post(path, json=body, headers=headers)

    assert_graphql_answer(response.status_code, response.json(), f"body {body!r}")
