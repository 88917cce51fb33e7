"""What the clients do in each phase, and the facts about the seeded data they need (read from SQL up front)."""

import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from smartoffice.bench.driver import Outcome, Recorder, Step
from smartoffice.bench.http import HttpConnection
from smartoffice.bench.operations import (
    BOOK_DESK,
    CANCEL_BOOKING,
    FIND_ROOMS,
    FLOOR_AVAILABILITY_PACKED,
    OCCUPANCY_REPORT,
    PLAN_ANCHOR_DAYS,
    TYPENAME,
    ArgumentContext,
    ProbedOperation,
    fetch_schema,
    floor_availability_problem,
    outcome_of,
    post,
)
from smartoffice.bench.servers import ServerProcess
from smartoffice.bookings.models import ACTIVE_STATUSES, Booking
from smartoffice.db import Database
from smartoffice.ids import decode_id, encode_id
from smartoffice.people.models import Employee, Role, RoleAssignment
from smartoffice.places.models import Building, Floor, Space, SpaceKind
from smartoffice.workcalendar.service import load_calendar

AVAILABILITY_DAYS = 5
"""Availability reads spread over the next five working days (five floor-days per floor in the index)."""
BOOKING_HORIZON_DAYS = 27
KEEP_EVERY = 2
"""Of each client's successful bookings, every second one is kept (not cancelled): live rows for the audit."""


@dataclass(frozen=True)
class FloorTarget:
    id: int
    desks: int
    building_id: int


@dataclass
class Targets:
    """The seeded data the scenarios aim at."""

    floor_90: FloorTarget
    """The floor whose desk count is nearest to 90."""
    floor_max: FloorTarget
    site_id: int
    employees: list[int]
    report_reader: int
    """An employee who manages the site's facilities (the seed grants it), for the occupancy report."""
    availability_days: list[date]
    booking_days: list[date]
    free_desks: dict[date, list[int]]
    busy_employees: dict[date, set[int]]
    max_booking_id: int
    room_building: tuple[int, int] = (0, 0)
    """(building id, meeting rooms) of the building whose room count is nearest :data:`ROOM_SEARCH_ROOMS`."""


ROOM_SEARCH_ROOMS = 12


async def load_targets(db: Database) -> Targets:
    async with db.read() as session:
        counts = (
            await session.execute(
                select(Floor.id, Floor.building_id, func.count(Space.id))
                .join(Space, Space.floor_id == Floor.id)
                .where(Space.kind == SpaceKind.DESK)
                .group_by(Floor.id, Floor.building_id)
                .order_by(Floor.id)
            )
        ).all()
        floors = [FloorTarget(floor_id, desks, building_id) for floor_id, building_id, desks in counts]
        site_id = await session.scalar(select(func.min(Building.site_id)))
        employees = list(await session.scalars(select(Employee.id).order_by(Employee.id)))
        reader = await session.scalar(
            select(func.min(RoleAssignment.employee_id)).where(RoleAssignment.role == Role.FACILITIES_MANAGER)
        )
        zone = await session.scalar(select(Building.time_zone).limit(1))
        local_today = datetime.now(ZoneInfo(zone or "UTC")).date()
        first, last = local_today + timedelta(days=1), local_today + timedelta(days=BOOKING_HORIZON_DAYS)
        booking_days = (await load_calendar(session, first, last)).working_days(first, last)
        desks = list(await session.scalars(select(Space.id).where(Space.kind == SpaceKind.DESK)))
        booked = await session.execute(
            select(Booking.start_at, Booking.space_id, Booking.employee_id).where(
                Booking.status.in_(ACTIVE_STATUSES),
                Booking.start_at >= datetime.combine(first, datetime.min.time(), ZoneInfo(zone or "UTC")),
            )
        )
        max_booking_id = await session.scalar(select(func.coalesce(func.max(Booking.id), 0)))
        rooms = (
            await session.execute(
                select(Floor.building_id, func.count(Space.id))
                .join(Space, Space.floor_id == Floor.id)
                .where(Space.kind == SpaceKind.ROOM)
                .group_by(Floor.building_id)
            )
        ).all()
    taken: dict[date, set[int]] = {day: set() for day in booking_days}
    busy: dict[date, set[int]] = {day: set() for day in booking_days}
    for start_at, space_id, employee_id in booked:
        day = start_at.astimezone(ZoneInfo(zone or "UTC")).date()
        if day in taken:
            taken[day].add(space_id)
            busy[day].add(employee_id)
    return Targets(
        floor_90=min(floors, key=lambda f: (abs(f.desks - 90), f.id)),
        floor_max=max(floors, key=lambda f: (f.desks, -f.id)),
        site_id=site_id or 0,
        employees=employees,
        report_reader=reader or employees[0],
        availability_days=booking_days[:AVAILABILITY_DAYS],
        booking_days=booking_days,
        free_desks={day: [d for d in desks if d not in taken[day]] for day in booking_days},
        busy_employees=busy,
        max_booking_id=max_booking_id or 0,
        room_building=min(
            ((b, n) for b, n in rooms), key=lambda r: (abs(r[1] - ROOM_SEARCH_ROOMS), r[0]), default=(0, 0)
        ),
    )


