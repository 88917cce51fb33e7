"""What the occupancy dashboard (``/capacity``) shows of an :class:`OccupancyReport`: the summary figures, the
charts (smartoffice/web/charts.py) and the rows of the breakdown and rooms tables, in the page's language.

The charts' tables and the page's tables are built from :mod:`smartoffice.web.capacity_tables`, the same rows the
downloads carry. Nothing here reads the database: the report is the service's answer.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from markupsafe import Markup

from smartoffice import formats
from smartoffice.i18n import Language, gettext
from smartoffice.planning.occupancy_report import OccupancyReport, OccupancyScope, ScopePart
from smartoffice.web import charts
from smartoffice.web.capacity_tables import (
    days_table,
    month_label,
    part_kind_name,
    size_label,
    week_label,
    weekday_means,
    weekday_rows,
)
from smartoffice.web.charts import Download, Limit, Series
from smartoffice.web.table_export import EXPORT_FORMATS

PATH = "/capacity"


@dataclass(frozen=True, slots=True)
class Figure:
    """One summary figure: what it is, its value as people read it and as a number (``data-value``, for tests and
    scripts), and what it is measured against."""

    key: str
    label: str
    text: str
    value: float
    note: str = ""


@dataclass(frozen=True, slots=True)
class PartRow:
    part: ScopePart
    url: str | None
    """Drill down: the part's own dashboard (``None``: a zone, the finest place, still has a page)."""
    mean: str
    peak: str
    percentile_85: str
    mean_utilisation: str
    no_show_rate: str


@dataclass(frozen=True, slots=True)
class RoomRow:
    name: str
    where: str
    capacity: int
    meetings: int
    hours_booked: str
    bookable_hours: str
    utilisation: str
    mean_size: str


@dataclass(frozen=True, slots=True)
class Query:
    """The dashboard's query (scope and range), as links carry it."""

    scope: OccupancyScope
    first: date
    last: date

    def url(self, scope: OccupancyScope | None = None, **extra: str) -> str:
        chosen = scope or self.scope
        fields = {"scope": scope_value(chosen), "from": self.first.isoformat(), "to": self.last.isoformat(), **extra}
        return f"{PATH}?{urlencode(fields)}"

    def downloads(self, table: str) -> list[Download]:
        return [Download(f.upper(), self.url(export=table, format=f)) for f in EXPORT_FORMATS]


def scope_value(scope: OccupancyScope) -> str:
    """``building-3``: a scope as the form's picker and the links name it."""
    return f"{scope.kind.value}-{scope.id}"


def figures(language: Language, report: OccupancyReport) -> list[Figure]:
    summary = report.summary
    number = _number(language)
    percent = charts.percent(language)
    desks = summary.desks

    def of_desks(share: float) -> str:
        return gettext(language, "%(share)s of the desks", share=percent(share)) if desks else ""

    found = [
        Figure("desks", gettext(language, "Desks"), number(desks), desks),
        Figure(
            "peak",
            gettext(language, "Peak"),
            number(summary.peak_booked),
            summary.peak_booked,
            of_desks(summary.peak_utilisation),
        ),
        Figure(
            "mean",
            gettext(language, "Mean"),
            number(round(summary.mean_booked, 1)),
            summary.mean_booked,
            of_desks(summary.mean_utilisation),
        ),
        Figure(
            "percentile-85",
            gettext(language, "85th percentile"),
            number(summary.percentile_85_booked),
            summary.percentile_85_booked,
            of_desks(summary.percentile_85_utilisation),
        ),
        Figure(
            "utilisation",
            gettext(language, "Utilisation"),
            percent(summary.mean_utilisation),
            summary.mean_utilisation,
            gettext(language, "mean people booked ÷ desks"),
        ),
        Figure(
            "no-show-rate",
            gettext(language, "No-show rate"),
            percent(summary.no_show_rate),
            summary.no_show_rate,
            gettext(
                language,
                "%(count)s of %(booked)s bookings",
                count=number(summary.no_shows_total),
                booked=number(summary.booked_total),
            ),
        ),
    ]
    if summary.headcount is not None and summary.mean_headcount_share is not None:
        found.append(
            Figure(
                "headcount-share",
                gettext(language, "Share of the staff"),
                percent(summary.mean_headcount_share),
                summary.mean_headcount_share,
                gettext(language, "mean people booked ÷ %(count)s staff", count=number(summary.headcount)),
            )
        )
    return found


