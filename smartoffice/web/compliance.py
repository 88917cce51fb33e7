"""A unit's compliance for a week (PermenPANRB 4/2025 Pasal 35 monitoring): for its managers and admins.

``/units/{unit_id}/compliance?week=YYYY-MM-DD&sort=status`` lists everyone in the unit's subtree with their
status, office days needed, planned and done, and problems, sorted on the server (``status``, worst first, or
``name``; a leading ``-`` reverses either); above it, each working day's remote share against the cap in force.
Anyone else gets the pages' permission-denied page (the service decides).
"""

from collections import Counter
from collections.abc import Mapping, Sequence
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
from smartoffice.policies.engine import ComplianceStatus
from smartoffice.policies.models import WorkMode
from smartoffice.runtime import Runtime, runtime_of
from smartoffice.web.context import current_viewer
from smartoffice.web.errors import PageError
from smartoffice.web.forms import FormError, optional_date
from smartoffice.web.language import language_of
from smartoffice.web.week_view import Because, compliance_url, week_url

STATUS_ORDER = (ComplianceStatus.NON_COMPLIANT, ComplianceStatus.AT_RISK, ComplianceStatus.COMPLIANT)
"""Worst first: the order a unit head reads the table in."""
SORTS = ("status", "-status", "name", "-name")
DEFAULT_SORT = "status"


@get("/units/{unit_id:int}/compliance", name="unit-compliance")
async def unit_compliance_page(
    request: Request[Any, Any, Any],
    unit_id: FromPath[int],
    week: FromQuery[str | None] = None,
    sort: FromQuery[str] = DEFAULT_SORT,
) -> Template:
    language = language_of(request)
    if not is_storable_id(unit_id):
        raise NotFound("OrgUnit", unit_id)
    error = None
    try:
        week_of = optional_date(week, "week")
    except FormError as exc:
        week_of, error = None, PageError.of(exc, language)
    viewer = await current_viewer(request)
    page = None
    if viewer is not None:
        page = await build_compliance_page(runtime_of(request), language, viewer.id, unit_id, week_of, sort)
    return Template(
        template_name="compliance.html",
        context={
            "page": page,
            "viewer": viewer,
            "error": error,
            "identity_next": compliance_url(unit_id, week_of),
        },
        status_code=error.status if error else 200,
    )


@dataclass(frozen=True, slots=True)
class MemberRow:
    employee_id: int
    name: str
    unit_name: str
    status: ComplianceStatus
    office_days_needed: int
    planned_office_days: int
    actual_office_days: int
    problems: Sequence[Because]
    week_url: str


@dataclass(frozen=True, slots=True)
class ShareCell:
    day: date
    label: str
    members: int
    remote: int
    percent: int
    cap_percent: int | None
    is_breached: bool
    policy_name: str | None
    legal_basis: str | None


@dataclass(frozen=True, slots=True)
class SortLink:
    url: str
    aria_sort: str | None
    """``ascending`` or ``descending`` on the column the table is sorted by."""


@dataclass(frozen=True, slots=True)
class CompliancePage:
    unit_id: int
    unit_name: str
    monday: date
    range_label: str
    members: Sequence[MemberRow]
    shares: Sequence[ShareCell]
    cap_policies: Sequence[tuple[str, str]]
    """The name and legal basis of each policy capping a day's remote share, once each."""
    counts: Mapping[ComplianceStatus, int]
    """How many members have each status."""
    sort: str
    sort_links: Mapping[str, SortLink]
    """``name`` and ``status``: where each column header's link leads."""
    previous_url: str
    next_url: str
    this_week_url: str
    is_this_week: bool


async def build_compliance_page(
    runtime: Runtime, language: Language, viewer_id: int, unit_id: int, week_of: date | None, sort: str
) -> CompliancePage:
    """Raises NotFound (no such unit) or PermissionDenied (not a manager of it), as the service does."""
    sort = sort if sort in SORTS else DEFAULT_SORT
    unit_week = await runtime.policies.unit_week(viewer_id, unit_id, week_of)
    today = runtime.policies.today()
    monday = unit_week.monday
    rows = [
        MemberRow(
            employee_id=employee.id,
            name=employee.name,
            unit_name=employee.org_unit.name,
            status=plan.status,
            office_days_needed=plan.office_days_needed,
            planned_office_days=sum(1 for d in plan.working_days if d.planned == WorkMode.OFFICE),
            actual_office_days=sum(1 for d in plan.working_days if d.actual == WorkMode.OFFICE),
            problems=[Because.of(language, p.code, p.params, p.policy) for p in plan.problems],
            week_url=week_url(monday, employee.id),
        )
        for employee, plan in unit_week.weeks
    ]
    shares = [
        ShareCell(
            day=share.day,
            label=formats.day_month(language, share.day),
            members=share.members,
            remote=share.remote,
            percent=round(share.remote * 100 / share.members) if share.members else 0,
            cap_percent=share.cap_percent,
            is_breached=share.is_breached,
            policy_name=share.policy.name if share.policy else None,
            legal_basis=share.policy.legal_basis if share.policy else None,
        )
        for share in unit_week.shares
    ]
    counts = Counter(row.status for row in rows)
    this_monday = today - timedelta(days=today.weekday())
    return CompliancePage(
        unit_id=unit_week.unit.id,
        unit_name=unit_week.unit.name,
        monday=monday,
        range_label=formats.week_range(language, monday, monday + timedelta(days=6)),
        members=sorted_members(rows, sort),
        shares=shares,
        cap_policies=list(dict.fromkeys((c.policy_name, c.legal_basis or "") for c in shares if c.policy_name)),
        counts={status: counts.get(status, 0) for status in STATUS_ORDER},
        sort=sort,
        sort_links={column: _sort_link(unit_week.unit.id, monday, column, sort) for column in ("name", "status")},
        previous_url=_url(unit_id, monday - timedelta(days=7), sort),
        next_url=_url(unit_id, monday + timedelta(days=7), sort),
        this_week_url=_url(unit_id, None, sort),
        is_this_week=monday == this_monday,
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


def _sort_link(unit_id: int, monday: date, column: str, sort: str) -> SortLink:
    """A header link sorts by its column; on the column already sorted by, it reverses the order."""
    if sort.lstrip("-") != column:
        return SortLink(_url(unit_id, monday, column), None)
    descending = sort.startswith("-")
    return SortLink(
        _url(unit_id, monday, column if descending else f"-{column}"),
        "descending" if descending else "ascending",
    )


def _url(unit_id: int, week: date | None, sort: str) -> str:
    return compliance_url(unit_id, week, sort if sort != DEFAULT_SORT else None)
