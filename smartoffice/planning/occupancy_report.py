"""What an occupancy report holds, and the figures derived from its days (no database here).

The counting rules (what a day's ``booked``, ``checked_in`` and ``no_shows`` mean) are in
:mod:`smartoffice.planning.occupancy`; this module only summarises counted days:

* **utilisation**: people booked ÷ desks in scope (for an organisation or unit: the desks of the zones assigned to
  its subtree, see :mod:`smartoffice.planning.occupancy_scope`); **headcount share**: people booked ÷ the people
  placed in the unit subtree (organisation and unit scopes only);
* **no-show rate**: no-shows ÷ people booked, summed over the days (with one desk booking per person and day, the
  usual case, the share of seated bookings nobody used);
* **peak / mean / 85th percentile** of people booked, over working days only (weekends and holidays would drag the
  average down). The 85th percentile is nearest-rank: a scope with that many desks is full on about one working
  day in seven. Days the retention job folded whose counts this scope cannot read (``counted`` false) are left
  out of every summary.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from smartoffice.places.models import Building

MAX_REPORT_DAYS = 366
"""The longest range one report covers: a whole year (a leap year too), so the month trend can show twelve months
and a year-on-year comparison needs two calls, not a paging scheme. Longer ranges would cost the database in
proportion and add nothing a planner decides from."""


class ScopeKind(StrEnum):
    SITE = "site"
    BUILDING = "building"
    FLOOR = "floor"
    ZONE = "zone"
    ORGANISATION = "organisation"
    ORG_UNIT = "org_unit"

    @property
    def is_place(self) -> bool:
        return self in PLACE_KINDS


PLACE_KINDS = (ScopeKind.SITE, ScopeKind.BUILDING, ScopeKind.FLOOR, ScopeKind.ZONE)
CHILD_KIND = {
    ScopeKind.SITE: ScopeKind.BUILDING,
    ScopeKind.BUILDING: ScopeKind.FLOOR,
    ScopeKind.FLOOR: ScopeKind.ZONE,
    ScopeKind.ORGANISATION: ScopeKind.ORG_UNIT,
    ScopeKind.ORG_UNIT: ScopeKind.ORG_UNIT,
}
"""The breakdown one level down: site → buildings, building → floors, floor → zones, organisation → its top
units, unit → its child units. A zone has no breakdown."""


@dataclass(frozen=True, slots=True)
class OccupancyScope:
    """What a report covers, as asked: a place (site, building, floor, zone) or an organisation or org unit (a
    unit means its whole subtree)."""

    kind: ScopeKind
    id: int


@dataclass(frozen=True, slots=True)
class ScopeRef:
    """A resolved scope (or a breakdown part) with what people read of it."""

    kind: ScopeKind
    id: int
    code: str
    name: str

    @property
    def scope(self) -> OccupancyScope:
        return OccupancyScope(self.kind, self.id)


@dataclass(frozen=True, slots=True)
class OccupancyDay:
    """One local day of a scope (each building's own zone decides which bookings fall on it)."""

    day: date
    is_working_day: bool
    closed_because: str | None
    booked: int
    """People holding a desk that day (booked, checked in, or released as a no-show)."""
    checked_in: int
    """People who checked in to a desk."""
    no_shows: int
    """Desk bookings released because nobody checked in."""
    desks: int
    headcount: int | None = None
    """People placed in the unit subtree (organisation and unit scopes; ``None`` for places)."""
    counted: bool = True
    """False: the retention job folded the day into per-building aggregates, which cannot say how many of its
    people sat on this floor or zone or belonged to this unit; the counts are 0 and every summary skips the day."""

    @property
    def utilisation(self) -> float:
        return self.booked / self.desks if self.desks else 0.0

    @property
    def headcount_share(self) -> float | None:
        """People booked ÷ headcount (organisation and unit scopes)."""
        if self.headcount is None:
            return None
        return self.booked / self.headcount if self.headcount else 0.0

    @property
    def no_show_rate(self) -> float:
        return self.no_shows / self.booked if self.booked else 0.0

    @property
    def iso_week(self) -> tuple[int, int]:
        year, week, _ = self.day.isocalendar()
        return year, week


@dataclass(frozen=True, slots=True)
class OccupancySummary:
    """Figures over the counted working days of a range (see the module docstring)."""

    working_days: int
    """Working days counted (folded days a finer scope cannot read are not)."""
    desks: int
    headcount: int | None
    peak_booked: int
    mean_booked: float
    percentile_85_booked: int
    mean_checked_in: float
    booked_total: int
    """People booked summed over the working days (person-days)."""
    checked_in_total: int
    no_shows_total: int

    @property
    def no_show_rate(self) -> float:
        return self.no_shows_total / self.booked_total if self.booked_total else 0.0

    @property
    def check_in_rate(self) -> float:
        """People checked in ÷ people booked, over the working days."""
        return self.checked_in_total / self.booked_total if self.booked_total else 0.0

    @property
    def peak_utilisation(self) -> float:
        return self.peak_booked / self.desks if self.desks else 0.0

    @property
    def mean_utilisation(self) -> float:
        return self.mean_booked / self.desks if self.desks else 0.0

    @property
    def percentile_85_utilisation(self) -> float:
        return self.percentile_85_booked / self.desks if self.desks else 0.0

    @property
    def mean_headcount_share(self) -> float | None:
        if self.headcount is None:
            return None
        return self.mean_booked / self.headcount if self.headcount else 0.0


@dataclass(frozen=True, slots=True)
class HeatmapWeek:
    """One ISO week of the weekday × week heatmap: ``days[0]`` is Monday … ``days[6]`` Sunday, ``None`` for a
    weekday outside the report's range."""

    iso_year: int
    iso_week: int
    monday: date
    days: tuple[OccupancyDay | None, ...]


@dataclass(frozen=True, slots=True)
class MonthTrend:
    """One calendar month of the range (the first and last months may be partial: ``first``/``last`` say)."""

    month: date
    """The first of the month."""
    first: date
    last: date
    summary: OccupancySummary


@dataclass(frozen=True, slots=True)
class ScopePart:
    """One part of the breakdown one level down, with its own days and summary."""

    ref: ScopeRef
    desks: int
    headcount: int | None
    days: list[OccupancyDay]
    summary: OccupancySummary


@dataclass(frozen=True, slots=True)
class SizeBucket:
    """Meetings whose attendees ÷ the room's capacity lies in ``(low, high]`` (``high`` ``None``: no bound)."""

    low: float
    high: float | None
    meetings: int


MEETING_SIZE_BOUNDS: tuple[tuple[float, float | None], ...] = (
    (0.0, 0.25),
    (0.25, 0.5),
    (0.5, 0.75),
    (0.75, 1.0),
    (1.0, None),
)
"""The meeting-size buckets: up to a quarter of the seats, half, three quarters, full, and over capacity (a room
whose capacity was lowered after the booking)."""


@dataclass(frozen=True, slots=True)
class RoomUse:
    """One meeting room over the working days of the range."""

    room_id: int
    code: str
    name: str | None
    floor_name: str
    building_name: str
    capacity: int
    meetings: int
    """Room bookings that held the room (booked, checked in, or released) on a working day."""
    hours_booked: float
    bookable_hours: float
    """The room's bookable hours (its own, else its building's opening hours) summed over the working days."""
    sized_meetings: int
    """Meetings that gave an attendee count (the others are left out of the size figures)."""
    mean_size_ratio: float | None
    """Mean attendees ÷ capacity over the sized meetings; ``None`` when there were none."""
    size_buckets: list[SizeBucket]

    @property
    def utilisation(self) -> float:
        return self.hours_booked / self.bookable_hours if self.bookable_hours else 0.0


@dataclass(frozen=True, slots=True)
class RoomReport:
    rooms: list[RoomUse]
    """Every meeting room in scope (retired ones only if they had meetings), by building, floor and code."""
    hours_booked: float
    bookable_hours: float
    size_buckets: list[SizeBucket]
    """All sized meetings of the scope's rooms."""
    mean_size_ratio: float | None

    @property
    def utilisation(self) -> float:
        return self.hours_booked / self.bookable_hours if self.bookable_hours else 0.0


@dataclass(frozen=True, slots=True)
class OccupancyReport:
    """The occupancy of one scope from ``first`` to ``last`` (local dates, both included)."""

    scope: ScopeRef
    first: date
    last: date
    desks: int
    headcount: int | None
    days: list[OccupancyDay]
    summary: OccupancySummary
    heatmap: list[HeatmapWeek]
    months: list[MonthTrend]
    part_kind: ScopeKind | None
    """What ``parts`` are (``None`` for a zone, which has none)."""
    parts: list[ScopePart]
    rooms: RoomReport
    time_zones: tuple[str, ...]
    """The zones of the buildings concerned (their local days are the report's days)."""
    folded_through: date | None
    """The retention watermark: days up to it were folded (read from the aggregates at site and building scope, not
    counted at finer scopes); ``None`` when nothing in the range was folded."""
    sites: tuple[int, ...] | None = None
    """Organisation and unit scopes seen by a facilities manager (not an admin): only bookings and desks in these
    sites (the ones they manage) are counted. ``None``: no restriction."""
    building: Building | None = None
    """The building of a building scope (what ``buildingOccupancy`` answers with)."""

    @property
    def working_days(self) -> list[OccupancyDay]:
        return [d for d in self.days if d.is_working_day and d.counted]

    @property
    def peak_booked(self) -> int:
        return self.summary.peak_booked

    @property
    def mean_booked(self) -> float:
        return self.summary.mean_booked

    @property
    def percentile_85_booked(self) -> int:
        return self.summary.percentile_85_booked


@dataclass(frozen=True, slots=True)
class BuildingDays:
    """A building's days and their summary: what ``buildingOccupancy`` answers (the report without its breakdown,
    heatmap, month trend and rooms, which it does not show and would cost most of its time)."""

    building: Building
    first: date
    last: date
    desks: int
    days: list[OccupancyDay]
    summary: OccupancySummary


@dataclass(frozen=True, slots=True)
class ScopeOption:
    """A scope a viewer may report on, for the pickers: in tree order, ``depth`` 0 for sites and organisations."""

    ref: ScopeRef
    depth: int
    parent: OccupancyScope | None


@dataclass(frozen=True, slots=True)
class ReportableScopes:
    places: list[ScopeOption]
    """Sites the viewer manages (all for admins), each followed by its buildings, floors and zones (not retired)."""
    organisations: list[ScopeOption]
    """Organisations each followed by their unit tree: every one for admins and facilities managers (whose figures
    are restricted to their sites); empty for anyone else."""


def nearest_rank_85(values: Sequence[int]) -> int:
    """Nearest-rank 85th percentile (0 for no values)."""
    ordered = sorted(values)
    return ordered[math.ceil(0.85 * len(ordered)) - 1] if ordered else 0


def summarise(days: Iterable[OccupancyDay], desks: int, headcount: int | None) -> OccupancySummary:
    """The summary of the counted working days among ``days``."""
    working = [d for d in days if d.is_working_day and d.counted]
    booked = [d.booked for d in working]
    n = len(working)
    return OccupancySummary(
        working_days=n,
        desks=desks,
        headcount=headcount,
        peak_booked=max(booked, default=0),
        mean_booked=sum(booked) / n if n else 0.0,
        percentile_85_booked=nearest_rank_85(booked),
        mean_checked_in=sum(d.checked_in for d in working) / n if n else 0.0,
        booked_total=sum(booked),
        checked_in_total=sum(d.checked_in for d in working),
        no_shows_total=sum(d.no_shows for d in working),
    )


def heatmap(days: Sequence[OccupancyDay]) -> list[HeatmapWeek]:
    """The days laid out by ISO week (rows) and weekday (columns), weeks in order."""
    by_day = {d.day: d for d in days}
    weeks: list[HeatmapWeek] = []
    if not days:
        return weeks
    monday = days[0].day - timedelta(days=days[0].day.weekday())
    while monday <= days[-1].day:
        year, week, _ = monday.isocalendar()
        cells = tuple(by_day.get(monday + timedelta(days=i)) for i in range(7))
        weeks.append(HeatmapWeek(year, week, monday, cells))
        monday += timedelta(days=7)
    return weeks


def months(days: Sequence[OccupancyDay], desks: int, headcount: int | None) -> list[MonthTrend]:
    """The trend by calendar month."""
    trend: list[MonthTrend] = []
    group: list[OccupancyDay] = []
    for day in days:
        if group and (day.day.year, day.day.month) != (group[0].day.year, group[0].day.month):
            trend.append(_month(group, desks, headcount))
            group = []
        group.append(day)
    if group:
        trend.append(_month(group, desks, headcount))
    return trend


def _month(days: list[OccupancyDay], desks: int, headcount: int | None) -> MonthTrend:
    return MonthTrend(days[0].day.replace(day=1), days[0].day, days[-1].day, summarise(days, desks, headcount))
