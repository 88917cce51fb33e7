"""Recurring bookings: RRULE expanded in local time, a result per occurrence, and series cancellation."""

from datetime import time, timedelta

import pytest
from sqlalchemy import func, select

from smartoffice.bookings.models import Booking, BookingSeries, BookingStatus
from smartoffice.bookings.recurring import book_series, expand
from smartoffice.bookings.requests import BookDeskRequest, CancelScope, RecurringRequest
from smartoffice.errors import BookingConflict, InvalidInput
from smartoffice.places.models import SpaceKind
from smartoffice.runtime import Runtime
from smartoffice.workcalendar.models import DayKind
from smartoffice.workcalendar.service import generated_days
from tests.factories import Factory
from tests.support.clock import WITA, next_weekday, upcoming


async def count(runtime: Runtime, model: type) -> int:
    async with runtime.db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


def weekly(space_id: int, rule: str, weekday: int = 0, start: time = time(9), end: time = time(10)) -> RecurringRequest:
    return RecurringRequest(space_id, rule, next_weekday(weekday), start, end)


class TestExpand:
    def test_weekly_on_two_days(self) -> None:
        request = weekly(1, "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4")
        days = expand(request)
        assert [d.weekday() for d in days] == [0, 2, 0, 2]
        assert days[0] == request.starts_on

    def test_the_horizon_caps_an_endless_rule(self) -> None:
        days = expand(weekly(1, "FREQ=DAILY"))
        assert len(days) == 26 * 7
        assert days[-1] - days[0] < timedelta(weeks=26)

    @pytest.mark.parametrize("rule", ["", "FREQ=SOMETIMES", "DTSTART:20260101T090000\nRRULE:FREQ=DAILY", "BYDAY=XX"])
    def test_malformed_rules_are_typed_errors(self, rule: str) -> None:
        with pytest.raises(InvalidInput) as caught:
            expand(weekly(1, rule))
        assert caught.value.code == "INVALID_RRULE"


class TestBookSeries:
    async def test_each_occurrence_is_booked_at_the_same_local_time(self, runtime: Runtime, factory: Factory) -> None:
        room, person = await factory.room(), await factory.employee()
        result = await book_series(
            runtime.bookings, person.id, weekly(room.id, "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4", 0, time(9), time(10, 30))
        )
        assert result.series is not None
        bookings = [o.booking for o in result.occurrences]
        assert all(b is not None and b.series_id == result.series.id for b in bookings)
        assert {b.start_at.astimezone(WITA).time() for b in bookings if b} == {time(9)}
        assert {b.end_at - b.start_at for b in bookings if b} == {timedelta(minutes=90)}

    async def test_an_occurrence_that_breaks_a_rule_is_skipped_with_its_reason(
        self, runtime: Runtime, factory: Factory
    ) -> None:
        building = await factory.building()
        desk = await factory.desk(await factory.floor(building))
        await factory.booking_rule(building, SpaceKind.DESK, max_days_in_advance=400)
        person, other = await factory.employee(), await factory.employee()
        holiday = upcoming(DayKind.PUBLIC_HOLIDAY)
        start = holiday - timedelta(days=4)
        closed = generated_days([start.year, holiday.year])
        days = [start + timedelta(days=n) for n in range(6)]
        taken = next(d for d in days if d not in closed)
        await runtime.bookings.book_desk(other.id, BookDeskRequest(desk.id, taken, time(9), time(10)))

        result = await book_series(
            runtime.bookings, person.id, RecurringRequest(desk.id, "FREQ=DAILY;COUNT=6", start, time(9), time(10))
        )

        skipped = {o.day: o.skipped_because for o in result.occurrences if o.skipped_because}
        assert isinstance(skipped.pop(taken), BookingConflict)
        assert holiday in skipped
        assert {d: e.code for d, e in skipped.items()} == {d: "CLOSED_HOLIDAY" for d in days if d in closed}
        assert sum(1 for o in result.occurrences if o.booking) == 6 - 1 - len(skipped)

    async def test_occurrences_beyond_the_booking_horizon_are_skipped(self, runtime: Runtime, factory: Factory) -> None:
        desk, person = await factory.desk(), await factory.employee()
        result = await book_series(runtime.bookings, person.id, weekly(desk.id, "FREQ=WEEKLY;COUNT=8"))
        codes = {o.skipped_because.code for o in result.occurrences if o.skipped_because}
        assert codes == {"TOO_FAR_AHEAD"}
        assert 4 <= sum(1 for o in result.occurrences if o.booking) <= 5

    async def test_when_nothing_can_be_booked_nothing_is_written(self, runtime: Runtime, factory: Factory) -> None:
        room, person = await factory.room(capacity=2), await factory.employee()
        request = RecurringRequest(room.id, "FREQ=WEEKLY;COUNT=3", next_weekday(1), time(9), time(10), attendee_count=5)
        result = await book_series(runtime.bookings, person.id, request)
        assert result.series is None
        assert {o.skipped_because.code for o in result.occurrences if o.skipped_because} == {"OVER_CAPACITY"}
        assert (await count(runtime, Booking), await count(runtime, BookingSeries)) == (0, 0)

    async def test_a_replayed_series_returns_the_first_report(self, runtime: Runtime, factory: Factory) -> None:
        room, person = await factory.room(), await factory.employee()
        request = weekly(room.id, "FREQ=WEEKLY;COUNT=3")
        first = await book_series(runtime.bookings, person.id, request, idempotency_key="series-1")
        again = await book_series(runtime.bookings, person.id, request, idempotency_key="series-1")
        assert first.series is not None and again.series is not None and again.series.id == first.series.id
        assert [o.booking.id for o in again.occurrences if o.booking] == [
            o.booking.id for o in first.occurrences if o.booking
        ]
        assert await count(runtime, Booking) == 3


class TestCancelSeries:
    async def series(self, runtime: Runtime, factory: Factory) -> tuple[int, list[Booking]]:
        room, person = await factory.room(), await factory.employee()
        result = await book_series(
            runtime.bookings, person.id, weekly(room.id, "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH;COUNT=4")
        )
        return person.id, [o.booking for o in result.occurrences if o.booking]

    @pytest.mark.parametrize(
        ("scope", "expected"),
        [(CancelScope.ONE, [1]), (CancelScope.THIS_AND_FOLLOWING, [1, 2, 3]), (CancelScope.ALL, [0, 1, 2, 3])],
    )
    async def test_scopes(self, runtime: Runtime, factory: Factory, scope: CancelScope, expected: list[int]) -> None:
        person, bookings = await self.series(runtime, factory)
        cancelled = await runtime.bookings.cancel_bookings(person, bookings[1].id, scope)
        assert cancelled[0].id == bookings[1].id
        assert sorted(b.id for b in cancelled) == sorted(bookings[i].id for i in expected)
        async with runtime.db.read() as session:
            statuses = {i: s for i, s in (await session.execute(select(Booking.id, Booking.status))).all()}
        assert [statuses[b.id] == BookingStatus.CANCELLED for b in bookings] == [i in expected for i in range(4)]

    async def test_a_single_booking_has_no_series_to_cancel(self, runtime: Runtime, factory: Factory) -> None:
        desk, person = await factory.desk(), await factory.employee()
        booking = await runtime.bookings.book_desk(person.id, BookDeskRequest(desk.id, next_weekday(1)))
        with pytest.raises(InvalidInput) as caught:
            await runtime.bookings.cancel_bookings(person.id, booking.id, CancelScope.ALL)
        assert caught.value.code == "NOT_RECURRING"
