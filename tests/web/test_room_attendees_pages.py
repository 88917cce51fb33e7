"""Inviting colleagues from the rooms page without JavaScript: e-mail addresses or NIPs, one per line, resolved on
the server; an unknown entry is an error naming it (nothing booked, the text kept); the confirmation and My
bookings show who is invited."""

import re
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import func, select

from smartoffice.bookings.models import Booking, BookingAttendee
from smartoffice.db import Database
from tests.factories import Factory
from tests.support.clock import working_weekday
from tests.support.pages import PageClient


async def invited_ids(db: Database, booking_id: int) -> list[int]:
    async with db.read() as session:
        rows = await session.scalars(
            select(BookingAttendee.employee_id).where(BookingAttendee.booking_id == booking_id)
        )
        return sorted(rows)


async def booking_count(db: Database) -> int:
    async with db.read() as session:
        return int(await session.scalar(select(func.count(Booking.id))) or 0)


async def test_invite_colleagues_by_email_or_nip(pages: PageClient, factory: Factory, db: Database) -> None:
    # given a room and two colleagues, one named by e-mail, one by NIP
    building = await factory.building()
    room = await factory.room(await factory.floor(building), name="Ruang Kapuas", capacity=6)
    alice = await factory.employee()
    ani = await factory.employee(name="Ani Lestari", email="ani.lestari@example.go.id")
    budi = await factory.employee(name="Budi Santoso", nip="199202022016022002")
    day = working_weekday(2).isoformat()
    finder = f"/rooms?building={building.id}&date={day}&start=09:00&end=10:00&attendees=1"
    await pages.act_as(alice.id)
    form = (await pages.get(finder)).text
    assert f'<textarea id="invite-{room.id}" name="invite"' in form
    fields = {"room_id": room.id, "building": building.id, "date": day, "start": "09:00", "end": "10:00"}

    # when she names someone nobody knows among them
    refused = await pages.submit(
        "/rooms/bookings",
        {**fields, "attendees": 1, "invite": "ANI.LESTARI@example.go.id\nsiapa@example.go.id"},
        from_page=finder,
    )

    # then nothing is booked, the finder names the entry and her text is back in that room's field
    assert refused.status_code == 303
    shown = (await pages.get(refused.headers["location"])).text
    assert 'data-code="ATTENDEE_NOT_FOUND"' in shown and "siapa@example.go.id" in shown
    assert re.search(rf'id="invite-{room.id}"[^>]*>ANI.LESTARI@example.go.id\nsiapa@example.go.id</textarea>', shown)
    assert await booking_count(db) == 0

    # when she invites the two (the count left at 1 is raised to the three who attend)
    posted = await pages.submit(
        "/rooms/bookings",
        {**fields, "attendees": 1, "title": "Rapat", "invite": "ani.lestari@example.go.id\r\n 19920202 2016022002 \n"},
        from_page=finder,
    )

    # then the booking invites both, and the confirmation and My bookings say so
    assert posted.status_code == 303, posted.text[-2000:]
    booked_id = int(parse_qs(urlsplit(posted.headers["location"]).query)["booked"][0])
    assert await invited_ids(db, booked_id) == sorted([ani.id, budi.id])
    async with db.read() as session:
        assert (await session.get(Booking, booked_id)).attendee_count == 3  # type: ignore[union-attr]
    confirmation = (await pages.get(posted.headers["location"])).text
    assert re.search(r'id="booked-invited">[^<]*Ani Lestari, Budi Santoso</span>', confirmation)
    listed = (await pages.get("/my-bookings")).text
    assert re.search(r'class="small muted invited">[^<]*Ani Lestari, Budi Santoso</p>', listed)


async def test_inviting_the_person_booked_is_refused(pages: PageClient, factory: Factory, db: Database) -> None:
    building = await factory.building()
    room = await factory.room(await factory.floor(building), capacity=4)
    alice = await factory.employee(name="Alice Anggraini")
    day = working_weekday(3).isoformat()
    finder = f"/rooms?building={building.id}&date={day}&start=09:00&end=10:00"
    await pages.act_as(alice.id)
    fields = {"room_id": room.id, "building": building.id, "date": day, "start": "09:00", "end": "10:00"}

    refused = await pages.submit("/rooms/bookings", {**fields, "attendees": 2, "invite": alice.email}, from_page=finder)

    shown = (await pages.get(refused.headers["location"])).text
    assert 'data-code="ATTENDEE_IS_PERSON_BOOKED"' in shown and "Alice Anggraini" in shown
    assert await booking_count(db) == 0
