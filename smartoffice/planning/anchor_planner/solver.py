"""Searching the planner's model (:mod:`~smartoffice.planning.anchor_planner.model`) with OR-Tools CP-SAT, within a
time limit. Pure: no database.

**Parts.** Units that share no building, pair or parent share no constraint and no objective term, so the problem
splits into independent parts (:func:`components`; CP-SAT does not split an objective by itself), each solved alone
with a share of the time by its size. At IKN scale siblings across towers usually make it one part.

**Lexicographic, stage by stage.** Each part is solved four times, once per objective in order: the fewest moves,
then with the moves held at the best found, the fewest units apart from their siblings, then the fewest people
moved, then the lowest peaks; each stage starts from the previous stage's plan (a solution hint) and stops when its
optimum is proven or its time is up. One weighted objective would say the same, but its proof is much harder: on
tier M it did not prove a plan with no move at all in 2.5 s, while the moves alone are proven in ~0.1 s.

**Status.** OPTIMAL when the fewest moves are proven (the later stages only choose among plans with that many
moves), FEASIBLE when a plan was found but not proven, TIMED_OUT when none was found in time, INFEASIBLE when none
exists: then :mod:`~smartoffice.planning.anchor_planner.binding` finds which constraints bind.
"""

import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from smartoffice.planning.anchor_planner.binding import binding_constraints, binding_order
from smartoffice.planning.anchor_planner.model import (
    WEEKDAYS,
    WORKING_DAYS,
    Capacity,
    PlanProblem,
    PlanUnit,
    add_objectives,
    build,
    capacities,
    expected,
    planning_units,
)
from smartoffice.planning.anchor_planner.proposal import Binding, DayLoad, PlanResult, PlanStatus, UnitPlan

SMALL_PART = 200
"""A part with at most this many decisions (40 units) is solved on one worker: parallel workers cost more to start
than such a part takes to solve."""
STAGE_SHARES = (0.6, 0.5, 0.5, 1.0)
"""Of the part's time left, what each stage may use (a stage proven early leaves the rest to the next)."""


@dataclass(frozen=True, slots=True)
class SolverSettings:
    time_limit_seconds: float = 2.5
    """For the optimisation; a plan found by then but not proven the best is returned as FEASIBLE."""
    core_time_limit_seconds: float = 1.0
    """For finding and shrinking the binding constraints when no plan fits."""
    work_limit: float = 2.0
    """CP-SAT's deterministic time for the optimisation (its count of work done, about seconds on this machine),
    shared by the parts by size. It stops a search at the same point in every run, so the same question gets the
    same plan (a manager who runs the planner twice must not see other days); the time limit stays the guard on a
    busy machine, where it may come first."""
    num_workers: int = 1
    """CP-SAT's workers for a large part. One: parallel workers race, so each run could return another of the plans
    that tie on every objective; at IKN scale one worker proves the fewest moves in well under a second."""


def solve(problem: PlanProblem, settings: SolverSettings | None = None) -> PlanResult:
    """The plan with the fewest moves that fits (see :mod:`~smartoffice.planning.anchor_planner.model`), or why
    none fits."""
    settings = settings or SolverSettings()
    started = time.perf_counter()
    deadline = started + settings.time_limit_seconds
    units = planning_units(problem)
    _check_known(problem, units)
    caps = capacities(problem, units)
    parts = [_Part(problem, part_units, part_caps) for part_units, part_caps in components(problem, units, caps)]
    binding: list[Binding] = []
    left = total = max(sum(p.size for p in parts), 1)
    for part in sorted(parts, key=lambda p: p.size):
        share = (deadline - time.perf_counter()) * part.size / max(left, 1)
        left -= part.size
        part.optimise(max(share, 0.05), settings.work_limit * part.size / total, settings.num_workers)
        if part.status == PlanStatus.INFEASIBLE:
            binding += binding_constraints(problem, part.units, part.caps, settings.core_time_limit_seconds)

    statuses = {p.status for p in parts}
    after = {u.id: u.before for u in units}
    if PlanStatus.INFEASIBLE in statuses:
        status = PlanStatus.INFEASIBLE
    elif PlanStatus.TIMED_OUT in statuses:
        status = PlanStatus.TIMED_OUT
    else:
        status = PlanStatus.FEASIBLE if PlanStatus.FEASIBLE in statuses else PlanStatus.OPTIMAL
        for part in parts:
            after.update(part.days)
    return PlanResult(
        request=problem.request,
        status=status,
        units=[_unit_plan(u, after[u.id]) for u in units],
        loads=_loads(problem, units, after),
        binding=sorted(set(binding), key=binding_order),
        solve_seconds=time.perf_counter() - started,
    )


def _check_known(problem: PlanProblem, units: Sequence[PlanUnit]) -> None:
    known = {u.id for u in units}
    request = problem.request
    named = set(request.pinned_unit_ids) | set(request.forbidden_weekdays) | {u for p in request.together for u in p}
    if unknown := named - known:
        raise ValueError(f"units not in the demand: {sorted(unknown)}")  # inputs.py refuses these first


