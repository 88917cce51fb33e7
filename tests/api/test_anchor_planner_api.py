"""planAnchorDays and applyAnchorDayPlan over the app: the tower full on Tuesdays planned, explained and applied."""

from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from smartoffice.identity.scopes import Scope
from smartoffice.ids import encode_id
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.anchor_planner import NOW, WEEK, Tower, build_tower
from tests.support.auth import bearer, issue_token
from tests.support.graphql import GraphQL, data_of, fix_app_clock, operation


@pytest.fixture
async def tower(factory: Factory, runtime: Runtime, client: AsyncTestClient, monkeypatch: pytest.MonkeyPatch) -> Tower:
    fix_app_clock(client, monkeypatch, NOW, "anchor_planner", "policies")
    return await build_tower(factory, runtime.db)


def unit_gid(tower: Tower, name: str) -> str:
    return encode_id("OrgUnit", tower.unit_id(name))


def plan_input(tower: Tower, **changes: Any) -> dict[str, Any]:
    return {
        "input": {
            "buildingIds": [encode_id("Building", tower.building.id)],
            "week": WEEK.isoformat(),
            "together": [{"unitId": unit_gid(tower, "a"), "otherUnitId": unit_gid(tower, "b")}],
            **changes,
        }
    }


async def test_a_facilities_manager_plans_the_tower_and_an_admin_applies_it(graphql: GraphQL, tower: Tower) -> None:
    plan = await data_of(graphql, "PlanAnchorDays", plan_input(tower), as_employee=tower.roles["facilities"].id)

    assert (plan["__typename"], plan["status"], plan["movedCount"], plan["binding"]) == (
        "AnchorDayPlan",
        "OPTIMAL",
        2,
        [],
    )
    units = {u["code"]: u for u in plan["units"]}
    assert {code for code, u in units.items() if u["moved"]} == {"C", "E"}
    assert units["A"]["after"] == units["B"]["after"] == ["TUESDAY"]
    assert units["LAY"]["everyDay"] and not units["LAY"]["moved"]
    tuesday = next(d for d in plan["loads"] if d["weekday"] == "TUESDAY")
    assert tuesday["overflowsBefore"] and not tuesday["overflowsAfter"]
    assert tuesday["limit"] == round(tower.desks * 0.85, 3) and tuesday["desks"] == tower.desks
    assert not any(d["overflowsAfter"] for d in plan["loads"])

    moved = [{"unitId": u["unitId"], "weekdays": u["after"]} for u in plan["units"] if u["moved"]]
    variables = {"input": {"units": moved, "effectiveFrom": WEEK.isoformat(), "idempotencyKey": "k1"}}
    applied = await data_of(graphql, "ApplyAnchorDayPlan", variables, as_employee=tower.roles["admin"].id)

    assert applied["__typename"] == "ApplyAnchorDayPlanSuccess"
    assert sorted(applied["changedUnitIds"]) == sorted(u["unitId"] for u in moved)
    again = await data_of(graphql, "PlanAnchorDays", plan_input(tower), as_employee=tower.roles["facilities"].id)
    assert again["movedCount"] == 0 and not any(d["overflowsBefore"] for d in again["loads"])


async def test_when_nothing_fits_the_binding_constraints_are_said_in_words(graphql: GraphQL, tower: Tower) -> None:
    pinned = [unit_gid(tower, name) for name in "abce"]

    plan = await data_of(
        graphql,
        "PlanAnchorDays",
        plan_input(tower, pinnedUnitIds=pinned),
        as_employee=tower.roles["admin"].id,
        language="id",
    )

    assert plan["status"] == "INFEASIBLE" and plan["movedCount"] == 0
    capacity = plan["binding"][0]
    assert (capacity["kind"], capacity["weekday"], capacity["unitIds"]) == ("CAPACITY", "TUESDAY", [])
    assert capacity["buildingId"] == encode_id("Building", tower.building.id)
    assert capacity["description"].startswith("T1 dapat menampung paling banyak ")
    assert capacity["description"].endswith(" orang pada Selasa")
    assert {b["kind"] for b in plan["binding"][1:]} == {"PINNED"}
    assert all(b["description"].endswith("dikunci pada hari jangkarnya (Selasa)") for b in plan["binding"][1:])


async def test_refusals_are_typed(graphql: GraphQL, tower: Tower) -> None:
    other = await data_of(graphql, "PlanAnchorDays", plan_input(tower), as_employee=tower.roles["other_facilities"].id)
    assert (other["__typename"], other["code"]) == ("PermissionDeniedError", "NOT_A_FACILITIES_MANAGER")

    stranger_unit = encode_id("OrgUnit", tower.roles["stranger"].org_unit_id)
    unknown = await data_of(
        graphql,
        "PlanAnchorDays",
        plan_input(tower, forbiddenWeekdays=[{"unitId": stranger_unit, "weekdays": ["MONDAY"]}]),
        as_employee=tower.roles["admin"].id,
    )
    assert (unknown["__typename"], unknown["code"], unknown["field"]) == (
        "ValidationError",
        "PLAN_UNIT_NOT_HOUSED",
        "forbiddenWeekdays",
    )

    variables = {
        "input": {
            "units": [
                {"unitId": unit_gid(tower, "c"), "weekdays": ["MONDAY"]},
                {"unitId": unit_gid(tower, "e"), "weekdays": ["THURSDAY"]},
            ],
            "effectiveFrom": WEEK.isoformat(),
        }
    }
    refused = await data_of(graphql, "ApplyAnchorDayPlan", variables, as_employee=tower.roles["c_manager"].id)
    assert (refused["__typename"], refused["code"]) == ("PermissionDeniedError", "NOT_MANAGER_OF_PLANNED_UNIT")
    plan = await data_of(graphql, "PlanAnchorDays", plan_input(tower), as_employee=tower.roles["admin"].id)
    assert {u["code"]: u["before"] for u in plan["units"]}["C"] == ["TUESDAY"]  # nothing was written


async def test_tokens_need_occupancy_read_to_plan_and_policies_write_to_apply(
    client: AsyncTestClient, runtime: Runtime, tower: Tower
) -> None:
    admin = tower.roles["admin"].id
    reader = await issue_token(runtime.db, admin, Scope.OCCUPANCY_READ_AGGREGATE)
    writer = await issue_token(runtime.db, admin, Scope.POLICIES_WRITE)
    apply = {
        "input": {
            "units": [{"unitId": unit_gid(tower, "c"), "weekdays": ["MONDAY"]}],
            "effectiveFrom": WEEK.isoformat(),
        }
    }

    async def post(name: str, variables: dict[str, Any], secret: str) -> dict[str, Any]:
        response = await client.post(
            "/api/graphql", json={"query": operation(name), "variables": variables}, headers=bearer(secret)
        )
        body: dict[str, Any] = response.json()
        return body

    assert (await post("PlanAnchorDays", plan_input(tower), reader))["data"]["planAnchorDays"]["status"] == "OPTIMAL"
    refused = await post("PlanAnchorDays", plan_input(tower), writer)
    assert [e["extensions"]["code"] for e in refused["errors"]] == ["INSUFFICIENT_SCOPE"]
    refused = await post("ApplyAnchorDayPlan", apply, reader)
    assert [e["extensions"]["code"] for e in refused["errors"]] == ["INSUFFICIENT_SCOPE"]
    applied = await post("ApplyAnchorDayPlan", apply, writer)
    assert applied["data"]["applyAnchorDayPlan"]["changedUnitIds"] == [unit_gid(tower, "c")]
