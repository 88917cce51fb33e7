"""Closures managed in the product (``ClosureService``): validation, permission, the bookings a closure cancels (the
ones the preview listed, with its reason, freed in the index, in one transaction), ending one, listing them."""

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from smartoffice.audit.models import AuditEntry
from smartoffice.audit.record import Actor
from smartoffice.availability.service import SpaceStatus
from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.bookings.place_changes import PlaceLevel, PlaceRef
from smartoffice.bookings.requests import BookDeskRequest
from smartoffice.errors import InvalidInput, NotFound, PermissionDenied
from smartoffice.places import closures as closures_module
from smartoffice.places.closures import ClosureInput, LocalTimes
from smartoffice.places.models import Closure
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.bookings import book_desk, status_between
from tests.support.clock import DAY, WITA, Clock, at, install_clock
from tests.support.office import Office, build_office

REASON = "Perbaikan AC lantai 3"


@pytest.fixture
def clock(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = install_clock(runtime, monkeypatch)
    monkeypatch.setattr(runtime.closures, "clock", clock)
    return clock


async def _zone_office(factory: Factory) -> tuple[Office, PlaceRef]:
    office = await build_office(factory)
    zone = await factory.zone(office.floor)
    for desk in office.desks[:2]:  # desks A00 and A01 are in the zone; A02 and A03 are not
        async with factory.db.write() as session:
            row = await session.merge(desk)
            row.zone_id = zone.id
    return office, PlaceRef(PlaceLevel.ZONE, zone.id)


def _day(place: PlaceRef, reason: str = REASON) -> ClosureInput:
    return ClosureInput(place, reason, local=LocalTimes(DAY, DAY))


async def _statuses(runtime: Runtime) -> dict[int, BookingStatus]:
    async with runtime.db.read() as session:
        return {b.id: b.status for b in await session.scalars(select(Booking))}


async def _count(runtime: Runtime, model: type) -> int:
    async with runtime.db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


class TestCreate:
    async def test_cancels_what_the_preview_listed_with_the_reason_and_frees_the_index(
        self, runtime: Runtime, factory: Factory, clock: Clock
    ) -> None:
        # given: Alice and Amir in the zone, Bella outside it
        office, zone = await _zone_office(factory)
        alice = await book_desk(runtime, office.desks[0], office.alice, time(8), time(17))
        amir = await book_desk(runtime, office.desks[1], office.amir, time(9), time(12))
        bella = await book_desk(runtime, office.desks[2], office.bella, time(8), time(17))
        actor = Actor(office.facilities_1.id, "page")

        # when
        preview = await runtime.closures.preview(actor, _day(zone))
        created = await runtime.closures.create(actor, _day(zone))

        # then
        assert [b.person_name for b in preview.affected] == ["Alice Anggraini", "Amir Hakim"]
        assert [b.booking_id for b in created.cancelled] == [b.booking_id for b in preview.affected]
        assert created.closure.start_at == at(DAY, 0) and created.closure.end_at == at(DAY, 0) + timedelta(days=1)
        async with runtime.db.read() as session:
            rows = {b.id: b for b in await session.scalars(select(Booking))}
        assert rows[alice.id].status == rows[amir.id].status == BookingStatus.CANCELLED
        assert rows[alice.id].cancel_reason == REASON and rows[alice.id].cancelled_at == clock.now
        assert rows[bella.id].status == BookingStatus.BOOKED and rows[bella.id].cancel_reason is None
        status, _ = await status_between(runtime, office.desks[0], time(8), time(17))
        assert status == SpaceStatus.FREE
        status, _ = await status_between(runtime, office.desks[2], time(8), time(17))
        assert status == SpaceStatus.BOOKED

    async def test_the_closed_zone_takes_no_new_booking(self, runtime: Runtime, factory: Factory, clock: Clock) -> None:
        office, zone = await _zone_office(factory)
        await runtime.closures.create(Actor(office.admin.id, "page"), _day(zone))

        with pytest.raises(InvalidInput) as caught:
            await runtime.bookings.book_desk(office.alice.id, BookDeskRequest(office.desks[0].id, DAY))

        assert caught.value.code == "CLOSED" and REASON in caught.value.message

    async def test_local_times_are_read_in_the_buildings_zone(
        self, runtime: Runtime, factory: Factory, clock: Clock
    ) -> None:
        office, zone = await _zone_office(factory)
        request = ClosureInput(zone, REASON, local=LocalTimes(DAY, DAY + timedelta(days=1), time(12), time(13, 30)))

        created = await runtime.closures.create(Actor(office.admin.id, "page"), request)

        assert created.closure.start_at == at(DAY, 12)
        assert created.closure.end_at == at(DAY + timedelta(days=1), 13, 30)
        assert created.closure.place.time_zone == WITA.key

    async def test_one_transaction_a_failure_changes_nothing(
        self, runtime: Runtime, factory: Factory, clock: Clock, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        office, zone = await _zone_office(factory)
        booking = await book_desk(runtime, office.desks[0], office.alice, time(8), time(17))

        def fail(*args: object, **kwargs: object) -> None:
            raise RuntimeError("the audit log is full")

        monkeypatch.setattr(closures_module, "record_change", fail)
        with pytest.raises(RuntimeError):
            await runtime.closures.create(Actor(office.admin.id, "page"), _day(zone))

        assert (await _statuses(runtime))[booking.id] == BookingStatus.BOOKED
        assert await _count(runtime, Closure) == 0

    async def test_audited_with_the_site_and_the_cancelled_bookings(
        self, runtime: Runtime, factory: Factory, clock: Clock
    ) -> None:
        office, zone = await _zone_office(factory)
        booking = await book_desk(runtime, office.desks[0], office.alice, time(8), time(17))

        created = await runtime.closures.create(Actor(office.facilities_1.id, "page"), _day(zone))

        async with runtime.db.read() as session:
            entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "closure.create"))
        assert entry is not None
        assert (entry.entity_kind, entry.entity_id, entry.site_id) == ("Closure", created.closure.id, office.site.id)
        assert entry.after is not None and entry.after["cancelled_bookings"] == [booking.id]
        assert entry.after["reason"] == REASON and entry.via == "page"