def components(
    problem: PlanProblem, units: Sequence[PlanUnit], caps: Sequence[Capacity]
) -> list[tuple[list[PlanUnit], list[Capacity]]]:
    """The independent parts of the problem: units linked by a building they share, a named pair or (when kept
    together) a parent, with their buildings' capacities."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(node: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def union(a: tuple[str, int], b: tuple[str, int]) -> None:
        parent[find(a)] = find(b)

    for unit in units:
        find(("unit", unit.id))
        for row in unit.rows:
            union(("unit", unit.id), ("building", row.building_id))
        if problem.request.keep_siblings_together and unit.decided and unit.parent_id is not None:
            union(("unit", unit.id), ("parent", unit.parent_id))
    for first, second in problem.request.together:
        union(("unit", first), ("unit", second))
    parts: dict[tuple[str, int], tuple[list[PlanUnit], list[Capacity]]] = {}
    for unit in units:
        parts.setdefault(find(("unit", unit.id)), ([], []))[0].append(unit)
    for cap in caps:
        parts.setdefault(find(("building", cap.building_id)), ([], []))[1].append(cap)
    return list(parts.values())


class _Part:
    """One independent part of the problem, its model, and the best plan found for it."""

    def __init__(self, problem: PlanProblem, units: list[PlanUnit], caps: list[Capacity]) -> None:
        self.units, self.caps = units, caps
        self.m = build(problem, units, caps, assumptions=False)
        self.objectives = add_objectives(self.m, problem, units, caps)
        self.size = len(self.m.x)
        self.status = PlanStatus.TIMED_OUT
        self.days: dict[int, frozenset[int]] = {}

    def optimise(self, time_limit: float, work_limit: float, num_workers: int) -> None:
        """Each objective in turn, holding the ones before at their best found (see the module docstring)."""
        if self.size == 0:
            self.status = PlanStatus.OPTIMAL if all(cap.room >= 0 for cap in self.caps) else PlanStatus.INFEASIBLE
            return
        deadline = time.perf_counter() + time_limit
        model = self.m.model
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = num_workers if self.size > SMALL_PART else 1
        for stage, (objective, share) in enumerate(zip(self.objectives.in_order(), STAGE_SHARES, strict=True)):
            if isinstance(objective, int) and stage > 0:
                continue  # nothing to choose (no siblings, say)
            model.minimize(objective)
            solver.parameters.max_time_in_seconds = max(0.02, (deadline - time.perf_counter()) * share)
            solver.parameters.max_deterministic_time = max(0.01, work_limit * share)
            status = solver.solve(model)
            work_limit -= solver.deterministic_time
            if status == cp_model.INFEASIBLE and stage == 0:
                self.status = PlanStatus.INFEASIBLE
                return
            if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                if status not in (cp_model.UNKNOWN, cp_model.INFEASIBLE):  # MODEL_INVALID: a bug in building it
                    raise RuntimeError(f"CP-SAT refused the model: {solver.status_name(status)}")
                return  # out of time: the plan of the stage before stands
            if stage == 0:
                self.status = PlanStatus.OPTIMAL if status == cp_model.OPTIMAL else PlanStatus.FEASIBLE
            self.days = {
                unit_id: frozenset(d for d in WEEKDAYS if solver.boolean_value(self.m.x[unit_id, d]))
                for unit_id in {unit_id for unit_id, _ in self.m.x}
            }
            model.add(objective <= round(solver.objective_value))  # hold this stage's best for the next ones
            solution = solver.response_proto.solution
            model.clear_hints()  # type: ignore[no-untyped-call]  # untyped in ortools 9.15
            model.proto.solution_hint.vars.extend(range(len(solution)))
            model.proto.solution_hint.values.extend(solution)


def _unit_plan(unit: PlanUnit, after: frozenset[int]) -> UnitPlan:
    return UnitPlan(
        unit_id=unit.id,
        code=unit.code,
        name=unit.name,
        building_ids=tuple(sorted({row.building_id for row in unit.rows})),
        headcount=unit.headcount,
        before=unit.before,
        after=after,
        pinned=unit.pinned,
        every_day=unit.every_day,
    )


def _loads(problem: PlanProblem, units: Sequence[PlanUnit], after: Mapping[int, frozenset[int]]) -> list[DayLoad]:
    before_load: dict[tuple[int, int], float] = defaultdict(float)
    after_load: dict[tuple[int, int], float] = defaultdict(float)
    for unit in units:
        days = after[unit.id] if unit.decided else unit.before
        for row in unit.rows:
            for d in WEEKDAYS:
                before_load[row.building_id, d] += row.expected_on(d, WORKING_DAYS)
                after_load[row.building_id, d] += expected(row, days, len(unit.before), d)
    target = problem.request.target_utilisation
    return [
        DayLoad(
            building_id=building_id,
            building_code=problem.building_codes.get(building_id, str(building_id)),
            weekday=d,
            desks=problem.desks[building_id],
            limit=round(problem.desks[building_id] * target, 3),
            before=round(before_load[building_id, d], 3),
            after=round(after_load[building_id, d], 3),
        )
        for building_id in sorted(problem.desks)
        for d in WEEKDAYS
    ]
