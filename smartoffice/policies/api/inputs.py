"""GraphQL inputs and results of the policy operations: work plans, attendance, exemptions, anchor days, policies.

Every result is a union of a success type and the typed errors the operation can meet (see each union's
description); the schema maps domain errors onto them, once (``smartoffice/api/errors.py``).
"""

import datetime as dt
from typing import Annotated, Any, Self

import strawberry
from strawberry import relay

from smartoffice.api.errors import NotFoundError, PermissionDeniedError, PolicyRefusalError, ValidationError
from smartoffice.ids import decode_id
from smartoffice.people import models as people_models
from smartoffice.people.api.types import Employee
from smartoffice.policies import models, rules
from smartoffice.policies.api.policy_types import (
    EmploymentType,
    LocationKind,
    PerformanceRating,
    Policy,
    PolicyLevel,
    PositionKind,
)
from smartoffice.policies.api.types import ExemptionStatus, MyWeek, UnitCompliance, Weekday, WorkMode
from smartoffice.policies.exemptions import ExemptionDetails

Refusals = NotFoundError | PermissionDeniedError | ValidationError

MyWeekResult = Annotated[
    MyWeek | Refusals,
    strawberry.union(
        "MyWeekResult",
        description="The week, or why not: PermissionDeniedError (code NOT_YOUR_WEEK) for anyone but the person, "
        "their supervisor, a manager of their unit or an administrator; NotFoundError; ValidationError INVALID_ID.",
    ),
]

UnitComplianceResult = Annotated[
    UnitCompliance | Refusals,
    strawberry.union(
        "UnitComplianceResult",
        description="The report, or why not: PermissionDeniedError for anyone but a manager of the unit (or above) "
        "or an administrator; NotFoundError; ValidationError INVALID_ID.",
    ),
]


# work days


@strawberry.type(description="What a person plans for a day beyond bookings, and what the attendance system says.")
class WorkDay:
    date: dt.date = strawberry.field(description="The local date.")
    planned: WorkMode | None = strawberry.field(description="The plan (a desk booking counts as OFFICE on its own).")
    actual: WorkMode | None = strawberry.field(description="What was reported as done.")
    location_kind: LocationKind | None = strawberry.field(
        default=None,
        description="Where a remote plan is worked: REGISTERED_HOME for HOME, AGENCY_OFFICE or DESIGNATED_PLACE for "
        "ANYWHERE (PermenPANRB 4/2025); null for other plans.",
    )
    location_detail: str | None = strawberry.field(
        default=None,
        description="Which office or designated place, or the registered home's reference (personal data: seen by "
        "whoever may see the person's week).",
    )

    @classmethod
    def from_model(cls, day: dt.date, row: models.WorkDay | None) -> Self:
        """``row`` is None when the day holds nothing."""
        planned = row.planned if row else None
        actual = row.actual if row else None
        kind = row.location_kind if row else None
        return cls(
            date=day,
            planned=WorkMode(planned.value) if planned else None,
            actual=WorkMode(actual.value) if actual else None,
            location_kind=LocationKind(kind.value) if kind else None,
            location_detail=row.location_detail if row else None,
        )


EMPLOYEE_HELP = "The employee; default: yourself. Their supervisor or a manager of their unit may act for them."


@strawberry.input(description="Plan how a person works on a day, or clear the plan.")
class SetWorkPlanInput:
    employee_id: strawberry.ID | None = strawberry.field(default=None, description=EMPLOYEE_HELP)
    date: dt.date = strawberry.field(description="A working day, today or later.")
    mode: WorkMode | None = strawberry.field(
        description="HOME or ANYWHERE are checked against the policies; OFFICE is for assigned desks (otherwise "
        "book a desk); null clears the plan."
    )
    location_kind: LocationKind | None = strawberry.field(
        default=None,
        description="Where a remote day is worked: HOME is worked at the REGISTERED_HOME (the default); ANYWHERE "
        "needs AGENCY_OFFICE or DESIGNATED_PLACE. Refused on other plans, and when the policies in force that day "
        "do not allow the kind (allowedLocationKinds).",
    )
    location_detail: str | None = strawberry.field(
        default=None,
        description="Which office or designated place (required with ANYWHERE), up to 200 characters; for HOME it "
        "defaults to the person's registered home reference.",
    )


