"""The iCal feed (``/calendar/{token}.ics``) and one booking's ``.ics``: the output parses back (icalendar) and
holds the right events; My bookings makes a new feed URL."""

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.integrations.calendar_feed import CalendarFeedService, feed_path
from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from tests.factories import Factory
from tests.support.bookings import insert_booking
from tests.support.pages import PageClient


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, demo_mode=True)  # the pages' "act as" picker identifies the visitor


def hours_from_now(hours: int) -> datetime:
    return datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(hours=hours)


def events_in(body: bytes) -> dict[str, dict[str, object]]:
    """UID → the event's properties we check, decoded."""
    calendar = Calendar.from_ical(body)
    assert str(calendar["VERSION"]) == "2.0" and "PRODID" in calendar
    events = {}
    for event in calendar.walk("VEVENT"):
        assert event.decoded("dtstamp").tzinfo is not None
        events[str(event["UID"])] = {
            "start": event.decoded("dtstart"),
            "end": event.decoded("dtend"),
            "status": str(event["STATUS"]),
            "sequence": int(event["SEQUENCE"]),
            "summary": str(event["SUMMARY"]),
            "location": str(event["LOCATION"]),
        }
    return events


def uid(booking: Booking) -> str:
    return f"booking-{booking.id}@smartoffice-nusantara"


class TestFeed:
    async def test_lists_my_bookings_desk_and_room_with_their_status(
        self, runtime: Runtime, factory: Factory, pages: PageClient
    ) -> None:
        # given a desk booked, a desk booking cancelled, a room awaiting approval, and a colleague's booking
        building = await factory.building(name="Menara Nusantara 2")
        floor = await factory.floor(building, name="Lantai 3")
        desk, room = await factory.desk(floor, code="T2-3-A9"), await factory.room(floor, name="Ruang Mahakam")
        person, colleague = await factory.employee(), await factory.employee()
        booked = await insert_booking(runtime.db, desk, person, hours_from_now(24), hours_from_now(27))
        cancelled = await insert_booking(runtime.db, desk, person, hours_from_now(48), hours_from_now(50))
        await runtime.bookings.cancel(person.id, cancelled.id)
        pending = await insert_booking(
            runtime.db, room, person, hours_from_now(72), hours_from_now(73), status=BookingStatus.PENDING
        )
        await insert_booking(runtime.db, desk, colleague, hours_from_now(96), hours_from_now(97))
        token = await CalendarFeedService(runtime.db).rotate(person.id)

        # when a calendar app fetches the feed
        response = await pages.get(feed_path(token))

        # then
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/calendar; charset=utf-8"  # once: clients choke on two
        assert response.headers["referrer-policy"] == "no-referrer"
        events = events_in(response.content)
        assert set(events) == {uid(booked), uid(cancelled), uid(pending)}
        assert events[uid(booked)] == {
            "start": hours_from_now(24),
            "end": hours_from_now(27),
            "status": "CONFIRMED",
            "sequence": 0,
            "summary": "Desk T2-3-A9",
            "location": "Menara Nusantara 2, Lantai 3, Desk T2-3-A9",
        }
        assert (events[uid(cancelled)]["status"], events[uid(cancelled)]["sequence"]) == ("CANCELLED", 1)
        assert events[uid(pending)]["status"] == "TENTATIVE"
        assert events[uid(pending)]["location"] == "Menara Nusantara 2, Lantai 3, Ruang Mahakam"

    async def test_rotating_the_token_revokes_the_old_url(
        self, runtime: Runtime, factory: Factory, pages: PageClient
    ) -> None:
        person = await factory.employee()
        feeds = CalendarFeedService(runtime.db)
        old = await feeds.rotate(person.id)
        new = await feeds.rotate(person.id)

        assert (await pages.get(feed_path(old))).status_code == 404
        assert (await pages.get(feed_path(new))).status_code == 200
        assert (await pages.get(f"/calendar/{new}")).status_code == 404  # the .ics suffix is part of the URL
        assert (await pages.get("/calendar/cal_nobody.ics")).status_code == 404

    async def test_my_bookings_makes_a_new_url_after_a_confirmation_and_shows_it_once(
        self, runtime: Runtime, factory: Factory, pages: PageClient
    ) -> None:
        # given my feed subscribed in a calendar app
        desk, person = await factory.desk(code="A1"), await factory.employee()
        booking = await insert_booking(runtime.db, desk, person, hours_from_now(24), hours_from_now(26))
        old = await CalendarFeedService(runtime.db).rotate(person.id)
        await pages.act_as(person.id)

        # when I ask My bookings for a new URL: a confirmation first, then the POST
        before = await pages.get("/my-bookings")
        confirmation = await pages.get("/my-bookings/calendar-feed")
        rotated = await pages.submit("/my-bookings/calendar-feed", {}, from_page="/my-bookings/calendar-feed")
        shown = await pages.get(rotated.headers["location"])
        reloaded = await pages.get("/my-bookings")

        # then the page shows the new URL once, it serves my bookings, and the old one is gone
        assert (
            'href="/my-bookings/calendar-feed"' in before.text
            and "http://testserver.local/calendar/" not in before.text
        )
        assert "the old address stops working" in confirmation.text
        assert rotated.status_code == 303
        assert rotated.headers["location"] == "/my-bookings?notice=feed_rotated#calendar-feed"
        url = re.search(
            r'id="feed-url" type="text" readonly value="(http://testserver\.local(/calendar/[^"]+))"', shown.text
        )
        assert url, "the new feed URL is not shown"
        assert "http://testserver.local/calendar/" not in reloaded.text
        assert list(events_in((await pages.get(url.group(2))).content)) == [uid(booking)]
        assert (await pages.get(feed_path(old))).status_code == 404


