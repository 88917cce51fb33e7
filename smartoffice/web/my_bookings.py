"""My bookings (``/my-bookings``): what is coming (check in, cancel, add to a calendar, the floor plan), what is
over (checked in, a no-show, cancelled and why), and the person's settings that concern their bookings: cancel a
date range (going on leave), the calendar feed, presence sharing. The forms' handlers are in
``web/my_bookings_actions.py``.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from litestar import Request, get
from litestar.params import FromQuery, QueryParameter
from litestar.response import Redirect, Template

from smartoffice.bookings.models import ACTIVE_STATUSES, Booking, BookingStatus
from smartoffice.i18n import Language, gettext, ngettext
from smartoffice.people.models import Employee
from smartoffice.places.models import SpaceKind
from smartoffice.runtime import runtime_of
from smartoffice.web.context import current_viewer
from smartoffice.web.errors import PageError
from smartoffice.web.floor_view import local_today
from smartoffice.web.home import DEFAULT_TIME_ZONE
from smartoffice.web.identity import see_other
from smartoffice.web.language import language_of

PATH = "/my-bookings"
PAGE_SIZE = 20
FEED_URL_KEY = "calendar_feed_url"
"""Where the new feed URL waits in the (encrypted) session cookie for the one page view that shows it."""
NOTICES = ("range_cancelled", "nothing_cancelled", "feed_rotated", "presence_on", "presence_off")
"""This page's own notices (``cancelled`` is base.html's)."""


@dataclass(frozen=True, slots=True)
class BookingRow:
    """One of the person's bookings as the page lists it (local times of its building)."""

    id: int
    space_id: int
    is_room: bool
    label: str
    """``Desk T2-3-A9`` or the room's name."""
    title: str | None
    building_name: str
    floor_id: int
    floor_name: str
    day: date
    start: time
    end: time
    status: BookingStatus
    can_check_in: bool
    """Booked, and check-in is open now."""
    cancel_reason: str | None
    """Why facilities cancelled it (a closure, a retired desk); ``None`` when the person cancelled it."""
    invited: tuple[str, ...] = ()
    """Rooms: the names of the colleagues invited (upcoming bookings)."""

    @property
    def is_active(self) -> bool:
        """It still holds its space: cancelling it means something."""
        return self.status in ACTIVE_STATUSES


@dataclass(frozen=True, slots=True)
class MyBookingsPage:
    upcoming: Sequence[BookingRow]
    upcoming_next: str | None
    past: Sequence[BookingRow]
    past_next: str | None
    today: date
    feed_url: str | None
    """The calendar feed URL just created: shown this once (only its hash is stored)."""
    shares_presence: bool
    notice_message: str | None


@get(PATH, name="my-bookings")
async def my_bookings_page(
    request: Request[Any, Any, Any],
    after: FromQuery[str | None] = None,
    past_after: Annotated[str | None, QueryParameter(name="past_after")] = None,
    notice: FromQuery[str | None] = None,
    count: FromQuery[str | None] = None,
) -> Template | Redirect:
    viewer = await current_viewer(request)
    if viewer is None:
        return see_other("/?notice=pick_identity&next=%2Fmy-bookings")
    runtime = runtime_of(request)
    language = language_of(request)
    error: PageError | None = None
    upcoming = await runtime.bookings.upcoming(viewer.id, first=PAGE_SIZE, after=after or None)
    history = await runtime.my_bookings.history(viewer.id, first=PAGE_SIZE, after=past_after or None)
    opens = await runtime.my_bookings.check_in_opens(upcoming.bookings)
    invited = await runtime.bookings.attendees_of([b.id for b in upcoming.bookings if b.space_kind == SpaceKind.ROOM])
    now = runtime.clock()
    employee = await runtime.people.find_employee(viewer.id)
    page = MyBookingsPage(
        upcoming=[booking_row(b, language, opens, now, invited.get(b.id, ())) for b in upcoming.bookings],
        upcoming_next=upcoming.cursor(upcoming.bookings[-1]) if upcoming.has_next else None,
        past=[booking_row(b, language, {}, now) for b in history.bookings],
        past_next=history.next_cursor,
        today=local_today(DEFAULT_TIME_ZONE, now),
        feed_url=_take_feed_url(request),
        shares_presence=bool(employee and employee.share_presence),
        notice_message=notice_message(language, notice, count),
    )
    return Template(
        template_name="my_bookings.html",
        context={
            "page": page,
            "viewer": viewer,
            "nav_current": "my-bookings",
            "waitlist": await runtime.waitlist.mine(viewer.id),
            "notice": notice if notice not in NOTICES else None,
            "error": error,
        },
    )


def booking_row(
    booking: Booking,
    language: Language,
    opens: Mapping[int, datetime],
    now: datetime,
    invited: Iterable[Employee] = (),
) -> BookingRow:
    """The booking's space, floor and building must be loaded; ``opens``: when check-in opens, by booking id;
    ``invited``: its invited colleagues."""
    space, floor = booking.space, booking.space.floor
    zone = ZoneInfo(floor.building.time_zone)
    start, end = booking.start_at.astimezone(zone), booking.end_at.astimezone(zone)
    opens_at = opens.get(booking.id)
    return BookingRow(
        id=booking.id,
        space_id=space.id,
        is_room=space.kind == SpaceKind.ROOM,
        label=gettext(language, "Desk %(code)s", code=space.code)
        if space.kind == SpaceKind.DESK
        else space.name or space.code,
        title=booking.title,
        building_name=floor.building.name,
        floor_id=floor.id,
        floor_name=floor.name,
        day=start.date(),
        start=start.time(),
        end=end.time(),
        status=booking.status,
        can_check_in=booking.status == BookingStatus.BOOKED
        and opens_at is not None
        and opens_at <= now < booking.end_at,
        cancel_reason=booking.cancel_reason,
        invited=tuple(e.name for e in invited),
    )


def notice_message(language: Language, notice: str | None, count: str | None) -> str | None:
    n = min(int(count), 10_000) if count and count.isascii() and count.isdigit() else 0
    if notice == "range_cancelled":
        return ngettext(language, "%(num)s booking cancelled.", "%(num)s bookings cancelled.", n, num=n)
    if notice == "nothing_cancelled":
        return gettext(language, "There was nothing to cancel in those days.")
    if notice == "feed_rotated":
        return gettext(language, "Your new calendar feed URL is below. The previous one no longer works.")
    if notice == "presence_on":
        return gettext(language, "Colleagues outside your unit now see your name on the desk you booked.")
    if notice == "presence_off":
        return gettext(language, "Only your unit and your managers see your name on the desk you booked.")
    return None


def _take_feed_url(request: Request[Any, Any, Any]) -> str | None:
    session = request.scope.get("session")
    if not isinstance(session, dict):
        return None
    value = session.pop(FEED_URL_KEY, None)
    return value if isinstance(value, str) else None
