"""The "my week" page's view-model: the policy engine's answer for one person's week, put into words.

Built from one call to the policy service (:meth:`~smartoffice.policies.service.PolicyService.week_overview`);
templates loop and print.
Sentences carrying numbers, names or dates are made here in the page's language (gettext, smartoffice.formats);
fixed labels stay in the templates. The engine's reasons and problems are put into words by
:func:`smartoffice.policies.wording.explain`, as GraphQL's ``myWeek`` says them.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from smartoffice import formats
from smartoffice.bookings.models import BookingStatus
from smartoffice.bookings.required_days import MAX_WEEKS, DayOutcome, DayResult, RequiredDaysResult
from smartoffice.i18n import Language, gettext, ngettext
from smartoffice.labels import label
from smartoffice.policies import weeks
from smartoffice.policies.day_rules import PolicyView, ReasonCode
from smartoffice.policies.engine import ComplianceStatus, DayPlan, Requirement
from smartoffice.policies.models import LocationKind, WorkMode
from smartoffice.policies.remote_locations import AWAY_FROM_HOME, Location
from smartoffice.policies.weeks import BookedDesk, Suggestion
from smartoffice.policies.wording import explain
from smartoffice.runtime import Runtime
from smartoffice.web.checkin import check_in_path
from smartoffice.web.floor import floor_url
from smartoffice.web.unit_links import team_url, unit_url

NO_PLAN = "none"
PLAN_CHOICES: tuple[WorkMode | str, ...] = (*(mode for mode in WorkMode if mode != WorkMode.ABSENT), NO_PLAN)
"""What a day's plan form offers: each work mode that can be planned, or no plan at all."""


def week_url(week: date | None = None, employee_id: int | None = None, **extra: object) -> str:
    query = {"week": week.isoformat() if week else None, "employee": employee_id, **extra}
    encoded = urlencode({k: v for k, v in query.items() if v is not None})
    return "/my-week" + (f"?{encoded}" if encoded else "")


def history_url(employee_id: int | None = None) -> str:
    """The history of weeks (``smartoffice.web.week_history``) of the person, or of oneself."""
    return "/my-week/history" + (f"?{urlencode({'employee': employee_id})}" if employee_id is not None else "")


@dataclass(frozen=True, slots=True)
class Because:
    """A reason or a problem as the page says it, with the policy behind it when there is one."""

    code: str
    text: str
    policy_name: str | None = None
    legal_basis: str | None = None

    @classmethod
    def of(cls, language: Language, code: str, params: Mapping[str, Any], policy: PolicyView | None) -> "Because":
        return cls(
            code,
            explain(language, code, params),
            policy.name if policy else None,
            policy.legal_basis if policy else None,
        )


# my week


@dataclass(frozen=True, slots=True)
class DeskView:
    """A desk booked on a day, as the day's card shows it: where, when, and what can be done with it."""

    booking_id: int
    label: str
    """``Desk B3-3``."""
    place: str
    """``Lantai 3, Menara Kemenko 1``."""
    start: time
    end: time
    """Local times in the building's zone."""
    status: BookingStatus
    floor_url: str
    """The floor plan on that day, at the desk."""
    cancel_url: str | None
    """The cancel confirmation page (the person's own week only)."""
    check_in_url: str | None
    """The desk's check-in page, while check-in is open (the person's own week only)."""


