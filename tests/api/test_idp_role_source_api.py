"""``roleAssignments`` says how each role is held (granted, from the identity provider's groups, by position), and
``revokeRole`` refuses one that only the identity provider gives (the sync itself: tests/integration/
test_idp_roles.py)."""

from datetime import UTC, datetime
from typing import Any

import pytest

from smartoffice.audit.record import Actor
from smartoffice.identity.idp_roles import RoleGroups, sync_idp_roles
from smartoffice.ids import encode_id
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.graphql import GraphQL
from tests.support.org_chart import OrgChart, build_org_chart


@pytest.fixture
async def org(factory: Factory) -> OrgChart:
    return await build_org_chart(factory)


def nodes(connection: dict[str, Any]) -> list[dict[str, Any]]:
    return [edge["node"] for edge in connection["edges"]]


async def run(graphql: GraphQL, name: str, variables: dict[str, Any], **options: Any) -> Any:
    body = await graphql(name, variables, **options)
    assert "errors" not in body, body
    (result,) = body["data"].values()
    return result


async def test_each_assignment_says_its_source_and_only_granted_ones_are_revocable(
    graphql: GraphQL, org: OrgChart, runtime: Runtime
) -> None:
    # given: the vice director is facilities manager of the site from the provider's groups, and by a grant too
    rules = RoleGroups.parse(f"fm-site=facilities_manager:site:{org.site.code}")
    async with runtime.db.write() as session:
        await sync_idp_roles(
            session, org.vice.id, ["fm-site"], Actor.system("test"), rules=rules, at=datetime(2026, 7, 6, tzinfo=UTC)
        )
    grant = {"employeeId": encode_id("Employee", org.vice.id), "role": "FACILITIES_MANAGER"}
    grant["scopeId"] = encode_id("Site", org.site.id)
    refused = await run(graphql, "RevokeRole", {"input": grant}, as_employee=org.admin.id)
    await run(graphql, "GrantRole", {"input": grant}, as_employee=org.admin.id)

    # when
    listed = await run(graphql, "RoleAssignments", {"filter": {}}, as_employee=org.admin.id)

    # then
    assert (refused["__typename"], refused["field"], refused["code"]) == (
        "ValidationError",
        "role",
        "ROLE_FROM_IDENTITY_PROVIDER",
    )
    held = {(a["employee"]["name"], a["role"], a["source"], a["derived"], a["revocable"]) for a in nodes(listed)}
    assert {
        (org.vice.name, "FACILITIES_MANAGER", "IDENTITY_PROVIDER", False, False),
        (org.vice.name, "FACILITIES_MANAGER", "GRANTED", False, True),
        (org.admin.name, "ADMIN", "GRANTED", False, True),
        (org.director.name, "UNIT_MANAGER", "POSITION", True, False),
    } <= held
