"""GraphQL over the real ASGI app: requests go through litestar, strawberry, the services and the databases."""

from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from tests.support.apps import client_for
from tests.support.graphql import GraphQL, operation


@pytest.fixture
async def client(settings: Settings, runtime: Runtime) -> AsyncIterator[AsyncTestClient]:
    # `runtime` is requested so the database is emptied after the test.
    async with client_for(settings) as test_client:
        yield test_client


@pytest.fixture
def graphql(client: AsyncTestClient) -> GraphQL:
    """Run an operation from graphql/operations/ (or a literal document) and return the JSON body."""

    async def run(
        name_or_document: str,
        variables: dict[str, Any] | None = None,
        *,
        as_employee: int | None = None,
        language: str | None = None,
    ) -> dict[str, Any]:
        document = operation(name_or_document) if name_or_document.isidentifier() else name_or_document
        headers = {"x-demo-employee": str(as_employee)} if as_employee is not None else {}
        if language:
            headers["accept-language"] = language
        response = await client.post(
            "/graphql", json={"query": document, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    return run
