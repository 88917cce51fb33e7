"""bookingRules / updateBookingRules / resetBookingRules over GraphQL (the rules: tests/integration/
test_rule_editing.py)."""

from typing import Any

from smartoffice.ids import encode_id
from tests.factories import Factory
from tests.support.graphql import GraphQL
from tests.support.office import build_office

RULES = """
query Rules($buildingId: ID, $kind: BookingRuleKind!) {
  bookingRules(buildingId: $buildingId, kind: $kind) { buildingId kind inherited maxDaysInAdvance bufferMinutes }
}
"""
DESK = {
    "kind": "DESK",
    "maxDaysInAdvance": 7,
    "minDurationMinutes": 60,
    "maxDurationMinutes": 1440,
    "maxActiveBookings": 20,
    "cancellationDeadlineMinutes": 0,
    "checkInOpensMinutes": 30,
    "checkInGraceMinutes": 30,
    "bufferMinutes": 0,
    "closedOnHolidays": True,
}


async def run(graphql: GraphQL, name: str, variables: dict[str, Any], as_employee: int) -> Any:
    body = await graphql(name, variables, as_employee=as_employee)
    assert "errors" not in body, body
    (result,) = body["data"].values()
    return result


async def test_read_set_and_reset_a_buildings_rules(graphql: GraphQL, factory: Factory) -> None:
    office = await build_office(factory)
    building = encode_id("Building", office.floor.building_id)
    manager = office.facilities_1.id

    before = await run(graphql, RULES, {"buildingId": building, "kind": "DESK"}, manager)
    updated = await run(graphql, "UpdateBookingRules", {"input": {**DESK, "buildingId": building}}, manager)
    after = await run(graphql, RULES, {"buildingId": building, "kind": "DESK"}, manager)
    reset = await run(graphql, "ResetBookingRules", {"input": {"buildingId": building, "kind": "DESK"}}, manager)

    assert before == {
        "buildingId": building,
        "kind": "DESK",
        "inherited": True,
        "maxDaysInAdvance": 28,
        "bufferMinutes": 0,
    }
    assert updated["__typename"] == "BookingRulesPayload"
    assert updated["rules"]["inherited"] is False and updated["rules"]["maxDaysInAdvance"] == 7
    assert after["inherited"] is False and after["maxDaysInAdvance"] == 7
    assert reset["rules"] == {"buildingId": building, "kind": "DESK", "inherited": True, "maxDaysInAdvance": 28}


async def test_refusals_are_result_members(graphql: GraphQL, factory: Factory) -> None:
    office = await build_office(factory)
    building = encode_id("Building", office.floor.building_id)

    too_far = await run(
        graphql,
        "UpdateBookingRules",
        {"input": {**DESK, "buildingId": building, "maxDaysInAdvance": 400}},
        office.admin.id,
    )
    other_site = await run(
        graphql, "UpdateBookingRules", {"input": {**DESK, "buildingId": building}}, office.facilities_2.id
    )
    defaults = await run(graphql, "UpdateBookingRules", {"input": {**DESK, "buildingId": None}}, office.facilities_1.id)
    unknown = await run(
        graphql,
        "ResetBookingRules",
        {"input": {"buildingId": encode_id("Building", 999_999), "kind": "ROOM"}},
        office.admin.id,
    )

    assert (too_far["__typename"], too_far["code"], too_far["field"]) == (
        "ValidationError",
        "ADVANCE_DAYS_OUT_OF_RANGE",
        "maxDaysInAdvance",
    )
    assert "between 0 and 365 days" in too_far["message"]
    assert other_site["__typename"] == "PermissionDeniedError"
    assert (defaults["__typename"], defaults["code"]) == ("PermissionDeniedError", "ADMINS_ONLY")
    assert unknown["__typename"] == "NotFoundError"
