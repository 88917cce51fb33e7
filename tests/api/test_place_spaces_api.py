"""``placeSpaces`` over GraphQL: a save with the floor's planVersion, a stale one refused, a bad placement and a
person who may not, each a member of the result union; ``Floor.planImageUrl``."""

from smartoffice.audit.record import Actor
from smartoffice.ids import encode_id
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.floor_plans import plan_floor, png_bytes, spaces_of
from tests.support.graphql import GraphQL

VERSION = "query PlanVersion($id: ID!) { floor(id: $id) { planVersion planImageUrl } }"


def placement(space_id: int, code: str, x: float, **more: object) -> dict[str, object]:
    return {"spaceId": encode_id("Desk", space_id), "code": code, "x": x, "y": 2, "width": 1.6, "height": 0.8,
            "rotation": 0, **more}  # fmt: skip


async def test_place_spaces_saves_copies_and_refuses_a_stale_version(
    graphql: GraphQL, runtime: Runtime, factory: Factory
) -> None:
    f = await plan_floor(factory)
    floor_id = encode_id("Floor", f.floor.id)
    d1 = f.desks[0]
    read = await graphql(VERSION, {"id": floor_id}, as_employee=f.manager.id)
    version = read["data"]["floor"]["planVersion"]
    assert read["data"]["floor"]["planImageUrl"] is None
    copy = {"copyOf": encode_id("Desk", d1.id), "code": "D-4", "x": 30, "y": 5, "width": 1.6, "height": 0.8}
    saved = await graphql(
        "PlaceSpaces",
        {
            "input": {
                "floorId": floor_id,
                "expectedVersion": version,
                "placements": [placement(d1.id, "D-1", 12.5), copy],
            }
        },
        as_employee=f.manager.id,
    )
    result = saved["data"]["placeSpaces"]
    assert result["__typename"] == "PlaceSpacesSuccess", result
    spaces = await spaces_of(runtime.db, f.floor.id)
    assert result["updatedSpaceIds"] == [encode_id("Desk", d1.id)]
    assert result["createdSpaceIds"] == [encode_id("Desk", spaces["D-4"].id)]
    assert result["planVersion"] == result["floor"]["planVersion"] != version
    assert {d["code"]: d["x"] for d in result["floor"]["desks"]}["D-1"] == 12.5
    # the same expected version again is stale
    stale = await graphql(
        "PlaceSpaces",
        {"input": {"floorId": floor_id, "expectedVersion": version, "placements": [placement(d1.id, "D-1", 3)]}},
        as_employee=f.manager.id,
    )
    refused = stale["data"]["placeSpaces"]
    assert (refused["__typename"], refused["code"], refused["field"]) == (
        "ValidationError",
        "PLAN_CHANGED",
        "expectedVersion",
    )
    assert (await spaces_of(runtime.db, f.floor.id))["D-1"].x == 12.5


async def test_place_spaces_refusals_are_union_members(graphql: GraphQL, factory: Factory) -> None:
    f = await plan_floor(factory)
    floor_id = encode_id("Floor", f.floor.id)
    outside = await graphql(
        "PlaceSpaces",
        {"input": {"floorId": floor_id, "placements": [placement(f.desks[0].id, "D-1", 39.9)]}},
        as_employee=f.manager.id,
    )
    member = outside["data"]["placeSpaces"]
    assert (member["__typename"], member["code"], member["field"]) == (
        "ValidationError",
        "PLACEMENT_OUTSIDE_FLOOR",
        "placements.0.x",
    )
    someone = await factory.employee()
    denied = await graphql(
        "PlaceSpaces",
        {"input": {"floorId": floor_id, "placements": [placement(f.desks[0].id, "D-1", 5)]}},
        as_employee=someone.id,
    )
    assert denied["data"]["placeSpaces"]["__typename"] == "PermissionDeniedError"


async def test_plan_image_url_names_the_current_digest(graphql: GraphQL, runtime: Runtime, factory: Factory) -> None:
    f = await plan_floor(factory)
    image = await runtime.plan_images.store(Actor(f.manager.id, "api"), f.floor.id, png_bytes())
    read = await graphql(VERSION, {"id": encode_id("Floor", f.floor.id)}, as_employee=f.manager.id)
    assert read["data"]["floor"]["planImageUrl"] == f"/floors/{f.floor.id}/plan-image?v={image.digest}"
