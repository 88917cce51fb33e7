"""The planner's what-if applied to the demand, and the request's own checks (no database)."""

from datetime import date

import pytest

from smartoffice.errors import InvalidInput
from smartoffice.planning.anchor_planner.inputs import apply_what_if, check_request
from smartoffice.planning.anchor_planner.proposal import PlanRequest, WhatIf
from smartoffice.planning.demand import UnitDemand

WEEK = date(2026, 7, 6)


def row(unit_id: int, building_id: int, headcount: int) -> UnitDemand:
    return UnitDemand(
        unit_id=unit_id,
        code=f"U{unit_id}",
        name=f"Unit {unit_id}",
        parent_id=None,
        organisation_id=1,
        building_id=building_id,
        headcount=headcount,
        fixed=0.1 * headcount,
        anchored=0.8 * headcount,
        spread=1.6 * headcount,
        anchor_weekdays=frozenset({1}),
        anchors_required=True,
        every_day=False,
        person_days=2.4 * headcount,
    )


def request(what_if: WhatIf, **changes: object) -> PlanRequest:
    return PlanRequest(building_ids=(1, 2), week=WEEK, what_if=what_if, **changes)  # type: ignore[arg-type]


def test_added_people_scale_every_row_of_their_unit() -> None:
    demand = [row(7, 1, 30), row(7, 2, 10), row(8, 1, 20)]

    changed = apply_what_if(demand, request(WhatIf(headcount_change={7: 20})))

    seven = [r for r in changed if r.unit_id == 7]
    assert [(r.building_id, r.headcount) for r in seven] == [(1, 45), (2, 15)]
    assert seven[0].anchored == pytest.approx(0.8 * 45) and seven[1].spread == pytest.approx(1.6 * 15)
    assert seven[0].person_days == pytest.approx(2.4 * 45)
    assert next(r for r in changed if r.unit_id == 8) == demand[2]


def test_a_moved_unit_brings_all_its_people_to_the_new_building() -> None:
    demand = [row(7, 1, 30), row(7, 2, 10), row(8, 1, 20)]

    changed = apply_what_if(demand, request(WhatIf(moved_units={7: 2})))

    (seven,) = [r for r in changed if r.unit_id == 7]
    assert (seven.building_id, seven.headcount, seven.anchored) == (2, 40, pytest.approx(32.0))


@pytest.mark.parametrize(
    ("what_if", "field", "code"),
    [
        (WhatIf(headcount_change={9: 5}), "headcountChange", "PLAN_UNIT_NOT_HOUSED"),
        (WhatIf(headcount_change={7: -41}), "headcountChange", "PLAN_HEADCOUNT_BELOW_ZERO"),
        (WhatIf(moved_units={9: 1}), "movedUnits", "PLAN_UNIT_NOT_HOUSED"),
    ],
)
def test_a_what_if_about_units_not_housed_here_is_refused(what_if: WhatIf, field: str, code: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        apply_what_if([row(7, 1, 30), row(7, 2, 10)], request(what_if))
    assert (refused.value.field, refused.value.code) == (field, code)


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"building_ids": ()}, "buildingIds", "PLAN_NO_BUILDINGS"),
        ({"target_utilisation": 0.0}, "targetUtilisation", "OUT_OF_RANGE"),
        ({"week": date(2026, 7, 7)}, "week", "PLAN_WEEK_NOT_MONDAY"),
        ({"closed_weekdays": frozenset({5})}, "weekdays", "NOT_WORKING_WEEKDAYS"),
        ({"together": ((3, 3),)}, "together", "PLAN_UNIT_PAIRED_WITH_ITSELF"),
        ({"what_if": WhatIf(moved_units={7: 3})}, "movedUnits", "PLAN_MOVE_OUTSIDE_PLAN"),
    ],
)
def test_a_malformed_request_is_refused_before_anything_is_read(
    changes: dict[str, object], field: str, code: str
) -> None:
    values: dict[str, object] = {"building_ids": (1, 2), "week": WEEK, **changes}
    with pytest.raises(InvalidInput) as refused:
        check_request(PlanRequest(**values))  # type: ignore[arg-type]
    assert (refused.value.field, refused.value.code) == (field, code)
