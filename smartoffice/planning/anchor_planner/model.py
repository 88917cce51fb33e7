"""The anchor-day planner's model for OR-Tools CP-SAT. Pure: no database (``inputs.py`` feeds it, ``solver.py``
searches it).

**Decisions.** ``x[u, d]`` is 1 when planning unit ``u`` has weekday ``d`` (0 = Monday ... 4 = Friday) as an anchor
day. Every unit keeps its *number* of anchor days; only which weekdays changes. A unit without anchor days gets one
when its people's policy requires anchor days (``anchors_required``: the policy expects a shared day the unit never
chose, and the planner is where the best one is found) or when the manager names it in a pair (a pair shares an
anchor day, so each member needs one); otherwise it stays without and its load is a constant. Public-service units
(``every_day``) are in every working day whatever their anchor days: never decided, never moved, their load a
constant; a pin, a forbidden or a closed weekday changes nothing for them. A pinned unit is decided like the others
but held to its current days by a constraint (so that a pin can be named among the constraints that make a plan
impossible); a pinned unit without anchor days stays without.

**Load.** The demand model (:mod:`smartoffice.planning.demand`): on weekday ``d`` a unit's row in a building brings
``fixed + anchored`` people if ``d`` is an anchor day, else ``fixed + spread / (5 - anchor days)``. With the number
of anchor days fixed this is linear in ``x``: ``other + (anchor - other) * x[u, d]``. A unit given its first anchor
day moves ``anchored`` person-days from the spread to that day (the same people, now on a shared day). A unit housed
in several buildings loads each with its own row. Loads are integers in thousandths of a person (:data:`SCALE`):
each coefficient is rounded *up* and each building-day's room rounded *down*, so a plan that fits the integer model
fits the real numbers too.

**Hard constraints.** For every building and weekday, the expected people stay within ``desks x target``; pinned
units keep their days; no unit gets a weekday forbidden to it or closed to all; each named pair shares at least one
anchor day (a pair with a public-service unit always does: it is in every day).

**Soft: siblings.** Units with the same parent unit (the directorates of one deputy) should share a day. This is a
wish, not a rule: a parent's units together can be bigger than a tower's day, and unlike named pairs the manager
never chose them one by one, so making it hard would often leave no plan at all. Each group of siblings gets a
meeting day; the cost is the number of its units that are not in on that day (graded: a plan keeping nine of ten
together beats one keeping two).

**Objectives**, in order (:class:`Objectives`; ``solver.py`` optimises them one after the other): (1) the fewest
units whose days change; (2) the fewest units away from their siblings' meeting day; (3) the fewest people whose
days change; (4) the lowest peak utilisation, summed over the buildings (so every tower is levelled, not only the
fullest). Moves come first because each is a change a unit head must announce to their people; among plans with
equally few moves, where a unit goes is decided by its team before its size.
"""

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from smartoffice.planning.anchor_planner.proposal import Binding, BindingKind, PlanRequest
from smartoffice.planning.demand import UnitDemand

WEEKDAYS = (0, 1, 2, 3, 4)
WORKING_DAYS = len(WEEKDAYS)
SCALE = 1000
"""Loads in the model are integers in thousandths of a person."""
PEAK_SCALE = 1000
"""Utilisation in the objective is an integer in thousandths (per mille) of a building's desks."""
PEAK_MAX = 2 * PEAK_SCALE


@dataclass(frozen=True, slots=True)
class PlanProblem:
    """Everything the solver needs: the request, the demand rows (what-if applied) and the desks counted."""

    request: PlanRequest
    demand: Sequence[UnitDemand]
    desks: Mapping[int, int]
    """Building id -> desks counted (closed floors left out); every planned building has an entry."""
    building_codes: Mapping[int, str]


@dataclass(slots=True)
class PlanUnit:
    """A planning unit as the model sees it: its demand rows (one per building) and how many days it gets."""

    id: int
    code: str
    name: str
    parent_id: int | None
    rows: list[UnitDemand]
    before: frozenset[int]
    days: int
    """How many anchor days the plan gives it."""
    pinned: bool
    every_day: bool

    @property
    def decided(self) -> bool:
        """Whether the model chooses its days (public-service units and units left without anchor days not)."""
        return not self.every_day and self.days > 0

    @property
    def headcount(self) -> int:
        return sum(row.headcount for row in self.rows)

    @property
    def may_keep(self) -> bool:
        """Whether keeping today's days is a choice (a unit given its first anchor day moves whatever happens)."""
        return self.decided and bool(self.before) and self.days == len(self.before)


def levels(row: UnitDemand, days: int, before_count: int) -> tuple[float, float]:
    """People of ``row`` expected on an anchor day and on another working day, when its unit has ``days`` anchor
    days (it had ``before_count``): :meth:`UnitDemand.expected_on`, with a first anchor day taking its ``anchored``
    person-days out of the spread (the same people, now on a shared day)."""
    spread = max(0.0, row.spread - row.anchored * max(0, days - before_count))
    others = WORKING_DAYS - days
    return row.fixed + row.anchored, row.fixed + (spread / others if others > 0 else 0.0)


