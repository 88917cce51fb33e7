"""Rooms through GraphQL: findRooms offers exactly the rooms bookRoom accepts (closures, the building's and the
room's hours, the changeover buffer), and a room's approver who is not a facilities manager lists and decides what
waits for them, with a reason that reaches the person."""

from sqlalchemy import select

from smartoffice.audit.models import AuditEntry
from smartoffice.db import Database
from smartoffice.ids import encode_id
from smartoffice.places.models import SpaceKind
from tests.factories import Factory
from tests.support.clock import at, next_weekday
from tests.support.graphql import GraphQL

PENDING_WITH_REASON = """
query PendingRoomBookings($filter: BookingFilter) {
  bookings(filter: $filter) {
    ... on BookingConnection { edges { node { id status title cancelReason } } }
  }
}
"""


def room_input(room_id: int, day: str, start: str, end: str) -> dict[str, object]:
    return {"input": {"roomId": encode_id("MeetingRoom", room_id), "date": day, "startTime": start, "endTime": end}}


async def test_find_rooms_offers_only_rooms_book_room_accepts(graphql: GraphQL, factory: Factory) -> None:
    # given a building whose rooms each fail one of booking's rules at 09:00-10:00, but one
    tuesday = next_weekday(1)
    building = await factory.building()
    await factory.booking_rule(building, SpaceKind.ROOM, buffer_minutes=30)
    floor = await factory.floor(building)
    free = await factory.room(floor, code="R-FREE")
    closed = await factory.room(floor, code="R-CLOSED")
    afternoons = await factory.room(floor, code="R-PM", bookable_hours={"2": ["13:00", "17:00"]})
    mondays = await factory.room(floor, code="R-MON", bookable_hours={"1": ["08:00", "17:00"]})
    changeover = await factory.room(floor, code="R-BUFFER")
    await factory.closure("Pengecatan", space_id=closed.id, start_at=at(tuesday, 9, 30), end_at=at(tuesday, 12))
    person = await factory.employee()
    earlier = await graphql(
        "BookRoom", room_input(changeover.id, tuesday.isoformat(), "08:00", "08:45"), as_employee=person.id
    )
    assert earlier["data"]["bookRoom"]["__typename"] == "BookSuccess"
    variables = {
        "buildingId": encode_id("Building", building.id),
        "date": tuesday.isoformat(),
        "startTime": "09:00",
        "endTime": "10:00",
    }

    # when
    offered = (await graphql("FindRooms", variables))["data"]["findRooms"]

    # then the free room only; and bookRoom agrees with each answer
    assert [r["code"] for r in offered] == ["R-FREE"]
    for room, accepted in ((closed, False), (afternoons, False), (mondays, False), (changeover, False), (free, True)):
        answer = await graphql(
            "BookRoom", room_input(room.id, tuesday.isoformat(), "09:00", "10:00"), as_employee=person.id
        )
        assert (answer["data"]["bookRoom"]["__typename"] == "BookSuccess") is accepted, room.code


async def test_room_approver_lists_and_declines_with_a_reason(graphql: GraphQL, factory: Factory, db: Database) -> None:
    # given a room needing approval, its approver (no role at all) and a pending request
    room = await factory.room(requires_approval=True)
    approver, requester = await factory.employee(name="Rina Approver"), await factory.employee()
    await factory.approver(room, approver)
    day = next_weekday(2).isoformat()
    requested = await graphql("BookRoom", room_input(room.id, day, "10:00", "11:00"), as_employee=requester.id)
    booking_id = requested["data"]["bookRoom"]["booking"]["id"]
    pending = {"filter": {"statuses": ["PENDING"]}}

    # when the approver lists what waits for them
    listed = (await graphql(PENDING_WITH_REASON, pending, as_employee=approver.id))["data"]["bookings"]["edges"]

    # then they see it (bookings/visibility.py left room approvers out)
    assert [e["node"]["id"] for e in listed] == [booking_id]

    # when they decline it with a reason
    decided = await graphql(
        "DecideBooking",
        {"input": {"bookingId": booking_id, "accept": False, "reason": "Ruang dipakai acara pimpinan"}},
        as_employee=approver.id,
    )

    # then the person reads the reason, and the decision is audited
    assert decided["data"]["decideBooking"]["booking"]["status"] == "REJECTED"
    everything = {"filter": {"statuses": ["REJECTED"]}}
    mine = (await graphql(PENDING_WITH_REASON, everything, as_employee=requester.id))["data"]["bookings"]["edges"]
    assert mine[0]["node"]["cancelReason"] == "Ruang dipakai acara pimpinan"
    async with db.read() as session:
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "booking.decide"))
    assert entry is not None
    assert (entry.actor_id, entry.after) == (
        approver.id,
        {"status": "rejected", "reason": "Ruang dipakai acara pimpinan"},
    )

    # and someone who approves nothing still sees nothing of it
    stranger = await factory.employee()
    assert (await graphql(PENDING_WITH_REASON, everything, as_employee=stranger.id))["data"]["bookings"]["edges"] == []
