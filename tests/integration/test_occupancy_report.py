"""The occupancy report (capacity planning) on the database: every scope, counted by the rules in
planning/occupancy.py, with the figures of the small world in tests/support/occupancy_world.py worked out by hand."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from smartoffice.db import Database
from smartoffice.errors import InvalidInput, NotFound, PermissionDenied
from smartoffice.planning.occupancy import OccupancyService
from smartoffice.planning.occupancy_report import OccupancyReport, OccupancyScope, ScopeKind
from smartoffice.privacy.models import OccupancyDaily, RetentionFold
from tests.factories import Factory
from tests.support.occupancy_world import JULY_LAST, JUNE_FIRST, MONDAY, TUESDAY, OccupancyWorld, occupancy_world

WEEK_LAST = MONDAY + timedelta(days=6)


@pytest.fixture
async def world(factory: Factory, db: Database) -> OccupancyWorld:
    return await occupancy_world(factory, db)


async def report(
    db: Database, viewer: int, kind: ScopeKind, ident: int, first: date = MONDAY, last: date = WEEK_LAST
) -> OccupancyReport:
    return await OccupancyService(db).report(viewer, OccupancyScope(kind, ident), first, last)


def counts(rep: OccupancyReport, day: date) -> tuple[int, int, int]:
    found = next(d for d in rep.days if d.day == day)
    return found.booked, found.checked_in, found.no_shows


class TestPlaces:
    async def test_a_building_over_two_months(self, db: Database, world: OccupancyWorld) -> None:
        rep = await report(db, world.manager.id, ScopeKind.BUILDING, world.tower.id, JUNE_FIRST, JULY_LAST)

        assert (rep.scope.kind, rep.scope.id, rep.desks, rep.headcount) == (ScopeKind.BUILDING, world.tower.id, 4, None)
        assert rep.building is not None and rep.building.id == world.tower.id
        assert len(rep.days) == 61 and rep.time_zones == ("Asia/Makassar",)
        # p1 on two floors counts once; the cancelled booking not at all
        assert counts(rep, MONDAY) == (4, 1, 1)
        assert counts(rep, TUESDAY) == (1, 0, 0)  # 07:00 WITA is Monday 23:00 UTC
        assert counts(rep, date(2026, 7, 1)) == (3, 1, 0)
        assert sum(d.booked for d in rep.days) == 9
        monday = rep.days[(MONDAY - JUNE_FIRST).days]
        assert (monday.utilisation, monday.no_show_rate, monday.headcount_share) == (1.0, 0.25, None)
        s = rep.summary
        assert (s.working_days, s.peak_booked, s.percentile_85_booked) == (43, 4, 0)
        assert (s.mean_booked, s.booked_total, s.checked_in_total, s.no_shows_total) == (9 / 43, 9, 2, 1)
        assert (s.no_show_rate, s.check_in_rate, s.peak_utilisation) == (1 / 9, 2 / 9, 1.0)
        assert (rep.peak_booked, rep.mean_booked) == (4, 9 / 43)

    async def test_the_month_trend_and_the_heatmap(self, db: Database, world: OccupancyWorld) -> None:
        rep = await report(db, world.manager.id, ScopeKind.BUILDING, world.tower.id, JUNE_FIRST, JULY_LAST)

        assert [(m.month, m.first, m.last) for m in rep.months] == [
            (date(2026, 6, 1), date(2026, 6, 1), date(2026, 6, 30)),
            (date(2026, 7, 1), date(2026, 7, 1), date(2026, 7, 31)),
        ]
        june, july = (m.summary for m in rep.months)
        assert (june.working_days, june.peak_booked, june.mean_booked, june.no_shows_total) == (20, 4, 5 / 20, 1)
        assert (july.working_days, july.peak_booked, july.mean_booked, july.checked_in_total) == (23, 3, 4 / 23, 1)

        assert [(w.iso_year, w.iso_week) for w in rep.heatmap] == [(2026, n) for n in range(23, 32)]
        second = rep.heatmap[1]
        assert second.monday == MONDAY
        assert [d.booked if d else None for d in second.days] == [4, 1, 0, 0, 0, 0, 0]
        last = rep.heatmap[-1]
        assert [d.day.day if d else None for d in last.days] == [27, 28, 29, 30, 31, None, None]
        first = rep.heatmap[0].days[0]
        assert first is not None and (first.is_working_day, first.closed_because) == (False, "Hari Lahir Pancasila")

    async def test_a_building_breaks_down_into_floors(self, db: Database, world: OccupancyWorld) -> None:
        rep = await report(db, world.manager.id, ScopeKind.BUILDING, world.tower.id)

        assert rep.part_kind == ScopeKind.FLOOR
        floor1, floor2 = rep.parts
        assert (floor1.ref.id, floor1.desks, counts_of(floor1.days, MONDAY)) == (world.floor1.id, 3, (3, 1, 1))
        # the retired desk is not a seat; p1's evening on floor 2 counts there too
        assert (floor2.ref.id, floor2.desks, counts_of(floor2.days, MONDAY)) == (world.floor2.id, 1, (2, 0, 0))
        assert (floor1.summary.peak_booked, floor1.summary.mean_booked) == (3, 4 / 5)
        assert floor2.summary.peak_utilisation == 2.0

    async def test_a_site_counts_each_building_in_its_own_zone(self, db: Database, world: OccupancyWorld) -> None:
        rep = await report(db, world.manager.id, ScopeKind.SITE, world.site.id)

        assert rep.time_zones == ("Asia/Jakarta", "Asia/Makassar")
        assert rep.desks == 5
        assert counts(rep, MONDAY) == (4, 1, 1)
        assert counts(rep, TUESDAY) == (2, 0, 0)  # p1 in the tower, p2 in the annex at 23:30 WIB
        assert counts(rep, TUESDAY + timedelta(days=1)) == (0, 0, 0)
        assert rep.part_kind == ScopeKind.BUILDING
        assert {p.ref.id: (p.desks, counts_of(p.days, TUESDAY)) for p in rep.parts} == {
            world.tower.id: (4, (1, 0, 0)),
            world.annex.id: (1, (1, 0, 0)),
        }

    async def test_a_floor_and_a_zone(self, db: Database, world: OccupancyWorld) -> None:
        floor = await report(db, world.manager.id, ScopeKind.FLOOR, world.floor1.id)
        assert (floor.desks, counts(floor, MONDAY), floor.part_kind) == (3, (3, 1, 1), ScopeKind.ZONE)
        assert {p.ref.id: (p.desks, counts_of(p.days, MONDAY)) for p in floor.parts} == {
            world.zone1.id: (2, (2, 1, 0)),
            world.zone2.id: (1, (1, 0, 1)),
        }

        zone = await report(db, world.manager.id, ScopeKind.ZONE, world.zone1.id)
        assert (zone.scope.code, zone.desks, zone.part_kind, zone.parts) == (world.zone1.code, 2, None, [])
        assert [d.booked for d in zone.working_days] == [2, 1, 0, 0, 0]
        assert (zone.summary.percentile_85_booked, zone.summary.mean_booked) == (2, 0.6)
        assert zone.summary.mean_utilisation == 0.3


def counts_of(days: list, day: date) -> tuple[int, int, int]:  # type: ignore[type-arg]
    found = next(d for d in days if d.day == day)
    return found.booked, found.checked_in, found.no_shows


class TestUnits:
    async def test_a_unit_counts_its_people_against_its_zones(self, db: Database, world: OccupancyWorld) -> None:
        rep = await report(db, world.admin.id, ScopeKind.ORG_UNIT, world.top.id)

        # p1–p4 wherever they sat; desks of unit1's and unit2's zones on both sites (d1, d2, d3, annex, far)
        assert (rep.desks, rep.headcount, rep.sites) == (5, 4, None)
        assert counts(rep, MONDAY) == (4, 1, 1)
        assert counts(rep, TUESDAY) == (3, 0, 0)  # p1 tower, p2 annex, p3 the other site
        monday = next(d for d in rep.days if d.day == MONDAY)
        assert (monday.utilisation, monday.headcount_share) == (0.8, 1.0)
        assert rep.summary.mean_headcount_share == (7 / 5) / 4
        assert rep.part_kind == ScopeKind.ORG_UNIT
        assert {p.ref.id: (p.desks, p.headcount, counts_of(p.days, TUESDAY)) for p in rep.parts} == {
            world.unit1.id: (3, 2, (2, 0, 0)),
            world.unit2.id: (2, 1, (1, 0, 0)),
        }

    async def test_an_organisation_breaks_down_into_its_top_units(self, db: Database, world: OccupancyWorld) -> None:
        rep = await report(db, world.admin.id, ScopeKind.ORGANISATION, world.organisation.id)

        assert (rep.desks, rep.headcount, counts(rep, MONDAY)) == (5, 4, (4, 1, 1))
        assert [(p.ref.id, p.desks, p.headcount) for p in rep.parts] == [(world.top.id, 5, 4)]

    async def test_a_facilities_manager_sees_only_their_sites(self, db: Database, world: OccupancyWorld) -> None:
        mine = await report(db, world.manager.id, ScopeKind.ORG_UNIT, world.top.id)
        theirs = await report(db, world.far_manager.id, ScopeKind.ORG_UNIT, world.top.id)

        assert (mine.sites, mine.desks, counts(mine, TUESDAY)) == ((world.site.id,), 4, (2, 0, 0))
        assert (theirs.sites, theirs.desks, counts(theirs, TUESDAY)) == ((world.other_site.id,), 1, (1, 0, 0))
        assert counts(theirs, MONDAY) == (0, 0, 0)
        assert mine.headcount == theirs.headcount == 4


class TestRooms:
    async def test_hours_booked_against_bookable_hours_and_meeting_sizes(
        self, db: Database, world: OccupancyWorld
    ) -> None:
        rep = await report(db, world.manager.id, ScopeKind.BUILDING, world.tower.id)

        room, small = rep.rooms.rooms
        assert (room.room_id, room.meetings, room.hours_booked, room.bookable_hours) == (world.room.id, 3, 4.5, 60.0)
        assert (room.utilisation, room.sized_meetings, room.mean_size_ratio) == (0.075, 2, 0.5)
        assert [b.meetings for b in room.size_buckets] == [1, 0, 1, 0, 0]
        assert (small.meetings, small.hours_booked, small.bookable_hours, small.utilisation) == (1, 2.0, 4.0, 0.5)
        assert (small.mean_size_ratio, [b.meetings for b in small.size_buckets]) == (1.25, [0, 0, 0, 0, 1])
        assert (rep.rooms.hours_booked, rep.rooms.bookable_hours, rep.rooms.mean_size_ratio) == (6.5, 64.0, 0.75)
        assert [(b.low, b.high, b.meetings) for b in rep.rooms.size_buckets] == [
            (0.0, 0.25, 1),
            (0.25, 0.5, 0),
            (0.5, 0.75, 1),
            (0.75, 1.0, 0),
            (1.0, None, 1),
        ]

    async def test_a_floor_has_its_own_rooms_and_a_unit_those_of_its_zones(
        self, db: Database, world: OccupancyWorld
    ) -> None:
        floor = await report(db, world.manager.id, ScopeKind.FLOOR, world.floor2.id)
        assert [r.room_id for r in floor.rooms.rooms] == [world.small_room.id]
        unit = await report(db, world.admin.id, ScopeKind.ORG_UNIT, world.top.id)
        assert unit.rooms.rooms == []


class TestFoldedDays:
    async def test_a_building_reads_the_aggregates_and_a_floor_says_it_cannot(
        self, db: Database, world: OccupancyWorld
    ) -> None:
        # given the retention job folded every day up to Tuesday (the bookings are still there)
        async with db.write() as session:
            session.add(RetentionFold(day=TUESDAY, folded_at=datetime(2028, 7, 1, tzinfo=UTC), bookings=9, work_days=0))
            session.add(
                OccupancyDaily(
                    building_id=world.tower.id,
                    day=MONDAY,
                    desk_booked=7,
                    desk_checked_in=5,
                    desk_no_shows=1,
                    desk_cancelled=0,
                    room_bookings=3,
                    room_minutes=270,
                )
            )

        building = await report(db, world.manager.id, ScopeKind.BUILDING, world.tower.id)
        assert building.folded_through == TUESDAY
        assert (counts(building, MONDAY), counts(building, TUESDAY)) == ((7, 5, 1), (0, 0, 0))
        assert all(d.counted for d in building.days)
        assert [d.counted for d in building.parts[0].days] == [False, False, True, True, True, True, True]
        assert building.parts[0].summary.working_days == 3
        # rooms: folded days left out of hours booked and bookable hours alike
        assert (building.rooms.rooms[0].hours_booked, building.rooms.rooms[0].bookable_hours) == (0.0, 36.0)

        site = await report(db, world.manager.id, ScopeKind.SITE, world.site.id)
        assert counts(site, MONDAY) == (7, 5, 1)
        assert {p.ref.id: counts_of(p.days, MONDAY) for p in site.parts} == {
            world.tower.id: (7, 5, 1),
            world.annex.id: (0, 0, 0),
        }

        zone = await report(db, world.manager.id, ScopeKind.ZONE, world.zone1.id)
        assert [(d.counted, d.booked) for d in zone.days[:3]] == [(False, 0), (False, 0), (True, 0)]
        assert (zone.summary.working_days, zone.summary.peak_booked) == (3, 0)


class TestRefusals:
    async def test_who_may_read_what(self, db: Database, world: OccupancyWorld) -> None:
        for viewer, kind, ident in [
            (world.outsider.id, ScopeKind.BUILDING, world.tower.id),
            (world.far_manager.id, ScopeKind.SITE, world.site.id),
            (world.far_manager.id, ScopeKind.ZONE, world.zone1.id),
            (world.outsider.id, ScopeKind.ORGANISATION, world.organisation.id),
            (world.people[3].id, ScopeKind.ORG_UNIT, world.top.id),
        ]:
            with pytest.raises(PermissionDenied) as refused:
                await report(db, viewer, kind, ident)
            assert refused.value.code == "NOT_A_FACILITIES_MANAGER"
        assert (await report(db, world.admin.id, ScopeKind.FLOOR, world.floor2.id)).desks == 1

    async def test_ranges_and_missing_scopes(self, db: Database, world: OccupancyWorld) -> None:
        with pytest.raises(InvalidInput) as reversed_:
            await report(db, world.admin.id, ScopeKind.BUILDING, world.tower.id, MONDAY, MONDAY - timedelta(days=1))
        assert reversed_.value.code == "RANGE_REVERSED"
        with pytest.raises(InvalidInput) as too_long:
            await report(db, world.admin.id, ScopeKind.SITE, world.site.id, MONDAY, MONDAY + timedelta(days=366))
        assert (too_long.value.code, too_long.value.params["max_days"]) == ("RANGE_TOO_LONG", 366)
        year = await report(db, world.admin.id, ScopeKind.SITE, world.site.id, MONDAY, MONDAY + timedelta(days=365))
        assert (len(year.days), len(year.months), year.summary.peak_booked) == (366, 13, 4)
        for kind in ScopeKind:
            with pytest.raises(NotFound):
                await report(db, world.admin.id, kind, 10_000)


class TestReportableScopes:
    async def test_the_pickers(self, db: Database, world: OccupancyWorld) -> None:
        service = OccupancyService(db)

        mine = await service.report_scopes(world.manager.id)
        assert [(o.ref.kind, o.ref.id, o.depth) for o in mine.places][:6] == [
            (ScopeKind.SITE, world.site.id, 0),
            (ScopeKind.BUILDING, world.tower.id, 1),
            (ScopeKind.FLOOR, world.floor1.id, 2),
            (ScopeKind.ZONE, world.zone1.id, 3),
            (ScopeKind.ZONE, world.zone2.id, 3),
            (ScopeKind.FLOOR, world.floor2.id, 2),
        ]
        assert world.other_site.id not in {o.ref.id for o in mine.places if o.ref.kind == ScopeKind.SITE}
        units = [(o.ref.id, o.depth, o.parent) for o in mine.organisations if o.ref.kind == ScopeKind.ORG_UNIT]
        top = OccupancyScope(ScopeKind.ORG_UNIT, world.top.id)
        assert (world.unit1.id, 2, top) in units and (world.unit2.id, 2, top) in units

        everything = await service.report_scopes(world.admin.id)
        sites = {o.ref.id for o in everything.places if o.ref.kind == ScopeKind.SITE}
        assert {world.site.id, world.other_site.id} <= sites

        nothing = await service.report_scopes(world.outsider.id)
        assert (nothing.places, nothing.organisations) == ([], [])


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.strip().upper().startswith("BEGIN"):
            seen.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", before)


class TestQueries:
    @pytest.mark.parametrize(("kind", "most"), [(ScopeKind.BUILDING, 10), (ScopeKind.ORG_UNIT, 11)])
    async def test_a_year_costs_the_same_few_queries_as_a_week(
        self, db: Database, world: OccupancyWorld, kind: ScopeKind, most: int
    ) -> None:
        ident = world.tower.id if kind == ScopeKind.BUILDING else world.top.id
        with statements(db) as week:
            await report(db, world.admin.id, kind, ident)
        with statements(db) as year:
            await report(db, world.admin.id, kind, ident, JUNE_FIRST, JUNE_FIRST + timedelta(days=365))
        assert len(week) == len(year) <= most, "\n".join(s[:60] for s in week)
