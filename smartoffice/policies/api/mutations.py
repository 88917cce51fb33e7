"""Policy mutations: decode the input and call :class:`~smartoffice.policies.service.PolicyService`; its domain
errors become members of the result unions (``smartoffice/api/errors.py``). The viewer is the actor; "today" is
WITA by the runtime's clock. App tokens need the policies:write scope (and act as their owner: the service checks
the owner's roles)."""

import strawberry

from smartoffice.api.context import Info
from smartoffice.identity.scopes import Scope
from smartoffice.ids import decode_id, encode_id
from smartoffice.policies import models as policy_models
from smartoffice.policies.api.inputs import (
    CreatePolicyInput,
    CreatePolicyResult,
    CreatePolicySuccess,
    DecideExemptionInput,
    DecideExemptionResult,
    DecideExemptionSuccess,
    EndPolicyInput,
    EndPolicyResult,
    EndPolicySuccess,
    Exemption,
    RecommendExemptionInput,
    RecommendExemptionResult,
    RecommendExemptionSuccess,
    RecordAttendanceInput,
    RecordAttendanceResult,
    RecordAttendanceSuccess,
    RequestExemptionInput,
    RequestExemptionResult,
    RequestExemptionSuccess,
    SetAnchorDaysInput,
    SetAnchorDaysResult,
    SetAnchorDaysSuccess,
    SetWorkPlanInput,
    SetWorkPlanResult,
    SetWorkPlanSuccess,
    WithdrawExemptionInput,
    WithdrawExemptionResult,
    WithdrawExemptionSuccess,
    WorkDay,
)
from smartoffice.policies.api.policy_types import Policy
from smartoffice.policies.api.queries import employee_or_viewer
from smartoffice.policies.api.types import Weekday, WorkMode
from smartoffice.policies.exemptions import ExemptionRequest
from smartoffice.policies.policy_changes import PolicyDraft

WEEKDAYS = list(Weekday)
"""Monday first: a weekday's index is its number in the model (0 = Monday)."""


def _mode(mode: WorkMode | None) -> policy_models.WorkMode | None:
    return None if mode is None else policy_models.WorkMode[mode.name]


