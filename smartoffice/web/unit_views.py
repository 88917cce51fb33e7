"""A unit's compliance across weeks (``/units/{id}/compliance/trend``) and who is in on a day
(``/units/{id}/compliance/day``): the views beside the week's compliance, for the unit's managers and admins.

The trend is a stacked bar per week (the share of members with each status, the compliant share written on the
bar) drawn as server-side SVG, with its numbers in a table beneath: the chart is an image named by a summary, the
table is what a screen reader reads. Both keep the sub-unit filter (``subunit``) of the week's page.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from litestar import Request, get
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from smartoffice import formats, labels
from smartoffice.i18n import N_, Language, gettext
from smartoffice.policies.engine import ComplianceStatus
from smartoffice.policies.models import WorkMode
from smartoffice.policies.unit_days import PRESENCE_ORDER, PersonDay, Presence
from smartoffice.policies.unit_trend import DEFAULT_TREND_WEEKS, MAX_TREND_WEEKS, TrendWeek
from smartoffice.runtime import runtime_of
from smartoffice.web.compliance import STATUS_ORDER, UnitHead, unit_head, unit_query
from smartoffice.web.context import current_viewer
from smartoffice.web.errors import PageError
from smartoffice.web.forms import FormError, optional_int
from smartoffice.web.language import language_of
from smartoffice.web.unit_links import unit_url
from smartoffice.web.week_view import week_url

PRESENCES: Mapping[Presence, str] = {
    Presence.IN_OFFICE: N_("In the office"),
    Presence.REMOTE: N_("Remote"),
    Presence.AWAY: N_("Away (leave or duty travel)"),
    Presence.ABSENT: N_("Reported absent"),
    Presence.NO_DATA: N_("No attendance data for the day"),
    Presence.NO_PLAN: N_("No plan"),
    Presence.NOT_WORKING: N_("Not a working day for them"),
}

CHART_HEIGHT = 160
"""The bars' height in the SVG's units (100 %), below a line for the compliant share and above one for labels."""
BAR_WIDTH = 36
BAR_GAP = 14
TOP = 22
BOTTOM = 24


# the trend


@dataclass(frozen=True, slots=True)
class Segment:
    status: ComplianceStatus
    y: float
    height: float


@dataclass(frozen=True, slots=True)
class TrendRow:
    monday: date
    label: str
    """``6/7``: the Monday, short (the table says the whole week)."""
    range_label: str
    counts: Mapping[ComplianceStatus, int]
    members: int
    compliant_percent: int | None
    url: str
    """The week's compliance page."""
    x: float
    segments: Sequence[Segment]


@dataclass(frozen=True, slots=True)
class TrendPage:
    head: UnitHead
    rows: Sequence[TrendRow]
    statuses: Sequence[ComplianceStatus]
    count: int
    width: int
    height: int
    summary: str
    """What the chart shows, in words: its accessible name."""
    earlier_url: str
    later_url: str


@get("/units/{unit_id:int}/compliance/trend", name="unit-compliance-trend")
async def unit_trend_page(
    request: Request[Any, Any, Any],
    unit_id: FromPath[int],
    week: FromQuery[str | None] = None,
    subunit: FromQuery[str | None] = None,
    weeks: FromQuery[str | None] = None,
) -> Template:
    language = language_of(request)
    week_of, within, error = unit_query(language, unit_id, week, "week", subunit)
    count = DEFAULT_TREND_WEEKS
    try:
        count = optional_int(weeks, "weeks") or DEFAULT_TREND_WEEKS
        if not 1 <= count <= MAX_TREND_WEEKS:
            raise FormError("weeks", "invalid_weeks")
    except FormError as exc:
        count, error = DEFAULT_TREND_WEEKS, error or PageError.of(exc, language)
    viewer = await current_viewer(request)
    page = None
    if viewer is not None:
        runtime = runtime_of(request)
        scope = await runtime.policies.unit_scope(viewer.id, unit_id, within)
        trend = await runtime.policies.unit_trend(viewer.id, within or unit_id, week_of, count)
        head = unit_head(scope.unit.id, scope.unit.name, scope.units, within, trend.weeks[-1].monday, "trend")
        page = trend_page(language, head, trend.weeks, count)
    return Template(
        template_name="compliance_trend.html",
        context={"page": page, "viewer": viewer, "error": error, "identity_next": unit_url(unit_id, "trend")},
        status_code=error.status if error else 200,
    )