def expected(row: UnitDemand, days: frozenset[int], before_count: int, weekday: int) -> float:
    """People of ``row`` expected on ``weekday`` when its unit's anchor days are ``days`` (see :func:`levels`)."""
    on_anchor, other = levels(row, len(days), before_count)
    return on_anchor if weekday in days else other


def planning_units(problem: PlanProblem) -> list[PlanUnit]:
    """The problem's units, ordered by code."""
    request = problem.request
    paired = {unit_id for pair in request.together for unit_id in pair}
    rows: dict[int, list[UnitDemand]] = defaultdict(list)
    for row in problem.demand:
        rows[row.unit_id].append(row)
    units = []
    for unit_id, unit_rows in rows.items():
        first = unit_rows[0]
        before = first.anchor_weekdays
        pinned = unit_id in request.pinned_unit_ids
        required = any(row.anchors_required for row in unit_rows)
        days = len(before) if before or pinned else 1 if required or unit_id in paired else 0
        every_day = all(row.every_day for row in unit_rows)
        units.append(
            PlanUnit(unit_id, first.code, first.name, first.parent_id, unit_rows, before, days, pinned, every_day)
        )
    return sorted(units, key=lambda u: (u.code, u.id))


@dataclass(frozen=True, slots=True)
class Capacity:
    """One building-day's load as ``constant + sum(coefficient x[u, d])``, in :data:`SCALE` units, and its room."""

    building_id: int
    weekday: int
    constant: float
    """People, not scaled: the load of the units the model does not decide plus the others' non-anchor level."""
    terms: dict[int, int]
    """Unit id -> what an anchor day adds, scaled and rounded up."""
    room: int
    """``desks x target - constant``, scaled and rounded down."""


