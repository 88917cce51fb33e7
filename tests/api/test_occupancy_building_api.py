"""``buildingOccupancy`` as the dashboard (and the benchmark) asks it: with the building's floors. A floor's
``planVersion`` is read from the cached floor layout, so it must follow a save at once, and a retired floor (which
has no layout) still answers."""

from typing import Any

from sqlalchemy import update

from smartoffice.db import utcnow
from smartoffice.ids import encode_id
from smartoffice.places.models import Floor
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.floor_plans import plan_floor
from tests.support.graphql import GraphQL

BUILDING_WITH_FLOORS = """query BuildingFloors($buildingId: ID!, $from: Date!, $to: Date!) {
  buildingOccupancy(buildingId: $buildingId, from: $from, to: $to) {
    __typename
    ... on BuildingOccupancy { building { floors { id deskOrder planVersion } } days { date booked } }
  }
}"""
FLOOR_VERSION = "query PlanVersion($id: ID!) { floor(id: $id) { planVersion } }"
NODE_VERSION = "query NodeVersion($id: ID!) { node(id: $id) { ... on Floor { planVersion } } }"


async def floors_of(graphql: GraphQL, building_id: int, viewer: int) -> list[dict[str, Any]]:
    variables = {"buildingId": encode_id("Building", building_id), "from": "2026-12-01", "to": "2026-12-31"}
    body = await graphql(BUILDING_WITH_FLOORS, variables, as_employee=viewer)
    result = body["data"]["buildingOccupancy"]
    assert result["__typename"] == "BuildingOccupancy", result
    assert len(result["days"]) == 31
    floors: list[dict[str, Any]] = result["building"]["floors"]
    return floors


async def test_a_floors_plan_version_follows_a_save_at_once(
    graphql: GraphQL, runtime: Runtime, factory: Factory
) -> None:
    # given a floor whose layout this process has cached (read through buildingOccupancy)
    f = await plan_floor(factory)
    floor_id = encode_id("Floor", f.floor.id)
    [before] = await floors_of(graphql, f.floor.building_id, f.manager.id)
    assert before["planVersion"] == await runtime.plan_editor.version(f.floor.id)

    # when the plan is saved
    d1 = f.desks[0]
    placement = {"spaceId": encode_id("Desk", d1.id), "code": "D-1", "x": 12.5, "y": 2, "width": 1.6, "height": 0.8,
                 "rotation": 0}  # fmt: skip
    saved = await graphql(
        "PlaceSpaces",
        {"input": {"floorId": floor_id, "expectedVersion": before["planVersion"], "placements": [placement]}},
        as_employee=f.manager.id,
    )
    result = saved["data"]["placeSpaces"]
    assert result["__typename"] == "PlaceSpacesSuccess", result

    # then the next read gives the new version, the one the next save must name
    [after] = await floors_of(graphql, f.floor.building_id, f.manager.id)
    assert after["planVersion"] == result["planVersion"] == await runtime.plan_editor.version(f.floor.id)
    assert after["planVersion"] != before["planVersion"]
    direct = await graphql(FLOOR_VERSION, {"id": floor_id}, as_employee=f.manager.id)
    assert direct["data"]["floor"]["planVersion"] == after["planVersion"]


async def test_a_retired_floor_still_has_its_plan_version(graphql: GraphQL, runtime: Runtime, factory: Factory) -> None:
    f = await plan_floor(factory)
    async with runtime.db.write() as session:
        await session.execute(update(Floor).where(Floor.id == f.floor.id).values(retired_at=utcnow()))
    # (``floor(id:)`` hides a retired floor; ``node(id:)`` still finds it)
    read = await graphql(NODE_VERSION, {"id": encode_id("Floor", f.floor.id)}, as_employee=f.manager.id)
    assert read["data"]["node"]["planVersion"] == await runtime.plan_editor.version(f.floor.id)
