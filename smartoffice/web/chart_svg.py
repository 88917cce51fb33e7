"""The drawing behind smartoffice/web/charts.py: the figure every chart shares (caption, SVG, legend, table,
downloads), the value axis and its round ticks, SVG primitives, and the colours with their contrast.

Coordinates are in the viewBox's units (:data:`WIDTH` wide); colours are presentation attributes (the pages'
Content-Security-Policy forbids ``style=``). Nothing here knows what a chart means: :mod:`smartoffice.web.charts`
decides what to draw.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from smartoffice import formats
from smartoffice.i18n import Language, gettext

WIDTH = 420
"""The viewBox's width: about a phone's width in CSS pixels, so the text is near its nominal size there."""
FONT = 12
INK = "#17211e"
MUTED = "#56645f"
GRID = "#dde3df"
BACKGROUND = "#ffffff"
LIMIT_COLOUR = "#b42318"
"""The limit line and cells or columns above it (the pages' ``--danger``)."""
SERIES_COLOURS = ("#6a9c90", "#08392f", "#1d4ed8")
"""Columns: the first series (booked) light, the second (checked in, drawn inside it) dark; 3.1:1 and more
against white, 4.1:1 between the two."""
LINE_COLOURS = ("#0d5c4b", "#1d4ed8", "#a35a00")
LINE_DASHES = ("", "6 3", "2 3")
"""Lines differ by dash as well as by colour."""
BAND_COLOUR = INK
HEAT_STEPS = ("#e3f1ec", "#b5d9cc", "#7fbfab", "#2e7d68", "#0d5c4b")
"""Five steps from few to many (a step is easier to read than a continuous shade)."""
EMPTY_CELL = "#f4f6f4"

ValueFormat = Callable[[float], str]


@dataclass(frozen=True, slots=True)
class Download:
    """A link under a chart's table: ``text`` is what it says (``CSV``), the caption is added for screen readers."""

    text: str
    href: str


def figure(
    language: Language,
    *,
    chart_id: str,
    caption: str,
    description: str,
    view_height: float,
    body: Sequence[Markup],
    legend: Sequence[Markup],
    table: Markup,
    downloads: Sequence[Download],
    table_open: bool,
) -> Markup:
    svg = Markup(
        '<svg class="chart__svg" viewBox="0 0 {w} {h}" width="100%" role="img" focusable="false"'
        ' aria-labelledby="{id}-caption" aria-describedby="{id}-desc" font-size="{font}" fill="{ink}">'
        '<desc id="{id}-desc">{desc}</desc>{body}</svg>'
    ).format(
        w=WIDTH, h=f"{view_height:.0f}", id=chart_id, font=FONT, ink=INK, desc=description, body=Markup("").join(body)
    )
    links = Markup("")
    if downloads:
        links = Markup('<p class="chart__downloads small">{} {}</p>').format(
            gettext(language, "Download the table:"),
            Markup(" · ").join(
                Markup('<a href="{}" download="">{}<span class="visually-hidden"> ({})</span></a>').format(
                    d.href, d.text, caption
                )
                for d in downloads
            ),
        )
    return Markup(
        '<figure class="chart" id="{id}"><figcaption class="chart__caption" id="{id}-caption">{caption}</figcaption>'
        '{svg}<ul class="chart__legend small">{legend}</ul>'
        '<details class="chart__data"{open}><summary>{summary}</summary>{table}</details>{links}</figure>'
    ).format(
        id=chart_id,
        caption=caption,
        svg=svg,
        legend=Markup("").join(legend),
        open=Markup(' open=""') if table_open else "",
        summary=gettext(language, "The numbers as a table"),
        table=table,
        links=links,
    )


def table(
    language: Language,
    chart_id: str,
    caption: str,
    first_header: str,
    headers: Sequence[str],
    rows: Sequence[tuple[str | Markup, Sequence[Markup]]],
) -> Markup:
    head = Markup("").join(Markup('<th scope="col">{}</th>').format(h) for h in [first_header, *headers])
    if rows:
        body = Markup("").join(
            Markup('<tr><th scope="row">{}</th>{}</tr>').format(
                label, Markup("").join(Markup("<td>{}</td>").format(c) for c in cells)
            )
            for label, cells in rows
        )
    else:
        body = Markup('<tr><td colspan="{}">{}</td></tr>').format(
            len(headers) + 1, gettext(language, "No data for this range")
        )
    return Markup(
        '<div class="table-scroll" tabindex="0" role="region" aria-labelledby="{id}-table-caption">'
        '<table class="chart__table"><caption id="{id}-table-caption">{caption}</caption>'
        "<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    ).format(id=chart_id, caption=caption, head=head, body=body)


@dataclass(frozen=True, slots=True)
class Plot:
    left: float
    top_margin: float
    height: float
    bottom: float

    @property
    def width(self) -> float:
        return WIDTH - self.left - 8

    @property
    def total_height(self) -> float:
        return self.top_margin + self.height + self.bottom

    def y(self, value: float, top: float) -> float:
        """The SVG y of ``value`` on a scale from 0 to ``top``."""
        share = value / top if top else 0.0
        return self.top_margin + self.height * (1 - min(max(share, 0.0), 1.0))


def ticks(largest: float, *, whole: bool = False) -> list[float]:
    """Two to six steps of 1, 2, 2.5 or 5 × 10ⁿ (whole steps for ``whole`` numbers) covering ``largest``, the
    tightest fit (``[0, 1]`` for nothing): 140 → 0, 25 … 150; 7 → 0, 2 … 8; 0.83 → 0, 0.2 … 1."""
    if largest <= 0:
        return [0.0, 1.0]
    power = 10.0 ** math.floor(math.log10(largest))
    best: tuple[float, int] | None = None
    for scale in (power / 10, power, power * 10):
        for base in (1.0, 2.0, 2.5, 5.0):
            step = base * scale
            if whole and (step < 1 or not step.is_integer()):
                continue
            count = math.ceil(largest / step - 1e-9)
            if 2 <= count <= 6 and (best is None or count * step < best[0] * best[1] - 1e-9):
                best = (step, count)
    step, count = best or (max(1.0, largest) if whole else largest, 1)
    return [round(step * i, 10) for i in range(count + 1)]


def y_axis(plot: Plot, ticks: Sequence[float], fmt: ValueFormat, *, labelled: bool = True) -> Markup:
    parts = []
    for value in ticks:
        y = plot.y(value, ticks[-1])
        parts.append(
            Markup('<line x1="{}" x2="{}" y1="{y}" y2="{y}" stroke="{}" stroke-width="1"/>').format(
                f"{plot.left:.1f}", f"{plot.left + plot.width:.1f}", GRID if value else MUTED, y=f"{y:.1f}"
            )
        )
        if labelled:
            parts.append(text(plot.left - 4, y + 4, fmt(value), anchor="end", fill=MUTED))
    return Markup('<g class="chart__axis">{}</g>').format(Markup("").join(parts))


def axis_width(fmt: ValueFormat, ticks: Sequence[float]) -> float:
    return max(len(fmt(value)) for value in ticks) * FONT * 0.6 + 8


def x_labels(plot: Plot, categories: Sequence[str], axis_labels: Sequence[str] | None, slot: float) -> Markup:
    if axis_labels is None:
        every = max(1, math.ceil(len(categories) / 6))
        axis_labels = [name if index % every == 0 else "" for index, name in enumerate(categories)]
    base = plot.top_margin + plot.height
    labelled = [i for i, label in enumerate(axis_labels) if label]
    room = plot.width / max(len(labelled), 1)
    return Markup("").join(
        text(plot.left + (index + 0.5) * slot, base + 16, fit(axis_labels[index], room), anchor="middle", fill=MUTED)
        for index in labelled
    )


def whisker(x: float, y_low: float, y_high: float, cap: float) -> Markup:
    return Markup(
        '<path d="M{x:.1f},{lo:.1f}V{hi:.1f}M{a:.1f},{lo:.1f}H{b:.1f}M{a:.1f},{hi:.1f}H{b:.1f}"'
        ' stroke="{c}" stroke-width="1.5" fill="none"/>'
    ).format(x=x, lo=y_low, hi=y_high, a=x - cap / 2, b=x + cap / 2, c=BAND_COLOUR)


def marker(order: int, x: float, y: float, colour: str) -> Markup:
    if order == 0:
        return Markup('<circle cx="{:.1f}" cy="{:.1f}" r="3.5" fill="{}"/>').format(x, y, colour)
    if order == 1:
        return rect(x - 3.5, y - 3.5, 7, 7, colour)
    return Markup('<path d="M{:.1f},{:.1f}l4,7h-8z" fill="{}"/>').format(x, y - 4.5, colour)


def rect(x: float, y: float, width: float, height: float, fill: str) -> Markup:
    return Markup('<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}"/>').format(
        x, y, max(width, 0.0), max(height, 0.0), fill
    )


def text(
    x: float, y: float, words: str, *, anchor: str = "start", fill: str = INK, weight: str = "", size: int = 0
) -> Markup:
    extra = Markup("")
    if weight:
        extra += Markup(' font-weight="{}"').format(weight)
    if size:
        extra += Markup(' font-size="{}"').format(size)
    return Markup('<text x="{:.1f}" y="{:.1f}" text-anchor="{}" fill="{}"{}>{}</text>').format(
        x, y, anchor, fill, extra, words
    )


def no_data(language: Language, plot: Plot) -> Markup:
    return text(
        plot.left + plot.width / 2,
        plot.top_margin + plot.height / 2,
        gettext(language, "No data for this range"),
        anchor="middle",
        fill=MUTED,
    )


def swatch_svg(colour: str, kind: str = "box", dash: str = "") -> Markup:
    if kind == "line":
        shape = Markup('<line x1="0" x2="16" y1="7" y2="7" stroke="{}" stroke-width="2.5"{}/>').format(
            colour, Markup(' stroke-dasharray="{}"').format(dash) if dash else ""
        )
    elif kind == "whisker":
        shape = Markup('<path d="M8,1V13M4,1H12M4,13H12" stroke="{}" stroke-width="1.5" fill="none"/>').format(colour)
    else:
        shape = Markup('<rect x="1" y="1" width="14" height="12" fill="{}"/>').format(colour)
    return Markup(
        '<svg class="chart__swatch" width="16" height="14" viewBox="0 0 16 14" aria-hidden="true"'
        ' focusable="false">{}</svg>'
    ).format(shape)


def swatch(name: str, colour: str, *, kind: str = "box", dash: str = "") -> Markup:
    return Markup("<li>{} {}</li>").format(swatch_svg(colour, kind, dash), name)


def heat_colour(value: float | None, scale_top: float, *, over: bool) -> str:
    if value is None:
        return EMPTY_CELL
    if over:
        return LIMIT_COLOUR
    if scale_top <= 0:
        return HEAT_STEPS[0]
    step = min(int(value / scale_top * len(HEAT_STEPS)), len(HEAT_STEPS) - 1)
    return HEAT_STEPS[max(step, 0)]


def is_over(value: float | None, bound: float | None) -> bool:
    return value is not None and bound is not None and value > bound


def _luminance(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(one: str, other: str) -> float:
    """WCAG's contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def ink_on(fill: str) -> str:
    return INK if contrast(INK, fill) >= contrast(BACKGROUND, fill) else BACKGROUND


def fit(words: str, width: float, size: float = FONT) -> str:
    """``words`` cut to what fits ``width`` viewBox units (about 0.58 em a character), ending in ``…``."""
    room = max(int(width / (size * 0.58)), 1)
    return words if len(words) <= room else words[: max(room - 1, 1)] + "…"


def cell(value: float | None, fmt: ValueFormat) -> Markup:
    return escape(fmt(value)) if value is not None else Markup("—")


def number(language: Language) -> ValueFormat:
    """The language's way with numbers, to one decimal place: the charts' default."""

    def formatted(value: float) -> str:
        return formats.number(language, round(value, 1))

    return formatted
