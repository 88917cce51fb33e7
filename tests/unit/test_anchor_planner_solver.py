"""The anchor-day planner's solver on hand-made demand (no database): the plans it proposes and why none fits.

Units here bring ``anchored`` people on their anchor day and nobody else (``spread`` 0) unless said otherwise, so a
building-day's load is the sum of the units anchored on it plus the public-service units' ``fixed``.
"""

from datetime import date

from smartoffice.planning.anchor_planner.model import PlanProblem
from smartoffice.planning.anchor_planner.proposal import Binding, BindingKind, PlanRequest, PlanResult, PlanStatus
from smartoffice.planning.anchor_planner.solver import SolverSettings, solve
from smartoffice.planning.anchor_planner.wording import describe_binding
from smartoffice.planning.demand import UnitDemand

WEEK = date(2026, 7, 6)
MON, TUE, WED, THU, FRI = range(5)
TOWER, ANNEX = 1, 2
SETTINGS = SolverSettings(time_limit_seconds=5.0, core_time_limit_seconds=5.0, num_workers=1)


def unit(
    unit_id: int,
    anchored: float,
    days: set[int],
    *,
    building: int = TOWER,
    spread: float = 0.0,
    parent: int | None = None,
    required: bool = True,
    headcount: int | None = None,
) -> UnitDemand:
    return UnitDemand(
        unit_id=unit_id,
        code=f"U{unit_id}",
        name=f"Direktorat {unit_id}",
        parent_id=parent,
        organisation_id=1,
        building_id=building,
        headcount=headcount if headcount is not None else round(anchored),
        fixed=0.0,
        anchored=anchored,
        spread=spread,
        anchor_weekdays=frozenset(days),
        anchors_required=required,
        every_day=False,
    )


def public_service(unit_id: int, people: float, *, building: int = TOWER, days: set[int] = frozenset()) -> UnitDemand:
    return UnitDemand(
        unit_id=unit_id,
        code=f"U{unit_id}",
        name=f"Pusat Layanan {unit_id}",
        parent_id=None,
        organisation_id=1,
        building_id=building,
        headcount=round(people),
        fixed=people,
        anchored=0.0,
        spread=0.0,
        anchor_weekdays=frozenset(days),
        anchors_required=False,
        every_day=True,
    )


def plan(rows: list[UnitDemand], desks: dict[int, int] | None = None, **request: object) -> PlanResult:
    desks = desks or {TOWER: 100}
    problem = PlanProblem(
        PlanRequest(building_ids=tuple(desks), week=WEEK, **request),  # type: ignore[arg-type]
        rows,
        desks,
        {b: f"T{b}" for b in desks},
    )
    return solve(problem, SETTINGS)


def after(result: PlanResult) -> dict[int, set[int]]:
    return {u.unit_id: set(u.after) for u in result.units}


def loads(result: PlanResult, building: int = TOWER) -> list[tuple[float, float]]:
    return [(d.before, d.after) for d in result.loads if d.building_id == building]


def fits(result: PlanResult) -> bool:
    return not any(d.overflows_after for d in result.loads)


