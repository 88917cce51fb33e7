"""The policy engine: a person's facts, the policies and the calendar in; their week's requirements out. Pure.

Per working day the rules in force come from :func:`~smartoffice.policies.day_rules.rules_on` (the matching
policies combined by the strictest statement, overlays, an approved exemption). From those rules:

* **Required days** are days with a reason of their own: every working day for public service, the unit's anchor
  days (unless an exemption makes the whole week remote), or every day when the person is not eligible for remote
  days.
* **Office days needed in the week** are ``max(⌈Σ min_office(d)/n(d)⌉, W − ⌊Σ max_remote(d)/n(d)⌋, required)``
  over the week's ``W`` working days ``d``. PermenPANRB 4/2025 Pasal 13(1) sets a *weekly* maximum, so by default
  ``n(d) = W``: a short (holiday) week has the same weekly numbers, never more remote days than working days. Where
  a policy states ``prorate_short_weeks`` (an agency's choice, cited with its own legal basis), ``n(d) = 5`` on
  its days: each working day carries a fifth of the weekly numbers and the remote allowance rounds *down* (a
  four-day week under a cap of two allows one remote day, not 1.6). Either way a policy that starts mid-week
  counts from its first day.
* **Compliance** compares what happened (for days before ``today``) and what is planned (desk bookings and work
  plans, from ``today``) with those numbers. What happened is what the attendance source says: a check-in (office),
  the reported mode (``WorkDay.actual``, ``absent`` included) or a booking released as a no-show (absent). A past
  remote, leave or travel plan, which no check-in confirms, stands. A past working day with none of these facts
  (an office plan nobody checked in to and that was not released, or no plan at all) is *unknown*: it is not an
  office day and not a missed one, and a week that would be NON_COMPLIANT only because of unknown days is NO_DATA.
  Leave and duty travel excuse required days and office days one for one, and the day shared with the supervisor
  when either of them is away on every working day.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction
from math import ceil, floor

from smartoffice.policies.day_rules import (
    AWAY,
    WEEK,
    WORKING_WEEKDAYS,
    DayRules,
    Person,
    PolicyView,
    Reason,
    ReasonCode,
    rules_on,
)
from smartoffice.policies.models import WorkMode
from smartoffice.policies.rules import NATIONAL_WORKING_HOURS, DayHours, PolicyRules, WorkingHours
from smartoffice.workcalendar.models import DayKind
from smartoffice.workcalendar.service import WorkingCalendar


class Requirement(StrEnum):
    REQUIRED = "required"  # in the office, for the reasons given
    FLEXIBLE = "flexible"  # office or remote, within the week's numbers
    NOT_WORKING = "not_working"  # weekend, holiday, cuti bersama


class ComplianceStatus(StrEnum):
    COMPLIANT = "compliant"
    AT_RISK = "at_risk"  # the plan for the rest of the week falls short, but it can still be met
    NON_COMPLIANT = "non_compliant"
    NO_DATA = "no_data"  # it would be non-compliant only because the attendance source says nothing of past days


@dataclass(frozen=True, slots=True)
class Attendance:
    """What bookings and work plans say about one person's day."""

    planned: WorkMode | None = None
    actual: WorkMode | None = None


@dataclass(frozen=True, slots=True)
class DayPlan:
    day: date
    requirement: Requirement
    reasons: tuple[Reason, ...]
    calendar_kind: DayKind | None
    calendar_name: str | None
    planned: WorkMode | None
    actual: WorkMode | None
    rules: DayRules | None
    """None on days that are not working days."""
    is_past: bool = False
    """Before the ``today`` the week is judged on: what happened counts, not what was planned."""
    hours: DayHours | None = None
    """The day's working hours, from that day's rules (None on days that are not working days)."""

    @property
    def status(self) -> WorkMode | None:
        """What counts for compliance (see :func:`counted_mode`)."""
        return counted_mode(self.planned, self.actual, is_past=self.is_past)

    @property
    def is_unknown(self) -> bool:
        """A past working day the attendance source says nothing of: neither office nor missed."""
        return self.is_past and self.requirement != Requirement.NOT_WORKING and self.status is None