def typename_step() -> Step:
    async def step(connection: HttpConnection, recorder: Recorder, _client: int) -> None:
        await recorder.timed("typename", _query(connection, TYPENAME, {}, None))

    return step


def floor_availability_step(name: str, floor: FloorTarget, days: list[date], employees: list[int]) -> Step:
    floor_id = encode_id("Floor", floor.id)
    rng = random.Random(name)

    async def step(connection: HttpConnection, recorder: Recorder, _client: int) -> None:
        variables = {"floorId": floor_id, "date": rng.choice(days).isoformat()}
        await recorder.timed(name, _availability(connection, variables, rng.choice(employees)))

    return step


async def _availability(
    connection: HttpConnection, variables: dict[str, str], employee_id: int
) -> tuple[Outcome, str | None]:
    answer = await post(connection, FLOOR_AVAILABILITY_PACKED, variables, employee_id)
    outcome, detail = outcome_of(answer)
    if outcome == Outcome.OK:
        problem = floor_availability_problem(answer.payload)
        if problem is not None:
            return Outcome.ERROR, problem
    return outcome, detail


def floor_page_step(name: str, floor: FloorTarget, days: list[date]) -> Step:
    rng = random.Random(name)

    async def step(connection: HttpConnection, recorder: Recorder, _client: int) -> None:
        path = f"/floors/{floor.id}?date={rng.choice(days).isoformat()}"
        await recorder.timed(name, _page(connection, path))

    return step


async def _page(connection: HttpConnection, path: str) -> tuple[Outcome, str | None]:
    response = await connection.request("GET", path, headers={"accept": "text/html"})
    if response.status == 200 and b"<svg" in response.body:
        return Outcome.OK, None
    detail = f"HTTP {response.status}: {response.body[:200]!r}"
    if response.status == 503 and response.retry_after:
        return Outcome.BUSY, f"HTTP 503 busy page, Retry-After: {response.retry_after}"
    return (Outcome.MASKED if response.status >= 500 and response.status != 503 else Outcome.ERROR), detail


ROOM_WINDOWS = [(f"{hour:02d}:00:00", f"{hour + 1:02d}:00:00") for hour in range(8, 16)]
"""One-hour meetings from 08:00 to 16:00, local time."""


def find_rooms_step(name: str, building_id: int, days: list[date], employees: list[int]) -> Step:
    """``findRooms`` in one building for a one-hour window of a working day, as anyone planning a meeting asks."""
    building = encode_id("Building", building_id)
    rng = random.Random(name)

    async def step(connection: HttpConnection, recorder: Recorder, _client: int) -> None:
        start, end = rng.choice(ROOM_WINDOWS)
        variables = {"buildingId": building, "date": rng.choice(days).isoformat(), "startTime": start, "endTime": end}
        await recorder.timed(name, _find_rooms(connection, variables, rng.choice(employees)))

    return step


async def _find_rooms(
    connection: HttpConnection, variables: dict[str, Any], employee_id: int
) -> tuple[Outcome, str | None]:
    answer = await post(connection, FIND_ROOMS, variables, employee_id)
    outcome, detail = outcome_of(answer)
    if outcome == Outcome.OK and not isinstance(answer.payload["data"].get("findRooms"), list):
        return Outcome.ERROR, json.dumps(answer.payload["data"])[:300]
    return outcome, detail


