"""What a recurring series and a room booking may say (issue 10, item 5).

Before: a series ending before it starts was booked as a "success" with every occurrence skipped; ``FREQ=SECONDLY``
or ``BYHOUR`` gave several occurrences a day, each in conflict with the first; ``INTERVAL=0`` repeated the first
occurrence 200 times; a ``COUNT`` past the 26-week horizon was cut short in silence; a title over 200 characters
was refused by the database (a masked "Unexpected error."). Each is now a ValidationError with a code, nothing
written.
"""

from typing import Any

import pytest
from sqlalchemy import func, select

from smartoffice.bookings.models import Booking, BookingSeries
from smartoffice.db import Database
from smartoffice.ids import encode_id
from tests.factories import Factory
from tests.support.clock import next_weekday
from tests.support.graphql import GraphQL

SERIES = """mutation($input: BookRecurringInput!) {
  bookRecurring(input: $input) {
    __typename
    ... on BookRecurringSuccess { bookedCount skippedCount occurrences { date } }
    ... on ValidationError { field code message }
  }
}"""
ROOM = """mutation($input: BookRoomInput!) {
  bookRoom(input: $input) { __typename ... on ValidationError { field code message } }
}"""
VALIDATE_ROOM = """mutation($input: BookRoomInput!) {
  validateBookRoom(input: $input) { __typename ... on ValidationError { field code message } }
}"""


async def written(db: Database) -> int:
    async with db.read() as session:
        bookings = await session.scalar(select(func.count()).select_from(Booking))
        series = await session.scalar(select(func.count()).select_from(BookingSeries))
    return (bookings or 0) + (series or 0)


async def book_series(graphql: GraphQL, factory: Factory, **overrides: Any) -> dict[str, Any]:
    room, person = await factory.room(), await factory.employee()
    series = {
        "spaceId": encode_id("MeetingRoom", room.id),
        "rrule": "FREQ=WEEKLY;COUNT=2",
        "startsOn": next_weekday(1).isoformat(),
        "startTime": "09:00",
        "endTime": "10:00",
        **overrides,
    }
    result = await graphql(SERIES, {"input": series}, as_employee=person.id)
    assert "errors" not in result, result
    answer: dict[str, Any] = result["data"]["bookRecurring"]
    return answer


class TestARecurrenceRuleIsRefused:
    @pytest.mark.parametrize(
        ("rrule", "code", "message"),
        [
            (
                "FREQ=SECONDLY;COUNT=5",
                "RRULE_FREQUENCY_NOT_ALLOWED",
                "A series repeats daily, weekly or monthly (FREQ=DAILY, WEEKLY or MONTHLY), not SECONDLY",
            ),
            ("FREQ=MINUTELY", "RRULE_FREQUENCY_NOT_ALLOWED", None),
            ("FREQ=HOURLY;COUNT=3", "RRULE_FREQUENCY_NOT_ALLOWED", None),
            ("FREQ=YEARLY", "RRULE_FREQUENCY_NOT_ALLOWED", None),
            (
                "FREQ=DAILY;BYHOUR=9,10;COUNT=4",
                "RRULE_NAMES_TIMES",
                "The times come from startTime and endTime: leave BYHOUR, BYMINUTE and BYSECOND out",
            ),
            (
                "FREQ=DAILY;INTERVAL=0;COUNT=3",
                "RRULE_INTERVAL_OUT_OF_RANGE",
                "The recurrence rule's INTERVAL is a whole number from 1 to 365",
            ),
            ("FREQ=DAILY;INTERVAL=-1", "RRULE_INTERVAL_OUT_OF_RANGE", None),
            ("FREQ=DAILY;INTERVAL=99999999999999", "RRULE_INTERVAL_OUT_OF_RANGE", None),
            ("FREQ=DAILY;COUNT=0", "RRULE_COUNT_OUT_OF_RANGE", None),
            ("FREQ=DAILY;COUNT=2;UNTIL=20991231", "RRULE_COUNT_OUT_OF_RANGE", None),
            ("FREQ=DAILY;COUNT=2;COUNT=3", "INVALID_RRULE", None),
            (
                "FREQ=DAILY;UNTIL=20000101",
                "RRULE_ENDS_BEFORE_START",
                "The recurrence rule ends (UNTIL) before the series starts",
            ),
            ("FREQ=WEEKLY;BYDAY=MO;;COUNT=2", "INVALID_RRULE", None),
            ("FREQ=DAILY;FOO=1", "INVALID_RRULE", None),
            ("F" * 501, "TEXT_TOO_LONG", "rrule may be at most 500 characters long"),
        ],
    )
    async def test_with_a_code(
        self, graphql: GraphQL, factory: Factory, db: Database, rrule: str, code: str, message: str | None
    ) -> None:
        result = await book_series(graphql, factory, rrule=rrule)

        assert (result["__typename"], result["field"], result["code"]) == ("ValidationError", "rrule", code)
        if message is not None:
            assert result["message"] == message
        assert await written(db) == 0

    async def test_an_end_time_before_the_start_time(self, graphql: GraphQL, factory: Factory, db: Database) -> None:
        result = await book_series(graphql, factory, startTime="10:00", endTime="09:00")

        assert (result["__typename"], result["field"], result["code"]) == (
            "ValidationError",
            "endTime",
            "END_BEFORE_START",
        )
        assert await written(db) == 0