def counted_mode(planned: WorkMode | None, actual: WorkMode | None, *, is_past: bool) -> WorkMode | None:
    """The actual mode if known (a check-in, a reported mode, ``absent`` for a no-show), else the plan; but a past
    office plan without a check-in is unknown (None), as is a past day without a plan.

    Remote, leave and travel plans stand for past days too: no check-in confirms them.
    """
    if actual is not None:
        return actual
    if is_past and planned == WorkMode.OFFICE:
        return None
    return planned


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    params: Mapping[str, object] = field(default_factory=dict)
    policy: PolicyView | None = None


@dataclass(frozen=True, slots=True)
class WeekPlan:
    person: Person
    monday: date
    today: date
    days: tuple[DayPlan, ...]
    office_days_needed: int
    remote_days_allowed: int
    needed_because: tuple[Reason, ...]
    copresence_days_needed: int
    copresence_days: int
    working_hours: WorkingHours
    status: ComplianceStatus
    problems: tuple[Problem, ...]
    remote_days_source: PolicyView | None = None
    """The policy the remote allowance comes from: the one stating pro-rating when it made the week's allowance
    smaller, else the binding cap's (:attr:`DayRules.max_remote_source`); None under an exemption."""

    @property
    def working_days(self) -> list[DayPlan]:
        return [day for day in self.days if day.requirement != Requirement.NOT_WORKING]

    @property
    def office_days(self) -> int:
        return sum(1 for day in self.working_days if day.status == WorkMode.OFFICE)

    @property
    def office_days_to_choose(self) -> int:
        """Office days still to pick among the flexible days, beyond the required ones."""
        required = sum(1 for day in self.working_days if day.requirement == Requirement.REQUIRED)
        return max(0, self.office_days_needed - required)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def next_monday(day: date) -> date:
    """The Monday of the week after ``day``'s."""
    return monday_of(day) + timedelta(weeks=1)


def week_days(monday: date) -> list[date]:
    return [monday + timedelta(days=n) for n in range(WEEK)]


def is_working_day(calendar: WorkingCalendar, day: date, rules: PolicyRules | None) -> bool:
    """The national calendar, except that cuti bersama are working days for people who must work on them."""
    if rules is not None and rules.works_on_collective_leave and calendar.kind(day) == DayKind.COLLECTIVE_LEAVE:
        return True
    return calendar.is_working_day(day)


