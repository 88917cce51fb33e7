"""Charts drawn on the server as SVG, each shown with its numbers as a table: no JavaScript, nothing from a CDN.

Three kinds, each a pure function from plain numbers and labels to a ``<figure>`` (:class:`~markupsafe.Markup`)::

    column_chart   people per day as columns (a second series drawn inside the first, e.g. checked in within
                   booked), against a limit (the seats, one for all or one per column), with an optional range
                   (whiskers: a forecast's likely low and high) and flagged columns (days at risk)
    line_chart     one to three series over ordered categories (the trend by month), with an optional limit
    heatmap        rows × columns of values (weekday × week, building × weekday), coloured in five steps of the
                   largest value, or of each row's limit when one is given (cells above it in the danger colour)

Every figure has the same parts, so every chart is accessible the same way:

- a visible caption (``<figcaption id="{id}-caption">``) that names the ``<svg role="img">`` through
  ``aria-labelledby``, and a ``<desc>`` (the sentence the caller writes: what the chart shows and its main
  finding) that describes it through ``aria-describedby``;
- a legend in HTML (text wraps, contrast is checked like all text), each swatch beside its words;
- the data table: a ``<table>`` with a caption and ``th scope`` for every header, in a ``<details>`` under the
  chart, in a box that scrolls sideways on a phone (focusable, so a keyboard can scroll it);
- optional download links for the table (``downloads``: see :mod:`smartoffice.web.table_export`).

The SVG has a ``viewBox`` and ``width="100%"``: it shrinks to a 390 px phone and is capped in width by the page's
CSS (``templates/capacity/_chart.css``, which pages include in their style block). Colours are presentation
attributes (the pages' Content-Security-Policy forbids ``style=``), each with at least 3:1 contrast against the
white card (WCAG 1.4.11), and text on a heatmap cell takes the darker or the lighter ink, whichever contrasts more.
Values are never told by colour alone: the table has every number, and the heatmap writes each cell's value.

What a chart means is decided here; how it is drawn (the shared figure, the axis, SVG primitives, the colours) is in
:mod:`smartoffice.web.chart_svg`.
"""

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from babel.numbers import format_percent
from markupsafe import Markup, escape

from smartoffice import formats
from smartoffice.i18n import Language, gettext
from smartoffice.web import chart_svg as svg
from smartoffice.web.chart_svg import (
    BAND_COLOUR,
    FONT,
    HEAT_STEPS,
    LIMIT_COLOUR,
    LINE_COLOURS,
    LINE_DASHES,
    MUTED,
    SERIES_COLOURS,
    WIDTH,
    Download,
    ValueFormat,
)

__all__ = ["Band", "Download", "Limit", "Series", "ValueFormat", "column_chart", "heatmap", "line_chart", "percent"]
"""``Download`` and ``ValueFormat`` are defined in :mod:`smartoffice.web.chart_svg` and belong to this API too."""

_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


@dataclass(frozen=True, slots=True)
class Series:
    """A named row of values, one per category; ``None`` where there is no value (a closed day)."""

    name: str
    values: Sequence[float | None]


@dataclass(frozen=True, slots=True)
class Limit:
    """What the values are held against (the seats): one value for all, or one per category (column charts, line
    charts) or per row (heatmaps); ``None`` where there is none."""

    name: str
    values: float | Sequence[float | None]

    def at(self, index: int) -> float | None:
        if isinstance(self.values, int | float):
            return float(self.values)
        value = self.values[index] if index < len(self.values) else None
        return None if value is None else float(value)

    @property
    def is_constant(self) -> bool:
        return isinstance(self.values, int | float)


@dataclass(frozen=True, slots=True)
class Band:
    """A range per category (a forecast's low and high), drawn as whiskers."""

    name: str
    low: Sequence[float | None]
    high: Sequence[float | None]


