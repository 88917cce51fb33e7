"""Every booking rule, allowed and refused: rules are data (BookingRule rows), closures, holidays, assigned desks."""

from datetime import time, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from smartoffice.bookings.models import MAX_BOOKING_SPAN, MAX_BUFFER_MINUTES
from smartoffice.bookings.requests import BookDeskRequest, BookRoomRequest
from smartoffice.errors import InvalidInput, PermissionDenied
from smartoffice.places.models import SpaceKind
from smartoffice.runtime import Runtime
from smartoffice.workcalendar.models import DayKind
from smartoffice.workcalendar.service import generated_days
from tests.factories import Factory
from tests.support.bookings import service_at
from tests.support.clock import Clock, at, days_ahead, next_weekday, upcoming


async def refused(coro: object, code: str) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        await coro  # type: ignore[misc]
    assert caught.value.code == code, caught.value.message
    return caught.value


class TestAdvanceAndDuration:
    async def test_desks_open_28_days_ahead_by_default(self, runtime: Runtime, factory: Factory) -> None:
        desk, person = await factory.desk(), await factory.employee()
        await runtime.bookings.book_desk(person.id, BookDeskRequest(desk.id, next_weekday(0, after=21)))
        error = await refused(
            runtime.bookings.book_desk(person.id, BookDeskRequest(desk.id, days_ahead(29))), "TOO_FAR_AHEAD"
        )
        assert "28" in error.message

    async def test_a_buildings_own_rule_wins_over_the_default(self, runtime: Runtime, factory: Factory) -> None:
        building = await factory.building()
        desk = await factory.desk(await factory.floor(building))
        await factory.booking_rule(building, SpaceKind.DESK, max_days_in_advance=7)
        person = await factory.employee()
        await refused(runtime.bookings.book_desk(person.id, BookDeskRequest(desk.id, days_ahead(8))), "TOO_FAR_AHEAD")

    async def test_room_duration_bounds(self, runtime: Runtime, factory: Factory) -> None:
        building = await factory.building()
        room = await factory.room(await factory.floor(building), capacity=6)
        await factory.booking_rule(building, SpaceKind.ROOM, min_duration_minutes=30, max_duration_minutes=120)
        person, day = await factory.employee(), next_weekday(1)
        await refused(
            runtime.bookings.book_room(person.id, BookRoomRequest(room.id, day, time(9), time(9, 15))), "TOO_SHORT"
        )
        await refused(
            runtime.bookings.book_room(person.id, BookRoomRequest(room.id, day, time(9), time(11, 15))), "TOO_LONG"
        )
        booking = await runtime.bookings.book_room(person.id, BookRoomRequest(room.id, day, time(9), time(11)))
        assert booking.end_at - booking.start_at == timedelta(hours=2)

    async def test_active_booking_limit_counts_only_upcoming_active_ones(
        self, runtime: Runtime, factory: Factory
    ) -> None:
        building = await factory.building()
        floor = await factory.floor(building)
        await factory.booking_rule(building, SpaceKind.DESK, max_active_bookings=2)
        desk, person = await factory.desk(floor), await factory.employee()
        first = await runtime.bookings.book_desk(person.id, BookDeskRequest(desk.id, days_ahead(1)))
        await runtime.bookings.book_desk(person.id, BookDeskRequest(desk.id, days_ahead(2)))
        await refused(runtime.bookings.book_desk(person.id, BookDeskRequest(desk.id, days_ahead(3))), "LIMIT_REACHED")
        await runtime.bookings.cancel(person.id, first.id)
        await runtime.bookings.book_desk(person.id, BookDeskRequest(desk.id, days_ahead(3)))


class TestClosures:
    @pytest.mark.parametrize("level", ["site", "building", "floor", "zone", "space"])
    async def test_a_closure_at_any_level_refuses_with_its_reason(
        self, runtime: Runtime, factory: Factory, level: str
    ) -> None:
        site = await factory.site()
        building = await factory.building(site)
        floor = await factory.floor(building)
        zone = await factory.zone(floor)
        desk = await factory.desk(floor, zone_id=zone.id)
        person, day = await factory.employee(), days_ahead(2)
        scope = {"site": site, "building": building, "floor": floor, "zone": zone, "space": desk}[level]
        await factory.closure("Fumigation", **{f"{level}_id": scope.id}, start_at=at(day, 0), end_at=at(day, 23))

        error = await refused(runtime.bookings.book_desk(person.id, BookDeskRequest(desk.id, day)), "CLOSED")

        assert "Fumigation" in error.message
        await runtime.bookings.book_desk(person.id, BookDeskRequest(desk.id, day + timedelta(days=1)))

    async def test_a_closure_elsewhere_or_at_another_time_does_not_matter(
        self, runtime: Runtime, factory: Factory
    ) -> None:
        floor, other_floor = await factory.floor(), await factory.floor()
        desk, person, day = await factory.desk(floor), await factory.employee(), days_ahead(2)
        await factory.closure(floor_id=other_floor.id, start_at=at(day, 0), end_at=at(day, 23))
        await factory.closure(floor_id=floor.id, start_at=at(day, 7), end_at=at(day, 9))
        await runtime.bookings.book_desk(person.id, BookDeskRequest(desk.id, day, time(9), time(17)))


