"""checkIn, checkInAtSpace and checkOut through GraphQL: the example operations, executed against the real app.

The app runs on the real clock, so bookings here start at the current quarter hour and last two hours.
"""

from datetime import UTC, datetime, timedelta

from smartoffice.bookings.models import BookingStatus
from smartoffice.ids import encode_id
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.bookings import insert_booking
from tests.support.graphql import GraphQL


def current_quarter() -> datetime:
    now = datetime.now(UTC)
    return now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0)


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value)


async def test_check_in_then_again_then_check_out(graphql: GraphQL, runtime: Runtime, factory: Factory) -> None:
    # given a desk booking running now
    desk, person = await factory.desk(), await factory.employee()
    start = current_quarter()
    booking = await insert_booking(runtime.db, desk, person, start, start + timedelta(hours=2))
    variables = {"input": {"bookingId": encode_id("Booking", booking.id)}}

    first = (await graphql("CheckIn", variables, as_employee=person.id))["data"]["checkIn"]
    again = (await graphql("CheckIn", variables, as_employee=person.id))["data"]["checkIn"]

    assert first["__typename"] == "CheckInSuccess"
    assert first["alreadyCheckedIn"] is False
    assert first["booking"]["status"] == "CHECKED_IN"
    assert first["booking"]["checkedInAt"] is not None
    assert (again["alreadyCheckedIn"], again["booking"]["checkedInAt"]) == (True, first["booking"]["checkedInAt"])

    # when I leave: the booking now ends at a quarter hour, at least one slot after its start, before its old end
    out = (await graphql("CheckOut", variables, as_employee=person.id))["data"]["checkOut"]
    assert out["__typename"] == "CheckOutSuccess"
    end_at = parse(out["booking"]["endAt"])
    assert start + timedelta(minutes=15) <= end_at < start + timedelta(hours=2)
    assert end_at.minute % 15 == 0 and end_at.second == 0


async def test_check_in_at_space_with_a_desk_id(graphql: GraphQL, runtime: Runtime, factory: Factory) -> None:
    desk, person = await factory.desk(), await factory.employee()
    start = current_quarter()
    booking = await insert_booking(runtime.db, desk, person, start, start + timedelta(hours=2))

    result = (
        await graphql("CheckInAtSpace", {"input": {"spaceId": encode_id("Desk", desk.id)}}, as_employee=person.id)
    )["data"]["checkInAtSpace"]

    assert result["__typename"] == "CheckInSuccess"
    assert result["booking"]["id"] == encode_id("Booking", booking.id)
    assert result["booking"]["desk"] == {"id": encode_id("Desk", desk.id), "code": desk.code}


async def test_check_in_at_a_room_by_its_id(graphql: GraphQL, runtime: Runtime, factory: Factory) -> None:
    room, person = await factory.room(name="Ruang Mahakam"), await factory.employee()
    start = current_quarter()
    await insert_booking(runtime.db, room, person, start, start + timedelta(hours=2))

    result = (
        await graphql(
            "CheckInAtSpace", {"input": {"spaceId": encode_id("MeetingRoom", room.id)}}, as_employee=person.id
        )
    )["data"]["checkInAtSpace"]

    assert result["__typename"] == "CheckInSuccess"
    assert result["booking"]["room"]["name"] == "Ruang Mahakam"


async def test_no_booking_at_the_space_is_not_found_with_a_clear_message(graphql: GraphQL, factory: Factory) -> None:
    desk, person = await factory.desk(), await factory.employee()
    space_id = encode_id("Desk", desk.id)

    result = (await graphql("CheckInAtSpace", {"input": {"spaceId": space_id}}, as_employee=person.id, language="id"))[
        "data"
    ]["checkInAtSpace"]

    assert result == {
        "__typename": "NotFoundError",
        "message": "Anda tidak memiliki pemesanan tempat ini untuk check-in saat ini",
        "id": space_id,
    }


async def test_failures_are_union_members(graphql: GraphQL, runtime: Runtime, factory: Factory) -> None:
    desk, person, stranger = await factory.desk(), await factory.employee(), await factory.employee()
    start = current_quarter()
    cancelled = await insert_booking(
        runtime.db, desk, person, start, start + timedelta(hours=1), status=BookingStatus.CANCELLED
    )
    booking_id = encode_id("Booking", cancelled.id)

    async def check_in(sent_id: str, as_employee: int, language: str | None = None) -> dict[str, str]:
        body = await graphql("CheckIn", {"input": {"bookingId": sent_id}}, as_employee=as_employee, language=language)
        result: dict[str, str] = body["data"]["checkIn"]
        return result

    assert await check_in(booking_id, person.id, "id") == {
        "__typename": "ValidationError",
        "message": "Pemesanan ini sudah dibatalkan",
        "field": "bookingId",
        "code": "ALREADY_CANCELLED",
    }
    assert (await check_in(booking_id, stranger.id))["__typename"] == "NotFoundError"  # they may not see it
    assert (await check_in(encode_id("Booking", 999_999), person.id))["__typename"] == "NotFoundError"
    assert (await check_in(encode_id("Desk", desk.id), person.id))["code"] == "INVALID_ID"

    out = (await graphql("CheckOut", {"input": {"bookingId": booking_id}}, as_employee=person.id))["data"]
    assert out["checkOut"]["code"] == "ALREADY_CANCELLED"

    space = (await graphql("CheckInAtSpace", {"input": {"spaceId": booking_id}}, as_employee=person.id))["data"]
    assert space["checkInAtSpace"]["code"] == "INVALID_ID"
    assert "Desk or MeetingRoom" in space["checkInAtSpace"]["message"]


async def test_checking_in_needs_an_identity(graphql: GraphQL, factory: Factory) -> None:
    body = await graphql("CheckIn", {"input": {"bookingId": encode_id("Booking", 1)}})
    assert body["data"] is None
    assert "Authentication required" in body["errors"][0]["message"]