class TestASeriesPastTheHorizon:
    """A COUNT or UNTIL that reaches past 26 weeks is refused, naming the cap and the last day it allows; a rule
    without either still runs to the horizon (documented)."""

    async def test_a_count_past_26_weeks_is_refused(self, graphql: GraphQL, factory: Factory, db: Database) -> None:
        starts_on = next_weekday(1)

        result = await book_series(graphql, factory, rrule="FREQ=WEEKLY;COUNT=27", startsOn=starts_on.isoformat())

        assert (result["__typename"], result["field"], result["code"]) == (
            "ValidationError",
            "rrule",
            "SERIES_PAST_HORIZON",
        )
        assert result["message"].startswith("A series runs at most 26 weeks: its COUNT or UNTIL may reach ")
        assert await written(db) == 0

    async def test_an_until_past_26_weeks_is_refused(self, graphql: GraphQL, factory: Factory) -> None:
        result = await book_series(graphql, factory, rrule="FREQ=MONTHLY;UNTIL=21991231")

        assert result["code"] == "SERIES_PAST_HORIZON"

    async def test_26_weekly_occurrences_fit(self, graphql: GraphQL, factory: Factory) -> None:
        result = await book_series(graphql, factory, rrule="FREQ=WEEKLY;COUNT=26")

        assert result["__typename"] == "BookRecurringSuccess"
        assert len(result["occurrences"]) == 26

    async def test_a_rule_without_an_end_runs_to_the_horizon(self, graphql: GraphQL, factory: Factory) -> None:
        result = await book_series(graphql, factory, rrule="FREQ=WEEKLY")

        assert result["__typename"] == "BookRecurringSuccess"
        assert len(result["occurrences"]) == 26


class TestATitleOver200Characters:
    async def test_booking_a_room(self, graphql: GraphQL, factory: Factory, db: Database) -> None:
        room, person = await factory.room(), await factory.employee()
        request = {
            "roomId": encode_id("MeetingRoom", room.id),
            "date": next_weekday(1).isoformat(),
            "startTime": "09:00",
            "endTime": "10:00",
            "title": "x" * 201,
        }

        for document, field in ((ROOM, "bookRoom"), (VALIDATE_ROOM, "validateBookRoom")):
            result = await graphql(document, {"input": request}, as_employee=person.id)

            assert result["data"][field] == {
                "__typename": "ValidationError",
                "field": "title",
                "code": "TEXT_TOO_LONG",
                "message": "title may be at most 200 characters long",
            }
        assert await written(db) == 0

    async def test_a_series(self, graphql: GraphQL, factory: Factory, db: Database) -> None:
        result = await book_series(graphql, factory, title="x" * 201)

        assert (result["field"], result["code"]) == ("title", "TEXT_TOO_LONG")
        assert await written(db) == 0

    async def test_200_characters_fit(self, graphql: GraphQL, factory: Factory) -> None:
        result = await book_series(graphql, factory, title="x" * 200)

        assert result["__typename"] == "BookRecurringSuccess"
