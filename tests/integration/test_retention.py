"""Retention (UU 27/2022): expired days are folded into daily aggregates once, then their rows are deleted; the
occupancy report over an old period reads the same afterwards."""

import asyncio
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update

from smartoffice.audit.models import AuditEntry
from smartoffice.bookings.models import Booking, BookingSeries, BookingStatus
from smartoffice.db import Database
from smartoffice.integrations.models import BookingEvent, EventKind
from smartoffice.people.models import Employee, Role
from smartoffice.places.models import Building, DeskRelease, Space
from smartoffice.planning.occupancy import OccupancyService
from smartoffice.policies.models import WorkDay, WorkMode
from smartoffice.privacy.models import AttendanceDaily, OccupancyDaily, RetentionFold
from smartoffice.privacy.retention import run_retention, run_retention_job
from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from tests.factories import Factory
from tests.support.bookings import insert_booking
from tests.support.clock import Clock, install_clock

NOW = datetime(2026, 12, 4, 4, 0, tzinfo=UTC)  # 12:00 WITA, 11:00 WIB: 4 December 2026 in both zones
RETENTION = 730
CUTOFF = date(2024, 12, 4)  # 730 days before 4 December 2026: the first day kept
OLD_FIRST, OLD_LAST = date(2024, 10, 1), date(2024, 11, 30)
WITA, WIB = ZoneInfo("Asia/Makassar"), ZoneInfo("Asia/Jakarta")


def local(day: date, hour: int, zone: ZoneInfo, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), zone).astimezone(UTC)


@dataclass
class Office:
    admin: Employee
    ani: Employee
    budi: Employee
    tower: Building
    annex: Building
    desks: list[Space]
    room: Space
    annex_desk: Space


async def booking(
    db: Database,
    space: Space,
    person: Employee,
    start_at: datetime,
    hours: int = 8,
    status: BookingStatus = BookingStatus.BOOKED,
    checked_in: bool = False,
    series_id: int | None = None,
) -> Booking:
    row = await insert_booking(db, space, person, start_at, start_at + timedelta(hours=hours), status=status)
    if checked_in or series_id is not None:
        async with db.write() as session:
            await session.execute(
                update(Booking)
                .where(Booking.id == row.id)
                .values(checked_in_at=start_at if checked_in else None, series_id=series_id)
            )
    return row


async def office_with_history(factory: Factory, db: Database) -> Office:
    """Two people of one unit with two months of old bookings and plans (Oct–Nov 2024), the days either side of
    the cutoff, and a few recent ones, in a WITA tower and a WIB annex."""
    unit = await factory.unit()
    admin = await factory.employee()
    await factory.role(admin, Role.ADMIN)
    ani, budi = await factory.employee(unit, name="Ani"), await factory.employee(unit, name="Budi")
    tower, annex = await factory.building(), await factory.building(time_zone="Asia/Jakarta")
    floor = await factory.floor(tower)
    desks = [await factory.desk(floor) for _ in range(2)]
    room = await factory.room(floor)
    annex_desk = await factory.desk(await factory.floor(annex))
    async with db.write() as session:
        series = BookingSeries(
            space_id=desks[1].id,
            employee_id=budi.id,
            booked_by_id=budi.id,
            rrule="FREQ=WEEKLY;BYDAY=MO;COUNT=4",
            starts_on=date(2024, 3, 4),
            start_time=time(8),
            end_time=time(16),
            time_zone="Asia/Makassar",
        )
        session.add(series)
    day = OLD_FIRST
    while day <= date(2024, 12, 6):
        if day.weekday() < 5:
            n = day.day
            # Ani: a desk every working day; checked in on even days, a no-show every fifth
            status = (
                BookingStatus.RELEASED
                if n % 5 == 0
                else BookingStatus.CHECKED_IN
                if n % 2 == 0
                else BookingStatus.BOOKED
            )
            await booking(
                db, desks[0], ani, local(day, 8, WITA), status=status, checked_in=status == BookingStatus.CHECKED_IN
            )
            # Budi: two desk bookings in one day on Mondays (counted once), cancelled ones on Wednesdays, remote else
            if day.weekday() == 0:
                await booking(db, desks[1], budi, local(day, 8, WITA), hours=4, series_id=series.id)
                await booking(
                    db, desks[1], budi, local(day, 13, WITA), hours=3, checked_in=True, status=BookingStatus.CHECKED_IN
                )
            elif day.weekday() == 2:
                await booking(db, desks[1], budi, local(day, 9, WITA), status=BookingStatus.CANCELLED)
                await factory.work_day(budi, day, planned=WorkMode.HOME, actual=WorkMode.HOME)
            else:
                await factory.work_day(budi, day, planned=WorkMode.LEAVE if n % 7 == 0 else WorkMode.ANYWHERE)
            # a 90-minute meeting every Thursday
            if day.weekday() == 3:
                await booking(db, room, ani, local(day, 10, WITA), hours=1, status=BookingStatus.BOOKED)
        day += timedelta(days=1)
    # 07:30 WITA on 1 November is 23:30 UTC on 31 October: it belongs to 1 November, in the tower's zone
    await booking(db, desks[1], admin, local(date(2024, 11, 1), 7, WITA, minute=30), hours=2)
    # the annex (WIB): one booking on each side of the cutoff
    await booking(db, annex_desk, budi, local(date(2024, 12, 3), 17, WIB), hours=1)
    await booking(db, annex_desk, budi, local(CUTOFF, 8, WIB), hours=1)
    # recent data, kept whatever happens
    await booking(db, desks[0], ani, local(date(2026, 6, 1), 8, WITA), status=BookingStatus.CHECKED_IN, checked_in=True)
    await factory.work_day(ani, date(2026, 6, 2), planned=WorkMode.HOME)
    async with db.write() as session:
        session.add(DeskRelease(space_id=desks[0].id, day=date(2024, 10, 7), released_by_id=ani.id))
        session.add(DeskRelease(space_id=desks[0].id, day=date(2026, 6, 3), released_by_id=ani.id))
        first = await session.scalar(select(Booking).order_by(Booking.start_at).limit(1))
        assert first is not None
        session.add(
            BookingEvent(
                kind=EventKind.CREATED, booking_id=first.id, employee_id=ani.id, space_id=first.space_id, payload={}
            )
        )
    return Office(admin, ani, budi, tower, annex, desks, room, annex_desk)