@strawberry.type
class PoliciesMutation:
    @strawberry.mutation(
        description="Plan a day: HOME or ANYWHERE within the policies (refused on a required day, beyond the week's "
        "remote allowance, over the unit's remote-share cap, or at a kind of place the policies do not allow), "
        "LEAVE, DUTY_TRAVEL, OFFICE, or null to clear. A remote day says where it is worked (locationKind)."
    )
    async def set_work_plan(self, info: Info, input: SetWorkPlanInput) -> SetWorkPlanResult:
        actor = info.context.require_viewer()
        info.context.require_scope(Scope.POLICIES_WRITE)

        employee = employee_or_viewer(info, input.employee_id)
        kind = policy_models.LocationKind[input.location_kind.name] if input.location_kind else None
        row = await info.context.runtime.policies.set_work_plan(
            actor,
            employee,
            input.date,
            _mode(input.mode),
            location_kind=kind,
            location_detail=input.location_detail,
        )
        return SetWorkPlanSuccess(work_day=WorkDay.from_model(input.date, row))

    @strawberry.mutation(
        description="Report what a person did on a day (an attendance system, their supervisor or unit manager)."
    )
    async def record_attendance(self, info: Info, input: RecordAttendanceInput) -> RecordAttendanceResult:
        actor = info.context.require_viewer()
        info.context.require_scope(Scope.POLICIES_WRITE)

        employee = decode_id(input.employee_id, "Employee", "employeeId")
        row = await info.context.runtime.policies.record_attendance(actor, employee, input.date, _mode(input.mode))
        return RecordAttendanceSuccess(work_day=WorkDay.from_model(input.date, row))

    @strawberry.mutation(
        description="Ask for remote days beyond the policies (special circumstances) with a reason, evidence and a "
        "work plan; the head of the unit decides."
    )
    async def request_exemption(self, info: Info, input: RequestExemptionInput) -> RequestExemptionResult:
        actor = info.context.require_viewer()
        info.context.require_scope(Scope.POLICIES_WRITE)

        request = ExemptionRequest(
            employee_id=employee_or_viewer(info, input.employee_id),
            remote_days_per_week=input.remote_days_per_week,
            starts_on=input.starts_on,
            ends_on=input.ends_on,
            reason=input.reason,
            evidence=input.evidence,
            work_plan=input.work_plan,
        )
        details = await info.context.runtime.policies.request_exemption(actor, request)
        return RequestExemptionSuccess(exemption=Exemption.from_details(details))

    @strawberry.mutation(description="Withdraw your pending exemption request (before the unit head decides).")
    async def withdraw_exemption(self, info: Info, input: WithdrawExemptionInput) -> WithdrawExemptionResult:
        actor = info.context.require_viewer()
        info.context.require_scope(Scope.POLICIES_WRITE)

        exemption_id = decode_id(input.exemption_id, "Exemption", "exemptionId")
        details = await info.context.runtime.policies.withdraw_exemption(actor, exemption_id, via=info.context.via)
        return WithdrawExemptionSuccess(exemption=Exemption.from_details(details))

    @strawberry.mutation(
        description="Recommend for or against a pending exemption request, once (the person's direct supervisor); "
        "the unit head decides, seeing it."
    )
    async def recommend_exemption(self, info: Info, input: RecommendExemptionInput) -> RecommendExemptionResult:
        actor = info.context.require_viewer()
        info.context.require_scope(Scope.POLICIES_WRITE)

        exemption_id = decode_id(input.exemption_id, "Exemption", "exemptionId")
        details = await info.context.runtime.policies.recommend_exemption(
            actor, exemption_id, recommend=input.recommend, note=input.note, via=info.context.via
        )
        return RecommendExemptionSuccess(exemption=Exemption.from_details(details))

    @strawberry.mutation(
        description="Approve or reject a pending exemption request (the head of the person's unit), with or "
        "without the supervisor's recommendation; an approval may apply even during a discipline case."
    )
    async def decide_exemption(self, info: Info, input: DecideExemptionInput) -> DecideExemptionResult:
        actor = info.context.require_viewer()
        info.context.require_scope(Scope.POLICIES_WRITE)

        exemption_id = decode_id(input.exemption_id, "Exemption", "exemptionId")
        details = await info.context.runtime.policies.decide_exemption(
            actor,
            exemption_id,
            approve=input.approve,
            note=input.note,
            overrides_discipline=input.overrides_discipline,
            via=info.context.via,
        )
        return DecideExemptionSuccess(exemption=Exemption.from_details(details))

    @strawberry.mutation(
        description="Replace a unit's anchor days (the weekdays it meets in the office) from a date on; earlier "
        "weeks keep theirs. Managers of the unit and administrators."
    )
    async def set_anchor_days(self, info: Info, input: SetAnchorDaysInput) -> SetAnchorDaysResult:
        actor = info.context.require_viewer()
        info.context.require_scope(Scope.POLICIES_WRITE)

        unit_id = decode_id(input.unit_id, "OrgUnit", "unitId")
        weekdays = [WEEKDAYS.index(weekday) for weekday in input.weekdays]
        rows = await info.context.runtime.policies.set_anchor_days(
            actor, unit_id, weekdays, input.effective_from, via=info.context.via
        )
        return SetAnchorDaysSuccess(
            unit_id=strawberry.ID(encode_id("OrgUnit", unit_id)),
            weekdays=[WEEKDAYS[row.weekday] for row in rows],
            effective_from=input.effective_from,
        )

    @strawberry.mutation(
        description="Set a policy: administrators at any level and overlays; unit managers UNIT or INDIVIDUAL "
        "policies scoped to their unit. A lower level can only tighten what the levels above allow."
    )
    async def create_policy(self, info: Info, input: CreatePolicyInput) -> CreatePolicyResult:
        actor = info.context.require_viewer()
        info.context.require_scope(Scope.POLICIES_WRITE)

        draft = PolicyDraft(
            code=input.code,
            name=input.name,
            level=policy_models.PolicyLevel[input.level.name],
            is_overlay=input.is_overlay,
            legal_basis=input.legal_basis,
            set_by=input.set_by,
            effective_from=input.effective_from,
            effective_until=input.effective_until,
            rules=input.rules.to_document(),
            scope=input.scope.to_columns(),
        )
        policy = await info.context.runtime.policies.create_policy(actor, draft, via=info.context.via)
        return CreatePolicySuccess(policy=Policy.from_model(policy))

    @strawberry.mutation(description="End a policy after a day; its history stays. Whoever may set it may end it.")
    async def end_policy(self, info: Info, input: EndPolicyInput) -> EndPolicyResult:
        actor = info.context.require_viewer()
        info.context.require_scope(Scope.POLICIES_WRITE)

        policy_id = decode_id(input.policy_id, "Policy", "policyId")
        policy = await info.context.runtime.policies.end_policy(actor, policy_id, input.last_day, via=info.context.via)
        return EndPolicySuccess(policy=Policy.from_model(policy))
