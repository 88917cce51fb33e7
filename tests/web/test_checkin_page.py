"""The check-in page a space's QR code opens, its forms, and the QR code: over HTTP, then once in Chromium."""

import re
from datetime import UTC, datetime, time, timedelta

import pytest

from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.bookings import book_desk, insert_booking
from tests.support.clock import DAY, Clock, at, install_clock
from tests.support.live_server import CHROMIUM, CHROMIUM_ARGS
from tests.support.pages import PageClient


@pytest.fixture
def clock(runtime: Runtime, pages: PageClient, monkeypatch: pytest.MonkeyPatch) -> Clock:
    """One clock for the tests' runtime and the app's."""
    clock = install_clock(runtime, monkeypatch, Clock(at(DAY, 6)))
    return install_clock(pages.http.app.state.runtime, monkeypatch, clock)


async def reload(runtime: Runtime, booking_id: int) -> Booking:
    async with runtime.db.read() as session:
        booking = await session.get(Booking, booking_id)
    assert booking is not None
    return booking


def visit_state(html: str, booking_id: int) -> str:
    match = re.search(rf'<li id="booking-{booking_id}" data-state="(\w+)">', html)
    assert match, f"booking {booking_id} is not on the page"
    return match.group(1)


async def test_nobody_acting_is_offered_to_choose_and_comes_back(pages: PageClient, factory: Factory) -> None:
    desk = await factory.desk(code="T2-3-A9")
    page = await pages.get(f"/check-in/{desk.id}")
    assert page.status_code == 200
    assert "Check in at Desk T2-3-A9" in page.text
    assert f'href="/?next=%2Fcheck-in%2F{desk.id}#identity"' in page.text

    person = await factory.employee()
    response = await pages.submit("/identity", {"employee_id": person.id, "next": f"/check-in/{desk.id}"})
    assert response.headers["location"] == f"/check-in/{desk.id}?notice=acting"

    anonymous_post = await pages.http.post(f"/check-in/{desk.id}", follow_redirects=False)
    assert anonymous_post.status_code == 403  # no CSRF token: the form never came from us


async def test_check_in_from_the_page_then_check_out(
    pages: PageClient, runtime: Runtime, factory: Factory, clock: Clock
) -> None:
    # given my desk booking 09:00-12:00, and it is 08:45
    desk, person = await factory.desk(code="T2-3-A9"), await factory.employee()
    booking = await book_desk(runtime, desk, person, time(9), time(12))
    await pages.act_as(person.id)
    clock.set(time(8, 45))
    url = f"/check-in/{desk.id}"
    page = await pages.get(url)
    assert visit_state(page.text, booking.id) == "open"
    assert "Check-in is open." in page.text

    # when I press "Check in"
    response = await pages.submit(url, {"booking_id": booking.id}, from_page=url)

    # then I am checked in, and the page says so
    assert response.status_code == 303
    assert response.headers["location"] == f"{url}?notice=checked_in"
    page = await pages.get(response.headers["location"])
    assert "You are checked in at Desk T2-3-A9." in page.text
    assert visit_state(page.text, booking.id) == "checked_in"
    assert "Checked in at 08:45." in page.text
    assert (await reload(runtime, booking.id)).status == BookingStatus.CHECKED_IN

    # and leaving at 10:05 ends the booking at 10:15
    clock.set(time(10, 5))
    response = await pages.submit(f"{url}/check-out", {"booking_id": booking.id}, from_page=url)
    assert response.headers["location"] == f"{url}?notice=checked_out"
    assert (await reload(runtime, booking.id)).end_at == at(DAY, 10, 15)
    page = await pages.get(response.headers["location"])
    assert "The rest of your booking is free for others." in page.text
    assert visit_state(page.text, booking.id) == "checked_out"


