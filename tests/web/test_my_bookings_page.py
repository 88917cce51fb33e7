"""My bookings (``/my-bookings``) over HTTP: the lists, cancelling with a confirmation, cancelling a date range,
the calendar feed URL and presence sharing."""

import re
from datetime import datetime, time, timedelta

import pytest

from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.places.models import SpaceKind
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.bookings import book_desk, insert_booking, set_rule
from tests.support.clock import DAY, Clock, at, install_clock
from tests.support.pages import PageClient

IDEMPOTENCY = re.compile(r'name="idempotency_key" value="([0-9a-f]+)"')


@pytest.fixture
def clock(runtime: Runtime, pages: PageClient, monkeypatch: pytest.MonkeyPatch) -> Clock:
    """06:00 WITA on DAY, for the tests' runtime and the app's."""
    clock = install_clock(runtime, monkeypatch, Clock(at(DAY, 6)))
    return install_clock(pages.http.app.state.runtime, monkeypatch, clock)


async def status_of(runtime: Runtime, booking_id: int) -> BookingStatus:
    async with runtime.db.read() as session:
        booking = await session.get(Booking, booking_id)
    assert booking is not None
    return booking.status


async def confirm(pages: PageClient, url: str) -> tuple[str, dict[str, str]]:
    """The confirmation page's POST form: its action and its fields (CSRF token, idempotency key, hidden ones)."""
    page = await pages.get(url)
    assert page.status_code == 200, page.text
    main = page.text.split('<main id="main"', 1)[1]
    form = re.search(r'<form method="post" action="([^"]+)">(.*?)</form>', main, re.S)
    assert form, "no confirmation form"
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(2)))
    return form.group(1), fields


async def post(pages: PageClient, url: str, fields: dict[str, str]) -> tuple[int, str]:
    response = await pages.http.post(url, data=fields, follow_redirects=False)
    return response.status_code, response.headers.get("location", "")


