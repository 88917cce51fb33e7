"""The anchor-day planner page's form (smartoffice/web/capacity_planner_form.py): what the manager sends becomes a
PlanRequest, mistakes become error codes on their fields, never an exception."""

from datetime import date

import pytest

from smartoffice.planning.anchor_planner.proposal import WhatIf
from smartoffice.web.capacity_planner_form import (
    BuildingOption,
    FloorOption,
    ParsedForm,
    SiteOption,
    parse_apply_form,
    parse_planner_form,
    unit_errors,
)
from smartoffice.web.forms import FormError

TODAY = date(2030, 7, 10)  # a Wednesday
NEXT_MONDAY = date(2030, 7, 15)
SITES = [
    SiteOption(
        1,
        "IKN Kawasan Inti",
        (
            BuildingOption(10, "T1", "Tower 1", 1, (FloorOption(100, "Lantai 1"), FloorOption(101, "Lantai 2"))),
            BuildingOption(11, "T2", "Tower 2", 1, (FloorOption(110, "Lantai 1"),)),
        ),
    ),
    SiteOption(2, "Jakarta", (BuildingOption(20, "J1", "Gedung J1", 2, ()),)),
]


def parse(**fields: str | list[str]) -> ParsedForm:
    params = {name: value if isinstance(value, list) else [value] for name, value in fields.items()}
    return parse_planner_form(params, SITES, TODAY)


def test_nothing_sent_asks_nothing_and_defaults_to_next_week_at_85_percent() -> None:
    parsed = parse()

    assert parsed.request is None and not parsed.errors
    assert parsed.form.week == NEXT_MONDAY.isoformat() and parsed.form.target == "85" and parsed.form.siblings


def test_a_site_plans_all_its_buildings_with_the_defaults() -> None:
    parsed = parse(run="1", site="1", siblings="on")

    assert parsed.request is not None and not parsed.errors
    assert parsed.request.building_ids == (10, 11)
    assert parsed.request.week == NEXT_MONDAY and parsed.request.target_utilisation == 0.85
    assert parsed.request.keep_siblings_together and parsed.request.what_if == WhatIf()


def test_ticked_buildings_win_over_the_site() -> None:
    parsed = parse(run="1", site="1", building=["11", "20"], target="90")

    assert parsed.request is not None
    assert parsed.request.building_ids == (11, 20) and parsed.request.target_utilisation == 0.9


def test_every_adjustment_maps_onto_the_request() -> None:
    parsed = parse(
        run="1",
        building=["10", "11"],
        week="2030-07-22",
        pin=["5", "6"],
        forbid=["7:4", "7:0", "8:2"],
        closed_day=["4"],
        pair=["9-3"],
        pair_a="5",
        pair_b="8",
        staff_unit=["5", "", "6"],
        staff_count=["+12", "", "\u22123"],
        closed_floor=["101"],
        move_unit=["7", ""],
        move_to=["11", ""],
    )

    request = parsed.request
    assert request is not None and not parsed.errors
    assert request.week == date(2030, 7, 22)
    assert request.pinned_unit_ids == {5, 6}
    assert request.forbidden_weekdays == {7: {0, 4}, 8: {2}}
    assert request.closed_weekdays == {4}
    assert request.together == ((3, 9), (5, 8))
    assert not request.keep_siblings_together  # a sent form without the checkbox ticked
    assert request.what_if == WhatIf(
        headcount_change={5: 12, 6: -3}, closed_floor_ids=frozenset({101}), moved_units={7: 11}
    )
    # the new pair joins the kept pairs, the blank rows are dropped: the result page shows it all back
    assert parsed.form.pairs == ("3-9", "5-8") and parsed.form.pair_a == ""
    assert [(row.unit, row.value) for row in parsed.form.staff] == [("5", "+12"), ("6", "\u22123")]
    assert parsed.form.has_what_if


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({}, "place", "missing_place"),
        ({"building": "20x"}, "place", "unknown_building"),
        ({"building": "99"}, "place", "unknown_building"),
        ({"site": "3"}, "place", "unknown_site"),
        ({"site": "1", "week": "2030-07-16"}, "week", "week_not_monday"),
        ({"site": "1", "week": "16/07/2030"}, "week", "invalid_week"),
        ({"site": "1", "week": "0001-01-01"}, "week", "invalid_week"),
        ({"site": "1", "target": "0"}, "target", "invalid_target"),
        ({"site": "1", "target": "eighty"}, "target", "invalid_target"),
        ({"site": "1", "target": "120"}, "target", "invalid_target"),
        ({"site": "1", "pin": "abc"}, "pin", "invalid_unit"),
        ({"site": "1", "forbid": "7:5"}, "forbid", "invalid_forbid"),
        ({"site": "1", "closed_day": ["0", "1", "2", "3", "4"]}, "closed_day", "all_days_closed"),
        ({"site": "1", "closed_day": "6"}, "closed_day", "invalid_weekday"),
        ({"site": "1", "pair": "4-4"}, "pair", "invalid_pair"),
        ({"site": "1", "pair_a": "4"}, "pair_b", "missing_pair_unit"),
        ({"site": "1", "pair_a": "4", "pair_b": "4"}, "pair_b", "same_pair_unit"),
        ({"site": "1", "staff_unit": "5", "staff_count": "many"}, "staff_count_0", "invalid_count"),
        ({"site": "1", "staff_unit": "5", "staff_count": "0"}, "staff_count_0", "invalid_count"),
        ({"site": "1", "staff_unit": "5", "staff_count": "--5"}, "staff_count_0", "invalid_count"),
        ({"site": "1", "staff_unit": "5", "staff_count": ""}, "staff_count_0", "missing_count"),
        ({"site": "1", "staff_unit": "", "staff_count": "4"}, "staff_unit_0", "missing_unit"),
        ({"site": "1", "staff_unit": ["5", "5"], "staff_count": ["1", "2"]}, "staff_unit_1", "repeated_unit"),
        ({"site": "1", "closed_floor": "999"}, "closed_floor", "unknown_floor"),
        ({"site": "1", "move_unit": "5", "move_to": "20"}, "move_to_0", "unknown_building_move"),
        ({"site": "1", "move_unit": "5", "move_to": ""}, "move_to_0", "missing_building"),
    ],
)
def test_a_mistake_is_an_error_on_its_field_and_no_request(fields: dict[str, str], field: str, code: str) -> None:
    parsed = parse(run="1", **fields)

    assert parsed.request is None
    assert parsed.errors == {field: code}