def column_chart(
    language: Language,
    *,
    chart_id: str,
    caption: str,
    description: str,
    category_name: str,
    categories: Sequence[str],
    series: Sequence[Series],
    axis_labels: Sequence[str] | None = None,
    limit: Limit | None = None,
    band: Band | None = None,
    flagged: Sequence[bool] | None = None,
    flag_name: str = "",
    value_format: ValueFormat | None = None,
    downloads: Sequence[Download] = (),
    table_open: bool = False,
) -> Markup:
    """Columns per category: the first series full width, a second one narrower inside it (a part of the first,
    as checked in is of booked). ``axis_labels`` (one per category, ``""`` for none) label the axis; by default
    about six categories are labelled. ``flagged`` columns are drawn in the danger colour, marked ``!``, and
    named ``flag_name`` in the table."""
    _check(chart_id, categories, series)
    if not 1 <= len(series) <= 2:
        raise ValueError("a column chart draws one or two series")
    fmt = value_format or svg.number(language)
    n = len(categories)
    ticks = _scale(series, limit, n, band)
    top = ticks[-1]
    plot = svg.Plot(left=svg.axis_width(fmt, ticks), top_margin=14, height=150, bottom=30)
    body: list[Markup] = [svg.y_axis(plot, ticks, fmt, labelled=bool(n))]
    slot = plot.width / n if n else 0.0
    for index in range(n):
        x = plot.left + index * slot
        for order, one in enumerate(series):
            value = one.values[index]
            if value is None:
                continue
            share = 0.78 if order == 0 else 0.42
            width = max(slot * share, 0.8)
            colour = SERIES_COLOURS[order]
            if order == 0 and flagged and flagged[index]:
                colour = LIMIT_COLOUR
            body.append(
                svg.rect(x + (slot - width) / 2, plot.y(value, top), width, plot.y(0, top) - plot.y(value, top), colour)
            )
        if flagged and flagged[index]:
            peak = max([v for v in (s.values[index] for s in series) if v is not None], default=0.0)
            if band and band.high[index] is not None:
                peak = max(peak, band.high[index] or 0.0)
            body.append(svg.text(x + slot / 2, plot.y(peak, top) - 3, "!", anchor="middle", weight="700"))
        if band:
            low, high = band.low[index], band.high[index]
            if low is not None and high is not None:
                body.append(svg.whisker(x + slot / 2, plot.y(low, top), plot.y(high, top), min(slot * 0.3, 8)))
    if limit:
        body.append(_limit_path(plot, limit, n, slot, top))
    body.append(svg.x_labels(plot, categories, axis_labels, slot))
    if not n:
        body.append(svg.no_data(language, plot))
    legend = [svg.swatch(one.name, SERIES_COLOURS[order]) for order, one in enumerate(series)]
    if band:
        legend.append(svg.swatch(band.name, BAND_COLOUR, kind="whisker"))
    if limit:
        legend.append(svg.swatch(limit.name, LIMIT_COLOUR, kind="line"))
    if flagged and any(flagged):
        legend.append(svg.swatch(flag_name, LIMIT_COLOUR))
    headers = [one.name for one in series]
    if band:
        headers += [
            gettext(language, "%(name)s: low", name=band.name),
            gettext(language, "%(name)s: high", name=band.name),
        ]
    if limit:
        headers.append(limit.name)
    if flagged:
        headers.append(flag_name)
    rows = []
    for index, category in enumerate(categories):
        cells = [svg.cell(one.values[index], fmt) for one in series]
        if band:
            cells += [svg.cell(band.low[index], fmt), svg.cell(band.high[index], fmt)]
        if limit:
            cells.append(svg.cell(limit.at(index), fmt))
        if flagged:
            cells.append(escape(gettext(language, "yes")) if flagged[index] else Markup(""))
        rows.append((category, cells))
    return svg.figure(
        language,
        chart_id=chart_id,
        caption=caption,
        description=description,
        view_height=plot.total_height,
        body=body,
        legend=legend,
        table=svg.table(language, chart_id, caption, category_name, headers, rows),
        downloads=downloads,
        table_open=table_open,
    )


