"""Administering app tokens and login sessions over GraphQL, and a token's life as an app sees it."""

from typing import Any

from litestar.testing import AsyncTestClient

from smartoffice.identity.scopes import Scope
from smartoffice.identity.sessions import SESSION_COOKIE, SessionStore
from smartoffice.ids import encode_id
from smartoffice.people.models import Role
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.auth import bearer, issue_token, login_session
from tests.support.graphql import GraphQL

API = "/api/graphql"
ISSUE = """mutation Issue($input: IssueApiTokenInput!) {
  issueApiToken(input: $input) {
    __typename
    ... on Error { message }
    ... on IssueApiTokenSuccess { secret token { id prefix scopes ownerId isActive expiresAt costBudget } }
  }
}"""
REVOKE = """mutation Revoke($input: RevokeApiTokenInput!) {
  revokeApiToken(input: $input) { __typename ... on RevokeApiTokenSuccess { token { isActive revokedAt } } }
}"""
TOKENS = """query Tokens($all: Boolean!) {
  apiTokens(includeInactive: $all) {
    __typename
    ... on ApiTokenConnection { edges { node { id name prefix isActive } } }
  }
}"""
REVOKE_SESSIONS = """mutation RevokeSessions($input: RevokeSessionsInput!) {
  revokeSessions(input: $input) { __typename ... on RevokeSessionsSuccess { revokedCount } }
}"""


async def admin(factory: Factory) -> int:
    person = await factory.employee()
    await factory.role(person, Role.ADMIN)
    return person.id


async def test_an_admin_issues_lists_and_revokes(graphql: GraphQL, client: AsyncTestClient, factory: Factory) -> None:
    admin_id, app_owner = await admin(factory), await factory.employee(name="Kios Presensi")
    scopes = ["PEOPLE_READ_NAMES", "BOOKINGS_READ"]
    variables = {"input": {"name": "kiosk", "scopes": scopes, "ownerId": encode_id("Employee", app_owner.id)}}

    issued = (await graphql(ISSUE, variables, as_employee=admin_id))["data"]["issueApiToken"]

    assert issued["__typename"] == "IssueApiTokenSuccess"
    token, secret = issued["token"], issued["secret"]
    assert secret.startswith(token["prefix"] + "_") and token["isActive"]
    assert token["scopes"] == ["BOOKINGS_READ", "PEOPLE_READ_NAMES"]
    assert token["ownerId"] == encode_id("Employee", app_owner.id) and token["expiresAt"] is not None
    viewer = await client.post(API, json={"query": "{ viewer { name } }"}, headers=bearer(secret))
    assert viewer.json() == {"data": {"viewer": {"name": "Kios Presensi"}}}

    listed = (await graphql(TOKENS, {"all": False}, as_employee=admin_id))["data"]["apiTokens"]
    assert [e["node"]["prefix"] for e in listed["edges"]] == [token["prefix"]]
    assert secret not in str(listed)

    revoked = (await graphql(REVOKE, {"input": {"tokenId": token["id"]}}, as_employee=admin_id))["data"]
    assert revoked["revokeApiToken"]["token"]["isActive"] is False
    after = await client.post(API, json={"query": "{ viewer { name } }"}, headers=bearer(secret))
    assert after.status_code == 401
    assert (await graphql(TOKENS, {"all": False}, as_employee=admin_id))["data"]["apiTokens"]["edges"] == []
    assert len((await graphql(TOKENS, {"all": True}, as_employee=admin_id))["data"]["apiTokens"]["edges"]) == 1


async def test_only_admins_and_never_tokens(
    graphql: GraphQL, client: AsyncTestClient, factory: Factory, runtime: Runtime
) -> None:
    admin_id, person = await admin(factory), await factory.employee()
    variables = {"input": {"name": "mine", "scopes": ["BOOKINGS_READ"]}}
    secret = await issue_token(runtime.db, admin_id, *Scope)

    by_employee = (await graphql(ISSUE, variables, as_employee=person.id))["data"]["issueApiToken"]
    listing = (await graphql(TOKENS, {"all": True}, as_employee=person.id))["data"]["apiTokens"]
    by_token = (await client.post(API, json={"query": ISSUE, "variables": variables}, headers=bearer(secret))).json()

    assert by_employee == {"__typename": "PermissionDeniedError", "message": "Only administrators may do this"}
    assert listing == {"__typename": "PermissionDeniedError"}
    assert by_token["data"] is None
    assert by_token["errors"][0]["extensions"]["code"] == "SESSIONS_ONLY"


async def test_validation_errors_are_members(graphql: GraphQL, factory: Factory) -> None:
    admin_id = await admin(factory)
    variables = {"input": {"name": "x", "scopes": ["BOOKINGS_READ"], "expiresInDays": 0}}

    result = (await graphql(ISSUE, variables, as_employee=admin_id))["data"]["issueApiToken"]

    assert result == {"__typename": "ValidationError", "message": "expiresInDays must be between 1 and 3650"}


async def test_an_admin_ends_someones_sessions(graphql: GraphQL, factory: Factory, runtime: Runtime) -> None:
    admin_id, person = await admin(factory), await factory.employee()
    sessions = [await login_session(runtime, person.id) for _ in range(2)]
    store = SessionStore(runtime.redis, 60)

    result = await graphql(
        REVOKE_SESSIONS, {"input": {"employeeId": encode_id("Employee", person.id)}}, as_employee=admin_id
    )

    assert result["data"]["revokeSessions"] == {"__typename": "RevokeSessionsSuccess", "revokedCount": 2}
    assert [await store.get(s) for s in sessions] == [None, None]


async def test_over_the_rate_limit_is_429_with_retry_after(
    client: AsyncTestClient, factory: Factory, runtime: Runtime
) -> None:
    person = await factory.employee()
    secret = await issue_token(runtime.db, person.id, Scope.BOOKINGS_READ, rate_limit=2)

    statuses = [
        (await client.post(API, json={"query": "{ __typename }"}, headers=bearer(secret))).status_code for _ in range(2)
    ]
    refused = await client.post(API, json={"query": "{ __typename }"}, headers=bearer(secret))

    assert statuses == [200, 200]
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= runtime.settings.token_rate_window_seconds
    body: dict[str, Any] = refused.json()
    assert body["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


async def test_a_logged_in_admin_uses_graphql_with_the_csrf_header(
    client: AsyncTestClient, factory: Factory, runtime: Runtime
) -> None:
    admin_id = await admin(factory)
    await client.get("/")
    client.cookies.set(SESSION_COOKIE, await login_session(runtime, admin_id))
    variables = {"input": {"name": "from the browser", "scopes": ["PLACES_READ"]}}

    response = await client.post(
        "/graphql",
        json={"query": ISSUE, "variables": variables},
        headers={"x-csrftoken": client.cookies["csrftoken"]},
    )

    assert response.json()["data"]["issueApiToken"]["__typename"] == "IssueApiTokenSuccess"