async def test_a_bare_post_checks_in_the_booking_open_here_now(
    pages: PageClient, runtime: Runtime, factory: Factory, clock: Clock
) -> None:
    desk, person = await factory.desk(), await factory.employee()
    booking = await book_desk(runtime, desk, person, time(9), time(12))
    await pages.act_as(person.id)
    clock.set(time(9, 10))

    response = await pages.submit(f"/check-in/{desk.id}", {})
    again = await pages.submit(f"/check-in/{desk.id}", {})

    assert response.headers["location"] == f"/check-in/{desk.id}?notice=checked_in"
    assert again.headers["location"] == f"/check-in/{desk.id}?notice=already_checked_in"
    assert (await reload(runtime, booking.id)).status == BookingStatus.CHECKED_IN


async def test_too_early_says_when_check_in_opens(
    pages: PageClient, runtime: Runtime, factory: Factory, clock: Clock
) -> None:
    desk, person = await factory.desk(), await factory.employee()
    booking = await book_desk(runtime, desk, person, time(14), time(16))
    await pages.act_as(person.id)
    clock.set(time(9))

    page = await pages.get(f"/check-in/{desk.id}")
    assert visit_state(page.text, booking.id) == "not_yet"
    assert "Check-in opens at 13:30." in page.text

    refused = await pages.submit(f"/check-in/{desk.id}", {"booking_id": booking.id})
    assert refused.status_code == 422
    assert "Check-in opens at 13:30, 30 minutes before the start" in refused.text


async def test_no_booking_of_mine_here(pages: PageClient, runtime: Runtime, factory: Factory, clock: Clock) -> None:
    desk, person, colleague = await factory.desk(), await factory.employee(), await factory.employee()
    await book_desk(runtime, desk, colleague, time(9), time(12))
    await pages.act_as(person.id)
    clock.set(time(9))

    page = await pages.get(f"/check-in/{desk.id}")
    assert "You have no booking of this desk for the rest of today." in page.text
    assert f"desk={desk.id}#desk-panel" in page.text

    refused = await pages.submit(f"/check-in/{desk.id}", {})
    assert refused.status_code == 404
    assert "You have no booking of this space to check in to now" in refused.text


async def test_someone_elses_booking_is_not_mine_to_check_in(
    pages: PageClient, runtime: Runtime, factory: Factory, clock: Clock
) -> None:
    desk, person, colleague = await factory.desk(), await factory.employee(), await factory.employee()
    booking = await book_desk(runtime, desk, colleague, time(9), time(12))
    await pages.act_as(person.id)
    clock.set(time(9))
    refused = await pages.submit(f"/check-in/{desk.id}", {"booking_id": booking.id})
    assert refused.status_code == 404  # not theirs to see either: as if it did not exist (issue 10)
    assert (await reload(runtime, booking.id)).status == BookingStatus.BOOKED


async def test_unknown_space(pages: PageClient) -> None:
    for url in ("/check-in/999999", "/check-in/99999999999", "/spaces/999999/qr.svg"):
        response = await pages.get(url)
        assert response.status_code == 404
        assert re.search(r"Space \d+ does not exist", response.text), url


async def test_the_qr_code_encodes_the_absolute_check_in_url(pages: PageClient, factory: Factory) -> None:
    room = await factory.room(name="Ruang Garuda")
    response = await pages.get(f"/spaces/{room.id}/qr.svg")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert "<title>Check in at Ruang Garuda</title>" in response.text
    assert f"<desc>http://testserver.local/check-in/{room.id}</desc>" in response.text
    assert "<path" in response.text


async def test_the_qr_card_prints_the_code_with_the_desk_code_building_and_floor(
    pages: PageClient, factory: Factory
) -> None:
    building = await factory.building(name="Menara Kemenko 2")
    desk = await factory.desk(await factory.floor(building, name="Lantai 3"), code="T2-3-A9")

    card = await pages.get(f"/spaces/{desk.id}/qr-card")
    code = await pages.get(f"/spaces/{desk.id}/qr.svg")

    assert card.status_code == 200
    assert (
        f'<img src="/spaces/{desk.id}/qr.svg"' in card.text and 'alt="QR code to check in at Desk T2-3-A9"' in card.text
    )
    assert '<p class="code">T2-3-A9</p>' in card.text
    assert '<p class="where">Menara Kemenko 2 · Lantai 3</p>' in card.text
    assert f"http://testserver.local/check-in/{desk.id}" in card.text
    assert "@media print" in card.text
    assert f"<desc>http://testserver.local/check-in/{desk.id}</desc>" in code.text  # still the check-in page
    assert (await pages.get("/spaces/999999/qr-card")).status_code == 404


