"""GraphQL subscriptions over a real WebSocket (graphql-transport-ws, httpx-ws) against the server as users run it.

``smartoffice serve --workers 2`` in its own process group, on the tests' database and Redis: a booking made by an
HTTP request (served by either worker) reaches a subscriber on a WebSocket (held by either worker) through Redis
pub/sub, which is what makes live updates work across app processes.
"""

import json
from collections.abc import AsyncIterator, Iterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from httpx_ws import WebSocketDisconnect, aconnect_ws

from smartoffice.bench.servers import ServerProcess, start_server, wait_ready
from smartoffice.ids import encode_id
from smartoffice.integrations.events import floor_channel, person_channel
from smartoffice.runtime import Runtime
from smartoffice.workcalendar.service import load_calendar
from tests.factories import Factory
from tests.support.clock import local_today
from tests.support.graphql import PROTOCOL, WAIT_SECONDS, connect, listening, next_message, operation


@pytest.fixture(scope="module")
def server(database_url: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    env = {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": "subscriptions-test-secret-0123456789abcdef",
        "DEMO_MODE": "1",  # the demo identity: x-demo-employee on /graphql, employeeId on connection_init
        "RUN_JOBS": "0",
    }
    process = start_server(
        settings_env=env, workers=2, data_dir=tmp_path_factory.mktemp("server"), name="subscriptions"
    )
    yield process
    process.stop()


@pytest.fixture
async def http(server: ServerProcess, runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    # `runtime` is requested so the database is emptied after the test
    await wait_ready(server)
    async with httpx.AsyncClient(base_url=f"http://{server.host}:{server.port}", timeout=WAIT_SECONDS) as client:
        yield client


async def a_working_day(runtime: Runtime) -> date:
    first = local_today() + timedelta(days=1)
    async with runtime.db.read() as session:
        calendar = await load_calendar(session, first, first + timedelta(days=14))
    return next(d for d in (first + timedelta(days=n) for n in range(14)) if calendar.is_working_day(d))


async def test_a_booking_made_by_another_request_reaches_both_subscriptions(
    http: httpx.AsyncClient, runtime: Runtime, factory: Factory, server: ServerProcess
) -> None:
    # given a subscriber to a floor's availability on a day and to their own bookings
    floor = await factory.floor()
    desk, person = await factory.desk(floor, code="T1-1-A1"), await factory.employee()
    day = await a_working_day(runtime)
    async with aconnect_ws("/graphql/ws", http, subprotocols=[PROTOCOL]) as ws:
        assert ws.subprotocol == PROTOCOL
        assert (await connect(ws, {"employeeId": str(person.id)}))["type"] == "connection_ack"
        floor_variables = {"floorId": encode_id("Floor", floor.id), "date": day.isoformat()}
        for ident, name, variables in (
            ("floor", "FloorAvailabilityChanged", floor_variables),
            ("mine", "MyBookingsChanged", {}),
        ):
            payload = {"query": operation(name), "variables": variables}
            await ws.send_text(json.dumps({"id": ident, "type": "subscribe", "payload": payload}))
        await listening(runtime.redis, floor_channel(floor.id), person_channel(person.id))

        # when the person books the desk through another request
        booked = await http.post(
            "/graphql",
            json={
                "query": operation("BookDesk"),
                "variables": {"input": {"deskId": encode_id("Desk", desk.id), "date": day.isoformat()}},
            },
            headers={"x-demo-employee": str(person.id)},
        )
        assert booked.json()["data"]["bookDesk"]["__typename"] == "BookSuccess", booked.text
        booking_id = booked.json()["data"]["bookDesk"]["booking"]["id"]

        # then both subscriptions see it
        received = {}
        while len(received) < 2:
            message = await next_message(ws)
            assert message["type"] == "next", message
            received[message["id"]] = message["payload"]["data"]
        change = received["floor"]["floorAvailabilityChanged"]
        assert (change["kind"], change["deskId"], change["roomId"], change["date"], change["holdsSpace"]) == (
            "CREATED",
            encode_id("Desk", desk.id),
            None,
            day.isoformat(),
            True,
        )
        mine = received["mine"]["myBookingsChanged"]
        assert (mine["kind"], mine["booking"]["id"], mine["booking"]["status"]) == ("CREATED", booking_id, "BOOKED")
        assert mine["booking"]["desk"] == {"id": encode_id("Desk", desk.id), "code": "T1-1-A1"}

        # and a cancellation too
        cancelled = await http.post(
            "/graphql",
            json={"query": operation("CancelBooking"), "variables": {"input": {"bookingId": booking_id}}},
            headers={"x-demo-employee": str(person.id)},
        )
        assert cancelled.json()["data"]["cancelBooking"]["__typename"] == "CancelBookingSuccess"
        kinds = {}
        while len(kinds) < 2:
            message = await next_message(ws)
            data = message["payload"]["data"]
            kinds[message["id"]] = next(iter(data.values()))
        assert kinds["floor"]["kind"] == "CANCELLED" and kinds["floor"]["holdsSpace"] is False
        assert kinds["mine"]["booking"]["status"] == "CANCELLED"


@pytest.mark.parametrize("payload", [{}, {"employeeId": "999999"}, {"employeeId": "x"}, {"token": "so_bogus"}])
async def test_a_connection_without_a_valid_identity_is_refused(
    http: httpx.AsyncClient, payload: dict[str, Any]
) -> None:
    async with aconnect_ws("/graphql/ws", http, subprotocols=[PROTOCOL]) as ws:
        await ws.send_text(json.dumps({"type": "connection_init", "payload": payload}))
        with pytest.raises(WebSocketDisconnect) as closed:
            await ws.receive_text(timeout=WAIT_SECONDS)
    assert closed.value.code == 4403


async def test_queries_are_not_served_on_the_websocket_path(http: httpx.AsyncClient) -> None:
    response = await http.post("/graphql/ws", json={"query": "{ __typename }"})
    assert response.status_code in (404, 405)
