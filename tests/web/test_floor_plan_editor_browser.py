"""The floor plan editor in Chromium (the real app served by granian): a desk dragged with the mouse is saved
where it was dropped, the keyboard nudges it, and a facilities manager builds a new floor from an image and a CSV;
the pages pass axe-core's checks at 1280 and 390 px."""

from pathlib import Path
from typing import Any

import pytest

from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.browser import PHONE, axe_violations
from tests.support.floor_plans import PlanFloor, plan_floor, png_bytes, spaces_of
from tests.support.live_server import CHROMIUM, CHROMIUM_ARGS

DESKTOP = {"width": 1280, "height": 900}
SCREENSHOT = Path("/tmp/floor-plan-editor.png")
PHONE_SCREENSHOT = Path("/tmp/floor-plan-editor-390.png")
TOLERANCE_METRES = 0.05

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]


async def _signed_in(page: Any, server: str, f: PlanFloor) -> None:
    from playwright.async_api import expect

    await page.goto(f"{server}/?q=Fasilitas")
    await page.get_by_role("button", name="Act as Fasilitas Nusantara").click()
    await expect(page.get_by_text("You are now acting as this employee.")).to_be_visible()
    await page.goto(f"{server}/admin/places/floors/{f.floor.id}/plan")
    await expect(page.locator("#plan-tools")).to_be_visible()  # the script is running


async def _save(page: Any) -> None:
    from playwright.async_api import expect

    await page.get_by_role("button", name="Save plan").click()
    await expect(page.get_by_role("status").filter(has_text="The plan is saved.")).to_be_visible()


async def test_a_dragged_desk_is_saved_where_it_was_dropped(server: str, runtime: Runtime, factory: Factory) -> None:
    from playwright.async_api import async_playwright, expect

    f = await plan_floor(factory)
    desk = f.desks[0]
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport=DESKTOP)
        refused: list[str] = []  # what the Content-Security-Policy blocked, a script error, a missing file
        # (the browser's own favicon request is not the page's: it is logged but not seen as a response)
        page.on(
            "console",
            lambda m: (
                refused.append(m.text)
                if m.type == "error" and not m.text.startswith("Failed to load resource")
                else None
            ),
        )
        page.on("pageerror", lambda e: refused.append(str(e)))
        page.on("response", lambda r: refused.append(f"{r.status} {r.url}") if r.status == 404 else None)
        try:
            await _signed_in(page, server, f)
            assert await axe_violations(page) == []
            pixels_per_metre = await page.evaluate("document.getElementById('plan-editor').getScreenCTM().a")
            shape = page.locator(f'#plan-editor .space[data-id="{desk.id}"]')
            box = await shape.bounding_box()
            assert box is not None
            start_x, start_y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            dx, dy = 160.0, 90.0
            await page.mouse.move(start_x, start_y)
            await page.mouse.down()
            await page.mouse.move(start_x + dx, start_y + dy, steps=12)
            await page.mouse.up()
            expected_x = desk.x + dx / pixels_per_metre
            expected_y = desk.y + dy / pixels_per_metre
            await expect(page.locator(f'input[name="x-{desk.id}"]')).not_to_have_value(str(desk.x))
            await _save(page)
            await page.reload()
            shown_x = float(await page.locator(f'input[name="x-{desk.id}"]').input_value())
            await page.screenshot(path=str(SCREENSHOT), full_page=True)
        finally:
            await browser.close()
    stored = (await spaces_of(runtime.db, f.floor.id))[desk.code]
    assert abs(stored.x - expected_x) < TOLERANCE_METRES and abs(stored.y - expected_y) < TOLERANCE_METRES
    assert shown_x == stored.x
    assert refused == []
    others = await spaces_of(runtime.db, f.floor.id)
    assert [(s.x, s.y) for s in (others["D-2"], others["D-3"])] == [(f.desks[1].x, 2.0), (f.desks[2].x, 2.0)]


async def test_arrow_keys_nudge_the_focused_desk(server: str, runtime: Runtime, factory: Factory) -> None:
    f = await plan_floor(factory)
    desk = f.desks[1]
    async with async_playwright_page(DESKTOP) as (page, _):
        await _signed_in(page, server, f)
        await page.locator(f'#plan-editor .space[data-id="{desk.id}"]').focus()
        for _ in range(3):
            await page.keyboard.press("ArrowRight")
        await page.keyboard.press("Shift+ArrowDown")
        await page.keyboard.press("Delete")  # never deletes: it says so
        from playwright.async_api import expect

        await expect(page.locator("#plan-status")).to_contain_text("Delete does not remove a space")
        await _save(page)
    stored = await spaces_of(runtime.db, f.floor.id)
    assert (round(stored["D-2"].x, 2), round(stored["D-2"].y, 2)) == (round(desk.x + 0.3, 2), 3.0)
    assert set(stored) == {"D-1", "D-2", "D-3", "R-1"}


