"""Issue 15's "done when": on the lived-in demo, ``/capacity`` shows non-zero, plausible figures for every building,
and its numbers equal GraphQL ``occupancyReport``'s.

The whole demo with its eight weeks of activity (smartoffice/activity) is seeded once; the demo's facilities manager
(a demo sign-in account) opens the dashboard of each building over the default range, and asks GraphQL for the same
building and dates."""

import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from smartoffice.demo import seed_demo
from smartoffice.identity.demo_accounts import seed_demo_accounts
from smartoffice.ids import encode_id
from smartoffice.people.models import Role
from smartoffice.places.models import Building
from smartoffice.runtime import Runtime
from smartoffice.web.capacity import default_range
from tests.support.graphql import fix_app_clock, operation
from tests.support.pages import PageClient

TODAY = date(2026, 12, 3)
"""A Thursday: the default range is the eight full weeks from Monday 5 October to Sunday 29 November."""
NOW = datetime(2026, 12, 3, 3, tzinfo=UTC)  # 11:00 WITA


def figures(html: str) -> dict[str, float]:
    return {key: float(value) for key, value in re.findall(r'data-figure="([\w-]+)" data-value="([^"]+)"', html)}


def shown(html: str, key: str) -> str:
    """The figure as the page writes it."""
    match = re.search(rf'data-figure="{key}"[^>]*>\s*<dt>[^<]*</dt>\s*<dd><span class="value">([^<]+)</span>', html)
    assert match, key
    return match.group(1)


async def test_the_dashboard_of_every_demo_building_agrees_with_occupancy_report(
    pages: PageClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: the demo with its activity, and its facilities manager (a demo sign-in account)
    await seed_demo(runtime.db, today=TODAY)
    accounts = await seed_demo_accounts(runtime.db)
    manager = next(a for a in accounts if a.role == Role.FACILITIES_MANAGER)
    async with runtime.db.read() as session:
        buildings = (await session.scalars(select(Building).order_by(Building.code))).all()
    fix_app_clock(pages.http, monkeypatch, NOW)
    await pages.act_as(manager.employee_id)
    first, last = default_range(TODAY)
    assert (first, last) == (date(2026, 10, 5), date(2026, 11, 29))

    for building in buildings:
        # when
        page = await pages.get(f"/capacity?scope=building-{building.id}")
        answer = await pages.http.post(
            "/graphql",
            json={
                "query": operation("OccupancyReport"),
                "variables": {
                    "scope": {"kind": "BUILDING", "id": encode_id("Building", building.id)},
                    "from": first.isoformat(),
                    "to": last.isoformat(),
                },
            },
            headers={"x-demo-employee": str(manager.employee_id)},
        )

        # then: the page's figures are the API's
        assert page.status_code == 200, building.code
        report: dict[str, Any] = answer.json()["data"]["occupancyReport"]
        assert report["__typename"] == "OccupancyReport", report
        summary = report["summary"]
        on_page = figures(page.text)
        assert on_page == {
            "desks": report["desks"],
            "peak": summary["peakBooked"],
            "mean": pytest.approx(summary["meanBooked"], abs=0.005),  # the API rounds means to 2 places
            "percentile-85": summary["percentile85Booked"],
            "utilisation": pytest.approx(summary["meanUtilisation"], abs=5e-5),  # the API rounds shares to 4 places
            "no-show-rate": pytest.approx(summary["noShowRate"], abs=5e-5),
        }, building.code
        assert shown(page.text, "peak") == f"{summary['peakBooked']:,}"
        assert shown(page.text, "utilisation") == f"{round(summary['meanUtilisation'] * 100)}%"
        assert f"{building.name}</h2>" in page.text
        # the per-day table under the chart holds the API's days
        booked = re.findall(r'<tr><th scope="row">[^<]+</th><td>([\d,]+|—)</td>', page.text.split('id="per-day"')[1])
        assert [int(b.replace(",", "")) for b in booked[: len(report["days"])]] == [d["booked"] for d in report["days"]]

        # and the figures are plausible: a lived-in tower, neither empty nor over its desks on average
        assert summary["workingDays"] >= 35 and report["desks"] > 0
        assert 0.3 <= summary["meanUtilisation"] <= 1.0, (building.code, summary)
        assert 0 < summary["peakBooked"] <= report["desks"]
        assert summary["meanBooked"] <= summary["percentile85Booked"] <= summary["peakBooked"]
        assert 0.03 <= summary["noShowRate"] <= 0.2, (building.code, summary)
        assert 0.7 <= summary["checkInRate"] <= 0.97
        assert report["rooms"]["utilisation"] > 0
