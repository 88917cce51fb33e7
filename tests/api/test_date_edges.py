"""Dates at the ends of the calendar (issue 10, item 5).

Year 1 and 9999-12-31 parsed as dates, then overflowed in the services (a building's local midnight in UTC, a week
around the day, 26 weeks of a series): an ``OverflowError``, a masked "Unexpected error.". The ``Date`` and
``DateTime`` scalars now accept 1970-01-01..2199-12-31 only, and refuse anything else before a resolver runs: a
top-level error with ``extensions.code`` ``BAD_USER_INPUT`` and ``extensions.reason`` ``DATE_OUT_OF_RANGE``.
"""

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from smartoffice.api.scalars import SUPPORTED_DATE_TIME
from smartoffice.bookings.models import Booking, BookingSeries
from smartoffice.db import Database
from smartoffice.ids import encode_id
from smartoffice.people.models import Role
from smartoffice.policies.models import AnchorDay, Exemption, WorkDay
from smartoffice.workcalendar.models import CalendarOverride
from tests.factories import Factory
from tests.support.graphql import GraphQL

EDGES = ["0001-01-01", "9999-12-31", "9999-12-31T23:59:59Z", "1969-12-31", "2200-01-01"]
"""Both ends of what Python can hold, a DateTime where a Date belongs, and the first days outside the range."""

OPERATIONS: dict[str, tuple[str, str]] = {
    # name: (variable declarations, selection using $d)
    "bookDesk": ("$desk: ID!", "bookDesk(input: {deskId: $desk, date: $d}) { __typename }"),
    "validateBookDesk": ("$desk: ID!", "validateBookDesk(input: {deskId: $desk, date: $d}) { __typename }"),
    "bookRoom": (
        "$room: ID!",
        'bookRoom(input: {roomId: $room, date: $d, startTime: "09:00", endTime: "10:00"}) { __typename }',
    ),
    "bookRecurring": (
        "$desk: ID!",
        'bookRecurring(input: {spaceId: $desk, rrule: "FREQ=DAILY;COUNT=3", startsOn: $d, startTime: "09:00", '
        'endTime: "17:00"}) { __typename }',
    ),
    "setWorkPlan": ("", "setWorkPlan(input: {date: $d, mode: HOME}) { __typename }"),
    "recordAttendance": (
        "$me: ID!",
        "recordAttendance(input: {employeeId: $me, date: $d, mode: OFFICE}) { __typename }",
    ),
    "releaseAssignedDesk": ("$desk: ID!", "releaseAssignedDesk(input: {deskId: $desk, date: $d}) { __typename }"),
    "setCalendarOverride": (
        "",
        'setCalendarOverride(input: {date: $d, kind: PUBLIC_HOLIDAY, name: "Edge"}) { __typename }',
    ),
    "removeCalendarOverride": ("", "removeCalendarOverride(input: {date: $d}) { __typename }"),
    "requestExemption": (
        "",
        'requestExemption(input: {remoteDaysPerWeek: 1, startsOn: "2030-01-01", endsOn: $d, reason: "r", '
        'evidence: "e", workPlan: "w"}) { __typename }',
    ),
    "setAnchorDays": (
        "$unit: ID!",
        "setAnchorDays(input: {unitId: $unit, weekdays: [MONDAY], effectiveFrom: $d}) { __typename }",
    ),
    "endPolicy": ('$policy: ID! = "UG9saWN5OjE="', "endPolicy(input: {policyId: $policy, lastDay: $d}) { __typename }"),
    "floor.availability": ("$floor: ID!", "floor(id: $floor) { availability(date: $d) { __typename } }"),
    "floor.availabilityPacked": ("$floor: ID!", "floor(id: $floor) { availabilityPacked(date: $d) { __typename } }"),
    "findRooms": (
        "$building: ID!",
        'findRooms(buildingId: $building, date: $d, startTime: "09:00", endTime: "10:00") { id }',
    ),
    "buildingOccupancy": (
        "$building: ID!",
        'buildingOccupancy(buildingId: $building, from: "2030-01-01", to: $d) { __typename }',
    ),
    "myWeek": ("", "myWeek(weekOf: $d) { __typename }"),
    "unitCompliance": ("$unit: ID!", "unitCompliance(unitId: $unit, weekOf: $d) { __typename }"),
    "calendarDays": ("", 'calendarDays(from: $d, to: "2030-01-01") { __typename }'),
    "bookings": ("", "bookings(filter: {from: $d}) { __typename }"),
    "policies": ("", "policies(at: $d) { id }"),
}
MUTATIONS = {
    "bookDesk",
    "validateBookDesk",
    "bookRoom",
    "bookRecurring",
    "setWorkPlan",
    "recordAttendance",
    "releaseAssignedDesk",
    "setCalendarOverride",
    "removeCalendarOverride",
    "requestExemption",
    "setAnchorDays",
    "endPolicy",
}


def document(name: str) -> str:
    declarations, selection = OPERATIONS[name]
    kind = "mutation" if name in MUTATIONS else "query"
    variables = ", ".join(d for d in ("$d: Date!", declarations) if d)
    return f"{kind}({variables}) {{ {selection} }}"