def test_a_mistake_keeps_what_was_sent() -> None:
    parsed = parse(run="1", site="1", week="next week", staff_unit="5", staff_count="lots", pair_a="4")

    assert parsed.form.week == "next week"
    assert parsed.form.staff[0].value == "lots"
    assert parsed.form.pair_a == "4"  # the half-made pair stays in its selects


def test_units_the_planner_does_not_plan_are_errors_on_the_fields_that_name_them() -> None:
    parsed = parse(
        run="1",
        site="1",
        pin=["5", "66"],
        forbid="67:1",
        pair_a="5",
        pair_b="68",
        staff_unit=["5", "69"],
        staff_count=["1", "2"],
        move_unit="70",
        move_to="10",
    )

    assert parsed.request is not None
    assert unit_errors(parsed, {5}) == {
        "pin": "unknown_unit",
        "forbid": "unknown_unit",
        "pair_b": "unknown_unit",
        "staff_unit_1": "unknown_unit",
        "move_unit_0": "unknown_unit",
    }
    assert unit_errors(parsed, {5, 66, 67, 68, 69, 70}) == {}


def test_the_query_carries_the_form_back_with_or_without_the_what_if() -> None:
    parsed = parse(run="1", site="1", pin="5", staff_unit="5", staff_count="3", closed_floor="100")

    assert ("pin", "5") in parsed.form.query() and ("staff_count", "3") in parsed.form.query()
    assert ("pin", "5") in parsed.form.query(what_if=False)
    assert not {name for name, _ in parsed.form.query(what_if=False)} & {"staff_unit", "staff_count", "closed_floor"}
    again = parse_planner_form(_grouped(parsed.form.query()), SITES, TODAY)
    assert again.request == parsed.request


def test_the_apply_form_sets_each_units_days_from_a_day() -> None:
    form = parse_apply_form(
        {
            "unit": ["5", "6"],
            "days": ["5:1", "5:3", "6:0"],
            "effective_from": ["2030-07-15"],
            "back": ["/capacity/planner?run=1&site=1"],
        },
        "/capacity/planner",
    )

    assert form.request.unit_weekdays == {5: {1, 3}, 6: {0}}
    assert form.request.effective_from == date(2030, 7, 15)
    assert form.back == "/capacity/planner?run=1&site=1"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"unit": ["5"], "days": ["5:1"], "effective_from": ["15-07-2030"]}, "effective_from"),
        ({"unit": ["5"], "days": ["5:1"]}, "effective_from"),
        ({"unit": ["5"], "days": ["6:1"], "effective_from": ["2030-07-15"]}, "days"),
        ({"unit": ["x"], "effective_from": ["2030-07-15"]}, "unit"),
        ({"effective_from": ["2030-07-15"]}, "unit"),
    ],
)
def test_a_malformed_apply_form_is_a_form_error(params: dict[str, list[str]], field: str) -> None:
    with pytest.raises(FormError) as raised:
        parse_apply_form(params, "/capacity/planner")

    assert raised.value.field == field


def test_the_apply_form_returns_only_to_the_planner() -> None:
    elsewhere = parse_apply_form(
        {"unit": ["5"], "effective_from": ["2030-07-15"], "back": ["https://evil.example/capacity/planner"]},
        "/capacity/planner",
    )
    other_page = parse_apply_form(
        {"unit": ["5"], "effective_from": ["2030-07-15"], "back": ["/admin/roles"]}, "/capacity/planner"
    )

    assert elsewhere.back == other_page.back == "/capacity/planner"


def _grouped(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for name, value in pairs:
        grouped.setdefault(name, []).append(value)
    return grouped
