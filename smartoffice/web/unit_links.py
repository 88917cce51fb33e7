"""Where the unit and team pages live: their URLs, built in one place for the pages that link to them (the unit's
views, My week's links to the units a person manages and to their team)."""

from collections.abc import Mapping
from datetime import date
from urllib.parse import urlencode


def unit_url(unit_id: int, view: str = "", **query: object) -> str:
    """``/units/{id}/compliance`` (``view`` ``""``), ``…/compliance/trend``, ``…/compliance/day``,
    ``…/compliance.csv`` or ``/units/{id}/anchor-days``, with the query values that are not None."""
    paths = {
        "": "/compliance",
        "trend": "/compliance/trend",
        "day": "/compliance/day",
        "csv": "/compliance.csv",
        "anchor-days": "/anchor-days",
    }
    return f"/units/{unit_id}{paths[view]}" + query_string(query)


def team_url(**query: object) -> str:
    """``/team/compliance`` with the query values that are not None."""
    return "/team/compliance" + query_string(query)


def query_string(values: Mapping[str, object]) -> str:
    """``?a=1&b=2020-01-31`` of the values that are not None (dates as ISO dates); empty when there are none."""
    encoded = urlencode({k: v.isoformat() if isinstance(v, date) else v for k, v in values.items() if v is not None})
    return f"?{encoded}" if encoded else ""
