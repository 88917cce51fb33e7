"""grantRole / revokeRole / roleAssignments over GraphQL (the rules themselves: tests/integration/
test_roles_service.py)."""

from typing import Any

import pytest

from smartoffice.ids import encode_id
from tests.factories import Factory
from tests.support.graphql import GraphQL
from tests.support.org_chart import OrgChart, build_org_chart


@pytest.fixture
async def org(factory: Factory) -> OrgChart:
    return await build_org_chart(factory)


async def run(graphql: GraphQL, name: str, variables: dict[str, Any] | None = None, **options: Any) -> Any:
    body = await graphql(name, variables, **options)
    assert "errors" not in body, body
    (result,) = body["data"].values()
    return result


def nodes(connection: dict[str, Any]) -> list[dict[str, Any]]:
    assert connection["__typename"] == "RoleAssignmentConnection", connection
    return [edge["node"] for edge in connection["edges"]]


def role_input(employee_id: int, role: str, scope: tuple[str, int] | None = None) -> dict[str, Any]:
    values = {"employeeId": encode_id("Employee", employee_id), "role": role}
    if scope is not None:
        values["scopeId"] = encode_id(*scope)
    return {"input": values}


async def test_an_admin_grants_lists_and_revokes(graphql: GraphQL, org: OrgChart) -> None:
    grant = role_input(org.staff[0].id, "FACILITIES_MANAGER", ("Site", org.site.id))

    granted = await run(graphql, "GrantRole", grant, as_employee=org.admin.id)
    listed = await run(
        graphql,
        "RoleAssignments",
        {"filter": {"employeeId": encode_id("Employee", org.staff[0].id)}},
        as_employee=org.admin.id,
    )
    revoked = await run(graphql, "RevokeRole", grant, as_employee=org.admin.id)
    after = await run(graphql, "RoleAssignments", {"filter": {"role": "FACILITIES_MANAGER"}}, as_employee=org.admin.id)

    assert granted["__typename"] == "GrantRoleSuccess"
    assert granted["assignment"] == {
        "role": "FACILITIES_MANAGER",
        "scopeId": encode_id("Site", org.site.id),
        "derived": False,
        "revocable": True,
        "employee": {"id": encode_id("Employee", org.staff[0].id), "name": "Staf 1"},
    }
    assert [(e["node"]["role"], e["node"]["employee"]["name"]) for e in listed["edges"]] == [
        ("FACILITIES_MANAGER", "Staf 1")
    ]
    assert revoked["__typename"] == "RevokeRoleSuccess"
    assert after["edges"] == [] and after["pageInfo"] == {"hasNextPage": False, "endCursor": None}


async def test_heads_by_position_are_listed_derived(graphql: GraphQL, org: OrgChart) -> None:
    listed = await run(graphql, "RoleAssignments", {"filter": {"role": "UNIT_MANAGER"}}, as_employee=org.director.id)

    assert [(a["employee"]["name"], a["scopeId"], a["derived"], a["revocable"]) for a in nodes(listed)] == [
        ("Direktur", encode_id("OrgUnit", org.directorate.id), True, False)
    ]


async def test_a_unit_manager_grants_in_their_unit_but_never_admin(graphql: GraphQL, org: OrgChart) -> None:
    team = await run(
        graphql,
        "GrantRole",
        role_input(org.lead.id, "UNIT_MANAGER", ("OrgUnit", org.team.id)),
        as_employee=org.director.id,
    )
    admin = await run(graphql, "GrantRole", role_input(org.vice.id, "ADMIN"), as_employee=org.director.id)
    sibling = await run(
        graphql,
        "GrantRole",
        role_input(org.vice.id, "UNIT_MANAGER", ("OrgUnit", org.sibling.id)),
        as_employee=org.director.id,
        language="id",
    )

    assert team["__typename"] == "GrantRoleSuccess"
    assert (admin["__typename"], admin["code"]) == ("PermissionDeniedError", "ONLY_ADMINS_GRANT_ADMIN")
    assert (sibling["__typename"], sibling["code"]) == ("PermissionDeniedError", "NOT_YOUR_SCOPE")


async def test_bad_input(graphql: GraphQL, org: OrgChart) -> None:
    scoped_admin = await run(
        graphql, "GrantRole", role_input(org.vice.id, "ADMIN", ("Site", org.site.id)), as_employee=org.admin.id
    )
    wrong_kind = await run(
        graphql, "GrantRole", role_input(org.vice.id, "UNIT_MANAGER", ("Site", org.site.id)), as_employee=org.admin.id
    )
    last = await run(graphql, "RevokeRole", role_input(org.admin.id, "ADMIN"), as_employee=org.admin.id)

    assert (scoped_admin["__typename"], scoped_admin["field"], scoped_admin["code"]) == (
        "ValidationError",
        "scopeId",
        "SCOPE_NOT_ALLOWED",
    )
    assert (wrong_kind["__typename"], wrong_kind["field"], wrong_kind["code"]) == (
        "ValidationError",
        "scopeId",
        "INVALID_ID",
    )
    assert (last["__typename"], last["code"]) == ("ValidationError", "LAST_ADMIN")


async def test_not_for_anonymous(graphql: GraphQL, org: OrgChart) -> None:
    body = await graphql("GrantRole", role_input(org.vice.id, "ADMIN"))

    assert body["data"] is None and body["errors"]
