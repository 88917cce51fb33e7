"""The occupancy dashboard's tables (``/capacity``), from an :class:`OccupancyReport`: the rows the page shows and
the files it exports are the same :class:`ExportTable`, so a download always says what the page says.

Each table has a key (``?export=<key>``): ``days``, ``weeks`` (the weekday × week heatmap), ``months``, ``parts``
(the breakdown one level down), ``part-weekdays`` (the parts by weekday), ``rooms`` and ``sizes`` (meeting size
against room capacity). Shares are fractions in files (0.85, formatted by the spreadsheet) and percentages on the
page; dates are dates.
"""

from collections.abc import Callable, Sequence
from datetime import date

from babel.dates import format_date

from smartoffice.formats import babel_locale, weekday
from smartoffice.i18n import Language, gettext
from smartoffice.planning.occupancy_report import (
    OccupancyDay,
    OccupancyReport,
    OccupancySummary,
    ScopeKind,
    SizeBucket,
)
from smartoffice.web.table_export import Cell, ExportTable

WORKING_WEEKDAYS = range(5)
"""Monday to Friday: the heatmap's rows unless the weekend had bookings."""


def days_table(language: Language, report: OccupancyReport) -> ExportTable:
    _ = _words(language)
    return ExportTable(
        _("People per day"),
        [
            _("Day"),
            _("Weekday"),
            _("Working day"),
            _("Booked"),
            _("Checked in"),
            _("No-shows"),
            _("Desks"),
            _("Utilisation"),
            _("Closed because"),
        ],
        [
            [
                d.day,
                weekday(language, d.day),
                _("yes") if d.is_working_day else _("no"),
                *_counts(d),
                d.desks,
                round(d.utilisation, 4),
                d.closed_because,
            ]
            for d in report.days
        ],
    )


def weekday_rows(report: OccupancyReport) -> list[int]:
    """The weekdays the heatmap shows: Monday to Friday, and Saturday or Sunday if anyone booked on them."""
    weekend = [n for n in (5, 6) if any(_booked(week.days[n]) for week in report.heatmap)]
    return [*WORKING_WEEKDAYS, *weekend]


def weeks_table(language: Language, report: OccupancyReport) -> ExportTable:
    """People booked, a row per weekday and a column per week (its Monday)."""
    _ = _words(language)
    rows: list[list[Cell]] = []
    for n in weekday_rows(report):
        cells: list[Cell] = [weekday(language, n)]
        cells += [_booked(week.days[n]) for week in report.heatmap]
        rows.append(cells)
    return ExportTable(
        _("People booked by weekday and week"),
        [_("Weekday"), *(week_label(language, week.monday) for week in report.heatmap)],
        rows,
    )


def months_table(language: Language, report: OccupancyReport) -> ExportTable:
    _ = _words(language)
    return ExportTable(
        _("Trend by month"),
        [_("Month"), *_summary_headers(language)],
        [[month_label(language, m.month), *_summary_cells(m.summary)] for m in report.months],
    )


def parts_table(language: Language, report: OccupancyReport) -> ExportTable:
    _ = _words(language)
    return ExportTable(
        _("Working days by %(part)s") % {"part": part_kind_name(language, report.part_kind).lower()},
        [part_kind_name(language, report.part_kind), _("Code"), *_summary_headers(language)],
        [[p.ref.name, p.ref.code, *_summary_cells(p.summary)] for p in report.parts],
    )


def part_weekdays_table(language: Language, report: OccupancyReport) -> ExportTable:
    """Each part's mean people booked per weekday (working days), against its desks."""
    _ = _words(language)
    return ExportTable(
        _("Mean people booked per weekday, by %(part)s") % {"part": part_kind_name(language, report.part_kind).lower()},
        [part_kind_name(language, report.part_kind), *(weekday(language, n) for n in WORKING_WEEKDAYS), _("Desks")],
        [[p.ref.name, *weekday_means(p.days), p.desks] for p in report.parts],
    )


