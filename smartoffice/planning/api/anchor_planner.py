"""GraphQL for the anchor-day planner: ``planAnchorDays`` (a preview: changes nothing) and ``applyAnchorDayPlan``.

Both decode their input and call ``runtime.anchor_planner``
(:class:`~smartoffice.planning.anchor_planner.service.AnchorPlannerService`); its domain errors become members of
the result unions. App tokens need occupancy:read:aggregate to plan and policies:write to apply (as ``setAnchorDays``).
"""

import datetime as dt
from enum import Enum
from typing import Annotated, Self

import strawberry

from smartoffice.api.context import Info
from smartoffice.api.errors import NotFoundError, PermissionDeniedError, ValidationError
from smartoffice.i18n import Language
from smartoffice.identity.scopes import Scope
from smartoffice.ids import decode_id, encode_id
from smartoffice.planning.anchor_planner import proposal
from smartoffice.planning.anchor_planner.wording import describe_binding
from smartoffice.policies.api.types import Weekday

WEEKDAYS = list(Weekday)
"""Monday first: a weekday's index is its number in the model (0 = Monday)."""


def _unit_id(unit_id: int) -> strawberry.ID:
    return strawberry.ID(encode_id("OrgUnit", unit_id))


def _building_id(building_id: int) -> strawberry.ID:
    return strawberry.ID(encode_id("Building", building_id))


def _weekdays(days: frozenset[int]) -> list[Weekday]:
    return [WEEKDAYS[d] for d in sorted(days)]


@strawberry.enum(description="How far the planner got.")
class AnchorPlanStatus(Enum):
    OPTIMAL = strawberry.enum_value(
        proposal.PlanStatus.OPTIMAL.value, description="A plan that fits with the fewest units moved, proven."
    )
    FEASIBLE = strawberry.enum_value(
        proposal.PlanStatus.FEASIBLE.value,
        description="A plan that fits, found within the time limit; one with fewer moves may exist.",
    )
    INFEASIBLE = strawberry.enum_value(
        proposal.PlanStatus.INFEASIBLE.value,
        description="No plan fits: `binding` names constraints that together make it impossible. Units keep "
        "their days (`after` = `before`).",
    )
    TIMED_OUT = strawberry.enum_value(
        proposal.PlanStatus.TIMED_OUT.value,
        description="Neither a plan nor a proof that none exists within the time limit; units keep their days.",
    )


@strawberry.enum(description="A kind of constraint that can make a plan impossible.")
class BindingConstraintKind(Enum):
    CAPACITY = strawberry.enum_value(
        proposal.BindingKind.CAPACITY.value, description="A building's expected people on a weekday ≤ desks × target."
    )
    PINNED = strawberry.enum_value(proposal.BindingKind.PINNED.value, description="A pinned unit keeps its days.")
    FORBIDDEN = strawberry.enum_value(
        proposal.BindingKind.FORBIDDEN.value, description="A unit may not meet on its forbidden weekdays."
    )
    CLOSED_DAY = strawberry.enum_value(
        proposal.BindingKind.CLOSED_DAY.value, description="No unit may meet on a closed weekday."
    )
    TOGETHER = strawberry.enum_value(
        proposal.BindingKind.TOGETHER.value, description="A named pair of units shares an anchor day."
    )
    SIBLINGS = strawberry.enum_value(
        proposal.BindingKind.SIBLINGS.value,
        description="Units of one parent share a day (a wish the planner weighs, never reported as binding today).",
    )


@strawberry.input(description="A unit and weekdays.")
class UnitWeekdaysInput:
    unit_id: strawberry.ID = strawberry.field(description="An OrgUnit (a planning unit: one with anchor days).")
    weekdays: list[Weekday]


@strawberry.input(description="Two units that work together: the plan gives them at least one anchor day in common.")
class UnitPairInput:
    unit_id: strawberry.ID = strawberry.field(description="An OrgUnit.")
    other_unit_id: strawberry.ID = strawberry.field(description="Another OrgUnit.")


