"""``/capacity/forecast`` over HTTP without JavaScript: who may open it, the days at risk first, the charts and the
table with the service's figures, the downloads, bad input, and the page in Indonesian."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from smartoffice.planning.forecast import ForecastService
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.demand_world import BEFORE, WEEK, DemandWorld, build_world
from tests.support.graphql import fix_app_clock
from tests.support.pages import PageClient


@pytest.fixture(autouse=True)
def before_the_weeks(pages: PageClient, monkeypatch: pytest.MonkeyPatch) -> None:
    fix_app_clock(pages.http, monkeypatch, BEFORE, "forecast")


@pytest.fixture
def service(runtime: Runtime) -> ForecastService:
    return ForecastService(runtime.db, lambda: BEFORE)


@pytest.fixture
async def world(factory: Factory) -> DemandWorld:
    world = await build_world(factory)
    for _ in range(9):  # twelve people on the deputy's Wednesday in a tower of ten desks
        await factory.employee(world.inheriting)
    return world


def url(world: DemandWorld, **more: str) -> str:
    fields = {"scope": f"site-{world.site.id}", "from": WEEK.isoformat(), "weeks": "2", **more}
    return "/capacity/forecast?" + "&".join(f"{k}={v}" for k, v in fields.items())


async def test_only_the_sites_facilities_managers_and_administrators(pages: PageClient, world: DemandWorld) -> None:
    assert world.stranger is not None
    nobody = await pages.get(url(world))
    await pages.act_as(world.stranger.id)
    stranger = await pages.get(url(world))

    assert nobody.status_code == 403 and 'data-code="STAFF_ONLY"' in nobody.text
    assert stranger.status_code == 403 and 'data-code="STAFF_ONLY"' in stranger.text


async def test_a_site_shows_the_days_at_risk_first_then_charts_heatmap_and_every_figure(
    pages: PageClient, service: ForecastService, world: DemandWorld
) -> None:
    assert world.manager is not None
    await pages.act_as(world.manager.id)

    page = await pages.get(url(world))

    assert page.status_code == 200, page.text
    forecast = await service.forecast(world.manager.id, site_id=world.site.id, first=WEEK, weeks=2)
    html = page.text
    # The days at risk come before the charts, in the service's order.
    risk_table = html[html.index('id="risk-table"') : html.index("</table>", html.index('id="risk-table"'))]
    listed = re.findall(r'data-building="(\d+)" data-day="([\d-]+)" data-risk="(\w+)"', risk_table)
    assert listed == [(str(d.building_id), d.day.isoformat(), d.risk.value) for d in forecast.days_at_risk]
    assert listed[0] == (str(world.north.id), "2026-07-08", "overflow")
    assert html.index('id="days-at-risk"') < html.index('role="img"')
    # A chart per building with its range and target, and the heatmap; every building-day in the full table.
    assert html.count('role="img"') == 3 and 'id="forecast-heatmap-caption"' in html
    all_days = html[html.index('id="days-table"') :]
    assert len(re.findall(r"<tr data-building=", all_days)) == len(forecast.days) == 20
    assert "Menara Utara" in html and "Overflows" in html
    assert f'href="/capacity/forecast?scope=building-{world.north.id}&amp;from=2026-07-06' in html  # heatmap rows
    assert f'<a href="/capacity?scope=site-{world.site.id}">' in html  # the tabs carry the place


async def test_the_tables_download_as_csv_and_xlsx(
    pages: PageClient, service: ForecastService, world: DemandWorld
) -> None:
    assert world.manager is not None
    await pages.act_as(world.manager.id)

    as_csv = await pages.get(url(world, export="days", format="csv"))
    as_xlsx = await pages.get(url(world, scope=f"building-{world.north.id}", export="risk", format="xlsx"))

    assert as_csv.status_code == 200 and "text/csv" in as_csv.headers["content-type"]
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["Building", "Day", "Weekday", "Expected", "Low", "High"] and len(rows) == 21
    wednesday = next(r for r in rows if r[0] == "Menara Utara" and r[1] == "2026-07-08")
    forecast = await service.forecast(world.manager.id, building_id=world.north.id, first=WEEK, weeks=2)
    assert float(wednesday[3]) == next(d.expected for d in forecast.days if d.day.isoformat() == "2026-07-08")
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 1 + len(forecast.days_at_risk) and values[1][11] == "Overflows"


async def test_bad_input_is_shown_above_the_form(pages: PageClient, world: DemandWorld) -> None:
    assert world.manager is not None
    await pages.act_as(world.manager.id)

    weeks = await pages.get(url(world, weeks="9"))
    place = await pages.get(url(world, scope="floor-3"))
    missing = await pages.get(url(world, scope="building-999999"))
    pages.http.cookies.set("smartoffice_language", "id")
    indonesian = await pages.get(url(world))

    assert weeks.status_code == 422 and "Choose from 1 to 8 weeks." in weeks.text
    assert place.status_code == 422 and "Choose a site or a building from the list." in place.text
    assert missing.status_code == 404 and 'data-code="NOT_FOUND"' in missing.text
    assert (
        indonesian.status_code == 200 and "Hari berisiko" in indonesian.text and "Melebihi kapasitas" in indonesian.text
    )
