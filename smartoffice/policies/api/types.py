"""GraphQL types for what the policies mean for people: a person's week and a unit's compliance (the policies
themselves are in :mod:`smartoffice.policies.api.policy_types`).

Written apart from the engine's dataclasses and the ORM models. Messages (why a day is required, what is wrong
with a week) are rendered in the request's language when the type is built.
"""

import asyncio
import datetime as dt
from collections.abc import Iterable
from enum import Enum
from typing import Self

import strawberry

from smartoffice.api.context import Info
from smartoffice.i18n import Language
from smartoffice.people import models as people_models
from smartoffice.people.api.types import Employee, Organisation, OrgUnit
from smartoffice.places.api.types import Desk
from smartoffice.places.layout import FloorLayout, SpaceLayout
from smartoffice.policies import day_rules, engine, models, weeks
from smartoffice.policies.api.policy_types import DayHours, LocationKind, Policy, WorkingHours, policy_of
from smartoffice.policies.remote_locations import Location
from smartoffice.policies.wording import explain
from smartoffice.workcalendar.api.types import CalendarDayKind

# enums


@strawberry.enum(description="How a person works on a day (the work plan, or what happened).")
class WorkMode(Enum):
    OFFICE = strawberry.enum_value(models.WorkMode.OFFICE.value, description="WFO: in the office.")
    HOME = strawberry.enum_value(models.WorkMode.HOME.value, description="WFH: from the registered home.")
    ANYWHERE = strawberry.enum_value(
        models.WorkMode.ANYWHERE.value, description="WFA: another office of the agency or a place it sets."
    )
    LEAVE = strawberry.enum_value(models.WorkMode.LEAVE.value, description="Cuti: on leave.")
    DUTY_TRAVEL = strawberry.enum_value(models.WorkMode.DUTY_TRAVEL.value, description="Dinas luar: duty travel.")
    ABSENT = strawberry.enum_value(
        models.WorkMode.ABSENT.value,
        description="Reported absent by the attendance source (an actual mode only; never a plan).",
    )


@strawberry.enum(description="What the policies ask of a person on a day.")
class DayRequirement(Enum):
    REQUIRED = strawberry.enum_value(
        engine.Requirement.REQUIRED.value, description="In the office, for the reasons given."
    )
    FLEXIBLE = strawberry.enum_value(
        engine.Requirement.FLEXIBLE.value, description="Office or remote, within the week's numbers."
    )
    NOT_WORKING = strawberry.enum_value(
        engine.Requirement.NOT_WORKING.value, description="A weekend, public holiday or cuti bersama."
    )


@strawberry.enum(description="Whether a week meets its policies.")
class ComplianceStatus(Enum):
    COMPLIANT = strawberry.enum_value(engine.ComplianceStatus.COMPLIANT.value, description="Nothing is wrong.")
    AT_RISK = strawberry.enum_value(
        engine.ComplianceStatus.AT_RISK.value,
        description="The plan for the rest of the week falls short, but the week can still comply.",
    )
    NON_COMPLIANT = strawberry.enum_value(
        engine.ComplianceStatus.NON_COMPLIANT.value, description="What has already happened breaks a policy."
    )
    NO_DATA = strawberry.enum_value(
        engine.ComplianceStatus.NO_DATA.value,
        description="It would be NON_COMPLIANT only because the attendance source says nothing of some past working "
        "days (no check-in, no reported mode, no released booking): unknown days are not counted as absent.",
    )


@strawberry.enum(description="A working weekday (Perpres 21/2023: Monday to Friday).")
class Weekday(Enum):
    MONDAY = strawberry.enum_value(0, description="Senin.")
    TUESDAY = strawberry.enum_value(1, description="Selasa.")
    WEDNESDAY = strawberry.enum_value(2, description="Rabu.")
    THURSDAY = strawberry.enum_value(3, description="Kamis.")
    FRIDAY = strawberry.enum_value(4, description="Jumat.")


@strawberry.enum(description="Where an exemption request is.")
class ExemptionStatus(Enum):
    PENDING = strawberry.enum_value(
        models.ExemptionStatus.PENDING.value, description="Awaiting the unit head (`recommendation`: the supervisor's)."
    )
    APPROVED = strawberry.enum_value(
        models.ExemptionStatus.APPROVED.value, description="In force from startsOn to endsOn."
    )
    REJECTED = strawberry.enum_value(models.ExemptionStatus.REJECTED.value, description="Refused.")
    WITHDRAWN = strawberry.enum_value(models.ExemptionStatus.WITHDRAWN.value, description="Withdrawn.")


