"""``/capacity``, the occupancy dashboard, over HTTP without JavaScript: who may open it, what it shows of a small
world whose figures are known (tests/support/occupancy_world.py), drilling down, the downloads, and bad input."""

import csv
import io
import re
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from smartoffice.people.models import Role
from smartoffice.planning.occupancy_report import OccupancyScope, ScopeKind
from smartoffice.runtime import Runtime
from smartoffice.web.capacity import default_range
from tests.factories import Factory
from tests.support.graphql import fix_app_clock
from tests.support.occupancy_world import JULY_LAST, JUNE_FIRST, MONDAY, OccupancyWorld, occupancy_world
from tests.support.pages import PageClient

RANGE = f"from={JUNE_FIRST}&to={JULY_LAST}"


def figures(html: str) -> dict[str, float]:
    return {key: float(value) for key, value in re.findall(r'data-figure="([\w-]+)" data-value="([^"]+)"', html)}


@pytest.fixture
async def world(factory: Factory, runtime: Runtime) -> OccupancyWorld:
    return await occupancy_world(factory, runtime.db)


async def test_only_facilities_managers_and_administrators_may_open_it(
    pages: PageClient, factory: Factory, world: OccupancyWorld
) -> None:
    nobody = await pages.get("/capacity")
    await pages.act_as(world.outsider.id)
    no_role = await pages.get("/capacity")
    unit_head = await factory.employee(world.unit1)
    await factory.role(unit_head, Role.UNIT_MANAGER, org_unit_id=world.unit1.id)
    await pages.act_as(unit_head.id)
    unit_manager = await pages.get("/capacity")
    await pages.act_as(world.far_manager.id)
    other_site = await pages.get(f"/capacity?scope=building-{world.tower.id}&{RANGE}")

    assert nobody.status_code == 403 and 'data-code="STAFF_ONLY"' in nobody.text and 'href="/login"' in nobody.text
    assert no_role.status_code == 403 and 'data-code="STAFF_ONLY"' in no_role.text
    assert unit_manager.status_code == 403 and 'data-code="NOT_A_FACILITIES_MANAGER"' in unit_manager.text
    assert other_site.status_code == 403 and 'data-code="NOT_A_FACILITIES_MANAGER"' in other_site.text
    assert f'value="building-{world.tower.id}"' not in other_site.text  # the pickers offer their own site only
    assert f'value="building-{world.far.id}"' in other_site.text


async def test_a_building_shows_its_figures_charts_breakdown_and_rooms(
    pages: PageClient, runtime: Runtime, world: OccupancyWorld
) -> None:
    await pages.act_as(world.manager.id)

    page = await pages.get(f"/capacity?scope=building-{world.tower.id}&{RANGE}")

    assert page.status_code == 200, page.text
    report = await runtime.occupancy.report(
        world.manager.id, OccupancyScope(ScopeKind.BUILDING, world.tower.id), JUNE_FIRST, JULY_LAST
    )
    summary = report.summary
    assert figures(page.text) == {
        "desks": 4,
        "peak": 4,
        "mean": pytest.approx(summary.mean_booked),
        "percentile-85": summary.percentile_85_booked,
        "utilisation": pytest.approx(summary.mean_utilisation),
        "no-show-rate": pytest.approx(summary.no_show_rate),
    }
    assert summary.peak_booked == 4 and summary.no_shows_total == 1
    assert page.text.count('role="img"') >= 4 and page.text.count("<table") >= 6
    for floor in (world.floor1, world.floor2):  # one level down, each a link to its own dashboard
        assert f'href="/capacity?scope=floor-{floor.id}&amp;from={JUNE_FIRST}&amp;to={JULY_LAST}"' in page.text
    assert f'href="/capacity?scope=site-{world.site.id}&amp;from={JUNE_FIRST}' in page.text  # one level up
    assert "Meeting rooms: use and meeting size" in page.text and f'<th scope="row">{world.room.name}</th>' in page.text
    here = f"/capacity?scope=building-{world.tower.id}&amp;from={JUNE_FIRST}&amp;to={JULY_LAST}"
    assert f'href="{here}&amp;export=days&amp;format=csv"' in page.text
    for table in ("days", "weeks", "months", "parts", "part-weekdays", "rooms", "sizes"):
        for file_format in ("csv", "xlsx"):
            assert f"export={table}&amp;format={file_format}" in page.text