def probed_step(name: str, operation: ProbedOperation, employees: list[int]) -> Step:
    assert operation.document is not None and operation.variables is not None
    document, variables = operation.document, operation.variables
    rng = random.Random(name)

    async def step(connection: HttpConnection, recorder: Recorder, _client: int) -> None:
        employee_id = rng.choice(employees)
        await recorder.timed(name, _query(connection, document, variables(employee_id), employee_id))

    return step


def occupancy_report_step(name: str, building_id: int, first: date, last: date, reader: int) -> Step:
    """``occupancyReport`` of one building from ``first`` to ``last``, read by a facilities manager."""
    variables: dict[str, Any] = {
        "scope": {"kind": "BUILDING", "id": encode_id("Building", building_id)},
        "from": first.isoformat(),
        "to": last.isoformat(),
    }

    async def step(connection: HttpConnection, recorder: Recorder, _client: int) -> None:
        await recorder.timed(name, _occupancy_report(connection, variables, reader))

    return step


async def _occupancy_report(
    connection: HttpConnection, variables: dict[str, Any], reader: int
) -> tuple[Outcome, str | None]:
    answer = await post(connection, OCCUPANCY_REPORT, variables, reader)
    outcome, detail = outcome_of(answer)
    if outcome == Outcome.OK and answer.payload["data"]["occupancyReport"]["__typename"] != "OccupancyReport":
        return Outcome.ERROR, json.dumps(answer.payload["data"])[:300]
    return outcome, detail


async def site_buildings(db: Database, site_id: int) -> list[int]:
    query = select(Building.id).where(Building.site_id == site_id, Building.retired_at.is_(None))
    async with db.read() as session:
        return list(await session.scalars(query.order_by(Building.id)))


def plan_anchor_days_step(name: str, building_ids: list[int], week: date, reader: int, last: dict[str, Any]) -> Step:
    """``planAnchorDays`` over ``building_ids`` for the week of ``week``, by a facilities manager; the last answer's
    status, solve time and moves are kept in ``last`` (for the row's note)."""
    variables = {"input": {"buildingIds": [encode_id("Building", b) for b in building_ids], "week": week.isoformat()}}

    async def plan(connection: HttpConnection) -> tuple[Outcome, str | None]:
        answer = await post(connection, PLAN_ANCHOR_DAYS, variables, reader)
        outcome, detail = outcome_of(answer)
        if outcome != Outcome.OK:
            return outcome, detail
        result = answer.payload["data"]["planAnchorDays"]
        if result["__typename"] != "AnchorDayPlan":
            return Outcome.ERROR, json.dumps(result)[:300]
        last.update(status=result["status"], solve_seconds=result["solveSeconds"], moved=result["movedCount"])
        return Outcome.OK, None

    async def step(connection: HttpConnection, recorder: Recorder, _client: int) -> None:
        await recorder.timed(name, plan(connection))

    return step


async def _query(
    connection: HttpConnection, document: str, variables: dict[str, object], employee_id: int | None
) -> tuple[Outcome, str | None]:
    answer = await post(connection, document, variables, employee_id)
    return outcome_of(answer)


class _Pool:
    """A set with O(1) random choice, add and remove."""

    def __init__(self, items: list[int]) -> None:
        self.items = list(items)
        self.position = {item: i for i, item in enumerate(self.items)}

    def choice(self, rng: random.Random) -> int | None:
        return rng.choice(self.items) if self.items else None

    def add(self, item: int) -> None:
        if item not in self.position:
            self.position[item] = len(self.items)
            self.items.append(item)

    def remove(self, item: int) -> None:
        i = self.position.pop(item, None)
        if i is None:
            return
        last = self.items.pop()
        if i < len(self.items):
            self.items[i] = last
            self.position[last] = i


@dataclass
class BookingTally:
    booked: int = 0
    cancelled: int = 0
    conflicts: int = 0
    kept: dict[int, tuple[int, date]] = field(default_factory=dict)
    """Booking id -> (desk id, day) of every success not (successfully) cancelled: must be live in SQL."""