async def test_nobody_acting_is_asked_who_they_are(pages: PageClient) -> None:
    response = await pages.http.get("/my-bookings", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/?notice=pick_identity&next=%2Fmy-bookings"


async def test_upcoming_and_past_with_their_status_and_links(
    pages: PageClient, runtime: Runtime, factory: Factory, clock: Clock
) -> None:
    # given a desk booked today 09-12, a room awaiting approval tomorrow, a no-show and a closure-cancelled booking
    building = await factory.building(name="Menara Kemenko 2")
    floor = await factory.floor(building, name="Lantai 3")
    desk, room = await factory.desk(floor, code="T2-3-A9"), await factory.room(floor, name="Ruang Garuda")
    me, someone = await factory.employee(), await factory.employee()
    today = await book_desk(runtime, desk, me, time(9), time(12))
    pending = await insert_booking(
        runtime.db,
        room,
        me,
        at(DAY + timedelta(days=1), 10),
        at(DAY + timedelta(days=1), 11),
        status=BookingStatus.PENDING,
    )
    no_show = await insert_booking(
        runtime.db,
        desk,
        me,
        at(DAY - timedelta(days=1), 8),
        at(DAY - timedelta(days=1), 17),
        status=BookingStatus.RELEASED,
    )
    closed = await insert_booking(
        runtime.db,
        desk,
        me,
        at(DAY + timedelta(days=2), 8),
        at(DAY + timedelta(days=2), 17),
        status=BookingStatus.CANCELLED,
    )
    async with runtime.db.write() as session:
        row = await session.get(Booking, closed.id)
        assert row is not None
        row.cancel_reason = "Renovasi lantai 3"
    await insert_booking(runtime.db, desk, someone, at(DAY + timedelta(days=3), 8), at(DAY + timedelta(days=3), 17))
    await pages.act_as(me.id)

    # when I open My bookings at 06:00, then at 08:45 (check-in opens 15 minutes before the start by default)
    early = await pages.get("/my-bookings")
    clock.set(time(8, 45))
    open_ = await pages.get("/my-bookings")

    # then
    assert early.status_code == 200
    upcoming, past = early.text.split('id="past-title"')
    assert upcoming.index("Desk T2-3-A9") < upcoming.index("Ruang Garuda")
    assert "Awaiting approval" in upcoming and "Menara Kemenko 2" in upcoming and "Lantai 3" in upcoming
    for booking in (today, pending):
        assert f'href="/bookings/{booking.id}/cancel?return_to=%2Fmy-bookings"' in upcoming
        assert f'href="/bookings/{booking.id}.ics"' in upcoming
    assert f'href="/floors/{floor.id}?date={DAY}&amp;desk={desk.id}"' in upcoming
    assert f'href="/spaces/{desk.id}/qr-card"' in upcoming
    assert f'href="/check-in/{desk.id}"' not in early.text  # not open at 06:00
    assert f'href="/check-in/{desk.id}"' in open_.text
    assert "Released: nobody checked in" in past and "Cancelled by facilities: Renovasi lantai 3" in past
    assert f"/bookings/{no_show.id}/cancel" not in past
    assert early.text.count('class="booking-head"') == 4  # mine only: nobody else's booking is listed
    assert 'aria-current="page">My bookings' in early.text


async def test_cancel_with_a_confirmation_then_back_with_a_notice(
    pages: PageClient, runtime: Runtime, factory: Factory, clock: Clock
) -> None:
    building = await factory.building(name="Menara Kemenko 2")
    desk, me = (
        await factory.desk(await factory.floor(building, name="Lantai 3"), code="T2-3-A9"),
        await factory.employee(),
    )
    booking = await book_desk(runtime, desk, me, time(9), time(12))
    await pages.act_as(me.id)

    page = await pages.get(f"/bookings/{booking.id}/cancel?return_to=%2Fmy-bookings")
    action, fields = await confirm(pages, f"/bookings/{booking.id}/cancel?return_to=%2Fmy-bookings")
    assert "Cancel your booking of Desk T2-3-A9?" in page.text
    assert "Menara Kemenko 2" in page.text and "Lantai 3" in page.text and "09:00" in page.text
    assert await status_of(runtime, booking.id) == BookingStatus.BOOKED  # showing the confirmation changes nothing
    assert action == f"/bookings/{booking.id}/cancel" and fields["return_to"] == "/my-bookings"
    assert IDEMPOTENCY.fullmatch(f'name="idempotency_key" value="{fields["idempotency_key"]}"')

    first = await post(pages, action, fields)
    replay = await post(pages, action, fields)  # the same form sent again: the same answer, no error
    after = await pages.get(first[1])

    assert first == (303, "/my-bookings?notice=cancelled") and replay == first
    assert await status_of(runtime, booking.id) == BookingStatus.CANCELLED
    assert "Your booking is cancelled." in after.text and 'role="alert"' not in after.text


async def test_a_failed_cancel_redirects_with_the_error_once(
    pages: PageClient, runtime: Runtime, factory: Factory, clock: Clock
) -> None:
    desk, owner, me = await factory.desk(), await factory.employee(), await factory.employee()
    theirs = await book_desk(runtime, desk, owner, time(9), time(12))
    await pages.act_as(me.id)

    shown = await pages.get(f"/bookings/{theirs.id}/cancel")
    refused = await pages.submit(f"/bookings/{theirs.id}/cancel", {"return_to": "//evil.example/"})
    landed = await pages.get(refused.headers["location"])
    again = await pages.get(refused.headers["location"])

    assert shown.status_code == 404  # not mine to see: as if it did not exist
    assert refused.status_code == 303 and refused.headers["location"] == "/my-bookings"  # never off the site
    assert 'role="alert" data-code="NOT_FOUND"' in landed.text or 'role="alert"' in landed.text
    assert f"Booking {theirs.id} does not exist" in landed.text
    assert f"Booking {theirs.id} does not exist" not in again.text
    assert await status_of(runtime, theirs.id) == BookingStatus.BOOKED


async def test_cancel_a_date_range_lists_first_then_cancels_in_one_go(
    pages: PageClient, runtime: Runtime, factory: Factory, clock: Clock
) -> None:
    # given desks on DAY+1, DAY+2 and DAY+5, a room I booked for a colleague on DAY+2, and a colleague's own desk
    building = await factory.building()
    floor = await factory.floor(building)
    me, colleague = await factory.employee(), await factory.employee()
    desks = [await factory.desk(floor, code=f"A{n}") for n in range(1, 4)]
    room = await factory.room(floor, name="Ruang Mahakam")

    def on(days: int, hour: int) -> tuple[datetime, datetime]:
        return at(DAY + timedelta(days=days), hour), at(DAY + timedelta(days=days), hour + 2)

    mine = [await insert_booking(runtime.db, desks[0], me, *on(n, 9)) for n in (1, 2, 5)]
    organised = await insert_booking(runtime.db, room, colleague, *on(2, 13), booked_by=me)
    theirs = await insert_booking(runtime.db, desks[1], colleague, *on(1, 9))
    await pages.act_as(me.id)
    first, last = DAY + timedelta(days=1), DAY + timedelta(days=3)

    # when I ask what cancelling DAY+1..DAY+3 would do, then confirm
    page = await pages.get(f"/my-bookings/cancel-range?from={first}&until={last}")
    action, fields = await confirm(pages, f"/my-bookings/cancel-range?from={first}&until={last}")
    assert "These 3 bookings will be cancelled:" in page.text and "Ruang Mahakam" in page.text
    assert [await status_of(runtime, b.id) for b in mine] == [BookingStatus.BOOKED] * 3
    done = await post(pages, action, fields)
    replay = await post(pages, action, fields)  # sent twice (a slow network): the same answer
    after = await pages.get(done[1])

    # then those three are cancelled, the later one and the colleague's own are not
    assert done == (303, "/my-bookings?notice=range_cancelled&count=3") and replay == done
    assert "3 bookings cancelled." in after.text
    assert [await status_of(runtime, b.id) for b in (*mine, organised, theirs)] == [
        BookingStatus.CANCELLED,
        BookingStatus.CANCELLED,
        BookingStatus.BOOKED,
        BookingStatus.CANCELLED,
        BookingStatus.BOOKED,
    ]


async def test_a_range_keeps_what_is_too_late_to_cancel_and_refuses_a_reversed_range(
    pages: PageClient, runtime: Runtime, factory: Factory, clock: Clock
) -> None:
    building = await factory.building()
    await set_rule(runtime.db, building.id, SpaceKind.DESK, cancellation_deadline_minutes=240)
    desk, me = await factory.desk(await factory.floor(building), code="A1"), await factory.employee()
    soon = await insert_booking(runtime.db, desk, me, at(DAY, 9), at(DAY, 12))  # 3 hours away: too late
    later = await insert_booking(runtime.db, desk, me, at(DAY, 13), at(DAY, 15))
    await pages.act_as(me.id)

    page = await pages.get(f"/my-bookings/cancel-range?from={DAY}&until={DAY}")
    action, fields = await confirm(pages, f"/my-bookings/cancel-range?from={DAY}&until={DAY}")
    done = await post(pages, action, fields)
    reversed_ = await pages.http.get(
        f"/my-bookings/cancel-range?from={DAY}&until={DAY - timedelta(days=1)}", follow_redirects=False
    )
    shown = await pages.get(reversed_.headers["location"])

    assert "Too late to cancel" in page.text
    assert done == (303, "/my-bookings?notice=range_cancelled&count=1")
    assert await status_of(runtime, soon.id) == BookingStatus.BOOKED
    assert await status_of(runtime, later.id) == BookingStatus.CANCELLED
    assert reversed_.status_code == 303 and reversed_.headers["location"] == "/my-bookings#leave"
    assert "The end date must not be before the start date" in shown.text


async def test_presence_sharing_is_a_setting_on_the_page(pages: PageClient, runtime: Runtime, factory: Factory) -> None:
    me = await factory.employee()
    await pages.act_as(me.id)

    before = await pages.get("/my-bookings")
    turned_on = await pages.submit("/my-bookings/presence-sharing", {"share": "on"}, from_page="/my-bookings")
    after = await pages.get(turned_on.headers["location"])
    nonsense = await pages.submit("/my-bookings/presence-sharing", {"share": "maybe"}, from_page="/my-bookings")

    assert 'name="share" value="off" checked' in before.text
    assert turned_on.headers["location"] == "/my-bookings?notice=presence_on#presence"
    assert 'name="share" value="on" checked' in after.text
    assert "Colleagues outside your unit now see your name" in after.text
    employee = await runtime.people.find_employee(me.id)
    assert employee is not None and employee.share_presence
    assert nonsense.status_code == 303 and nonsense.headers["location"] == "/my-bookings#presence"
