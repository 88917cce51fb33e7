"""The server-drawn charts (smartoffice/web/charts.py), read back as XML: what each draws is proportional to its
numbers, every chart is named, described and shown with its table, and empty data draws an empty chart."""

import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup

from smartoffice.web.chart_svg import HEAT_STEPS, LIMIT_COLOUR, LINE_COLOURS, MUTED, SERIES_COLOURS, contrast, ticks
from smartoffice.web.charts import Band, Download, Limit, Series, column_chart, heatmap, line_chart, percent

SVG = "{http://www.w3.org/2000/svg}"


def parse(figure: Markup) -> ET.Element:
    # the SVG's namespace is implied in HTML; XML needs it said
    return ET.fromstring(str(figure).replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))


def svg_of(root: ET.Element) -> ET.Element:
    found = root.find(f"{SVG}svg")
    assert found is not None
    return found


def rects(root: ET.Element, fill: str) -> list[ET.Element]:
    return [r for r in svg_of(root).iter(f"{SVG}rect") if r.get("fill") == fill]


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in svg_of(root).iter(f"{SVG}text")]


def table_rows(root: ET.Element) -> list[list[str]]:
    table = root.find(".//table")
    assert table is not None
    return [["".join(cell.itertext()).strip() for cell in row] for row in table.iter("tr")]


def per_day(**overrides: object) -> Markup:
    arguments: dict[str, object] = {
        "chart_id": "per-day",
        "caption": "People per day",
        "description": "Booked and checked in per day against the 120 desks.",
        "category_name": "Day",
        "categories": ["Mon 1", "Tue 2", "Wed 3", "Thu 4"],
        "series": [Series("Booked", [40, 80, None, 20]), Series("Checked in", [30, 70, None, 20])],
        "limit": Limit("Desks", 120),
    }
    return column_chart("en", **{**arguments, **overrides})  # type: ignore[arg-type]


def test_a_column_chart_draws_bars_proportional_to_its_values() -> None:
    root = parse(per_day())

    booked = [float(r.get("height", "0")) for r in rects(root, SERIES_COLOURS[0])]
    checked_in = [float(r.get("height", "0")) for r in rects(root, SERIES_COLOURS[1])]

    assert len(booked) == 3  # no bar for the day without a value
    assert booked[1] == pytest.approx(2 * booked[0], abs=0.15) and booked[2] == pytest.approx(booked[0] / 2, abs=0.15)
    assert checked_in[2] == pytest.approx(booked[2], abs=0.15) and checked_in[0] < booked[0]
    bottoms = {round(float(r.get("y", "0")) + float(r.get("height", "0")), 1) for r in rects(root, SERIES_COLOURS[0])}
    assert len(bottoms) == 1  # every bar stands on the same axis


def test_the_limit_line_is_drawn_at_its_value() -> None:
    root = parse(per_day())
    svg = svg_of(root)
    limit = [line for line in svg.iter(f"{SVG}line") if line.get("stroke") == LIMIT_COLOUR]
    booked = rects(root, SERIES_COLOURS[0])

    assert len(limit) == 1
    base = float(booked[0].get("y", "0")) + float(booked[0].get("height", "0"))
    height_of_40 = float(booked[0].get("height", "0"))
    assert base - float(limit[0].get("y1", "0")) == pytest.approx(3 * height_of_40, abs=0.2)  # 120 = 3 × 40


def test_a_chart_is_named_by_its_caption_described_and_shown_with_its_table() -> None:
    root = parse(per_day(downloads=[Download("CSV", "?export=per-day&format=csv")]))
    svg = svg_of(root)
    caption = root.find("figcaption")
    desc = svg.find(f"{SVG}desc")

    assert caption is not None and caption.text == "People per day"
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == caption.get("id") == "per-day-caption"
    assert desc is not None and svg.get("aria-describedby") == desc.get("id")
    assert desc.text == "Booked and checked in per day against the 120 desks."
    assert svg.get("viewBox", "").startswith("0 0 420 ") and svg.get("width") == "100%"
    table = root.find(".//details/div/table")
    assert table is not None and "".join(table.find("caption").itertext()) == "People per day"  # type: ignore[union-attr]
    assert all(th.get("scope") in ("col", "row") for th in table.iter("th"))
    assert table_rows(root) == [
        ["Day", "Booked", "Checked in", "Desks"],
        ["Mon 1", "40", "30", "120"],
        ["Tue 2", "80", "70", "120"],
        ["Wed 3", "—", "—", "120"],
        ["Thu 4", "20", "20", "120"],
    ]
    assert {"Mon 1", "Tue 2", "Wed 3", "Thu 4", "0", "120"} <= set(texts(root))
    link = root.find(".//a[@download]")
    assert link is not None and link.get("href") == "?export=per-day&format=csv"
    assert "".join(link.itertext()) == "CSV (People per day)"


