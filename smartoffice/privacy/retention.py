"""How long bookings, work plans and attendance are kept (UU 27/2022 Pasal 16(2): personal data is kept no longer
than its purpose needs), and what is kept of them afterwards.

``SMARTOFFICE_RETENTION_DAYS`` (default 730, at least 90) sets the period. The *cutoff* is the earliest local
date among the buildings' time zones, minus that many days; every local day before it is expired. A run:

1. **Folds** each expired day not yet folded, oldest first, one day per transaction: it claims the day with a row
   in ``retention_folds`` (an ``INSERT ... ON CONFLICT DO NOTHING`` on the day's primary key: a second process
   claiming the same day waits for the first and then inserts nothing, so it adds nothing), then counts the
   day's bookings per building into ``occupancy_daily`` exactly as :mod:`smartoffice.planning.occupancy` counts
   them, and the day's planned and actual work modes per org unit into ``attendance_daily`` as the weekly plans
   read them (:func:`smartoffice.policies.facts.load_attendance`). No person is named in either table. Days are
   claimed in order (the next day is always the latest folded day plus one), so the latest folded day, the
   *watermark*, says which days the aggregates answer for.
2. **Deletes**, in batches of :data:`RETENTION_BATCH` rows, each batch its own transaction: bookings whose local
   day (in their building's zone) is folded (their booking events and webhook deliveries go with them by
   ``ON DELETE CASCADE``; check-ins are columns of the booking), work-day rows (plans and attendance), desk
   releases, and recurring series whose every occurrence is gone (a series spans at most 26 weeks). Deleting
   counts nothing, so a batch repeated by another process deletes nothing and changes no aggregate.

Reports over a folded day read the aggregates (the occupancy report does, see ``planning/occupancy.py``), so they
answer the same before and after the rows go. Kept in full: people, places, policies, exemptions and their
decisions, ratings and discipline cases (the records HR keeps under its own rules), and the audit log, which the
database refuses to delete from (migration 0010): it is the evidence of who changed what, its retention is the
agency's archives decision (ANRI's retention schedule), not this job's.

A row reported late for a day already folded (attendance recorded years after the day) is deleted at the next run
without being counted: the day's aggregates are final once folded.
"""

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, delete, exists, false, func, insert, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.attendance.models import AttendanceReport
from smartoffice.audit.record import Actor, record_change
from smartoffice.availability.slots import LocalDay
from smartoffice.bookings.models import Booking, BookingSeries, BookingStatus
from smartoffice.bookings.recurrence_rule import HORIZON
from smartoffice.db import Database
from smartoffice.people.models import Employee
from smartoffice.places.models import Building, DeskRelease, Floor, Space, SpaceKind
from smartoffice.planning.occupancy import SEATED
from smartoffice.policies.facts import PLANNED_OFFICE
from smartoffice.policies.models import WorkDay, WorkMode
from smartoffice.privacy.models import AttendanceDaily, OccupancyDaily, RetentionFold

if TYPE_CHECKING:
    from smartoffice.runtime import Runtime

log = logging.getLogger(__name__)

RETENTION_BATCH = 2_000
"""Rows deleted per transaction: short enough that no run holds locks for long."""
RUN_INTERVAL_SECONDS = 24 * 3600
OCCUPANCY_COLUMNS = (
    "desk_booked",
    "desk_checked_in",
    "desk_no_shows",
    "desk_cancelled",
    "room_bookings",
    "room_minutes",
)
ATTENDANCE_COLUMNS = tuple(
    f"{prefix}_{mode}" for prefix in ("planned", "actual") for mode in ("office", "remote", "leave", "duty_travel")
)


@dataclass(slots=True)
class RetentionReport:
    """What a run did (or, dry, would do)."""

    cutoff: date
    """Local days before this are expired."""
    dry_run: bool = False
    days_folded: int = 0
    bookings: int = 0
    work_days: int = 0
    desk_releases: int = 0
    series: int = 0
    watermark: date | None = None
    """The latest folded day after the run."""

    @property
    def deleted(self) -> int:
        return self.bookings + self.work_days + self.desk_releases + self.series

    def lines(self) -> list[str]:
        verb = "would delete" if self.dry_run else "deleted"
        folded = "to fold" if self.dry_run else "folded"
        return [
            f"cutoff: local days before {self.cutoff.isoformat()} are expired",
            f"days {folded} into the daily aggregates: {self.days_folded}",
            f"{verb}: {self.bookings} bookings, {self.work_days} work days, {self.desk_releases} desk releases, "
            f"{self.series} recurring series",
        ]