class TestOneBooking:
    async def test_the_owner_downloads_it_and_nobody_else_can(
        self, runtime: Runtime, factory: Factory, pages: PageClient
    ) -> None:
        desk, person, stranger = await factory.desk(code="A1"), await factory.employee(), await factory.employee()
        booking = await insert_booking(runtime.db, desk, person, hours_from_now(24), hours_from_now(26))
        url = f"/bookings/{booking.id}.ics"

        anonymous = await pages.http.get(url, follow_redirects=False)
        assert anonymous.status_code == 303

        await pages.act_as(stranger.id)
        assert (await pages.get(url)).status_code == 404

        await pages.act_as(person.id)
        response = await pages.get(url)
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/calendar; charset=utf-8"
        assert list(events_in(response.content)) == [uid(booking)]
        assert (await pages.get("/bookings/999999.ics")).status_code == 404
        assert (await pages.get(f"/bookings/{booking.id}.txt")).status_code == 404


class TestLanguage:
    async def test_the_feed_speaks_its_owner_s_saved_language(
        self, runtime: Runtime, factory: Factory, pages: PageClient
    ) -> None:
        # calendar apps send no language: the feed speaks the one its owner chose on the pages
        desk, person = await factory.desk(code="T2-3-A9"), await factory.employee(language="id")
        booked = await insert_booking(runtime.db, desk, person, hours_from_now(24), hours_from_now(27))
        token = await CalendarFeedService(runtime.db).rotate(person.id)

        calendar = Calendar.from_ical((await pages.get(feed_path(token))).content)

        event = next(iter(calendar.walk("VEVENT")))
        assert str(event["UID"]) == uid(booked)
        assert str(event["SUMMARY"]) == "Meja T2-3-A9"
        assert str(event["DESCRIPTION"]) == "Pemesanan SmartOffice: Dipesan"

    async def test_one_booking_speaks_the_page_s_language(
        self, runtime: Runtime, factory: Factory, pages: PageClient
    ) -> None:
        desk, person = await factory.desk(code="A1"), await factory.employee()
        booking = await insert_booking(
            runtime.db, desk, person, hours_from_now(24), hours_from_now(26), status=BookingStatus.CHECKED_IN
        )
        await pages.act_as(person.id)

        english = Calendar.from_ical((await pages.get(f"/bookings/{booking.id}.ics")).content)
        pages.http.headers["accept-language"] = "id"
        indonesian = Calendar.from_ical((await pages.get(f"/bookings/{booking.id}.ics")).content)

        assert [str(e["DESCRIPTION"]) for e in english.walk("VEVENT")] == ["SmartOffice booking: Checked in"]
        assert [str(e["DESCRIPTION"]) for e in indonesian.walk("VEVENT")] == ["Pemesanan SmartOffice: Sudah check-in"]
        assert [str(e["SUMMARY"]) for e in indonesian.walk("VEVENT")] == ["Meja A1"]