@strawberry.input(description="People added to a unit (or removed: negative), for a what-if.")
class HeadcountChangeInput:
    unit_id: strawberry.ID = strawberry.field(description="An OrgUnit housed in the planned buildings.")
    change: int = strawberry.field(description="People added (positive) or removed (negative).")


@strawberry.input(description="A unit moved to another of the planned buildings, for a what-if.")
class UnitMoveInput:
    unit_id: strawberry.ID = strawberry.field(description="An OrgUnit housed in the planned buildings.")
    building_id: strawberry.ID = strawberry.field(description="The Building all its people move to (a planned one).")


@strawberry.input(description="Changes to the world the plan is made for; none of them is written anywhere.")
class PlanWhatIfInput:
    headcount_changes: list[HeadcountChangeInput] = strawberry.field(default_factory=list)
    closed_floor_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Floors whose desks do not count (a refurbishment, a closure)."
    )
    moved_units: list[UnitMoveInput] = strawberry.field(default_factory=list)


@strawberry.input(description="What to plan: buildings, a week, a target, and the manager's adjustments.")
class PlanAnchorDaysInput:
    building_ids: list[strawberry.ID] = strawberry.field(description="The Buildings planned together.")
    week: dt.date = strawberry.field(description="The Monday of the week whose demand is planned.")
    target_utilisation: float = strawberry.field(
        default=0.85, description="Every building's expected people on every weekday must stay ≤ desks × this."
    )
    pinned_unit_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="OrgUnits that keep their current anchor days."
    )
    forbidden_weekdays: list[UnitWeekdaysInput] = strawberry.field(
        default_factory=list, description="Weekdays a unit may not be given."
    )
    closed_weekdays: list[Weekday] = strawberry.field(
        default_factory=list, description="Weekdays no unit may be given (e.g. Friday kept light)."
    )
    together: list[UnitPairInput] = strawberry.field(
        default_factory=list, description="Pairs of units that must share at least one anchor day."
    )
    keep_siblings_together: bool = strawberry.field(
        default=True, description="Prefer a shared day for units of the same parent (a wish, not a rule)."
    )
    what_if: PlanWhatIfInput | None = None


@strawberry.type(description="A unit's anchor days today and in the plan.")
class AnchorDayPlanUnit:
    unit_id: strawberry.ID = strawberry.field(description="The OrgUnit.")
    code: str
    name: str
    building_ids: list[strawberry.ID] = strawberry.field(description="The Buildings its people are housed in.")
    headcount: int = strawberry.field(description="Its people housed in the planned buildings (what-if included).")
    before: list[Weekday] = strawberry.field(description="Its anchor days today.")
    after: list[Weekday] = strawberry.field(description="Its anchor days in the plan.")
    moved: bool = strawberry.field(description="`after` differs from `before`.")
    pinned: bool
    every_day: bool = strawberry.field(description="A public-service unit: in every working day, never moved.")

    @classmethod
    def from_plan(cls, unit: proposal.UnitPlan) -> Self:
        return cls(
            unit_id=_unit_id(unit.unit_id),
            code=unit.code,
            name=unit.name,
            building_ids=[_building_id(b) for b in unit.building_ids],
            headcount=unit.headcount,
            before=_weekdays(unit.before),
            after=_weekdays(unit.after),
            moved=unit.moved,
            pinned=unit.pinned,
            every_day=unit.every_day,
        )


@strawberry.type(description="Expected people in a building on a weekday, today and under the plan.")
class BuildingDayLoad:
    building_id: strawberry.ID
    building_code: str
    weekday: Weekday
    desks: int = strawberry.field(description="Desks counted (the what-if's closed floors left out).")
    limit: float = strawberry.field(description="Desks × the target utilisation.")
    before: float = strawberry.field(description="Expected people under today's anchor days (and the what-if).")
    after: float = strawberry.field(description="Expected people under the plan.")
    overflows_before: bool
    overflows_after: bool

    @classmethod
    def from_load(cls, load: proposal.DayLoad) -> Self:
        return cls(
            building_id=_building_id(load.building_id),
            building_code=load.building_code,
            weekday=WEEKDAYS[load.weekday],
            desks=load.desks,
            limit=load.limit,
            before=load.before,
            after=load.after,
            overflows_before=load.overflows_before,
            overflows_after=load.overflows_after,
        )


