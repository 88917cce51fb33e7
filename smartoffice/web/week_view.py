"""The "my week" page's view-model: the policy engine's answer for one person's week, put into words.

Built from the services only (policies, places) inside one read transaction each; templates loop and print.
Sentences carrying numbers, names or dates are made here in the visitor's language
(:class:`~smartoffice.web.words.Words`); fixed labels stay in the templates. The reason and problem codes of the
engine are rendered by the same catalogue as domain errors, so their words live in one place.
"""

from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any
from urllib.parse import urlencode

from smartoffice.places import service as places
from smartoffice.policies import service as policies
from smartoffice.policies.engine import DayPlan, PolicyView, ReasonCode, Requirement, WorkMode
from smartoffice.policies.service import Suggestion
from smartoffice.runtime import Runtime
from smartoffice.web.floor import floor_url
from smartoffice.web.floor_view import local_today
from smartoffice.web.home import DEFAULT_TIME_ZONE
from smartoffice.web.words import Words

PLAN_CHOICES = (*(mode.value for mode in WorkMode), "none")
"""What a day's plan form offers: each work mode, or no plan at all."""


def today_in_nusantara(runtime: Runtime) -> date:
    """Today in WITA, where IKN's offices are: the day before which plans can no longer change."""
    return local_today(DEFAULT_TIME_ZONE, runtime.bookings.clock())


def week_url(week: date | None = None, employee_id: int | None = None, **extra: object) -> str:
    query = {"week": week.isoformat() if week else None, "employee": employee_id, **extra}
    encoded = urlencode({k: v for k, v in query.items() if v is not None})
    return "/my-week" + (f"?{encoded}" if encoded else "")


def compliance_url(unit_id: int, week: date | None = None, sort: str | None = None) -> str:
    """The unit's compliance page; ``sort`` as :mod:`smartoffice.web.compliance` reads it (None: its default)."""
    query = {"week": week.isoformat() if week else None, "sort": sort}
    encoded = urlencode({k: v for k, v in query.items() if v is not None})
    return f"/units/{unit_id}/compliance" + (f"?{encoded}" if encoded else "")


def localised(words: Words, params: Mapping[str, object]) -> dict[str, object]:
    """A message's parameters with dates (and ISO dates, as refusals carry them) in the visitor's words."""
    result: dict[str, object] = {}
    for name, value in params.items():
        if isinstance(value, str) and len(value) == 10:
            with suppress(ValueError):
                value = date.fromisoformat(value)
        result[name] = words.day_month(value) if isinstance(value, date) else value
    return result


@dataclass(frozen=True, slots=True)
class Because:
    """A reason or a problem as the page says it, with the policy behind it when there is one."""

    code: str
    text: str
    policy_name: str | None = None
    legal_basis: str | None = None

    @classmethod
    def of(cls, words: Words, code: str, params: Mapping[str, Any], policy: PolicyView | None) -> "Because":
        return cls(
            code,
            words(code, **localised(words, params)),
            policy.name if policy else None,
            policy.legal_basis if policy else None,
        )


# my week


@dataclass(frozen=True, slots=True)
class DayCard:
    day: date
    label: str
    """``Wednesday 10 July``, in the visitor's language."""
    requirement: str
    """A :class:`~smartoffice.policies.engine.Requirement` value."""
    note: str | None
    """The holiday's or cuti bersama's name, or "weekend"."""
    reasons: Sequence[Because]
    planned: str | None
    actual: str | None
    is_today: bool
    is_past: bool
    can_plan: bool
    """A working day from today on: the plan form is offered."""
    plan_choice: str
    """The choice the plan form starts on: the planned mode, or ``none``."""
    booking_url: str | None


@dataclass(frozen=True, slots=True)
class SuggestionView:
    text: str
    url: str
    link_text: str


@dataclass(frozen=True, slots=True)
class UnitLink:
    name: str
    url: str


@dataclass(frozen=True, slots=True)
class MyWeekPage:
    employee_id: int
    employee_name: str
    unit_name: str
    is_own: bool
    monday: date
    range_label: str
    days: Sequence[DayCard]
    office_days_needed: int
    remote_days_allowed: int
    office_days_to_choose: int
    """Office days still to pick among the flexible days: beyond the required days and those already picked."""
    office_days: int
    """Office days done (before today) or planned (from today)."""
    copresence_days_needed: int
    copresence_days: int
    needed_because: Sequence[Because]
    hours_start: time
    hours_per_week: str
    hours_policy: Because | None
    """The policy setting the hours (an overlay such as Ramadan's), or None for Perpres 21/2023's."""
    status: str
    problems: Sequence[Because]
    suggestions: Sequence[SuggestionView]
    managed_units: Sequence[UnitLink]
    previous_url: str
    next_url: str
    this_week_url: str
    is_this_week: bool
    employee_param: int | None
    """The ``employee`` the forms and links carry: None on one's own week."""


