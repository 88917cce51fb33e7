"""Hostile request bodies at both GraphQL doors (issue 10, items 3 and 4): each a 4xx in the GraphQL shape with a
code, never a 500, never executed when it is too large; and an unexpected exception is logged and answered in
that shape too."""

import json
import logging
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from smartoffice.db import Database
from smartoffice.identity.scopes import Scope
from smartoffice.settings import Settings
from tests.factories import Factory
from tests.support.apps import client_for
from tests.support.auth import bearer, issue_token
from tests.support.hostile import asgi_post_chunks, graphql_errors

JSON = {"content-type": "application/json"}
TYPENAME = '{"query": "{ __typename }"}'


@pytest.fixture
async def doors(factory: Factory, db: Database) -> list[tuple[str, dict[str, str]]]:
    person = await factory.employee()
    secret = await issue_token(db, person.id, *Scope)
    return [("/graphql", {"x-demo-employee": str(person.id), **JSON}), ("/api/graphql", {**bearer(secret), **JSON})]


async def post_everywhere(
    client: AsyncTestClient, doors: list[tuple[str, dict[str, str]]], body: bytes
) -> list[tuple[int, Any]]:
    answers = []
    for path, headers in doors:
        response = await client.post(path, content=body, headers=headers)
        answers.append((response.status_code, response.json()))
    return answers


def refusal(message: str, code: str = "BAD_REQUEST") -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


class TestAMalformedBodyIsA400:
    """Each was a 500 with no log record: ``json.loads`` raised something other than ``JSONDecodeError``."""

    async def test_a_hundred_thousand_nested_brackets(
        self, client: AsyncTestClient, doors: list[tuple[str, dict[str, str]]]
    ) -> None:
        body = b"[" * 100_000 + b"]" * 100_000

        answers = await post_everywhere(client, doors, body)

        assert answers == [(400, refusal("The request body is nested deeper than 32 levels."))] * 2

    async def test_nested_brackets_inside_the_variables(
        self, client: AsyncTestClient, doors: list[tuple[str, dict[str, str]]]
    ) -> None:
        body = b'{"query": "{ __typename }", "variables": {"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}"

        answers = await post_everywhere(client, doors, body)

        assert answers == [(400, refusal("The request body is nested deeper than 32 levels."))] * 2

    async def test_variables_nested_less_deeply_than_the_recursion_limit(
        self, client: AsyncTestClient, doors: list[tuple[str, dict[str, str]]]
    ) -> None:
        """They parsed, and then walking the variables ran out of stack: "maximum recursion depth exceeded"."""
        query = "query($a: [[Int]]) { __typename }"
        body = f'{{"query": "{query}", "variables": {{"a": {"[" * 900}{"]" * 900}}}}}'.encode()

        answers = await post_everywhere(client, doors, body)

        assert answers == [(400, refusal("The request body is nested deeper than 32 levels."))] * 2

    async def test_nesting_up_to_the_limit_is_read(
        self, client: AsyncTestClient, doors: list[tuple[str, dict[str, str]]]
    ) -> None:
        body = b'{"query": "{ __typename }", "extensions": {"a": ' + b"[" * 30 + b"]" * 30 + b"}}"

        answers = await post_everywhere(client, doors, body)

        assert answers == [(200, {"data": {"__typename": "Query"}})] * 2

    async def test_a_body_that_is_not_utf8(
        self, client: AsyncTestClient, doors: list[tuple[str, dict[str, str]]]
    ) -> None:
        body = b'{"query": "{ __typename }", "variables": {"name": "Jakarta \xff\xfe"}}'

        answers = await post_everywhere(client, doors, body)

        assert answers == [(400, refusal("The request body is not valid UTF-8 (at byte 59)."))] * 2

    async def test_an_integer_variable_of_five_thousand_digits(
        self, client: AsyncTestClient, doors: list[tuple[str, dict[str, str]]]
    ) -> None:
        body = b'{"query": "query($n: Int) { __typename }", "variables": {"n": ' + b"9" * 5000 + b"}}"

        answers = await post_everywhere(client, doors, body)

        assert answers == [(400, refusal("The request body holds an integer of more than 4300 digits."))] * 2

    @pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
    async def test_numbers_json_does_not_have(
        self, client: AsyncTestClient, doors: list[tuple[str, dict[str, str]]], constant: str
    ) -> None:
        body = f'{{"query": "query($f: Float) {{ __typename }}", "variables": {{"f": {constant}}}}}'.encode()

        answers = await post_everywhere(client, doors, body)

        message = f"{constant} is not a JSON value: send numbers as finite decimals."
        assert answers == [(400, refusal(message))] * 2


class TestAHugeNumberInTheDocument:
    async def test_a_page_size_of_five_thousand_digits_is_a_validation_error(
        self, client: AsyncTestClient, doors: list[tuple[str, dict[str, str]]]
    ) -> None:
        """The cost rule read the literal with ``int()``: ValueError escaped validation, its message shown raw and
        without a code."""
        query = "{ myBookings(first: " + "9" * 5000 + ") { __typename } }"

        answers = await post_everywhere(client, doors, json.dumps({"query": query}).encode())

        for status, body in answers:
            assert status == 200
            [error] = body["errors"]
            assert error["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED"}
            assert error["message"].startswith("Expected value of type 'Int'")


@pytest.fixture
def small_settings(settings: Settings) -> Settings:
    return replace(settings, graphql_max_body_bytes=2_000, graphql_max_document_chars=500)