def plan_week(
    person: Person,
    monday: date,
    today: date,
    policies: Sequence[PolicyView],
    calendar: WorkingCalendar,
    attendance: Mapping[date, Attendance],
    supervisor_attendance: Mapping[date, Attendance] | None = None,
) -> WeekPlan:
    """The week of ``person`` starting ``monday``, judged as of ``today``."""
    if monday.weekday() != 0:
        raise ValueError(f"{monday} is not a Monday")
    day_rules = {day: rules_on(day, person, policies) for day in week_days(monday)}
    working = [day for day in week_days(monday) if is_working_day(calendar, day, day_rules[day].rules)]
    plans = []
    for day in week_days(monday):
        seen = attendance.get(day, Attendance())
        day_hours = (day_rules[day].rules.working_hours or NATIONAL_WORKING_HOURS).on(day.weekday())
        if day not in working:
            plans.append(
                DayPlan(
                    day,
                    Requirement.NOT_WORKING,
                    (),
                    calendar.kind(day),
                    calendar.name(day),
                    seen.planned,
                    seen.actual,
                    None,
                    day < today,
                )
            )
            continue
        reasons = _required_because(day, person, day_rules[day])
        requirement = Requirement.REQUIRED if reasons else Requirement.FLEXIBLE
        plans.append(
            DayPlan(
                day,
                requirement,
                reasons,
                calendar.kind(day),
                calendar.name(day),
                seen.planned,
                seen.actual,
                day_rules[day],
                day < today,
                day_hours,
            )
        )

    def share(value: int, day: date, prorated: bool) -> Fraction:
        return Fraction(value, WORKING_WEEKDAYS if prorated and day_rules[day].prorates else len(working))

    remote_share = sum((share(day_rules[d].max_remote, d, True) for d in working), Fraction(0))
    office_share = sum((share(day_rules[d].min_office, d, True) for d in working), Fraction(0))
    weekly = sum((share(day_rules[d].max_remote, d, False) for d in working), Fraction(0))
    remote_allowed = min(len(working), floor(remote_share))
    required = sum(1 for plan in plans if plan.requirement == Requirement.REQUIRED)
    office_needed = min(len(working), max(ceil(office_share), len(working) - remote_allowed, required))
    prorated = remote_allowed < min(len(working), floor(weekly))
    remote_allowed = min(remote_allowed, len(working) - office_needed)
    remote_source = _remote_source(working, day_rules, prorated)
    needed_because = _needed_because(working, day_rules, remote_allowed, ceil(office_share), remote_source, prorated)

    last_rules = day_rules[working[-1]].rules if working else day_rules[monday].rules
    copresence_needed = min(last_rules.supervisor_copresence_days or 0, office_needed) if person.supervisor_id else 0
    shared, together, possible = (
        _days_with_supervisor(plans, supervisor_attendance or {}) if copresence_needed else (0, 0, 0)
    )
    hours = last_rules.working_hours or NATIONAL_WORKING_HOURS  # the week's figure; each day has its own
    status, problems = _judge(
        plans, today, office_needed, remote_allowed, min(copresence_needed, together), (shared, possible), remote_source
    )
    return WeekPlan(
        person,
        monday,
        today,
        tuple(plans),
        office_needed,
        remote_allowed,
        needed_because,
        copresence_needed,
        shared,
        hours,
        status,
        tuple(problems),
        remote_source,
    )


def _required_because(day: date, person: Person, rules: DayRules) -> tuple[Reason, ...]:
    reasons: list[Reason] = []
    if rules.rules.office_every_working_day:
        reasons.append(Reason(ReasonCode.OFFICE_EVERY_WORKING_DAY, rules.sources.get("office_every_working_day")))
    elif rules.ineligible:
        reasons.append(Reason(ReasonCode.NOT_ELIGIBLE, None, {"because": [r.code.value for r in rules.ineligible]}))
        reasons.extend(rules.ineligible)
    fully_remote = rules.exemption is not None and rules.max_remote >= WORKING_WEEKDAYS
    if rules.rules.anchor_days_required and day.weekday() in person.anchor_weekdays and not fully_remote:
        reasons.append(
            Reason(ReasonCode.ANCHOR_DAY, rules.sources.get("anchor_days_required"), {"weekday": day.weekday()})
        )
    return tuple(reasons)


def _binding_day(working: Sequence[date], day_rules: Mapping[date, DayRules]) -> DayRules:
    """The working day with the fewest remote days allowed (the last of them): whose rule binds the week."""
    return min(reversed([day_rules[d] for d in working]), key=lambda rules: rules.max_remote)


def _remote_source(working: Sequence[date], day_rules: Mapping[date, DayRules], prorated: bool) -> PolicyView | None:
    """The policy to cite for the week's remote allowance: pro-rating's own when it made the allowance smaller
    (an agency's choice, not the Permen's), else the binding day's cap (:attr:`DayRules.max_remote_source`)."""
    if not working:
        return None
    if prorated:
        stating = [day_rules[d].sources.get("prorate_short_weeks") for d in working if day_rules[d].prorates]
        if (source := next((s for s in reversed(stating) if s is not None), None)) is not None:
            return source
    return _binding_day(working, day_rules).max_remote_source