@strawberry.type(description="One of a set of constraints that together admit no plan.")
class BindingConstraint:
    kind: BindingConstraintKind
    unit_ids: list[strawberry.ID] = strawberry.field(
        description="The OrgUnits concerned (PINNED, FORBIDDEN, TOGETHER)."
    )
    building_id: strawberry.ID | None = strawberry.field(description="The Building (CAPACITY).")
    weekday: Weekday | None = strawberry.field(description="The weekday (CAPACITY, CLOSED_DAY).")
    description: str = strawberry.field(description="The constraint in words, in the language you asked for.")

    @classmethod
    def from_binding(cls, binding: proposal.Binding, result: proposal.PlanResult, language: Language) -> Self:
        return cls(
            kind=BindingConstraintKind(binding.kind.value),
            unit_ids=[_unit_id(u) for u in binding.unit_ids],
            building_id=_building_id(binding.building_id) if binding.building_id is not None else None,
            weekday=WEEKDAYS[binding.weekday] if binding.weekday is not None else None,
            description=describe_binding(binding, result, language),
        )


@strawberry.type(description="The planner's proposal: each unit's anchor days and each building-day's load.")
class AnchorDayPlan:
    status: AnchorPlanStatus
    solve_seconds: float = strawberry.field(description="Time the planner took (reading the demand not included).")
    moved_count: int = strawberry.field(description="Units whose anchor days change.")
    units: list[AnchorDayPlanUnit]
    loads: list[BuildingDayLoad] = strawberry.field(description="Per building and weekday, Monday first.")
    binding: list[BindingConstraint] = strawberry.field(description="Empty unless INFEASIBLE.")

    @classmethod
    def from_result(cls, result: proposal.PlanResult, language: Language) -> Self:
        return cls(
            status=AnchorPlanStatus(result.status.value),
            solve_seconds=round(result.solve_seconds, 3),
            moved_count=len(result.moved),
            units=[AnchorDayPlanUnit.from_plan(u) for u in result.units],
            loads=[BuildingDayLoad.from_load(d) for d in result.loads],
            binding=[BindingConstraint.from_binding(b, result, language) for b in result.binding],
        )


PlanAnchorDaysResult = Annotated[
    AnchorDayPlan | NotFoundError | PermissionDeniedError | ValidationError,
    strawberry.union(
        "PlanAnchorDaysResult",
        description="The plan, or why not: PermissionDeniedError (NOT_A_FACILITIES_MANAGER) for anyone but the "
        "facilities managers of every planned building's site and administrators; NotFoundError (a Building); "
        "ValidationError (INVALID_ID, PLAN_NO_BUILDINGS, OUT_OF_RANGE, PLAN_WEEK_NOT_MONDAY, PLAN_UNIT_NOT_HOUSED, "
        "PLAN_UNIT_PAIRED_WITH_ITSELF, PLAN_FLOOR_NOT_PLANNED, PLAN_MOVE_OUTSIDE_PLAN, PLAN_HEADCOUNT_BELOW_ZERO).",
    ),
]


@strawberry.input(description="Units' anchor days to set from a date on, all or none.")
class ApplyAnchorDayPlanInput:
    units: list[UnitWeekdaysInput] = strawberry.field(description="Each unit and its new anchor days.")
    effective_from: dt.date = strawberry.field(description="First day of the new anchor days, today or later.")
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="Any string up to 100 characters, unique per intended action: retrying with the same key "
        "returns the first result instead of acting twice; the same key with a different input is refused.",
    )


@strawberry.type(description="The units' anchor days are set.")
class ApplyAnchorDayPlanSuccess:
    changed_unit_ids: list[strawberry.ID] = strawberry.field(
        description="The OrgUnits whose anchor days changed (a unit already on those days is left alone)."
    )
    effective_from: dt.date


