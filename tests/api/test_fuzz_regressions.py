"""Bugs the GraphQL fuzzer (tests/api/test_fuzz_graphql.py) found, each pinned by the smallest request that hit it."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from smartoffice.bookings.models import Booking
from smartoffice.db import Database
from smartoffice.identity.scopes import Scope
from smartoffice.ids import encode_id
from smartoffice.people.models import Role
from smartoffice.workcalendar.models import CalendarOverride
from tests.factories import Factory
from tests.support.auth import bearer, issue_token
from tests.support.graphql import GraphQL

BOOK_ROOM = """mutation($input: BookRoomInput!) {
  bookRoom(input: $input) { __typename ... on Error { message } }
}"""
FIND_ROOMS = """query($building: ID!, $date: Date!, $start: Time!, $end: Time!) {
  findRooms(buildingId: $building, date: $date, startTime: $start, endTime: $end) { id }
}"""


def next_week() -> str:
    return (datetime.now(UTC).date() + timedelta(days=7)).isoformat()


async def bookings_count(db: Database) -> int:
    async with db.read() as session:
        return len((await session.execute(Booking.__table__.select())).all())


class TestATimeWithAnOffset:
    """``09:00+08:00`` is not a local time: it met the buildings' naive hours in a comparison and raised TypeError
    (a masked "Unexpected error."). It is refused like any other malformed time, before anything runs."""

    async def test_is_refused_when_booking_a_room(self, graphql: GraphQL, factory: Factory, db: Database) -> None:
        room, person = await factory.room(), await factory.employee()
        variables = {
            "input": {
                "roomId": encode_id("MeetingRoom", room.id),
                "date": next_week(),
                "startTime": "09:00+08:00",
                "endTime": "10:00",
            }
        }

        result = await graphql(BOOK_ROOM, variables, as_employee=person.id)

        assert result["data"] is None
        [error] = result["errors"]
        assert 'Value cannot represent a Time: "09:00+08:00".' in error["message"]
        assert "without an offset" in error["message"]
        assert await bookings_count(db) == 0

    async def test_is_refused_when_finding_rooms(self, graphql: GraphQL, factory: Factory) -> None:
        building = await factory.building()
        await factory.room(await factory.floor(building))
        variables = {"building": encode_id("Building", building.id), "date": next_week(), "start": "09:00"}

        result = await graphql(FIND_ROOMS, {**variables, "end": "10:00+00:00"}, as_employee=1)

        assert result["data"] is None
        assert 'Value cannot represent a Time: "10:00+00:00".' in result["errors"][0]["message"]

    async def test_a_local_time_still_works(self, graphql: GraphQL, factory: Factory) -> None:
        building = await factory.building()
        room = await factory.room(await factory.floor(building))
        person = await factory.employee()
        variables = {"building": encode_id("Building", building.id), "date": next_week(), "start": "09:00"}

        result = await graphql(FIND_ROOMS, {**variables, "end": "10:00:00"}, as_employee=person.id)

        assert result == {"data": {"findRooms": [{"id": encode_id("MeetingRoom", room.id)}]}}


MY_WEEK = """query($weekOf: Date) {
  myWeek(weekOf: $weekOf) { __typename ... on ValidationError { field code message } }
}"""
UNIT_COMPLIANCE = """query($unit: ID!, $weekOf: Date) {
  unitCompliance(unitId: $unit, weekOf: $weekOf) { __typename ... on ValidationError { field code message } }
}"""


class TestAWeekAtTheEdgeOfTheCalendar:
    """The week of 0001-01-01 (or 9999-12-31) ran off the calendar while loading the days around it: OverflowError,
    a masked "Unexpected error.". The ``Date`` scalar now bounds every date to 1970..2199 before anything runs
    (tests/api/test_date_edges.py covers every operation taking a date)."""

    @staticmethod
    def assert_refused(result: dict[str, Any]) -> None:
        assert result.get("data") is None
        [error] = result["errors"]
        assert (error["extensions"]["code"], error["extensions"]["reason"]) == ("BAD_USER_INPUT", "DATE_OUT_OF_RANGE")
        assert "Dates run from 1970-01-01 to 2199-12-31." in error["message"]

    @pytest.mark.parametrize("week_of", ["0001-01-01", "9999-12-31"])
    async def test_my_week(self, graphql: GraphQL, factory: Factory, week_of: str) -> None:
        person = await factory.employee()

        result = await graphql(MY_WEEK, {"weekOf": week_of}, as_employee=person.id)

        self.assert_refused(result)

    @pytest.mark.parametrize("week_of", ["0001-01-01", "9999-12-31"])
    async def test_unit_compliance(self, graphql: GraphQL, factory: Factory, week_of: str) -> None:
        unit = await factory.unit()
        admin = await factory.employee(unit)
        await factory.role(admin, Role.ADMIN)
        variables = {"unit": encode_id("OrgUnit", unit.id), "weekOf": week_of}

        result = await graphql(UNIT_COMPLIANCE, variables, as_employee=admin.id)

        self.assert_refused(result)

    async def test_the_last_week_inside_still_works(self, graphql: GraphQL, factory: Factory) -> None:
        person = await factory.employee()

        result = await graphql(MY_WEEK, {"weekOf": "2199-12-31"}, as_employee=person.id)

        assert result["data"]["myWeek"] == {"__typename": "MyWeek"}


class TestANulCharacter:
    """PostgreSQL's text cannot hold U+0000: a name with it failed the INSERT ("invalid byte sequence for encoding
    UTF8: 0x00", a masked "Unexpected error."), and SQLite stored it. Refused on both, before anything runs."""

    @pytest.fixture
    async def admin_id(self, factory: Factory) -> int:
        admin = await factory.employee()
        await factory.role(admin, Role.ADMIN)
        return admin.id

    async def overrides(self, db: Database) -> int:
        async with db.read() as session:
            return len((await session.execute(CalendarOverride.__table__.select())).all())

    async def test_in_a_variable(self, graphql: GraphQL, db: Database, admin_id: int) -> None:
        variables = {"input": {"date": next_week(), "kind": "PUBLIC_HOLIDAY", "name": "Hari\x00Raya"}}

        result = await graphql("SetCalendarOverride", variables, as_employee=admin_id)

        assert result["data"] is None
        assert [e["extensions"]["code"] for e in result["errors"]] == ["INVALID_CHARACTER"]
        assert await self.overrides(db) == 0

    async def test_in_a_literal(self, graphql: GraphQL, db: Database, admin_id: int) -> None:
        document = (
            f'mutation {{ setCalendarOverride(input: {{date: "{next_week()}", kind: PUBLIC_HOLIDAY, '
            'name: "Hari\\u0000Raya"}) { __typename } }'
        )

        result = await graphql(document, as_employee=admin_id)

        assert result["data"] is None
        assert result["errors"][0]["message"] == "Strings must not contain the NUL character (U+0000)."
        assert await self.overrides(db) == 0

    async def test_other_control_characters_are_still_text(self, graphql: GraphQL, db: Database, admin_id: int) -> None:
        variables = {"input": {"date": next_week(), "kind": "PUBLIC_HOLIDAY", "name": "Hari\tRaya\u200b"}}

        result = await graphql("SetCalendarOverride", variables, as_employee=admin_id)

        assert result["data"]["setCalendarOverride"]["__typename"] == "SetCalendarOverrideSuccess"
        assert await self.overrides(db) == 1


