"""Several server processes on one database and one Redis, started as a user starts them (``smartoffice serve``).

Two processes on loopback share the test's database (on SQLite, the same file) and Redis server. Bookings raced
through both have exactly one winner per desk-slot; both answer availability alike, also right after a change made
through the other; a change made through one reaches a live-update subscriber on the other (Redis pub/sub); the
background jobs, which every process runs, hand each no-show to exactly one run.
"""

import asyncio
import json
import re
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from httpx_ws import aconnect_ws
from redis.asyncio import Redis
from sqlalchemy import select

from smartoffice.bench.http import HttpConnection
from smartoffice.bench.operations import BOOK_DESK, CANCEL_BOOKING, FLOOR_AVAILABILITY, post
from smartoffice.bench.servers import ServerProcess, start_server, wait_ready
from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.db import Database
from smartoffice.ids import decode_id, encode_id
from smartoffice.integrations.events import floor_channel
from smartoffice.places.models import Space
from smartoffice.runtime import redis_client
from smartoffice.workcalendar.service import WorkingCalendar
from tests.factories import Factory
from tests.support.bookings import insert_booking
from tests.support.clock import local_today
from tests.support.database import empty_database
from tests.support.graphql import PROTOCOL, WAIT_SECONDS, connect, listening, next_message, operation

RACED_DESKS, RACERS_PER_DESK, NO_SHOWS = 5, 6, 3
RELEASE_WAIT_SECONDS = 30.0


@dataclass
class Office:
    servers: list[ServerProcess]
    db: Database
    floor_id: int
    raced: list[Space]
    untouched: Space
    racers: list[list[int]]
    """Employee ids racing for each raced desk (nobody races for two desks: no person conflicts)."""
    no_shows: list[int]
    day: date


def next_working_day(after: date | None = None) -> date:
    first = (after or local_today()) + timedelta(days=1)
    return WorkingCalendar.build(first, first + timedelta(days=14)).working_days(first, first + timedelta(days=14))[0]


@pytest.fixture(scope="module")
async def office(database_url: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Office]:
    db = Database.from_url(database_url)
    factory = Factory(db)
    floor = await factory.floor()
    raced = [await factory.desk(floor=floor) for _ in range(RACED_DESKS)]
    untouched = await factory.desk(floor=floor)
    unit = await factory.unit()
    racers = [[(await factory.employee(unit=unit)).id for _ in range(RACERS_PER_DESK)] for _ in raced]
    # No-shows of this morning, there before the servers start: each process's release job runs at its start.
    now = datetime.now(UTC)
    other_floor = await factory.floor()
    no_shows = [
        await insert_booking(
            db, await factory.desk(floor=other_floor), await factory.employee(unit=unit), now - timedelta(hours=2), now
        )
        for _ in range(NO_SHOWS)
    ]
    base = tmp_path_factory.mktemp("scale-out")
    env = {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": "scale-out-test-secret-0123456789",
        "DEMO_MODE": "1",  # callers name themselves in the X-Demo-Employee header
    }
    servers = [start_server(settings_env=env, workers=1, data_dir=base / f"p{n}", name=f"p{n}") for n in (1, 2)]
    try:
        await asyncio.gather(*(wait_ready(s) for s in servers))
        yield Office(servers, db, floor.id, raced, untouched, racers, [b.id for b in no_shows], next_working_day())
    finally:
        for server in servers:
            server.stop()
        await db.dispose()
        redis: Redis = redis_client(redis_url)
        await empty_database(database_url, redis)
        await redis.aclose()


async def book(server: ServerProcess, desk: Space, employee_id: int, day: date) -> dict:
    connection = HttpConnection(server.host, server.port)
    try:
        variables = {"input": {"deskId": encode_id("Desk", desk.id), "date": day.isoformat()}}
        answer = await post(connection, BOOK_DESK, variables, employee_id)
        status, payload = answer.status, answer.payload
    finally:
        await connection.close()
    assert status == 200 and "errors" not in payload, payload
    return payload["data"]["bookDesk"]


async def statuses(server: ServerProcess, office: Office) -> dict[str, str]:
    connection = HttpConnection(server.host, server.port)
    try:
        variables = {"floorId": encode_id("Floor", office.floor_id), "date": office.day.isoformat()}
        answer = await post(connection, FLOOR_AVAILABILITY, variables, office.racers[0][0])
        status, payload = answer.status, answer.payload
    finally:
        await connection.close()
    assert status == 200 and "errors" not in payload, payload
    return {d["desk"]["code"]: d["status"] for d in payload["data"]["floor"]["availability"]["desks"]}


