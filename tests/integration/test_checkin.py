"""Checking in (by booking, or at the space as a QR code does) and checking out early, on a real database.

The clock is the tests': a fixed working Tuesday in WITA (``DAY``), moved by hand.
"""

from datetime import time, timedelta

import pytest

from smartoffice.availability.service import Source, SpaceStatus
from smartoffice.bookings.checkin import CheckInService
from smartoffice.bookings.models import BookingStatus
from smartoffice.errors import InvalidInput, NotFound
from smartoffice.places.models import SpaceKind
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.bookings import book_desk, insert_booking, set_rule, status_between
from tests.support.clock import DAY, WITA, Clock, at, install_clock


@pytest.fixture
def clock(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> Clock:
    return install_clock(runtime, monkeypatch)


@pytest.fixture
def checkin(runtime: Runtime, clock: Clock) -> CheckInService:
    return runtime.checkins


class TestCheckIn:
    @pytest.mark.parametrize(
        ("now", "code"),
        [
            (time(8, 29, 59), "CHECK_IN_NOT_OPEN"),  # desks: check-in opens 30 minutes before the start
            (time(8, 30), None),
            (time(11, 59, 59), None),  # until the booking ends (even past the grace, until the release runs)
            (time(12), "ALREADY_ENDED"),
        ],
    )
    async def test_window_opens_before_the_start_and_closes_at_the_end(
        self, runtime: Runtime, factory: Factory, clock: Clock, checkin: CheckInService, now: time, code: str | None
    ) -> None:
        # given a desk booked 09:00-12:00
        desk, person = await factory.desk(), await factory.employee()
        booking = await book_desk(runtime, desk, person, time(9), time(12))
        # when
        clock.set(now)
        if code is not None:
            with pytest.raises(InvalidInput) as caught:
                await checkin.check_in(person.id, booking.id)
            assert (caught.value.field, caught.value.code) == ("bookingId", code)
            return
        result = await checkin.check_in(person.id, booking.id)
        # then
        assert result.already_checked_in is False
        assert result.booking.status == BookingStatus.CHECKED_IN
        assert result.booking.checked_in_at == clock.now
        assert result.booking.version == booking.version + 1

    async def test_too_early_says_when_check_in_opens_in_local_time(
        self, runtime: Runtime, factory: Factory, clock: Clock, checkin: CheckInService
    ) -> None:
        desk, person = await factory.desk(), await factory.employee()
        booking = await book_desk(runtime, desk, person, time(9), time(12))
        clock.set(time(8))
        with pytest.raises(InvalidInput) as caught:
            await checkin.check_in(person.id, booking.id)
        assert caught.value.message == "Check-in opens at 08:30, 30 minutes before the start"
        assert caught.value.message_in("id") == "Check-in dibuka pukul 08.30, 30 menit sebelum mulai"

    async def test_the_window_follows_the_buildings_own_rule(
        self, runtime: Runtime, factory: Factory, clock: Clock, checkin: CheckInService
    ) -> None:
        floor = await factory.floor()
        await set_rule(runtime.db, floor.building_id, SpaceKind.DESK, check_in_opens_minutes=60)
        desk, person = await factory.desk(floor), await factory.employee()
        booking = await book_desk(runtime, desk, person, time(9), time(12))
        clock.set(time(8))
        assert (await checkin.check_in(person.id, booking.id)).booking.status == BookingStatus.CHECKED_IN

    async def test_rooms_open_ten_minutes_before(
        self, runtime: Runtime, factory: Factory, clock: Clock, checkin: CheckInService
    ) -> None:
        room, person = await factory.room(), await factory.employee()
        booking = await insert_booking(runtime.db, room, person, at(DAY, 10), at(DAY, 11))
        clock.set(time(9, 45))
        with pytest.raises(InvalidInput):
            await checkin.check_in(person.id, booking.id)
        clock.set(time(9, 50))
        assert (await checkin.check_in(person.id, booking.id)).booking.status == BookingStatus.CHECKED_IN

    async def test_only_the_booked_person_or_whoever_booked_for_them(
        self, runtime: Runtime, factory: Factory, clock: Clock, checkin: CheckInService
    ) -> None:
        desk, person, manager, stranger = (
            await factory.desk(),
            await factory.employee(),
            await factory.employee(),
            await factory.employee(),
        )
        booking = await insert_booking(runtime.db, desk, person, at(DAY, 9), at(DAY, 12), booked_by=manager)
        clock.set(time(9))
        with pytest.raises(NotFound):  # a stranger may not see the booking: as if it did not exist (issue 10)
            await checkin.check_in(stranger.id, booking.id)
        assert (await checkin.check_in(manager.id, booking.id)).booking.status == BookingStatus.CHECKED_IN

    async def test_checking_in_twice_is_idempotent_and_says_so(
        self, runtime: Runtime, factory: Factory, clock: Clock, checkin: CheckInService
    ) -> None:
        desk, person = await factory.desk(), await factory.employee()
        booking = await book_desk(runtime, desk, person, time(9), time(12))
        clock.set(time(9, 5))
        first = await checkin.check_in(person.id, booking.id)
        clock.set(time(9, 10))
        second = await checkin.check_in(person.id, booking.id)
        assert (first.already_checked_in, second.already_checked_in) == (False, True)
        assert second.booking.checked_in_at == at(DAY, 9, 5)
        assert second.booking.version == first.booking.version

    @pytest.mark.parametrize(
        ("status", "code"),
        [
            (BookingStatus.PENDING, "AWAITING_APPROVAL"),
            (BookingStatus.CANCELLED, "ALREADY_CANCELLED"),
            (BookingStatus.REJECTED, "BOOKING_REJECTED"),
            (BookingStatus.RELEASED, "BOOKING_RELEASED"),
        ],
    )
    async def test_only_a_booked_booking_can_be_checked_in(
        self,
        runtime: Runtime,
        factory: Factory,
        clock: Clock,
        checkin: CheckInService,
        status: BookingStatus,
        code: str,
    ) -> None:
        room, person = await factory.room(), await factory.employee()
        booking = await insert_booking(runtime.db, room, person, at(DAY, 10), at(DAY, 11), status=status)
        clock.set(time(10))
        with pytest.raises(InvalidInput) as caught:
            await checkin.check_in(person.id, booking.id)
        assert (caught.value.field, caught.value.code) == ("bookingId", code)
        assert caught.value.message_in("id")  # the words exist in Bahasa Indonesia too

    async def test_unknown_booking(self, factory: Factory, clock: Clock, checkin: CheckInService) -> None:
        person = await factory.employee()
        with pytest.raises(NotFound):
            await checkin.check_in(person.id, 999_999)

    async def test_checking_in_keeps_a_loaded_index(
        self, runtime: Runtime, factory: Factory, clock: Clock, checkin: CheckInService
    ) -> None:
        desk, person = await factory.desk(), await factory.employee()
        booking = await book_desk(runtime, desk, person, time(9), time(12))
        await status_between(runtime, desk, time(9), time(12))  # load the floor-day into the index
        clock.set(time(9))
        await checkin.check_in(person.id, booking.id)
        assert await status_between(runtime, desk, time(9), time(12)) == (SpaceStatus.BOOKED, Source.INDEX)


class TestCheckInAtSpace:
    async def test_checks_in_my_booking_of_that_space(
        self, runtime: Runtime, factory: Factory, clock: Clock, checkin: CheckInService
    ) -> None:
        floor = await factory.floor()
        desk, person, colleague = await factory.desk(floor), await factory.employee(), await factory.employee()
        await book_desk(runtime, desk, colleague, time(7), time(9))
        mine = await book_desk(runtime, desk, person, time(9), time(12))
        clock.set(time(8, 45))
        result = await checkin.check_in_at_space(person.id, desk.id)
        assert (result.booking.id, result.booking.status) == (mine.id, BookingStatus.CHECKED_IN)
        assert (await checkin.check_in_at_space(person.id, desk.id)).already_checked_in is True

    async def test_prefers_a_booking_to_check_in_over_one_already_checked_in(
        self, runtime: Runtime, factory: Factory, clock: Clock, checkin: CheckInService
    ) -> None:
        desk, person = await factory.desk(), await factory.employee()
        morning = await book_desk(runtime, desk, person, time(8), time(13))
        afternoon = await book_desk(runtime, desk, person, time(13), time(17))
        clock.set(time(8))
        assert (await checkin.check_in_at_space(person.id, desk.id)).booking.id == morning.id
        clock.set(time(12, 45))
        assert (await checkin.check_in_at_space(person.id, desk.id)).booking.id == afternoon.id

    async def test_no_booking_of_mine_there_is_not_found_with_a_clear_message(
        self, runtime: Runtime, factory: Factory, clock: Clock, checkin: CheckInService
    ) -> None:
        desk, person, colleague = await factory.desk(), await factory.employee(), await factory.employee()
        await book_desk(runtime, desk, colleague, time(9), time(12))
        clock.set(time(9))
        with pytest.raises(NotFound) as caught:
            await checkin.check_in_at_space(person.id, desk.id)
        assert caught.value.code == "NO_BOOKING_TO_CHECK_IN"
        assert caught.value.message == "You have no booking of this space to check in to now"

    async def test_too_early_says_when(
        self, runtime: Runtime, factory: Factory, clock: Clock, checkin: CheckInService
    ) -> None:
        desk, person = await factory.desk(), await factory.employee()
        await book_desk(runtime, desk, person, time(14), time(16))
        clock.set(time(9))
        with pytest.raises(InvalidInput) as caught:
            await checkin.check_in_at_space(person.id, desk.id)
        assert (caught.value.field, caught.value.code) == ("spaceId", "CHECK_IN_NOT_OPEN")
        assert "13:30" in caught.value.message

    async def test_a_room_awaiting_approval(
        self, runtime: Runtime, factory: Factory, clock: Clock, checkin: CheckInService
    ) -> None:
        room, person = await factory.room(), await factory.employee()
        await insert_booking(runtime.db, room, person, at(DAY, 10), at(DAY, 11), status=BookingStatus.PENDING)
        clock.set(time(10))
        with pytest.raises(InvalidInput) as caught:
            await checkin.check_in_at_space(person.id, room.id)
        assert caught.value.code == "AWAITING_APPROVAL"

    async def test_unknown_space(self, factory: Factory, clock: Clock, checkin: CheckInService) -> None:
        person = await factory.employee()
        with pytest.raises(NotFound) as caught:
            await checkin.check_in_at_space(person.id, 999_999)
        assert caught.value.code == "NOT_FOUND"


class TestCheckOut:
    async def test_a_room_ends_at_the_next_quarter_hour_and_the_rest_is_free(
        self, runtime: Runtime, factory: Factory, clock: Clock, checkin: CheckInService
    ) -> None:
        # given a room booked 09:00-11:00 with a 15-minute changeover buffer, checked in
        room, person = await factory.room(), await factory.employee()
        booking = await insert_booking(runtime.db, room, person, at(DAY, 9), at(DAY, 11), buffer=timedelta(minutes=15))
        assert await status_between(runtime, room, time(9), time(11, 15)) == (SpaceStatus.BOOKED, Source.DATABASE)
        clock.set(time(9))
        await checkin.check_in(person.id, booking.id)
        # when we leave at 09:20
        clock.set(time(9, 20))
        ended = await checkin.check_out(person.id, booking.id)
        # then the booking ends at 09:30, the buffer follows, and the rest is free in the index and in SQL
        assert (ended.end_at, ended.blocks_until) == (at(DAY, 9, 30), at(DAY, 9, 45))
        assert ended.checked_out_at == clock.now
        assert ended.status == BookingStatus.CHECKED_IN
        assert ended.version == booking.version + 2
        assert await status_between(runtime, room, time(9), time(9, 45)) == (SpaceStatus.BOOKED, Source.INDEX)
        assert await status_between(runtime, room, time(9, 45), time(12)) == (SpaceStatus.FREE, Source.INDEX)
        from_index = await runtime.availability.floor_day(room.floor_id, WITA.key, DAY)
        from_sql = await runtime.availability.floor_day(room.floor_id, WITA.key, DAY, use_index=False)
        assert (from_index.source, from_index.slots) == (Source.INDEX, from_sql.slots)

    async def test_on_a_quarter_hour_the_booking_ends_right_then(
        self, runtime: Runtime, factory: Factory, clock: Clock, checkin: CheckInService
    ) -> None:
        room, person = await factory.room(), await factory.employee()
        booking = await insert_booking(runtime.db, room, person, at(DAY, 9), at(DAY, 11))
        clock.set(time(9))
        await checkin.check_in(person.id, booking.id)
        clock.set(time(10))
        assert (await checkin.check_out(person.id, booking.id)).end_at == at(DAY, 10)

    async def test_leaving_a_desk_early_frees_the_rest_of_the_day(
        self, runtime: Runtime, factory: Factory, clock: Clock, checkin: CheckInService
    ) -> None:
        desk, person, colleague = await factory.desk(), await factory.employee(), await factory.employee()
        booking = await book_desk(runtime, desk, person, time(7), time(19))
        clock.set(time(8))
        await checkin.check_in(person.id, booking.id)
        await status_between(runtime, desk, time(7), time(19))  # load the floor-day
        clock.set(time(13, 5))
        await checkin.check_out(person.id, booking.id)
        assert await status_between(runtime, desk, time(13, 15), time(19)) == (SpaceStatus.FREE, Source.INDEX)
        # and a colleague can book the afternoon
        afternoon = await book_desk(runtime, desk, colleague, time(13, 15), time(19))
        assert afternoon.status == BookingStatus.BOOKED

    async def test_leaving_during_the_first_slot_keeps_that_slot(
        self, runtime: Runtime, factory: Factory, clock: Clock, checkin: CheckInService
    ) -> None:
        desk, person = await factory.desk(), await factory.employee()
        booking = await book_desk(runtime, desk, person, time(9), time(12))
        clock.set(time(8, 40))
        await checkin.check_in(person.id, booking.id)
        assert (await checkin.check_out(person.id, booking.id)).end_at == at(DAY, 9, 15)

    async def test_refusals(self, runtime: Runtime, factory: Factory, clock: Clock, checkin: CheckInService) -> None:
        desk, person, stranger = await factory.desk(), await factory.employee(), await factory.employee()
        booking = await book_desk(runtime, desk, person, time(9), time(12))
        clock.set(time(9, 30))
        with pytest.raises(InvalidInput) as not_in:
            await checkin.check_out(person.id, booking.id)
        await checkin.check_in(person.id, booking.id)
        with pytest.raises(NotFound):
            await checkin.check_out(stranger.id, booking.id)
        await checkin.check_out(person.id, booking.id)
        with pytest.raises(InvalidInput) as twice:
            await checkin.check_out(person.id, booking.id)
        with pytest.raises(InvalidInput) as check_in_again:
            await checkin.check_in(person.id, booking.id)
        assert [e.value.code for e in (not_in, twice, check_in_again)] == [
            "NOT_CHECKED_IN",
            "ALREADY_CHECKED_OUT",
            "ALREADY_CHECKED_OUT",
        ]
