"""Cancelling a date range at once (``bookings/cancel_range.py``): what it selects, and that the desks it frees go
to the waitlist's first in line in the same transaction."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.bookings.requests import BookDeskRequest
from smartoffice.errors import InvalidInput
from smartoffice.runtime import Runtime
from smartoffice.waitlist.service import JoinWaitlistRequest
from tests.factories import Factory
from tests.support.clock import DAY, Clock, install_clock

NEXT_DAY = DAY + timedelta(days=1)


@pytest.fixture
def clock(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> Clock:
    return install_clock(runtime, monkeypatch)


async def active_on(runtime: Runtime, space_id: int) -> list[tuple[int, BookingStatus]]:
    """Every booking of the space, oldest first: who and in what state."""
    async with runtime.db.read() as session:
        rows = await session.scalars(select(Booking).where(Booking.space_id == space_id).order_by(Booking.id))
        return [(b.employee_id, b.status) for b in rows]


async def test_a_freed_desk_goes_to_the_first_in_line(runtime: Runtime, factory: Factory, clock: Clock) -> None:
    # given the floor's only desk booked by me tomorrow, and a colleague waiting for a desk on that floor
    floor = await factory.floor()
    desk = await factory.desk(floor)
    me, colleague = await factory.employee(), await factory.employee()
    mine = await runtime.bookings.book_desk(me.id, BookDeskRequest(desk.id, NEXT_DAY))
    await runtime.waitlist.join(colleague.id, JoinWaitlistRequest(floor_id=floor.id, day=NEXT_DAY))

    # when I cancel everything from today to the day after tomorrow
    done = await runtime.cancel_ranges.cancel(me.id, DAY, NEXT_DAY + timedelta(days=1))

    # then my booking is cancelled and the colleague holds the desk
    assert [b.id for b in done.cancelled] == [mine.id] and done.kept == []
    assert await active_on(runtime, desk.id) == [
        (me.id, BookingStatus.CANCELLED),
        (colleague.id, BookingStatus.BOOKED),
    ]


async def test_a_reversed_or_too_long_range_changes_nothing(runtime: Runtime, factory: Factory, clock: Clock) -> None:
    desk, me = await factory.desk(), await factory.employee()
    await runtime.bookings.book_desk(me.id, BookDeskRequest(desk.id, NEXT_DAY))

    with pytest.raises(InvalidInput) as reversed_:
        await runtime.cancel_ranges.cancel(me.id, NEXT_DAY, DAY)
    with pytest.raises(InvalidInput) as too_long:
        await runtime.cancel_ranges.preview(me.id, DAY, DAY + timedelta(days=366))

    assert reversed_.value.code == "RANGE_REVERSED" and too_long.value.code == "RANGE_TOO_LONG"
    assert await active_on(runtime, desk.id) == [(me.id, BookingStatus.BOOKED)]