@pytest.fixture
async def small_client(small_settings: Settings, client: AsyncTestClient) -> AsyncIterator[AsyncTestClient]:
    # `client` is requested for its runtime (emptied after the test); this app has smaller caps.
    async with client_for(small_settings) as test_client:
        yield test_client


class TestTheBodyIsCappedBeforeItIsRead:
    async def test_a_nine_megabyte_comment_is_refused_with_413(
        self, client: AsyncTestClient, doors: list[tuple[str, dict[str, str]]]
    ) -> None:
        """It was executed: 1.2-1.4 s of CPU each (comments and whitespace are no tokens)."""
        body = json.dumps({"query": "#" + "x" * 9_000_000 + "\n{ __typename }"}).encode()

        answers = await post_everywhere(client, doors, body)

        assert answers == [(413, refusal("The request body is larger than 262144 bytes.", "PAYLOAD_TOO_LARGE"))] * 2

    async def test_the_cap_is_the_setting(
        self, small_client: AsyncTestClient, doors: list[tuple[str, dict[str, str]]]
    ) -> None:
        padded = json.dumps({"query": "{ __typename }", "extensions": {"pad": "x" * 1_946}}).encode()
        over = padded.replace(b'"x', b'"xx')

        assert (len(padded), len(over)) == (2_000, 2_001)
        assert await post_everywhere(small_client, doors, padded) == [(200, {"data": {"__typename": "Query"}})] * 2
        answers = await post_everywhere(small_client, doors, over)
        assert answers == [(413, refusal("The request body is larger than 2000 bytes.", "PAYLOAD_TOO_LARGE"))] * 2

    async def test_a_chunked_body_is_not_read_past_the_cap(
        self, small_client: AsyncTestClient, doors: list[tuple[str, dict[str, str]]]
    ) -> None:
        """No Content-Length to refuse it by: reading stops at the first chunk past the cap."""
        path, headers = doors[0]
        chunks = [b'{"query": "{ __typename }", "extensions": {"pad": "'] + [b"x" * 500] * 100 + [b'"}}']

        status, body, chunks_read = await asgi_post_chunks(small_client, path, headers, chunks)

        assert (status, body) == (413, refusal("The request body is larger than 2000 bytes.", "PAYLOAD_TOO_LARGE"))
        assert chunks_read == 5  # 51 + 4 × 500 bytes is past 2,000

    async def test_a_document_longer_than_the_setting_is_refused_before_it_is_parsed(
        self, small_client: AsyncTestClient, doors: list[tuple[str, dict[str, str]]]
    ) -> None:
        """Comments and whitespace count: the parser reads them all (``max_tokens`` does not count them)."""
        at_the_limit = "#" + "x" * (500 - 16) + "\n{ __typename }"
        over_it = "#" + at_the_limit

        assert len(at_the_limit) == 500
        answers = await post_everywhere(small_client, doors, json.dumps({"query": at_the_limit}).encode())
        assert answers == [(200, {"data": {"__typename": "Query"}})] * 2
        answers = await post_everywhere(small_client, doors, json.dumps({"query": over_it}).encode())
        message = (
            "The document has 501 characters; at most 500 are allowed "
            "(comments and whitespace count: the parser reads them all)."
        )
        assert answers == [(400, refusal(message, "MAX_DOCUMENT_SIZE_EXCEEDED"))] * 2


class TestAnUnexpectedExceptionIsLoggedAndGraphQLShaped:
    async def test_in_the_door(
        self,
        client: AsyncTestClient,
        doors: list[tuple[str, dict[str, str]]],
        monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        """A bare ``{"status_code": 500, "detail": "Internal Server Error"}`` and no log record before."""

        def broken(*_: object) -> None:
            raise RuntimeError("the door broke: secret detail")

        monkeypatch.setattr("smartoffice.api.doors.login_of", broken)
        path, headers = doors[0]
        headers = {k: v for k, v in headers.items() if k != "x-demo-employee"}

        with caplog.at_level(logging.ERROR, logger="smartoffice.api.doors"):
            response = await client.post(path, content=TYPENAME.encode(), headers=headers)

        assert (response.status_code, response.json()) == (
            500,
            refusal("Unexpected error.", "INTERNAL_SERVER_ERROR"),
        )
        [record] = [r for r in caplog.records if r.name == "smartoffice.api.doors"]
        assert record.exc_info is not None
        assert "the door broke: secret detail" in str(record.exc_info[1])

    async def test_in_validation_outside_the_masking(
        self,
        client: AsyncTestClient,
        doors: list[tuple[str, dict[str, str]]],
        monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        """strawberry catches an exception raised while validating outside the extensions, so MaskErrors never saw
        it: its message was shown as it was, with no code."""

        def broken(_variables: object) -> tuple[type, ...]:
            raise RuntimeError("a rule broke: secret detail")

        monkeypatch.setattr("smartoffice.api.limits.string_rules", broken)

        with caplog.at_level(logging.ERROR, logger="strawberry.execution"):
            answers = await post_everywhere(client, doors, TYPENAME.encode())

        for status, body in answers:
            assert status == 200
            assert graphql_errors(body) == [("Unexpected error.", "INTERNAL_SERVER_ERROR")]
        tracebacks = [r for r in caplog.records if r.exc_info and "secret detail" in str(r.exc_info[1])]
        assert len(tracebacks) == 2
