"""Booking desks through GraphQL: the example operations, executed against the real app."""

from datetime import UTC, datetime, timedelta

from smartoffice.ids import encode_id
from tests.factories import Factory
from tests.support.clock import local_today, tomorrow
from tests.support.graphql import GraphQL


async def test_sites_buildings_floors(graphql: GraphQL, factory: Factory) -> None:
    floor = await factory.floor(level=3, name="Lantai 3")

    body = await graphql("Sites")

    [site] = body["data"]["sites"]
    [building] = site["buildings"]
    assert building["timeZone"] == "Asia/Makassar"
    assert building["floors"] == [{"id": encode_id("Floor", floor.id), "level": 3, "name": "Lantai 3"}]


async def test_floor_plan_lists_desks_and_rooms(graphql: GraphQL, factory: Factory) -> None:
    floor = await factory.floor()
    desk = await factory.desk(floor, code="T1-3-A01", amenities=["monitor", "standing"])
    await factory.room(floor, name="Ruang Rapat Mahakam", capacity=12)

    body = await graphql("FloorPlan", {"floorId": encode_id("Floor", floor.id)})

    plan = body["data"]["floor"]
    assert [d["code"] for d in plan["desks"]] == ["T1-3-A01"]
    assert plan["desks"][0]["id"] == encode_id("Desk", desk.id)
    assert plan["desks"][0]["amenities"] == ["MONITOR", "STANDING"]
    assert [(r["name"], r["capacity"]) for r in plan["rooms"]] == [("Ruang Rapat Mahakam", 12)]


async def test_book_then_availability_then_cancel(graphql: GraphQL, factory: Factory) -> None:
    floor = await factory.floor()
    desk, other = await factory.desk(floor), await factory.desk(floor)
    person = await factory.employee()
    floor_vars = {"floorId": encode_id("Floor", floor.id), "date": tomorrow().isoformat()}

    booked = await graphql(
        "BookDesk",
        {"input": {"deskId": encode_id("Desk", desk.id), "date": tomorrow().isoformat()}},
        as_employee=person.id,
    )
    result = booked["data"]["bookDesk"]
    assert result["__typename"] == "BookSuccess"
    assert result["booking"]["date"] == tomorrow().isoformat()

    availability = (await graphql("FloorAvailability", floor_vars))["data"]["floor"]["availability"]
    statuses = {d["desk"]["id"]: d["status"] for d in availability["desks"]}
    assert statuses == {encode_id("Desk", desk.id): "BOOKED", encode_id("Desk", other.id): "FREE"}

    morning = {**floor_vars, "startTime": "07:00:00", "endTime": "07:30:00"}
    assert (await graphql("FloorAvailability", morning))["data"]["floor"]["availability"]["desks"][0]["status"] == (
        "BOOKED"
    )

    cancelled = await graphql("CancelBooking", {"input": {"bookingId": result["booking"]["id"]}}, as_employee=person.id)
    assert cancelled["data"]["cancelBooking"] == {
        "__typename": "CancelBookingSuccess",
        "booking": {"id": result["booking"]["id"], "status": "CANCELLED"},
        "cancelled": [{"id": result["booking"]["id"]}],
    }
    availability = (await graphql("FloorAvailability", floor_vars))["data"]["floor"]["availability"]
    assert {d["status"] for d in availability["desks"]} == {"FREE"}


async def test_desk_taken_is_a_conflict_member(graphql: GraphQL, factory: Factory) -> None:
    desk, first, second = await factory.desk(), await factory.employee(), await factory.employee()
    variables = {"input": {"deskId": encode_id("Desk", desk.id), "date": tomorrow().isoformat()}}
    await graphql("BookDesk", variables, as_employee=first.id)

    result = (await graphql("BookDesk", variables, as_employee=second.id))["data"]["bookDesk"]

    assert result["__typename"] == "BookingConflictError"
    assert [c["kind"] for c in result["conflicts"]] == ["SPACE_TAKEN"]


async def test_unknown_desk_is_not_found(graphql: GraphQL, factory: Factory) -> None:
    person = await factory.employee()
    missing = encode_id("Desk", 987_654)
    body = await graphql(
        "BookDesk", {"input": {"deskId": missing, "date": tomorrow().isoformat()}}, as_employee=person.id
    )
    assert body["data"]["bookDesk"] == {
        "__typename": "NotFoundError",
        "message": "Desk 987654 does not exist",
        "id": missing,
    }


async def test_date_in_the_past_is_a_validation_error(graphql: GraphQL, factory: Factory) -> None:
    desk, person = await factory.desk(), await factory.employee()
    yesterday = local_today() - timedelta(days=1)
    body = await graphql(
        "BookDesk",
        {"input": {"deskId": encode_id("Desk", desk.id), "date": yesterday.isoformat()}},
        as_employee=person.id,
    )
    result = body["data"]["bookDesk"]
    assert (result["__typename"], result["field"], result["code"]) == ("ValidationError", "date", "IN_PAST")