def per_day_chart(language: Language, report: OccupancyReport, query: Query) -> Markup:
    table = days_table(language, report)
    busiest = max(report.working_days, key=lambda d: d.booked, default=None)
    description = gettext(
        language,
        "People booked and checked in on each day from %(first)s to %(last)s, against %(desks)s desks.",
        first=formats.long_date(language, report.first),
        last=formats.long_date(language, report.last),
        desks=_number(language)(report.desks),
    )
    if busiest is not None and busiest.booked:
        description += " " + gettext(
            language,
            "The busiest working day was %(day)s with %(count)s people.",
            day=formats.long_date(language, busiest.day),
            count=_number(language)(busiest.booked),
        )
    mondays = [d.day for d in report.days if d.day.weekday() == 0]
    every = max(1, -(-len(mondays) // 6))
    labelled = set(mondays[::every])
    return charts.column_chart(
        language,
        chart_id="per-day",
        caption=table.title,
        description=description,
        category_name=gettext(language, "Day"),
        categories=[formats.short_date(language, d.day) for d in report.days],
        axis_labels=[week_label(language, d.day) if d.day in labelled else "" for d in report.days],
        series=[
            Series(gettext(language, "Booked"), [d.booked if d.counted else None for d in report.days]),
            Series(gettext(language, "Checked in"), [d.checked_in if d.counted else None for d in report.days]),
        ],
        limit=Limit(gettext(language, "Desks"), report.desks) if report.desks else None,
        downloads=query.downloads("days"),
    )


def weeks_chart(language: Language, report: OccupancyReport, query: Query) -> Markup:
    rows = weekday_rows(report)
    values = [
        [None if (day := week.days[n]) is None or not day.counted else day.booked for week in report.heatmap]
        for n in rows
    ]
    return charts.heatmap(
        language,
        chart_id="weeks",
        caption=gettext(language, "People booked by weekday and week"),
        description=gettext(
            language,
            "A row per weekday and a column per week (named by its Monday): the people booked that day, coloured by "
            "their share of the %(desks)s desks; days above the desks are red.",
            desks=_number(language)(report.desks),
        ),
        row_name=gettext(language, "Weekday"),
        rows=[formats.weekday(language, n) for n in rows],
        columns=[week_label(language, week.monday) for week in report.heatmap],
        values=values,
        limit=Limit(gettext(language, "Desks"), report.desks) if report.desks else None,
        over_name=gettext(language, "above the desks"),
        downloads=query.downloads("weeks"),
    )


def months_chart(language: Language, report: OccupancyReport, query: Query) -> Markup:
    months = report.months
    return charts.line_chart(
        language,
        chart_id="months",
        caption=gettext(language, "Trend by month"),
        description=gettext(
            language,
            "The peak, the 85th percentile and the mean of people booked on working days, by month, against "
            "%(desks)s desks.",
            desks=_number(language)(report.desks),
        ),
        category_name=gettext(language, "Month"),
        categories=[month_label(language, m.month) for m in months],
        series=[
            Series(
                gettext(language, "Peak"), [_if_counted(m.summary.working_days, m.summary.peak_booked) for m in months]
            ),
            Series(
                gettext(language, "85th percentile"),
                [_if_counted(m.summary.working_days, m.summary.percentile_85_booked) for m in months],
            ),
            Series(
                gettext(language, "Mean"),
                [_if_counted(m.summary.working_days, round(m.summary.mean_booked, 1)) for m in months],
            ),
        ],
        limit=Limit(gettext(language, "Desks"), report.desks) if report.desks else None,
        downloads=query.downloads("months"),
    )


def parts_chart(language: Language, report: OccupancyReport, query: Query) -> Markup | None:
    """The parts by weekday (mean people booked against each part's desks), with drill-down links."""
    if not report.parts:
        return None
    kind = part_kind_name(language, report.part_kind)
    return charts.heatmap(
        language,
        chart_id="part-weekdays",
        caption=gettext(language, "Mean people booked per weekday, by %(part)s", part=kind.lower()),
        description=gettext(
            language,
            "A row per %(part)s and a column per weekday: the mean people booked on that weekday, coloured by their "
            "share of its desks; means above the desks are red.",
            part=kind.lower(),
        ),
        row_name=kind,
        rows=[p.ref.name for p in report.parts],
        columns=[formats.weekday(language, n) for n in range(5)],
        values=[weekday_means(p.days) for p in report.parts],
        row_links=[_drill(query, p) for p in report.parts],
        limit=Limit(gettext(language, "Desks"), [p.desks or None for p in report.parts]),
        over_name=gettext(language, "above the desks"),
        downloads=query.downloads("part-weekdays"),
    )


def sizes_chart(language: Language, report: OccupancyReport, query: Query) -> Markup | None:
    buckets = report.rooms.size_buckets
    if not report.rooms.rooms:
        return None
    return charts.column_chart(
        language,
        chart_id="sizes",
        caption=gettext(language, "Meeting size against room capacity"),
        description=gettext(
            language,
            "Meetings by their attendees as a share of the room's seats: many small meetings in large rooms mean "
            "the rooms are bigger than the meetings need.",
        ),
        category_name=gettext(language, "Attendees ÷ seats"),
        categories=[size_label(language, b) for b in buckets],
        axis_labels=[_short_size(b.low, b.high) for b in buckets],
        series=[Series(gettext(language, "Meetings"), [b.meetings for b in buckets])],
        downloads=query.downloads("sizes"),
    )


def part_rows(language: Language, report: OccupancyReport, query: Query) -> list[PartRow]:
    number, percent = _number(language), charts.percent(language)
    return [
        PartRow(
            part=p,
            url=_drill(query, p),
            mean=number(round(p.summary.mean_booked, 1)),
            peak=number(p.summary.peak_booked),
            percentile_85=number(p.summary.percentile_85_booked),
            mean_utilisation=percent(p.summary.mean_utilisation),
            no_show_rate=percent(p.summary.no_show_rate),
        )
        for p in report.parts
    ]


def room_rows(language: Language, report: OccupancyReport) -> list[RoomRow]:
    number, percent = _number(language), charts.percent(language)
    return [
        RoomRow(
            name=room.name or room.code,
            where=f"{room.building_name} · {room.floor_name}",
            capacity=room.capacity,
            meetings=room.meetings,
            hours_booked=number(round(room.hours_booked, 1)),
            bookable_hours=number(round(room.bookable_hours, 1)),
            utilisation=percent(room.utilisation),
            mean_size=percent(room.mean_size_ratio) if room.mean_size_ratio is not None else "—",
        )
        for room in report.rooms.rooms
    ]


def range_text(language: Language, first: date, last: date) -> str:
    return gettext(
        language,
        "%(first)s to %(last)s",
        first=formats.long_date(language, first),
        last=formats.long_date(language, last),
    )


def _drill(query: Query, part: ScopePart) -> str:
    return query.url(part.ref.scope)


def _short_size(low: float, high: float | None) -> str:
    return f"> {round(low * 100)} %" if high is None else f"≤ {round(high * 100)} %"


def _if_counted(working_days: int, value: float) -> float | None:
    """A month without a counted working day has no figure (rather than a misleading 0)."""
    return value if working_days else None


def _number(language: Language) -> Callable[[float], str]:
    def number(value: float) -> str:
        return formats.number(language, value)

    return number
