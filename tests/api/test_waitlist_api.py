"""The waitlist over GraphQL: joinWaitlist / myWaitlist / leaveWaitlist, typed refusals, and a grant seen in
myWaitlist after the desk's booking is cancelled (the rules themselves: tests/integration/test_waitlist*.py)."""

from smartoffice.bookings.requests import BookDeskRequest
from smartoffice.ids import encode_id
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.clock import tomorrow
from tests.support.graphql import GraphQL

MINE = "query { myWaitlist { id status position placeName deskCode skipReason } }"
LEAVE = """
mutation Leave($input: LeaveWaitlistInput!) {
  leaveWaitlist(input: $input) { __typename ... on LeaveWaitlistSuccess { entry { status } } ... on Error { code } }
}
"""


async def test_join_see_and_leave_the_line_and_a_grant(graphql: GraphQL, runtime: Runtime, factory: Factory) -> None:
    day = tomorrow()
    building = await factory.building(name="Menara 2")
    floor = await factory.floor(building, name="Lantai 3")
    zone = await factory.zone(floor, name="Zona A")
    desk = await factory.desk(floor, zone_id=zone.id)
    owner, waiter, second = await factory.employee(), await factory.employee(), await factory.employee()
    join = {"input": {"floorId": encode_id("Floor", floor.id), "date": day.isoformat()}}

    not_full = (await graphql("JoinWaitlist", join, as_employee=waiter.id))["data"]["joinWaitlist"]
    assert (not_full["__typename"], not_full["code"]) == ("ValidationError", "WAITLIST_NOT_FULL")
    booking = await runtime.bookings.book_desk(owner.id, BookDeskRequest(desk.id, day))
    joined = (await graphql("JoinWaitlist", join, as_employee=waiter.id))["data"]["joinWaitlist"]
    by_zone = {"input": {"zoneId": encode_id("Zone", zone.id), "date": day.isoformat()}}
    zoned = (await graphql("JoinWaitlist", by_zone, as_employee=second.id))["data"]["joinWaitlist"]
    bad_id = {"input": {"floorId": encode_id("Zone", zone.id), "date": day.isoformat()}}
    malformed = (await graphql("JoinWaitlist", bad_id, as_employee=second.id))["data"]["joinWaitlist"]

    assert joined["__typename"] == "JoinWaitlistSuccess"
    assert (joined["entry"]["placeName"], joined["entry"]["status"], joined["entry"]["position"]) == (
        "Menara 2 · Lantai 3",
        "WAITING",
        1,
    )
    assert (zoned["entry"]["placeName"], zoned["entry"]["position"]) == ("Menara 2 · Lantai 3 · Zona A", 2)
    assert (malformed["code"], malformed["field"]) == ("INVALID_ID", "floorId")

    await runtime.bookings.cancel(owner.id, booking.id)

    [granted] = (await graphql(MINE, as_employee=waiter.id))["data"]["myWaitlist"]
    assert (granted["status"], granted["deskCode"], granted["position"]) == ("GRANTED", desk.code, None)
    [waiting] = (await graphql(MINE, as_employee=second.id))["data"]["myWaitlist"]
    assert (waiting["status"], waiting["position"]) == ("WAITING", 1)
    others = (await graphql(LEAVE, {"input": {"entryId": waiting["id"]}}, as_employee=waiter.id))["data"]
    assert others["leaveWaitlist"] == {"__typename": "NotFoundError", "code": "NOT_FOUND"}
    left = (await graphql(LEAVE, {"input": {"entryId": waiting["id"]}}, as_employee=second.id))["data"]
    assert left["leaveWaitlist"] == {"__typename": "LeaveWaitlistSuccess", "entry": {"status": "LEFT"}}
    assert (await graphql(MINE, as_employee=second.id))["data"]["myWaitlist"] == []