@dataclass(frozen=True, slots=True)
class DayCard:
    day: date
    label: str
    """``Wednesday 10 July``, in the visitor's language."""
    requirement: Requirement
    note: str | None
    """The holiday's or cuti bersama's name, or "weekend"."""
    reasons: Sequence[Because]
    planned: WorkMode | None
    actual: WorkMode | None
    is_today: bool
    is_past: bool
    can_plan: bool
    """A working day from today on: the plan form is offered."""
    plan_choice: WorkMode | str
    """The choice the plan form starts on: the planned mode, or ``none``."""
    booking_url: str | None
    """Where to book a desk: only on days the plan form is offered and no desk is booked yet."""
    desks: Sequence[DeskView] = ()
    location: str | None = None
    """Where the planned remote day is worked, in words: ``Another office of the agency · Kantor Balikpapan``."""
    location_kind: LocationKind | None = None
    location_detail: str | None = None
    """What the plan form's place fields start on."""
    away_choices: Sequence[tuple[LocationKind, str]] = ()
    """The kinds of place an anywhere (WFA) day may be worked at that day, within the policies, with labels."""
    hours: str | None = None
    """The day's working hours in words (``08.00–15.30, 6,5 hours``), from that day's rules; None when not working."""
    is_unknown: bool = False
    """A past working day the attendance source says nothing of (not counted as absent)."""


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
    """Office days still to pick among the flexible days (:func:`smartoffice.policies.weeks.office_days_to_choose`):
    as many flexible days are suggested, when the week has that many left."""
    office_days: int
    """Office days done (before today) or planned (from today)."""
    copresence_days_needed: int
    copresence_days: int
    needed_because: Sequence[Because]
    hours_start: time
    hours_per_week: str
    hours_policy: Because | None
    """The policy setting the hours (an overlay such as Ramadan's), or None for Perpres 21/2023's."""
    status: ComplianceStatus
    problems: Sequence[Because]
    suggestions: Sequence[SuggestionView]
    is_covered: bool
    """Nothing more is needed from the days left: no required day uncovered and no office day still to choose.
    Only then does the page say the plan covers the week."""
    managed_units: Sequence[UnitLink]
    team_url: str | None
    """The viewer's direct reports' weeks (``/team/compliance``), when they supervise anyone."""
    previous_url: str
    next_url: str
    this_week_url: str
    is_this_week: bool
    employee_param: int | None
    """The ``employee`` the forms and links carry: None on one's own week."""
    can_book_required: bool = False
    """The "book my required days" form is offered: one's own week."""
    history_url: str = "/my-week/history"
    """The person's history of weeks."""


async def build_my_week_page(
    runtime: Runtime, language: Language, viewer_id: int, employee_id: int, week_of: date | None
) -> MyWeekPage:
    """Raises NotFound (no such employee) or PermissionDenied (not the viewer's to see), as the service does."""
    overview, locations = await runtime.policies.week_overview_with_locations(viewer_id, employee_id, week_of)
    week, home_floor = overview.week, overview.home_floor_id
    plan, employee, today = week.plan, week.employee, week.plan.today
    own = employee.id == viewer_id
    employee_param = None if own else employee.id
    now = runtime.clock()
    days = [
        _day_card(
            language,
            day,
            today,
            home_floor,
            _desks(language, week.desks.get(day.day, ()), own, now),
            locations.get(day.day),
        )
        for day in plan.days
    ]
    by_day = {day.day: day for day in plan.days}
    hours_source = next(
        (d.rules.sources.get("working_hours") for d in reversed(plan.working_days) if d.rules is not None), None
    )
    uncovered_required = any(d.requirement == Requirement.REQUIRED for d in weeks.uncovered_days(plan))
    this_monday = today - timedelta(days=today.weekday())
    return MyWeekPage(
        employee_id=employee.id,
        employee_name=employee.name,
        unit_name=employee.org_unit.name,
        is_own=own,
        monday=plan.monday,
        range_label=formats.week_range(language, plan.monday, plan.monday + timedelta(days=6)),
        days=days,
        office_days_needed=plan.office_days_needed,
        remote_days_allowed=plan.remote_days_allowed,
        office_days_to_choose=week.office_days_to_choose,
        office_days=plan.office_days,
        copresence_days_needed=plan.copresence_days_needed,
        copresence_days=plan.copresence_days,
        needed_because=[Because.of(language, r.code, r.params, r.policy) for r in plan.needed_because],
        hours_start=plan.working_hours.start,
        hours_per_week=formats.number(language, plan.working_hours.hours_per_week),
        hours_policy=Because("working_hours", hours_source.name, hours_source.name, hours_source.legal_basis)
        if hours_source
        else None,
        status=plan.status,
        problems=[Because.of(language, p.code, p.params, p.policy) for p in plan.problems],
        suggestions=[_suggestion(language, s, by_day[s.day], home_floor) for s in week.suggestions],
        is_covered=not uncovered_required and week.office_days_to_choose == 0,
        managed_units=[UnitLink(unit.name, unit_url(unit.id, week=plan.monday)) for unit in overview.managed_units],
        team_url=team_url(week=plan.monday) if overview.has_team else None,
        previous_url=week_url(plan.monday - timedelta(days=7), employee_param),
        next_url=week_url(plan.monday + timedelta(days=7), employee_param),
        this_week_url=week_url(None, employee_param),
        is_this_week=plan.monday == this_monday,
        employee_param=employee_param,
        can_book_required=own,
        history_url=history_url(employee_param),
    )


