"""BookingService.book_desk and cancel on a real database, with the index kept in step."""

from datetime import UTC, datetime, time, timedelta

import pytest

from smartoffice.bookings.models import BookingStatus
from smartoffice.bookings.service import BookDeskRequest
from smartoffice.errors import BookingConflict, ConflictKind, InvalidInput, NotFound
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.clock import WITA, local_today, tomorrow


class TestBookDesk:
    async def test_whole_day_defaults_to_opening_hours_in_the_building_zone(
        self, runtime: Runtime, factory: Factory
    ) -> None:
        # given
        desk, person = await factory.desk(), await factory.employee()
        # when
        booking = await runtime.bookings.book_desk(person.id, BookDeskRequest(desk.id, tomorrow()))
        # then: 07:00-19:00 WITA is 23:00-11:00 UTC
        assert booking.start_at == datetime.combine(tomorrow(), time(7), WITA).astimezone(UTC)
        assert booking.end_at == datetime.combine(tomorrow(), time(19), WITA).astimezone(UTC)
        assert booking.start_at.tzinfo is not None
        assert booking.status == BookingStatus.BOOKED

    async def test_second_booking_of_the_same_desk_is_a_conflict(self, runtime: Runtime, factory: Factory) -> None:
        desk = await factory.desk()
        first, second = await factory.employee(), await factory.employee()
        await runtime.bookings.book_desk(first.id, BookDeskRequest(desk.id, tomorrow(), time(9), time(12)))

        with pytest.raises(BookingConflict) as caught:
            await runtime.bookings.book_desk(second.id, BookDeskRequest(desk.id, tomorrow(), time(11), time(13)))

        assert [c.kind for c in caught.value.conflicts] == [ConflictKind.SPACE_TAKEN]

    async def test_back_to_back_bookings_do_not_overlap(self, runtime: Runtime, factory: Factory) -> None:
        desk = await factory.desk()
        first, second = await factory.employee(), await factory.employee()
        await runtime.bookings.book_desk(first.id, BookDeskRequest(desk.id, tomorrow(), time(9), time(12)))
        booking = await runtime.bookings.book_desk(second.id, BookDeskRequest(desk.id, tomorrow(), time(12), time(15)))
        assert booking.start_at.astimezone(WITA).time() == time(12)

    async def test_one_desk_per_person_at_a_time(self, runtime: Runtime, factory: Factory) -> None:
        floor = await factory.floor()
        desk_a, desk_b, person = (
            await factory.desk(floor),
            await factory.desk(floor),
            await factory.employee(),
        )
        await runtime.bookings.book_desk(person.id, BookDeskRequest(desk_a.id, tomorrow()))

        with pytest.raises(BookingConflict) as caught:
            await runtime.bookings.book_desk(person.id, BookDeskRequest(desk_b.id, tomorrow(), time(8), time(9)))

        assert [c.kind for c in caught.value.conflicts] == [ConflictKind.PERSON_ALREADY_BOOKED]

    async def test_a_cancelled_booking_frees_the_desk(self, runtime: Runtime, factory: Factory) -> None:
        desk, first, second = await factory.desk(), await factory.employee(), await factory.employee()
        booking = await runtime.bookings.book_desk(first.id, BookDeskRequest(desk.id, tomorrow()))
        cancelled = await runtime.bookings.cancel(first.id, booking.id)
        assert cancelled.status == BookingStatus.CANCELLED
        again = await runtime.bookings.book_desk(second.id, BookDeskRequest(desk.id, tomorrow()))
        assert again.employee_id == second.id

    @pytest.mark.parametrize(
        ("start", "end", "field", "code"),
        [
            (time(12), time(9), "endTime", "END_BEFORE_START"),
            (time(6), time(9), "startTime", "OUTSIDE_OPENING_HOURS"),
            (time(9), time(20), "endTime", "OUTSIDE_OPENING_HOURS"),
            (time(9, 10), time(12), "startTime", "NOT_ON_SLOT"),
        ],
    )
    async def test_refuses_bad_times(
        self, runtime: Runtime, factory: Factory, start: time, end: time, field: str, code: str
    ) -> None:
        desk, person = await factory.desk(), await factory.employee()
        with pytest.raises(InvalidInput) as caught:
            await runtime.bookings.book_desk(person.id, BookDeskRequest(desk.id, tomorrow(), start, end))
        assert (caught.value.field, caught.value.code) == (field, code)

    async def test_refuses_a_day_in_the_past(self, runtime: Runtime, factory: Factory) -> None:
        desk, person = await factory.desk(), await factory.employee()
        with pytest.raises(InvalidInput) as caught:
            await runtime.bookings.book_desk(person.id, BookDeskRequest(desk.id, local_today() - timedelta(days=1)))
        assert caught.value.code == "IN_PAST"

    async def test_a_room_is_not_a_desk(self, runtime: Runtime, factory: Factory) -> None:
        room, person = await factory.room(), await factory.employee()
        with pytest.raises(NotFound):
            await runtime.bookings.book_desk(person.id, BookDeskRequest(room.id, tomorrow()))

    async def test_unknown_desk(self, runtime: Runtime, factory: Factory) -> None:
        person = await factory.employee()
        with pytest.raises(NotFound):
            await runtime.bookings.book_desk(person.id, BookDeskRequest(999_999, tomorrow()))


class TestCancel:
    async def test_someone_else_cannot_cancel(self, runtime: Runtime, factory: Factory) -> None:
        # NotFound, not PermissionDenied: a booking one may not see answers as one that does not exist (issue 10)
        desk, owner, other = await factory.desk(), await factory.employee(), await factory.employee()
        booking = await runtime.bookings.book_desk(owner.id, BookDeskRequest(desk.id, tomorrow()))
        with pytest.raises(NotFound):
            await runtime.bookings.cancel(other.id, booking.id)
        assert (await runtime.bookings.get(owner.id, booking.id)).status == BookingStatus.BOOKED

    async def test_cancelling_twice_is_refused(self, runtime: Runtime, factory: Factory) -> None:
        desk, owner = await factory.desk(), await factory.employee()
        booking = await runtime.bookings.book_desk(owner.id, BookDeskRequest(desk.id, tomorrow()))
        await runtime.bookings.cancel(owner.id, booking.id)
        with pytest.raises(InvalidInput) as caught:
            await runtime.bookings.cancel(owner.id, booking.id)
        assert caught.value.code == "ALREADY_CANCELLED"