@strawberry.enum(description="Why a day is required in the office, or why the week needs what it needs.")
class ReasonCode(Enum):
    OFFICE_EVERY_WORKING_DAY = strawberry.enum_value(
        day_rules.ReasonCode.OFFICE_EVERY_WORKING_DAY.value, description="Public service: in every working day."
    )
    ANCHOR_DAY = strawberry.enum_value(
        day_rules.ReasonCode.ANCHOR_DAY.value, description="The anchor day of the person's unit."
    )
    NOT_ELIGIBLE = strawberry.enum_value(
        day_rules.ReasonCode.NOT_ELIGIBLE.value,
        description="Not eligible for remote days; the reasons that follow say why.",
    )
    OPEN_DISCIPLINE_CASE = strawberry.enum_value(
        day_rules.ReasonCode.OPEN_DISCIPLINE_CASE.value, description="A disciplinary case is pending or in force."
    )
    TOO_NEW_IN_POST = strawberry.enum_value(
        day_rules.ReasonCode.TOO_NEW_IN_POST.value, description="Too few days in the current post."
    )
    RATING_NOT_ALLOWED = strawberry.enum_value(
        day_rules.ReasonCode.RATING_NOT_ALLOWED.value, description="The latest performance rating is not good enough."
    )
    MAX_REMOTE_DAYS = strawberry.enum_value(
        day_rules.ReasonCode.MAX_REMOTE_DAYS.value,
        description="A cap on remote days a week, citing the policy it comes from: pro-rating's own when a policy "
        "pro-rates a short week and that made the allowance smaller, the public-service policy when it allows none.",
    )
    MIN_OFFICE_DAYS = strawberry.enum_value(
        day_rules.ReasonCode.MIN_OFFICE_DAYS.value,
        description="A minimum of office days a week (pro-rated in a short week where a policy says so).",
    )
    SUPERVISOR_COPRESENCE = strawberry.enum_value(
        day_rules.ReasonCode.SUPERVISOR_COPRESENCE.value, description="Office days shared with the direct supervisor."
    )
    EXEMPTION = strawberry.enum_value(
        day_rules.ReasonCode.EXEMPTION.value, description="An approved exemption sets the remote days."
    )


# a person's week


@strawberry.type(description="Why: a rule, and the policy that states it.")
class Reason:
    policy_id: strawberry.Private[int | None]
    code: ReasonCode = strawberry.field(description="Which rule or fact.")
    message: str = strawberry.field(description="The reason for people, in the request's language.")

    @classmethod
    def from_reason(cls, reason: day_rules.Reason, language: Language) -> Self:
        return cls(
            policy_id=reason.policy.id if reason.policy else None,
            code=ReasonCode(reason.code.value),
            message=explain(language, reason.code, reason.params),
        )

    @strawberry.field(description="The policy stating the rule; null for facts (e.g. not eligible).")
    async def policy(self, info: Info) -> Policy | None:
        return await policy_of(info, self.policy_id)


