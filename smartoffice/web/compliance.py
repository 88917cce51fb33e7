"""A unit's compliance for a week (PermenPANRB 4/2025 Pasal 35 monitoring): for its managers and admins. Its member
table serves a direct supervisor's team too (:mod:`smartoffice.web.team_compliance`).

``/units/{unit_id}/compliance?week=YYYY-MM-DD&sort=status&subunit=ID`` lists everyone in the subtree of the unit
(or of the sub-unit chosen in the filter) with their status, office and remote days against what their week
needs and allows, and the problems, sorted on the server (``status``, worst first, or ``name``; a leading ``-``
reverses either); above it, each working day's remote share against the cap in force. A policy is named once, in
the legend under the table, and each problem refers to it by its number. Anyone else gets the pages'
permission-denied page (the service decides). The trend, the "who is in" day, the CSV and the anchor days are in
:mod:`smartoffice.web.unit_views`, :mod:`smartoffice.web.compliance_csv` and :mod:`smartoffice.web.anchor_days`.
"""

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from litestar import Request, get
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from smartoffice import formats
from smartoffice.db import is_storable_id
from smartoffice.errors import NotFound
from smartoffice.i18n import Language
from smartoffice.people.models import Employee
from smartoffice.policies.day_rules import PolicyView
from smartoffice.policies.engine import ComplianceStatus, WeekPlan
from smartoffice.policies.models import WorkMode
from smartoffice.policies.unit_trend import UnitOption
from smartoffice.policies.weeks import UnitWeek
from smartoffice.policies.wording import explain
from smartoffice.runtime import Runtime, runtime_of
from smartoffice.web.context import current_viewer
from smartoffice.web.errors import PageError
from smartoffice.web.forms import FormError, optional_date, optional_int
from smartoffice.web.language import language_of
from smartoffice.web.unit_links import unit_url
from smartoffice.web.week_view import week_url

WORST_FIRST = ("non_compliant", "at_risk", "no_data", "compliant")
"""The order a unit head reads the table in (a status the engine adds later goes last)."""
STATUS_ORDER = tuple(
    sorted(ComplianceStatus, key=lambda s: WORST_FIRST.index(s.value) if s.value in WORST_FIRST else len(WORST_FIRST))
)
SORTS = ("status", "-status", "name", "-name")
DEFAULT_SORT = "status"


@get("/units/{unit_id:int}/compliance", name="unit-compliance")
async def unit_compliance_page(
    request: Request[Any, Any, Any],
    unit_id: FromPath[int],
    week: FromQuery[str | None] = None,
    sort: FromQuery[str] = DEFAULT_SORT,
    subunit: FromQuery[str | None] = None,
) -> Template:
    language = language_of(request)
    week_of, within, error = unit_query(language, unit_id, week, "week", subunit)
    viewer = await current_viewer(request)
    page = None
    if viewer is not None:
        page = await build_compliance_page(runtime_of(request), language, viewer.id, unit_id, week_of, sort, within)
    return Template(
        template_name="compliance.html",
        context={
            "page": page,
            "viewer": viewer,
            "error": error,
            "identity_next": unit_url(unit_id, week=week_of),
        },
        status_code=error.status if error else 200,
    )


def unit_query(
    language: Language, unit_id: int, day: str | None, field: str, subunit: str | None
) -> tuple[date | None, int | None, PageError | None]:
    """A unit page's day (the query field ``field``) and sub-unit: a bad one is the page's error (shown with the
    unit's own week), not a 500; an id no row can have is the unit not found."""
    if not is_storable_id(unit_id):
        raise NotFound("OrgUnit", unit_id)
    try:
        return optional_date(day, field), subunit_param(subunit), None
    except FormError as exc:
        return None, None, PageError.of(exc, language)


def subunit_param(value: str | None) -> int | None:
    within = optional_int(value, "subunit")
    if within is not None and not is_storable_id(within):
        raise FormError("subunit", "invalid_subunit")
    return within


def sort_param(sort: str) -> str | None:
    return sort if sort != DEFAULT_SORT else None


# the member table (unit and team)


@dataclass(frozen=True, slots=True)
class RowProblem:
    code: str
    text: str
    ref: int | None
    """The number of the policy in the page's legend, when one policy states the rule."""


@dataclass(frozen=True, slots=True)
class LegendEntry:
    ref: int
    name: str
    legal_basis: str