class TestValidation:
    @pytest.mark.parametrize(
        ("reason", "local", "code"),
        [
            ("  ", LocalTimes(DAY, DAY), "CLOSURE_REASON_REQUIRED"),
            ("x" * 501, LocalTimes(DAY, DAY), "CLOSURE_REASON_TOO_LONG"),
            (REASON, LocalTimes(DAY, DAY, time(12), time(11)), "CLOSURE_END_NOT_AFTER_START"),
            (REASON, LocalTimes(DAY - timedelta(days=3), DAY - timedelta(days=1)), "CLOSURE_IN_PAST"),
            (REASON, LocalTimes(DAY, DAY + timedelta(days=366)), "CLOSURE_TOO_LONG"),
        ],
    )
    async def test_refused_and_nothing_written(
        self, runtime: Runtime, factory: Factory, clock: Clock, reason: str, local: LocalTimes, code: str
    ) -> None:
        office, zone = await _zone_office(factory)

        with pytest.raises(InvalidInput) as caught:
            await runtime.closures.create(Actor(office.admin.id, "page"), ClosureInput(zone, reason, local=local))

        assert caught.value.code == code
        assert await _count(runtime, Closure) == 0 and await _count(runtime, AuditEntry) == 0

    async def test_a_retired_place_is_refused(self, runtime: Runtime, factory: Factory, clock: Clock) -> None:
        office = await build_office(factory)
        zone = await factory.zone(office.floor, retired_at=clock.now - timedelta(days=1))

        with pytest.raises(InvalidInput) as caught:
            await runtime.closures.create(Actor(office.admin.id, "page"), _day(PlaceRef(PlaceLevel.ZONE, zone.id)))

        assert caught.value.code == "CLOSURE_PLACE_RETIRED"

    async def test_an_unknown_place_is_not_found(self, runtime: Runtime, factory: Factory, clock: Clock) -> None:
        office = await build_office(factory)

        with pytest.raises(NotFound):
            await runtime.closures.preview(Actor(office.admin.id, "page"), _day(PlaceRef(PlaceLevel.FLOOR, 999_999)))

    async def test_instants_are_required_without_local_times(
        self, runtime: Runtime, factory: Factory, clock: Clock
    ) -> None:
        office, zone = await _zone_office(factory)

        with pytest.raises(InvalidInput) as caught:
            await runtime.closures.create(Actor(office.admin.id, "api"), ClosureInput(zone, REASON))

        assert (caught.value.code, caught.value.field) == ("REQUIRED", "startsAt")