@strawberry.type(description="The day is planned.")
class SetWorkPlanSuccess:
    work_day: WorkDay = strawberry.field(description="The day as now recorded.")


SetWorkPlanResult = Annotated[
    SetWorkPlanSuccess | PolicyRefusalError | Refusals,
    strawberry.union(
        "SetWorkPlanResult",
        description="PolicyRefusalError codes: DAY_REQUIRED_IN_OFFICE, REMOTE_ALLOWANCE_USED, UNIT_REMOTE_SHARE_CAP, "
        "LOCATION_KIND_NOT_ALLOWED. ValidationError codes: PAST_DAY, NOT_A_WORKING_DAY, INVALID_ID, "
        "LOCATION_ONLY_FOR_REMOTE, HOME_IS_THE_REGISTERED_HOME, ANYWHERE_NEEDS_A_PLACE, LOCATION_DETAIL_NEEDED, "
        "LOCATION_DETAIL_TOO_LONG. PermissionDeniedError: NOT_YOUR_PLAN.",
    ),
]


@strawberry.input(description="Report what a person did on a day (an attendance system, or their manager).")
class RecordAttendanceInput:
    employee_id: strawberry.ID = strawberry.field(description="The employee.")
    date: dt.date = strawberry.field(description="The local date.")
    mode: WorkMode | None = strawberry.field(description="What they did; null clears the report.")


@strawberry.type(description="The attendance is recorded.")
class RecordAttendanceSuccess:
    work_day: WorkDay = strawberry.field(description="The day as now recorded.")


RecordAttendanceResult = Annotated[
    RecordAttendanceSuccess | Refusals,
    strawberry.union(
        "RecordAttendanceResult",
        description="PermissionDeniedError for anyone but the person's supervisor, a manager of their unit or an "
        "administrator.",
    ),
]


# exemptions


@strawberry.type(description="The file attached to an exemption request as evidence (its bytes are downloaded).")
class ExemptionEvidenceFile:
    file_name: str = strawberry.field(description="Its name, made safe (ASCII, the extension of its type).")
    content_type: str = strawberry.field(
        description="application/pdf, image/png or image/jpeg, as its first bytes say."
    )
    size_bytes: int = strawberry.field(description="Its size, at most 5 MB.")
    sha256: str = strawberry.field(description="Its SHA-256, in hex.")
    uploaded_at: dt.datetime = strawberry.field(description="When it was attached (UTC).")
    download_url: str = strawberry.field(
        description="Where a signed-in person who may see the request downloads it (a page of this site, always "
        "as an attachment): the person, their direct supervisor, a unit manager over them, an administrator."
    )

    @classmethod
    def from_model(cls, evidence: models.ExemptionEvidence) -> Self:
        return cls(
            file_name=evidence.file_name,
            content_type=evidence.content_type,
            size_bytes=evidence.size_bytes,
            sha256=evidence.sha256,
            uploaded_at=evidence.uploaded_at,
            download_url=f"/exemptions/{evidence.exemption_id}/evidence",
        )


