"""The rooms pages without a browser: the finder (which rooms, whose titles), booking a room, a weekly series with
its per-day result, and approvals (accept; decline with a reason) — each form post/redirect/get."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.db import Database
from tests.factories import Factory
from tests.support.bookings import insert_booking
from tests.support.clock import at, working_weekday
from tests.support.pages import PageClient


def offered_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<li class="card room" id="room-\d+" data-room-id="(\d+)"', html)]


async def booking(db: Database, booking_id: int) -> Booking:
    async with db.read() as session:
        found = await session.get(Booking, booking_id)
    assert found is not None
    return found


async def test_find_and_book_rooms_from_the_finder(pages: PageClient, factory: Factory, db: Database) -> None:
    # given three rooms: one too small, one needing approval
    building = await factory.building(name="Menara 3")
    floor = await factory.floor(building)
    mahakam = await factory.room(floor, name="Ruang Mahakam", capacity=8, amenities=["video_conference"])
    await factory.room(floor, name="Ruang Kecil", capacity=2, amenities=["video_conference"])
    pimpinan = await factory.room(floor, name="Ruang Pimpinan", capacity=12, requires_approval=True)
    alice, bruno = await factory.employee(), await factory.employee()
    day = working_weekday(2).isoformat()
    finder = f"/rooms?building={building.id}&date={day}&start=09:00&end=10:00&attendees=4"
    await pages.act_as(alice.id)

    # when alice looks for four people, then the small room is left out
    assert offered_ids((await pages.get(finder)).text) == [mahakam.id, pimpinan.id]
    assert offered_ids((await pages.get(finder + "&amenity=video_conference")).text) == [mahakam.id]

    # when she books Mahakam with a title and five attendees
    fields = {"room_id": mahakam.id, "building": building.id, "date": day, "start": "09:00", "end": "10:00"}
    posted = await pages.submit(
        "/rooms/bookings", {**fields, "title": "Rapat koordinasi", "attendees": 5}, from_page=finder
    )

    # then a 303 to the finder, which says so and shows her title on the room's day
    assert posted.status_code == 303, posted.text[-3000:]
    booked_id = int(parse_qs(urlsplit(posted.headers["location"]).query)["booked"][0])
    made = await booking(db, booked_id)
    assert (made.status, made.title, made.attendee_count) == (BookingStatus.BOOKED, "Rapat koordinasi", 5)
    shown = (await pages.get(posted.headers["location"])).text
    assert 'id="booked" data-status="booked"' in shown
    assert offered_ids(shown) == [pimpinan.id]
    assert "Rapat koordinasi" in shown

    # when bruno looks, the room is busy and its title is not his to read
    await pages.act_as(bruno.id)
    seen = (await pages.get(finder)).text
    assert offered_ids(seen) == [pimpinan.id] and "Rapat koordinasi" not in seen
    assert f'<li data-room-id="{mahakam.id}">' in seen

    # when he books it anyway (a stale page), the error comes back once, on the finder
    refused = await pages.submit("/rooms/bookings", {**fields, "attendees": 3}, from_page=finder)
    assert refused.status_code == 303 and refused.headers["location"].startswith("/rooms?")
    again = (await pages.get(refused.headers["location"])).text
    assert 'role="alert" data-code="' in again
    assert 'role="alert"' not in (await pages.get(refused.headers["location"])).text

    # a mangled attendee count books nothing (rather than one attendee)
    mangled = await pages.submit(
        "/rooms/bookings", {**fields, "room_id": pimpinan.id, "attendees": "lots"}, from_page=finder
    )
    assert 'data-code="invalid_attendees"' in (await pages.get(mangled.headers["location"])).text

    # when he requests the room that needs approval, it waits
    requested = await pages.submit(
        "/rooms/bookings", {**fields, "room_id": pimpinan.id, "attendees": 4}, from_page=finder
    )
    assert 'id="booked" data-status="pending"' in (await pages.get(requested.headers["location"])).text


async def test_approve_and_decline_from_the_approvals_page(pages: PageClient, factory: Factory, db: Database) -> None:
    # given two pending requests for a room whose approver holds no role
    room = await factory.room(name="Ruang Pimpinan", requires_approval=True)
    approver, requester, stranger = await factory.employee(), await factory.employee(), await factory.employee()
    await factory.approver(room, approver)
    day = working_weekday(3)
    first = await insert_booking(db, room, requester, at(day, 9), at(day, 10), status=BookingStatus.PENDING)
    second = await insert_booking(db, room, requester, at(day, 13), at(day, 14), status=BookingStatus.PENDING)

    # when the approver opens the page, then both wait there
    await pages.act_as(approver.id)
    listed = (await pages.get("/approvals")).text
    assert re.findall(r'data-booking-id="(\d+)"', listed) == [str(first.id), str(second.id)]

    # when they accept the first
    accepted = await pages.submit(f"/approvals/{first.id}/decision", {"decision": "accept"}, from_page="/approvals")
    assert accepted.status_code == 303
    assert 'id="decided"' in (await pages.get(accepted.headers["location"])).text
    assert (await booking(db, first.id)).status == BookingStatus.BOOKED

    # when they decline the second: a confirmation page first, then the reason is kept for the person
    confirm = f"/approvals/{second.id}/decline"
    assert 'name="reason"' in (await pages.get(confirm)).text
    declined = await pages.submit(
        f"/approvals/{second.id}/decision",
        {"decision": "decline", "reason": "Dipakai rapat pimpinan"},
        from_page=confirm,
    )
    assert declined.status_code == 303
    rejected = await booking(db, second.id)
    assert (rejected.status, rejected.cancel_reason) == (BookingStatus.REJECTED, "Dipakai rapat pimpinan")
    assert re.findall(r'data-booking-id="(\d+)"', (await pages.get("/approvals")).text) == []

    # and someone else can neither see nor decide them
    await pages.act_as(stranger.id)
    third = await insert_booking(db, room, requester, at(day, 15), at(day, 16), status=BookingStatus.PENDING)
    assert "data-booking-id" not in (await pages.get("/approvals")).text
    refused = await pages.submit(f"/approvals/{third.id}/decision", {"decision": "accept"}, from_page="/approvals")
    assert 'data-code="NOT_FOUND"' in (await pages.get(refused.headers["location"])).text
    assert (await booking(db, third.id)).status == BookingStatus.PENDING


async def test_book_a_desk_every_week_and_see_each_day(pages: PageClient, factory: Factory, db: Database) -> None:
    # given a desk someone else holds on the second of three Wednesdays
    desk = await factory.desk(code="A7")
    alice, bruno = await factory.employee(), await factory.employee()
    first = working_weekday(2)
    await insert_booking(db, desk, bruno, at(first + timedelta(weeks=1), 8), at(first + timedelta(weeks=1), 17))
    await pages.act_as(alice.id)
    form_url = f"/bookings/repeat?space={desk.id}&date={first.isoformat()}"
    form = (await pages.get(form_url)).text
    assert 'value="WE" checked' in form

    # when she books it every Wednesday, three times
    fields = {"space": desk.id, "date": first.isoformat(), "weekday": "WE", "ends": "count", "count": 3}
    posted = await pages.submit("/bookings/repeat", {**fields, "start": "08:00", "end": "17:00"}, from_page=form_url)

    # then the series page shows each day: two booked, the taken one skipped with its reason
    assert posted.status_code == 303 and posted.headers["location"].startswith("/bookings/series/")
    shown = (await pages.get(posted.headers["location"])).text
    results = re.findall(r'data-day="([\d-]+)" data-result="(\w+)"', shown)
    weeks = [(first + timedelta(weeks=n)).isoformat() for n in range(3)]
    assert results == [(weeks[0], "booked"), (weeks[1], "skipped"), (weeks[2], "booked")]
    # the link without its key shows nothing (another person's series result is not theirs to read)
    assert (await pages.get(urlsplit(posted.headers["location"]).path)).status_code == 404