@strawberry.type(description="One day of a person's week.")
class DayPlan:
    date: dt.date = strawberry.field(description="The local date.")
    requirement: DayRequirement = strawberry.field(description="What the policies ask that day.")
    reasons: list[Reason] = strawberry.field(description="Why a REQUIRED day is required (empty otherwise).")
    calendar_kind: CalendarDayKind | None = strawberry.field(
        description="What the working calendar marks the day as, if anything."
    )
    calendar_name: str | None = strawberry.field(description="The holiday's or override's name.")
    planned: WorkMode | None = strawberry.field(
        description="The plan: OFFICE when a desk is booked, else the work plan, else null."
    )
    actual: WorkMode | None = strawberry.field(
        description="What happened: OFFICE after a check-in, or what the attendance system reported."
    )
    status: WorkMode | None = strawberry.field(description="What counts for compliance: actual if known, else planned.")
    hours: DayHours | None = strawberry.field(
        description="The day's working hours from that day's rules (Ramadan's Friday differs from its Monday); null "
        "on days that are not working days."
    )
    no_attendance_data: bool = strawberry.field(
        description="A past working day the attendance source says nothing of (no check-in, no reported mode, no "
        "booking released as a no-show): neither an office day nor a missed one."
    )
    location_kind: LocationKind | None = strawberry.field(
        description="Where a remote plan (HOME, ANYWHERE) is worked: REGISTERED_HOME, AGENCY_OFFICE or "
        "DESIGNATED_PLACE (PermenPANRB 4/2025); null for other plans."
    )
    location_detail: str | None = strawberry.field(
        description="Which office or designated place, or the registered home's reference."
    )

    @classmethod
    def from_plan(cls, day: engine.DayPlan, language: Language, where: Location | None = None) -> Self:
        """``where``: where the day is worked, as the week's transaction read it (``weeks.MyWeek.locations``)."""
        return cls(
            date=day.day,
            requirement=DayRequirement(day.requirement.value),
            reasons=[Reason.from_reason(r, language) for r in day.reasons],
            calendar_kind=CalendarDayKind(day.calendar_kind.value) if day.calendar_kind else None,
            calendar_name=day.calendar_name,
            planned=WorkMode(day.planned.value) if day.planned else None,
            actual=WorkMode(day.actual.value) if day.actual else None,
            status=WorkMode(day.status.value) if day.status else None,
            hours=DayHours.from_rules(day.hours) if day.hours is not None else None,
            no_attendance_data=day.is_unknown,
            location_kind=LocationKind(where.kind.value) if where is not None and where.kind is not None else None,
            location_detail=where.detail if where is not None else None,
        )


@strawberry.type(description="Something wrong with a week, or at risk of going wrong.")
class ComplianceProblem:
    policy_id: strawberry.Private[int | None]
    code: str = strawberry.field(
        description="REQUIRED_DAY_MISSED, REQUIRED_DAY_NOT_PLANNED, TOO_FEW_OFFICE_DAYS, TOO_MANY_REMOTE_DAYS, "
        "TOO_FEW_DAYS_WITH_SUPERVISOR, NO_ATTENDANCE_DATA (first, in a NO_DATA week)."
    )
    message: str = strawberry.field(description="The problem for people, in the request's language.")
    date: dt.date | None = strawberry.field(description="The day it is about, for problems about one day.")

    @classmethod
    def from_problem(cls, problem: engine.Problem, language: Language) -> Self:
        day = problem.params.get("day")
        return cls(
            policy_id=problem.policy.id if problem.policy else None,
            code=problem.code,
            message=explain(language, problem.code, problem.params),
            date=day if isinstance(day, dt.date) else None,
        )

    @strawberry.field(description="The policy broken, when one policy states the rule.")
    async def policy(self, info: Info) -> Policy | None:
        return await policy_of(info, self.policy_id)


@strawberry.type(description="Office days shared with the direct supervisor.")
class CoPresence:
    days_needed: int = strawberry.field(description="Shared office days the policies ask for this week (0: none).")
    days_shared: int = strawberry.field(description="Days both are in the office, planned or actual.")


@strawberry.type(description="A desk to book on a day, near the teammates who are in.")
class Suggestion:
    desk_id: strawberry.Private[int | None]
    floor_id: strawberry.Private[int | None]
    desks: strawberry.Private["SuggestedDesks | None"]
    date: dt.date = strawberry.field(description="The local date.")
    requirement: DayRequirement = strawberry.field(
        description="REQUIRED days come first; FLEXIBLE days only while office days remain to be chosen."
    )
    teammates_in: int = strawberry.field(description="Desks booked that day by people of the same unit.")
    zone_name: str | None = strawberry.field(description="The zone where most of them sit.")
    desk_label: str | None = strawberry.field(description="The free desk's name or code.")

    @classmethod
    def from_suggestion(cls, s: weeks.Suggestion, desks: "SuggestedDesks | None" = None) -> Self:
        return cls(
            desk_id=s.desk_id,
            floor_id=s.floor_id,
            desks=desks,
            date=s.day,
            requirement=DayRequirement(s.requirement.value),
            teammates_in=s.teammates_in,
            zone_name=s.zone_name,
            desk_label=s.desk_name,
        )

    @strawberry.field(description="The free desk nearest the teammates that day, or null when none is free.")
    async def desk(self, info: Info) -> Desk | None:
        if self.desk_id is None:
            return None
        if self.desks is not None and self.floor_id is not None:
            desk = await self.desks.find(info, self.floor_id, self.desk_id)
            if desk is not None:
                return Desk.from_model(desk)
        # not in its floor's current layout (retired since): as the desk's row says
        return Desk.from_model(await info.context.loaders.places.space_by_id.load(self.desk_id))


