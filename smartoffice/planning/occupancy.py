"""Desk occupancy per local day: the numbers facilities managers size a tower's seats from.

Days older than the retention period (``SMARTOFFICE_RETENTION_DAYS``) are read from ``occupancy_daily``, where the
retention job folded them with the same counts before deleting their bookings (:mod:`smartoffice.privacy.retention`).

A few grouped queries do the counting on either database, whatever the number of days
(:mod:`~smartoffice.planning.occupancy_counts`): bookings are bucketed into their building's local days by comparing
``start_at`` with the days' UTC boundaries, so the same SQL is right in any IANA zone and on SQLite, which has no
time zone functions. A desk booking lies within one local day (desks are booked within opening hours), so its start
names its day.

The report covers a place (site, building, floor, zone) or an organisation or unit subtree
(:mod:`~smartoffice.planning.occupancy_scope` says whose bookings and which desks, and who may read it), with a
breakdown one level down, a weekday × week heatmap, a month trend (:mod:`~smartoffice.planning.occupancy_report`)
and the meeting rooms (:mod:`~smartoffice.planning.occupancy_rooms`). ``buildingOccupancy`` is the building scope
of the same report, its days and summary only (:func:`building_occupancy` counts nothing else).

What counts, per day:

* **booked**: people holding a desk that day (booked, checked in, or released as a no-show: each took a seat out
  of the pool until released), pending and cancelled bookings not;
* **checked in**: people who checked in (what was used);
* **no-shows**: bookings released because nobody checked in;
* **utilisation**: booked ÷ desks in scope (not retired).

The summary covers working days only (weekends and holidays would drag the average down): the peak, the mean and
the 85th percentile of people booked. The 85th percentile is the usual sizing figure for shared desks (a
building sized to it is full on roughly one working day in seven); we report it rather than recommend a number.
Days the retention job folded read the same at site and building scope; finer scopes (floor, zone, unit) cannot
read them (``OccupancyDay.counted`` false) and leave them out of every figure.
"""

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.db import Database
from smartoffice.errors import CommonInputCode, InvalidInput
from smartoffice.planning.occupancy_counts import (
    SEATED,
    Counts,
    DayCounts,
    count_days,
    count_desks,
    count_headcount,
    report_days,
)
from smartoffice.planning.occupancy_report import (
    MAX_REPORT_DAYS,
    BuildingDays,
    OccupancyDay,
    OccupancyReport,
    OccupancyScope,
    ReportableScopes,
    ScopeKind,
    ScopePart,
    heatmap,
    months,
    summarise,
)
from smartoffice.planning.occupancy_rooms import room_report
from smartoffice.planning.occupancy_scope import reportable_scopes, resolve
from smartoffice.workcalendar.service import WorkingCalendar, load_calendar

__all__ = ["MAX_DAYS", "MAX_REPORT_DAYS", "SEATED", "OccupancyDay", "OccupancyReport", "OccupancyService"]

MAX_DAYS = 92
"""A quarter: the longest range ``buildingOccupancy`` covers (its documented limit; the full report allows
:data:`MAX_REPORT_DAYS`)."""


