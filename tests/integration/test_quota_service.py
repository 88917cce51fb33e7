"""QuotaService: setting, listing, removing seat quotas, who may, the audit; and what quota_standings answer."""

from datetime import time, timedelta

import pytest
from sqlalchemy import select

from smartoffice.audit.models import AuditEntry
from smartoffice.audit.record import Actor
from smartoffice.bookings.place_changes import PlaceLevel, PlaceRef
from smartoffice.bookings.requests import BookDeskRequest
from smartoffice.db import Database
from smartoffice.errors import InvalidInput, NotFound, PermissionDenied
from smartoffice.people.models import Employee, Role
from smartoffice.places.models import Building, Floor
from smartoffice.quotas.service import HolderKind, QuotaHolder, QuotaShare
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.clock import DAY, Clock, at, install_clock

TUESDAY = DAY


@pytest.fixture(autouse=True)
def friday_before(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = install_clock(runtime, monkeypatch, Clock(at(DAY - timedelta(days=4), 8)))
    monkeypatch.setattr(runtime.quotas, "clock", clock)
    return clock


async def manager_of(factory: Factory, floor: Floor) -> Employee:
    """A facilities manager of the floor's site."""
    async with factory.db.read() as session:
        site_id = await session.scalar(select(Building.site_id).where(Building.id == floor.building_id))
    person = await factory.employee()
    await factory.role(person, Role.FACILITIES_MANAGER, site_id=site_id)
    return person


async def audit_actions(db: Database) -> list[tuple[str, int | None]]:
    async with db.read() as session:
        rows = await session.execute(
            select(AuditEntry.action, AuditEntry.site_id)
            .where(AuditEntry.entity_kind == "SeatQuota")
            .order_by(AuditEntry.id)
        )
        return [(a, s) for a, s in rows]


class TestSet:
    async def test_a_manager_gives_a_ministry_seats_of_a_floor_on_several_weekdays(
        self, runtime: Runtime, factory: Factory
    ) -> None:
        ministry = await factory.organisation(name="Kementerian PUPR")
        floor = await factory.floor()
        for _ in range(3):
            await factory.desk(floor)
        manager = await manager_of(factory, floor)
        share = QuotaShare(
            QuotaHolder(HolderKind.ORGANISATION, ministry.id), PlaceRef(PlaceLevel.FLOOR, floor.id), [2, 4], 3, "SK 12"
        )

        views = await runtime.quotas.set(Actor(manager.id, "page"), share)

        assert [(v.weekday, v.seats, v.note, v.holder_name, v.desks) for v in views] == [
            (2, 3, "SK 12", "Kementerian PUPR", 3),
            (4, 3, "SK 12", "Kementerian PUPR", 3),
        ]
        # setting again updates, and leaves the other weekday alone
        await runtime.quotas.set(Actor(manager.id, "page"), QuotaShare(share.holder, share.place, [2], 1))
        listed = await runtime.quotas.quotas(manager.id)
        assert [(v.weekday, v.seats) for v in listed] == [(2, 1), (4, 3)]
        site = listed[0].site_id
        assert await audit_actions(runtime.db) == [
            ("seat_quota.create", site),
            ("seat_quota.create", site),
            ("seat_quota.update", site),
        ]

    @pytest.mark.parametrize(
        ("weekdays", "seats", "note", "field", "code"),
        [
            ([], 1, None, "weekdays", "QUOTA_NO_WEEKDAYS"),
            ([0], 1, None, "weekdays", "OUT_OF_RANGE"),
            ([8], 1, None, "weekdays", "OUT_OF_RANGE"),
            ([2], -1, None, "seats", "OUT_OF_RANGE"),
            ([2], 3, None, "seats", "QUOTA_SEATS_ABOVE_DESKS"),
            ([2], 1, "x" * 201, "note", "TEXT_TOO_LONG"),
        ],
    )
    async def test_bad_input_is_refused_and_nothing_is_written(
        self,
        runtime: Runtime,
        factory: Factory,
        weekdays: list[int],
        seats: int,
        note: str | None,
        field: str,
        code: str,
    ) -> None:
        ministry = await factory.organisation()
        floor = await factory.floor()
        await factory.desk(floor)
        await factory.desk(floor)
        manager = await manager_of(factory, floor)
        share = QuotaShare(
            QuotaHolder(HolderKind.ORGANISATION, ministry.id),
            PlaceRef(PlaceLevel.FLOOR, floor.id),
            weekdays,
            seats,
            note,
        )

        with pytest.raises(InvalidInput) as refused:
            await runtime.quotas.set(Actor(manager.id, "page"), share)

        assert (refused.value.field, refused.value.code) == (field, code)
        assert await runtime.quotas.quotas(manager.id) == []
        assert await audit_actions(runtime.db) == []

    async def test_a_retired_place_and_a_missing_holder_are_refused(self, runtime: Runtime, factory: Factory) -> None:
        floor = await factory.floor()
        retired = await factory.zone(floor, retired_at=at(DAY - timedelta(days=30), 8))
        unit = await factory.unit()
        manager = await manager_of(factory, floor)
        actor = Actor(manager.id, "page")

        with pytest.raises(InvalidInput) as retired_place:
            await runtime.quotas.set(
                actor, QuotaShare(QuotaHolder(HolderKind.UNIT, unit.id), PlaceRef(PlaceLevel.ZONE, retired.id), [2], 0)
            )
        with pytest.raises(NotFound) as no_holder:
            await runtime.quotas.set(
                actor, QuotaShare(QuotaHolder(HolderKind.UNIT, 999_999), PlaceRef(PlaceLevel.FLOOR, floor.id), [2], 0)
            )
        with pytest.raises(NotFound) as no_place:
            await runtime.quotas.set(
                actor, QuotaShare(QuotaHolder(HolderKind.UNIT, unit.id), PlaceRef(PlaceLevel.FLOOR, 999_999), [2], 0)
            )

        assert retired_place.value.code == "QUOTA_PLACE_RETIRED"
        assert (no_holder.value.kind, no_place.value.kind) == ("OrgUnit", "Floor")

    async def test_only_the_site_s_facilities_managers_and_admins_may(self, runtime: Runtime, factory: Factory) -> None:
        ministry = await factory.organisation()
        floor, elsewhere = await factory.floor(), await factory.floor()
        await factory.desk(floor)
        other_manager = await manager_of(factory, elsewhere)
        admin = await factory.employee()
        await factory.role(admin, Role.ADMIN)
        share = QuotaShare(
            QuotaHolder(HolderKind.ORGANISATION, ministry.id), PlaceRef(PlaceLevel.FLOOR, floor.id), [2], 1
        )

        with pytest.raises(PermissionDenied) as refused:
            await runtime.quotas.set(Actor(other_manager.id, "page"), share)
        [made] = await runtime.quotas.set(Actor(admin.id, "api"), share)

        assert refused.value.code == "NOT_A_FACILITIES_MANAGER"
        assert await runtime.quotas.quotas(other_manager.id) == []
        with pytest.raises(NotFound):
            await runtime.quotas.remove(Actor(other_manager.id, "page"), made.id)


class TestRemove:
    async def test_removing_frees_the_holder_and_is_audited(self, runtime: Runtime, factory: Factory) -> None:
        ministry = await factory.organisation()
        floor = await factory.floor()
        desk = await factory.desk(floor)
        person = await factory.employee(await factory.unit(ministry))
        manager = await manager_of(factory, floor)
        [made] = await runtime.quotas.set(
            Actor(manager.id, "page"),
            QuotaShare(QuotaHolder(HolderKind.ORGANISATION, ministry.id), PlaceRef(PlaceLevel.FLOOR, floor.id), [2], 0),
        )

        removed = await runtime.quotas.remove(Actor(manager.id, "page"), made.id)

        assert removed.id == made.id
        assert await runtime.quotas.quotas(manager.id) == []
        assert (await runtime.bookings.book_desk(person.id, BookDeskRequest(desk.id, TUESDAY))).space_id == desk.id
        assert [a for a, _ in await audit_actions(runtime.db)] == ["seat_quota.create", "seat_quota.remove"]


class TestStandingsAndUsage:
    async def test_standings_show_what_the_organisation_may_still_book(
        self, runtime: Runtime, factory: Factory
    ) -> None:
        # given a ministry's 3 seats of a building and its unit's 1 seat of a zone on the floor
        ministry = await factory.organisation(name="Kementerian PUPR")
        unit = await factory.unit(ministry, name="Direktorat Jalan")
        floor = await factory.floor()
        zone = await factory.zone(floor, name="Sayap Timur")
        desks = [await factory.desk(floor, zone_id=zone.id) for _ in range(2)] + [await factory.desk(floor)]
        me, colleague = await factory.employee(unit), await factory.employee(unit)
        manager = await manager_of(factory, floor)
        actor = Actor(manager.id, "page")
        org = QuotaHolder(HolderKind.ORGANISATION, ministry.id)
        [building_quota] = await runtime.quotas.set(
            actor, QuotaShare(org, PlaceRef(PlaceLevel.BUILDING, floor.building_id), [2], 3)
        )
        [zone_quota] = await runtime.quotas.set(
            actor, QuotaShare(QuotaHolder(HolderKind.UNIT, unit.id), PlaceRef(PlaceLevel.ZONE, zone.id), [2], 1)
        )
        await runtime.bookings.book_desk(colleague.id, BookDeskRequest(desks[0].id, TUESDAY, time(8), time(17)))

        standings = await runtime.quotas.standings(me.id, floor.id, TUESDAY)

        by_id = {s.quota_id: s for s in standings}
        assert (by_id[building_quota.id].booked, by_id[building_quota.id].remaining) == (1, 2)
        assert (by_id[zone_quota.id].booked, by_id[zone_quota.id].remaining) == (1, 0)
        assert by_id[zone_quota.id].closes(zone.id) and not by_id[zone_quota.id].closes(None)
        assert by_id[zone_quota.id].place_name.endswith("Sayap Timur")
        assert by_id[zone_quota.id].holder_name == "Direktorat Jalan"
        assert not by_id[building_quota.id].includes_you
        # the colleague already holds a seat: nothing closes to them
        theirs = await runtime.quotas.standings(colleague.id, floor.id, TUESDAY)
        assert all(s.includes_you and not s.closes(zone.id) for s in theirs)
        # another weekday: no quota binds
        assert await runtime.quotas.standings(me.id, floor.id, TUESDAY + timedelta(days=1)) == []

        usage = await runtime.quotas.usage(manager.id, TUESDAY, TUESDAY + timedelta(days=7))
        assert {u.quota.id: list(u.days) for u in usage} == {
            building_quota.id: [(TUESDAY, 1), (TUESDAY + timedelta(days=7), 0)],
            zone_quota.id: [(TUESDAY, 1), (TUESDAY + timedelta(days=7), 0)],
        }


async def test_only_a_zone_can_be_reserved_and_outsiders_see_it_closed(runtime: Runtime, factory: Factory) -> None:
    ministry, other = await factory.organisation(), await factory.organisation()
    floor = await factory.floor()
    zone = await factory.zone(floor)
    await factory.desk(floor, zone_id=zone.id)
    manager = await manager_of(factory, floor)
    actor, holder = Actor(manager.id, "page"), QuotaHolder(HolderKind.ORGANISATION, ministry.id)
    outsider = await factory.employee(await factory.unit(other))
    member = await factory.employee(await factory.unit(ministry))

    with pytest.raises(InvalidInput) as refused:
        await runtime.quotas.set(
            actor, QuotaShare(holder, PlaceRef(PlaceLevel.FLOOR, floor.id), [2], 1, exclusive=True)
        )
    [reserved] = await runtime.quotas.set(
        actor, QuotaShare(holder, PlaceRef(PlaceLevel.ZONE, zone.id), [2], 1, exclusive=True)
    )

    assert (refused.value.field, refused.value.code) == ("exclusive", "QUOTA_EXCLUSIVE_ZONES_ONLY")
    assert reserved.exclusive
    [theirs] = await runtime.quotas.standings(outsider.id, floor.id, TUESDAY)
    assert theirs.reserved_for_others and theirs.closes(zone.id) and not theirs.closes(None)
    [mine] = await runtime.quotas.standings(member.id, floor.id, TUESDAY)
    assert not mine.reserved_for_others and (mine.seats, mine.remaining) == (1, 1) and not mine.closes(zone.id)