class SuggestedDesks:
    """A week's suggested desks from their floors' cached layouts
    (:class:`~smartoffice.places.layout.FloorLayoutCache`), looked up once for all the suggestions (one layout
    version read): no session of their own."""

    __slots__ = ("finding", "floor_ids")

    def __init__(self, floor_ids: Iterable[int]) -> None:
        self.floor_ids = tuple(dict.fromkeys(floor_ids))
        self.finding: asyncio.Future[dict[int, FloorLayout]] | None = None

    async def find(self, info: Info, floor_id: int, desk_id: int) -> SpaceLayout | None:
        if self.finding is None:
            self.finding = asyncio.ensure_future(info.context.runtime.layouts.find_many(self.floor_ids))
        layout = (await self.finding).get(floor_id)
        desk = None if layout is None else next((s for s in layout.desks if s.id == desk_id), None)
        return desk  # a Desk built from it answers zone, bookable and its assignee from it (places.api.types.Desk)


def _office_days(plan: engine.WeekPlan, attribute: str) -> int:
    return sum(1 for day in plan.working_days if getattr(day, attribute) == models.WorkMode.OFFICE)


@strawberry.type(
    description="A person's week: what the policies require, what is planned and done, and whether it complies."
)
class MyWeek:
    employee: Employee = strawberry.field(description="Whose week.")
    week_of: dt.date = strawberry.field(description="The Monday of the week.")
    today: dt.date = strawberry.field(description="The day the week is judged on: past days count as they happened.")
    days: list[DayPlan] = strawberry.field(description="Monday to Sunday.")
    office_days_needed: int = strawberry.field(
        description="Office days the week needs (in weeks with holidays: pro-rated where a policy says so, remote "
        "allowances rounding down; else the weekly numbers, never more remote days than working days)."
    )
    remote_days_allowed: int = strawberry.field(description="Remote days the week allows.")
    office_days_to_choose: int = strawberry.field(
        description="Office days still to pick among the flexible days: the office days needed, less days away, "
        "the required days and the flexible days already in the office. As many FLEXIBLE suggestions are made, "
        "when the week has that many days left."
    )
    office_days: int = strawberry.field(description="Working days in the office, actual or planned.")
    needed_because: list[Reason] = strawberry.field(description="The rules behind the week's numbers.")
    co_presence: CoPresence = strawberry.field(description="Office days with the direct supervisor.")
    working_hours: WorkingHours = strawberry.field(
        description="The working hours in force at the end of the week; each day's own are DayPlan.hours."
    )
    status: ComplianceStatus = strawberry.field(description="Whether the week complies.")
    problems: list[ComplianceProblem] = strawberry.field(description="What is wrong or at risk (empty: compliant).")
    suggestions: list[Suggestion] = strawberry.field(
        description="Each required day from today on not yet covered (in the office or away), then officeDaysToChoose "
        "flexible days (most teammates in first), each with the free desk nearest the teammates that day."
    )

    @classmethod
    def from_week(cls, week: weeks.MyWeek, language: Language) -> Self:
        plan = week.plan
        desks = SuggestedDesks(s.floor_id for s in week.suggestions if s.desk_id is not None and s.floor_id is not None)
        return cls(
            employee=Employee.from_model(week.employee),
            week_of=plan.monday,
            today=plan.today,
            days=[DayPlan.from_plan(day, language, week.locations.get(day.day)) for day in plan.days],
            office_days_needed=plan.office_days_needed,
            remote_days_allowed=plan.remote_days_allowed,
            office_days_to_choose=week.office_days_to_choose,
            office_days=plan.office_days,
            needed_because=[Reason.from_reason(r, language) for r in plan.needed_because],
            co_presence=CoPresence(days_needed=plan.copresence_days_needed, days_shared=plan.copresence_days),
            working_hours=WorkingHours.from_rules(plan.working_hours),
            status=ComplianceStatus(plan.status.value),
            problems=[ComplianceProblem.from_problem(p, language) for p in plan.problems],
            suggestions=[Suggestion.from_suggestion(s, desks) for s in week.suggestions],
        )


# a unit's compliance