def line_chart(
    language: Language,
    *,
    chart_id: str,
    caption: str,
    description: str,
    category_name: str,
    categories: Sequence[str],
    series: Sequence[Series],
    axis_labels: Sequence[str] | None = None,
    limit: Limit | None = None,
    value_format: ValueFormat | None = None,
    downloads: Sequence[Download] = (),
    table_open: bool = False,
) -> Markup:
    """One to three series over ordered categories (months), each a line with a marker at every value; a missing
    value breaks its line."""
    _check(chart_id, categories, series)
    if not 1 <= len(series) <= len(LINE_COLOURS):
        raise ValueError("a line chart draws one to three series")
    fmt = value_format or svg.number(language)
    n = len(categories)
    ticks = _scale(series, limit, n)
    top = ticks[-1]
    plot = svg.Plot(left=svg.axis_width(fmt, ticks), top_margin=14, height=150, bottom=30)
    slot = plot.width / n if n else 0.0
    body: list[Markup] = [svg.y_axis(plot, ticks, fmt, labelled=bool(n))]
    if limit:
        body.append(_limit_path(plot, limit, n, slot, top))
    for order, one in enumerate(series):
        colour, dash = LINE_COLOURS[order], LINE_DASHES[order]
        segments: list[list[tuple[float, float]]] = [[]]
        for index, value in enumerate(one.values):
            if value is None:
                segments.append([])
                continue
            segments[-1].append((plot.left + (index + 0.5) * slot, plot.y(value, top)))
        for points in segments:
            if len(points) > 1:
                body.append(
                    Markup('<polyline points="{}" fill="none" stroke="{}" stroke-width="2"{}/>').format(
                        " ".join(f"{x:.1f},{y:.1f}" for x, y in points),
                        colour,
                        Markup(' stroke-dasharray="{}"').format(dash) if dash else "",
                    )
                )
            for x, y in points:
                body.append(svg.marker(order, x, y, colour))
    body.append(svg.x_labels(plot, categories, axis_labels, slot))
    if not n:
        body.append(svg.no_data(language, plot))
    legend = [
        svg.swatch(one.name, LINE_COLOURS[order], kind="line", dash=LINE_DASHES[order])
        for order, one in enumerate(series)
    ]
    if limit:
        legend.append(svg.swatch(limit.name, LIMIT_COLOUR, kind="line", dash="5 3"))
    headers = [one.name for one in series] + ([limit.name] if limit else [])
    rows = [
        (
            category,
            [svg.cell(one.values[index], fmt) for one in series] + ([svg.cell(limit.at(index), fmt)] if limit else []),
        )
        for index, category in enumerate(categories)
    ]
    return svg.figure(
        language,
        chart_id=chart_id,
        caption=caption,
        description=description,
        view_height=plot.total_height,
        body=body,
        legend=legend,
        table=svg.table(language, chart_id, caption, category_name, headers, rows),
        downloads=downloads,
        table_open=table_open,
    )


