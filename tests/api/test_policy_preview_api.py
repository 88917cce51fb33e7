"""``previewPolicy``: what a new policy would do, with createPolicy's input, permission and refusals; nothing is
saved. The team is the policy tests' (tests.support.policies): four people in the directorate under the national
cap of two remote days."""

from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import func, select

from smartoffice.audit.models import AuditEntry
from smartoffice.identity.scopes import Scope
from smartoffice.ids import encode_id
from smartoffice.policies.models import Policy
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.auth import bearer, issue_token
from tests.support.graphql import GraphQL, operation
from tests.support.policies import MON, build_team


def preview_input(**overrides: Any) -> dict[str, Any]:
    return {
        "input": {
            "code": "MASA-KERJA",
            "name": "Kerja jarak jauh setelah 1000 hari",
            "level": "UNIT",
            "legalBasis": "Keputusan Direktur 9/2026",
            "setBy": "Direktur Perencanaan",
            "effectiveFrom": MON.isoformat(),
            "scope": {},
            "rules": {"eligibility": {"minDaysInPost": 1000}},
            **overrides,
        }
    }


async def counts(runtime: Runtime) -> tuple[int, int]:
    async with runtime.db.read() as session:
        policies = await session.scalar(select(func.count()).select_from(Policy))
        entries = await session.scalar(select(func.count()).select_from(AuditEntry))
    return int(policies or 0), int(entries or 0)


async def test_an_admin_sees_whose_weeks_change_and_nothing_is_saved(
    graphql: GraphQL, factory: Factory, runtime: Runtime
) -> None:
    team = await build_team(factory)
    unit = encode_id("OrgUnit", team.directorate.id)
    before = await counts(runtime)

    body = await graphql("PreviewPolicy", preview_input(scope={"orgUnitId": unit}), as_employee=team.admin.id)

    assert "errors" not in body, body
    preview = body["data"]["previewPolicy"]
    assert preview["__typename"] == "PolicyPreview"
    assert (preview["weekOf"], preview["peopleInScope"], preview["peopleCompared"]) == (MON.isoformat(), 4, 4)
    # placed on 1 January 2024: 917 days in the post on 6 July 2026, fewer than 1000
    assert (preview["peopleChanged"], preview["eligibilityChanged"], preview["becameIneligible"]) == (4, 4, 4)
    assert preview["remoteDays"] == [{"before": 2, "after": 0, "people": 4}]
    assert preview["officeDays"] == [{"before": 3, "after": 5, "people": 4}]
    assert [e["employee"]["name"] for e in preview["examples"]] == ["Atasan Langsung", "Staf 1", "Staf 2", "Staf 3"]
    assert preview["examples"][0]["eligibleBefore"] is True and preview["examples"][0]["eligibleAfter"] is False
    assert await counts(runtime) == before


async def test_refusals_are_create_policys(graphql: GraphQL, factory: Factory) -> None:
    team = await build_team(factory)
    agency = await graphql("PreviewPolicy", preview_input(level="AGENCY"), as_employee=team.head.id)
    duplicate = await graphql(
        "PreviewPolicy", preview_input(code=team.national.code), as_employee=team.admin.id, language="id"
    )
    invalid = await graphql(
        "PreviewPolicy", preview_input(rules={"maxRemoteDaysPerWeek": 9}), as_employee=team.admin.id
    )

    assert agency["data"]["previewPolicy"]["__typename"] == "PermissionDeniedError"
    assert (duplicate["data"]["previewPolicy"]["code"], duplicate["data"]["previewPolicy"]["field"]) == (
        "DUPLICATE_CODE",
        "code",
    )
    assert duplicate["data"]["previewPolicy"]["message"].startswith("Kebijakan dengan kode")
    assert (invalid["data"]["previewPolicy"]["code"], invalid["data"]["previewPolicy"]["field"]) == (
        "INVALID_RULES",
        "rules",
    )


async def test_an_app_token_needs_policies_write(client: AsyncTestClient, factory: Factory, runtime: Runtime) -> None:
    team = await build_team(factory)
    read_only = await issue_token(runtime.db, team.admin.id, Scope.POLICIES_READ, Scope.PEOPLE_READ_NAMES)
    writer = await issue_token(runtime.db, team.admin.id, Scope.POLICIES_WRITE, Scope.PEOPLE_READ_NAMES)
    request = {"query": operation("PreviewPolicy"), "variables": preview_input()}

    refused = (await client.post("/api/graphql", json=request, headers=bearer(read_only))).json()
    allowed = (await client.post("/api/graphql", json=request, headers=bearer(writer))).json()

    assert [e["extensions"]["code"] for e in refused["errors"]] == ["INSUFFICIENT_SCOPE"]
    assert allowed["data"]["previewPolicy"]["peopleInScope"] == 7  # everyone active: the team, the stranger, the admin
