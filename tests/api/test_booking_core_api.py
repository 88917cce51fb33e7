"""The booking core through GraphQL: rooms, dry runs, recurring series, approval, on behalf, idempotency keys."""

from smartoffice.ids import encode_id
from tests.factories import Factory
from tests.support.clock import days_ahead, next_weekday
from tests.support.graphql import GraphQL


async def test_book_a_room_and_validate_a_desk(graphql: GraphQL, factory: Factory) -> None:
    floor = await factory.floor()
    room, desk, person = (
        await factory.room(floor, capacity=8, name="Ruang Mahakam"),
        await factory.desk(floor),
        await factory.employee(),
    )
    day = next_weekday(1).isoformat()

    booked = await graphql(
        "BookRoom",
        {
            "input": {
                "roomId": encode_id("MeetingRoom", room.id),
                "date": day,
                "startTime": "09:00",
                "endTime": "10:30",
                "attendeeCount": 5,
                "title": "Rapat koordinasi",
            }
        },
        as_employee=person.id,
    )
    booking = booked["data"]["bookRoom"]["booking"]
    assert (booking["status"], booking["attendeeCount"], booking["room"]["name"]) == ("BOOKED", 5, "Ruang Mahakam")

    too_many = await graphql(
        "BookRoom",
        {
            "input": {
                "roomId": encode_id("MeetingRoom", room.id),
                "date": day,
                "startTime": "11:00",
                "endTime": "12:00",
                "attendeeCount": 9,
            }
        },
        as_employee=person.id,
        language="id",
    )
    assert too_many["data"]["bookRoom"] == {
        "__typename": "ValidationError",
        "message": "Kapasitas ruangan 8 orang",
        "field": "attendeeCount",
        "code": "OVER_CAPACITY",
    }

    valid = await graphql(
        "ValidateBookDesk", {"input": {"deskId": encode_id("Desk", desk.id), "date": day}}, as_employee=person.id
    )
    assert valid["data"]["validateBookDesk"]["__typename"] == "BookingValid"
    mine = await graphql("MyBookings", as_employee=person.id)
    assert len(mine["data"]["myBookings"]["edges"]) == 1  # the dry run booked nothing


async def test_recurring_series_then_cancel_this_and_following(graphql: GraphQL, factory: Factory) -> None:
    room, person = await factory.room(), await factory.employee()
    result = await graphql(
        "BookRecurring",
        {
            "input": {
                "spaceId": encode_id("MeetingRoom", room.id),
                "rrule": "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=4",
                "startsOn": next_weekday(1).isoformat(),
                "startTime": "13:00",
                "endTime": "14:00",
            }
        },
        as_employee=person.id,
    )
    series = result["data"]["bookRecurring"]
    assert (series["bookedCount"], series["skippedCount"]) == (4, 0)
    second = series["occurrences"][1]["booking"]["id"]

    cancelled = await graphql(
        "CancelBooking", {"input": {"bookingId": second, "scope": "THIS_AND_FOLLOWING"}}, as_employee=person.id
    )
    assert len(cancelled["data"]["cancelBooking"]["cancelled"]) == 3

    bad = await graphql(
        "BookRecurring",
        {
            "input": {
                "spaceId": encode_id("MeetingRoom", room.id),
                "rrule": "FREQ=NEVER",
                "startsOn": next_weekday(1).isoformat(),
                "startTime": "13:00",
                "endTime": "14:00",
            }
        },
        as_employee=person.id,
    )
    assert bad["data"]["bookRecurring"]["code"] == "INVALID_RRULE"


async def test_approval_through_the_api(graphql: GraphQL, factory: Factory) -> None:
    room = await factory.room(requires_approval=True)
    approver, requester = await factory.employee(), await factory.employee()
    await factory.approver(room, approver)
    booked = await graphql(
        "BookRoom",
        {
            "input": {
                "roomId": encode_id("MeetingRoom", room.id),
                "date": next_weekday(2).isoformat(),
                "startTime": "09:00",
                "endTime": "10:00",
            }
        },
        as_employee=requester.id,
    )
    booking = booked["data"]["bookRoom"]["booking"]
    assert booking["status"] == "PENDING"

    refused = await graphql(
        "DecideBooking", {"input": {"bookingId": booking["id"], "accept": True}}, as_employee=requester.id
    )
    assert refused["data"]["decideBooking"]["__typename"] == "PermissionDeniedError"
    decided = await graphql(
        "DecideBooking", {"input": {"bookingId": booking["id"], "accept": True}}, as_employee=approver.id
    )
    assert decided["data"]["decideBooking"]["booking"]["status"] == "BOOKED"