async def occupancy(runtime: Runtime, office: Office, building: Building) -> list[tuple[date, int, int, int]]:
    report = await OccupancyService(runtime.db).building_occupancy(office.admin.id, building.id, OLD_FIRST, OLD_LAST)
    return [(d.day, d.booked, d.checked_in, d.no_shows) for d in report.days]


async def count(db: Database, model: type, *where: object) -> int:
    async with db.read() as session:
        return await session.scalar(select(func.count()).select_from(model).where(*where)) or 0  # type: ignore[arg-type]


async def aggregates(db: Database) -> list[list[tuple[object, ...]]]:
    keys = {
        RetentionFold: (RetentionFold.day,),
        OccupancyDaily: (OccupancyDaily.building_id, OccupancyDaily.day),
        AttendanceDaily: (AttendanceDaily.org_unit_id, AttendanceDaily.day),
    }
    tables = []
    async with db.read() as session:
        for model, key in keys.items():
            rows = (await session.execute(select(model.__table__).order_by(*key))).all()
            tables.append([tuple(v for k, v in row._mapping.items() if k != "folded_at") for row in rows])
    return tables


async def test_expired_days_are_folded_then_deleted_and_the_old_report_reads_the_same(
    runtime: Runtime, factory: Factory, db: Database
) -> None:
    # given
    office = await office_with_history(factory, db)
    before = await occupancy(runtime, office, office.tower)
    assert sum(booked for _, booked, _, _ in before) > 40  # the report has something to keep
    assert dict((d, b) for d, b, _, _ in before)[date(2024, 11, 1)] == 2  # Ani, and the 07:30 WITA booking
    assert dict((d, b) for d, b, _, _ in before)[date(2024, 10, 7)] == 2  # Budi's two Monday bookings: one person
    young_bookings = await count(db, Booking, Booking.start_at >= local(CUTOFF, 0, WIB))

    # when
    report = await run_retention(db, NOW, RETENTION)

    # then: every expired row is gone, the cutoff day and later are kept
    assert report.cutoff == CUTOFF
    assert await count(db, Booking, Booking.start_at < local(CUTOFF, 0, WITA)) == 0
    assert await count(db, Booking, Booking.space_id == office.annex_desk.id) == 1  # 3 Dec 17:00 WIB went
    assert await count(db, Booking) == young_bookings
    assert await count(db, WorkDay, WorkDay.day < CUTOFF) == 0
    assert await count(db, WorkDay) > 0
    assert await count(db, DeskRelease) == 1
    assert await count(db, BookingEvent) == 0  # with its booking
    assert await count(db, BookingSeries) == 0  # every occurrence gone, and it began long before the cutoff
    # the report over the old months answers the same, from the aggregates
    assert await occupancy(runtime, office, office.tower) == before
    # the folded days run from the first data to the day before the cutoff, each once
    async with db.read() as session:
        folded = list((await session.scalars(select(RetentionFold.day).order_by(RetentionFold.day))).all())
    assert folded[-1] == CUTOFF - timedelta(days=1)
    assert folded == [folded[0] + timedelta(days=i) for i in range(len(folded))]
    assert folded[0] <= OLD_FIRST
    # the audit log keeps its entries and notes the purge
    assert await count(db, AuditEntry, AuditEntry.action == "retention.purge") == 1


