"""Rooms (capacity, hours, buffer, approval), booking on behalf, dry runs and idempotency keys."""

import asyncio
from datetime import time, timedelta

import pytest
from sqlalchemy import func, select

from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.bookings.requests import BookDeskRequest, BookRoomRequest
from smartoffice.errors import BookingConflict, InvalidInput, NotFound, PermissionDenied
from smartoffice.people.models import Role
from smartoffice.places.models import SpaceKind
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.clock import days_ahead, next_weekday


async def booking_count(runtime: Runtime) -> int:
    async with runtime.db.read() as session:
        return int(await session.scalar(select(func.count(Booking.id))) or 0)


class TestRooms:
    async def test_capacity_is_checked(self, runtime: Runtime, factory: Factory) -> None:
        room, person, day = await factory.room(capacity=6), await factory.employee(), next_weekday(2)
        with pytest.raises(InvalidInput, match="seats 6"):
            await runtime.bookings.book_room(person.id, BookRoomRequest(room.id, day, time(9), time(10), 7))
        booking = await runtime.bookings.book_room(
            person.id, BookRoomRequest(room.id, day, time(9), time(10), 6, "Rapat")
        )
        assert (booking.attendee_count, booking.title, booking.status) == (6, "Rapat", BookingStatus.BOOKED)

    async def test_bookable_hours_per_weekday(self, runtime: Runtime, factory: Factory) -> None:
        room = await factory.room(bookable_hours={"1": ["08:00", "12:00"], "3": ["13:00", "17:00"]})
        person = await factory.employee()
        monday, tuesday, wednesday = next_weekday(0), next_weekday(1), next_weekday(2)
        await runtime.bookings.book_room(person.id, BookRoomRequest(room.id, monday, time(8), time(9)))
        with pytest.raises(InvalidInput) as outside:
            await runtime.bookings.book_room(person.id, BookRoomRequest(room.id, monday, time(12), time(13)))
        with pytest.raises(InvalidInput) as not_that_day:
            await runtime.bookings.book_room(person.id, BookRoomRequest(room.id, tuesday, time(9), time(10)))
        await runtime.bookings.book_room(person.id, BookRoomRequest(room.id, wednesday, time(13), time(14)))
        assert (outside.value.code, not_that_day.value.code) == ("OUTSIDE_OPENING_HOURS", "ROOM_NOT_BOOKABLE_THAT_DAY")

    async def test_the_buffer_keeps_a_room_free_after_each_meeting(self, runtime: Runtime, factory: Factory) -> None:
        building = await factory.building()
        room = await factory.room(await factory.floor(building))
        await factory.booking_rule(building, SpaceKind.ROOM, buffer_minutes=15)
        first, second, day = await factory.employee(), await factory.employee(), next_weekday(3)
        await runtime.bookings.book_room(first.id, BookRoomRequest(room.id, day, time(9), time(10)))
        with pytest.raises(BookingConflict):
            await runtime.bookings.book_room(second.id, BookRoomRequest(room.id, day, time(10), time(11)))
        with pytest.raises(BookingConflict):  # ending into the first meeting's start is just as wrong
            await runtime.bookings.book_room(second.id, BookRoomRequest(room.id, day, time(8), time(9)))
        await runtime.bookings.book_room(second.id, BookRoomRequest(room.id, day, time(10, 15), time(11)))

    async def test_approval_flow(self, runtime: Runtime, factory: Factory) -> None:
        room = await factory.room(requires_approval=True)
        approver, requester, other = await factory.employee(), await factory.employee(), await factory.employee()
        await factory.approver(room, approver)
        day = next_weekday(4)
        pending = await runtime.bookings.book_room(requester.id, BookRoomRequest(room.id, day, time(9), time(10)))
        assert pending.status == BookingStatus.PENDING
        with pytest.raises(BookingConflict):  # a pending booking holds the room
            await runtime.bookings.book_room(other.id, BookRoomRequest(room.id, day, time(9), time(10)))
        with pytest.raises(NotFound):  # ``other`` may not see the booking either (issue 10)
            await runtime.bookings.decide(other.id, pending.id, accept=True)
        with pytest.raises(PermissionDenied):  # the requester sees it, but may not approve it
            await runtime.bookings.decide(requester.id, pending.id, accept=True)

        accepted = await runtime.bookings.decide(approver.id, pending.id, accept=True)
        assert accepted.status == BookingStatus.BOOKED
        with pytest.raises(InvalidInput, match="not awaiting approval"):
            await runtime.bookings.decide(approver.id, pending.id, accept=False)

    async def test_a_rejection_frees_the_room(self, runtime: Runtime, factory: Factory) -> None:
        room = await factory.room(requires_approval=True)
        approver, requester, other = await factory.employee(), await factory.employee(), await factory.employee()
        await factory.approver(room, approver)
        day = next_weekday(4)
        pending = await runtime.bookings.book_room(requester.id, BookRoomRequest(room.id, day, time(9), time(10)))
        rejected = await runtime.bookings.decide(approver.id, pending.id, accept=False)
        assert rejected.status == BookingStatus.REJECTED
        await runtime.bookings.book_room(other.id, BookRoomRequest(room.id, day, time(9), time(10)))