async def build_my_week_page(
    runtime: Runtime, words: Words, viewer_id: int, employee_id: int, week_of: date | None
) -> MyWeekPage:
    """Raises NotFound (no such employee) or PermissionDenied (not the viewer's to see), as the service does."""
    today = today_in_nusantara(runtime)
    async with runtime.db.read() as session:
        week = await policies.my_week(session, viewer_id, employee_id, week_of or today, today)
        home_floor = await policies.home_floor_id(session, week.plan.person.unit_path)
        desk_floors = {
            s.desk_id: (await places.get_space(session, s.desk_id)).floor_id
            for s in week.suggestions
            if s.desk_id is not None
        }
        managed = await policies.units_managed_by(session, viewer_id)
    plan, employee = week.plan, week.employee
    own = employee.id == viewer_id
    employee_param = None if own else employee.id
    days = [_day_card(words, day, today, home_floor) for day in plan.days]
    by_day = {day.day: day for day in plan.days}
    hours_source = next(
        (d.rules.sources.get("working_hours") for d in reversed(plan.working_days) if d.rules is not None), None
    )
    chosen = sum(1 for d in plan.working_days if d.requirement == Requirement.FLEXIBLE and d.status == WorkMode.OFFICE)
    this_monday = today - timedelta(days=today.weekday())
    return MyWeekPage(
        employee_id=employee.id,
        employee_name=employee.name,
        unit_name=employee.org_unit.name,
        is_own=own,
        monday=plan.monday,
        range_label=words.week_range(plan.monday, plan.monday + timedelta(days=6)),
        days=days,
        office_days_needed=plan.office_days_needed,
        remote_days_allowed=plan.remote_days_allowed,
        office_days_to_choose=max(0, plan.office_days_to_choose - chosen),
        office_days=plan.office_days,
        copresence_days_needed=plan.copresence_days_needed,
        copresence_days=plan.copresence_days,
        needed_because=[Because.of(words, r.code, r.params, r.policy) for r in plan.needed_because],
        hours_start=plan.working_hours.start,
        hours_per_week=words.number(plan.working_hours.hours_per_week),
        hours_policy=Because("working_hours", hours_source.name, hours_source.name, hours_source.legal_basis)
        if hours_source
        else None,
        status=plan.status.value,
        problems=[Because.of(words, p.code, p.params, p.policy) for p in plan.problems],
        suggestions=[
            _suggestion(words, s, by_day[s.day], desk_floors.get(s.desk_id or 0), home_floor) for s in week.suggestions
        ],
        managed_units=[UnitLink(unit.name, compliance_url(unit.id, plan.monday)) for unit in managed],
        previous_url=week_url(plan.monday - timedelta(days=7), employee_param),
        next_url=week_url(plan.monday + timedelta(days=7), employee_param),
        this_week_url=week_url(None, employee_param),
        is_this_week=plan.monday == this_monday,
        employee_param=employee_param,
    )


def _booking_url(day: date, home_floor: int | None, desk_id: int | None = None, desk_floor: int | None = None) -> str:
    """The floor page on that day (at the desk, when there is one); without a home floor, the offices list."""
    if desk_id is not None and desk_floor is not None:
        return floor_url(desk_floor, day, desk=desk_id) + "#desk-panel"
    if home_floor is not None:
        return floor_url(home_floor, day)
    return "/?" + urlencode({"date": day.isoformat()})


def _day_card(words: Words, plan: DayPlan, today: date, home_floor: int | None) -> DayCard:
    working = plan.requirement != Requirement.NOT_WORKING
    can_plan = working and plan.day >= today
    note = plan.calendar_name or (words("PAGE_WEEKEND") if not working and plan.day.weekday() >= 5 else None)
    return DayCard(
        day=plan.day,
        label=words.day_month(plan.day),
        requirement=plan.requirement.value,
        note=note,
        reasons=[Because.of(words, r.code, r.params, r.policy) for r in plan.reasons],
        planned=plan.planned.value if plan.planned else None,
        actual=plan.actual.value if plan.actual else None,
        is_today=plan.day == today,
        is_past=plan.day < today,
        can_plan=can_plan,
        plan_choice=plan.planned.value if plan.planned else "none",
        booking_url=_booking_url(plan.day, home_floor) if can_plan else None,
    )


def _suggestion(
    words: Words, suggestion: Suggestion, day: DayPlan, desk_floor: int | None, home_floor: int | None
) -> SuggestionView:
    """``Wednesday 10 July is your unit's anchor day: 4 of your team have desks in Zona B3, desk B3-14 is free``."""
    when = words.day_month(suggestion.day)
    if any(reason.code == ReasonCode.ANCHOR_DAY for reason in day.reasons):
        lead = words("PAGE_SUGGEST_ANCHOR", day=when)
    elif suggestion.requirement == Requirement.REQUIRED:
        lead = words("PAGE_SUGGEST_REQUIRED", day=when)
    else:
        lead = words("PAGE_SUGGEST_FLEXIBLE", day=when)
    if suggestion.teammates_in and suggestion.zone_name:
        team = "PAGE_SUGGEST_TEAM_ONE" if suggestion.teammates_in == 1 else "PAGE_SUGGEST_TEAM"
        details = [words(team, count=suggestion.teammates_in, zone=suggestion.zone_name)]
    else:
        details = [words("PAGE_SUGGEST_NO_TEAM")]
    if suggestion.desk_id is not None:
        details.append(words("PAGE_SUGGEST_DESK_FREE", desk=suggestion.desk_name))
        link_text = words("PAGE_BOOK_DESK_NAMED", desk=suggestion.desk_name)
    else:
        link_text = words("PAGE_CHOOSE_DESK")
    return SuggestionView(
        text=f"{lead}: {', '.join(details)}",
        url=_booking_url(suggestion.day, home_floor, suggestion.desk_id, desk_floor),
        link_text=link_text,
    )