async def test_bookings_raced_through_two_processes_have_one_winner_per_desk(office: Office) -> None:
    # given: racers for each desk, alternately sent to either process, all at once
    attempts = [
        (desk, employee_id, office.servers[n % 2])
        for desk, employees in zip(office.raced, office.racers, strict=True)
        for n, employee_id in enumerate(employees)
    ]
    # when
    results = await asyncio.gather(*(book(server, desk, e, office.day) for desk, e, server in attempts))
    # then
    outcomes = Counter((desk.code, r["__typename"]) for (desk, _, _), r in zip(attempts, results, strict=True))
    for desk in office.raced:
        assert outcomes[(desk.code, "BookSuccess")] == 1, outcomes
        assert outcomes[(desk.code, "BookingConflictError")] == RACERS_PER_DESK - 1, outcomes
    # and both processes answer availability alike: the raced desks booked, the other free
    first, second = await asyncio.gather(*(statuses(s, office) for s in office.servers))
    assert first == second
    assert first == {**{d.code: "BOOKED" for d in office.raced}, office.untouched.code: "FREE"}


async def test_a_change_made_through_one_process_is_seen_by_the_other(office: Office) -> None:
    first, second = office.servers
    # someone with no desk that day (a racer of the previous test may have won one: one desk per person)
    async with office.db.read() as session:
        busy = set(
            (await session.scalars(select(Booking.employee_id).where(Booking.status == BookingStatus.BOOKED))).all()
        )
    employee_id = next(e for employees in office.racers for e in employees if e not in busy)
    # when: booked through the first process
    result = await book(first, office.untouched, employee_id, office.day)
    # then: the second process sees it at once
    assert result["__typename"] == "BookSuccess", result
    assert (await statuses(second, office))[office.untouched.code] == "BOOKED"
    # when: cancelled through the second
    connection = HttpConnection(second.host, second.port)
    try:
        variables = {"input": {"bookingId": result["booking"]["id"]}}
        answer = await post(connection, CANCEL_BOOKING, variables, employee_id)
        status, payload = answer.status, answer.payload
    finally:
        await connection.close()
    assert status == 200
    assert payload["data"]["cancelBooking"]["__typename"] == "CancelBookingSuccess", payload
    # then: the first process sees the desk free again
    assert (await statuses(first, office))[office.untouched.code] == "FREE"
    assert decode_id(result["booking"]["id"], "Booking", "id") > 0


async def test_every_process_runs_the_jobs_but_each_no_show_is_released_once(office: Office) -> None:
    # given: both processes have started their jobs; wait (bounded) for the no-shows to be released
    deadline = time.monotonic() + RELEASE_WAIT_SECONDS
    while True:
        async with office.db.read() as session:
            rows = (await session.scalars(select(Booking).where(Booking.id.in_(office.no_shows)))).all()
        if all(b.status == BookingStatus.RELEASED for b in rows) or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.2)
    # then: released, each by exactly one conditional UPDATE (a second one would have bumped the version again)
    assert [b.status for b in rows] == [BookingStatus.RELEASED] * NO_SHOWS
    assert [b.version for b in rows] == [2] * NO_SHOWS
    # and the processes' own reports add up to one release per no-show, with no job failing anywhere
    logs = [s.log_tail(lines=10_000) for s in office.servers]
    released = [int(n) for log in logs for n in re.findall(r"job release_no_shows: (\d+)", log)]
    assert sum(released) == NO_SHOWS, logs
    assert not any("Traceback" in log or "job release_no_shows failed" in log for log in logs), logs


async def test_a_booking_made_through_one_process_reaches_a_subscriber_on_the_other(
    office: Office, redis_url: str
) -> None:
    subscribed, booking = office.servers
    day = next_working_day(after=office.day)  # a later day: the desk and the person are free on it
    employee_id = office.racers[-1][-1]
    redis: Redis = redis_client(redis_url)
    base_url = f"http://{subscribed.host}:{subscribed.port}"
    try:
        async with (
            httpx.AsyncClient(base_url=base_url, timeout=WAIT_SECONDS) as http,
            aconnect_ws("/graphql/ws", http, subprotocols=[PROTOCOL]) as ws,
        ):
            # given: a subscriber to the floor on the first process
            assert (await connect(ws, {"employeeId": str(employee_id)}))["type"] == "connection_ack"
            variables = {"floorId": encode_id("Floor", office.floor_id), "date": day.isoformat()}
            payload = {"query": operation("FloorAvailabilityChanged"), "variables": variables}
            await ws.send_text(json.dumps({"id": "floor", "type": "subscribe", "payload": payload}))
            await listening(redis, floor_channel(office.floor_id))
            # when: the desk is booked through the second process
            result = await book(booking, office.untouched, employee_id, day)
            assert result["__typename"] == "BookSuccess", result
            # then: the first process pushes the change
            message = await next_message(ws)
    finally:
        await redis.aclose()
    assert message["type"] == "next", message
    change = message["payload"]["data"]["floorAvailabilityChanged"]
    assert (change["kind"], change["deskId"], change["date"]) == (
        "CREATED",
        encode_id("Desk", office.untouched.id),
        day.isoformat(),
    )