ApplyAnchorDayPlanResult = Annotated[
    ApplyAnchorDayPlanSuccess | NotFoundError | PermissionDeniedError | ValidationError,
    strawberry.union(
        "ApplyAnchorDayPlanResult",
        description="Nothing is changed unless every unit can be: PermissionDeniedError (NOT_YOUR_UNIT) when you do "
        "not manage one of the units (managers over the unit and administrators may); NotFoundError (an OrgUnit); "
        "ValidationError (INVALID_ID, PAST_DAY, NOT_WORKING_WEEKDAYS, INVALID_IDEMPOTENCY_KEY, "
        "IDEMPOTENCY_KEY_REUSED).",
    ),
]


def _plan_request(input: PlanAnchorDaysInput) -> proposal.PlanRequest:
    what_if = input.what_if or PlanWhatIfInput()
    return proposal.PlanRequest(
        building_ids=tuple(decode_id(b, "Building", "buildingIds") for b in input.building_ids),
        week=input.week,
        target_utilisation=input.target_utilisation,
        pinned_unit_ids=frozenset(decode_id(u, "OrgUnit", "pinnedUnitIds") for u in input.pinned_unit_ids),
        forbidden_weekdays={
            decode_id(f.unit_id, "OrgUnit", "forbiddenWeekdays"): frozenset(WEEKDAYS.index(d) for d in f.weekdays)
            for f in input.forbidden_weekdays
        },
        closed_weekdays=frozenset(WEEKDAYS.index(d) for d in input.closed_weekdays),
        together=tuple(
            (decode_id(p.unit_id, "OrgUnit", "together"), decode_id(p.other_unit_id, "OrgUnit", "together"))
            for p in input.together
        ),
        keep_siblings_together=input.keep_siblings_together,
        what_if=proposal.WhatIf(
            headcount_change={
                decode_id(c.unit_id, "OrgUnit", "headcountChange"): c.change for c in what_if.headcount_changes
            },
            closed_floor_ids=frozenset(decode_id(f, "Floor", "closedFloorIds") for f in what_if.closed_floor_ids),
            moved_units={
                decode_id(m.unit_id, "OrgUnit", "movedUnits"): decode_id(m.building_id, "Building", "movedUnits")
                for m in what_if.moved_units
            },
        ),
    )


@strawberry.type
class AnchorPlannerQuery:
    @strawberry.field(
        description="Propose anchor days for the units housed in the buildings so that every building's expected "
        "people stay within desks × the target on every weekday, moving as few units as possible (OR-Tools CP-SAT). "
        "A preview: nothing is written. Facilities managers of the sites and administrators; app tokens need "
        "occupancy:read:aggregate."
    )
    async def plan_anchor_days(self, info: Info, input: PlanAnchorDaysInput) -> PlanAnchorDaysResult:
        viewer = info.context.require_viewer()
        info.context.require_scope(Scope.OCCUPANCY_READ_AGGREGATE)

        result = await info.context.runtime.anchor_planner.plan(viewer, _plan_request(input))
        return AnchorDayPlan.from_result(result, info.context.language)


@strawberry.type
class AnchorPlannerMutation:
    @strawberry.mutation(
        description="Set units' anchor days from a date on (a plan from planAnchorDays, as adjusted), all or none, "
        "through the rules of setAnchorDays: managers over each unit and administrators; audited. App tokens need "
        "policies:write."
    )
    async def apply_anchor_day_plan(self, info: Info, input: ApplyAnchorDayPlanInput) -> ApplyAnchorDayPlanResult:
        actor = info.context.require_viewer()
        info.context.require_scope(Scope.POLICIES_WRITE)

        request = proposal.ApplyRequest(
            unit_weekdays={
                decode_id(u.unit_id, "OrgUnit", "units"): frozenset(WEEKDAYS.index(d) for d in u.weekdays)
                for u in input.units
            },
            effective_from=input.effective_from,
        )
        changed = await info.context.runtime.anchor_planner.apply(
            actor, request, via=info.context.via, idempotency_key=input.idempotency_key
        )
        return ApplyAnchorDayPlanSuccess(
            changed_unit_ids=[_unit_id(u) for u in changed], effective_from=input.effective_from
        )