async def rows_written(db: Database) -> int:
    async with db.read() as session:
        counts = [
            await session.scalar(select(func.count()).select_from(model))
            for model in (Booking, BookingSeries, WorkDay, CalendarOverride, Exemption, AnchorDay)
        ]
    return sum(c or 0 for c in counts)


async def place_ids(factory: Factory) -> tuple[int, dict[str, str]]:
    """An administrator who is also a unit's member, and the ids of a building, floor, desk and room."""
    building = await factory.building()
    floor = await factory.floor(building)
    desk, room = await factory.desk(floor), await factory.room(floor)
    unit = await factory.unit()
    admin = await factory.employee(unit)
    await factory.role(admin, Role.ADMIN)
    ids = {
        "desk": encode_id("Desk", desk.id),
        "room": encode_id("MeetingRoom", room.id),
        "floor": encode_id("Floor", floor.id),
        "building": encode_id("Building", building.id),
        "unit": encode_id("OrgUnit", unit.id),
        "me": encode_id("Employee", admin.id),
    }
    return admin.id, ids


def assert_refused_as_out_of_range(result: dict[str, Any], value: str) -> None:
    assert "Unexpected error." not in str(result)
    assert result.get("data") is None, result
    [error] = result["errors"]
    if "T" in value:  # not a date at all: the ordinary "cannot represent" refusal (its code is graphql-core's)
        assert f'Value cannot represent a Date: "{value}"' in error["message"]
        return
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    assert error["extensions"]["reason"] == "DATE_OUT_OF_RANGE"
    assert (error["extensions"]["min"], error["extensions"]["max"]) == ("1970-01-01", "2199-12-31")
    assert f'Value cannot represent a Date: "{value}". Dates run from 1970-01-01 to 2199-12-31.' in error["message"]


class TestADateOutsideTheRangeInAVariable:
    @pytest.mark.parametrize("value", EDGES)
    @pytest.mark.parametrize("name", sorted(OPERATIONS))
    async def test_is_refused_before_anything_runs(
        self, graphql: GraphQL, factory: Factory, db: Database, name: str, value: str
    ) -> None:
        admin_id, ids = await place_ids(factory)
        declarations = OPERATIONS[name][0]
        variables = {key: ident for key, ident in ids.items() if f"${key}:" in declarations}

        result = await graphql(document(name), {**variables, "d": value}, as_employee=admin_id)

        assert_refused_as_out_of_range(result, value)
        assert await rows_written(db) == 0


class TestADateOutsideTheRangeInTheDocument:
    """Written inline, the value is refused while the document is validated, with the same extensions."""

    @pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
    async def test_book_desk(self, graphql: GraphQL, factory: Factory, db: Database, value: str) -> None:
        admin_id, ids = await place_ids(factory)
        query = f'mutation {{ bookDesk(input: {{deskId: "{ids["desk"]}", date: "{value}"}}) {{ __typename }} }}'

        result = await graphql(query, as_employee=admin_id)

        assert_refused_as_out_of_range(result, value)
        assert await rows_written(db) == 0

    async def test_find_rooms(self, graphql: GraphQL, factory: Factory) -> None:
        admin_id, ids = await place_ids(factory)
        query = (
            f'{{ findRooms(buildingId: "{ids["building"]}", date: "9999-12-31", startTime: "09:00", '
            'endTime: "10:00") { id } }'
        )

        assert_refused_as_out_of_range(await graphql(query, as_employee=admin_id), "9999-12-31")


class TestTheEndsOfTheRange:
    """The first and last supported days still work (they are inside)."""

    @pytest.mark.parametrize("day", ["1970-01-01", "2199-12-31"])
    async def test_floor_availability_packed(self, graphql: GraphQL, factory: Factory, day: str) -> None:
        admin_id, ids = await place_ids(factory)

        result = await graphql(
            document("floor.availabilityPacked"), {"d": day, "floor": ids["floor"]}, as_employee=admin_id
        )

        assert "errors" not in result, result
        assert result["data"]["floor"]["availabilityPacked"]["__typename"] == "PackedFloorAvailability"

    @pytest.mark.parametrize("day", ["1970-01-01", "2199-12-31"])
    async def test_find_rooms(self, graphql: GraphQL, factory: Factory, day: str) -> None:
        admin_id, ids = await place_ids(factory)

        result = await graphql(document("findRooms"), {"d": day, "building": ids["building"]}, as_employee=admin_id)

        assert "errors" not in result, result


class TestTheDateTimeScalar:
    """No argument takes a DateTime today; the scalar refuses the same range for the day one does."""

    @pytest.mark.parametrize(
        "value",
        ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "9999-12-31T23:59:59-01:00", "2200-01-01T00:00:00+08:00"],
    )
    def test_refuses_an_instant_outside(self, value: str) -> None:
        with pytest.raises(Exception) as refused:
            SUPPORTED_DATE_TIME.parse_value(value)  # type: ignore[misc]

        assert getattr(refused.value, "extensions", {}).get("reason") == "DATE_OUT_OF_RANGE"

    def test_accepts_an_instant_inside(self) -> None:
        parsed = SUPPORTED_DATE_TIME.parse_value("2199-12-31T23:59:59+00:00")  # type: ignore[misc]

        assert parsed.date() == date(2199, 12, 31)