@strawberry.type(
    description="A request for remote days beyond the policies (special circumstances): recommended by the "
    "person's direct supervisor, decided by the head of their unit."
)
class Exemption(relay.Node):
    id: relay.NodeID[int]
    employee: Employee = strawberry.field(description="Who it is for.")
    remote_days_per_week: int = strawberry.field(description="Remote days a week it grants.")
    starts_on: dt.date = strawberry.field(description="First day.")
    ends_on: dt.date = strawberry.field(description="Last day; it expires after.")
    reason: str = strawberry.field(description="Why (personal data: seen by the person and their managers).")
    evidence: str = strawberry.field(
        description="What supports it, in words, e.g. a doctor's letter reference (may be empty with a file)."
    )
    evidence_file: ExemptionEvidenceFile | None = strawberry.field(description="The attached evidence file.")
    work_plan: str = strawberry.field(description="How the work gets done meanwhile.")
    status: ExemptionStatus = strawberry.field(description="Where the request is.")
    created_at: dt.datetime = strawberry.field(description="When it was requested (UTC).")
    recommendation: bool | None = strawberry.field(
        description="The direct supervisor's recommendation: true for, false against, null not given (the unit "
        "head may decide without one)."
    )
    recommendation_note: str | None = strawberry.field(description="The supervisor's note.")
    recommended_by: Employee | None = strawberry.field(description="The supervisor who recommended.")
    recommended_at: dt.datetime | None = strawberry.field(description="When the recommendation was given (UTC).")
    decided_by: Employee | None = strawberry.field(description="Who approved or rejected it.")
    decided_at: dt.datetime | None = strawberry.field(description="When it was decided (UTC).")
    decision_note: str | None = strawberry.field(description="The decider's note.")
    overrides_discipline: bool = strawberry.field(
        description="Approved to apply even while a discipline case suspends the person's remote work."
    )
    withdrawn_at: dt.datetime | None = strawberry.field(description="When the person withdrew it (UTC).")

    @classmethod
    def from_details(cls, details: ExemptionDetails) -> Self:
        """Its people must have their org unit and organisation loaded (as ``ExemptionDetails`` has them)."""
        e = details.exemption
        return cls(
            id=e.id,
            employee=Employee.from_model(details.employee),
            remote_days_per_week=e.remote_days_per_week,
            starts_on=e.starts_on,
            ends_on=e.ends_on,
            reason=e.reason,
            evidence=e.evidence,
            evidence_file=ExemptionEvidenceFile.from_model(details.evidence) if details.evidence else None,
            work_plan=e.work_plan,
            status=ExemptionStatus(e.status.value),
            created_at=e.created_at,
            recommendation=e.recommendation,
            recommendation_note=e.recommendation_note,
            recommended_by=Employee.from_model(details.recommended_by) if details.recommended_by else None,
            recommended_at=e.recommended_at,
            decided_by=Employee.from_model(details.decided_by) if details.decided_by else None,
            decided_at=e.decided_at,
            decision_note=e.decision_note,
            overrides_discipline=e.overrides_discipline,
            withdrawn_at=e.withdrawn_at,
        )


@strawberry.input(description="Ask for remote days beyond the policies: a reason, evidence and a work plan.")
class RequestExemptionInput:
    employee_id: strawberry.ID | None = strawberry.field(default=None, description=EMPLOYEE_HELP)
    remote_days_per_week: int = strawberry.field(
        description="1 to 5, and at most what the policies let an exemption grant."
    )
    starts_on: dt.date = strawberry.field(description="First day, today or later.")
    ends_on: dt.date = strawberry.field(
        description="Last day: at most 3 calendar months (until the day before the same day of the month 3 months "
        "later: 14 December → 13 March) unless a policy says less, in days or months."
    )
    reason: str = strawberry.field(description="Why; up to 4,000 characters.")
    evidence: str = strawberry.field(
        description="What supports it; up to 4,000 characters. (A file is attached on the exemptions page.)"
    )
    work_plan: str = strawberry.field(description="How the work gets done; up to 4,000 characters.")


@strawberry.type(description="The request is recorded, PENDING until the unit head decides.")
class RequestExemptionSuccess:
    exemption: Exemption = strawberry.field(description="The request.")


RequestExemptionResult = Annotated[
    RequestExemptionSuccess | Refusals,
    strawberry.union(
        "RequestExemptionResult",
        description="ValidationError codes: REQUIRED, TEXT_TOO_LONG, PAST_DAY, RANGE_REVERSED, OUT_OF_RANGE, "
        "EXEMPTION_TOO_LONG, INVALID_ID. PermissionDeniedError: NOT_YOUR_PLAN.",
    ),
]