async def test_attendance_is_counted_per_unit_without_names(runtime: Runtime, factory: Factory, db: Database) -> None:
    office = await office_with_history(factory, db)
    await run_retention(db, NOW, RETENTION)
    async with db.read() as session:
        rows = {
            row.day: row
            for row in (
                await session.scalars(
                    select(AttendanceDaily).where(AttendanceDaily.org_unit_id == office.ani.org_unit_id)
                )
            ).all()
        }
    monday, tuesday, wednesday, thursday = (rows[date(2024, 10, d)] for d in (7, 8, 9, 10))
    assert monday.headcount == 2
    # Monday: both booked a desk (office planned); Ani did not check in, Budi did (in his afternoon booking)
    assert (monday.planned_office, monday.actual_office, monday.planned_remote) == (2, 1, 0)
    # Wednesday: Ani booked, Budi worked from home as planned (his cancelled booking plans nothing)
    assert (wednesday.planned_office, wednesday.planned_remote, wednesday.actual_remote) == (1, 1, 1)
    # Tuesday: Ani checked in (an even day), Budi planned anywhere (remote)
    assert (tuesday.planned_office, tuesday.actual_office, tuesday.planned_remote) == (1, 1, 1)
    # Thursday the 10th: Ani was released as a no-show (plans no office), Budi planned anywhere
    assert (thursday.planned_office, thursday.actual_office, thursday.planned_remote) == (0, 0, 1)


async def test_a_second_run_changes_nothing(runtime: Runtime, factory: Factory, db: Database) -> None:
    office = await office_with_history(factory, db)
    await run_retention(db, NOW, RETENTION)
    folded = await aggregates(db)
    kept = (await count(db, Booking), await count(db, WorkDay))

    again = await run_retention(db, NOW, RETENTION)

    assert (again.days_folded, again.deleted) == (0, 0)
    assert await aggregates(db) == folded
    assert (await count(db, Booking), await count(db, WorkDay)) == kept
    assert await count(db, AuditEntry, AuditEntry.action == "retention.purge") == 1  # nothing done, nothing noted
    assert len(await occupancy(runtime, office, office.tower)) == 61


async def test_two_concurrent_runs_fold_each_day_once(
    runtime: Runtime, factory: Factory, db: Database, settings: Settings
) -> None:
    # given
    office = await office_with_history(factory, db)
    before = await occupancy(runtime, office, office.tower)
    second = Database.from_settings(settings)  # another process's connection pool
    try:
        # when: two runs at once
        reports = await asyncio.gather(run_retention(db, NOW, RETENTION), run_retention(second, NOW, RETENTION))
    finally:
        await second.dispose()

    # then: every day folded by exactly one of them, and the report is what it was
    async with db.read() as session:
        days = await session.scalar(select(func.count()).select_from(RetentionFold))
    assert sum(r.days_folded for r in reports) == days
    assert await occupancy(runtime, office, office.tower) == before
    assert sum(r.bookings for r in reports) > 0
    assert await count(db, Booking, Booking.start_at < local(CUTOFF, 0, WITA)) == 0


async def test_a_dry_run_counts_and_changes_nothing(runtime: Runtime, factory: Factory, db: Database) -> None:
    await office_with_history(factory, db)
    bookings, work_days = await count(db, Booking), await count(db, WorkDay)

    report = await run_retention(db, NOW, RETENTION, dry_run=True)

    assert report.bookings == await count(db, Booking, Booking.start_at < local(CUTOFF, 0, WITA))
    assert report.work_days == await count(db, WorkDay, WorkDay.day < CUTOFF)
    assert report.days_folded > 60
    assert (await count(db, Booking), await count(db, WorkDay)) == (bookings, work_days)
    assert await count(db, RetentionFold) == 0
    assert "would delete" in "\n".join(report.lines())


async def test_the_daily_job_uses_the_setting(
    runtime: Runtime, factory: Factory, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    office = await office_with_history(factory, db)
    install_clock(runtime, monkeypatch, Clock(NOW))
    assert await run_retention_job(runtime) is not None
    assert await count(db, Booking, Booking.start_at < local(CUTOFF, 0, WITA)) == 0
    assert await count(db, Booking, Booking.employee_id == office.ani.id) == 5  # 4–6 Dec 2024 (and a room), June 2026
    assert await run_retention_job(runtime) is None  # nothing left to do


@pytest.mark.parametrize("value", ["0", "89", "-5", "two years", "1.5"])
def test_a_bad_retention_setting_refuses_to_start(value: str) -> None:
    with pytest.raises(ValueError, match="SMARTOFFICE_RETENTION_DAYS must be a whole number of days, at least 90"):
        Settings.from_env({"SMARTOFFICE_RETENTION_DAYS": value})


def test_the_retention_setting_defaults_to_two_years() -> None:
    assert Settings.from_env({}).retention_days == 730
    assert Settings.from_env({"SMARTOFFICE_RETENTION_DAYS": ""}).retention_days == 730
    assert Settings.from_env({"SMARTOFFICE_RETENTION_DAYS": "90"}).retention_days == 90
