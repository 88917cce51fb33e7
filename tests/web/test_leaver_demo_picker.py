"""The demo's "act as" picker and a person who left: their cookie acts as nobody, and they cannot be picked."""

from datetime import time

import pytest

from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.bookings import book_desk
from tests.support.clock import DAY, Clock, at, install_clock
from tests.support.leavers import mark_left
from tests.support.pages import PageClient


@pytest.fixture
def clock(runtime: Runtime, pages: PageClient, monkeypatch: pytest.MonkeyPatch) -> Clock:
    """One clock for the tests' runtime and the app's."""
    clock = install_clock(runtime, monkeypatch, Clock(at(DAY, 6)))
    return install_clock(pages.http.app.state.runtime, monkeypatch, clock)


async def test_a_cookie_naming_a_leaver_acts_as_nobody(
    pages: PageClient, runtime: Runtime, factory: Factory, clock: Clock
) -> None:
    # given someone acting in the demo, with a desk booked 09:00-12:00, who then leaves
    desk, person = await factory.desk(code="T2-3-A9"), await factory.employee(name="Fajar Nugroho")
    booking = await book_desk(runtime, desk, person, time(9), time(12))
    await pages.act_as(person.id)
    clock.set(time(8, 45))
    url = f"/check-in/{desk.id}"
    assert f'id="booking-{booking.id}"' in (await pages.get(url)).text
    await mark_left(runtime.db, person)

    # when the same browser opens the page, and presses "Check in"
    page = await pages.get(url)
    response = await pages.submit(url, {"booking_id": booking.id}, from_page=url)

    # then the page offers the picker, and the action asks to choose who you are first
    assert page.status_code == 200
    assert f'href="/?next=%2Fcheck-in%2F{desk.id}#identity"' in page.text
    assert f'id="booking-{booking.id}"' not in page.text
    assert "Fajar Nugroho" not in page.text
    assert response.status_code == 303
    assert response.headers["location"].startswith("/?notice=pick_identity")
    async with runtime.db.read() as session:
        stored = await session.get(Booking, booking.id)
    assert stored is not None and stored.status == BookingStatus.BOOKED


async def test_a_leaver_cannot_be_picked(pages: PageClient, runtime: Runtime, factory: Factory) -> None:
    # given a browser acting as someone still here
    colleague = await factory.employee(name="Sri Wahyuni")
    person = await factory.employee(name="Fajar Nugroho")
    await mark_left(runtime.db, person)
    await pages.act_as(colleague.id)
    assert "Sri Wahyuni" in (await pages.get("/my-week")).text

    # when it asks to act as the person who left
    response = await pages.submit("/identity", {"employee_id": person.id, "next": "/my-week"})

    # then it is refused, and acts as nobody rather than silently still as the colleague
    assert response.status_code == 303
    assert response.headers["location"] == "/?notice=unknown_employee"
    page = (await pages.get("/my-week")).text
    assert "Fajar Nugroho" not in page and "Sri Wahyuni" not in page
