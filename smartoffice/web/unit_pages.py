"""The pages for unit heads and direct supervisors beside a unit's week of compliance (registered by
:mod:`smartoffice.web.pages`): the trend, who is in on a day, the CSV, the anchor days and a supervisor's team."""

from litestar.types import ControllerRouterHandler

from smartoffice.web.anchor_days import anchor_days_page, set_anchor_days
from smartoffice.web.compliance_csv import team_compliance_csv, unit_compliance_csv
from smartoffice.web.team_compliance import team_compliance_page
from smartoffice.web.unit_views import unit_day_page, unit_trend_page

UNIT_ROUTES: list[ControllerRouterHandler] = [
    unit_compliance_csv,
    unit_trend_page,
    unit_day_page,
    anchor_days_page,
    set_anchor_days,
    team_compliance_page,
    team_compliance_csv,
]
