"""Property-based fuzzing of the GraphQL API (issue 5): bad input gets a clear, typed error and changes nothing.

schemathesis loads the schema by introspection from the running app and generates documents for every root
field, queries and mutations (hypothesis-graphql underneath): arguments of every shape the schema allows, two in
three of them valid, with ids, dates and times drawn mostly from a small seeded world (so that the services'
deepest paths run) and otherwise from anywhere. Each door is fuzzed as its most powerful caller: ``/api/graphql``
with a token holding every scope, owned by an administrator, and ``/graphql`` in demo mode as that administrator
(``X-Demo-Employee``).

Then the operations of ``graphql/operations/`` (the ones apps send) with hostile variables: edge dates (years 1
and 9999, leap days, instants past the ends of the calendar in UTC), numbers no int or float holds (thousands of
digits, 1e400, -0; NaN spelled as a string), over-long text and odd recurrence rules, each leaf hostile one time in
three so that the others reach the services. And hostile bodies: nesting (JSON 100,000 deep, GraphQL selections,
lists and objects), bytes that are not UTF-8, huge numbers, documents long in comments or tokens.

Every answer must be a GraphQL answer below 500 (or 503 ``BUSY``: overload is no bug) in which every error carries
``extensions.code`` and none is the masked "Unexpected error." (an exception nobody expected) or a broken non-null
promise; a mutation answered with an ``Error`` member, or refused outright, must leave every table's row count as
it was; and no two active bookings may ever overlap. Around the documents, any JSON body (not an object, members
of the wrong type, a batch, ...) must get such an answer too.

Bounded and reproducible for CI: ``EXAMPLES`` documents per operation and door, derandomized, no shrinking (every
example changes the shared world, so a replay is not the same experiment; a failure prints its document instead).
About 1,500 requests, 40-70 s per database on a 2-core machine. To explore: ``SMARTOFFICE_FUZZ_EXAMPLES=50
SMARTOFFICE_FUZZ_RANDOM=1`` (a new random run each time). The bugs it found are pinned in test_fuzz_regressions.py.
"""

import os
from collections.abc import AsyncIterator
from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import strategies as st
from litestar.testing import AsyncTestClient
from schemathesis.generation import GenerationMode
from schemathesis.specs.graphql.scalars import CUSTOM_SCALARS
from schemathesis.specs.graphql.schemas import GraphQLSchema

import graphql
from smartoffice.api.doors import API_GRAPHQL_PATH
from smartoffice.api.schema import schema_sdl
from smartoffice.identity.scopes import Scope
from smartoffice.runtime import Runtime, open_runtime, redis_client
from smartoffice.settings import Settings
from tests.factories import Factory
from tests.support.apps import client_for
from tests.support.auth import bearer, issue_token
from tests.support.bookings import overlapping_pairs
from tests.support.database import empty_database
from tests.support.fuzz_world import (
    World,
    assert_graphql_answer,
    error_members,
    hostile_variables,
    prepare,
    scalar_strategies,
    seed,
    table_counts,
)
from tests.support.graphql import OPERATIONS as OPERATIONS_DIR
from tests.support.graphql import operation as operation_document
from tests.support.hostile import HOSTILE_BODIES, encode_json

EXAMPLES = int(os.environ.get("SMARTOFFICE_FUZZ_EXAMPLES", "6"))
"""Per operation and door."""
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
    async with client_for(fuzz_settings) as client:
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


SUBSCRIPTION_FILES = {"FloorAvailabilityChanged", "MyBookingsChanged"}
OPERATION_FILES = sorted(p.stem for p in OPERATIONS_DIR.glob("*.graphql") if p.stem not in SUBSCRIPTION_FILES)
"""The operations apps send (subscriptions go over the WebSocket, not these doors)."""


@pytest.mark.parametrize("name", OPERATION_FILES)
@pytest.mark.parametrize("door", ["token", "demo"])
@FUZZ_SETTINGS
@hypothesis.given(data=st.data())
async def test_hostile_variables_get_a_coded_answer_and_change_nothing(
    data: st.DataObject,
    door: str,
    name: str,
    fuzz_client: AsyncTestClient,
    fuzz_runtime: Runtime,
    live_schema: GraphQLSchema,
    world: World,
    doors: dict[str, tuple[str, dict[str, str]]],
) -> None:
    # given
    document = operation_document(name)
    parsed = graphql.parse(document)
    variables = data.draw(hostile_variables(parsed, live_schema.client_schema, world), label="variables")
    body = encode_json({"query": document, "variables": variables}).encode()
    is_mutation = any(
        isinstance(d, graphql.OperationDefinitionNode) and d.operation == graphql.OperationType.MUTATION
        for d in parsed.definitions
    )
    path, headers = doors[door]
    before = await table_counts(fuzz_runtime.db) if is_mutation else None

    # when
    response = await fuzz_client.post(path, content=body, headers={**headers, "content-type": "application/json"})

    # then
    sent = f"{name} with variables {body.decode()[-3000:]}"
    try:
        answer = response.json()
    except ValueError:
        pytest.fail(f"{response.status_code} with a body that is not JSON for\n{sent}\n{response.text}")
    assert_graphql_answer(response.status_code, answer, sent)
    if is_mutation:
        results = list((answer.get("data") or {}).values())
        refused = not results or all(r is None or r.get("__typename") in error_members(live_schema) for r in results)
        if refused:
            assert await table_counts(fuzz_runtime.db) == before, f"a refused mutation changed the database:\n{sent}"
        assert await overlapping_pairs(fuzz_runtime.db) == 0, f"overlapping active bookings after\n{sent}"


@pytest.mark.parametrize("door", ["token", "demo"])
@hypothesis.settings(FUZZ_SETTINGS, max_examples=5 * EXAMPLES)
@hypothesis.given(body=HOSTILE_BODIES)
async def test_a_hostile_body_gets_a_coded_answer(
    body: bytes, door: str, fuzz_client: AsyncTestClient, doors: dict[str, tuple[str, dict[str, str]]]
) -> None:
    path, headers = doors[door]

    response = await fuzz_client.post(path, content=body, headers={**headers, "content-type": "application/json"})

    assert_graphql_answer(response.status_code, response.json(), f"body {body[:300]!r}... ({len(body)} bytes)")
