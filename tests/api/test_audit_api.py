"""``auditLog`` over the ASGI app: entries as the example operation reads them, the refusals as result members,
and app tokens without the audit:read scope refused."""

from datetime import date

from litestar.testing import AsyncTestClient
from sqlalchemy import select

from smartoffice.audit.models import AuditEntry
from smartoffice.identity.models import ApiToken
from smartoffice.identity.scopes import Scope
from smartoffice.ids import encode_id
from smartoffice.people.models import Role
from smartoffice.runtime import Runtime
from smartoffice.workcalendar.models import DayKind
from tests.factories import Factory
from tests.support.auth import bearer, issue_token
from tests.support.graphql import GraphQL, operation
from tests.support.policies import NEXT_WEEK, build_team


async def test_an_admin_reads_an_entry_with_its_actor_and_values(
    graphql: GraphQL, factory: Factory, runtime: Runtime
) -> None:
    team = await build_team(factory)
    await runtime.policies.end_policy(team.admin.id, team.national.id, NEXT_WEEK, via="page")
    await runtime.work_calendar.set_override(team.admin.id, date(2026, 12, 24), DayKind.WORKING_DAY, "Hari kerja")

    page = await graphql("AuditLog", {"filter": {"action": "policy."}}, as_employee=team.admin.id)

    connection = page["data"]["auditLog"]
    (edge,) = connection["edges"]
    node = edge["node"]
    assert node["actor"] == {"id": encode_id("Employee", team.admin.id), "name": "Admin"}
    assert (node["via"], node["action"], node["entityKind"]) == ("page", "policy.end", "Policy")
    assert node["entityId"] == encode_id("Policy", team.national.id)
    assert (node["before"], node["after"]) == ({"effective_until": None}, {"effective_until": "2026-07-13"})
    assert connection["pageInfo"] == {"hasNextPage": False, "endCursor": edge["cursor"]}


async def test_a_facilities_manager_asking_for_another_site_is_refused(graphql: GraphQL, factory: Factory) -> None:
    manager = await factory.employee()
    mine, theirs = await factory.site(), await factory.site()
    await factory.role(manager, Role.FACILITIES_MANAGER, site_id=mine.id)

    own = await graphql("AuditLog", {"filter": {"siteId": encode_id("Site", mine.id)}}, as_employee=manager.id)
    other = await graphql("AuditLog", {"filter": {"siteId": encode_id("Site", theirs.id)}}, as_employee=manager.id)

    assert own["data"]["auditLog"]["__typename"] == "AuditLogConnection"
    assert other["data"]["auditLog"]["__typename"] == "PermissionDeniedError"
    assert other["data"]["auditLog"]["code"] == "NOT_A_FACILITIES_MANAGER"


async def test_an_employee_and_a_malformed_filter_are_refused(graphql: GraphQL, factory: Factory) -> None:
    person = await factory.employee()
    admin = await factory.employee()
    await factory.role(admin, Role.ADMIN)

    refused = await graphql("AuditLog", {}, as_employee=person.id)
    malformed = await graphql("AuditLog", {"filter": {"actorId": "nonsense"}}, as_employee=admin.id)

    assert refused["data"]["auditLog"]["__typename"] == "PermissionDeniedError"
    assert (malformed["data"]["auditLog"]["__typename"], malformed["data"]["auditLog"]["field"]) == (
        "ValidationError",
        "filter.actorId",
    )


async def test_an_app_token_needs_the_audit_scope(client: AsyncTestClient, factory: Factory, runtime: Runtime) -> None:
    admin = await factory.employee()
    await factory.role(admin, Role.ADMIN)
    without = await issue_token(runtime.db, admin.id, *(s for s in Scope if s != Scope.AUDIT_READ))
    with_scope = await issue_token(runtime.db, admin.id, Scope.AUDIT_READ)

    refused = await client.post("/api/graphql", json={"query": operation("AuditLog")}, headers=bearer(without))
    allowed = await client.post("/api/graphql", json={"query": operation("AuditLog")}, headers=bearer(with_scope))

    body = refused.json()
    assert body["data"] is None or body["data"]["auditLog"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["INSUFFICIENT_SCOPE"]
    assert "errors" not in allowed.json()
    assert allowed.json()["data"]["auditLog"]["__typename"] == "AuditLogConnection"


async def test_a_change_made_by_an_app_names_its_token(
    client: AsyncTestClient, factory: Factory, runtime: Runtime
) -> None:
    admin = await factory.employee()
    await factory.role(admin, Role.ADMIN)
    secret = await issue_token(runtime.db, admin.id, Scope.CALENDAR_WRITE)
    variables = {"input": {"date": "2026-12-24", "kind": "WORKING_DAY", "name": "Hari kerja"}}

    response = await client.post(
        "/api/graphql",
        json={"query": operation("SetCalendarOverride"), "variables": variables},
        headers=bearer(secret),
    )

    assert response.json()["data"]["setCalendarOverride"]["__typename"] == "SetCalendarOverrideSuccess"
    async with runtime.db.read() as session:
        token_id = await session.scalar(select(ApiToken.id))
        (entry,) = (await session.scalars(select(AuditEntry))).all()
    assert (entry.action, entry.actor_id, entry.via) == ("calendar_override.set", admin.id, f"token:{token_id}")