class TestAMalformedEnvelope:
    """Found probing the HTTP envelope around the fuzzer's documents. A JSON body that is not an object (``"x"``,
    ``5``) made strawberry call ``.get()`` on it: a 500. A subscription sent over HTTP ran into a masked
    "Unexpected error.". Both are now 400s, in the doors' GraphQL shape, like every other malformed envelope."""

    @pytest.fixture
    async def doors(self, factory: Factory, db: Database) -> list[tuple[str, dict[str, str]]]:
        person = await factory.employee()
        secret = await issue_token(db, person.id, *Scope)
        return [("/graphql", {"x-demo-employee": str(person.id)}), ("/api/graphql", bearer(secret))]

    @pytest.mark.parametrize("body", [b'"x"', b"5", b"null", b"true"])
    async def test_a_body_that_is_not_an_object(
        self, client: AsyncTestClient, doors: list[tuple[str, dict[str, str]]], body: bytes
    ) -> None:
        for path, headers in doors:
            response = await client.post(path, content=body, headers={**headers, "content-type": "application/json"})

            assert response.status_code == 400
            assert response.json() == {
                "errors": [
                    {
                        "message": 'Send a JSON object: {"query": "...", "variables": {...}}.',
                        "extensions": {"code": "BAD_REQUEST"},
                    }
                ]
            }

    async def test_a_subscription_over_http(
        self, client: AsyncTestClient, doors: list[tuple[str, dict[str, str]]]
    ) -> None:
        for path, headers in doors:
            response = await client.post(
                path, json={"query": "subscription { myBookingsChanged { __typename } }"}, headers=headers
            )

            assert response.status_code == 400
            [error] = response.json()["errors"]
            assert error["extensions"]["code"] == "BAD_REQUEST"
            assert "ubscriptions are not allowed" in error["message"]

    async def test_other_malformed_envelopes_are_graphql_shaped_too(
        self, client: AsyncTestClient, doors: list[tuple[str, dict[str, str]]]
    ) -> None:
        for path, headers in doors:
            not_json = await client.post(path, content=b"{", headers={**headers, "content-type": "application/json"})
            batch = await client.post(path, json=[{"query": "{ __typename }"}], headers=headers)

            assert not_json.status_code == batch.status_code == 400
            assert not_json.json()["errors"][0]["message"] == "Unable to parse request body as JSON"
            assert batch.json()["errors"][0]["message"] == "Batching is not enabled"