def test_empty_data_draws_an_empty_chart_that_says_so() -> None:
    root = parse(per_day(categories=[], series=[Series("Booked", [])], limit=None))
    grid = parse(heatmap("en", chart_id="h", caption="Heat", description="d", row_name="Weekday", rows=[], columns=[],
                         values=[]))  # fmt: skip

    assert rects(root, SERIES_COLOURS[0]) == []
    assert "No data for this range" in texts(root)
    assert table_rows(root)[1] == ["No data for this range"]
    assert "No data for this range" in texts(grid) and table_rows(grid)[-1] == ["No data for this range"]


def test_all_zero_values_keep_a_scale_and_draw_flat_bars() -> None:
    root = parse(per_day(series=[Series("Booked", [0, 0, 0, 0])], limit=None))

    assert [float(r.get("height", "1")) for r in rects(root, SERIES_COLOURS[0])] == [0, 0, 0, 0]
    assert "1" in texts(root)


def test_flagged_columns_and_a_range_are_drawn_and_tabled() -> None:
    root = parse(
        column_chart(
            "en",
            chart_id="forecast",
            caption="Expected",
            description="d",
            category_name="Day",
            categories=["Mon", "Tue"],
            series=[Series("Expected", [80, 130])],
            band=Band("Likely range", [70, 118], [90, 142]),
            limit=Limit("Seats", [120, 110]),
            flagged=[False, True],
            flag_name="At risk",
        )
    )

    assert len(rects(root, LIMIT_COLOUR)) == 1 and len(rects(root, SERIES_COLOURS[0])) == 1
    assert "!" in texts(root)
    assert len(list(svg_of(root).iter(f"{SVG}path"))) == 2  # a whisker per day
    assert table_rows(root) == [
        ["Day", "Expected", "Likely range: low", "Likely range: high", "Seats", "At risk"],
        ["Mon", "80", "70", "90", "120", ""],
        ["Tue", "130", "118", "142", "110", "yes"],
    ]


def test_a_line_chart_breaks_where_a_value_is_missing() -> None:
    root = parse(
        line_chart(
            "en",
            chart_id="trend",
            caption="Trend by month",
            description="d",
            category_name="Month",
            categories=["Jan", "Feb", "Mar", "Apr", "May"],
            series=[Series("Peak", [100, 50, None, 25, 75]), Series("Mean", [10, 20, 30, 40, 50])],
        )
    )
    lines = [p for p in svg_of(root).iter(f"{SVG}polyline")]
    peak = [p for p in lines if p.get("stroke") == LINE_COLOURS[0]]

    assert len(peak) == 2 and len([p for p in lines if p.get("stroke") == LINE_COLOURS[1]]) == 1
    ys = [float(point.split(",")[1]) for p in peak for point in (p.get("points") or "").split()]
    base = ys[0] + (ys[1] - ys[0]) * 2  # y of 0: 100 and 50 are a step of 50 apart
    assert base - ys[2] == pytest.approx((base - ys[0]) / 4, abs=0.2)  # 25 is a quarter of 100
    assert table_rows(root)[3] == ["Mar", "—", "30"]


def test_a_heatmap_colours_by_share_of_the_limit_and_marks_cells_above_it() -> None:
    root = parse(
        heatmap(
            "en",
            chart_id="buildings",
            caption="Building by weekday",
            description="d",
            row_name="Building",
            rows=["Tower 1", "Tower 2"],
            columns=["Mon", "Tue"],
            values=[[10, 95], [200, None]],
            row_links=["/capacity?scope=building-1", None],
            limit=Limit("Seats", [100, 150]),
            over_name="over the seats",
        )
    )
    fills = [r.get("fill") for r in svg_of(root).iter(f"{SVG}rect")]

    assert fills == [HEAT_STEPS[0], HEAT_STEPS[-1], LIMIT_COLOUR, "#f4f6f4"]
    assert {"Tower 1", "Tower 2", "Mon", "Tue", "10", "95", "200"} <= set(texts(root))
    assert table_rows(root) == [
        ["Building", "Mon", "Tue", "Seats"],
        ["Tower 1", "10", "95", "100"],
        ["Tower 2", "200 (over the seats)", "—", "150"],
    ]
    link = root.find(".//tbody/tr/th/a")
    assert link is not None and link.get("href") == "/capacity?scope=building-1"