def _booking_url(day: date, home_floor: int | None, desk_id: int | None = None, desk_floor: int | None = None) -> str:
    """The floor page on that day (at the desk, when there is one); without a home floor, the offices list."""
    if desk_id is not None and desk_floor is not None:
        return floor_url(desk_floor, day, desk=desk_id) + "#desk-panel"
    if home_floor is not None:
        return floor_url(home_floor, day)
    return "/?" + urlencode({"date": day.isoformat()})


def _desks(language: Language, desks: Sequence[BookedDesk], own: bool, now: datetime) -> list[DeskView]:
    views = []
    for desk in desks:
        zone = ZoneInfo(desk.time_zone)
        start, end = desk.start_at.astimezone(zone), desk.end_at.astimezone(zone)
        views.append(
            DeskView(
                booking_id=desk.booking_id,
                label=gettext(language, "Desk %(code)s", code=desk.label),
                # Translators: where a booked desk is: its floor, then its building.
                place=gettext(language, "%(floor)s, %(building)s", floor=desk.floor_name, building=desk.building_name),
                start=start.time(),
                end=end.time(),
                status=desk.status,
                floor_url=floor_url(desk.floor_id, start.date(), desk=desk.space_id) + "#desk-panel",
                cancel_url=f"/bookings/{desk.booking_id}/cancel" if own and desk.end_at > now else None,
                check_in_url=check_in_path(desk.space_id) if own and desk.can_check_in(now) else None,
            )
        )
    return views


def location_words(language: Language, location: Location | None) -> str | None:
    """``Registered home · ALAMAT-0042``, or the kind alone when no detail was given."""
    if location is None or location.kind is None:
        return None
    kind = label(language, location.kind)
    # Translators: where a remote day is worked: the kind of place, then which one (an office, a home reference).
    return gettext(language, "%(kind)s · %(detail)s", kind=kind, detail=location.detail) if location.detail else kind


def _away_choices(language: Language, plan: DayPlan) -> list[tuple[LocationKind, str]]:
    """The anywhere (WFA) kinds of place the policies in force that day allow."""
    allowed = plan.rules.rules.allowed_location_kinds if plan.rules is not None else None
    return [(kind, label(language, kind)) for kind in AWAY_FROM_HOME if allowed is None or kind in allowed]


def _day_card(
    language: Language,
    plan: DayPlan,
    today: date,
    home_floor: int | None,
    desks: Sequence[DeskView],
    location: Location | None = None,
) -> DayCard:
    working = plan.requirement != Requirement.NOT_WORKING
    can_plan = working and plan.day >= today
    weekend = not working and plan.day.weekday() >= 5
    note = plan.calendar_name or (gettext(language, "Weekend") if weekend else None)
    return DayCard(
        day=plan.day,
        label=formats.day_month(language, plan.day),
        requirement=plan.requirement,
        note=note,
        reasons=[Because.of(language, r.code, r.params, r.policy) for r in plan.reasons],
        planned=plan.planned,
        actual=plan.actual,
        is_today=plan.day == today,
        is_past=plan.day < today,
        can_plan=can_plan,
        plan_choice=plan.planned or NO_PLAN,
        booking_url=_booking_url(plan.day, home_floor) if can_plan and not desks else None,
        desks=desks,
        location=location_words(language, location) if plan.planned is not None and plan.planned.is_remote else None,
        location_kind=location.kind if location else None,
        location_detail=location.detail if location and location.kind != LocationKind.REGISTERED_HOME else None,
        away_choices=_away_choices(language, plan) if can_plan else (),
        hours=_hours(language, plan),
        is_unknown=plan.is_unknown,
    )


def _hours(language: Language, plan: DayPlan) -> str | None:
    if plan.hours is None or plan.requirement == Requirement.NOT_WORKING:
        return None
    hours = plan.hours
    # Translators: a day's working hours: from, to, and the hours worked (less the breaks).
    return gettext(
        language,
        "%(start)s–%(end)s, %(hours)s hours",
        start=formats.clock(language, hours.start),
        end=formats.clock(language, hours.end),
        hours=formats.number(language, hours.hours),
    )


