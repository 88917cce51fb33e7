"""Calendar feeds (RFC 5545): a person's bookings as an iCal feed behind a secret URL, and one booking as ``.ics``.

The feed URL is ``/calendar/{token}.ics``: whoever has it can read the person's bookings, as calendar apps
(Outlook, Google Calendar) need, with no login. So the token is random (256 bits), only its SHA-256 is stored,
and rotating it (GraphQL ``rotateCalendarFeed``) revokes the old URL at once.

Each booking is one ``VEVENT``: times in UTC (``...Z``: no VTIMEZONE needed, every client shows them in its own
zone), ``UID`` stable per booking, ``SEQUENCE`` from the booking's version (starting at 0), ``DTSTAMP`` and
``LAST-MODIFIED`` its last change, ``STATUS`` CONFIRMED / TENTATIVE (awaiting approval) / CANCELLED (cancelled,
rejected or released as a no-show, so clients remove it rather than keep a stale copy).
"""

import hashlib
import secrets
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.db import Database, utcnow
from smartoffice.i18n import DEFAULT_LANGUAGE, Language, as_language, gettext
from smartoffice.integrations.models import CalendarFeed
from smartoffice.labels import label
from smartoffice.people.models import Employee
from smartoffice.places.models import Floor, Space, SpaceKind

TOKEN_PREFIX = "cal_"
FEED_PAST = timedelta(days=30)
FEED_FUTURE = timedelta(days=200)
FEED_MAX_EVENTS = 1000
LAST_USED_RESOLUTION = timedelta(hours=1)
"""``last_used_at`` is written at most this often: calendar apps poll, and each poll must not be a write."""
PRODID = "-//SmartOffice Nusantara//Bookings//EN"
UID_DOMAIN = "smartoffice-nusantara"

STATUS = {
    BookingStatus.PENDING: "TENTATIVE",
    BookingStatus.BOOKED: "CONFIRMED",
    BookingStatus.CHECKED_IN: "CONFIRMED",
    BookingStatus.CANCELLED: "CANCELLED",
    BookingStatus.REJECTED: "CANCELLED",
    BookingStatus.RELEASED: "CANCELLED",
}

WITH_PLACE = joinedload(Booking.space).joinedload(Space.floor).joinedload(Floor.building)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_path(token: str) -> str:
    return f"/calendar/{token}.ics"


class CalendarFeedService:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock

    async def rotate(self, employee_id: int) -> str:
        """A new feed token for the person (returned this once); any previous URL stops working."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        async with self.db.write() as session:
            feed = await session.scalar(
                select(CalendarFeed).where(CalendarFeed.employee_id == employee_id).with_for_update()
            )
            if feed is None:
                session.add(
                    CalendarFeed(employee_id=employee_id, token_hash=token_hash(token), created_at=self.clock())
                )
            else:
                feed.token_hash, feed.created_at, feed.last_used_at = token_hash(token), self.clock(), None
        return token

    async def feed(self, token: str) -> bytes | None:
        """The person's calendar for a feed token; ``None`` for an unknown (or rotated) token. Calendar apps send
        no language: the events speak the one the person chose on the pages."""
        now = self.clock()
        async with self.db.read() as session:
            feed = await session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == token_hash(token)))
            if feed is None:
                return None
            saved = await session.scalar(select(Employee.language).where(Employee.id == feed.employee_id))
            query = (
                select(Booking)
                .where(
                    Booking.employee_id == feed.employee_id,
                    Booking.end_at > now - FEED_PAST,
                    Booking.start_at < now + FEED_FUTURE,
                )
                .options(WITH_PLACE)
                .order_by(Booking.start_at, Booking.id)
                .limit(FEED_MAX_EVENTS)
            )
            bookings = (await session.scalars(query)).all()
        if feed.last_used_at is None or now - feed.last_used_at > LAST_USED_RESOLUTION:
            async with self.db.write() as session:
                stored = await session.get(CalendarFeed, feed.id)
                if stored is not None and stored.token_hash == feed.token_hash:
                    stored.last_used_at = now
        return to_ical(bookings, as_language(saved) or DEFAULT_LANGUAGE, name="SmartOffice")

    async def booking(self, actor_id: int, booking_id: int, language: Language = DEFAULT_LANGUAGE) -> bytes | None:
        """One booking as ``.ics``, for the person booked or whoever booked it; ``None`` for anyone else (as for
        a booking that does not exist)."""
        async with self.db.read() as session:
            booking = await session.scalar(select(Booking).where(Booking.id == booking_id).options(WITH_PLACE))
        if booking is None or actor_id not in (booking.employee_id, booking.booked_by_id):
            return None
        return to_ical([booking], language)


def to_ical(bookings: Sequence[Booking], language: Language, *, name: str | None = None) -> bytes:
    """A VCALENDAR of the bookings (each with its space, floor and building loaded)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT1H")
    for booking in bookings:
        calendar.add_component(_event(booking, language))
    ical: bytes = calendar.to_ical()
    return ical


def _event(booking: Booking, language: Language) -> Event:
    space = booking.space
    floor = space.floor
    building = floor.building
    changed = last_changed(booking)
    event = Event()
    event.add("uid", f"booking-{booking.id}@{UID_DOMAIN}")
    event.add("dtstamp", changed)
    event.add("last-modified", changed)
    event.add("created", booking.created_at)
    event.add("sequence", max(booking.version - 1, 0))
    event.add("dtstart", booking.start_at)
    event.add("dtend", booking.end_at)
    event.add("status", STATUS[booking.status])
    event.add("transp", "OPAQUE" if booking.is_active else "TRANSPARENT")
    if space.kind == SpaceKind.DESK:
        where = gettext(language, "Desk %(code)s", code=space.code)
        summary = where
    else:
        where = space.name or space.code
        summary = f"{booking.title} ({where})" if booking.title else where
    event.add("summary", summary)
    event.add("location", f"{building.name}, {floor.name}, {where}")
    event.add(
        "description", gettext(language, "SmartOffice booking: %(status)s", status=label(language, booking.status))
    )
    return event


def last_changed(booking: Booking) -> datetime:
    instants = (
        booking.created_at,
        booking.cancelled_at,
        booking.checked_in_at,
        booking.checked_out_at,
        booking.released_at,
        booking.decided_at,
    )
    return max(i for i in instants if i is not None)