@dataclass(frozen=True, slots=True)
class MemberRow:
    employee_id: int
    nip: str
    name: str
    unit_name: str
    status: ComplianceStatus
    office_days_needed: int
    planned_office_days: int
    actual_office_days: int
    office_days: int
    remote_days: int
    remote_days_allowed: int
    problems: Sequence[RowProblem]
    week_url: str


@dataclass(frozen=True, slots=True)
class SortLink:
    url: str
    aria_sort: str | None
    """``ascending`` or ``descending`` on the column the table is sorted by."""


@dataclass(frozen=True, slots=True)
class MemberTable:
    members: Sequence[MemberRow]
    legend: Sequence[LegendEntry]
    """Each policy the problems cite, once, numbered in order of first citation."""
    counts: Mapping[ComplianceStatus, int]
    """How many members have each status (every status, worst first)."""
    sort: str
    sort_links: Mapping[str, SortLink]
    """``name`` and ``status``: where each column header's link leads."""


class Legend:
    """Numbers policies in the order they are first cited."""

    def __init__(self) -> None:
        self.entries: dict[tuple[str, str], LegendEntry] = {}

    def ref(self, policy: PolicyView | None) -> int | None:
        if policy is None:
            return None
        key = (policy.name, policy.legal_basis or "")
        if key not in self.entries:
            self.entries[key] = LegendEntry(len(self.entries) + 1, *key)
        return self.entries[key].ref


def member_rows(
    language: Language, weeks: Sequence[tuple[Employee, WeekPlan]], monday: date, legend: Legend
) -> list[MemberRow]:
    """One row per member (``Employee.org_unit`` loaded), their problems citing ``legend``'s numbers."""
    rows = []
    for employee, plan in weeks:
        working = plan.working_days
        rows.append(
            MemberRow(
                employee_id=employee.id,
                nip=employee.nip,
                name=employee.name,
                unit_name=employee.org_unit.name,
                status=plan.status,
                office_days_needed=plan.office_days_needed,
                planned_office_days=sum(1 for d in working if d.planned == WorkMode.OFFICE),
                actual_office_days=sum(1 for d in working if d.actual == WorkMode.OFFICE),
                office_days=plan.office_days,
                remote_days=sum(1 for d in working if d.status is not None and d.status.is_remote),
                remote_days_allowed=plan.remote_days_allowed,
                problems=[
                    RowProblem(p.code, explain(language, p.code, p.params), legend.ref(p.policy)) for p in plan.problems
                ],
                week_url=week_url(monday, employee.id),
            )
        )
    return rows


def member_table(
    language: Language,
    weeks: Sequence[tuple[Employee, WeekPlan]],
    monday: date,
    sort: str,
    url_for_sort: Callable[[str], str],
    legend: Legend | None = None,
) -> MemberTable:
    legend = legend or Legend()
    rows = member_rows(language, weeks, monday, legend)
    counts = Counter(row.status for row in rows)
    return MemberTable(
        members=sorted_members(rows, sort),
        legend=list(legend.entries.values()),
        counts={status: counts.get(status, 0) for status in STATUS_ORDER},
        sort=sort,
        sort_links={column: _sort_link(column, sort, url_for_sort) for column in ("name", "status")},
    )


def sorted_members(rows: Sequence[MemberRow], sort: str) -> list[MemberRow]:
    """``status``: worst first (then by name); ``name``: A to Z; a leading ``-`` reverses either."""
    rank = {status: index for index, status in enumerate(STATUS_ORDER)}
    by_name = sorted(rows, key=lambda row: (row.name.casefold(), row.employee_id))
    if sort.lstrip("-") == "status":
        # Reversing the status order keeps names A to Z within each status: the reader's second key.
        ordered = sorted(by_name, key=lambda row: rank[row.status], reverse=sort.startswith("-"))
        return ordered
    return by_name[::-1] if sort.startswith("-") else by_name


def _sort_link(column: str, sort: str, url_for_sort: Callable[[str], str]) -> SortLink:
    """A header link sorts by its column; on the column already sorted by, it reverses the order."""
    if sort.lstrip("-") != column:
        return SortLink(url_for_sort(column), None)
    descending = sort.startswith("-")
    return SortLink(url_for_sort(column if descending else f"-{column}"), "descending" if descending else "ascending")


# the unit's page


@dataclass(frozen=True, slots=True)
class ShareCell:
    day: date
    label: str
    members: int
    remote: int
    percent: int
    cap_percent: int | None
    is_breached: bool
    ref: int | None
    """The cap's policy in the legend."""


