"""The places editor (``PlaceEditor``): each validation code, who may change what, the audit, and the bookings a
change takes away (listed first by a dry run, then cancelled with the reason in the change's one transaction)."""

from datetime import time
from typing import Any

import pytest
from sqlalchemy import select

from smartoffice.audit.models import AuditEntry
from smartoffice.audit.record import Actor
from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.bookings.place_changes import PlaceLevel, PlaceRef
from smartoffice.errors import InvalidInput, NotFound, PermissionDenied
from smartoffice.places.editing_fields import Box, BuildingFields, FloorFields, SiteFields, SpaceFields, ZoneFields
from smartoffice.places.models import Building, Floor, Site, Space, SpaceKind, room_approvers
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.bookings import book_desk, insert_booking
from tests.support.clock import DAY, Clock, at, install_clock
from tests.support.office import Office, build_office

WEEKDAYS = {day: ("07:00", "19:00") for day in range(1, 6)}


@pytest.fixture
def clock(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = install_clock(runtime, monkeypatch)
    monkeypatch.setattr(runtime.place_editor, "clock", clock)
    return clock


@pytest.fixture
async def office(factory: Factory) -> Office:
    return await build_office(factory)


def fm(office: Office) -> Actor:
    return Actor(office.facilities_1.id, "page")


def desk_fields(code: str = "N-01", **overrides: Any) -> SpaceFields:
    return SpaceFields(kind=SpaceKind.DESK, code=code, **{"box": Box(1, 1, 1.6, 0.8), **overrides})


def room_fields(code: str = "R-01", **overrides: Any) -> SpaceFields:
    values: dict[str, Any] = {"name": "Ruang Garuda", "capacity": 8, "box": Box(10, 5, 6, 4)}
    return SpaceFields(kind=SpaceKind.ROOM, code=code, **{**values, **overrides})


async def _code_of(runtime: Runtime, action: Any) -> str:
    with pytest.raises(InvalidInput) as caught:
        await action
    return caught.value.code


async def _entries(runtime: Runtime) -> list[AuditEntry]:
    async with runtime.db.read() as session:
        return list(await session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


async def _booking(runtime: Runtime, booking_id: int) -> Booking:
    async with runtime.db.read() as session:
        booking = await session.get(Booking, booking_id)
        assert booking is not None
        return booking


class TestCreate:
    async def test_a_facilities_manager_builds_a_building_floor_zone_desk_and_room(
        self, runtime: Runtime, office: Office, clock: Clock
    ) -> None:
        editor, actor = runtime.place_editor, fm(office)
        building = await editor.create_building(
            actor, office.site.id, BuildingFields("T9", "Tower 9", "Asia/Makassar", WEEKDAYS)
        )
        floor = await editor.create_floor(actor, building.id, FloorFields(3, "Lantai 3", 40, 20))
        zone = await editor.create_zone(actor, floor.id, ZoneFields("Z1", "Biro Umum", office.team_a1.id))
        desk = await editor.create_space(actor, floor.id, desk_fields(zone_id=zone.id, amenities=("monitor",)))
        room = await editor.create_space(
            actor, floor.id, room_fields(requires_approval=True, approver_ids=(office.manager_a.id,))
        )

        assert (building.opens_at, building.closes_at) == (time(7), time(19))
        assert building.opening_hours == {str(d): ["07:00", "19:00"] for d in range(1, 6)}
        assert (zone.x, zone.y, zone.width, zone.height) == (0, 0, 40, 20)  # the whole floor by default
        assert desk.zone_id == zone.id and room.capacity == 8
        async with runtime.db.read() as session:
            approvers = list(await session.scalars(select(room_approvers.c.employee_id)))
        assert approvers == [office.manager_a.id]
        entries = await _entries(runtime)
        assert [(e.action, e.entity_kind) for e in entries] == [
            ("place.create", "Building"),
            ("place.create", "Floor"),
            ("place.create", "Zone"),
            ("place.create", "Desk"),
            ("place.create", "MeetingRoom"),
        ]
        assert {e.site_id for e in entries} == {office.site.id}
        assert all(e.actor_id == office.facilities_1.id and e.before is None for e in entries)
        assert entries[-1].after is not None and entries[-1].after["approver_ids"] == [office.manager_a.id]

    async def test_only_administrators_create_sites(self, runtime: Runtime, office: Office, clock: Clock) -> None:
        with pytest.raises(PermissionDenied):
            await runtime.place_editor.create_site(fm(office), SiteFields("KIPP", "KIPP Nusantara"))
        site = await runtime.place_editor.create_site(Actor(office.admin.id, "api"), SiteFields("KIPP", "KIPP"))
        assert site.code == "KIPP"

    async def test_a_facilities_manager_of_another_site_or_a_unit_manager_is_refused(
        self, runtime: Runtime, office: Office, clock: Clock
    ) -> None:
        for person in (office.facilities_2, office.manager_a):
            with pytest.raises(PermissionDenied):
                await runtime.place_editor.create_space(Actor(person.id, "page"), office.floor.id, desk_fields())
        admin = Actor(office.admin.id, "page")
        assert (await runtime.place_editor.create_space(admin, office.floor.id, desk_fields())).code == "N-01"


class TestValidation:
    @pytest.mark.parametrize(
        ("fields", "code"),
        [
            (BuildingFields("T 9", "Tower", "Asia/Makassar", WEEKDAYS), "PLACE_CODE_INVALID"),
            (BuildingFields("T9", "", "Asia/Makassar", WEEKDAYS), "REQUIRED"),
            (BuildingFields("T9", "x" * 201, "Asia/Makassar", WEEKDAYS), "TEXT_TOO_LONG"),
            (BuildingFields("T9", "Tower", "Asia/Nusantara", WEEKDAYS), "PLACE_TIME_ZONE_UNKNOWN"),
            (BuildingFields("T9", "Tower", "Asia/Makassar", {1: ("07:10", "17:00")}), "PLACE_TIME_INVALID"),
            (BuildingFields("T9", "Tower", "Asia/Makassar", {1: ("7", "17:00")}), "PLACE_TIME_INVALID"),
            (BuildingFields("T9", "Tower", "Asia/Makassar", {1: ("17:00", "07:00")}), "PLACE_OPENS_AFTER_CLOSING"),
            (BuildingFields("T9", "Tower", "Asia/Makassar", {8: ("07:00", "17:00")}), "PLACE_WEEKDAY_INVALID"),
            (BuildingFields("T9", "Tower", "Asia/Makassar", {}), "PLACE_NEVER_OPEN"),
        ],
    )
    async def test_buildings(
        self, runtime: Runtime, office: Office, clock: Clock, fields: BuildingFields, code: str
    ) -> None:
        assert await _code_of(runtime, runtime.place_editor.create_building(fm(office), office.site.id, fields)) == code

    async def test_codes_and_levels_are_unique_within_their_parent_and_retired_ones_stay_taken(
        self, runtime: Runtime, factory: Factory, office: Office, clock: Clock
    ) -> None:
        editor, actor = runtime.place_editor, fm(office)
        building = await factory.building(office.site, code="T1")
        create = editor.create_building(actor, office.site.id, BuildingFields("T1", "Again", "Asia/Jakarta", WEEKDAYS))
        assert await _code_of(runtime, create) == "PLACE_CODE_TAKEN"
        await factory.floor(building, level=2)
        assert await _code_of(runtime, editor.create_floor(actor, building.id, FloorFields(2, "x", 9, 9))) == (
            "PLACE_LEVEL_TAKEN"
        )
        await factory.zone(office.floor, code="Z")
        assert await _code_of(runtime, editor.create_zone(actor, office.floor.id, ZoneFields("Z", "x"))) == (
            "PLACE_CODE_TAKEN"
        )
        await editor.retire(actor, PlaceRef(PlaceLevel.SPACE, office.desks[0].id))
        assert await _code_of(runtime, editor.create_space(actor, office.floor.id, desk_fields("A00"))) == (
            "PLACE_CODE_RETIRED"
        )
        admin = Actor(office.admin.id, "page")
        await editor.create_site(admin, SiteFields("S-X", "x"))
        assert await _code_of(runtime, editor.create_site(admin, SiteFields("S-X", "y"))) == "PLACE_CODE_TAKEN"

    @pytest.mark.parametrize(
        ("overrides", "code"),
        [
            ({"box": Box(1, 1, 0, 1)}, "PLACE_SIZE_INVALID"),
            ({"box": Box(39, 1, 1.6, 0.8)}, "PLACE_OUTSIDE_FLOOR"),
            ({"rotation": 400.0}, "PLACE_ROTATION_INVALID"),
            ({"amenities": ("jacuzzi",)}, "PLACE_AMENITY_UNKNOWN"),
            ({"zone_id": 999_999}, "PLACE_ZONE_NOT_FOUND"),
            ({"assigned_employee_id": 999_999}, "PLACE_PERSON_NOT_FOUND"),
            ({"requires_approval": True}, "PLACE_APPROVERS_ROOMS_ONLY"),
        ],
    )
    async def test_desks(
        self, runtime: Runtime, office: Office, clock: Clock, overrides: dict[str, Any], code: str
    ) -> None:
        action = runtime.place_editor.create_space(fm(office), office.floor.id, desk_fields(**overrides))
        assert await _code_of(runtime, action) == code

    @pytest.mark.parametrize(
        ("overrides", "code"),
        [
            ({"capacity": 0}, "PLACE_CAPACITY_INVALID"),
            ({"name": ""}, "REQUIRED"),
            ({"requires_approval": True}, "PLACE_APPROVER_REQUIRED"),
            ({"approver_ids": (999_999,)}, "PLACE_PERSON_NOT_FOUND"),
            ({"bookable_hours": {1: ("09:00", "08:00")}}, "PLACE_OPENS_AFTER_CLOSING"),
            ({"assigned_employee_id": 1}, "PLACE_ONLY_DESKS_ASSIGNED"),
        ],
    )
    async def test_rooms(
        self, runtime: Runtime, office: Office, clock: Clock, overrides: dict[str, Any], code: str
    ) -> None:
        action = runtime.place_editor.create_space(fm(office), office.floor.id, room_fields(**overrides))
        assert await _code_of(runtime, action) == code

    async def test_people_who_left_and_zones_of_other_floors_and_unknown_units(
        self, runtime: Runtime, factory: Factory, office: Office, clock: Clock
    ) -> None:
        editor, actor = runtime.place_editor, fm(office)
        gone = await factory.employee(office.team_a1, active=False)
        other_zone = await factory.zone(await factory.floor(await factory.building(office.site)))
        for fields, code in [
            (desk_fields(assigned_employee_id=gone.id), "PLACE_PERSON_INACTIVE"),
            (desk_fields(zone_id=other_zone.id), "PLACE_ZONE_NOT_FOUND"),
            (room_fields(requires_approval=True, approver_ids=(gone.id,)), "PLACE_PERSON_INACTIVE"),
        ]:
            assert await _code_of(runtime, editor.create_space(actor, office.floor.id, fields)) == code
        zone = editor.create_zone(actor, office.floor.id, ZoneFields("Z9", "x", org_unit_id=999_999))
        assert await _code_of(runtime, zone) == "PLACE_ORG_UNIT_NOT_FOUND"

    async def test_a_floor_cannot_shrink_below_what_it_holds(
        self, runtime: Runtime, office: Office, clock: Clock
    ) -> None:
        action = runtime.place_editor.update_floor(fm(office), office.floor.id, {"width": 5.0})
        assert await _code_of(runtime, action) == "PLACE_FLOOR_TOO_SMALL"
        floor = await runtime.place_editor.update_floor(fm(office), office.floor.id, {"name": "Lantai Tiga"})
        assert floor.name == "Lantai Tiga"

    async def test_a_refused_change_writes_nothing(self, runtime: Runtime, office: Office, clock: Clock) -> None:
        action = runtime.place_editor.update_space(
            fm(office), office.desks[0].id, {"code": "NEW", "amenities": ("jacuzzi",)}
        )
        assert await _code_of(runtime, action) == "PLACE_AMENITY_UNKNOWN"
        async with runtime.db.read() as session:
            assert (await session.get(Space, office.desks[0].id)).code == "A00"  # type: ignore[union-attr]
        assert await _entries(runtime) == []


class TestTakingBookingsAway:
    async def test_retiring_a_floor_lists_then_cancels_its_bookings_with_the_reason(
        self, runtime: Runtime, office: Office, clock: Clock
    ) -> None:
        # given
        alice = await book_desk(runtime, office.desks[0], office.alice, time(8), time(17))
        amir = await book_desk(runtime, office.desks[1], office.amir, time(9), time(12))
        editor, place = runtime.place_editor, PlaceRef(PlaceLevel.FLOOR, office.floor.id)

        # when: first the preview, then the retirement without and with a reason
        preview = await editor.preview_retire(fm(office), place)
        refused = await _code_of(runtime, editor.retire(fm(office), place))
        done = await editor.retire(fm(office), place, reason="Renovasi lantai 3")

        # then
        assert [(b.id, b.employee.name) for b in preview] == [(alice.id, "Alice Anggraini"), (amir.id, "Amir Hakim")]
        assert refused == "PLACE_REASON_REQUIRED"
        assert [b.id for b in done.affected] == [alice.id, amir.id] and done.applied
        for booking_id in (alice.id, amir.id):
            booking = await _booking(runtime, booking_id)
            assert booking.status == BookingStatus.CANCELLED and booking.cancel_reason == "Renovasi lantai 3"
        async with runtime.db.read() as session:
            floor = await session.get(Floor, office.floor.id)
            spaces = list(await session.scalars(select(Space).where(Space.floor_id == office.floor.id)))
        assert floor is not None and floor.retired_at == clock()
        assert all(s.retired_at == clock() for s in spaces)
        (entry,) = await _entries(runtime)
        assert (entry.action, entry.entity_kind, entry.site_id) == ("place.retire", "Floor", office.site.id)
        assert entry.after is not None and entry.after["cancelled_booking_ids"] == [alice.id, amir.id]
        assert entry.before is not None and entry.before["retired_at"] is None

    async def test_retiring_a_site_retires_everything_below_and_hides_it(
        self, runtime: Runtime, office: Office, clock: Clock
    ) -> None:
        await runtime.place_editor.retire(Actor(office.admin.id, "page"), PlaceRef(PlaceLevel.SITE, office.site.id))
        async with runtime.db.read() as session:
            for model in (Site, Building, Floor, Space):
                rows = list(await session.scalars(select(model)))
                assert rows and all(r.retired_at is not None for r in rows if _in_site(r, office)), model
        assert office.site.id not in {s.id for s in await runtime.places.sites()}
        with pytest.raises(PermissionDenied):
            await runtime.place_editor.retire(fm(office), PlaceRef(PlaceLevel.SITE, office.site.id))

    async def test_a_desk_made_not_bookable_or_assigned_cancels_the_bookings_it_takes_away(
        self, runtime: Runtime, office: Office, clock: Clock
    ) -> None:
        editor = runtime.place_editor
        alice = await book_desk(runtime, office.desks[0], office.alice, time(8), time(17))
        amir = await book_desk(runtime, office.desks[1], office.amir, time(8), time(12))
        bella = await book_desk(runtime, office.desks[1], office.bella, time(13), time(17))

        closed = await editor.update_space(fm(office), office.desks[0].id, {"bookable": False}, reason="Rusak")
        preview = await editor.preview_update_space(
            fm(office), office.desks[1].id, {"assigned_employee_id": office.amir.id}
        )
        assigned = await editor.update_space(
            fm(office), office.desks[1].id, {"assigned_employee_id": office.amir.id}, reason="Meja tetap Amir"
        )

        assert [b.id for b in closed.affected] == [alice.id]
        assert [b.id for b in preview] == [b.id for b in assigned.affected] == [bella.id]  # Amir's own stays
        assert (await _booking(runtime, amir.id)).status == BookingStatus.BOOKED
        assert (await _booking(runtime, bella.id)).cancel_reason == "Meja tetap Amir"
        assert (await _booking(runtime, alice.id)).cancel_reason == "Rusak"
        closing = (await _entries(runtime))[0]
        assert (closing.action, closing.entity_kind, closing.entity_id) == ("place.update", "Desk", office.desks[0].id)
        assert closing.before is not None and closing.after is not None
        assert (closing.before["bookable"], closing.after["bookable"]) == (True, False)
        assert (closing.after["reason"], closing.after["cancelled_booking_ids"]) == ("Rusak", [alice.id])

    async def test_a_smaller_room_and_narrower_hours_cancel_what_no_longer_fits(
        self, runtime: Runtime, factory: Factory, office: Office, clock: Clock
    ) -> None:
        room = await factory.room(office.floor, capacity=10)
        big = await insert_booking(runtime.db, room, office.alice, at(DAY, 9), at(DAY, 10))
        async with runtime.db.write() as session:
            (await session.get(Booking, big.id)).attendee_count = 9  # type: ignore[union-attr]
        late = await insert_booking(runtime.db, room, office.amir, at(DAY, 16), at(DAY, 17))
        editor = runtime.place_editor

        smaller = await editor.update_space(fm(office), room.id, {"capacity": 6}, reason="Sebagian kursi dipindah")
        hours = {d: ("08:00", "15:00") for d in range(1, 8)}
        narrower = await editor.update_space(fm(office), room.id, {"bookable_hours": hours}, reason="Jam dipersingkat")

        assert [b.id for b in smaller.affected] == [big.id]
        assert [b.id for b in narrower.affected] == [late.id]

    async def test_narrower_opening_hours_of_a_building(self, runtime: Runtime, office: Office, clock: Clock) -> None:
        alice = await book_desk(runtime, office.desks[0], office.alice, time(8), time(17))
        amir = await book_desk(runtime, office.desks[1], office.amir, time(9), time(12))
        building_id = office.floor.building_id
        hours = {d: ("07:00", "15:00") for d in range(1, 6)}

        change = await runtime.place_editor.update_building(
            fm(office), building_id, {"opening_hours": hours}, dry_run=True
        )
        async with runtime.db.read() as session:
            unchanged = await session.get(Building, building_id)
        assert [b.id for b in change.affected] == [alice.id] and not change.applied
        assert unchanged is not None and unchanged.opening_hours is None  # a dry run writes nothing
        done = await runtime.place_editor.update_building(
            fm(office), building_id, {"opening_hours": hours}, reason="Jam kerja baru"
        )
        assert [b.id for b in done.affected] == [alice.id] and done.place.closes_at == time(15)
        assert (await _booking(runtime, amir.id)).status == BookingStatus.BOOKED

    async def test_one_transaction_a_failure_after_the_cancellations_changes_nothing(
        self, runtime: Runtime, office: Office, clock: Clock, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        alice = await book_desk(runtime, office.desks[0], office.alice, time(8), time(17))

        def broken(*_args: Any, **_kwargs: Any) -> None:
            raise RuntimeError("audit log unavailable")

        monkeypatch.setattr(runtime.place_editor, "_audit", broken)
        with pytest.raises(RuntimeError):
            await runtime.place_editor.retire(fm(office), PlaceRef(PlaceLevel.FLOOR, office.floor.id), reason="x")

        assert (await _booking(runtime, alice.id)).status == BookingStatus.BOOKED
        async with runtime.db.read() as session:
            assert (await session.get(Floor, office.floor.id)).retired_at is None  # type: ignore[union-attr]

    async def test_retired_places_refuse_changes_and_leave_the_listings(
        self, runtime: Runtime, factory: Factory, office: Office, clock: Clock
    ) -> None:
        zone = await factory.zone(office.floor)
        await runtime.place_editor.retire(fm(office), PlaceRef(PlaceLevel.ZONE, zone.id))
        assert await _code_of(runtime, runtime.place_editor.update_zone(fm(office), zone.id, {"name": "x"})) == (
            "PLACE_IS_RETIRED"
        )
        await runtime.place_editor.retire(fm(office), PlaceRef(PlaceLevel.SPACE, office.desks[3].id))
        listed = await runtime.places.spaces_by_floor_id([office.floor.id])
        assert [s.code for s in listed[0]] == ["A00", "A01", "A02"]
        assert await runtime.places.zones_by_floor_id([office.floor.id]) == [[]]
        with pytest.raises(NotFound):
            await runtime.place_editor.create_space(fm(office), 999_999, desk_fields())


def _in_site(row: Any, office: Office) -> bool:
    """The office's other site (of facilities_2) has no buildings: every building, floor and space is site 1's."""
    return row.id == office.site.id if isinstance(row, Site) else True
