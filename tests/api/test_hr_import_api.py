"""``importPerformanceRatings`` and ``importDisciplineCases`` over the ASGI app: an app with ``hr:write`` owned by an
administrator upserts, all or nothing; the scope, the owner's role and the size of a call are checked."""

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from smartoffice.identity.models import ApiToken
from smartoffice.identity.scopes import Scope
from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from tests.factories import Factory
from tests.support.apps import client_for
from tests.support.auth import bearer, issue_token
from tests.support.graphql import operation
from tests.support.hr_records import audit_count, audit_rows, cases, ratings
from tests.support.policies import Team, build_team


@pytest.fixture
async def team(factory: Factory) -> Team:
    return await build_team(factory)


@pytest.fixture
async def client(settings: Settings, runtime: Runtime) -> AsyncIterator[AsyncTestClient]:
    """The app with room in a request's body for 5,001 items (the default limit would refuse it with a 413)."""
    async with client_for(replace(settings, graphql_max_body_bytes=4 * 1024 * 1024)) as test:
        yield test


async def call(
    client: AsyncTestClient, secret: str, name: str, variables: dict[str, Any], *, language: str = "en"
) -> dict[str, Any]:
    response = await client.post(
        "/api/graphql",
        json={"query": operation(name), "variables": variables},
        headers={**bearer(secret), "accept-language": language},
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def rating_items(*rows: tuple[str, int, str]) -> dict[str, Any]:
    return {"input": {"ratings": [{"nip": nip, "period": period, "rating": rating} for nip, period, rating in rows]}}


async def test_an_admins_app_imports_ratings_and_the_same_call_again_changes_nothing(
    client: AsyncTestClient, runtime: Runtime, team: Team
) -> None:
    secret = await issue_token(runtime.db, team.admin.id, Scope.HR_WRITE)
    variables = rating_items((team.staff[0].nip, 2025, "BAIK"), (team.staff[1].nip, 2025, "KURANG"))

    first = await call(client, secret, "ImportPerformanceRatings", variables)
    again = await call(client, secret, "ImportPerformanceRatings", variables)

    result = first["data"]["importPerformanceRatings"]
    assert result == {
        "__typename": "ImportPerformanceRatingsSuccess",
        "counts": {"created": 2, "updated": 0, "unchanged": 0},
    }
    assert again["data"]["importPerformanceRatings"]["counts"] == {"created": 0, "updated": 0, "unchanged": 2}
    assert await ratings(runtime.db) == {(team.staff[0].nip, 2025): "baik", (team.staff[1].nip, 2025): "kurang"}
    async with runtime.db.read() as session:
        token_id = await session.scalar(select(ApiToken.id))
    logged = await audit_rows(runtime.db)
    assert [(e["action"], e["actor_id"], e["via"]) for e in logged] == [
        ("performance_rating.create", team.admin.id, f"token:{token_id}")
    ] * 2


async def test_a_token_without_the_scope_is_refused(client: AsyncTestClient, runtime: Runtime, team: Team) -> None:
    secret = await issue_token(runtime.db, team.admin.id, *(s for s in Scope if s != Scope.HR_WRITE))

    body = await call(client, secret, "ImportPerformanceRatings", rating_items((team.staff[0].nip, 2025, "BAIK")))

    assert body["data"] is None or body["data"]["importPerformanceRatings"] is None
    assert [(e["extensions"]["code"], e["extensions"]["scope"]) for e in body["errors"]] == [
        ("INSUFFICIENT_SCOPE", "hr:write")
    ]
    assert await ratings(runtime.db) == {}


async def test_an_app_owned_by_someone_who_is_no_admin_is_refused(
    client: AsyncTestClient, runtime: Runtime, team: Team
) -> None:
    secret = await issue_token(runtime.db, team.head.id, Scope.HR_WRITE)  # a unit manager, not an admin

    body = await call(client, secret, "ImportDisciplineCases", {"input": {"cases": []}})

    result = body["data"]["importDisciplineCases"]
    assert (result["__typename"], result["code"]) == ("PermissionDeniedError", "ADMINS_ONLY")


async def test_a_bad_item_is_named_by_its_index_and_nothing_is_written(
    client: AsyncTestClient, runtime: Runtime, team: Team
) -> None:
    secret = await issue_token(runtime.db, team.admin.id, Scope.HR_WRITE)
    variables = rating_items(
        (team.staff[0].nip, 2025, "BAIK"),
        ("199912312020121999", 2025, "BAIK"),  # nobody has this NIP
        (team.staff[1].nip, 1990, "BAIK"),  # too old a year
        (team.staff[0].nip, 2025, "SANGAT_BAIK"),  # item 0 again
    )

    body = await call(client, secret, "ImportPerformanceRatings", variables)

    result = body["data"]["importPerformanceRatings"]
    assert (result["__typename"], result["code"]) == ("HrItemsInvalidError", "ITEMS_INVALID")
    assert [(p["index"], p["field"], p["code"]) for p in result["problems"]] == [
        (1, "nip", "NIP_UNKNOWN"),
        (2, "period", "PERIOD_INVALID"),
        (3, "period", "RATING_REPEATED_ITEM"),
    ]
    assert result["problems"][1]["message"].startswith("period 1990 is not a year from 2000 to ")
    assert await ratings(runtime.db) == {} and await audit_count(runtime.db) == 0


async def test_cases_are_upserted_by_reference_and_a_closing_before_the_opening_is_refused(
    client: AsyncTestClient, runtime: Runtime, team: Team
) -> None:
    secret = await issue_token(runtime.db, team.admin.id, Scope.HR_WRITE)
    nip = team.staff[0].nip
    opened = {"nip": nip, "reference": "800/7/KEP/2026", "status": "ACTIVE", "openedOn": "2026-06-01"}
    await call(client, secret, "ImportDisciplineCases", {"input": {"cases": [opened]}})

    closed = {**opened, "status": "CLOSED", "closedOn": "2026-06-30"}
    updated = await call(client, secret, "ImportDisciplineCases", {"input": {"cases": [closed]}})
    backwards = {**opened, "reference": "800/8", "status": "CLOSED", "closedOn": "2026-05-01"}
    refused = await call(client, secret, "ImportDisciplineCases", {"input": {"cases": [backwards]}}, language="id")

    assert updated["data"]["importDisciplineCases"]["counts"] == {"created": 0, "updated": 1, "unchanged": 0}
    assert await cases(runtime.db) == {(nip, "800/7/KEP/2026"): ("closed", "2026-06-01", "2026-06-30")}
    [problem] = refused["data"]["importDisciplineCases"]["problems"]
    assert (problem["index"], problem["field"], problem["code"]) == (0, "closedOn", "CLOSED_BEFORE_OPENED")


async def test_more_than_5000_items_are_refused(client: AsyncTestClient, runtime: Runtime, team: Team) -> None:
    secret = await issue_token(runtime.db, team.admin.id, Scope.HR_WRITE)
    items = rating_items(*[(team.staff[0].nip, 2025, "BAIK")] * 5_001)

    body = await call(client, secret, "ImportPerformanceRatings", items)

    result = body["data"]["importPerformanceRatings"]
    assert (result["__typename"], result["field"], result["code"]) == ("ValidationError", "ratings", "TOO_MANY_ITEMS")
    assert result["message"] == "At most 5000 items per call: send the rest in further calls"
    assert await ratings(runtime.db) == {}