def test_text_on_every_heatmap_colour_and_every_series_colour_has_enough_contrast() -> None:
    root = parse(
        heatmap(
            "en",
            chart_id="h",
            caption="c",
            description="d",
            row_name="r",
            rows=["a"],
            columns=list("abcdef"),
            values=[[0, 25, 45, 65, 85, 100]],
            limit=Limit("Desks", [90]),
            over_name="over",
        )
    )
    cells = list(svg_of(root).iter(f"{SVG}rect"))
    values = [t for t in svg_of(root).iter(f"{SVG}text") if t.get("font-size") and t.get("fill") != MUTED]

    assert len({c.get("fill") for c in cells}) == 6  # five steps and the over-limit colour
    for cell, text in zip(cells, values, strict=True):
        assert contrast(cell.get("fill", ""), text.get("fill", "")) >= 4.5
    for colour in (*SERIES_COLOURS, *LINE_COLOURS, LIMIT_COLOUR):
        assert contrast(colour, "#ffffff") >= 3  # WCAG 1.4.11: graphics against the white card
    assert contrast(SERIES_COLOURS[0], SERIES_COLOURS[1]) >= 3  # checked in is told apart from booked


def test_a_heatmap_too_narrow_to_name_every_column_names_some_and_tables_all() -> None:
    weeks = [f"{n} Jan" for n in range(1, 53)]
    root = parse(heatmap("en", chart_id="year", caption="A year", description="d", row_name="Weekday",
                         rows=["Monday"], columns=weeks, values=[list(range(52))]))  # fmt: skip

    named = [t for t in texts(root) if t.endswith("Jan")]
    assert 3 <= len(named) < 52 and named[0] == "1 Jan"
    assert table_rows(root)[0] == ["Weekday", *weeks]
    assert "51" not in texts(root)  # cells too narrow for their numbers: the table has them
    assert table_rows(root)[1][-1] == "51"


def test_text_is_escaped() -> None:
    figure = str(per_day(caption="<script>alert(1)</script>", categories=["<b>", "b", "c", "d"]))

    assert "<script>" not in figure and "&lt;script&gt;" in figure and "<b>" not in figure


def test_values_that_do_not_match_their_labels_are_refused() -> None:
    with pytest.raises(ValueError, match="3 values for 4 categories"):
        per_day(series=[Series("Booked", [1, 2, 3])])
    with pytest.raises(ValueError, match="one row per row label"):
        heatmap("en", chart_id="h", caption="c", description="d", row_name="r", rows=["a"], columns=["x"], values=[])
    with pytest.raises(ValueError, match="not an HTML id"):
        per_day(chart_id="per day")


def test_numbers_and_shares_are_written_in_the_language() -> None:
    root = parse(per_day(series=[Series("Booked", [1250.5, 0, 0, 0])], limit=None))
    shares = parse(per_day(series=[Series("Share", [0.853, 0.5, 0, 0])], limit=None, value_format=percent("id")))

    assert table_rows(root)[1][1] == "1,250.5"
    assert table_rows(shares)[1][1] == "85%"
    assert "100%" in texts(shares)


@pytest.mark.parametrize(
    ("largest", "whole", "expected"),
    [
        (140, True, [0, 25, 50, 75, 100, 125, 150]),
        (7, True, [0, 2, 4, 6, 8]),
        (3, True, [0, 1, 2, 3]),
        (0, True, [0, 1]),
        (0.83, False, [0, 0.2, 0.4, 0.6, 0.8, 1]),
        (9500, True, [0, 2000, 4000, 6000, 8000, 10000]),
    ],
)
def test_the_value_axis_has_round_ticks_covering_the_largest_value(
    largest: float, whole: bool, expected: list[float]
) -> None:
    assert ticks(largest, whole=whole) == expected