@strawberry.input(description="Withdraw a pending exemption request.")
class WithdrawExemptionInput:
    exemption_id: strawberry.ID = strawberry.field(description="The request.")


@strawberry.type(description="The request is WITHDRAWN.")
class WithdrawExemptionSuccess:
    exemption: Exemption = strawberry.field(description="The withdrawn request.")


WithdrawExemptionResult = Annotated[
    WithdrawExemptionSuccess | Refusals,
    strawberry.union(
        "WithdrawExemptionResult",
        description="PermissionDeniedError (NOT_YOUR_REQUEST) for anyone but the person or whoever asked for them. "
        "ValidationError: EXEMPTION_NOT_PENDING, INVALID_ID. NotFoundError.",
    ),
]


@strawberry.input(description="The direct supervisor's recommendation on a pending exemption request.")
class RecommendExemptionInput:
    exemption_id: strawberry.ID = strawberry.field(description="The request.")
    recommend: bool = strawberry.field(description="True recommends approving it, false recommends against.")
    note: str | None = strawberry.field(default=None, description="Why, for the unit head and the person.")


@strawberry.type(description="The recommendation is recorded; the request stays PENDING for the unit head.")
class RecommendExemptionSuccess:
    exemption: Exemption = strawberry.field(description="The request.")


RecommendExemptionResult = Annotated[
    RecommendExemptionSuccess | Refusals,
    strawberry.union(
        "RecommendExemptionResult",
        description="PermissionDeniedError (NOT_YOUR_RECOMMENDATION) for anyone but the person's direct "
        "supervisor. ValidationError: EXEMPTION_NOT_PENDING, EXEMPTION_ALREADY_RECOMMENDED, INVALID_ID.",
    ),
]


@strawberry.input(description="Approve or reject an exemption request.")
class DecideExemptionInput:
    exemption_id: strawberry.ID = strawberry.field(description="The request.")
    approve: bool = strawberry.field(description="True approves, false rejects.")
    note: str | None = strawberry.field(default=None, description="Why, for the person.")
    overrides_discipline: bool = strawberry.field(
        default=False,
        description="When approving: the exemption applies even while a discipline case suspends the person's "
        "remote work (otherwise the case suspends it, and the week says why).",
    )


@strawberry.type(description="The request is APPROVED or REJECTED.")
class DecideExemptionSuccess:
    exemption: Exemption = strawberry.field(description="The decided request.")


DecideExemptionResult = Annotated[
    DecideExemptionSuccess | Refusals,
    strawberry.union(
        "DecideExemptionResult",
        description="PermissionDeniedError (NOT_YOUR_DECISION) for anyone but a manager of the person's unit or an "
        "administrator, and for one's own request. ValidationError: EXEMPTION_NOT_PENDING, INVALID_ID. The head may "
        "decide with or without the supervisor's recommendation.",
    ),
]


# anchor days


@strawberry.input(description="Replace a unit's anchor days from a date on.")
class SetAnchorDaysInput:
    unit_id: strawberry.ID = strawberry.field(
        description="The OrgUnit; its sub-units follow unless they have their own."
    )
    weekdays: list[Weekday] = strawberry.field(description="The new anchor days; empty: none.")
    effective_from: dt.date = strawberry.field(description="First day of the new anchor days, today or later.")


@strawberry.type(description="A unit's anchor days from a date on.")
class SetAnchorDaysSuccess:
    unit_id: strawberry.ID = strawberry.field(description="The OrgUnit.")
    weekdays: list[Weekday] = strawberry.field(description="The anchor days, Monday first.")
    effective_from: dt.date = strawberry.field(description="First day in force.")


SetAnchorDaysResult = Annotated[
    SetAnchorDaysSuccess | Refusals,
    strawberry.union(
        "SetAnchorDaysResult",
        description="PermissionDeniedError (NOT_YOUR_UNIT) for anyone but a manager of the unit or an administrator. "
        "ValidationError: PAST_DAY, NOT_WORKING_WEEKDAYS, INVALID_ID.",
    ),
]


# policies