def weekday_means(days: Sequence[OccupancyDay]) -> list[float | None]:
    """Mean people booked on each weekday Monday to Friday, over the counted working days (``None``: none)."""
    means: list[float | None] = []
    for n in WORKING_WEEKDAYS:
        booked = [d.booked for d in days if d.day.weekday() == n and d.is_working_day and d.counted]
        means.append(round(sum(booked) / len(booked), 1) if booked else None)
    return means


def rooms_table(language: Language, report: OccupancyReport) -> ExportTable:
    _ = _words(language)
    return ExportTable(
        _("Meeting rooms"),
        [
            _("Room"),
            _("Building"),
            _("Floor"),
            _("Seats"),
            _("Meetings"),
            _("Hours booked"),
            _("Bookable hours"),
            _("Utilisation"),
            _("Meetings with a size"),
            _("Mean size ÷ seats"),
        ],
        [
            [
                room.name or room.code,
                room.building_name,
                room.floor_name,
                room.capacity,
                room.meetings,
                round(room.hours_booked, 2),
                round(room.bookable_hours, 2),
                round(room.utilisation, 4),
                room.sized_meetings,
                _round(room.mean_size_ratio),
            ]
            for room in report.rooms.rooms
        ],
    )


def sizes_table(language: Language, report: OccupancyReport) -> ExportTable:
    _ = _words(language)
    return ExportTable(
        _("Meeting size against room capacity"),
        [_("Attendees ÷ seats"), _("Meetings")],
        [[size_label(language, bucket), bucket.meetings] for bucket in report.rooms.size_buckets],
    )


EXPORTS: dict[str, Callable[[Language, OccupancyReport], ExportTable]] = {
    "days": days_table,
    "weeks": weeks_table,
    "months": months_table,
    "parts": parts_table,
    "part-weekdays": part_weekdays_table,
    "rooms": rooms_table,
    "sizes": sizes_table,
}


def part_kind_name(language: Language, kind: ScopeKind | None) -> str:
    names = {
        ScopeKind.SITE: gettext(language, "Site"),
        ScopeKind.BUILDING: gettext(language, "Building"),
        ScopeKind.FLOOR: gettext(language, "Floor"),
        ScopeKind.ZONE: gettext(language, "Zone"),
        ScopeKind.ORGANISATION: gettext(language, "Organisation"),
        ScopeKind.ORG_UNIT: gettext(language, "Unit"),
    }
    return names[kind] if kind else ""


def size_label(language: Language, bucket: SizeBucket) -> str:
    if bucket.high is None:
        return gettext(language, "over the seats")
    low, high = round(bucket.low * 100), round(bucket.high * 100)
    return gettext(language, "%(low)s–%(high)s %% of the seats", low=low, high=high)


def week_label(language: Language, monday: date) -> str:
    """A week by its Monday: ``6 Jan``."""
    return format_date(monday, "d MMM", locale=babel_locale(language))


def month_label(language: Language, month: date) -> str:
    """``Jan 2027`` / ``Jan 2027``."""
    return format_date(month, "MMM y", locale=babel_locale(language))


def _summary_headers(language: Language) -> list[str]:
    _ = _words(language)
    return [
        _("Working days"),
        _("Desks"),
        _("Peak"),
        _("Mean"),
        _("85th percentile"),
        _("Mean checked in"),
        _("No-show rate"),
        _("Mean utilisation"),
        _("Peak utilisation"),
    ]


def _summary_cells(summary: OccupancySummary) -> list[Cell]:
    return [
        summary.working_days,
        summary.desks,
        summary.peak_booked,
        round(summary.mean_booked, 1),
        summary.percentile_85_booked,
        round(summary.mean_checked_in, 1),
        round(summary.no_show_rate, 4),
        round(summary.mean_utilisation, 4),
        round(summary.peak_utilisation, 4),
    ]


def _counts(day: OccupancyDay) -> list[Cell]:
    if not day.counted:
        return [None, None, None]
    return [day.booked, day.checked_in, day.no_shows]


def _booked(day: OccupancyDay | None) -> int | None:
    return day.booked if day is not None and day.counted else None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _words(language: Language) -> Callable[[str], str]:
    def words(message: str) -> str:
        return gettext(language, message)

    return words