class BookingWorkload:
    """``bookDesk`` on a random free desk and day for one of the client's own employees (so no client races
    itself for a person), then ``cancelBooking`` for half of the successes. Desks are free as far as the clients
    know: two clients can still pick the same desk at once, and SQL must let exactly one win."""

    def __init__(self, targets: Targets, concurrency: int, seed: int = 6) -> None:
        self.days = targets.booking_days
        self.free_desks = {day: _Pool(desks) for day, desks in targets.free_desks.items()}
        self.free_people = [
            {
                day: _Pool([e for e in targets.employees[client::concurrency] if e not in targets.busy_employees[day]])
                for day in self.days
            }
            for client in range(concurrency)
        ]
        self.rngs = [random.Random(seed * 1000 + client) for client in range(concurrency)]
        self.successes = [0] * concurrency
        self.tally = BookingTally()

    async def step(self, connection: HttpConnection, recorder: Recorder, client: int) -> None:
        rng = self.rngs[client]
        day = rng.choice(self.days)
        desk, person = self.free_desks[day].choice(rng), self.free_people[client][day].choice(rng)
        if desk is None or person is None:
            return
        variables = {"input": {"deskId": encode_id("Desk", desk), "date": day.isoformat()}}
        reply: dict[str, object] = {}
        outcome, _ = await recorder.timed("bookDesk", self._book(connection, variables, person, reply))
        if outcome == Outcome.CONFLICT:
            self.tally.conflicts += 1
        if outcome != Outcome.OK:
            return
        booking_id = str(reply["id"])
        self.tally.booked += 1
        self.free_desks[day].remove(desk)
        self.free_people[client][day].remove(person)
        number = _number(booking_id)
        self.tally.kept[number] = (desk, day)
        self.successes[client] += 1
        if self.successes[client] % KEEP_EVERY == 1:
            return
        cancel = {"input": {"bookingId": booking_id}}
        outcome, _ = await recorder.timed("cancelBooking", self._cancel(connection, cancel, person))
        if outcome == Outcome.OK:
            self.tally.cancelled += 1
            del self.tally.kept[number]
            self.free_desks[day].add(desk)
            self.free_people[client][day].add(person)

    @staticmethod
    async def _book(
        connection: HttpConnection, variables: dict[str, Any], person: int, reply: dict[str, object]
    ) -> tuple[Outcome, str | None]:
        answer = await post(connection, BOOK_DESK, variables, person)
        outcome, detail = outcome_of(answer)
        if outcome != Outcome.OK:
            return outcome, detail
        result = answer.payload["data"]["bookDesk"]
        if result["__typename"] == "BookSuccess":
            reply["id"] = result["booking"]["id"]
            return Outcome.OK, None
        if result["__typename"] == "BookingConflictError":
            return Outcome.CONFLICT, None
        return Outcome.ERROR, f"{result['__typename']}: {result.get('message')}"

    @staticmethod
    async def _cancel(connection: HttpConnection, variables: dict[str, Any], person: int) -> tuple[Outcome, str | None]:
        answer = await post(connection, CANCEL_BOOKING, variables, person)
        outcome, detail = outcome_of(answer)
        if outcome != Outcome.OK:
            return outcome, detail
        result = answer.payload["data"]["cancelBooking"]
        if result["__typename"] != "CancelBookingSuccess":
            return Outcome.ERROR, f"{result['__typename']}: {result.get('message')}"
        return Outcome.OK, None


def _number(global_id: str) -> int:
    return decode_id(global_id, "Booking", "id")


async def schema_and_context(targets: Targets, server: ServerProcess) -> tuple[Any, ArgumentContext]:
    """The live schema (by introspection) and the arguments the probed rows are asked with."""
    connection = HttpConnection(server.host, server.port)
    try:
        schema = await fetch_schema(connection)
    finally:
        await connection.close()
    context = ArgumentContext(
        building_id=targets.floor_max.building_id,
        floor_id=targets.floor_90.id,
        site_id=targets.site_id,
        week_of=targets.availability_days[0],
        month_first=targets.availability_days[0].replace(day=1),
    )
    return schema, context