class TestPermission:
    async def test_a_facilities_manager_of_another_site_is_refused(
        self, runtime: Runtime, factory: Factory, clock: Clock
    ) -> None:
        office, zone = await _zone_office(factory)
        booking = await book_desk(runtime, office.desks[0], office.alice, time(8), time(17))

        for attempt in (runtime.closures.preview, runtime.closures.create):
            with pytest.raises(PermissionDenied) as caught:
                await attempt(Actor(office.facilities_2.id, "page"), _day(zone))
            assert caught.value.code == "NOT_A_FACILITIES_MANAGER"

        assert (await _statuses(runtime))[booking.id] == BookingStatus.BOOKED

    async def test_a_plain_employee_is_refused_and_an_admin_may(
        self, runtime: Runtime, factory: Factory, clock: Clock
    ) -> None:
        office, zone = await _zone_office(factory)

        with pytest.raises(PermissionDenied):
            await runtime.closures.create(Actor(office.alice.id, "page"), _day(zone))
        created = await runtime.closures.create(Actor(office.admin.id, "page"), _day(zone))

        assert created.closure.created_by_name == "Adi Admin"


class TestEnd:
    async def test_a_current_closure_ends_now(self, runtime: Runtime, factory: Factory, clock: Clock) -> None:
        office, zone = await _zone_office(factory)
        created = await runtime.closures.create(Actor(office.facilities_1.id, "page"), _day(zone))
        clock.set(time(10))

        ended = await runtime.closures.end(Actor(office.facilities_1.id, "page"), created.closure.id)

        assert not ended.deleted and ended.closure.end_at == clock.now
        async with runtime.db.read() as session:
            row = await session.get(Closure, created.closure.id)
            entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "closure.end"))
        assert row is not None and row.end_at == clock.now
        assert entry is not None and entry.before is not None and entry.after is not None
        assert entry.before["end_at"] != entry.after["end_at"]

    async def test_a_closure_not_started_is_deleted(self, runtime: Runtime, factory: Factory, clock: Clock) -> None:
        office, zone = await _zone_office(factory)
        later = ClosureInput(zone, REASON, local=LocalTimes(DAY + timedelta(days=2), DAY + timedelta(days=2)))
        created = await runtime.closures.create(Actor(office.admin.id, "page"), later)

        ended = await runtime.closures.end(Actor(office.admin.id, "page"), created.closure.id)

        assert ended.deleted and await _count(runtime, Closure) == 0

    async def test_an_ended_closure_and_another_sites_manager_are_refused(
        self, runtime: Runtime, factory: Factory, clock: Clock
    ) -> None:
        office, zone = await _zone_office(factory)
        created = await runtime.closures.create(Actor(office.admin.id, "page"), _day(zone))

        with pytest.raises(PermissionDenied):
            await runtime.closures.end(Actor(office.facilities_2.id, "page"), created.closure.id)
        clock.advance(days=2)
        with pytest.raises(InvalidInput) as caught:
            await runtime.closures.end(Actor(office.admin.id, "page"), created.closure.id)
        with pytest.raises(NotFound):
            await runtime.closures.end(Actor(office.admin.id, "page"), 999_999)

        assert caught.value.code == "CLOSURE_ALREADY_ENDED"


class TestList:
    async def test_within_the_visitors_sites_current_and_upcoming(
        self, runtime: Runtime, factory: Factory, clock: Clock
    ) -> None:
        office, zone = await _zone_office(factory)
        other_floor = await factory.floor(await factory.building(await factory.site()))
        await factory.closure(
            floor_id=other_floor.id, start_at=at(DAY, 0), end_at=at(DAY, 23), reason="Pemeliharaan lain"
        )
        ended_at = at(DAY - timedelta(days=1), 0)
        await factory.closure(zone_id=zone.id, start_at=ended_at - timedelta(days=1), end_at=ended_at, reason="Lewat")
        created = await runtime.closures.create(Actor(office.admin.id, "page"), _day(zone))

        mine = await runtime.closures.list(Actor(office.facilities_1.id, "page"))
        theirs = await runtime.closures.list(Actor(office.facilities_2.id, "page"))
        everyone = await runtime.closures.list(Actor(office.admin.id, "page"))
        nobody = await runtime.closures.list(Actor(office.alice.id, "page"))
        on_zone = await runtime.closures.list(Actor(office.admin.id, "page"), place=zone)

        assert [c.id for c in mine] == [created.closure.id]
        assert theirs == [] and nobody == []
        assert {c.reason for c in everyone} == {REASON, "Pemeliharaan lain"}
        assert [c.id for c in on_zone] == [created.closure.id]
        assert mine[0].place.site_id == office.site.id and mine[0].place.ref == zone


def test_local_whole_days_are_half_open() -> None:
    start, end = LocalTimes(DAY, DAY).resolve(WITA.key)

    assert start == datetime(DAY.year, DAY.month, DAY.day, tzinfo=WITA).astimezone(UTC)
    assert end - start == timedelta(days=1)