def heatmap(
    language: Language,
    *,
    chart_id: str,
    caption: str,
    description: str,
    row_name: str,
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[float | None]],
    row_links: Sequence[str | None] | None = None,
    limit: Limit | None = None,
    over_name: str = "",
    value_format: ValueFormat | None = None,
    downloads: Sequence[Download] = (),
    table_open: bool = False,
) -> Markup:
    """``values[row][column]``, each cell coloured in one of five steps and showing its value. Without a limit the
    steps divide the largest value; with one (per row, e.g. each building's seats) they divide the row's limit,
    and a cell above it takes the danger colour and is marked ``over_name`` in the table. ``row_links`` make the
    table's row headers links (drilling down)."""
    if not _ID.fullmatch(chart_id):
        raise ValueError(f"not an HTML id: {chart_id!r}")
    if len(values) != len(rows) or any(len(row) != len(columns) for row in values):
        raise ValueError("values must have one row per row label and one value per column")
    fmt = value_format or svg.number(language)
    largest = max((v for row in values for v in row if v is not None), default=0.0)
    # the row labels take what their longest needs, between a seventh and a third of the width
    label_width = min(max(max((len(r) for r in rows), default=0) * FONT * 0.58 + 8, WIDTH / 7), WIDTH / 3)
    column_width = (WIDTH - label_width - 4) / len(columns) if columns else 0.0
    cell_height, header = 24.0, 18.0
    every = max(1, math.ceil(max((len(c) for c in columns), default=0) * 10 * 0.58 / max(column_width, 1)))
    body: list[Markup] = []
    for c, name in enumerate(columns):
        if c % every:
            continue  # too narrow to name every column: the table names them all
        body.append(
            svg.text(
                label_width + (c + 0.5) * column_width,
                header - 6,
                svg.fit(name, column_width * every, size=10),
                anchor="middle",
                fill=MUTED,
                size=10,
            )
        )
    for r, name in enumerate(rows):
        y = header + r * cell_height
        body.append(svg.text(label_width - 4, y + cell_height / 2 + 4, svg.fit(name, label_width - 6), anchor="end"))
        bound = limit.at(r) if limit else None
        for c in range(len(columns)):
            value = values[r][c]
            x = label_width + c * column_width
            fill = svg.heat_colour(value, bound if bound is not None else largest, over=svg.is_over(value, bound))
            body.append(svg.rect(x + 1, y + 1, column_width - 2, cell_height - 2, fill))
            if value is not None and column_width >= 18:
                body.append(
                    svg.text(
                        x + column_width / 2,
                        y + cell_height / 2 + 4,
                        svg.fit(fmt(value), column_width - 2),
                        anchor="middle",
                        fill=svg.ink_on(fill),
                        size=11,
                    )
                )
    view_height = header + len(rows) * cell_height + 4
    if not rows or not columns:
        view_height = 60.0
        body.append(svg.text(WIDTH / 2, 34, gettext(language, "No data for this range"), anchor="middle", fill=MUTED))
    legend = [
        Markup('<li class="chart__scale">{} <span class="chart__steps">{}</span> {}</li>').format(
            fmt(0),
            Markup("").join(svg.swatch_svg(colour) for colour in HEAT_STEPS),
            limit.name if limit else fmt(largest),
        )
    ]
    if limit:
        legend.append(svg.swatch(over_name, LIMIT_COLOUR))
    headers = list(columns) + ([limit.name] if limit and not limit.is_constant else [])
    table_rows: list[tuple[str | Markup, list[Markup]]] = []
    for r, name in enumerate(rows):
        bound = limit.at(r) if limit else None
        cells = []
        for value in values[r]:
            cell = svg.cell(value, fmt)
            if svg.is_over(value, bound):
                cell = Markup('{} <span class="chart__over">({})</span>').format(cell, over_name)
            cells.append(cell)
        if limit and not limit.is_constant:
            cells.append(svg.cell(bound, fmt))
        link = row_links[r] if row_links else None
        table_rows.append((Markup('<a href="{}">{}</a>').format(link, name) if link else name, cells))
    return svg.figure(
        language,
        chart_id=chart_id,
        caption=caption,
        description=description,
        view_height=view_height,
        body=body,
        legend=legend,
        table=svg.table(language, chart_id, caption, row_name, headers, table_rows),
        downloads=downloads,
        table_open=table_open,
    )


def _scale(series: Sequence[Series], limit: Limit | None, n: int, band: Band | None = None) -> list[float]:
    """The value axis's ticks, from 0 to a round number at or above every value, limit and range drawn."""
    drawn = [v for one in series for v in one.values if v is not None]
    if limit:
        drawn += [v for i in range(n) if (v := limit.at(i)) is not None]
    if band:
        drawn += [v for v in band.high if v is not None]
    return svg.ticks(max(drawn, default=0.0), whole=all(float(v).is_integer() for v in drawn))


def _limit_path(plot: svg.Plot, limit: Limit, n: int, slot: float, top: float) -> Markup:
    if limit.is_constant:
        y = plot.y(limit.at(0) or 0.0, top)
        segments = [(plot.left, plot.left + plot.width, y)]
    else:
        segments = [
            (plot.left + i * slot, plot.left + (i + 1) * slot, plot.y(value, top))
            for i in range(n)
            if (value := limit.at(i)) is not None
        ]
    return Markup("").join(
        Markup(
            '<line x1="{:.1f}" x2="{:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="{}" stroke-width="2"'
            ' stroke-dasharray="5 3"/>'
        ).format(x1, x2, LIMIT_COLOUR, y=y)
        for x1, x2, y in segments
    )


def percent(language: Language) -> ValueFormat:
    """A share (0.853) as a whole percentage (``85 %`` / ``85%``), in the language's way."""

    def formatted(value: float) -> str:
        return format_percent(value, locale=formats.babel_locale(language))

    return formatted


def _check(chart_id: str, categories: Sequence[str], series: Sequence[Series]) -> None:
    if not _ID.fullmatch(chart_id):
        raise ValueError(f"not an HTML id: {chart_id!r}")
    for one in series:
        if len(one.values) != len(categories):
            raise ValueError(f"series {one.name!r} has {len(one.values)} values for {len(categories)} categories")
