"""What the anchor-day planner is asked and what it answers (shared by the solver, the service, GraphQL and the
planner page). The service that answers is :class:`~smartoffice.planning.anchor_planner.service.AnchorPlannerService`
(``runtime.anchor_planner``).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class WhatIf:
    """Changes to the world the plan is made for, none of them written anywhere."""

    headcount_change: Mapping[int, int] = field(default_factory=dict)
    """Planning unit id -> people added (positive) or removed (negative), scaled into its expected presence."""
    closed_floor_ids: frozenset[int] = frozenset()
    """Floors whose desks do not count (a refurbishment, a closure)."""
    moved_units: Mapping[int, int] = field(default_factory=dict)
    """Planning unit id -> the building it moves to (all its people there, in whichever tower they sat)."""


@dataclass(frozen=True, slots=True)
class PlanRequest:
    building_ids: tuple[int, ...]
    """The buildings planned together (a site's buildings, or one)."""
    week: date
    """The Monday of the week whose demand is planned (a typical week: the first full working week from it)."""
    target_utilisation: float = 0.85
    """Every building's expected people on every working day must stay under its desks x this."""
    pinned_unit_ids: frozenset[int] = frozenset()
    """Units that keep their current anchor days."""
    forbidden_weekdays: Mapping[int, frozenset[int]] = field(default_factory=dict)
    """Unit id -> weekdays it may not be given."""
    closed_weekdays: frozenset[int] = frozenset()
    """Weekdays no unit may be given (e.g. Friday kept light)."""
    together: tuple[tuple[int, int], ...] = ()
    """Pairs of units the manager names as working together: they share at least one anchor day."""
    keep_siblings_together: bool = True
    """Units with the same parent unit share at least one anchor day (a soft wish when it cannot hold)."""
    what_if: WhatIf = WhatIf()


class PlanStatus(StrEnum):
    OPTIMAL = "optimal"
    """The fewest moves that fit, proven."""
    FEASIBLE = "feasible"
    """A plan that fits, found within the time limit; fewer moves may exist."""
    INFEASIBLE = "infeasible"
    """No plan fits: :attr:`PlanResult.binding` says which constraints together make it impossible."""
    TIMED_OUT = "timed_out"
    """Neither a plan nor a proof that none exists within the time limit: every unit keeps its days (``after`` =
    ``before``). Added by the solver work; rare (the IKN scale answers well inside the limit)."""


class BindingKind(StrEnum):
    CAPACITY = "capacity"  # a building-day cannot hold its fixed load / its units
    PINNED = "pinned"  # a pinned unit's current days
    FORBIDDEN = "forbidden"  # a unit's forbidden weekdays
    CLOSED_DAY = "closed_day"  # a weekday closed to all
    TOGETHER = "together"  # a named pair
    SIBLINGS = "siblings"  # units of one parent


@dataclass(frozen=True, slots=True)
class Binding:
    """One constraint of a set that together admit no plan (CP-SAT's sufficient assumptions for infeasibility)."""

    kind: BindingKind
    unit_ids: tuple[int, ...] = ()
    building_id: int | None = None
    weekday: int | None = None


@dataclass(frozen=True, slots=True)
class UnitPlan:
    unit_id: int
    code: str
    name: str
    building_ids: tuple[int, ...]
    headcount: int
    before: frozenset[int]
    after: frozenset[int]
    pinned: bool
    every_day: bool
    """A public-service unit: in every working day, never moved."""

    @property
    def moved(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True, slots=True)
class DayLoad:
    building_id: int
    building_code: str
    weekday: int
    desks: int
    """Desks counted (closed floors left out)."""
    limit: float
    """desks x target utilisation."""
    before: float
    """Expected people under today's anchor days (and the what-if)."""
    after: float
    """Expected people under the plan."""

    @property
    def overflows_before(self) -> bool:
        return self.before > self.limit

    @property
    def overflows_after(self) -> bool:
        return self.after > self.limit


@dataclass(frozen=True, slots=True)
class PlanResult:
    request: PlanRequest
    status: PlanStatus
    units: list[UnitPlan]
    loads: list[DayLoad]
    binding: list[Binding]
    """Empty unless INFEASIBLE."""
    solve_seconds: float

    @property
    def moved(self) -> list[UnitPlan]:
        return [u for u in self.units if u.moved]


@dataclass(frozen=True, slots=True)
class ApplyRequest:
    """Set these units' anchor days from ``effective_from`` on, all or none, through ``set_anchor_days``'s rules."""

    unit_weekdays: Mapping[int, frozenset[int]]
    effective_from: date
