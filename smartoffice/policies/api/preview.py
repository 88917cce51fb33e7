"""``previewPolicy``: what a new policy would do before it is set, with the input ``createPolicy`` takes and the
same refusals (:meth:`~smartoffice.policies.service.PolicyService.preview_policy`). App tokens need the
policies:write scope, as for ``createPolicy``: a preview reads whom a policy would cover."""

import datetime as dt
from typing import Annotated, Self

import strawberry

from smartoffice.api.context import Info
from smartoffice.identity.scopes import Scope
from smartoffice.people.api.types import Employee
from smartoffice.policies import models as policy_models
from smartoffice.policies import preview
from smartoffice.policies.api.inputs import CreatePolicyInput, Refusals
from smartoffice.policies.policy_changes import PolicyDraft


@strawberry.type(description="How many people go from one number of days a week to another.")
class PolicyPreviewTransition:
    before: int = strawberry.field(description="Days a week without the policy.")
    after: int = strawberry.field(description="Days a week with it.")
    people: int = strawberry.field(description="How many people.")

    @classmethod
    def from_transition(cls, t: preview.Transition) -> Self:
        return cls(before=t.before, after=t.after, people=t.people)


@strawberry.type(description="A person whose sample week changes, before and after.")
class PolicyPreviewExample:
    employee: Employee = strawberry.field(description="The person.")
    office_days_before: int = strawberry.field(description="Office days the week needs without the policy.")
    office_days_after: int = strawberry.field(description="Office days the week needs with it.")
    remote_days_before: int = strawberry.field(description="Remote days the week allows without the policy.")
    remote_days_after: int = strawberry.field(description="Remote days the week allows with it.")
    eligible_before: bool = strawberry.field(description="Eligible for remote days without the policy.")
    eligible_after: bool = strawberry.field(description="Eligible for remote days with it.")

    @classmethod
    def from_change(cls, change: preview.PersonChange) -> Self:
        return cls(
            employee=Employee.from_model(change.employee),
            office_days_before=change.before.office_days_needed,
            office_days_after=change.after.office_days_needed,
            remote_days_before=change.before.remote_days_allowed,
            remote_days_after=change.after.remote_days_allowed,
            eligible_before=change.before.eligible,
            eligible_after=change.after.eligible,
        )


@strawberry.type(
    description="What a new policy would do: the active people it covers on its first day, and for the first full "
    "week in force, whose required office days, remote allowance or eligibility change. Nothing is saved."
)
class PolicyPreview:
    week_of: dt.date = strawberry.field(description="The Monday of the sample week (the first full week in force).")
    people_in_scope: int = strawberry.field(description="Active people the policy covers on its first day.")
    people_compared: int = strawberry.field(
        description=f"Whose weeks were compared: everyone in scope, at most {preview.MAX_PREVIEW_PEOPLE:,} (by id)."
    )
    people_changed: int = strawberry.field(description="Of those, people whose sample week changes.")
    office_days_changed: int = strawberry.field(
        description="People whose office days needed (or required days) change."
    )
    remote_allowance_changed: int = strawberry.field(description="People whose remote days allowed change.")
    eligibility_changed: int = strawberry.field(description="People who become eligible or no longer are.")
    became_ineligible: int = strawberry.field(description="People no longer eligible for remote days.")
    became_eligible: int = strawberry.field(description="People who become eligible for remote days.")
    office_days: list[PolicyPreviewTransition] = strawberry.field(
        description="Office days needed, before → after, most people first."
    )
    remote_days: list[PolicyPreviewTransition] = strawberry.field(
        description="Remote days allowed, before → after, most people first."
    )
    examples: list[PolicyPreviewExample] = strawberry.field(
        description=f"Up to {preview.MAX_EXAMPLES} people whose week changes, by name."
    )

    @classmethod
    def from_preview(cls, p: preview.PolicyPreview) -> Self:
        eligibility = {(t.before, t.after): t.people for t in p.eligibility}
        return cls(
            week_of=p.monday,
            people_in_scope=p.people_in_scope,
            people_compared=p.people_compared,
            people_changed=p.people_changed,
            office_days_changed=p.office_days_changed,
            remote_allowance_changed=p.remote_allowance_changed,
            eligibility_changed=p.eligibility_changed,
            became_ineligible=eligibility.get((1, 0), 0),
            became_eligible=eligibility.get((0, 1), 0),
            office_days=[PolicyPreviewTransition.from_transition(t) for t in p.office_days],
            remote_days=[PolicyPreviewTransition.from_transition(t) for t in p.remote_days],
            examples=[PolicyPreviewExample.from_change(c) for c in p.examples],
        )


PreviewPolicyResult = Annotated[
    PolicyPreview | Refusals,
    strawberry.union(
        "PreviewPolicyResult",
        description="The preview, or what createPolicy would answer: PermissionDeniedError (NOT_YOUR_POLICY), "
        "ValidationError (INVALID_RULES, REQUIRED, TEXT_TOO_LONG, RANGE_REVERSED, DUPLICATE_CODE, INVALID_ID), "
        "NotFoundError (a scope id names nothing).",
    ),
]


def draft_of(input: CreatePolicyInput) -> PolicyDraft:
    return PolicyDraft(
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


@strawberry.type
class PolicyPreviewQuery:
    @strawberry.field(
        description="Preview a policy before setting it (createPolicy's input and permission): how many people it "
        "covers and how their first full week in force changes. App tokens need policies:write."
    )
    async def preview_policy(self, info: Info, input: CreatePolicyInput) -> PreviewPolicyResult:
        actor = info.context.require_viewer()
        info.context.require_scope(Scope.POLICIES_WRITE)

        result = await info.context.runtime.policies.preview_policy(actor, draft_of(input))
        return PolicyPreview.from_preview(result)
