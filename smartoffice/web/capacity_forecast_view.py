"""What the forecast page (``/capacity/forecast``) shows of a :class:`DemandForecast`: the days at risk, a chart per
building (expected people with their range, against the target, the days at risk flagged), the building × day
heatmap, and every figure in one table, in the page's language.

The tables the page shows and the files it exports are the same :class:`ExportTable` (``?export=days`` or
``risk``), so a download always says what the page says. Nothing here reads the database.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from markupsafe import Markup

from smartoffice import formats
from smartoffice.i18n import N_, Language, gettext, ngettext
from smartoffice.planning.forecast import BuildingForecast, DemandForecast, ForecastDay, Risk
from smartoffice.web import charts
from smartoffice.web.charts import Band, Download, Limit, Series
from smartoffice.web.table_export import EXPORT_FORMATS, Cell, ExportTable

PATH = "/capacity/forecast"


@dataclass(frozen=True, slots=True)
class ForecastQuery:
    """The page's query, as its links carry it."""

    place: str
    """``site-3`` or ``building-7``."""
    first: date
    weeks: int
    target_percent: int

    def url(self, place: str | None = None, **extra: str) -> str:
        fields = {
            "scope": place or self.place,
            "from": self.first.isoformat(),
            "weeks": str(self.weeks),
            "target": str(self.target_percent),
            **extra,
        }
        return f"{PATH}?{urlencode(fields)}"

    def downloads(self, table: str) -> list[Download]:
        return [Download(f.upper(), self.url(export=table, format=f)) for f in EXPORT_FORMATS]


def risk_text(language: Language, risk: Risk) -> str:
    texts = {
        Risk.NONE: N_("Within the target"),
        Risk.OVER_TARGET: N_("Over the target"),
        Risk.MAY_OVERFLOW: N_("May overflow"),
        Risk.OVERFLOW: N_("Overflows"),
    }
    return gettext(language, texts[risk])


def _words(language: Language) -> Callable[[str], str]:
    def words(message: str) -> str:
        return gettext(language, message)

    return words


def _headers(language: Language) -> list[str]:
    _ = _words(language)
    return [
        _("Building"),
        _("Day"),
        _("Weekday"),
        _("Expected"),
        _("Low"),
        _("High"),
        _("Desks"),
        _("Target"),
        _("Utilisation"),
        _("Booked"),
        _("Planned office"),
        _("Risk"),
        _("Holiday"),
        _("Closure"),
    ]


def _row(language: Language, names: dict[int, str], day: ForecastDay) -> list[Cell]:
    return [
        names[day.building_id],
        day.day,
        formats.weekday(language, day.day),
        day.expected,
        day.low,
        day.high,
        day.desks,
        day.target,
        round(day.utilisation, 4),
        day.booked,
        day.planned_office,
        risk_text(language, day.risk),
        day.holiday,
        day.closure,
    ]


def days_table(language: Language, forecast: DemandForecast) -> ExportTable:
    names = {b.building.id: b.building.name for b in forecast.buildings}
    return ExportTable(
        gettext(language, "Expected people per building and day"),
        _headers(language),
        [_row(language, names, day) for day in forecast.days],
    )


def risk_table(language: Language, forecast: DemandForecast) -> ExportTable:
    names = {b.building.id: b.building.name for b in forecast.buildings}
    return ExportTable(
        gettext(language, "Days at risk of overflowing"),
        _headers(language),
        [_row(language, names, day) for day in forecast.days_at_risk],
    )


EXPORTS: dict[str, Callable[[Language, DemandForecast], ExportTable]] = {"days": days_table, "risk": risk_table}


@dataclass(frozen=True, slots=True)
class Row:
    """One table row as the page shows it: the cells formatted, and the day's risk (for its mark)."""

    cells: list[str]
    risk: Risk
    building_id: int
    day: date


def table_rows(language: Language, table: ExportTable, days: list[ForecastDay]) -> list[Row]:
    percent = charts.percent(language)
    rows = []
    for cells, day in zip(table.rows, days, strict=True):
        shown = []
        for index, cell in enumerate(cells):
            if cell is None:
                shown.append("")
            elif isinstance(cell, date):
                shown.append(formats.short_date(language, cell))
            elif index == 8 and isinstance(cell, float):
                shown.append(percent(cell))
            elif isinstance(cell, int | float):
                shown.append(formats.number(language, round(cell, 1)))
            else:
                shown.append(str(cell))
        rows.append(Row(shown, day.risk, day.building_id, day.day))
    return rows


def building_chart(language: Language, building: BuildingForecast, query: ForecastQuery) -> Markup:
    days = building.days
    flagged = [d.risk != Risk.NONE for d in days]
    description = gettext(
        language,
        "People expected in %(building)s on each working day from %(first)s to %(last)s, with the range that holds "
        "nine days in ten, against the target of %(target)s people (%(desks)s desks).",
        building=building.building.name,
        first=formats.long_date(language, days[0].day),
        last=formats.long_date(language, days[-1].day),
        target=formats.number(language, round(days[0].target, 1)),
        desks=formats.number(language, building.desks),
    )
    at_risk = sum(flagged)
    if at_risk:
        description += " " + ngettext(
            language,
            "%(count)s day is at risk of overflowing.",
            "%(count)s days are at risk of overflowing.",
            at_risk,
            count=formats.number(language, at_risk),
        )
    mondays = {d.day for d in days if d.day.weekday() == 0}
    return charts.column_chart(
        language,
        chart_id=f"forecast-{building.building.id}",
        caption=gettext(language, "%(building)s: expected people per day", building=building.building.name),
        description=description,
        category_name=gettext(language, "Day"),
        categories=[formats.short_date(language, d.day) for d in days],
        axis_labels=[formats.day_month(language, d.day) if d.day in mondays else "" for d in days],
        series=[Series(gettext(language, "Expected"), [d.expected for d in days])],
        band=Band(gettext(language, "Range (90 %)"), [d.low for d in days], [d.high for d in days]),
        limit=Limit(gettext(language, "Target"), [d.target for d in days]),
        flagged=flagged,
        flag_name=gettext(language, "At risk"),
        value_format=lambda value: formats.number(language, round(value, 1)),
        downloads=query.downloads("days"),
    )


def heatmap_chart(language: Language, forecast: DemandForecast, query: ForecastQuery) -> Markup:
    dates = [d.day for d in forecast.buildings[0].days] if forecast.buildings else []
    return charts.heatmap(
        language,
        chart_id="forecast-heatmap",
        caption=gettext(language, "Expected people by building and day"),
        description=gettext(
            language,
            "Each cell is the people expected in a building on a day; the colour is their share of the building's "
            "desks, and cells above the desks are marked.",
        ),
        row_name=gettext(language, "Building"),
        rows=[b.building.name for b in forecast.buildings],
        columns=[formats.short_date(language, day) for day in dates],
        values=[[None if d.is_closed else d.expected for d in b.days] for b in forecast.buildings],
        row_links=[query.url(f"building-{b.building.id}") for b in forecast.buildings],
        limit=Limit(gettext(language, "Desks"), [b.desks for b in forecast.buildings]),
        over_name=gettext(language, "more than the desks"),
        value_format=lambda value: formats.number(language, round(value)),
        downloads=query.downloads("days"),
    )


def range_text(language: Language, forecast: DemandForecast) -> str:
    return gettext(
        language,
        "%(first)s to %(last)s",
        first=formats.long_date(language, forecast.first),
        last=formats.long_date(language, forecast.last),
    )