def _suggestion(language: Language, suggestion: Suggestion, day: DayPlan, home_floor: int | None) -> SuggestionView:
    """``Wednesday 10 July is your unit's anchor day: 4 of your team have desks in Zona B3, desk B3-14 is free``."""
    when = formats.day_month(language, suggestion.day)
    if any(reason.code == ReasonCode.ANCHOR_DAY for reason in day.reasons):
        lead = gettext(language, "%(day)s is your unit's anchor day", day=when)
    elif suggestion.requirement == Requirement.REQUIRED:
        lead = gettext(language, "%(day)s is an office day for you", day=when)
    else:
        lead = gettext(language, "%(day)s would make a good office day", day=when)
    if suggestion.teammates_in and suggestion.zone_name:
        team = ngettext(
            language,
            "%(num)d of your team has a desk in %(zone)s",
            "%(num)d of your team have desks in %(zone)s",
            suggestion.teammates_in,
            zone=suggestion.zone_name,
        )
    else:
        team = gettext(language, "nobody in your team has booked a desk yet")
    if suggestion.desk_id is not None:
        desk = gettext(language, "desk %(desk)s is free", desk=suggestion.desk_name)
        # Translators: a suggested day, then what makes it a good one (e.g. "…: 2 of your team have desks in Zona B3,
        # desk B3-3 is free").
        text = gettext(language, "%(reason)s: %(team)s, %(desk)s", reason=lead, team=team, desk=desk)
        link_text = gettext(language, "Book desk %(desk)s", desk=suggestion.desk_name)
    else:
        desk = gettext(language, "no desk is free that day")
        # Translators: a suggested day, then who of the team is in, then that no desk is free (e.g. "…: nobody in
        # your team has booked a desk yet, no desk is free that day").
        text = gettext(language, "%(reason)s: %(team)s, %(desk)s", reason=lead, team=team, desk=desk)
        link_text = gettext(language, "Choose a desk")
    return SuggestionView(
        text=text,
        url=_booking_url(suggestion.day, home_floor, suggestion.desk_id, suggestion.floor_id),
        link_text=link_text,
    )


# book my required days

REQUIRED_WEEKS_CHOICES = tuple(range(1, MAX_WEEKS + 1))
"""What the "book my required days" form offers: this week, or it and the next ones."""
DEFAULT_REQUIRED_WEEKS = 2


@dataclass(frozen=True, slots=True)
class RequiredDayRow:
    day: date
    label: str
    """``Wednesday 10 July``."""
    outcome: DayOutcome
    text: str
    """What happened that day, in the visitor's language."""
    url: str | None
    """The floor plan at the desk booked (or already held)."""


@dataclass(frozen=True, slots=True)
class RequiredDaysView:
    summary: str
    rows: Sequence[RequiredDayRow]


def required_days_view(language: Language, result: RequiredDaysResult) -> RequiredDaysView:
    """The results of "book my required days", day by day (the page shows them after its redirect)."""
    span = gettext(
        language,
        "from %(first)s to %(last)s",
        first=formats.day_month(language, result.first_day),
        last=formats.day_month(language, result.last_day),
    )
    if result.days:
        summary = ngettext(
            language,
            "%(num)d desk booked for your required days %(span)s.",
            "%(num)d desks booked for your required days %(span)s.",
            result.booked,
            span=span,
        )
    else:
        summary = gettext(language, "You have no required office days %(span)s.", span=span)
    return RequiredDaysView(summary, [_required_day_row(language, day) for day in result.days])


def _required_day_row(language: Language, result: DayResult) -> RequiredDayRow:
    desk = result.desk_code or ""
    match result.outcome:
        case DayOutcome.BOOKED:
            text = gettext(language, "Desk %(desk)s booked, near your team.", desk=desk)
        case DayOutcome.ALREADY_BOOKED:
            text = gettext(language, "Already booked: desk %(desk)s.", desk=desk)
        case DayOutcome.AWAY:
            text = gettext(language, "On leave or duty travel: nothing to book.")
        case DayOutcome.NO_FREE_DESK:
            text = gettext(language, "Not booked: no desk is free that day.")
        case _:
            text = gettext(language, "Not booked: %(reason)s", reason=result.message_in(language) or "")
    url = None
    if result.desk_id is not None and result.floor_id is not None:
        url = floor_url(result.floor_id, result.day, desk=result.desk_id) + "#desk-panel"
    return RequiredDayRow(result.day, formats.day_month(language, result.day), result.outcome, text, url)
