"""The waitlist for full days (issue 13, item 7): joining, leaving, the order of the line, and the grant of a freed
desk inside the cancellation or no-show release that freed it, through the same booking rules as any booking."""

from datetime import time, timedelta

import pytest
from sqlalchemy import select

from smartoffice.availability.service import Source, SpaceStatus
from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.bookings.release import release_no_shows
from smartoffice.bookings.requests import BookDeskRequest
from smartoffice.errors import DomainError, InvalidInput, NotFound
from smartoffice.integrations.models import BookingEvent, EventKind
from smartoffice.people.models import Employee
from smartoffice.places.models import Space, SpaceKind
from smartoffice.runtime import Runtime
from smartoffice.waitlist.models import WaitlistEntry, WaitlistStatus
from smartoffice.waitlist.service import JoinWaitlistRequest, WaitlistService
from tests.factories import Factory
from tests.support.bookings import set_rule, status_between
from tests.support.clock import DAY, Clock, at, install_clock
from tests.support.statements import statements


@pytest.fixture
def clock(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = install_clock(runtime, monkeypatch)
    monkeypatch.setattr(runtime.waitlist, "clock", clock)
    return clock


@pytest.fixture
def waitlist(runtime: Runtime, clock: Clock) -> WaitlistService:
    return runtime.waitlist


async def book_day(runtime: Runtime, desk: Space, person: Employee) -> Booking:
    return await runtime.bookings.book_desk(person.id, BookDeskRequest(desk.id, DAY))


async def join(
    waitlist: WaitlistService, clock: Clock, person: Employee, floor_id: int, zone_id: int | None = None
) -> int:
    clock.advance(seconds=1)  # joined one after the other
    return (await waitlist.join(person.id, JoinWaitlistRequest(floor_id, DAY, zone_id))).id


async def refusal(action: object) -> str:
    try:
        await action  # type: ignore[misc]
    except DomainError as error:
        return error.code
    raise AssertionError("not refused")


async def entry(runtime: Runtime, entry_id: int) -> WaitlistEntry:
    async with runtime.db.read() as session:
        return await session.get_one(WaitlistEntry, entry_id)


async def test_joining_only_a_full_floor_once_and_not_with_a_desk_that_day(
    runtime: Runtime, factory: Factory, waitlist: WaitlistService, clock: Clock
) -> None:
    floor, other_floor = await factory.floor(), await factory.floor()
    desks = [await factory.desk(floor), await factory.desk(floor)]
    owner, waiter, late = await factory.employee(), await factory.employee(), await factory.employee()
    await book_day(runtime, desks[0], owner)

    assert await refusal(waitlist.join(waiter.id, JoinWaitlistRequest(floor.id, DAY))) == "WAITLIST_NOT_FULL"
    await book_day(runtime, desks[1], late)
    first = await waitlist.join(waiter.id, JoinWaitlistRequest(floor.id, DAY), idempotency_key="k-1")

    assert (first.position, first.status) == (1, WaitlistStatus.WAITING)
    replay = await waitlist.join(waiter.id, JoinWaitlistRequest(floor.id, DAY), idempotency_key="k-1")
    assert replay.id == first.id  # the same form sent twice joins once
    again = waitlist.join(waiter.id, JoinWaitlistRequest(floor.id, DAY))
    assert await refusal(again) == "WAITLIST_ALREADY_WAITING"
    assert await refusal(waitlist.join(owner.id, JoinWaitlistRequest(floor.id, DAY))) == "WAITLIST_ALREADY_BOOKED"
    zone = await factory.zone(other_floor)
    on_other_floor = waitlist.join(waiter.id, JoinWaitlistRequest(floor.id, DAY, zone.id))
    assert await refusal(on_other_floor) == "WAITLIST_ZONE_NOT_ON_FLOOR"
    yesterday = JoinWaitlistRequest(floor.id, DAY - timedelta(days=1))
    assert await refusal(waitlist.join(waiter.id, yesterday)) == "PAST_DAY"
    assert await refusal(waitlist.join(waiter.id, JoinWaitlistRequest(10**6, DAY))) == "NOT_FOUND"
    async with runtime.db.read() as session:
        assert len((await session.scalars(select(WaitlistEntry))).all()) == 1


async def test_a_cancelled_desk_goes_to_the_first_in_line_and_shows_on_my_bookings(
    runtime: Runtime, factory: Factory, waitlist: WaitlistService, clock: Clock
) -> None:
    # given a full floor of one desk in zone A, and three people waiting: the floor, zone A, the floor
    floor = await factory.floor()
    zone = await factory.zone(floor)
    desk = await factory.desk(floor, zone_id=zone.id)
    owner = await factory.employee()
    first, second, third = [await factory.employee() for _ in range(3)]
    booking = await book_day(runtime, desk, owner)
    assert await status_between(runtime, desk, time(9), time(10)) == (SpaceStatus.BOOKED, Source.DATABASE)
    ids = [
        await join(waitlist, clock, first, floor.id),
        await join(waitlist, clock, second, floor.id, zone.id),
        await join(waitlist, clock, third, floor.id),
    ]
    assert [(await waitlist.mine(p.id)).waiting[0].position for p in (first, second, third)] == [1, 2, 3]

    # when the owner cancels
    with statements(runtime.db) as seen:
        await runtime.bookings.cancel(owner.id, booking.id)

    # then the first in line holds the desk for the whole day, booked by themself, with the usual event; the grant
    # took the desk's floor, zone and time zone from the cancelled booking, as loaded, not from another query
    assert not [s for s in seen if "buildings.time_zone" in s and "spaces.zone_id" in s], seen
    async with runtime.db.read() as session:
        granted = (await session.scalars(select(Booking).where(Booking.employee_id == first.id))).one()
        kinds = list(await session.scalars(select(BookingEvent.kind).where(BookingEvent.booking_id == granted.id)))
    assert (granted.space_id, granted.status, granted.booked_by_id) == (desk.id, BookingStatus.BOOKED, first.id)
    assert (granted.start_at, granted.end_at) == (at(DAY, 7), at(DAY, 19))
    assert kinds == [EventKind.CREATED]
    assert await status_between(runtime, desk, time(9), time(10)) == (SpaceStatus.BOOKED, Source.INDEX)
    mine = await waitlist.mine(first.id)
    assert (mine.waiting, [v.granted.booking_id for v in mine.granted if v.granted]) == ([], [granted.id])
    assert mine.granted[0].granted is not None and mine.granted[0].granted.desk_code == desk.code
    assert [(await waitlist.mine(p.id)).waiting[0].position for p in (second, third)] == [1, 2]

    # and leaving: once; never someone else's entry
    left = await waitlist.leave(third.id, ids[2])
    assert (left.status, left.position) == (WaitlistStatus.LEFT, None)
    assert await refusal(waitlist.leave(third.id, ids[2])) == "WAITLIST_NOT_WAITING"
    with pytest.raises(NotFound):
        await waitlist.leave(third.id, ids[1])
    assert (await waitlist.mine(third.id)).is_empty


async def test_a_no_show_release_grants_the_desk_with_a_full_grace_of_its_own(
    runtime: Runtime, factory: Factory, waitlist: WaitlistService, clock: Clock
) -> None:
    floor = await factory.floor()
    await set_rule(runtime.db, floor.building_id, SpaceKind.DESK, check_in_grace_minutes=30)
    desk, owner, waiter = await factory.desk(floor), await factory.employee(), await factory.employee()
    no_show = await book_day(runtime, desk, owner)
    entry_id = await join(waitlist, clock, waiter, floor.id)
    assert (await status_between(runtime, desk, time(9), time(10)))[1] == Source.DATABASE  # loads the index

    assert await release_no_shows(runtime.db, runtime.availability, at(DAY, 7, 30)) == 1

    async with runtime.db.read() as session:
        granted = (await session.scalars(select(Booking).where(Booking.employee_id == waiter.id))).one()
        assert (await session.get_one(Booking, no_show.id)).status == BookingStatus.RELEASED
    assert (granted.space_id, granted.status, granted.created_at) == (desk.id, BookingStatus.BOOKED, at(DAY, 7, 30))
    assert (await entry(runtime, entry_id)).booking_id == granted.id
    assert await status_between(runtime, desk, time(9), time(10)) == (SpaceStatus.BOOKED, Source.INDEX)
    # the grace counts from the grant: not released a minute later
    assert await release_no_shows(runtime.db, runtime.availability, at(DAY, 7, 31)) == 0


async def test_the_grant_skips_people_the_rules_refuse_and_a_desk_not_free_all_day_is_not_granted(
    runtime: Runtime, factory: Factory, waitlist: WaitlistService, clock: Clock
) -> None:
    floor, elsewhere = await factory.floor(), await factory.floor()
    desk, spare = await factory.desk(floor), await factory.desk(elsewhere)
    owner, booked_meanwhile, next_one = [await factory.employee() for _ in range(3)]
    morning = await runtime.bookings.book_desk(owner.id, BookDeskRequest(desk.id, DAY, time(7), time(12)))
    afternoon_owner = await factory.employee()
    afternoon = await runtime.bookings.book_desk(afternoon_owner.id, BookDeskRequest(desk.id, DAY, time(12), time(19)))
    skipped_id = await join(waitlist, clock, booked_meanwhile, floor.id)
    next_id = await join(waitlist, clock, next_one, floor.id)
    await book_day(runtime, spare, booked_meanwhile)  # the first in line found a desk on another floor

    # when only the afternoon is freed, the desk is not free for a whole day: nobody is granted or skipped
    await runtime.bookings.cancel(afternoon_owner.id, afternoon.id)
    assert [(await entry(runtime, i)).status for i in (skipped_id, next_id)] == [WaitlistStatus.WAITING] * 2

    # when the morning is freed too, the first in line is skipped (they hold a desk that day), and why is kept
    await runtime.bookings.cancel(owner.id, morning.id)
    skipped, served = await entry(runtime, skipped_id), await entry(runtime, next_id)
    assert (skipped.status, skipped.skip_reason) == (WaitlistStatus.SKIPPED, "PERSON_ALREADY_BOOKED")
    assert served.status == WaitlistStatus.GRANTED
    assert [v.skip_reason for v in (await waitlist.mine(booked_meanwhile.id)).skipped] == ["PERSON_ALREADY_BOOKED"]


async def test_a_grant_closes_the_persons_other_lines_that_day(
    runtime: Runtime, factory: Factory, waitlist: WaitlistService, clock: Clock
) -> None:
    floor_a, floor_b = await factory.floor(), await factory.floor()
    desk_a, desk_b = await factory.desk(floor_a), await factory.desk(floor_b)
    owner_a, owner_b, waiter = [await factory.employee() for _ in range(3)]
    booking_a = await book_day(runtime, desk_a, owner_a)
    await book_day(runtime, desk_b, owner_b)
    on_a, on_b = await join(waitlist, clock, waiter, floor_a.id), await join(waitlist, clock, waiter, floor_b.id)

    await runtime.bookings.cancel(owner_a.id, booking_a.id)

    assert (await entry(runtime, on_a)).status == WaitlistStatus.GRANTED
    assert (await entry(runtime, on_b)).status == WaitlistStatus.SKIPPED
    with pytest.raises(InvalidInput):
        await waitlist.leave(waiter.id, on_b)
