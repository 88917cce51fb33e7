"""``/capacity/planner`` over HTTP without JavaScript, on a tower that overflows on Tuesdays
(tests/support/capacity_planner_tower.py): who may open it, the preview (moves, load before and after), the
adjustments kept in the form and honoured, mistakes shown next to their fields, the binding constraints when no plan
fits, the exports, and applying (written for an administrator, refused and nothing written for a facilities manager
who manages no unit, refused for a what-if plan)."""

import csv
import io
import re
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import select

from smartoffice.policies.models import AnchorDay
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.capacity_planner_tower import TUESDAY, Tower, build_tower
from tests.support.pages import PageClient

WEDNESDAY, FRIDAY = 2, 4
WITA = ZoneInfo("Asia/Makassar")


def planner_url(tower: Tower, *extra: tuple[str, str | int]) -> str:
    fields = [("run", "1"), ("building", str(tower.building.id)), ("siblings", "on"), *extra]
    return "/capacity/planner?" + urlencode([(name, str(value)) for name, value in fields])


def today() -> date:
    return datetime.now(WITA).date()


class ApplyFormReader(HTMLParser):
    """The fields of the page's apply form, as a browser would send them."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.fields: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form" and values.get("action") == "/capacity/planner/apply":
            self.inside = True
        elif tag == "input" and self.inside and values.get("name"):
            self.fields.append((values["name"] or "", values.get("value") or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False


def apply_fields(html: str) -> list[tuple[str, str]]:
    reader = ApplyFormReader()
    reader.feed(html)
    return reader.fields


async def post_apply(pages: PageClient, fields: list[tuple[str, str]]) -> httpx.Response:
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return await pages.http.post("/capacity/planner/apply", data=data, follow_redirects=False)


async def anchor_days(runtime: Runtime, tower: Tower) -> dict[str, list[tuple[int, date]]]:
    async with runtime.db.read() as session:
        rows = (await session.execute(select(AnchorDay.org_unit_id, AnchorDay.weekday, AnchorDay.effective_from))).all()
    codes = {unit.id: code for code, unit in tower.units.items()}
    found: dict[str, list[tuple[int, date]]] = {}
    for unit_id, weekday, start in sorted(rows):
        found.setdefault(codes.get(unit_id, str(unit_id)), []).append((weekday, start))
    return found


def planned_days(html: str, unit_id: int) -> str:
    """The planned anchor days of a unit in the table of every unit."""
    row = re.search(rf'<tr data-unit-id="{unit_id}"[^>]*>(.*?)</tr>', html.split('<table id="units">', 1)[1], re.S)
    assert row is not None
    return re.findall(r"<td[^>]*>([^<]*)", row.group(1))[3].strip()


def moved_codes(html: str) -> list[str]:
    table = html.split('<table id="moves">', 1)[1].split("</table>", 1)[0] if 'id="moves"' in html else ""
    return re.findall(r'<th scope="row" class="wrap">(\S+) ', table)


async def test_only_facilities_managers_and_admins_may_plan(pages: PageClient, factory: Factory) -> None:
    tower = await build_tower(factory)

    await pages.act_as(tower.stranger.id)
    stranger = await pages.get(planner_url(tower))
    await pages.act_as(tower.facilities.id)
    facilities = await pages.get("/capacity/planner")

    assert stranger.status_code == 403 and 'data-code="STAFF_ONLY"' in stranger.text
    assert facilities.status_code == 200
    assert "Anchor-day planner" in facilities.text and f'value="{tower.building.id}"' in facilities.text


async def test_the_preview_shows_the_moves_and_the_load_before_and_after(
    pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    tower = await build_tower(factory)
    await pages.act_as(tower.facilities.id)
    before = await anchor_days(runtime, tower)

    page = await pages.get(planner_url(tower))

    assert page.status_code == 200
    assert 'data-status="optimal"' in page.text and "2 units of 4 get new anchor days." in page.text
    assert moved_codes(page.text) == ["DIT-B", "DIT-C"]  # the fewest moves: two of the three directorates
    assert "T2 on Tuesday: 22 expected, limit 17" in page.text  # 22.5 rounds to even
    assert "With the plan no building is over its limit on any day." in page.text
    assert "(over the limit)" in page.text  # the heatmap's table marks the cell in words, not only in red
    assert "In every working day (public service)" in page.text
    # the form is ready for the next run: each unit to pin or forbid days, the what-if rows
    assert f'name="pin" value="{tower.units["DIT-A"].id}"' in page.text
    assert 'name="staff_unit"' in page.text and f'name="closed_floor" value="{tower.floors[1].id}"' in page.text
    assert await anchor_days(runtime, tower) == before  # a preview writes nothing


async def test_pins_and_forbidden_days_are_honoured_and_kept_in_the_form(pages: PageClient, factory: Factory) -> None:
    tower = await build_tower(factory)
    await pages.act_as(tower.facilities.id)
    b, c = tower.units["DIT-B"].id, tower.units["DIT-C"].id

    page = await pages.get(planner_url(tower, ("pin", b), ("forbid", f"{c}:{WEDNESDAY}"), ("forbid", f"{c}:{FRIDAY}")))

    assert page.status_code == 200 and 'data-status="optimal"' in page.text
    # B keeps Tuesday, so A and C both leave it (on different days: together they would overflow one)
    assert moved_codes(page.text) == ["DIT-A", "DIT-C"] and "Pinned: keeps its days" in page.text
    assert planned_days(page.text, c) not in ("Wednesday", "Friday", "Tuesday")
    assert planned_days(page.text, tower.units["DIT-A"].id) not in (planned_days(page.text, c), "Tuesday")
    assert f'name="pin" value="{b}" checked' in page.text
    assert f'name="forbid" value="{c}:{WEDNESDAY}" checked' in page.text
    assert f'name="forbid" value="{c}:{FRIDAY}" checked' in page.text


async def test_mistakes_are_shown_next_to_their_fields_never_a_500(pages: PageClient, factory: Factory) -> None:
    tower = await build_tower(factory)
    await pages.act_as(tower.facilities.id)
    a = tower.units["DIT-A"].id
    tuesday = date(2026, 12, 8)

    not_monday = await pages.get(planner_url(tower, ("week", tuesday.isoformat())))
    not_a_number = await pages.get(planner_url(tower, ("staff_unit", a), ("staff_count", "lots")))
    unknown_unit = await pages.get(planner_url(tower, ("pin", 987654)))
    too_many_removed = await pages.get(planner_url(tower, ("staff_unit", a), ("staff_count", "-50")))
    no_place = await pages.get("/capacity/planner?run=1&target=abc")

    assert not_monday.status_code == 422
    assert 'id="error-week">Choose a Monday: the planner plans whole weeks.' in not_monday.text
    assert 'name="week" value="2026-12-08" aria-invalid="true" aria-describedby="error-week"' in not_monday.text
    assert not_a_number.status_code == 422 and 'id="error-staff_count_0"' in not_a_number.text
    assert 'value="lots"' in not_a_number.text and f'<option value="{a}" selected>' in not_a_number.text
    assert unknown_unit.status_code == 422
    assert 'id="error-pin">That unit is not housed in the buildings planned.' in unknown_unit.text
    assert too_many_removed.status_code == 422
    assert 'id="error-staff_count_0">Unit DIT-A has only 8 people to remove' in too_many_removed.text
    assert no_place.status_code == 422
    assert "Choose a site or at least one building." in no_place.text and 'id="error-target"' in no_place.text
    for page in (not_monday, not_a_number, unknown_unit, too_many_removed):
        assert 'id="result"' not in page.text  # no plan shown for a form with a mistake


async def test_when_no_plan_fits_the_page_says_which_constraints_bind(pages: PageClient, factory: Factory) -> None:
    tower = await build_tower(factory)
    await pages.act_as(tower.facilities.id)
    b, c = tower.units["DIT-B"].id, tower.units["DIT-C"].id

    # B and C on one day overflow any day, and so does A with them on Tuesday
    page = await pages.get(planner_url(tower, ("pair_a", b), ("pair_b", c)))

    assert page.status_code == 200 and 'data-status="infeasible"' in page.text
    assert "No plan fits these buildings, rules and target." in page.text
    binding = page.text.split('<ul id="binding">', 1)[1].split("</ul>", 1)[0]
    assert "Direktorat Bina and Direktorat Cipta must share an anchor day" in binding
    assert "T2 can hold at most 17 people on Tuesday" in binding
    assert 'action="/capacity/planner/apply"' not in page.text
    assert f'name="pair" value="{b}-{c}" checked' in page.text  # the pair stays, to drop or keep


async def test_the_tables_download_as_csv_and_xlsx(pages: PageClient, factory: Factory) -> None:
    tower = await build_tower(factory)
    await pages.act_as(tower.facilities.id)

    moves = await pages.get(planner_url(tower, ("export", "moves"), ("format", "csv")))
    loads = await pages.get(planner_url(tower, ("export", "loads"), ("format", "xlsx")))

    assert moves.status_code == 200 and moves.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(moves.content.decode("utf-8-sig"))))
    assert rows[0] == ["Unit code", "Unit", "People", "Anchor days now", "Planned anchor days"]
    assert [row[0] for row in rows[1:]] == ["DIT-B", "DIT-C"] and rows[1][3] == "Tuesday"
    assert loads.status_code == 200 and loads.content[:2] == b"PK"


async def test_applying_sets_the_moved_units_days_and_a_refusal_writes_nothing(
    pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    tower = await build_tower(factory)
    monday = today() + timedelta(days=7 - today().weekday())
    before = await anchor_days(runtime, tower)

    # a facilities manager who manages none of the units may plan but not set their anchor days
    await pages.act_as(tower.facilities.id)
    preview = await pages.get(planner_url(tower))
    refused = await post_apply(pages, apply_fields(preview.text))
    shown = await pages.get(refused.headers["location"])

    assert refused.status_code == 303 and refused.headers["location"].startswith("/capacity/planner?run=1")
    assert shown.status_code == 200 and 'role="alert" data-code="NOT_MANAGER_OF_PLANNED_UNIT"' in shown.text
    assert "Only a manager of Direktorat " in shown.text  # which unit: the manager learns whom to ask
    assert await anchor_days(runtime, tower) == before

    # an administrator may, from today or a later day
    await pages.act_as(tower.admin.id)
    preview = await pages.get(planner_url(tower))
    fields = apply_fields(preview.text)
    yesterday = (today() - timedelta(days=1)).isoformat()
    past = await post_apply(pages, [(n, yesterday if n == "effective_from" else v) for n, v in fields])
    shown_past = await pages.get(past.headers["location"])

    assert past.status_code == 303 and 'role="alert" data-code="PAST_DAY"' in shown_past.text
    assert await anchor_days(runtime, tower) == before
    applied = await post_apply(pages, fields)
    again = await post_apply(pages, fields)  # the same form sent twice (a double click): one change
    shown = await pages.get(applied.headers["location"])

    assert ("effective_from", monday.isoformat()) in fields
    assert applied.status_code == 303 and "applied=2" in applied.headers["location"]
    assert again.status_code == 303 and "applied=2" in again.headers["location"]
    assert "Anchor days of 2 units set from" in shown.text
    after = await anchor_days(runtime, tower)
    assert after["DIT-A"] == before["DIT-A"] and "LAY" not in after
    for code in ("DIT-B", "DIT-C"):
        new = [(weekday, start) for weekday, start in after[code] if start == monday]
        assert len(new) == 1 and new[0][0] != TUESDAY
    # the plan, run again for that week, finds nothing left to move
    assert "anchor days already fit: no unit needs to move." in shown.text


async def test_a_what_if_plan_is_shown_but_cannot_be_applied(pages: PageClient, factory: Factory) -> None:
    tower = await build_tower(factory)
    await pages.act_as(tower.admin.id)
    a = tower.units["DIT-A"].id

    page = await pages.get(planner_url(tower, ("staff_unit", a), ("staff_count", "-2")))

    assert page.status_code == 200
    assert "This plan is made for a what-if world" in page.text
    assert 'action="/capacity/planner/apply"' not in page.text
    link = re.search(r'href="(/capacity/planner\?[^"]+)">Run the same plan without the what-if changes', page.text)
    assert link is not None
    without = await pages.get(link.group(1).replace("&amp;", "&"))
    assert 'action="/capacity/planner/apply"' in without.text and "what-if world" not in without.text