async def test_the_default_is_the_first_site_over_the_last_eight_full_weeks(
    pages: PageClient, monkeypatch: pytest.MonkeyPatch, world: OccupancyWorld
) -> None:
    fix_app_clock(pages.http, monkeypatch, datetime(2026, 7, 30, 3, tzinfo=UTC))  # Thursday 30 July
    await pages.act_as(world.manager.id)

    page = await pages.get("/capacity")

    assert default_range(date(2026, 7, 30)) == (date(2026, 6, 1), date(2026, 7, 26))
    assert page.status_code == 200
    assert 'value="2026-06-01"' in page.text and 'value="2026-07-26"' in page.text
    assert f'<option value="site-{world.site.id}" selected>' in page.text
    assert figures(page.text)["desks"] == 5  # the tower's four and the annex's one


async def test_every_table_downloads_as_csv_and_xlsx(pages: PageClient, world: OccupancyWorld) -> None:
    await pages.act_as(world.manager.id)
    base = f"/capacity?scope=building-{world.tower.id}&{RANGE}"

    days_csv = await pages.get(base + "&export=days&format=csv")
    days_xlsx = await pages.get(base + "&export=days&format=xlsx")
    parts_csv = await pages.get(base + "&export=parts&format=csv")

    assert days_csv.status_code == 200
    assert days_csv.headers["content-disposition"].startswith(
        f'attachment; filename="occupancy-{world.tower.code}-days-{JUNE_FIRST}-{JULY_LAST}.csv"'
    )
    rows = list(csv.reader(io.StringIO(days_csv.content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["Day", "Weekday", "Working day", "Booked", "Checked in", "No-shows"]
    monday = next(row for row in rows if row[0] == MONDAY.isoformat())
    assert monday[1:6] == ["Monday", "yes", "4", "1", "1"]
    assert len(rows) == 1 + (JULY_LAST - JUNE_FIRST).days + 1
    sheet = load_workbook(io.BytesIO(days_xlsx.content)).active
    assert sheet is not None and sheet["A1"].font.b
    xlsx_monday = next(r for r in sheet.iter_rows(values_only=True) if r[0] == datetime(2026, 6, 8))  # noqa: DTZ001
    assert xlsx_monday[3:6] == (4, 1, 1)
    parts = list(csv.reader(io.StringIO(parts_csv.content.decode("utf-8-sig"))))
    assert [row[0] for row in parts[1:]] == [world.floor1.name, world.floor2.name]


async def test_bad_input_is_shown_on_the_page_with_what_was_sent(pages: PageClient, world: OccupancyWorld) -> None:
    await pages.act_as(world.manager.id)

    bad_scope = await pages.get("/capacity?scope=tower-1")
    reversed_range = await pages.get(f"/capacity?scope=building-{world.tower.id}&from=2026-07-01&to=2026-06-01")
    bad_date = await pages.get("/capacity?from=2026-13-01")
    bad_export = await pages.get(f"/capacity?scope=building-{world.tower.id}&export=secrets&format=csv")
    missing = await pages.get("/capacity?scope=building-999999")

    assert bad_scope.status_code == 422 and "Choose a place, organisation or unit from the list." in bad_scope.text
    assert reversed_range.status_code == 422 and 'data-code="RANGE_REVERSED"' in reversed_range.text
    assert 'value="2026-07-01"' in reversed_range.text  # what was sent stays in the form
    assert bad_date.status_code == 422 and 'value="2026-13-01"' in bad_date.text
    assert bad_export.status_code == 422 and "cannot be downloaded" in bad_export.text
    assert missing.status_code == 404


async def test_an_organisation_counts_only_the_managers_sites_and_its_staff_share_in_indonesian(
    pages: PageClient, world: OccupancyWorld
) -> None:
    await pages.act_as(world.manager.id)

    page = await pages.http.get(
        f"/capacity?scope=organisation-{world.organisation.id}&{RANGE}", headers={"accept-language": "id"}
    )

    assert page.status_code == 200
    assert "Perencanaan kapasitas" in page.text and "Hanya kawasan yang Anda kelola yang dihitung." in page.text
    shown = figures(page.text)
    assert "headcount-share" in shown and shown["peak"] >= 1
    assert f'href="/capacity?scope=org_unit-{world.top.id}&amp;from={JUNE_FIRST}' in page.text  # its top unit
