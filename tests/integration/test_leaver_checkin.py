"""Nobody checks in for a person who left: by booking id, at the space (the QR code) or for them as their booker.

The clock is the tests': a fixed working Tuesday in WITA (``DAY``), moved by hand.
"""

from datetime import time

import pytest

from smartoffice.bookings.checkin import CheckInService
from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.errors import InvalidInput
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.bookings import book_desk, insert_booking
from tests.support.clock import DAY, Clock, at, install_clock
from tests.support.leavers import mark_left


@pytest.fixture
def clock(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> Clock:
    return install_clock(runtime, monkeypatch)


@pytest.fixture
def checkin(runtime: Runtime, clock: Clock) -> CheckInService:
    return runtime.checkins


async def status_of(runtime: Runtime, booking_id: int) -> BookingStatus:
    async with runtime.db.read() as session:
        booking = await session.get(Booking, booking_id)
        assert booking is not None
        return booking.status


class TestALeaverDoesNotCheckIn:
    async def test_by_booking_id(
        self, runtime: Runtime, factory: Factory, clock: Clock, checkin: CheckInService
    ) -> None:
        # given a desk booked 09:00-12:00 by a person who has since left
        desk, person = await factory.desk(), await factory.employee(name="Fajar Nugroho")
        booking = await book_desk(runtime, desk, person, time(9), time(12))
        await mark_left(runtime.db, person)
        clock.set(time(9))
        # when
        with pytest.raises(InvalidInput) as refused:
            await checkin.check_in(person.id, booking.id)
        # then
        assert (refused.value.field, refused.value.code) == ("bookingId", "PERSON_INACTIVE")
        assert "Fajar Nugroho is no longer active" in refused.value.message
        assert await status_of(runtime, booking.id) == BookingStatus.BOOKED

    async def test_at_the_space(
        self, runtime: Runtime, factory: Factory, clock: Clock, checkin: CheckInService
    ) -> None:
        desk, person = await factory.desk(), await factory.employee()
        booking = await book_desk(runtime, desk, person, time(9), time(12))
        await mark_left(runtime.db, person)
        clock.set(time(9))

        with pytest.raises(InvalidInput) as refused:
            await checkin.check_in_at_space(person.id, desk.id)

        assert (refused.value.field, refused.value.code) == ("spaceId", "PERSON_INACTIVE")
        assert await status_of(runtime, booking.id) == BookingStatus.BOOKED

    async def test_even_when_already_checked_in(
        self, runtime: Runtime, factory: Factory, clock: Clock, checkin: CheckInService
    ) -> None:
        desk, person = await factory.desk(), await factory.employee()
        booking = await insert_booking(
            runtime.db, desk, person, at(DAY, 8), at(DAY, 12), status=BookingStatus.CHECKED_IN
        )
        await mark_left(runtime.db, person)
        clock.set(time(9))

        with pytest.raises(InvalidInput) as refused:
            await checkin.check_in(person.id, booking.id)

        assert refused.value.code == "PERSON_INACTIVE"

    async def test_nor_their_booker_for_them(
        self, runtime: Runtime, factory: Factory, clock: Clock, checkin: CheckInService
    ) -> None:
        # given a supervisor's booking for staff who then left
        boss = await factory.employee()
        staff = await factory.employee(supervisor_id=boss.id)
        desk = await factory.desk()
        booking = await insert_booking(runtime.db, desk, staff, at(DAY, 9), at(DAY, 12), booked_by=boss)
        await mark_left(runtime.db, staff)
        clock.set(time(9))
        # when the booker checks it in
        with pytest.raises(InvalidInput) as refused:
            await checkin.check_in(boss.id, booking.id)
        # then
        assert (refused.value.field, refused.value.code) == ("bookingId", "PERSON_INACTIVE")
        assert await status_of(runtime, booking.id) == BookingStatus.BOOKED

    async def test_someone_still_here_checks_in(
        self, runtime: Runtime, factory: Factory, clock: Clock, checkin: CheckInService
    ) -> None:
        desk, person = await factory.desk(), await factory.employee()
        booking = await book_desk(runtime, desk, person, time(9), time(12))
        clock.set(time(9))

        result = await checkin.check_in(person.id, booking.id)

        assert result.booking.status == BookingStatus.CHECKED_IN