@strawberry.type(description="One member's week in a unit report (Pasal 35 monitoring: planned against actual).")
class MemberCompliance:
    employee: Employee = strawberry.field(description="The member.")
    status: ComplianceStatus = strawberry.field(description="Whether their week complies.")
    office_days_needed: int = strawberry.field(description="Office days their week needs.")
    office_days: int = strawberry.field(description="Working days in the office, actual or (from today) planned.")
    planned_office_days: int = strawberry.field(description="Working days planned in the office.")
    actual_office_days: int = strawberry.field(description="Working days they were in the office (check-ins).")
    remote_days: int = strawberry.field(description="Working days remote, actual or planned.")
    problems: list[ComplianceProblem] = strawberry.field(description="What is wrong or at risk.")

    @classmethod
    def from_week(cls, employee: people_models.Employee, plan: engine.WeekPlan, language: Language) -> Self:
        return cls(
            employee=Employee.from_model(employee),
            status=ComplianceStatus(plan.status.value),
            office_days_needed=plan.office_days_needed,
            office_days=plan.office_days,
            planned_office_days=_office_days(plan, "planned"),
            actual_office_days=_office_days(plan, "actual"),
            remote_days=sum(1 for d in plan.working_days if d.status is not None and d.status.is_remote),
            problems=[ComplianceProblem.from_problem(p, language) for p in plan.problems],
        )


@strawberry.type(description="How many of a unit work remotely on a day, against the cap in force.")
class DayRemoteShare:
    policy_id: strawberry.Private[int | None]
    date: dt.date = strawberry.field(description="The local date.")
    members: int = strawberry.field(description="Members for whom it is a working day.")
    remote: int = strawberry.field(description="Of them, remote (actual, else planned).")
    cap_percent: int | None = strawberry.field(description="The tightest remote-share cap in force, or null.")
    allowed: int | None = strawberry.field(
        description="How many may be remote under the cap: members × capPercent / 100 rounded down, but at least one "
        "when the cap is above 0 (a small team may use its share); null without a cap."
    )
    breached: bool = strawberry.field(description="Whether more than allowed are remote.")

    @classmethod
    def from_share(cls, share: weeks.DayShare) -> Self:
        return cls(
            policy_id=share.policy.id if share.policy else None,
            date=share.day,
            members=share.members,
            remote=share.remote,
            cap_percent=share.cap_percent,
            allowed=share.allowed,
            breached=share.is_breached,
        )

    @strawberry.field(description="The policy that sets the cap.")
    async def policy(self, info: Info) -> Policy | None:
        return await policy_of(info, self.policy_id)


@strawberry.type(description="A unit's week: each member's compliance and the daily remote shares.")
class UnitCompliance:
    unit: OrgUnit = strawberry.field(description="The unit; its whole subtree is reported.")
    week_of: dt.date = strawberry.field(description="The Monday of the week.")
    members: list[MemberCompliance] = strawberry.field(
        description=f"Everyone in the subtree, by name (at most {weeks.MAX_UNIT_MEMBERS})."
    )
    remote_shares: list[DayRemoteShare] = strawberry.field(
        description="Monday to Friday, working days only: the subtree's share, as a remote plan of a member is "
        "checked against their own unit's subtree."
    )
    non_compliant_count: int = strawberry.field(description="Members whose week is NON_COMPLIANT.")
    at_risk_count: int = strawberry.field(description="Members whose week is AT_RISK.")
    no_data_count: int = strawberry.field(description="Members whose week is NO_DATA.")

    @classmethod
    def from_unit_week(cls, week: weeks.UnitWeek, language: Language) -> Self:
        """``week.unit`` must have its organisation loaded."""
        members = [MemberCompliance.from_week(employee, plan, language) for employee, plan in week.weeks]
        unit, organisation = week.unit, week.unit.organisation
        return cls(
            unit=OrgUnit(
                id=unit.id,
                code=unit.code,
                name=unit.name,
                level=unit.level,
                organisation=Organisation(id=organisation.id, code=organisation.code, name=organisation.name),
            ),
            week_of=week.monday,
            members=members,
            remote_shares=[DayRemoteShare.from_share(s) for s in week.shares],
            non_compliant_count=sum(1 for m in members if m.status == ComplianceStatus.NON_COMPLIANT),
            at_risk_count=sum(1 for m in members if m.status == ComplianceStatus.AT_RISK),
            no_data_count=sum(1 for m in members if m.status == ComplianceStatus.NO_DATA),
        )