@dataclass(frozen=True, slots=True)
class WeekLinks:
    previous_url: str
    next_url: str
    this_week_url: str
    is_this_week: bool


@dataclass(frozen=True, slots=True)
class UnitHead:
    """What every view of a unit shows at its top: the unit, the sub-unit filter and the links between views."""

    unit_id: int
    unit_name: str
    subunit: int | None
    """The sub-unit chosen in the filter (None: the whole unit)."""
    subunit_name: str | None
    units: Sequence[UnitOption]
    monday: date
    view: str
    """``""`` (the week), ``trend``, ``day`` or ``anchor-days``: the current one."""

    def url(self, view: str, **query: object) -> str:
        return unit_url(self.unit_id, view, subunit=self.subunit, **query)

    @property
    def path(self) -> str:
        """The current view's address without a query: where the filter's GET form goes."""
        return unit_url(self.unit_id, self.view)

    @property
    def options(self) -> list[tuple[str, str, bool]]:
        """The filter's choices: value (blank for the whole unit), name indented by depth, whether chosen."""
        chosen = self.subunit or self.unit_id
        return [
            ("" if u.id == self.unit_id else str(u.id), "\u00a0\u00a0" * u.depth + u.name, u.id == chosen)
            for u in self.units
        ]

    @property
    def views(self) -> list[tuple[str, str]]:
        """The links between the views, keyed by view: the week's, the trend's and the day's keep the week."""
        week = self.monday
        return [
            ("", self.url("", week=week)),
            ("trend", self.url("trend", week=week)),
            ("day", self.url("day", day=week)),
            ("anchor-days", unit_url(self.unit_id, "anchor-days")),
        ]


@dataclass(frozen=True, slots=True)
class CompliancePage:
    head: UnitHead
    range_label: str
    table: MemberTable
    shares: Sequence[ShareCell]
    week_links: WeekLinks
    csv_url: str


def unit_head(
    unit_id: int, unit_name: str, units: Sequence[UnitOption], within: int | None, monday: date, view: str
) -> UnitHead:
    chosen = next((u for u in units if u.id == within), None) if within not in (None, unit_id) else None
    return UnitHead(
        unit_id, unit_name, chosen.id if chosen else None, chosen.name if chosen else None, units, monday, view
    )


async def build_compliance_page(
    runtime: Runtime,
    language: Language,
    viewer_id: int,
    unit_id: int,
    week_of: date | None,
    sort: str,
    within: int | None = None,
) -> CompliancePage:
    """Raises NotFound (no such unit, or a sub-unit outside it) or PermissionDenied (not a manager of it), as the
    service does."""
    sort = sort if sort in SORTS else DEFAULT_SORT
    report = await runtime.policies.unit_report(viewer_id, unit_id, week_of, within)
    head = unit_head(report.unit.id, report.unit.name, report.units, within, report.week.monday, "")
    legend = Legend()
    monday = head.monday
    shares = _shares(language, report.week, legend)
    table = member_table(
        language, report.week.weeks, monday, sort, lambda s: head.url("", week=monday, sort=sort_param(s)), legend
    )
    return CompliancePage(
        head=head,
        range_label=formats.week_range(language, monday, monday + timedelta(days=6)),
        table=table,
        shares=shares,
        week_links=week_links(runtime, monday, lambda w: head.url("", week=w, sort=sort_param(sort))),
        csv_url=head.url("csv", week=monday),
    )


def _shares(language: Language, week: UnitWeek, legend: Legend) -> list[ShareCell]:
    return [
        ShareCell(
            day=share.day,
            label=formats.day_month(language, share.day),
            members=share.members,
            remote=share.remote,
            percent=round(share.remote * 100 / share.members) if share.members else 0,
            cap_percent=share.cap_percent,
            is_breached=share.is_breached,
            ref=legend.ref(share.policy),
        )
        for share in week.shares
    ]


def week_links(runtime: Runtime, monday: date, url_for_week: Callable[[date | None], str]) -> WeekLinks:
    today = runtime.policies.today()
    this_monday = today - timedelta(days=today.weekday())
    return WeekLinks(
        previous_url=url_for_week(monday - timedelta(days=7)),
        next_url=url_for_week(monday + timedelta(days=7)),
        this_week_url=url_for_week(None),
        is_this_week=monday == this_monday,
    )