async def test_home_links_to_check_in_while_it_is_open(
    pages: PageClient, runtime: Runtime, factory: Factory, clock: Clock
) -> None:
    desk, person = await factory.desk(code="T2-3-A9"), await factory.employee()
    await book_desk(runtime, desk, person, time(9), time(12))
    await pages.act_as(person.id)

    early = await pages.get("/")
    clock.set(time(8, 45))
    open_ = await pages.get("/")
    clock.set(time(12))
    over = await pages.get("/")

    link = f'href="/check-in/{desk.id}">Check in<span class="visually-hidden"> at Desk T2-3-A9</span></a>'
    assert link not in early.text
    assert link in open_.text
    assert link not in over.text


def current_quarter() -> datetime:
    now = datetime.now(UTC)
    return now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0)


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
async def test_scan_the_desk_code_choose_who_i_am_and_check_in(server: str, runtime: Runtime, factory: Factory) -> None:
    from playwright.async_api import async_playwright, expect

    # given my desk booking running now (the served app has the real clock)
    desk = await factory.desk(code="T2-3-A9")
    person = await factory.employee(name="Siti Rahmawati")
    start = current_quarter()
    booking = await insert_booking(runtime.db, desk, person, start, start + timedelta(hours=2))

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page()
        try:
            # I scan the QR code on the desk: it opens the check-in page, which first asks who I am
            await page.goto(f"{server}/check-in/{desk.id}")
            await expect(page.get_by_role("heading", name="Check in at Desk T2-3-A9")).to_be_visible()
            await page.get_by_role("link", name="Choose who you are").last.click()
            await page.get_by_label("Employee name").fill("Siti")
            await page.get_by_role("button", name="Search").click()
            await page.get_by_role("button", name="Act as Siti Rahmawati").click()

            # back on the check-in page, as Siti: check in
            await expect(page).to_have_url(re.compile(rf"/check-in/{desk.id}\?notice=acting$"))
            await page.get_by_role("button", name=re.compile("^Check in")).click()
            await expect(page.get_by_role("status")).to_have_text("You are checked in at Desk T2-3-A9.")
            await expect(page.locator(f"#booking-{booking.id}")).to_have_attribute("data-state", "checked_in")
            await expect(page.get_by_role("button", name=re.compile("^Check out"))).to_be_visible()
            await page.screenshot(path="/tmp/checkin.png", full_page=True)
        finally:
            await browser.close()

    assert (await reload(runtime, booking.id)).status == BookingStatus.CHECKED_IN


async def test_the_floor_pages_desk_panel_links_to_check_in_and_the_qr_code(
    pages: PageClient, runtime: Runtime, factory: Factory, clock: Clock
) -> None:
    floor = await factory.floor()
    desk, person = await factory.desk(floor), await factory.employee()
    await book_desk(runtime, desk, person, time(9), time(12))
    await pages.act_as(person.id)
    clock.set(time(8, 45))

    today = await pages.get(f"/floors/{floor.id}?date=2030-07-09&desk={desk.id}")
    tomorrow = await pages.get(f"/floors/{floor.id}?date=2030-07-10&desk={desk.id}")

    assert f'<a class="button" href="/check-in/{desk.id}">Check in</a>' in today.text
    assert f'href="/check-in/{desk.id}"' not in tomorrow.text  # not mine that day, and not today
    assert f'<a href="/spaces/{desk.id}/qr.svg">QR code for check-in</a>' in tomorrow.text