class TestPlans:
    def test_a_tower_full_on_tuesday_moves_the_fewest_people_and_keeps_pairs_and_public_service(self) -> None:
        # given a tower of 100 desks (85 at 85 %): 10 public-service people every day, three units on Tuesday
        rows = [public_service(9, 10), unit(1, 40, {TUE}), unit(2, 30, {TUE}), unit(3, 8, {TUE})]

        # when Tuesday's 88 people are planned, units 1 and 2 named as working together
        result = plan(rows, together=((1, 2),))

        # then unit 3 (the fewest people) moves off Tuesday: the others stay, together; public service never moves
        assert result.status == PlanStatus.OPTIMAL
        assert [u.unit_id for u in result.moved] == [3]
        days = after(result)
        assert days[1] == days[2] == {TUE}
        assert len(days[3]) == 1 and TUE not in days[3]
        assert next(u for u in result.units if u.unit_id == 9).moved is False
        assert loads(result)[TUE] == (88.0, 80.0)
        assert fits(result) and result.loads[TUE].overflows_before

    def test_the_fewest_units_move_even_when_that_moves_more_people(self) -> None:
        # given Tuesday 5 over: one big unit could go, or two small ones (a pinned unit stays)
        rows = [unit(1, 52, {TUE}), unit(2, 30, {TUE}), unit(3, 4, {TUE}), unit(4, 4, {TUE})]

        result = plan(rows, pinned_unit_ids=frozenset({1}))

        assert [u.unit_id for u in result.moved] == [2]
        assert fits(result)

    def test_a_plan_that_already_fits_moves_nobody(self) -> None:
        rows = [unit(1, 40, {MON}), unit(2, 40, {TUE}), unit(3, 30, {WED}, parent=7), unit(4, 30, {THU}, parent=7)]

        result = plan(rows)

        assert (result.status, result.moved, result.binding) == (PlanStatus.OPTIMAL, [], [])
        assert [d.after for d in result.loads] == [d.before for d in result.loads]

    def test_a_unit_that_must_move_joins_its_siblings_rather_than_the_emptiest_day(self) -> None:
        # given unit 1 must leave Tuesday (the fewest people); its sibling (same parent) meets on Thursday
        rows = [unit(1, 40, {TUE}, parent=7), unit(2, 30, {THU}, parent=7), unit(3, 50, {TUE})]

        together = plan(rows)
        apart = plan(rows, keep_siblings_together=False)

        assert after(together)[1] == {THU}
        assert [u.unit_id for u in apart.moved] == [1]
        assert after(apart)[1] in ({MON}, {WED}, {FRI})  # the lowest peak: an empty day

    def test_pinned_and_forbidden_and_closed_days_are_honoured(self) -> None:
        rows = [unit(1, 50, {TUE}), unit(2, 40, {TUE}), unit(3, 40, {WED})]

        result = plan(
            rows,
            pinned_unit_ids=frozenset({1}),
            forbidden_weekdays={2: frozenset({MON, WED})},
            closed_weekdays=frozenset({THU}),
        )

        assert after(result) == {1: {TUE}, 2: {FRI}, 3: {WED}}

    def test_a_unit_without_anchor_days_gets_one_when_required_and_stays_without_otherwise(self) -> None:
        # 20 people with 3 office days: 20 on an anchor day and 40 person-days spread over the other days
        rows = [unit(1, 20, set(), spread=60), unit(2, 20, set(), spread=60, required=False), unit(3, 50, {TUE})]

        result = plan(rows)

        days = after(result)
        assert len(days[1]) == 1 and TUE not in days[1] and days[2] == set()
        assert [u.unit_id for u in result.moved] == [1]
        (given,) = days[1]
        # before: 12 a day each; after: unit 1 brings its 20 on its day and 10 on each other day
        assert loads(result)[given] == (24.0, 32.0)
        assert loads(result)[TUE] == (74.0, 72.0)

    def test_a_unit_housed_in_two_towers_loads_both_and_moves_in_both(self) -> None:
        # given unit 1 has 30 people in the tower and 20 in the annex (40 desks: 34 at 85 %), where unit 2 meets too
        rows = [
            unit(1, 30, {TUE}),
            unit(1, 20, {TUE}, building=ANNEX),
            unit(2, 20, {TUE}, building=ANNEX, headcount=60),
        ]

        result = plan(rows, desks={TOWER: 100, ANNEX: 40})

        assert [u.unit_id for u in result.moved] == [1]  # fewer people than unit 2's 60
        (day,) = after(result)[1]
        assert loads(result, TOWER)[day] == (0.0, 30.0) and loads(result, ANNEX)[day] == (0.0, 20.0)
        assert loads(result, ANNEX)[TUE] == (40.0, 20.0)
        assert next(u for u in result.units if u.unit_id == 1).building_ids == (TOWER, ANNEX)

    def test_towers_that_share_nothing_are_planned_apart_and_together_give_the_same_plan(self) -> None:
        rows = [
            unit(1, 50, {TUE}),
            unit(2, 40, {TUE}),
            unit(3, 50, {WED}, building=ANNEX),
            unit(4, 45, {WED}, building=ANNEX),
        ]

        result = plan(rows, desks={TOWER: 100, ANNEX: 100})

        assert {u.unit_id for u in result.moved} == {2, 4}
        assert fits(result) and result.status == PlanStatus.OPTIMAL


class TestNoPlan:
    def test_pinned_units_over_a_tower_name_the_day_and_the_pins(self) -> None:
        rows = [unit(1, 40, {TUE}), unit(2, 30, {TUE}), unit(3, 20, {TUE}), unit(4, 10, {MON})]

        result = plan(rows, pinned_unit_ids=frozenset({1, 2, 3, 4}))

        assert result.status == PlanStatus.INFEASIBLE
        assert result.binding == [
            Binding(BindingKind.CAPACITY, building_id=TOWER, weekday=TUE),
            Binding(BindingKind.PINNED, unit_ids=(1,)),
            Binding(BindingKind.PINNED, unit_ids=(2,)),
            Binding(BindingKind.PINNED, unit_ids=(3,)),
        ]  # unit 4's pin has nothing to do with it
        assert result.moved == [] and [d.after for d in result.loads] == [d.before for d in result.loads]
        words = [describe_binding(b, result, "en") for b in result.binding]
        assert words[:2] == [
            "T1 can hold at most 85 people on Tuesday",
            "Direktorat 1 is pinned to its anchor days (Tuesday)",
        ]
        assert (
            describe_binding(result.binding[0], result, "id") == "T1 dapat menampung paling banyak 85 orang pada Selasa"
        )

    def test_closed_days_that_leave_one_day_name_the_closed_days(self) -> None:
        rows = [unit(1, 50, {TUE}), unit(2, 50, {WED})]

        result = plan(rows, closed_weekdays=frozenset({MON, WED, THU, FRI}))

        assert result.binding == [
            Binding(BindingKind.CAPACITY, building_id=TOWER, weekday=TUE),
            *(Binding(BindingKind.CLOSED_DAY, weekday=d) for d in (MON, WED, THU, FRI)),
        ]

    def test_a_named_pair_that_cannot_meet_names_the_pair_and_what_holds_them_apart(self) -> None:
        rows = [unit(1, 10, {MON}), unit(2, 10, {TUE}), unit(3, 10, {WED})]

        result = plan(
            rows, together=((1, 2),), pinned_unit_ids=frozenset({1}), forbidden_weekdays={2: frozenset({MON})}
        )

        assert result.binding == [
            Binding(BindingKind.PINNED, unit_ids=(1,)),
            Binding(BindingKind.FORBIDDEN, unit_ids=(2,)),
            Binding(BindingKind.TOGETHER, unit_ids=(1, 2)),
        ]
        words = {describe_binding(b, result, "en") for b in result.binding}
        assert "Direktorat 2 may not meet on Monday" in words
        assert "Direktorat 1 and Direktorat 2 must share an anchor day" in words

    def test_public_service_alone_over_the_desks_names_every_day(self) -> None:
        rows = [public_service(9, 90), unit(1, 5, {TUE})]

        result = plan(rows)

        assert result.binding == [Binding(BindingKind.CAPACITY, building_id=TOWER, weekday=d) for d in range(5)]
