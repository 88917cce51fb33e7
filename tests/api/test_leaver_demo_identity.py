"""The demo identity (``X-Demo-Employee``) naming a person who left acts as nobody: UNAUTHENTICATED where an
operation needs someone, and no check-in for a leaver by the person who booked for them either."""

from datetime import UTC, datetime, timedelta

from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.ids import encode_id
from smartoffice.integrations.api.live import principal_from_connection_params
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.bookings import insert_booking
from tests.support.graphql import GraphQL
from tests.support.leavers import mark_left

VIEWER = "{ viewer { name } }"
MY_BOOKINGS = "{ myBookings { pageInfo { hasNextPage } } }"


def current_quarter() -> datetime:
    now = datetime.now(UTC)
    return now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0)


async def test_the_header_of_a_person_who_left_is_nobody(graphql: GraphQL, runtime: Runtime, factory: Factory) -> None:
    # given someone the header could act as
    person = await factory.employee()
    assert (await graphql(VIEWER, as_employee=person.id))["data"]["viewer"]["name"] == person.name
    # when they leave
    await mark_left(runtime.db, person)
    # then the header identifies nobody
    assert (await graphql(VIEWER, as_employee=person.id))["data"]["viewer"] is None
    body = await graphql(MY_BOOKINGS, as_employee=person.id)
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_leaver_cannot_check_in_through_the_header(
    graphql: GraphQL, runtime: Runtime, factory: Factory
) -> None:
    desk, person = await factory.desk(), await factory.employee()
    start = current_quarter()
    booking = await insert_booking(runtime.db, desk, person, start, start + timedelta(hours=2))
    await mark_left(runtime.db, person)

    body = await graphql("CheckIn", {"input": {"bookingId": encode_id("Booking", booking.id)}}, as_employee=person.id)

    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_their_booker_cannot_check_them_in(graphql: GraphQL, runtime: Runtime, factory: Factory) -> None:
    boss = await factory.employee()
    staff = await factory.employee(supervisor_id=boss.id, name="Fajar Nugroho")
    desk = await factory.desk()
    start = current_quarter()
    booking = await insert_booking(runtime.db, desk, staff, start, start + timedelta(hours=2), booked_by=boss)
    await mark_left(runtime.db, staff)

    variables = {"input": {"bookingId": encode_id("Booking", booking.id)}}
    result = (await graphql("CheckIn", variables, as_employee=boss.id))["data"]["checkIn"]

    assert result["__typename"] == "ValidationError"
    assert (result["field"], result["code"]) == ("bookingId", "PERSON_INACTIVE")
    assert "Fajar Nugroho is no longer active" in result["message"]
    async with runtime.db.read() as session:
        stored = await session.get(Booking, booking.id)
        assert stored is not None and stored.status == BookingStatus.BOOKED


async def test_a_subscription_naming_a_leaver_is_refused(runtime: Runtime, factory: Factory) -> None:
    # the WebSocket's auth hook (``connection_init``'s employeeId): refused is ``None``, closed 4403
    person = await factory.employee()
    params = {"employeeId": str(person.id)}
    assert await principal_from_connection_params(runtime, params) is not None

    await mark_left(runtime.db, person)

    assert await principal_from_connection_params(runtime, params) is None
