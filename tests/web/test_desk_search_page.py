"""The find-a-desk page: a ranked list of free desks across floors, each booked in one click (no JavaScript)."""

import re

import pytest

from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.bookings import insert_booking
from tests.support.browser import PHONE, axe_violations
from tests.support.clock import office_hours, tomorrow
from tests.support.live_server import CHROMIUM, CHROMIUM_ARGS
from tests.support.office import build_office
from tests.support.pages import PageClient

RESULT = re.compile(r'<li class="result[^"]*" data-desk-id="(\d+)"')


async def test_the_page_ranks_desks_near_the_team_filters_by_equipment_and_books_in_one_click(
    pages: PageClient, runtime: Runtime, factory: Factory
) -> None:
    # given amir (alice's teammate) at A1; A2 beside him, A10 further; a desk with a docking station in Menara 3
    office = await build_office(factory, desks=0)
    day = tomorrow()
    a1 = await factory.desk(office.floor, code="A1", x=0.0, y=2.0)
    a10 = await factory.desk(office.floor, code="A10", x=20.0, y=2.0)
    a2 = await factory.desk(office.floor, code="A2", x=3.0, y=2.0)
    menara = await factory.floor(await factory.building(office.site, name="Menara 3"), name="Lantai 5")
    docked = await factory.desk(menara, code="M1", x=0.0, y=2.0, amenities=["docking"])
    await insert_booking(runtime.db, a1, office.amir, *office_hours(day))
    await pages.act_as(office.alice.id)
    url = f"/find-desk?date={day}&near_team=1&searched=1"

    # when alice searches near her team
    page = await pages.get(url)

    # then A2 (3 m from amir) first, then A10, then the other building; each with its Book form and plan link
    assert page.status_code == 200
    assert RESULT.findall(page.text) == [str(a2.id), str(a10.id), str(docked.id)]
    assert "3 m from a teammate" in page.text and "1 teammate on this floor" in page.text
    assert f'action="/floors/{office.floor.id}/bookings"' in page.text
    assert f'href="/floors/{menara.id}?date={day}&amp;desk={docked.id}#desk-panel"' in page.text
    assert 'aria-current="page">Find a desk' in page.text

    # and with a docking station, or in Menara 3 only, just M1
    docking = await pages.get(f"{url}&amenity=docking")
    assert RESULT.findall(docking.text) == [str(docked.id)]
    assert 'value="docking" checked' in docking.text
    in_menara = await pages.get(f"/find-desk?date={day}&building={menara.building_id}&searched=1")
    assert RESULT.findall(in_menara.text) == [str(docked.id)]
    assert 'name="near_team" value="1">' in in_menara.text  # unticked once the form was sent without it

    # when she books the first choice with its form's idempotency key
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page.text)
    assert key
    booked = await pages.submit(
        f"/floors/{office.floor.id}/bookings",
        {"desk_id": a2.id, "date": str(day), "idempotency_key": key.group(1)},
        from_page=url,
    )

    # then she lands on the desk on its plan, and the desk is no longer offered
    assert booked.status_code == 303
    assert booked.headers["location"] == f"/floors/{office.floor.id}?date={day}&desk={a2.id}&notice=booked"
    after = (await pages.get(url)).text
    assert str(a2.id) not in RESULT.findall(after)
    assert f'data-held-desk="{a2.id}"' in after and "You already have desk A2 on this day" in after
    assert "data-held-desk" not in page.text


async def test_bad_input_is_shown_on_the_page_and_nobody_is_asked_to_choose_who_they_are(
    pages: PageClient, factory: Factory
) -> None:
    nobody = await pages.get("/find-desk")
    assert nobody.status_code == 200 and "Choose who you are" in nobody.text

    await pages.act_as((await factory.employee()).id)
    bad_date = await pages.get("/find-desk?date=2030-02-31")
    assert bad_date.status_code == 422 and 'role="alert"' in bad_date.text
    past = await pages.get("/find-desk?date=2020-01-07&searched=1")
    assert past.status_code == 422 and 'data-code="PAST_DAY"' in past.text
    unknown = await pages.get(f"/find-desk?date={tomorrow()}&amenity=jacuzzi&searched=1")
    assert unknown.status_code == 422 and 'data-code="PLACE_AMENITY_UNKNOWN"' in unknown.text
    nothing = await pages.get(f"/find-desk?date={tomorrow()}&building=99999&searched=1")
    assert nothing.status_code == 200 and "No free desk fits this search" in nothing.text


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium")
async def test_on_a_phone_the_page_fits_passes_axe_and_books_by_keyboard(
    server: str, runtime: Runtime, factory: Factory
) -> None:
    from playwright.async_api import async_playwright, expect

    # given amir at A1 and a free A2 beside him, with a docking station
    office = await build_office(factory, desks=0)
    day = tomorrow()
    a1 = await factory.desk(office.floor, code="A1", x=0.0, y=2.0)
    await factory.desk(office.floor, code="A2", x=2.0, y=2.0, amenities=["docking", "monitor"])
    await insert_booking(runtime.db, a1, office.amir, *office_hours(day))

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport=PHONE)
        try:
            await page.goto(f"{server}/?q=Alice")
            await page.get_by_role("button", name="Act as Alice Anggraini").click()
            await expect(page.get_by_text("You are now acting as this employee.")).to_be_visible()

            # when alice asks for a desk with a docking station near her team, from the form
            await page.goto(f"{server}/find-desk")
            await page.get_by_label("Day", exact=True).fill(day.isoformat())
            await page.get_by_label("Docking station").check()
            await page.get_by_role("button", name="Find desks").click()

            # then A2 is offered 2 m from amir; the page fits the phone with no axe violation
            first = page.locator("ol.results > li").first
            await expect(first).to_contain_text("Desk A2")
            await expect(first).to_contain_text("2 m from a teammate")
            assert await axe_violations(page) == []
            await page.screenshot(path="/tmp/find-desk-phone.png", full_page=True)

            # and booking it by keyboard lands on the booked desk on its floor plan
            await first.get_by_role("button", name="Book desk A2").focus()
            await page.keyboard.press("Enter")
            await expect(page.get_by_role("status")).to_have_text("Desk A2 is booked for you.")
            assert f"/floors/{office.floor.id}?" in page.url
        finally:
            await browser.close()
