"""Invited colleagues through GraphQL: bookRoom's attendeeIds and Booking.attendees, shown to whoever may see the
booking, and a refused invitation as a ValidationError."""

from typing import Any

from smartoffice.ids import encode_id
from smartoffice.people.models import Role
from tests.factories import Factory
from tests.support.clock import next_weekday
from tests.support.graphql import GraphQL

BOOKING_ATTENDEES = """
query BookingAttendees($id: ID!) {
  node(id: $id) { ... on Booking { id attendeeCount attendees { id name } } }
}
"""


def room_input(room_id: int, attendees: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "input": {
            "roomId": encode_id("MeetingRoom", room_id),
            "date": next_weekday(2).isoformat(),
            "startTime": "09:00",
            "endTime": "10:00",
            "attendeeIds": attendees,
            **extra,
        }
    }


async def test_book_room_invites_colleagues(graphql: GraphQL, factory: Factory) -> None:
    room, person = await factory.room(capacity=6), await factory.employee()
    ani, budi = await factory.employee(name="Ani Lestari"), await factory.employee(name="Budi Santoso")
    ids = [encode_id("Employee", budi.id), encode_id("Employee", ani.id)]

    body = await graphql("BookRoom", room_input(room.id, ids), as_employee=person.id)

    booking = body["data"]["bookRoom"]["booking"]
    assert booking["attendeeCount"] == 3
    assert [a["name"] for a in booking["attendees"]] == ["Ani Lestari", "Budi Santoso"]
    assert [a["id"] for a in booking["attendees"]] == [ids[1], ids[0]]


async def test_a_refused_invitation_is_a_validation_error(graphql: GraphQL, factory: Factory) -> None:
    room, person = await factory.room(capacity=6), await factory.employee(name="Citra Dewi")

    themself = await graphql("BookRoom", room_input(room.id, [encode_id("Employee", person.id)]), as_employee=person.id)
    not_a_person = await graphql("BookRoom", room_input(room.id, [encode_id("Desk", 1)]), as_employee=person.id)
    too_few = await graphql(
        "BookRoom",
        room_input(room.id, [encode_id("Employee", (await factory.employee()).id)], attendeeCount=1),
        as_employee=person.id,
    )

    result = themself["data"]["bookRoom"]
    assert (result["__typename"], result["code"], result["field"]) == (
        "ValidationError",
        "ATTENDEE_IS_PERSON_BOOKED",
        "attendeeIds",
    )
    assert "Citra Dewi" in result["message"]
    assert not_a_person["data"]["bookRoom"]["code"] == "INVALID_ID"
    assert (too_few["data"]["bookRoom"]["code"], too_few["data"]["bookRoom"]["field"]) == (
        "ATTENDEE_COUNT_TOO_LOW",
        "attendeeCount",
    )


async def test_attendees_are_shown_where_the_booking_is(graphql: GraphQL, factory: Factory) -> None:
    # given a room booking with one colleague invited
    unit = await factory.unit()
    boss = await factory.employee(unit)
    person = await factory.employee(unit, supervisor_id=boss.id)
    ani, stranger, admin = (
        await factory.employee(name="Ani Lestari"),
        await factory.employee(),
        await factory.employee(),
    )
    await factory.role(admin, Role.ADMIN)
    room = await factory.room()
    booked = await graphql("BookRoom", room_input(room.id, [encode_id("Employee", ani.id)]), as_employee=person.id)
    booking_id = booked["data"]["bookRoom"]["booking"]["id"]

    # when each of them looks it up
    async def seen_by(viewer: int) -> Any:
        return (await graphql(BOOKING_ATTENDEES, {"id": booking_id}, as_employee=viewer))["data"]["node"]

    # then the person, their supervisor and an admin see who is invited; someone else sees no booking at all
    for viewer in (person.id, boss.id, admin.id):
        assert [a["name"] for a in (await seen_by(viewer))["attendees"]] == ["Ani Lestari"]
    assert await seen_by(stranger.id) is None


async def test_a_desk_booking_has_no_attendees(graphql: GraphQL, factory: Factory) -> None:
    desk, person = await factory.desk(), await factory.employee()
    body = await graphql(
        "BookDesk",
        {"input": {"deskId": encode_id("Desk", desk.id), "date": next_weekday(2).isoformat()}},
        as_employee=person.id,
    )
    booking_id = body["data"]["bookDesk"]["booking"]["id"]
    node = (await graphql(BOOKING_ATTENDEES, {"id": booking_id}, as_employee=person.id))["data"]["node"]
    assert node["attendees"] == []