def trend_page(language: Language, head: UnitHead, weeks: Sequence[TrendWeek], count: int) -> TrendPage:
    rows = []
    for index, week in enumerate(weeks):
        x = BAR_GAP + index * (BAR_WIDTH + BAR_GAP)
        segments, y = [], float(TOP)
        for status in _chart_order():
            n = week.counts.get(status, 0)
            if n and week.members:
                height = CHART_HEIGHT * n / week.members
                segments.append(Segment(status, round(y, 2), round(height, 2)))
                y += height
        rows.append(
            TrendRow(
                monday=week.monday,
                label=f"{week.monday.day}/{week.monday.month}",
                range_label=formats.day_month(language, week.monday),
                counts={status: week.counts.get(status, 0) for status in STATUS_ORDER},
                members=week.members,
                compliant_percent=week.compliant_percent,
                url=head.url("", week=week.monday),
                x=x,
                segments=segments,
            )
        )
    last = head.monday
    shown = [r.compliant_percent for r in rows if r.compliant_percent is not None]
    summary = gettext(
        language,
        "Share of staff compliant over %(count)s weeks up to %(week)s: from %(first)s to %(last)s. The table below "
        "gives every number.",
        count=len(rows),
        week=formats.day_month(language, last),
        first=_percent(language, shown[0] if shown else None),
        last=_percent(language, shown[-1] if shown else None),
    )
    return TrendPage(
        head=head,
        rows=rows,
        statuses=STATUS_ORDER,
        count=count,
        width=BAR_GAP + len(rows) * (BAR_WIDTH + BAR_GAP),
        height=TOP + CHART_HEIGHT + BOTTOM,
        summary=summary,
        earlier_url=head.url("trend", week=last - timedelta(weeks=count), weeks=_weeks_param(count)),
        later_url=head.url("trend", week=last + timedelta(weeks=count), weeks=_weeks_param(count)),
    )


def _chart_order() -> list[ComplianceStatus]:
    """Compliant at the bottom of each bar, the worst on top."""
    return list(reversed(STATUS_ORDER))


def _percent(language: Language, value: int | None) -> str:
    return "—" if value is None else gettext(language, "%(percent)s%%", percent=value)


def _weeks_param(count: int) -> int | None:
    return None if count == DEFAULT_TREND_WEEKS else count


# who is in


@dataclass(frozen=True, slots=True)
class DayPerson:
    employee_id: int
    name: str
    unit_name: str
    detail: str
    is_required: bool
    week_url: str


@dataclass(frozen=True, slots=True)
class PresenceGroup:
    presence: Presence
    label: str
    people: Sequence[DayPerson]


@dataclass(frozen=True, slots=True)
class DayLink:
    day: date
    label: str
    url: str
    is_current: bool


@dataclass(frozen=True, slots=True)
class DayPage:
    head: UnitHead
    day: date
    label: str
    groups: Sequence[PresenceGroup]
    days: Sequence[DayLink]
    previous_url: str
    next_url: str
    total: int


@get("/units/{unit_id:int}/compliance/day", name="unit-day")
async def unit_day_page(
    request: Request[Any, Any, Any],
    unit_id: FromPath[int],
    day: FromQuery[str | None] = None,
    subunit: FromQuery[str | None] = None,
) -> Template:
    language = language_of(request)
    chosen, within, error = unit_query(language, unit_id, day, "date", subunit)
    viewer = await current_viewer(request)
    page = None
    if viewer is not None:
        runtime = runtime_of(request)
        the_day = chosen or runtime.policies.today()
        scope = await runtime.policies.unit_scope(viewer.id, unit_id, within)
        monday = the_day - timedelta(days=the_day.weekday())
        head = unit_head(scope.unit.id, scope.unit.name, scope.units, within, monday, "day")
        found = await runtime.policies.unit_day(viewer.id, within or unit_id, the_day)
        page = day_page(language, head, the_day, found.people)
    return Template(
        template_name="compliance_day.html",
        context={"page": page, "viewer": viewer, "error": error, "identity_next": unit_url(unit_id, "day")},
        status_code=error.status if error else 200,
    )


def day_page(language: Language, head: UnitHead, day: date, people: Sequence[PersonDay]) -> DayPage:
    groups = []
    for presence in PRESENCE_ORDER:
        members = [p for p in people if p.presence == presence]
        if not members and presence in (Presence.ABSENT, Presence.NO_DATA, Presence.NOT_WORKING):
            continue  # shown only when someone is in them
        groups.append(
            PresenceGroup(
                presence,
                gettext(language, PRESENCES[presence]),
                [
                    DayPerson(
                        p.employee.id,
                        p.employee.name,
                        p.employee.org_unit.name,
                        _detail(language, p),
                        p.is_required and presence != Presence.IN_OFFICE,
                        week_url(head.monday, p.employee.id),
                    )
                    for p in members
                ],
            )
        )
    monday = day - timedelta(days=day.weekday())
    return DayPage(
        head=head,
        day=day,
        label=formats.long_date(language, day),
        groups=groups,
        days=[
            DayLink(d, formats.weekday(language, d), head.url("day", day=d), d == day)
            for d in (monday + timedelta(days=n) for n in range(5))
        ],
        previous_url=head.url("day", day=day - timedelta(days=7)),
        next_url=head.url("day", day=day + timedelta(days=7)),
        total=len(people),
    )


def _detail(language: Language, person: PersonDay) -> str:
    """How they are in (or not): the desk and check-in, else the plan or the report, in words."""
    if person.presence == Presence.IN_OFFICE:
        if person.desk_label and person.checked_in:
            return gettext(language, "Checked in at %(desk)s", desk=person.desk_label)
        if person.desk_label:
            return gettext(language, "Desk %(desk)s booked", desk=person.desk_label)
        if person.actual == WorkMode.OFFICE:
            return gettext(language, "Reported in the office")
        return gettext(language, "Office day planned")
    if person.mode is not None and person.presence in (Presence.REMOTE, Presence.AWAY):
        return labels.label(language, person.mode)
    if person.presence == Presence.NO_DATA and person.desk_label:
        return gettext(language, "Desk %(desk)s booked, not checked in", desk=person.desk_label)
    return ""