@dataclass(slots=True)
class _Fold:
    """One day's counts while it is folded."""

    bookings: int = 0
    work_days: int = 0
    occupancy: dict[int, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    unit_of: dict[int, int] = field(default_factory=dict)
    """The org unit of each person seen that day."""
    planned: dict[int, WorkMode] = field(default_factory=dict)
    actual: dict[int, WorkMode] = field(default_factory=dict)


async def run_retention(
    db: Database, now: datetime, retention_days: int, *, dry_run: bool = False, via: str = "job"
) -> RetentionReport:
    """Fold every expired day, then delete what was folded. Safe in several processes at once."""
    async with db.read() as session:
        cutoff = await cutoff_day(session, now, retention_days)
    report = RetentionReport(cutoff=cutoff, dry_run=dry_run)
    if dry_run:
        async with db.read() as session:
            await _preview(session, report)
        return report
    while (day := await _next_day_to_fold(db, cutoff)) is not None:
        if await fold_day(db, day, now):
            report.days_folded += 1
    async with db.read() as session:
        watermark = await folded_through(session)
    report.watermark = watermark
    if watermark is not None:
        last = min(watermark, cutoff - timedelta(days=1))
        await _delete_folded(db, last, cutoff, report)
    if report.deleted or report.days_folded:
        async with db.write() as session:
            record_change(
                session,
                Actor.system(via),
                "retention.purge",
                at=now,
                entity_kind="RetentionFold",
                entity_id=None,
                after={
                    "cutoff": cutoff,
                    "days_folded": report.days_folded,
                    "bookings": report.bookings,
                    "work_days": report.work_days,
                    "desk_releases": report.desk_releases,
                    "series": report.series,
                },
            )
    return report


async def run_retention_job(runtime: "Runtime") -> str | None:
    """The daily job."""
    report = await run_retention(runtime.db, runtime.clock(), runtime.settings.retention_days)
    return "; ".join(report.lines()) if report.deleted or report.days_folded else None


async def cutoff_day(session: AsyncSession, now: datetime, retention_days: int) -> date:
    """The first local day kept: the earliest "today" among the buildings' zones, minus ``retention_days``.

    Taking the earliest today means no day is expired before it is ``retention_days`` old in every zone (WIB,
    WITA and WIT are at most two hours apart: a day in WIT waits at most a day longer)."""
    zones = (await session.scalars(select(Building.time_zone).distinct())).all()
    today = min((now.astimezone(ZoneInfo(zone)).date() for zone in zones), default=now.astimezone(UTC).date())
    return today - timedelta(days=retention_days)


async def folded_through(session: AsyncSession) -> date | None:
    """The watermark: the latest local day folded into the aggregates (every earlier day is folded too)."""
    return await session.scalar(select(func.max(RetentionFold.day)))


async def _next_day_to_fold(db: Database, cutoff: date) -> date | None:
    async with db.read() as session:
        watermark = await folded_through(session)
        day = watermark + timedelta(days=1) if watermark is not None else await _earliest_day(session)
    return day if day is not None and day < cutoff else None


async def _earliest_day(session: AsyncSession) -> date | None:
    """The first local day holding a booking or a work day (a day early at worst: an empty day folds to nothing)."""
    first_work_day = await session.scalar(select(func.min(WorkDay.day)))
    first_start = await session.scalar(select(func.min(Booking.start_at)))
    first_release = await session.scalar(select(func.min(DeskRelease.day)))
    candidates = [d for d in (first_work_day, first_release) if d is not None]
    if first_start is not None:
        candidates.append((first_start - timedelta(days=1)).date())
    return min(candidates, default=None)


async def fold_day(db: Database, day: date, now: datetime) -> bool:
    """Count one local day into the aggregates; False when another process already did."""
    async with db.write() as session:
        if not await _claim(session, day, now):
            return False
        fold = _Fold()
        await _count_bookings(session, day, fold)
        await _count_work_days(session, day, fold)
        await _store(session, day, fold)
    return True


async def _claim(session: AsyncSession, day: date, now: datetime) -> bool:
    dialect = sqlite if session.get_bind().dialect.name == "sqlite" else postgresql
    claimed = await session.scalar(
        dialect.insert(RetentionFold)
        .values(day=day, folded_at=now, bookings=0, work_days=0)
        .on_conflict_do_nothing(index_elements=[RetentionFold.day])
        .returning(RetentionFold.day)
    )
    return claimed is not None


def _on_local_day(day: date, zones: Iterable[str]) -> ColumnElement[bool]:
    """Bookings starting on ``day`` in their building's zone (the query must join ``Building``)."""
    bounds = [(zone, LocalDay(day, zone)) for zone in zones]
    if not bounds:
        return false()
    return and_(
        Booking.start_at >= min(local.start_at for _, local in bounds),  # a range the start index serves
        Booking.start_at < max(local.end_at for _, local in bounds),
        or_(
            *(
                and_(Building.time_zone == zone, Booking.start_at >= local.start_at, Booking.start_at < local.end_at)
                for zone, local in bounds
            )
        ),
    )


async def _zones(session: AsyncSession) -> list[str]:
    return list((await session.scalars(select(Building.time_zone).distinct())).all())


async def _count_bookings(session: AsyncSession, day: date, fold: _Fold) -> None:
    rows = await session.execute(
        select(
            Building.id,
            Booking.space_kind,
            Booking.status,
            Booking.employee_id,
            Booking.start_at,
            Booking.end_at,
            Booking.checked_in_at,
            Employee.org_unit_id,
        )
        .join(Space, Booking.space_id == Space.id)
        .join(Floor, Space.floor_id == Floor.id)
        .join(Building, Floor.building_id == Building.id)
        .join(Employee, Booking.employee_id == Employee.id)
        .where(_on_local_day(day, await _zones(session)))
    )
    seated: dict[int, set[int]] = defaultdict(set)
    checked_in: dict[int, set[int]] = defaultdict(set)
    booked_office: set[int] = set()
    arrived: set[int] = set()
    for building, kind, status, employee, start_at, end_at, checked_in_at, unit in rows:
        fold.bookings += 1
        counts = fold.occupancy[building]
        if kind == SpaceKind.DESK:
            fold.unit_of[employee] = unit
            if status in SEATED:
                seated[building].add(employee)
            if status == BookingStatus.CHECKED_IN:
                checked_in[building].add(employee)
            if status in PLANNED_OFFICE:
                booked_office.add(employee)
            if checked_in_at is not None:
                arrived.add(employee)
            counts["desk_no_shows"] += status == BookingStatus.RELEASED
            counts["desk_cancelled"] += status == BookingStatus.CANCELLED
        elif status in SEATED:
            counts["room_bookings"] += 1
            counts["room_minutes"] += int((end_at - start_at).total_seconds() // 60)
    for building, people in seated.items():
        fold.occupancy[building]["desk_booked"] = len(people)
    for building, people in checked_in.items():
        fold.occupancy[building]["desk_checked_in"] = len(people)
    # As load_attendance reads a day: a desk booking plans the office (over a remote plan), a check-in makes it
    # actual unless another system reported what the person did.
    fold.planned.update(dict.fromkeys(booked_office, WorkMode.OFFICE))
    fold.actual.update(dict.fromkeys(arrived, WorkMode.OFFICE))


async def _count_work_days(session: AsyncSession, day: date, fold: _Fold) -> None:
    rows = await session.execute(
        select(WorkDay.employee_id, WorkDay.planned, WorkDay.actual, Employee.org_unit_id)
        .join(Employee, WorkDay.employee_id == Employee.id)
        .where(WorkDay.day == day)
    )
    for employee, planned, actual, unit in rows:
        fold.work_days += 1
        fold.unit_of[employee] = unit
        if planned is not None and fold.planned.get(employee) is None:
            fold.planned[employee] = planned
        if actual is not None:
            fold.actual[employee] = actual


def _mode_column(prefix: str, mode: WorkMode) -> str:
    if mode.is_remote:
        return f"{prefix}_remote"
    return f"{prefix}_{mode.value}"


async def _store(session: AsyncSession, day: date, fold: _Fold) -> None:
    attendance: dict[int, Counter[str]] = defaultdict(Counter)
    for employee, mode in fold.planned.items():
        attendance[fold.unit_of[employee]][_mode_column("planned", mode)] += 1
    for employee, mode in fold.actual.items():
        attendance[fold.unit_of[employee]][_mode_column("actual", mode)] += 1
    if attendance:
        headcount_rows = await session.execute(
            select(Employee.org_unit_id, func.count())
            .where(Employee.org_unit_id.in_(sorted(attendance)), Employee.active)
            .group_by(Employee.org_unit_id)
        )
        headcounts = {unit: n for unit, n in headcount_rows}
        await session.execute(
            insert(AttendanceDaily),
            [
                {"org_unit_id": unit, "day": day, "headcount": headcounts.get(unit, 0)}
                | {column: counts[column] for column in ATTENDANCE_COLUMNS}
                for unit, counts in sorted(attendance.items())
            ],
        )
    if fold.occupancy:
        await session.execute(
            insert(OccupancyDaily),
            [
                {"building_id": building, "day": day} | {column: counts[column] for column in OCCUPANCY_COLUMNS}
                for building, counts in sorted(fold.occupancy.items())
            ],
        )
    await session.execute(
        RetentionFold.__table__.update()  # type: ignore[attr-defined]
        .where(RetentionFold.day == day)
        .values(bookings=fold.bookings, work_days=fold.work_days)
    )


async def _delete_folded(db: Database, last: date, cutoff: date, report: RetentionReport) -> None:
    """Delete, batch by batch, the rows of local days up to ``last`` (all folded) and the series now empty."""
    report.bookings = await _delete_in_batches(db, lambda zones: _bookings_through(last, zones), Booking)
    report.work_days = await _delete_in_batches(
        db, lambda _zones: select(WorkDay.id).where(WorkDay.day <= last).order_by(WorkDay.day, WorkDay.id), WorkDay
    )
    # A day's attendance report (check-in time, source) goes with its work day, counted with it.
    report.work_days += await _delete_in_batches(
        db,
        lambda _zones: (
            select(AttendanceReport.id)
            .where(AttendanceReport.day <= last)
            .order_by(AttendanceReport.day, AttendanceReport.id)
        ),
        AttendanceReport,
    )
    report.desk_releases = await _delete_in_batches(
        db,
        lambda _zones: select(DeskRelease.id).where(DeskRelease.day <= last).order_by(DeskRelease.day, DeskRelease.id),
        DeskRelease,
    )
    report.series = await _delete_in_batches(db, lambda _zones: _empty_series(cutoff), BookingSeries)


def _bookings_through(last: date, zones: Sequence[str]) -> Any:
    """Ids of bookings starting on or before the local day ``last`` in their building's zone."""
    bounds = [(zone, LocalDay(last, zone).end_at) for zone in zones]
    if not bounds:
        return None
    return (
        select(Booking.id)
        .join(Space, Booking.space_id == Space.id)
        .join(Floor, Space.floor_id == Floor.id)
        .join(Building, Floor.building_id == Building.id)
        .where(
            Booking.start_at < max(bound for _, bound in bounds),
            or_(*(and_(Building.time_zone == zone, Booking.start_at < bound) for zone, bound in bounds)),
        )
        .order_by(Booking.start_at, Booking.id)
    )


def _empty_series(cutoff: date) -> Any:
    """Series that started more than a horizon before the cutoff (so every occurrence is expired) with none left."""
    return (
        select(BookingSeries.id)
        .where(
            BookingSeries.starts_on < cutoff - HORIZON,
            ~exists().where(Booking.series_id == BookingSeries.id),
        )
        .order_by(BookingSeries.id)
    )


async def _delete_in_batches(db: Database, expired: Any, model: Any) -> int:
    deleted = 0
    while True:
        async with db.write() as session:
            query = expired(await _zones(session))
            if query is None:
                return deleted
            ids = list((await session.scalars(query.limit(RETENTION_BATCH))).all())
            if ids:  # a row another process deleted meanwhile is simply not deleted twice
                result = await session.execute(delete(model).where(model.id.in_(ids)))
                deleted += int(result.rowcount or 0)  # type: ignore[attr-defined]
        if len(ids) < RETENTION_BATCH:
            return deleted


async def _preview(session: AsyncSession, report: RetentionReport) -> None:
    """A dry run's counts: the days still to fold and the rows expired now."""
    watermark = await folded_through(session)
    first = watermark + timedelta(days=1) if watermark is not None else await _earliest_day(session)
    report.watermark = watermark
    report.days_folded = max(0, (report.cutoff - first).days) if first is not None else 0
    last = report.cutoff - timedelta(days=1)
    bookings = _bookings_through(last, await _zones(session))
    if bookings is not None:
        report.bookings = await _count(session, bookings)
    report.work_days = await _count(session, select(WorkDay.id).where(WorkDay.day <= last))
    report.desk_releases = await _count(session, select(DeskRelease.id).where(DeskRelease.day <= last))
    # Series whose last bookings go in this run are not counted: they go at the next run.
    report.series = await _count(session, _empty_series(report.cutoff))


async def _count(session: AsyncSession, query: Any) -> int:
    return int(await session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0)
