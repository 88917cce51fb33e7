"""Someone else's booking answers as a booking that does not exist (issue 10, item 10).

A ``bookings:write:any`` token (and a person signed in) got PermissionDenied for a booking they may not see, where a
``bookings:write:self`` token got NotFound, and anyone got NotFound for an id that does not exist: the difference
told which booking ids exist. The rule now, for every mutation that takes a booking id: a booking the caller may
not see is NotFound, whatever the door or scope; PermissionDenied only for one they can already see (in
``bookings`` or ``node``) but may not do this to.
"""

import re
from datetime import time
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from smartoffice.bookings.models import Booking
from smartoffice.bookings.requests import BookRoomRequest
from smartoffice.db import Database
from smartoffice.identity.scopes import Scope
from smartoffice.ids import encode_id
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.auth import bearer, issue_token
from tests.support.clock import next_weekday
from tests.support.graphql import operation

NODE = "query($id: ID!) { node(id: $id) { __typename id } }"
MUTATIONS = {
    "cancelBooking": (operation("CancelBooking"), {}),
    "checkIn": (operation("CheckIn"), {}),
    "checkOut": (operation("CheckOut"), {}),
    "decideBooking": (operation("DecideBooking"), {"accept": True}),
}
CALLERS = ["person", "write:self token", "write:any token"]


async def pending_room_booking(runtime: Runtime, factory: Factory) -> Booking:
    """A room booking awaiting approval: cancel, check in, check out and decide all have something to say."""
    room, owner = await factory.room(requires_approval=True), await factory.employee()
    request = BookRoomRequest(room.id, next_weekday(2), time_of(9), time_of(10))
    return await runtime.bookings.book_room(owner.id, request)


def time_of(hour: int) -> time:
    return time(hour)


class Caller:
    def __init__(self, client: AsyncTestClient, employee_id: int, token: str | None) -> None:
        self.client, self.employee_id, self.token = client, employee_id, token

    async def run(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        if self.token is None:
            path, headers = "/graphql", {"x-demo-employee": str(self.employee_id)}
        else:
            path, headers = "/api/graphql", bearer(self.token)
        response = await self.client.post(path, json={"query": query, "variables": variables}, headers=headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


async def caller(client: AsyncTestClient, db: Database, employee_id: int, kind: str) -> Caller:
    scopes = {
        "person": None,
        "write:self token": (Scope.BOOKINGS_WRITE_SELF, Scope.BOOKINGS_READ),
        "write:any token": (Scope.BOOKINGS_WRITE_SELF, Scope.BOOKINGS_WRITE_ANY, Scope.BOOKINGS_READ),
    }[kind]
    token = None if scopes is None else await issue_token(db, employee_id, *scopes)
    return Caller(client, employee_id, token)


def without_ids(body: dict[str, Any], raw_id: int, global_id: str) -> str:
    """The answer with the booking's ids blanked, so that answers about two ids can be compared."""
    return re.sub(rf"\b{raw_id}\b", "<id>", str(body).replace(global_id, "<gid>"))


class TestABookingTheCallerMayNotSee:
    @pytest.mark.parametrize("kind", CALLERS)
    @pytest.mark.parametrize("mutation", sorted(MUTATIONS))
    async def test_answers_as_one_that_does_not_exist(
        self,
        client: AsyncTestClient,
        runtime: Runtime,
        factory: Factory,
        db: Database,
        mutation: str,
        kind: str,
    ) -> None:
        booking = await pending_room_booking(runtime, factory)
        stranger = await caller(client, db, (await factory.employee()).id, kind)
        document, extra = MUTATIONS[mutation]
        missing_id = booking.id + 1000
        answers = []

        for raw_id in (booking.id, missing_id):
            global_id = encode_id("Booking", raw_id)
            body = await stranger.run(document, {"input": {"bookingId": global_id, **extra}})
            answers.append(without_ids(body, raw_id, global_id))

        assert answers[0] == answers[1]
        assert "PermissionDeniedError" not in answers[0]
        async with db.read() as session:
            assert (await session.get(Booking, booking.id)).status == booking.status  # type: ignore[union-attr]

    @pytest.mark.parametrize("kind", CALLERS)
    async def test_node_lookup(
        self, client: AsyncTestClient, runtime: Runtime, factory: Factory, db: Database, kind: str
    ) -> None:
        booking = await pending_room_booking(runtime, factory)
        stranger = await caller(client, db, (await factory.employee()).id, kind)

        for raw_id in (booking.id, booking.id + 1000):
            body = await stranger.run(NODE, {"id": encode_id("Booking", raw_id)})

            assert body == {"data": {"node": None}}


class TestABookingTheCallerCanSee:
    """PermissionDenied stays where it tells nothing new: the caller already sees the booking."""

    async def test_a_supervisor_may_not_check_in_for_a_report(
        self, client: AsyncTestClient, runtime: Runtime, factory: Factory, db: Database
    ) -> None:
        supervisor = await factory.employee()
        report = await factory.employee(supervisor_id=supervisor.id)
        room = await factory.room()
        booking = await runtime.bookings.book_room(
            report.id, BookRoomRequest(room.id, next_weekday(2), time_of(9), time_of(10))
        )
        as_supervisor = await caller(client, db, supervisor.id, "write:any token")

        body = await as_supervisor.run(operation("CheckIn"), {"input": {"bookingId": encode_id("Booking", booking.id)}})

        assert body["data"]["checkIn"]["__typename"] == "PermissionDeniedError"

    async def test_the_requester_may_not_approve_their_own_booking(
        self, client: AsyncTestClient, runtime: Runtime, factory: Factory, db: Database
    ) -> None:
        booking = await pending_room_booking(runtime, factory)
        requester = await caller(client, db, booking.employee_id, "write:any token")
        variables = {"input": {"bookingId": encode_id("Booking", booking.id), "accept": True}}

        body = await requester.run(operation("DecideBooking"), variables)

        assert body["data"]["decideBooking"] == {
            "__typename": "PermissionDeniedError",
            "message": "Only the room's approvers may decide on its bookings",
        }

    async def test_a_write_self_token_may_not_cancel_a_booking_its_owner_made_for_someone(
        self, client: AsyncTestClient, runtime: Runtime, factory: Factory, db: Database
    ) -> None:
        supervisor = await factory.employee()
        report = await factory.employee(supervisor_id=supervisor.id)
        room = await factory.room()
        request = BookRoomRequest(room.id, next_weekday(2), time_of(9), time_of(10), for_employee_id=report.id)
        booking = await runtime.bookings.book_room(supervisor.id, request)
        token = await caller(client, db, supervisor.id, "write:self token")

        body = await token.run(operation("CancelBooking"), {"input": {"bookingId": encode_id("Booking", booking.id)}})

        assert body["data"]["cancelBooking"]["__typename"] == "PermissionDeniedError"
