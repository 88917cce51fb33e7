"""A unit's (or a supervisor's team's) compliance for a week as CSV: one row per person, in the visitor's language.

``/units/{id}/compliance.csv?week=YYYY-MM-DD&subunit=ID`` and ``/team/compliance.csv?week=YYYY-MM-DD``: NIP, name,
unit, status, office days (actual, or planned from today), office days needed, remote days, remote days allowed,
and the problems in words, each followed by the policy that states it. UTF-8 with a byte-order mark (so that a
spreadsheet opens it as UTF-8); a cell a spreadsheet would run as a formula starts with ``'`` (CSV injection).
Who may download it is who may see the page (the service decides).
"""

import csv
import io
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, get
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from smartoffice import labels
from smartoffice.db import is_storable_id
from smartoffice.errors import NotFound
from smartoffice.i18n import Language, gettext
from smartoffice.people.models import Employee
from smartoffice.policies.engine import WeekPlan
from smartoffice.policies.wording import explain
from smartoffice.runtime import runtime_of
from smartoffice.web.compliance import subunit_param
from smartoffice.web.context import current_viewer
from smartoffice.web.forms import optional_date
from smartoffice.web.identity import see_other
from smartoffice.web.language import language_of
from smartoffice.web.unit_links import team_url, unit_url

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@get("/units/{unit_id:int}/compliance.csv", name="unit-compliance-csv")
async def unit_compliance_csv(
    request: Request[Any, Any, Any],
    unit_id: FromPath[int],
    week: FromQuery[str | None] = None,
    subunit: FromQuery[str | None] = None,
) -> Response[str] | Redirect:
    if not is_storable_id(unit_id):
        raise NotFound("OrgUnit", unit_id)
    week_of = optional_date(week, "week")
    within = subunit_param(subunit)
    viewer = await current_viewer(request)
    if viewer is None:
        return see_other("/?" + urlencode({"notice": "pick_identity", "next": unit_url(unit_id, week=week_of)}))
    report = await runtime_of(request).policies.unit_report(viewer.id, unit_id, week_of, within)
    name = f"compliance-{report.unit.code}-{report.week.monday.isoformat()}.csv"
    return csv_response(compliance_csv(language_of(request), report.week.weeks), name)


@get("/team/compliance.csv", name="team-compliance-csv")
async def team_compliance_csv(
    request: Request[Any, Any, Any], week: FromQuery[str | None] = None
) -> Response[str] | Redirect:
    week_of = optional_date(week, "week")
    viewer = await current_viewer(request)
    if viewer is None:
        return see_other("/?" + urlencode({"notice": "pick_identity", "next": team_url(week=week_of)}))
    team = await runtime_of(request).policies.team_week(viewer.id, week_of)
    return csv_response(compliance_csv(language_of(request), team.weeks), f"team-{team.monday.isoformat()}.csv")


def compliance_csv(language: Language, weeks: Sequence[tuple[Employee, WeekPlan]]) -> str:
    """The header row and one row per person (``Employee.org_unit`` loaded), by name."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            gettext(language, "NIP"),
            gettext(language, "Name"),
            gettext(language, "Unit"),
            gettext(language, "Status"),
            gettext(language, "Office days"),
            gettext(language, "Office days needed"),
            gettext(language, "Remote days"),
            gettext(language, "Remote days allowed"),
            gettext(language, "Problems"),
        ]
    )
    for employee, plan in sorted(weeks, key=lambda pair: (pair[0].name.casefold(), pair[0].id)):
        remote = sum(1 for d in plan.working_days if d.status is not None and d.status.is_remote)
        problems = "; ".join(
            explain(language, p.code, p.params) + (f" ({p.policy.name})" if p.policy else "") for p in plan.problems
        )
        writer.writerow(
            [
                safe_cell(value)
                for value in (
                    employee.nip,
                    employee.name,
                    employee.org_unit.name,
                    labels.label(language, plan.status),
                    plan.office_days,
                    plan.office_days_needed,
                    remote,
                    plan.remote_days_allowed,
                    problems,
                )
            ]
        )
    return buffer.getvalue()


def safe_cell(value: object) -> object:
    """Text a spreadsheet would read as a formula starts with ``'`` (CSV injection); numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_response(text: str, filename: str) -> Response[str]:
    safe_name = "".join(c if c.isalnum() or c in "-_." else "_" for c in filename)
    return Response(
        "\ufeff" + text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{safe_name}"', "Cache-Control": "no-store"},
    )
