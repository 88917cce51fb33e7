"""A notification stored and read back (its ``data`` through the database's JSON), put into an email: the booking's
times as the database holds them come out in the building's zone, and its calendar file starts when it does."""

from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage

from icalendar import Calendar
from sqlalchemy import select

from smartoffice.notifications.compose import Addressee, build_email, describe
from smartoffice.notifications.facts import booking_facts
from smartoffice.notifications.models import Notification
from smartoffice.notifications.models import NotificationKind as K
from smartoffice.notifications.produce import Draft, notify
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.bookings import insert_booking
from tests.support.clock import DAY, at


async def test_a_stored_booking_notification_makes_an_email_with_its_calendar_file(
    runtime: Runtime, factory: Factory
) -> None:
    # given a desk booked from 07:30 to 16:00 WITA on DAY (23:30 UTC the day before), and its notification stored
    floor = await factory.floor(await factory.building(name="Gedung Kemenko"), name="Lantai 3")
    desk = await factory.desk(floor, code="A12")
    person = await factory.employee(name="Budi Santoso", email="budi@example.go.id")
    start = at(DAY, 7, 30)
    booking = await insert_booking(runtime.db, desk, person, start, at(DAY, 16))
    async with runtime.db.write() as session:
        facts = (await booking_facts(session, [booking.id]))[booking.id]
        draft = Draft(person.id, K.BOOKING_CONFIRMED, f"test:{booking.id}", {**facts, "actorName": "Siti Rahma"})
        assert await notify(session, [draft], start - timedelta(days=1)) == 1
    async with runtime.db.read() as session:
        notification = await session.scalar(select(Notification).where(Notification.recipient_id == person.id))
    assert notification is not None

    # when it is put into words and an email
    words = describe(notification.kind, notification.data, "id")
    addressee = Addressee(person.id, person.name, "budi@example.go.id", "id")
    built = build_email(addressee, [notification], runtime.settings, start)
    message = message_from_bytes(built.as_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)

    # then the words are in the building's zone and the calendar file starts when the booking does
    assert words.title == "Meja A12 pada Selasa, 9 Juli sudah dipesan untuk Anda oleh Siti Rahma"
    assert words.lines[:2] == ("Selasa, 9 Juli 2030, 07.30–16.00", "Meja A12, Lantai 3, Gedung Kemenko")
    assert str(message["Subject"]).strip() == words.title
    assert message["X-SmartOffice-Notifications"] == str(notification.id)
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    content = part.get_content()
    assert isinstance(content, str)
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == booking.start_at == start
    assert event.decoded("DTEND") == booking.end_at
    assert str(event["UID"]) == f"booking-{booking.id}@smartoffice-nusantara"