async def occupancy_report(
    session: AsyncSession,
    viewer_id: int,
    scope: OccupancyScope,
    first: date,
    last: date,
    *,
    max_days: int = MAX_REPORT_DAYS,
) -> OccupancyReport:
    """Raises InvalidInput (a reversed range, or one longer than ``max_days``), NotFound (no such place,
    organisation or unit) or PermissionDenied (see :mod:`~smartoffice.planning.occupancy_scope`)."""
    _check_range(first, last, max_days)
    resolved = await resolve(session, viewer_id, scope)
    calendar = await load_calendar(session, first, last)
    counts = await count_days(session, resolved, first, last)
    desks, part_desks = await count_desks(session, resolved)
    headcount, part_headcount = await count_headcount(session, resolved)
    days = _days(calendar, first, last, counts.total, counts, desks, headcount, known=counts.folded_total_known)
    live_working_days = {i for i, d in enumerate(days) if d.is_working_day and i not in counts.folded}
    parts = []
    for ref in resolved.parts:
        part_days = _days(
            calendar,
            first,
            last,
            counts.parts.get(ref.id, {}),
            counts,
            part_desks.get(ref.id, 0),
            part_headcount.get(ref.id, 0) if headcount is not None else None,
            known=counts.folded_parts_known,
        )
        parts.append(
            ScopePart(
                ref=ref,
                desks=part_desks.get(ref.id, 0),
                headcount=part_headcount.get(ref.id, 0) if headcount is not None else None,
                days=part_days,
                summary=summarise(
                    part_days,
                    part_desks.get(ref.id, 0),
                    part_headcount.get(ref.id, 0) if headcount is not None else None,
                ),
            )
        )
    return OccupancyReport(
        scope=resolved.ref,
        first=first,
        last=last,
        desks=desks,
        headcount=headcount,
        days=days,
        summary=summarise(days, desks, headcount),
        heatmap=heatmap(days),
        months=months(days, desks, headcount),
        part_kind=resolved.part_kind,
        parts=parts,
        rooms=await room_report(session, resolved, first, last, live_working_days),
        time_zones=tuple(sorted({b.time_zone for b in resolved.buildings})),
        folded_through=days[counts.folded[-1]].day if counts.folded else None,
        sites=resolved.sites,
        building=resolved.building,
    )


def _days(
    calendar: WorkingCalendar,
    first: date,
    last: date,
    by_index: dict[int, Counts],
    counts: DayCounts,
    desks: int,
    headcount: int | None,
    *,
    known: bool,
) -> list[OccupancyDay]:
    days = []
    for i, day in enumerate(report_days(first, last)):
        booked, checked_in, no_shows = by_index.get(i, (0, 0, 0))
        days.append(
            OccupancyDay(
                day=day,
                is_working_day=calendar.is_working_day(day),
                closed_because=calendar.closure_reason(day),
                booked=booked,
                checked_in=checked_in,
                no_shows=no_shows,
                desks=desks,
                headcount=headcount,
                counted=known or i not in counts.folded,
            )
        )
    return days


def _check_range(first: date, last: date, max_days: int) -> None:
    if last < first:
        raise InvalidInput("to", CommonInputCode.RANGE_REVERSED)
    if (last - first).days + 1 > max_days:
        raise InvalidInput("to", CommonInputCode.RANGE_TOO_LONG, max_days=max_days)


async def building_occupancy(
    session: AsyncSession, viewer_id: int, building_id: int, first: date, last: date
) -> BuildingDays:
    """The days and summary of :func:`occupancy_report`'s building scope, at most :data:`MAX_DAYS` days
    (``buildingOccupancy``): the same counts, without the floors, heatmap, months and rooms it does not show."""
    _check_range(first, last, MAX_DAYS)
    resolved = await resolve(session, viewer_id, OccupancyScope(ScopeKind.BUILDING, building_id), with_parts=False)
    assert resolved.building is not None
    calendar = await load_calendar(session, first, last)
    counts = await count_days(session, resolved, first, last)
    desks, _ = await count_desks(session, resolved)
    days = _days(calendar, first, last, counts.total, counts, desks, None, known=counts.folded_total_known)
    return BuildingDays(resolved.building, first, last, desks, days, summarise(days, desks, None))


class OccupancyService:
    """Occupancy reports for facilities managers: each method owns its (read) transaction."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def report(self, actor_id: int, scope: OccupancyScope, first: date, last: date) -> OccupancyReport:
        """See :func:`occupancy_report`."""
        async with self.db.read() as session:
            return await occupancy_report(session, actor_id, scope, first, last)

    async def report_scopes(self, actor_id: int) -> ReportableScopes:
        """The places, organisations and units the actor may report on, for the pickers."""
        async with self.db.read() as session:
            return await reportable_scopes(session, actor_id)

    async def building_occupancy(self, actor_id: int, building_id: int, first: date, last: date) -> BuildingDays:
        """See :func:`building_occupancy`."""
        async with self.db.read() as session:
            return await building_occupancy(session, actor_id, building_id, first, last)
