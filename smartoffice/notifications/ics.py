"""Calendar files for notification emails (RFC 5545, with the iTIP methods of RFC 5546).

A booking's own change goes to its person as an attached ``.ics``: ``PUBLISH`` when it is made (confirmed,
granted from the waitlist, approved), ``CANCEL`` (``STATUS:CANCELLED``) when it ends (cancelled, declined, released
as a no-show). A room booking's attendees get ``REQUEST`` (an invitation, ``ORGANIZER`` the organiser and
``ATTENDEE`` the addressee) or ``CANCEL``. The event is the one the person's calendar feed
(smartoffice.integrations.calendar_feed) serves: the same ``UID`` and ``SEQUENCE`` rule, times in UTC, so a client
holding both sees one event that each change updates.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from icalendar import Calendar, Event, vCalAddress

from smartoffice.bookings.models import BookingStatus
from smartoffice.integrations.calendar_feed import PRODID, STATUS, UID_DOMAIN
from smartoffice.notifications.models import NotificationKind as K

PUBLISH, REQUEST, CANCEL = "PUBLISH", "REQUEST", "CANCEL"


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    email: str


@dataclass(frozen=True, slots=True)
class CalendarFile:
    method: str
    content: bytes
    filename: str


def booking_uid(booking_id: int) -> str:
    """As the calendar feed names the booking's event."""
    return f"booking-{booking_id}@{UID_DOMAIN}"


def sequence(version: int) -> int:
    """As the calendar feed counts: the booking's first version is sequence 0."""
    return max(version - 1, 0)


def method_for(kind: K, data: dict[str, Any]) -> str | None:
    """The iTIP method of the calendar file a notification carries; None: it carries none."""
    if kind == K.ROOM_INVITATION:
        return CANCEL if data.get("method") == CANCEL else REQUEST
    if kind in (K.BOOKING_CONFIRMED, K.WAITLIST_GRANTED):
        return PUBLISH
    if kind == K.APPROVAL_DECIDED:
        return PUBLISH if data.get("approved") else CANCEL
    if kind in (K.BOOKING_CANCELLED, K.NO_SHOW_RELEASED):
        return CANCEL
    return None


def _instant(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def _address(person: Person, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["CN"] = person.name
    address.params.update(params)
    return address


def booking_calendar(
    data: dict[str, Any],
    method: str,
    *,
    summary: str,
    location: str,
    organiser: Person,
    attendee: Person | None,
    stamp: datetime,
) -> CalendarFile:
    """One VCALENDAR with the booking's VEVENT (``data``: :class:`~smartoffice.notifications.kinds.BookingFacts`)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    event = Event()
    event.add("uid", booking_uid(int(data["bookingId"])))
    event.add("dtstamp", stamp.astimezone(UTC) if stamp.tzinfo else stamp.replace(tzinfo=UTC))
    event.add("sequence", sequence(int(data["version"])))
    event.add("dtstart", _instant(data["startAt"]))
    event.add("dtend", _instant(data["endAt"]))
    event.add("summary", summary)
    event.add("location", location)
    if method == CANCEL:
        event.add("status", "CANCELLED")
    else:
        status = str(data.get("status"))
        known = status in {s.value for s in BookingStatus}
        event.add("status", STATUS[BookingStatus(status)] if known else "CONFIRMED")
    event.add("organizer", _address(organiser))
    if attendee is not None and method != PUBLISH:  # RFC 5546: PUBLISH names no attendees
        # RSVP=FALSE: no reply is expected (nothing reads replies); clients still offer to add the event.
        event.add("attendee", _address(attendee, ROLE="REQ-PARTICIPANT", PARTSTAT="NEEDS-ACTION", RSVP="FALSE"))
    calendar.add_component(event)
    name = "cancel" if method == CANCEL else "invite" if method == REQUEST else "booking"
    return CalendarFile(method, calendar.to_ical(), f"{name}-{data['bookingId']}.ics")
