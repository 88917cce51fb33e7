"""The token administration examples in graphql/operations/ run as documented, one after another."""

from litestar.testing import AsyncTestClient

from smartoffice.ids import encode_id
from smartoffice.people.models import Role
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.auth import bearer, login_session
from tests.support.graphql import GraphQL


async def test_issue_list_revoke_and_end_sessions(
    graphql: GraphQL, client: AsyncTestClient, factory: Factory, runtime: Runtime
) -> None:
    admin, kiosk = await factory.employee(), await factory.employee(name="Kios Presensi")
    await factory.role(admin, Role.ADMIN)
    owner = encode_id("Employee", kiosk.id)
    await login_session(runtime, kiosk.id)

    issued = await graphql(
        "IssueApiToken",
        {"input": {"name": "e-presensi", "scopes": ["BOOKINGS_READ"], "ownerId": owner, "rateLimit": 60}},
        as_employee=admin.id,
    )
    token = issued["data"]["issueApiToken"]["token"]
    listed = await graphql("ApiTokens", {}, as_employee=admin.id)
    revoked = await graphql("RevokeApiToken", {"input": {"tokenId": token["id"]}}, as_employee=admin.id)
    refused = await client.post(
        "/api/graphql", json={"query": "{ __typename }"}, headers=bearer(issued["data"]["issueApiToken"]["secret"])
    )
    ended = await graphql("RevokeSessions", {"input": {"employeeId": owner}}, as_employee=admin.id)

    assert token["ownerId"] == owner and token["scopes"] == ["BOOKINGS_READ"] and token["rateLimit"] == 60
    connection = listed["data"]["apiTokens"]
    assert [edge["node"]["id"] for edge in connection["edges"]] == [token["id"]]
    assert connection["pageInfo"]["hasNextPage"] is False
    assert revoked["data"]["revokeApiToken"]["token"]["isActive"] is False
    assert refused.status_code == 401
    assert ended["data"]["revokeSessions"] == {"__typename": "RevokeSessionsSuccess", "revokedCount": 1}