async def test_malformed_ids_are_validation_errors(graphql: GraphQL, factory: Factory) -> None:
    person = await factory.employee()
    floor = await factory.floor()
    out_of_range = encode_id("Desk", 2**31)  # cannot name a row; PostgreSQL would refuse the parameter
    for bad in ("not-base64!", encode_id("Floor", floor.id), encode_id("Desk", 0)[:-2], out_of_range):
        body = await graphql(
            "BookDesk", {"input": {"deskId": bad, "date": tomorrow().isoformat()}}, as_employee=person.id
        )
        result = body["data"]["bookDesk"]
        assert (result["__typename"], result["field"], result["code"]) == (
            "ValidationError",
            "deskId",
            "INVALID_ID",
        )


async def test_malformed_input_is_a_graphql_error_not_a_crash(graphql: GraphQL, factory: Factory) -> None:
    person = await factory.employee()
    body = await graphql("BookDesk", {"input": {"deskId": "x", "date": "31-12-2026"}}, as_employee=person.id)
    assert body["data"] is None
    assert "date" in body["errors"][0]["message"].lower()


async def test_booking_requires_an_identity(graphql: GraphQL, factory: Factory) -> None:
    desk = await factory.desk()
    body = await graphql("BookDesk", {"input": {"deskId": encode_id("Desk", desk.id), "date": tomorrow().isoformat()}})
    assert body["data"] is None
    assert "Authentication required" in body["errors"][0]["message"]


async def test_cannot_cancel_someone_elses_booking(graphql: GraphQL, factory: Factory) -> None:
    desk, owner, other = await factory.desk(), await factory.employee(), await factory.employee()
    booked = await graphql(
        "BookDesk",
        {"input": {"deskId": encode_id("Desk", desk.id), "date": tomorrow().isoformat()}},
        as_employee=owner.id,
    )
    booking_id = booked["data"]["bookDesk"]["booking"]["id"]
    result = (await graphql("CancelBooking", {"input": {"bookingId": booking_id}}, as_employee=other.id))["data"]
    assert result["cancelBooking"]["__typename"] == "NotFoundError"  # as for an id that does not exist (issue 10)


async def test_my_bookings_pages_with_cursors(graphql: GraphQL, factory: Factory) -> None:
    floor = await factory.floor()
    person = await factory.employee()
    days = [tomorrow() + timedelta(days=n) for n in range(3)]
    for day in days:
        desk = await factory.desk(floor)
        await graphql(
            "BookDesk",
            {"input": {"deskId": encode_id("Desk", desk.id), "date": day.isoformat()}},
            as_employee=person.id,
        )

    first = (await graphql("MyBookings", {"first": 2}, as_employee=person.id))["data"]
    assert first["viewer"]["name"] == person.name
    assert [e["node"]["date"] for e in first["myBookings"]["edges"]] == [d.isoformat() for d in days[:2]]
    assert first["myBookings"]["pageInfo"]["hasNextPage"] is True

    after = first["myBookings"]["pageInfo"]["endCursor"]
    rest = (await graphql("MyBookings", {"first": 2, "after": after}, as_employee=person.id))["data"]
    assert [e["node"]["date"] for e in rest["myBookings"]["edges"]] == [days[2].isoformat()]
    assert rest["myBookings"]["pageInfo"]["hasNextPage"] is False


async def test_availability_window_must_be_ordered(graphql: GraphQL, factory: Factory) -> None:
    floor = await factory.floor()
    variables = {
        "floorId": encode_id("Floor", floor.id),
        "date": datetime.now(UTC).date().isoformat(),
        "startTime": "12:00:00",
        "endTime": "09:00:00",
    }
    result = (await graphql("FloorAvailability", variables))["data"]["floor"]["availability"]
    assert (result["__typename"], result["code"]) == ("ValidationError", "END_BEFORE_START")


async def test_messages_follow_accept_language(graphql: GraphQL, factory: Factory) -> None:
    desk, first, second = await factory.desk(), await factory.employee(), await factory.employee()
    variables = {"input": {"deskId": encode_id("Desk", desk.id), "date": tomorrow().isoformat()}}
    await graphql("BookDesk", variables, as_employee=first.id)

    indonesian = await graphql("BookDesk", variables, as_employee=second.id, language="id-ID,id;q=0.9,en;q=0.8")
    english = await graphql("BookDesk", variables, as_employee=second.id, language="en-GB")

    assert indonesian["data"]["bookDesk"]["message"] == "Tempat ini sudah dipesan pada waktu yang bertumpang tindih"
    assert english["data"]["bookDesk"]["message"] == "This space is already booked for an overlapping time"
