"""The booking path's per-process cache of rules, calendar, building policies and places (``bookings/facts.py``):
a change committed by one app process is obeyed by the next booking in another (two runtimes on one database and
one Redis, as two workers); without Redis every fact is read from SQL and the answers are the same."""

import asyncio
from datetime import time

import pytest
from redis.asyncio import Redis

from smartoffice.availability.breaker import CircuitBreaker
from smartoffice.bookings.errors import BookingInputCode
from smartoffice.bookings.facts import BOOKING_FACTS_VERSION_KEY, BookingFacts
from smartoffice.bookings.service import BookDeskRequest, BookingService
from smartoffice.errors import InvalidInput, PolicyRefusal
from smartoffice.places.models import SpaceKind
from smartoffice.runtime import Runtime, redis_client
from smartoffice.workcalendar.models import CalendarOverride, DayKind
from tests.factories import Factory
from tests.support.clock import days_ahead
from tests.support.statements import reads, statements


class TestServedFromMemory:
    async def test_a_second_booking_reads_no_rule_calendar_policies_or_places(
        self, runtime: Runtime, factory: Factory
    ) -> None:
        floor = await factory.floor()
        desk_a, desk_b, person = await factory.desk(floor), await factory.desk(floor), await factory.employee()
        await runtime.bookings.book_desk(person.id, BookDeskRequest(desk_a.id, days_ahead(2)))

        with statements(runtime.db) as seen:
            await runtime.bookings.book_desk(person.id, BookDeskRequest(desk_b.id, days_ahead(3)))

        tables = ("booking_rules", "calendar_overrides", "policies", "buildings")
        assert [reads(seen, t) for t in tables] == [0, 0, 0, 0]

    async def test_without_redis_every_fact_is_read_and_the_answer_is_the_same(
        self, runtime: Runtime, factory: Factory
    ) -> None:
        dead = redis_client("redis://127.0.0.1:1/0")  # nothing listens on port 1
        try:
            building = await factory.building()
            floor = await factory.floor(building)
            await factory.booking_rule(building, SpaceKind.DESK, max_active_bookings=1)
            desks, person = [await factory.desk(floor) for _ in range(2)], await factory.employee()
            facts = BookingFacts.create(dead, CircuitBreaker())
            service = BookingService(runtime.db, runtime.availability, facts=facts)
            with statements(runtime.db) as seen:
                await service.book_desk(person.id, BookDeskRequest(desks[0].id, days_ahead(2)))
            assert reads(seen, "booking_rules") == 1

            with pytest.raises(InvalidInput) as refused, statements(runtime.db) as seen:
                await service.book_desk(person.id, BookDeskRequest(desks[1].id, days_ahead(3)))
            assert refused.value.code == BookingInputCode.LIMIT_REACHED.name
            assert reads(seen, "booking_rules") == 1
        finally:
            await dead.aclose()

    async def test_a_cold_burst_loads_the_places_once(self, runtime: Runtime, factory: Factory) -> None:
        await factory.desk()
        facts = runtime.bookings.facts
        assert facts is not None
        views = [await facts.view() for _ in range(8)]  # eight bookings arriving at a cold process

        with statements(runtime.db) as seen:
            found = await asyncio.gather(*(view.places(runtime.db.read) for view in views))

        assert all(places is not None for places in found)
        assert sum(1 for s in seen if "spaces.bookable_hours" in s) == 1

    async def test_a_lost_version_reloads(self, runtime: Runtime, redis: Redis, factory: Factory) -> None:
        floor = await factory.floor()
        desk_a, desk_b, person = await factory.desk(floor), await factory.desk(floor), await factory.employee()
        await runtime.bookings.book_desk(person.id, BookDeskRequest(desk_a.id, days_ahead(2)))
        await redis.delete(BOOKING_FACTS_VERSION_KEY)  # Redis restarted or flushed

        with statements(runtime.db) as seen:
            await runtime.bookings.book_desk(person.id, BookDeskRequest(desk_b.id, days_ahead(3)))

        assert reads(seen, "booking_rules") == 1


class TestAChangeInOneProcessIsObeyedByAnother:
    """Each test books once in ``other`` (filling its cache), changes a fact through ``runtime`` (another process),
    then books again in ``other``: the change must decide that booking."""

    async def test_a_booking_rule(self, runtime: Runtime, other: Runtime, factory: Factory) -> None:
        building = await factory.building()
        floor = await factory.floor(building)
        desks, person = [await factory.desk(floor) for _ in range(2)], await factory.employee()
        await other.bookings.book_desk(person.id, BookDeskRequest(desks[0].id, days_ahead(2)))

        await factory.booking_rule(building, SpaceKind.DESK, max_active_bookings=1)  # through ``runtime``

        with pytest.raises(InvalidInput) as refused:
            await other.bookings.book_desk(person.id, BookDeskRequest(desks[1].id, days_ahead(3)))
        assert refused.value.code == BookingInputCode.LIMIT_REACHED.name

    async def test_a_holiday(self, runtime: Runtime, other: Runtime, factory: Factory) -> None:
        floor = await factory.floor()
        desks, person = [await factory.desk(floor) for _ in range(2)], await factory.employee()
        day = days_ahead(4)
        await other.bookings.book_desk(person.id, BookDeskRequest(desks[0].id, day, time(8), time(9)))

        async with runtime.db.write() as session:
            session.add(CalendarOverride(day=day, kind=DayKind.PUBLIC_HOLIDAY, name="Hari Libur Uji"))

        with pytest.raises(InvalidInput) as refused:
            await other.bookings.book_desk(person.id, BookDeskRequest(desks[1].id, day, time(10), time(11)))
        assert refused.value.code == BookingInputCode.CLOSED_HOLIDAY.name

    async def test_an_occupancy_cap(self, runtime: Runtime, other: Runtime, factory: Factory) -> None:
        floor = await factory.floor()
        desks = [await factory.desk(floor) for _ in range(2)]
        people = [await factory.employee() for _ in range(2)]
        await other.bookings.book_desk(people[0].id, BookDeskRequest(desks[0].id, days_ahead(2)))

        await factory.policy({"building_occupancy_percent": 50}, building_id=floor.building_id, is_overlay=True)

        with pytest.raises(PolicyRefusal):
            await other.bookings.book_desk(people[1].id, BookDeskRequest(desks[1].id, days_ahead(2)))