def capacities(problem: PlanProblem, units: Sequence[PlanUnit]) -> list[Capacity]:
    target = problem.request.target_utilisation
    constant: dict[tuple[int, int], float] = defaultdict(float)
    terms: dict[tuple[int, int], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for unit in units:
        for row in unit.rows:
            for d in WEEKDAYS:
                key = (row.building_id, d)
                if not unit.decided:
                    constant[key] += row.expected_on(d, WORKING_DAYS)
                    continue
                anchor, other = levels(row, unit.days, len(unit.before))
                constant[key] += other
                terms[key][unit.id] += math.ceil((anchor - other) * SCALE - 1e-9)
    found = []
    for building_id in sorted(problem.desks):
        limit = problem.desks[building_id] * target
        for d in WEEKDAYS:
            key = (building_id, d)
            room = math.floor((limit - constant[key]) * SCALE + 1e-6)
            found.append(Capacity(building_id, d, constant[key], dict(terms[key]), room))
    return found


@dataclass
class PlanModel:
    """The CP-SAT model of (a part of) a problem. With ``with_assumptions`` each constraint group is enforced by its
    own literal (``assumed``: literal index -> the literal and its group) instead of holding outright."""

    model: cp_model.CpModel
    with_assumptions: bool = False
    x: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    assumed: dict[int, tuple[cp_model.IntVar, Binding]] = field(default_factory=dict)

    def enforce(self, binding: Binding) -> list[cp_model.IntVar]:
        """The literal a constraint group is enforced by: none when every constraint is hard."""
        if not self.with_assumptions:
            return []
        literal = self.model.new_bool_var(f"{binding.kind}:{binding.unit_ids}:{binding.building_id}:{binding.weekday}")
        self.assumed[literal.index] = (literal, binding)
        return [literal]


def build(problem: PlanProblem, units: Sequence[PlanUnit], caps: Sequence[Capacity], *, assumptions: bool) -> PlanModel:
    """The decisions and hard constraints (see the module docstring) for ``units`` and the buildings of ``caps``."""
    request = problem.request
    m = PlanModel(cp_model.CpModel(), with_assumptions=assumptions)
    model = m.model
    decided = [u for u in units if u.decided]
    by_id = {u.id: u for u in units}
    for unit in decided:
        for d in WEEKDAYS:
            m.x[unit.id, d] = model.new_bool_var(f"x[{unit.code},{d}]")
        model.add(sum(m.x[unit.id, d] for d in WEEKDAYS) == unit.days)

    for cap in caps:
        enforce = m.enforce(Binding(BindingKind.CAPACITY, building_id=cap.building_id, weekday=cap.weekday))
        if cap.terms:
            variables = [m.x[unit_id, cap.weekday] for unit_id in cap.terms]
            load = cp_model.LinearExpr.weighted_sum(variables, list(cap.terms.values()))
            model.add(load <= cap.room).only_enforce_if(enforce)
        elif cap.room < 0:
            model.add_bool_or([]).only_enforce_if(enforce)  # the building's fixed load alone overflows

    for unit in decided:
        if unit.pinned:
            enforce = m.enforce(Binding(BindingKind.PINNED, unit_ids=(unit.id,)))
            keep = [m.x[unit.id, d] if d in unit.before else ~m.x[unit.id, d] for d in WEEKDAYS]
            model.add_bool_and(keep).only_enforce_if(enforce)
        forbidden = sorted(request.forbidden_weekdays.get(unit.id, frozenset()) & set(WEEKDAYS))
        if forbidden:
            enforce = m.enforce(Binding(BindingKind.FORBIDDEN, unit_ids=(unit.id,)))
            model.add_bool_and([~m.x[unit.id, d] for d in forbidden]).only_enforce_if(enforce)
    for d in sorted(request.closed_weekdays & set(WEEKDAYS)):
        if decided:
            enforce = m.enforce(Binding(BindingKind.CLOSED_DAY, weekday=d))
            model.add_bool_and([~m.x[u.id, d] for u in decided]).only_enforce_if(enforce)

    for first, second in request.together:
        if first in by_id:  # else the pair belongs to another part
            enforce = m.enforce(Binding(BindingKind.TOGETHER, unit_ids=(first, second)))
            model.add_bool_or(_shared_day(m, by_id[first], by_id[second])).only_enforce_if(enforce)
    return m


def _fixed_days(unit: PlanUnit) -> frozenset[int]:
    """The days a unit the model does not decide is in on as a unit: every day for public service."""
    return frozenset(WEEKDAYS) if unit.every_day else unit.before


def _shared_day(m: PlanModel, a: PlanUnit, b: PlanUnit) -> list[cp_model.IntVar]:
    """Literals one of which is true exactly when ``a`` and ``b`` share an anchor day (empty: they cannot)."""
    if not a.decided and not b.decided:
        return [m.model.new_constant(1)] if _fixed_days(a) & _fixed_days(b) else []
    if not a.decided or not b.decided:
        fixed, free = (a, b) if not a.decided else (b, a)
        return [m.x[free.id, d] for d in sorted(_fixed_days(fixed))]
    shared = []
    for d in WEEKDAYS:
        both = m.model.new_bool_var(f"shared[{a.code},{b.code},{d}]")
        m.model.add_implication(both, m.x[a.id, d])
        m.model.add_implication(both, m.x[b.id, d])
        shared.append(both)
    return shared


@dataclass(frozen=True, slots=True)
class Objectives:
    """The expressions to minimise, most important first (see the module docstring)."""

    moves: cp_model.LinearExprT
    apart: cp_model.LinearExprT
    people_moved: cp_model.LinearExprT
    peak: cp_model.LinearExprT

    def in_order(self) -> list[cp_model.LinearExprT]:
        return [self.moves, self.apart, self.people_moved, self.peak]


def add_objectives(
    m: PlanModel, problem: PlanProblem, units: Sequence[PlanUnit], caps: Sequence[Capacity]
) -> Objectives:
    """The variables and constraints the objectives read, and the objectives."""
    model = m.model
    decided = [u for u in units if u.decided]
    moved, people = [], []
    for unit in (u for u in decided if u.may_keep):
        kept = model.new_bool_var(f"kept[{unit.code}]")
        for d in unit.before:
            model.add_implication(kept, m.x[unit.id, d])
        moved.append(~kept)
        people.append(unit.headcount)

    apart = []
    if problem.request.keep_siblings_together:
        groups: dict[int, list[PlanUnit]] = defaultdict(list)
        for unit in decided:
            if unit.parent_id is not None:
                groups[unit.parent_id].append(unit)
        for parent_id, group in groups.items():
            if len(group) < 2:
                continue
            meeting = [model.new_bool_var(f"meets[{parent_id},{d}]") for d in WEEKDAYS]
            model.add_exactly_one(meeting)
            for unit in group:
                together = model.new_bool_var(f"with_siblings[{unit.code}]")
                for d in WEEKDAYS:
                    model.add_bool_or([~together, ~meeting[d], m.x[unit.id, d]])
                apart.append(~together)

    peaks = []
    for building_id in sorted({c.building_id for c in caps}):
        desks = problem.desks[building_id]
        if desks <= 0:
            continue
        peak = model.new_int_var(0, PEAK_MAX, f"peak[{building_id}]")
        for cap in (c for c in caps if c.building_id == building_id):
            variables = [m.x[unit_id, cap.weekday] for unit_id in cap.terms]
            load = cp_model.LinearExpr.weighted_sum(variables, [c * PEAK_SCALE for c in cap.terms.values()])
            model.add(load + math.ceil(cap.constant * SCALE) * PEAK_SCALE <= peak * (desks * SCALE))
        peaks.append(peak)

    for unit in (u for u in decided if u.may_keep):  # start from today's days: most units keep them
        for d in WEEKDAYS:
            model.add_hint(m.x[unit.id, d], d in unit.before)
    return Objectives(
        moves=cp_model.LinearExpr.sum(moved),
        apart=cp_model.LinearExpr.sum(apart),
        people_moved=cp_model.LinearExpr.weighted_sum(moved, people),
        peak=cp_model.LinearExpr.sum(peaks),
    )
