"""Why no plan fits: the constraint groups that together admit none, found with CP-SAT's assumptions.

The model is rebuilt without an objective, each constraint group behind its own literal (a building-day's capacity,
each pin, each unit's forbidden weekdays, each closed weekday, each named pair: :meth:`PlanModel.enforce`), and
solved *assuming* every literal true. When that is infeasible CP-SAT reports a subset of the assumptions sufficient
for infeasibility. Its rules for that: no objective, one worker (with several the subset is the whole set), and
presolve off (with it the subset may name a literal that is not an assumption, or-tools issue #5141).

The subset is then shrunk by deletion: drop a member and solve again assuming the rest; still impossible? then it
was not needed. What is left is a set in which each member is needed (unless the time ran out first). Then its
groups are set aside and the search repeats on the rest, so that independent reasons (two towers that cannot hold
their people whatever the days) are all named, up to :data:`MAX_REASONS` sets.
"""

import time
from collections.abc import Sequence

from ortools.sat.python import cp_model

from smartoffice.planning.anchor_planner.model import Capacity, PlanProblem, PlanUnit, build
from smartoffice.planning.anchor_planner.proposal import Binding, BindingKind

MAX_REASONS = 20
BINDING_ORDER = list(BindingKind)


def binding_constraints(
    problem: PlanProblem, units: Sequence[PlanUnit], caps: Sequence[Capacity], time_limit: float
) -> list[Binding]:
    """The constraint groups of small sets, each of which admits no plan on its own, in a stable order."""
    deadline = time.perf_counter() + time_limit
    m = build(problem, units, caps, assumptions=True)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.cp_model_presolve = False

    def core_of(assumed: Sequence[int]) -> list[int] | None:
        """A subset of ``assumed`` that admits no plan; None when ``assumed`` admits one, or time ran out."""
        solver.parameters.max_time_in_seconds = max(0.05, deadline - time.perf_counter())
        m.model.clear_assumptions()
        m.model.add_assumptions([m.assumed[i][0] for i in assumed])
        if solver.solve(m.model) != cp_model.INFEASIBLE:
            return None
        core = [i for i in solver.sufficient_assumptions_for_infeasibility() if i in m.assumed]
        return core or list(assumed)

    found: list[int] = []
    remaining = list(m.assumed)
    for _ in range(MAX_REASONS):
        core = core_of(remaining)
        if core is None:
            break
        i = 0
        while i < len(core) and time.perf_counter() < deadline:
            smaller = core_of(core[:i] + core[i + 1 :])
            if smaller is None:
                i += 1  # needed (or undecided in time): keep it
            else:
                core = [c for c in core if c in set(smaller)]
        found += core
        remaining = [i for i in remaining if i not in set(core)]
        if time.perf_counter() >= deadline:
            break
    return sorted({m.assumed[i][1] for i in found}, key=binding_order)


def binding_order(binding: Binding) -> tuple[int, int, int, tuple[int, ...]]:
    return BINDING_ORDER.index(binding.kind), binding.building_id or 0, binding.weekday or 0, binding.unit_ids