async def test_on_behalf_and_idempotency_keys(graphql: GraphQL, factory: Factory) -> None:
    boss = await factory.employee()
    staff, stranger = await factory.employee(supervisor_id=boss.id), await factory.employee()
    desk = await factory.desk()
    variables = {
        "input": {
            "deskId": encode_id("Desk", desk.id),
            "date": days_ahead(2).isoformat(),
            "forEmployeeId": encode_id("Employee", staff.id),
            "idempotencyKey": "req-42",
        }
    }
    first = await graphql("BookDesk", variables, as_employee=boss.id)
    again = await graphql("BookDesk", variables, as_employee=boss.id)
    assert first["data"]["bookDesk"]["__typename"] == "BookSuccess"
    assert again["data"]["bookDesk"]["booking"]["id"] == first["data"]["bookDesk"]["booking"]["id"]

    reused = {"input": {**variables["input"], "date": days_ahead(3).isoformat()}}
    assert (await graphql("BookDesk", reused, as_employee=boss.id))["data"]["bookDesk"][
        "code"
    ] == "IDEMPOTENCY_KEY_REUSED"
    not_mine = {"input": {**variables["input"], "idempotencyKey": None, "date": days_ahead(4).isoformat()}}
    assert (await graphql("BookDesk", not_mine, as_employee=stranger.id))["data"]["bookDesk"][
        "__typename"
    ] == "PermissionDeniedError"


async def test_release_an_assigned_desk(graphql: GraphQL, factory: Factory) -> None:
    owner, colleague = await factory.employee(), await factory.employee()
    desk = await factory.desk(assigned_employee_id=owner.id)
    day = days_ahead(3).isoformat()
    book = {"input": {"deskId": encode_id("Desk", desk.id), "date": day}}
    assert (await graphql("BookDesk", book, as_employee=colleague.id))["data"]["bookDesk"]["code"] == "DESK_ASSIGNED"
    released = await graphql(
        "ReleaseAssignedDesk", {"input": {"deskId": encode_id("Desk", desk.id), "date": day}}, as_employee=owner.id
    )
    assert released["data"]["releaseAssignedDesk"]["date"] == day
    assert (await graphql("BookDesk", book, as_employee=colleague.id))["data"]["bookDesk"][
        "__typename"
    ] == "BookSuccess"


async def test_find_rooms_and_filter_desks_by_amenity(graphql: GraphQL, factory: Factory) -> None:
    building = await factory.building()
    floor = await factory.floor(building)
    small = await factory.room(floor, code="R1", capacity=4, amenities=["whiteboard"])
    big = await factory.room(floor, code="R2", capacity=12, amenities=["video_conference", "whiteboard"])
    await factory.room(floor, code="R3", capacity=20, amenities=["video_conference"])
    await factory.desk(floor, code="D1", amenities=["monitor"])
    await factory.desk(floor, code="D2", amenities=["monitor", "standing"])
    person, day = await factory.employee(), next_weekday(2).isoformat()
    await graphql(
        "BookRoom",
        {
            "input": {
                "roomId": encode_id("MeetingRoom", small.id),
                "date": day,
                "startTime": "09:00",
                "endTime": "10:00",
            }
        },
        as_employee=person.id,
    )
    variables = {
        "buildingId": encode_id("Building", building.id),
        "date": day,
        "startTime": "09:30",
        "endTime": "10:30",
    }

    free = (await graphql("FindRooms", variables))["data"]["findRooms"]
    assert [r["code"] for r in free] == ["R2", "R3"]
    equipped = (await graphql("FindRooms", {**variables, "minCapacity": 10, "amenities": ["WHITEBOARD"]}))["data"]
    assert [r["id"] for r in equipped["findRooms"]] == [encode_id("MeetingRoom", big.id)]

    standing = await graphql(
        "query($f: ID!, $d: Date!) { floor(id: $f) { availability(date: $d, amenities: [STANDING]) {"
        " ... on FloorAvailability { desks { desk { code } } } } } }",
        {"f": encode_id("Floor", floor.id), "d": day},
    )
    assert [d["desk"]["code"] for d in standing["data"]["floor"]["availability"]["desks"]] == ["D2"]
