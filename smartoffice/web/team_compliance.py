"""A direct supervisor's team (``/team/compliance?week=YYYY-MM-DD&sort=status``): the weeks of the visitor's active
direct reports, whom a supervisor may see as on My week, in the table of a unit's compliance page (the same
columns, sorting and policy legend). Someone who supervises nobody sees an empty list."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from litestar import Request, get
from litestar.params import FromQuery
from litestar.response import Template

from smartoffice import formats
from smartoffice.runtime import runtime_of
from smartoffice.web.compliance import (
    DEFAULT_SORT,
    SORTS,
    MemberTable,
    WeekLinks,
    member_table,
    sort_param,
    week_links,
)
from smartoffice.web.context import current_viewer
from smartoffice.web.errors import PageError
from smartoffice.web.forms import FormError, optional_date
from smartoffice.web.language import language_of
from smartoffice.web.unit_links import query_string, team_url


@dataclass(frozen=True, slots=True)
class TeamPage:
    monday: date
    range_label: str
    table: MemberTable
    week_links: WeekLinks
    csv_url: str


@get("/team/compliance", name="team-compliance")
async def team_compliance_page(
    request: Request[Any, Any, Any], week: FromQuery[str | None] = None, sort: FromQuery[str] = DEFAULT_SORT
) -> Template:
    """The weeks of the visitor's direct reports (a direct supervisor sees them as on My week)."""
    language = language_of(request)
    error = None
    try:
        week_of = optional_date(week, "week")
    except FormError as exc:
        week_of, error = None, PageError.of(exc, language)
    viewer = await current_viewer(request)
    page = None
    if viewer is not None:
        runtime = runtime_of(request)
        team = await runtime.policies.team_week(viewer.id, week_of)
        sort = sort if sort in SORTS else DEFAULT_SORT
        table = member_table(
            language, team.weeks, team.monday, sort, lambda s: team_url(week=team.monday, sort=sort_param(s))
        )
        page = TeamPage(
            monday=team.monday,
            range_label=formats.week_range(language, team.monday, team.monday + timedelta(days=6)),
            table=table,
            week_links=week_links(runtime, team.monday, lambda w: team_url(week=w, sort=sort_param(sort))),
            csv_url="/team/compliance.csv" + query_string({"week": team.monday}),
        )
    return Template(
        template_name="team_compliance.html",
        context={"page": page, "viewer": viewer, "error": error, "identity_next": team_url(week=week_of)},
        status_code=error.status if error else 200,
    )