def _needed_because(
    working: Sequence[date],
    day_rules: Mapping[date, DayRules],
    remote_allowed: int,
    min_office: int,
    remote_source: PolicyView | None,
    prorated: bool,
) -> tuple[Reason, ...]:
    if not working:
        return ()
    rules = day_rules[working[-1]]
    reasons = []
    if (exemption := _binding_day(working, day_rules).exemption or rules.exemption) is not None and not prorated:
        reasons.append(Reason(ReasonCode.EXEMPTION, None, {"exemption": exemption.id, "remote_days": remote_allowed}))
    elif remote_source is not None:
        params = {"remote_days": remote_allowed, "working_days": len(working), "prorated": prorated}
        reasons.append(Reason(ReasonCode.MAX_REMOTE_DAYS, remote_source, params))
    if min_office and (source := rules.sources.get("min_office_days_per_week")) is not None:
        reasons.append(Reason(ReasonCode.MIN_OFFICE_DAYS, source, {"office_days": min_office}))
    return tuple(reasons)


def _days_with_supervisor(plans: Sequence[DayPlan], supervisor: Mapping[date, Attendance]) -> tuple[int, int, int]:
    """Working days both spend in the office, working days neither is away (on which they could), and the days
    both may have been in the office, were the unknown past days (of either) office days."""
    shared = together = possible = 0
    for plan in plans:
        if plan.requirement == Requirement.NOT_WORKING:
            continue
        seen = supervisor.get(plan.day, Attendance())
        theirs = counted_mode(seen.planned, seen.actual, is_past=plan.is_past)
        shared += plan.status == WorkMode.OFFICE and theirs == WorkMode.OFFICE
        together += plan.status not in AWAY and theirs not in AWAY
        possible += (plan.status == WorkMode.OFFICE or plan.is_unknown) and (
            theirs == WorkMode.OFFICE or (plan.is_past and theirs is None)
        )
    return shared, together, possible


def _judge(
    plans: Sequence[DayPlan],
    today: date,
    office_needed: int,
    remote_allowed: int,
    copresence_needed: int,
    shared: tuple[int, int],
    remote_source: PolicyView | None,
) -> tuple[ComplianceStatus, list[Problem]]:
    """Past days count by what happened, days from today by plan; a shortfall still fixable is AT_RISK.

    Unknown past days (:attr:`DayPlan.is_unknown`) are judged twice: as not in the office, then as in it. A week
    that is NON_COMPLIANT the first way and not the second is NO_DATA: the attendance source, not the person, is
    what is missing. Its problems are those that stand either way, after a NO_ATTENDANCE_DATA one.
    """
    status, problems = _verdict(plans, today, office_needed, remote_allowed, copresence_needed, shared[0], False)
    unknown = [plan.day for plan in plans if plan.is_unknown]
    if status != ComplianceStatus.NON_COMPLIANT or not unknown:
        return status, _cite(problems, remote_source)
    hopeful, standing = _verdict(plans, today, office_needed, remote_allowed, copresence_needed, shared[1], True)
    if hopeful == ComplianceStatus.NON_COMPLIANT:
        return status, _cite(problems, remote_source)
    no_data = Problem("NO_ATTENDANCE_DATA", {"days": len(unknown), "first": unknown[0]})
    return ComplianceStatus.NO_DATA, [no_data, *_cite(standing, remote_source)]


def _cite(problems: list[Problem], remote_source: PolicyView | None) -> list[Problem]:
    return [
        Problem(p.code, p.params, remote_source) if p.code == "TOO_MANY_REMOTE_DAYS" and p.policy is None else p
        for p in problems
    ]