@strawberry.input(description="Who may have remote days at all.")
class EligibilityInput:
    no_discipline_case: bool = strawberry.field(default=False, description="No pending or active disciplinary case.")
    min_days_in_post: int | None = strawberry.field(default=None, description="At least this many days in post.")
    ratings: list[PerformanceRating] | None = strawberry.field(
        default=None, description="The latest performance rating must be one of these."
    )


@strawberry.input(description="One weekday's working hours.")
class DayHoursInput:
    weekday: int = strawberry.field(description="0 = Monday … 6 = Sunday.")
    start: dt.time = strawberry.field(description="Local start.")
    end: dt.time = strawberry.field(description="Local end.")
    hours: float = strawberry.field(description="Hours worked, less the breaks; more than 0, at most 24.")


@strawberry.input(description="Working hours.")
class WorkingHoursInput:
    start: dt.time = strawberry.field(description="Local start of the working day.")
    hours_per_week: float = strawberry.field(description="More than 0, at most 60.")
    days: list[DayHoursInput] | None = strawberry.field(
        default=None, description="Each weekday's own hours (e.g. Friday's in Ramadan); null: a fifth of the week."
    )


@strawberry.input(
    description="What a policy states; leave out (or send null for) what it does not decide; false is a statement. "
    "Mirrors PolicyRules."
)
class PolicyRulesInput:
    max_remote_days_per_week: int | None = strawberry.field(default=None, description="0–5.")
    min_office_days_per_week: int | None = strawberry.field(default=None, description="0–5.")
    office_every_working_day: bool | None = strawberry.field(default=None, description="Public service.")
    works_on_collective_leave: bool | None = strawberry.field(
        default=None, description="Cuti bersama are working days."
    )
    anchor_days_required: bool | None = strawberry.field(
        default=None, description="In on the unit's anchor days; false in an overlay lifts it."
    )
    supervisor_copresence_days: int | None = strawberry.field(default=None, description="0–5.")
    max_unit_remote_percent: int | None = strawberry.field(default=None, description="0–100.")
    building_occupancy_percent: int | None = strawberry.field(default=None, description="0–100.")
    eligibility: EligibilityInput | None = strawberry.field(default=None, description="Who may have remote days.")
    working_hours: WorkingHoursInput | None = strawberry.field(default=None, description="Working hours.")
    exemption_max_remote_days: int | None = strawberry.field(default=None, description="0–5.")
    exemption_max_days: int | None = strawberry.field(default=None, description="1–366.")
    exemption_max_months: int | None = strawberry.field(default=None, description="1–12 calendar months.")
    allowed_location_kinds: list[LocationKind] | None = strawberry.field(
        default=None, description="Where remote days may be worked (several policies: the kinds all allow)."
    )
    prorate_short_weeks: bool | None = strawberry.field(
        default=None, description="Pro-rate the weekly numbers in weeks with holidays (the agency's choice)."
    )

    def to_document(self) -> dict[str, Any]:
        """The rules document :func:`~smartoffice.policies.rules.parse_rules` validates (only what is stated)."""
        document: dict[str, Any] = {}
        for name in rules.PolicyRules.__struct_fields__:
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, EligibilityInput):
                value = {
                    "no_discipline_case": value.no_discipline_case,
                    "min_days_in_post": value.min_days_in_post,
                    "ratings": [models.Rating[r.name].value for r in value.ratings]
                    if value.ratings is not None
                    else None,
                }
            elif name == "allowed_location_kinds":
                value = [kind.value for kind in value]
            elif isinstance(value, WorkingHoursInput):
                hours = value
                value = {"start": hours.start.isoformat(), "hours_per_week": hours.hours_per_week}
                if hours.days is not None:
                    value["days"] = [
                        {"weekday": d.weekday, "start": d.start.isoformat(), "end": d.end.isoformat(), "hours": d.hours}
                        for d in hours.days
                    ]
            document[name] = value
        return document