async def test_copy_and_number_the_selected_desks(server: str, runtime: Runtime, factory: Factory) -> None:
    from playwright.async_api import expect

    f = await plan_floor(factory)
    d1, d2 = f.desks[0], f.desks[1]
    async with async_playwright_page(DESKTOP) as (page, _):
        await _signed_in(page, server, f)
        await page.locator(f'#plan-editor .space[data-id="{d1.id}"]').click()
        await page.locator(f'#plan-editor .space[data-id="{d2.id}"]').click(modifiers=["Shift"])
        await expect(page.locator("#plan-status")).to_have_text("2 spaces selected")
        await page.get_by_role("button", name="Copy", exact=True).click()
        await expect(page.locator("#plan-status")).to_have_text("Copied: D-4, D-5")
        await page.get_by_label("Prefix").fill("B-")
        await page.get_by_label("From").fill("10")
        await page.get_by_role("button", name="Number", exact=True).click()  # the copies, still selected
        await _save(page)
    stored = await spaces_of(runtime.db, f.floor.id)
    assert {"B-10", "B-11", "D-1", "D-2", "D-3"} <= set(stored) and "D-4" not in stored
    assert {stored["B-10"].kind, stored["B-11"].kind} == {d1.kind}
    assert (stored["B-10"].y, stored["B-11"].y) == (2.5, 2.5)


async def test_a_facilities_manager_builds_a_new_floor_from_an_image_and_a_csv_at_390px(
    server: str, runtime: Runtime, factory: Factory, tmp_path: Path
) -> None:
    from playwright.async_api import expect

    f = await plan_floor(factory, desks=0)
    image = tmp_path / "denah.png"
    image.write_bytes(png_bytes(400, 200))
    desks = tmp_path / "meja.csv"
    desks.write_text(
        "code,x,y,width,height,rotation,zone,amenities\n"
        "L5-01,2,2,1.6,0.8,0,,monitor\nL5-02,4,2,1.6,0.8,0,,monitor\nL5-03,6,2,1.6,0.8,180,,\n"
    )
    async with async_playwright_page(PHONE) as (page, _):
        await _signed_in(page, server, f)
        assert await axe_violations(page) == []
        await page.get_by_label("Plan image (SVG or PNG, at most 5 MB)").set_input_files(str(image))
        await page.get_by_role("button", name="Upload plan image").click()
        await expect(page.get_by_role("status").filter(has_text="The plan image is uploaded.")).to_be_visible()
        await expect(page.locator("#plan-editor image")).to_have_count(1)
        await page.get_by_label("Desk file (CSV or XLSX)").set_input_files(str(desks))
        await page.get_by_role("button", name="Upload and preview").click()
        await expect(page.get_by_role("heading", name="Desk file preview")).to_be_visible()
        await expect(page.locator('[data-count="new"]')).to_have_text("3")
        assert await axe_violations(page) == []
        await page.get_by_role("button", name="Confirm and import").click()
        await expect(page.get_by_role("status").filter(has_text="3 new, 0 changed")).to_be_visible()
        await expect(page.locator("#plan-editor .space--desk")).to_have_count(3)
        assert await axe_violations(page) == []
        await page.screenshot(path=str(PHONE_SCREENSHOT), full_page=True)
        image_url = await page.locator("#plan-editor image").get_attribute("href")
        loaded = await page.evaluate(
            "url => fetch(url).then(r => r.status + ' ' + r.headers.get('content-type'))", image_url
        )
        assert loaded == "200 image/png"
        # the employee floor page draws the new desks
        await page.goto(f"{server}/floors/{f.floor.id}")
        await expect(page.locator("svg.plan a.desk")).to_have_count(3)
    assert {"L5-01", "L5-02", "L5-03"} <= set(await spaces_of(runtime.db, f.floor.id))


class async_playwright_page:
    """A Chromium page at ``viewport``, closed on exit."""

    def __init__(self, viewport: dict[str, int]) -> None:
        self.viewport = viewport

    async def __aenter__(self) -> tuple[Any, Any]:
        from playwright.async_api import async_playwright

        self.playwright = await async_playwright().start()
        self.browser = await self.playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await self.browser.new_page(viewport=self.viewport)
        return page, self.browser

    async def __aexit__(self, *exc: object) -> None:
        await self.browser.close()
        await self.playwright.stop()