def _verdict(
    plans: Sequence[DayPlan],
    today: date,
    office_needed: int,
    remote_allowed: int,
    copresence_needed: int,
    shared: int,
    unknown_in_office: bool,
) -> tuple[ComplianceStatus, list[Problem]]:
    problems: list[Problem] = []
    broken = False
    working_plans = [plan for plan in plans if plan.requirement != Requirement.NOT_WORKING]

    def in_office(plan: DayPlan) -> bool:
        return plan.status == WorkMode.OFFICE or (unknown_in_office and plan.is_unknown)

    for plan in working_plans:
        if plan.requirement == Requirement.REQUIRED and not in_office(plan) and plan.status not in AWAY:
            if plan.is_unknown:
                continue  # nothing says they were not in: not missed (the week is NO_DATA if it matters)
            problems.append(
                Problem(
                    "REQUIRED_DAY_MISSED" if plan.day < today else "REQUIRED_DAY_NOT_PLANNED",
                    {"day": plan.day},
                    plan.reasons[0].policy,
                )
            )
            broken = broken or plan.day < today
    office = sum(1 for plan in working_plans if in_office(plan))
    still_open = sum(
        1 for plan in working_plans if plan.day >= today and plan.status != WorkMode.OFFICE and plan.status not in AWAY
    )
    excused = sum(1 for plan in working_plans if plan.status in AWAY)
    needed = max(0, office_needed - excused)
    if office < needed:
        problems.append(Problem("TOO_FEW_OFFICE_DAYS", {"office_days": office, "needed": needed}))
        broken = broken or office + still_open < needed
    remote = sum(1 for plan in working_plans if plan.status is not None and plan.status.is_remote)
    if remote > remote_allowed:
        problems.append(Problem("TOO_MANY_REMOTE_DAYS", {"remote_days": remote, "allowed": remote_allowed}))
        broken = (
            broken
            or sum(1 for p in working_plans if p.day < today and p.status is not None and p.status.is_remote)
            > remote_allowed
        )
    copresence_needed = min(copresence_needed, needed)  # no shared day is owed in a week of leave
    if shared < copresence_needed:
        problems.append(Problem("TOO_FEW_DAYS_WITH_SUPERVISOR", {"shared": shared, "needed": copresence_needed}))
        broken = broken or all(plan.day < today for plan in working_plans)
    if not problems:
        return ComplianceStatus.COMPLIANT, problems
    return (ComplianceStatus.NON_COMPLIANT if broken else ComplianceStatus.AT_RISK), problems


def remote_places(members: int, percent: int | None) -> int | None:
    """How many of ``members`` may be remote on a day under a unit remote-share cap of ``percent`` (None: no cap).

    The share rounds down, but a team may always have one person remote when the cap is above 0: 30 % of a
    3-person team is 0.9 person, and rounding it to 0 would turn an agency's "at most 30 %" into "nobody" for
    every team under four (the cap is the agency's own decision; it limits a share, it does not forbid remote
    work). Enforcement (``remote_days.check_remote_day``) and the compliance report (``weeks.DayShare``) both
    use this function.
    """
    if percent is None:
        return None
    if percent <= 0 or members <= 0:
        return 0
    return max(1, members * percent // 100)


def occupancy_cap(policies: Sequence[PolicyView], building_id: int, day: date) -> tuple[int, PolicyView] | None:
    """The share of a building's desks that may be booked on ``day``, and the policy that caps it, if any.

    Only policies about the building itself count (no organisation, unit, position or person in their scope):
    the strictest base cap, replaced by an overlay's (an emergency overlay overrides everything).
    """
    about_building = [
        p
        for p in policies
        if p.is_in_force(day)
        and p.rules.building_occupancy_percent is not None
        and p.building_id in (None, building_id)
        and p.organisation_id is None
        and p.org_unit_id is None
        and p.position_kind is None
        and p.position_level is None
        and p.employment_type is None
        and p.employee_id is None
    ]
    overlays = sorted((p for p in about_building if p.is_overlay), key=lambda p: (p.level, p.effective_from, p.id))
    if overlays:
        policy = overlays[-1]
    elif about_building:
        policy = min(about_building, key=lambda p: (p.rules.building_occupancy_percent, -p.level))
    else:
        return None
    percent = policy.rules.building_occupancy_percent
    assert percent is not None
    return percent, policy
