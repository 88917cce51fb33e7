"""Every top-level error carries ``extensions.code`` (issue 10, item 5: 43 graphql-core refusals had none).

The codes are Apollo Server's where it has one (``smartoffice.api.error_codes`` holds the table)."""

import json
import logging
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from smartoffice.db import Database
from smartoffice.identity.scopes import Scope
from tests.factories import Factory
from tests.support.auth import bearer, issue_token
from tests.support.hostile import graphql_errors

PAGE = "query($first: Int!) { myBookings(first: $first) { __typename } }"
CASES: list[tuple[str, str, dict[str, Any] | None, str]] = [
    ("a syntax error", "{ myBookings(", None, "GRAPHQL_PARSE_FAILED"),
    (
        "a document nested too deeply to parse",
        "{" + "viewer { " * 300 + "id" + " }" * 300 + "}",
        None,
        "GRAPHQL_PARSE_FAILED",
    ),
    ("too many tokens", "{" + " __typename" * 2_500 + " }", None, "MAX_TOKENS_EXCEEDED"),
    ("an unknown field", "{ nope }", None, "GRAPHQL_VALIDATION_FAILED"),
    ("an unknown argument", "{ viewer(x: 1) { id } }", None, "GRAPHQL_VALIDATION_FAILED"),
    ("an argument of the wrong type", '{ myBookings(first: "ten") { __typename } }', None, "GRAPHQL_VALIDATION_FAILED"),
    (
        "a literal a custom scalar refuses",
        '{ myWeek(weekOf: "2024-02-30") { __typename } }',
        None,
        "GRAPHQL_VALIDATION_FAILED",
    ),
    ("a missing selection", "{ myBookings }", None, "GRAPHQL_VALIDATION_FAILED"),
    ("an unused variable", "query($x: Int) { __typename }", None, "GRAPHQL_VALIDATION_FAILED"),
    ("an undefined variable", "{ myBookings(first: $x) { __typename } }", None, "GRAPHQL_VALIDATION_FAILED"),
    ("a required variable not sent", PAGE, None, "BAD_USER_INPUT"),
    ("a variable of the wrong type", PAGE, {"first": "ten"}, "BAD_USER_INPUT"),
    ("an Int variable past 32 bits", PAGE, {"first": 2**31}, "BAD_USER_INPUT"),
    (
        "a Date variable that is no date",
        "query($d: Date) { myWeek(weekOf: $d) { __typename } }",
        {"d": "2024-02-30"},
        "BAD_USER_INPUT",
    ),
]


@pytest.fixture
async def doors(factory: Factory, db: Database) -> list[tuple[str, dict[str, str]]]:
    person = await factory.employee()
    secret = await issue_token(db, person.id, *Scope)
    return [("/graphql", {"x-demo-employee": str(person.id)}), ("/api/graphql", bearer(secret))]


@pytest.mark.parametrize(("case", "document", "variables", "code"), CASES, ids=[c[0] for c in CASES])
async def test_every_refusal_has_a_code(
    client: AsyncTestClient,
    doors: list[tuple[str, dict[str, str]]],
    case: str,
    document: str,
    variables: dict[str, Any] | None,
    code: str,
) -> None:
    for path, headers in doors:
        response = await client.post(path, json={"query": document, "variables": variables}, headers=headers)

        assert response.status_code == 200, case
        errors = graphql_errors(response.json())
        assert errors, f"{case}: no error at {path}"
        assert {c for _message, c in errors} == {code}, f"{case} at {path}: {errors}"
        assert all(message != "Unexpected error." for message, _c in errors), f"{case} at {path}: {errors}"


async def test_an_anonymous_caller_gets_unauthenticated(client: AsyncTestClient) -> None:
    response = await client.post("/graphql", json={"query": "{ myBookings { __typename } }"})

    assert [code for _m, code in graphql_errors(response.json())] == ["UNAUTHENTICATED"]


async def test_the_clients_own_refusals_are_not_logged_as_errors(
    client: AsyncTestClient, doors: list[tuple[str, dict[str, str]]], caplog: pytest.LogCaptureFixture
) -> None:
    """strawberry logged every refusal at ERROR, the whole document with it: anyone could fill the error log."""
    path, headers = doors[0]

    with caplog.at_level(logging.INFO, logger="strawberry.execution"):
        for _case, document, variables, _code in CASES:
            await client.post(
                path,
                content=json.dumps({"query": document, "variables": variables}),
                headers={
                    **headers,
                    "content-type": "application/json",
                },
            )

    execution = [r for r in caplog.records if r.name == "strawberry.execution"]
    assert len(execution) >= len(CASES)
    assert [r.getMessage()[:80] for r in execution if r.levelno >= logging.WARNING] == []