@strawberry.input(description="Who a policy applies to: every field set must match; leave out the rest.")
class PolicyScopeInput:
    organisation_id: strawberry.ID | None = strawberry.field(default=None, description="An Organisation.")
    org_unit_id: strawberry.ID | None = strawberry.field(
        default=None, description="An OrgUnit and its subtree (required for unit managers)."
    )
    position_kind: PositionKind | None = strawberry.field(default=None, description="A kind of post.")
    position_level: str | None = strawberry.field(default=None, description="A post level, e.g. Ahli Muda.")
    employment_type: EmploymentType | None = strawberry.field(default=None, description="PNS or PPPK.")
    building_id: strawberry.ID | None = strawberry.field(default=None, description="A Building.")
    employee_id: strawberry.ID | None = strawberry.field(default=None, description="One Employee.")

    def to_columns(self) -> dict[str, Any]:
        """The policy's scope columns; a malformed id is a ValidationError naming its field."""

        def decode(value: strawberry.ID | None, type_name: str, field: str) -> int | None:
            return None if value is None else decode_id(value, type_name, f"scope.{field}")

        return {
            "organisation_id": decode(self.organisation_id, "Organisation", "organisationId"),
            "org_unit_id": decode(self.org_unit_id, "OrgUnit", "orgUnitId"),
            "position_kind": people_models.PositionKind[self.position_kind.name] if self.position_kind else None,
            "position_level": self.position_level,
            "employment_type": people_models.EmploymentType[self.employment_type.name]
            if self.employment_type
            else None,
            "building_id": decode(self.building_id, "Building", "buildingId"),
            "employee_id": decode(self.employee_id, "Employee", "employeeId"),
        }


@strawberry.input(description="A new policy: its rules, scope, dates and legal basis.")
class CreatePolicyInput:
    code: str = strawberry.field(description="Stable short name, unique; up to 64 characters.")
    name: str = strawberry.field(description="What people call it; up to 200 characters.")
    level: PolicyLevel = strawberry.field(description="Unit managers: UNIT or INDIVIDUAL only.")
    is_overlay: bool = strawberry.field(
        default=False, description="Replaces what it states above every level (administrators only)."
    )
    legal_basis: str = strawberry.field(description="The regulation or decree.")
    set_by: str = strawberry.field(description="Who decided it; up to 200 characters.")
    effective_from: dt.date = strawberry.field(description="First day in force.")
    effective_until: dt.date | None = strawberry.field(default=None, description="Last day; null: open-ended.")
    scope: PolicyScopeInput = strawberry.field(description="Who it applies to; empty: everyone.")
    rules: PolicyRulesInput = strawberry.field(description="What it states.")


@strawberry.type(description="The policy is in force on its dates.")
class CreatePolicySuccess:
    policy: Policy = strawberry.field(description="The new policy.")


CreatePolicyResult = Annotated[
    CreatePolicySuccess | Refusals,
    strawberry.union(
        "CreatePolicyResult",
        description="PermissionDeniedError (NOT_YOUR_POLICY): administrators set any policy; unit managers UNIT or "
        "INDIVIDUAL policies scoped to their unit, never overlays. ValidationError codes: INVALID_RULES (the "
        "message says which rule), REQUIRED, TEXT_TOO_LONG, RANGE_REVERSED, DUPLICATE_CODE, INVALID_ID. "
        "NotFoundError: a scope id names nothing.",
    ),
]


@strawberry.input(description="End a policy after a day; its history stays.")
class EndPolicyInput:
    policy_id: strawberry.ID = strawberry.field(description="The policy.")
    last_day: dt.date = strawberry.field(description="Its last day in force, not before its first.")


@strawberry.type(description="The policy ends after lastDay.")
class EndPolicySuccess:
    policy: Policy = strawberry.field(description="The policy, with its new effectiveUntil.")


EndPolicyResult = Annotated[
    EndPolicySuccess | Refusals,
    strawberry.union(
        "EndPolicyResult",
        description="PermissionDeniedError (NOT_YOUR_POLICY) for whoever may not create it. ValidationError: "
        "RANGE_REVERSED, INVALID_ID.",
    ),
]