class TestOnBehalf:
    async def test_a_direct_supervisor_books_for_their_staff(self, runtime: Runtime, factory: Factory) -> None:
        boss = await factory.employee()
        staff = await factory.employee(supervisor_id=boss.id)
        desk = await factory.desk()
        booking = await runtime.bookings.book_desk(
            boss.id, BookDeskRequest(desk.id, days_ahead(2), for_employee_id=staff.id)
        )
        assert (booking.employee_id, booking.booked_by_id) == (staff.id, boss.id)
        # The person booked may cancel it, and so the one-desk-per-person rule applies to them, not the booker.
        with pytest.raises(BookingConflict):
            await runtime.bookings.book_desk(staff.id, BookDeskRequest((await factory.desk()).id, days_ahead(2)))
        await runtime.bookings.cancel(staff.id, booking.id)

    async def test_a_unit_manager_books_within_their_subtree_only(self, runtime: Runtime, factory: Factory) -> None:
        org = await factory.organisation()
        deputy = await factory.unit(org, level=1)
        directorate = await factory.unit(org, parent_id=deputy.id)
        elsewhere = await factory.unit(org, level=1)
        manager = await factory.employee(deputy)
        await factory.role(manager, Role.UNIT_MANAGER, org_unit_id=deputy.id)
        inside, outside = await factory.employee(directorate), await factory.employee(elsewhere)
        desk = await factory.desk()

        await runtime.bookings.book_desk(manager.id, BookDeskRequest(desk.id, days_ahead(2), for_employee_id=inside.id))
        with pytest.raises(PermissionDenied):
            await runtime.bookings.book_desk(
                manager.id, BookDeskRequest(desk.id, days_ahead(3), for_employee_id=outside.id)
            )

    async def test_a_facilities_manager_books_in_their_site_only(self, runtime: Runtime, factory: Factory) -> None:
        site, other_site = await factory.site(), await factory.site()
        here = await factory.desk(await factory.floor(await factory.building(site)))
        there = await factory.desk(await factory.floor(await factory.building(other_site)))
        facilities, someone = await factory.employee(), await factory.employee()
        await factory.role(facilities, Role.FACILITIES_MANAGER, site_id=site.id)
        await runtime.bookings.book_desk(
            facilities.id, BookDeskRequest(here.id, days_ahead(2), for_employee_id=someone.id)
        )
        with pytest.raises(PermissionDenied):
            await runtime.bookings.book_desk(
                facilities.id, BookDeskRequest(there.id, days_ahead(3), for_employee_id=someone.id)
            )


class TestValidate:
    async def test_a_dry_run_answers_like_booking_and_writes_nothing(self, runtime: Runtime, factory: Factory) -> None:
        desk, person, other = await factory.desk(), await factory.employee(), await factory.employee()
        preview = await runtime.bookings.validate(person.id, BookDeskRequest(desk.id, days_ahead(2), time(9), time(12)))
        assert preview.status == BookingStatus.BOOKED
        assert preview.end_at - preview.start_at == timedelta(hours=3)
        assert await booking_count(runtime) == 0

        await runtime.bookings.book_desk(other.id, BookDeskRequest(desk.id, days_ahead(2)))
        with pytest.raises(BookingConflict):
            await runtime.bookings.validate(person.id, BookDeskRequest(desk.id, days_ahead(2), time(9), time(12)))
        with pytest.raises(InvalidInput):
            await runtime.bookings.validate(person.id, BookDeskRequest(desk.id, days_ahead(2), time(12), time(9)))
        assert await booking_count(runtime) == 1


class TestIdempotency:
    async def test_a_replay_returns_the_first_result(self, runtime: Runtime, factory: Factory) -> None:
        desk, person = await factory.desk(), await factory.employee()
        request = BookDeskRequest(desk.id, days_ahead(2))
        first = await runtime.bookings.book_desk(person.id, request, idempotency_key="retry-1")
        again = await runtime.bookings.book_desk(person.id, request, idempotency_key="retry-1")
        assert again.id == first.id
        assert await booking_count(runtime) == 1

    async def test_the_same_key_for_another_request_is_refused(self, runtime: Runtime, factory: Factory) -> None:
        desk, person = await factory.desk(), await factory.employee()
        await runtime.bookings.book_desk(person.id, BookDeskRequest(desk.id, days_ahead(2)), idempotency_key="k")
        with pytest.raises(InvalidInput) as caught:
            await runtime.bookings.book_desk(person.id, BookDeskRequest(desk.id, days_ahead(3)), idempotency_key="k")
        assert caught.value.code == "IDEMPOTENCY_KEY_REUSED"

    async def test_keys_belong_to_their_actor(self, runtime: Runtime, factory: Factory) -> None:
        desk_a, desk_b = await factory.desk(), await factory.desk()
        first, second = await factory.employee(), await factory.employee()
        a = await runtime.bookings.book_desk(
            first.id, BookDeskRequest(desk_a.id, days_ahead(2)), idempotency_key="same"
        )
        b = await runtime.bookings.book_desk(
            second.id, BookDeskRequest(desk_b.id, days_ahead(2)), idempotency_key="same"
        )
        assert a.id != b.id

    async def test_concurrent_replays_book_once(self, runtime: Runtime, factory: Factory) -> None:
        desk, person = await factory.desk(), await factory.employee()
        request = BookDeskRequest(desk.id, days_ahead(2))
        results = await asyncio.gather(
            *(runtime.bookings.book_desk(person.id, request, idempotency_key="burst") for _ in range(8)),
            return_exceptions=True,
        )
        assert not [r for r in results if isinstance(r, BaseException)], results
        assert len({r.id for r in results if isinstance(r, Booking)}) == 1
        assert await booking_count(runtime) == 1

    async def test_cancel_replays_too(self, runtime: Runtime, factory: Factory) -> None:
        desk, person = await factory.desk(), await factory.employee()
        booking = await runtime.bookings.book_desk(person.id, BookDeskRequest(desk.id, days_ahead(2)))
        first = await runtime.bookings.cancel_bookings(person.id, booking.id, idempotency_key="c1")
        again = await runtime.bookings.cancel_bookings(person.id, booking.id, idempotency_key="c1")
        assert [b.id for b in again] == [b.id for b in first] == [booking.id]
        assert again[0].status == BookingStatus.CANCELLED
