"""`Floor.availabilityPacked`: a whole floor's availability as one string, aligned with the floor's desks."""

from datetime import UTC, datetime

from smartoffice.ids import encode_id
from tests.factories import Factory
from tests.support.clock import tomorrow
from tests.support.graphql import GraphQL


async def test_packed_statuses_line_up_with_the_desks_and_agree_with_the_typed_list(
    graphql: GraphQL, factory: Factory
) -> None:
    # given: three desks (created out of code order), one booked all day, one for the morning; and a room
    floor = await factory.floor()
    desk_c03 = await factory.desk(floor, code="C03")
    desk_a01 = await factory.desk(floor, code="A01")
    desk_b02 = await factory.desk(floor, code="B02")
    await factory.room(floor, code="R01")
    person, other = await factory.employee(), await factory.employee()
    day = tomorrow().isoformat()
    for desk, employee, window in (
        (desk_a01, person, {}),
        (desk_c03, other, {"startTime": "08:00:00", "endTime": "10:00:00"}),
    ):
        booked = await graphql(
            "BookDesk",
            {"input": {"deskId": encode_id("Desk", desk.id), "date": day, **window}},
            as_employee=employee.id,
        )
        assert booked["data"]["bookDesk"]["__typename"] == "BookSuccess", booked
    variables = {"floorId": encode_id("Floor", floor.id), "date": day}
    # when
    body = await graphql("FloorAvailabilityPacked", variables)
    typed = (await graphql("FloorAvailability", variables))["data"]["floor"]["availability"]
    plan = (await graphql("FloorPlan", {"floorId": encode_id("Floor", floor.id)}))["data"]["floor"]
    # then
    assert "errors" not in body, body
    packed = body["data"]["floor"]["availabilityPacked"]
    assert packed["__typename"] == "PackedFloorAvailability"
    assert packed["deskIds"] == [encode_id("Desk", d.id) for d in (desk_a01, desk_b02, desk_c03)]
    assert packed["deskIds"] == [d["id"] for d in plan["desks"]]
    assert packed["statuses"] == "BFP"
    letters = {"FREE": "F", "PARTIALLY_BOOKED": "P", "BOOKED": "B"}
    assert packed["statuses"] == "".join(letters[d["status"]] for d in typed["desks"])
    assert packed["deskOrder"] == body["data"]["floor"]["deskOrder"]
    assert (packed["startTime"], packed["endTime"]) == (typed["startTime"], typed["endTime"])


async def test_a_window_gives_the_statuses_within_it(graphql: GraphQL, factory: Factory) -> None:
    floor = await factory.floor()
    desk = await factory.desk(floor)
    person = await factory.employee()
    day = tomorrow().isoformat()
    window = {"startTime": "08:00:00", "endTime": "10:00:00"}
    await graphql(
        "BookDesk", {"input": {"deskId": encode_id("Desk", desk.id), "date": day, **window}}, as_employee=person.id
    )
    variables = {"floorId": encode_id("Floor", floor.id), "date": day}

    morning = await graphql("FloorAvailabilityPacked", {**variables, **window})
    afternoon = await graphql("FloorAvailabilityPacked", {**variables, "startTime": "13:00:00", "endTime": "15:00:00"})

    assert morning["data"]["floor"]["availabilityPacked"]["statuses"] == "B"
    assert afternoon["data"]["floor"]["availabilityPacked"]["statuses"] == "F"


async def test_the_desk_order_changes_when_a_desk_is_added(graphql: GraphQL, factory: Factory) -> None:
    floor = await factory.floor()
    await factory.desk(floor, code="A01")
    variables = {"floorId": encode_id("Floor", floor.id), "date": tomorrow().isoformat()}
    before = (await graphql("FloorAvailabilityPacked", variables))["data"]["floor"]["availabilityPacked"]

    added = await factory.desk(floor, code="A02")
    after = (await graphql("FloorAvailabilityPacked", variables))["data"]["floor"]["availabilityPacked"]

    assert after["deskOrder"] != before["deskOrder"]
    assert after["deskIds"][-1] == encode_id("Desk", added.id)
    assert after["statuses"] == "FF"


async def test_packed_window_must_be_ordered(graphql: GraphQL, factory: Factory) -> None:
    floor = await factory.floor()
    variables = {
        "floorId": encode_id("Floor", floor.id),
        "date": datetime.now(UTC).date().isoformat(),
        "startTime": "12:00:00",
        "endTime": "09:00:00",
    }
    result = (await graphql("FloorAvailabilityPacked", variables))["data"]["floor"]["availabilityPacked"]
    assert (result["__typename"], result["code"]) == ("ValidationError", "END_BEFORE_START")


async def test_an_unknown_floor_is_null(graphql: GraphQL) -> None:
    body = await graphql("FloorAvailabilityPacked", {"floorId": encode_id("Floor", 999_999), "date": "2030-01-02"})
    assert body["data"] == {"floor": None}