class TestHolidays:
    @pytest.mark.parametrize("kind", [DayKind.PUBLIC_HOLIDAY, DayKind.COLLECTIVE_LEAVE])
    async def test_holidays_and_cuti_bersama_are_closed_by_default(
        self, runtime: Runtime, factory: Factory, kind: DayKind
    ) -> None:
        building = await factory.building()
        desk = await factory.desk(await factory.floor(building))
        await factory.booking_rule(building, SpaceKind.DESK, max_days_in_advance=400)
        person, holiday = await factory.employee(), upcoming(kind)
        error = await refused(
            runtime.bookings.book_desk(person.id, BookDeskRequest(desk.id, holiday)), "CLOSED_HOLIDAY"
        )
        assert generated_days([holiday.year])[holiday][1] in error.message

    async def test_a_building_may_open_on_holidays(self, runtime: Runtime, factory: Factory) -> None:
        building = await factory.building()
        desk = await factory.desk(await factory.floor(building))
        await factory.booking_rule(building, SpaceKind.DESK, max_days_in_advance=400, closed_on_holidays=False)
        person = await factory.employee()
        await runtime.bookings.book_desk(person.id, BookDeskRequest(desk.id, upcoming(DayKind.PUBLIC_HOLIDAY)))


class TestCancellationDeadline:
    async def test_cancelling_too_close_to_the_start_is_refused(self, runtime: Runtime, factory: Factory) -> None:
        building = await factory.building()
        room = await factory.room(await factory.floor(building))
        await factory.booking_rule(building, SpaceKind.ROOM, cancellation_deadline_minutes=60)
        person, day = await factory.employee(), days_ahead(1)
        clock = Clock(at(day, 8))
        service = service_at(runtime, clock)
        booking = await service.book_room(person.id, BookRoomRequest(room.id, day, time(10), time(11)))

        clock.advance(minutes=30)  # 08:30, the deadline is 09:00: still allowed
        await service.validate(person.id, BookRoomRequest(room.id, day, time(12), time(13)))
        clock.advance(minutes=45)  # 09:15
        await refused(service.cancel(person.id, booking.id), "CANCELLATION_DEADLINE_PASSED")


class TestAssignedDesks:
    async def test_only_the_owner_books_an_assigned_desk_until_released(
        self, runtime: Runtime, factory: Factory
    ) -> None:
        owner, colleague, stranger = await factory.employee(), await factory.employee(), await factory.employee()
        desk = await factory.desk(assigned_employee_id=owner.id)
        day = days_ahead(3)
        await refused(runtime.bookings.book_desk(colleague.id, BookDeskRequest(desk.id, day)), "DESK_ASSIGNED")
        with pytest.raises(PermissionDenied):
            await runtime.bookings.release_assigned_desk(stranger.id, desk.id, day)

        await runtime.bookings.release_assigned_desk(owner.id, desk.id, day)

        await runtime.bookings.book_desk(colleague.id, BookDeskRequest(desk.id, day))
        await refused(
            runtime.bookings.book_desk(colleague.id, BookDeskRequest(desk.id, day + timedelta(days=1))), "DESK_ASSIGNED"
        )
        await runtime.bookings.book_desk(owner.id, BookDeskRequest(desk.id, day + timedelta(days=1)))


@pytest.mark.parametrize("minutes", [-1, MAX_BUFFER_MINUTES + 1])
async def test_a_rule_cannot_set_an_unbounded_buffer(factory: Factory, minutes: int) -> None:
    """Overlap queries bound their scan by MAX_BOOKING_SPAN, which holds only while buffers are bounded."""
    building = await factory.building()
    with pytest.raises(IntegrityError, match="buffer_bounded"):
        await factory.booking_rule(building, SpaceKind.ROOM, buffer_minutes=minutes)
    assert timedelta(hours=25, minutes=MAX_BUFFER_MINUTES) <= MAX_BOOKING_SPAN
