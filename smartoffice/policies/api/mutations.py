"""Policy mutations: decode the input, call :mod:`smartoffice.policies.changes` in a write transaction, and map
domain errors onto the result unions. The viewer is the actor; "today" is WITA by the runtime's clock. App tokens
need the policies:write scope (and act as their owner: the services check the owner's roles)."""

import strawberry

from smartoffice.api.context import Info
from smartoffice.identity.scopes import Scope
from smartoffice.ids import decode_id, encode_id
from smartoffice.people import service as people
from smartoffice.policies import changes
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
    WorkDay,
)
from smartoffice.policies.api.policy_types import Policy
from smartoffice.policies.api.queries import employee_or_viewer, result, today
from smartoffice.policies.api.types import Weekday, WorkMode

WEEKDAYS = list(Weekday)
"""Monday first: a weekday's index is its number in the model (0 = Monday)."""


def _mode(mode: WorkMode | None) -> policy_models.WorkMode | None:
    return None if mode is None else policy_models.WorkMode[mode.name]


@strawberry.type
class PoliciesMutation:
    @strawberry.mutation(
        description="Plan a day: HOME or ANYWHERE within the policies (refused on a required day, beyond the week's "
        "remote allowance, or over the unit's remote-share cap), LEAVE, DUTY_TRAVEL, OFFICE, or null to clear."
    )
    async def set_work_plan(self, info: Info, input: SetWorkPlanInput) -> SetWorkPlanResult:
        actor, runtime, on = info.context.require_viewer(), info.context.runtime, today(info)
        info.context.require_scope(Scope.POLICIES_WRITE)

        async def run() -> SetWorkPlanSuccess:
            employee = employee_or_viewer(info, input.employee_id)
            async with runtime.db.write() as session:
                row = await changes.set_work_day(session, actor, employee, input.date, on, planned=_mode(input.mode))
                work_day = WorkDay.from_model(input.date, row)
            return SetWorkPlanSuccess(work_day=work_day)

        return await result(info, input.employee_id, run)

    @strawberry.mutation(
        description="Report what a person did on a day (an attendance system, their supervisor or unit manager)."
    )
    async def record_attendance(self, info: Info, input: RecordAttendanceInput) -> RecordAttendanceResult:
        actor, runtime = info.context.require_viewer(), info.context.runtime
        info.context.require_scope(Scope.POLICIES_WRITE)

        async def run() -> RecordAttendanceSuccess:
            employee = decode_id(input.employee_id, "Employee", "employeeId")
            async with runtime.db.write() as session:
                row = await changes.record_attendance(session, actor, employee, input.date, _mode(input.mode))
                work_day = WorkDay.from_model(input.date, row)
            return RecordAttendanceSuccess(work_day=work_day)

        return await result(info, input.employee_id, run)  # type: ignore[return-value]

    @strawberry.mutation(
        description="Ask for remote days beyond the policies (special circumstances) with a reason, evidence and a "
        "work plan; the head of the unit decides."
    )
    async def request_exemption(self, info: Info, input: RequestExemptionInput) -> RequestExemptionResult:
        actor, runtime, on = info.context.require_viewer(), info.context.runtime, today(info)
        info.context.require_scope(Scope.POLICIES_WRITE)

        async def run() -> RequestExemptionSuccess:
            request = changes.ExemptionRequest(
                employee_id=employee_or_viewer(info, input.employee_id),
                remote_days_per_week=input.remote_days_per_week,
                starts_on=input.starts_on,
                ends_on=input.ends_on,
                reason=input.reason,
                evidence=input.evidence,
                work_plan=input.work_plan,
            )
            async with runtime.db.write() as session:
                exemption = await changes.request_exemption(session, actor, request, on, runtime.bookings.clock())
                employee = await people.get_employee(session, exemption.employee_id)
                return RequestExemptionSuccess(exemption=Exemption.from_model(exemption, employee))

        return await result(info, input.employee_id, run)  # type: ignore[return-value]

    @strawberry.mutation(description="Approve or reject a pending exemption request (the head of the person's unit).")
    async def decide_exemption(self, info: Info, input: DecideExemptionInput) -> DecideExemptionResult:
        actor, runtime = info.context.require_viewer(), info.context.runtime
        info.context.require_scope(Scope.POLICIES_WRITE)

        async def run() -> DecideExemptionSuccess:
            exemption_id = decode_id(input.exemption_id, "Exemption", "exemptionId")
            async with runtime.db.write() as session:
                exemption = await changes.decide_exemption(
                    session, actor, exemption_id, approve=input.approve, note=input.note, now=runtime.bookings.clock()
                )
                employee = await people.get_employee(session, exemption.employee_id)
                return DecideExemptionSuccess(exemption=Exemption.from_model(exemption, employee))

        return await result(info, input.exemption_id, run)  # type: ignore[return-value]

    @strawberry.mutation(
        description="Replace a unit's anchor days (the weekdays it meets in the office) from a date on; earlier "
        "weeks keep theirs. Managers of the unit and administrators."
    )
    async def set_anchor_days(self, info: Info, input: SetAnchorDaysInput) -> SetAnchorDaysResult:
        actor, runtime, on = info.context.require_viewer(), info.context.runtime, today(info)
        info.context.require_scope(Scope.POLICIES_WRITE)

        async def run() -> SetAnchorDaysSuccess:
            unit_id = decode_id(input.unit_id, "OrgUnit", "unitId")
            weekdays = [WEEKDAYS.index(weekday) for weekday in input.weekdays]
            async with runtime.db.write() as session:
                rows = await changes.set_anchor_days(session, actor, unit_id, weekdays, input.effective_from, on)
                saved = [WEEKDAYS[row.weekday] for row in rows]
            return SetAnchorDaysSuccess(
                unit_id=strawberry.ID(encode_id("OrgUnit", unit_id)),
                weekdays=saved,
                effective_from=input.effective_from,
            )

        return await result(info, input.unit_id, run)  # type: ignore[return-value]

    @strawberry.mutation(
        description="Set a policy: administrators at any level and overlays; unit managers UNIT or INDIVIDUAL "
        "policies scoped to their unit. A lower level can only tighten what the levels above allow."
    )
    async def create_policy(self, info: Info, input: CreatePolicyInput) -> CreatePolicyResult:
        actor, runtime = info.context.require_viewer(), info.context.runtime
        info.context.require_scope(Scope.POLICIES_WRITE)

        async def run() -> CreatePolicySuccess:
            draft = changes.PolicyDraft(
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
            async with runtime.db.write() as session:
                policy = await changes.create_policy(session, actor, draft, runtime.bookings.clock())
                return CreatePolicySuccess(policy=Policy.from_model(policy))

        return await result(info, None, run)  # type: ignore[return-value]

    @strawberry.mutation(description="End a policy after a day; its history stays. Whoever may set it may end it.")
    async def end_policy(self, info: Info, input: EndPolicyInput) -> EndPolicyResult:
        actor, runtime = info.context.require_viewer(), info.context.runtime
        info.context.require_scope(Scope.POLICIES_WRITE)

        async def run() -> EndPolicySuccess:
            policy_id = decode_id(input.policy_id, "Policy", "policyId")
            async with runtime.db.write() as session:
                policy = await changes.end_policy(session, actor, policy_id, input.last_day)
                return EndPolicySuccess(policy=Policy.from_model(policy))

        return await result(info, input.policy_id, run)  # type: ignore[return-value]
