"""The room finder: ``/rooms?building=&date=&start=&end=&attendees=&amenity=`` lists the rooms that fit, each with
its day as a timeline, and books one (``POST /rooms/bookings``, post/redirect/get), inviting colleagues named by
e-mail address or NIP, one per line (resolved here to people; the booking service checks the invitations).

Which rooms are offered is the room search service's answer (``bookings/room_search.py``): the rooms booking would
accept. A room that requires approval says so, and its booking's answer says it waits for approval.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from litestar import Request, get, post
from litestar.params import FromQuery, QueryParameter
from litestar.response import Redirect, Template

from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.bookings.requests import BookRoomRequest
from smartoffice.bookings.room_search import RoomDay, RoomQuery, RoomSearch
from smartoffice.errors import DomainError
from smartoffice.i18n import Language, gettext
from smartoffice.places.models import Building
from smartoffice.runtime import Runtime, runtime_of
from smartoffice.web.admin.places_forms import AMENITY_NAMES
from smartoffice.web.context import acting_employee_id, current_viewer
from smartoffice.web.errors import PageError
from smartoffice.web.flash import see_other_with_error
from smartoffice.web.forms import (
    FormError,
    idempotency_key,
    optional_date,
    optional_int,
    optional_time,
    required_date,
    required_int,
)
from smartoffice.web.identity import see_other
from smartoffice.web.language import language_of

AMENITIES = ("video_conference", "whiteboard", "accessible", "quiet", "monitor")
"""The equipment a meeting can ask for, in the finder's order (``places.api.types.Amenity`` values)."""
DEFAULT_START, DEFAULT_END = time(9, 0), time(10, 0)
MAX_ATTENDEES = 1000
INVITE_KEY = "rooms_invite"
"""A refused booking's "Invite colleagues" text waits in the session for the page it redirects to (not retyped)."""
MAX_INVITE_TEXT = 2000
INVITE_SEPARATORS = re.compile(r"[\n\r,;]+")


@dataclass(frozen=True, slots=True)
class Search:
    """The finder's form, as asked (defaults filled in)."""

    building_id: int | None
    day: date | None
    start: time
    end: time
    attendees: int
    amenities: tuple[str, ...]

    def query_string(self, **extra: object) -> str:
        pairs: list[tuple[str, object]] = [
            ("building", self.building_id or ""),
            ("date", self.day.isoformat() if self.day else ""),
            ("start", f"{self.start:%H:%M}"),
            ("end", f"{self.end:%H:%M}"),
            ("attendees", self.attendees),
            *(("amenity", a) for a in self.amenities),
            *((k, v) for k, v in extra.items() if v is not None),
        ]
        return urlencode([(k, v) for k, v in pairs if v != ""])

    def url(self, **extra: object) -> str:
        return "/rooms?" + self.query_string(**extra)


@dataclass(frozen=True, slots=True)
class Segment:
    """A span of the room's day on its timeline: ``left`` and ``width`` in per cent of its hours."""

    kind: str
    """``booked``, ``pending``, ``mine``, ``closed`` or ``asked`` (the window searched for)."""
    left: float
    width: float
    start: time
    end: time
    label: str


@dataclass(frozen=True, slots=True)
class RoomView:
    day: RoomDay
    segments: list[Segment]
    hour_marks: list[tuple[float, str, str]]
    """(per cent from the left, HH:00, SVG text-anchor)."""
    reason: str | None
    """Why it is not offered, in the page's language (rooms that fit but are not free)."""


@dataclass(frozen=True, slots=True)
class RoomsPage:
    search: Search
    buildings: list[Building]
    building: Building | None
    found: RoomSearch | None
    offered: list[RoomView]
    not_offered: list[RoomView]
    booked: Booking | None
    invited: tuple[str, ...] = ()
    """The names of the colleagues invited to ``booked``."""
    invite_room_id: int | None = None
    invite_text: str = ""
    """What a refused booking of ``invite_room_id`` invited, to show again in its form."""


@get("/rooms", name="rooms")
async def rooms_page(
    request: Request[Any, Any, Any],
    building: FromQuery[str | None] = None,
    day: Annotated[str | None, QueryParameter(name="date")] = None,
    start: FromQuery[str | None] = None,
    end: FromQuery[str | None] = None,
    attendees: FromQuery[str | None] = None,
    amenity: Annotated[list[str] | None, QueryParameter(name="amenity")] = None,
    booked: FromQuery[str | None] = None,
) -> Template:
    language = language_of(request)
    runtime = runtime_of(request)
    viewer = await current_viewer(request)
    error: PageError | None = None
    try:
        search = read_search(building, day, start, end, attendees, amenity or [])
    except FormError as exc:
        search, error = Search(None, None, DEFAULT_START, DEFAULT_END, 1, ()), PageError.of(exc, language)
    page = await build_rooms_page(runtime, search, viewer.id if viewer else None, language)
    just_booked = None
    invited: tuple[str, ...] = ()
    if viewer is not None and (booking_id := _quiet_int(booked)) is not None:
        just_booked = await runtime.bookings.find(viewer.id, booking_id)
        if just_booked is not None:
            invited = tuple(e.name for e in (await runtime.bookings.attendees_of([booking_id])).get(booking_id, []))
    invite_room_id, invite_text = _take_invite(request)
    page = RoomsPage(
        page.search,
        page.buildings,
        page.building,
        page.found,
        page.offered,
        page.not_offered,
        just_booked,
        invited,
        invite_room_id,
        invite_text,
    )
    return Template(
        template_name="rooms.html",
        context={
            "page": page,
            "viewer": viewer,
            "nav_current": "rooms",
            "error": error,
            "amenities": AMENITIES,
            "amenity_names": AMENITY_NAMES,
            "booked_words": booked_words(just_booked, language) if just_booked else None,
        },
        status_code=error.status if error else 200,
    )


@post("/rooms/bookings", name="book-room")
async def book_room(request: Request[Any, Any, Any]) -> Redirect:
    form = await request.form()
    language = language_of(request)
    try:
        search = read_search(
            form.get("building"),
            form.get("date"),
            form.get("start"),
            form.get("end"),
            form.get("attendees"),
            form.getall("amenity", []),
        )
    except FormError as exc:  # a mangled form: nothing is booked, the finder says why
        return see_other_with_error(request, "/rooms", PageError.of(exc, language))
    viewer_id = acting_employee_id(request)
    if viewer_id is None:
        return see_other("/?" + urlencode({"notice": "pick_identity", "next": search.url()}))
    invite = str(form.get("invite") or "")
    try:
        room_id = required_int(form.get("room_id"), "room_id")
        day = required_date(form.get("date"))
        booking_start = optional_time(form.get("start"), "start")
        booking_end = optional_time(form.get("end"), "end")
        if booking_start is None or booking_end is None:
            raise FormError("start" if booking_start is None else "end", "missing_time")  # the finder always sends both
        title = str(form.get("title") or "").strip() or None
        bookings = runtime_of(request).bookings
        attendee_ids = tuple(await bookings.attendee_ids_for(invite_entries(invite)))
        # The number attending counts the colleagues invited and the person: a form left at its default of 1 is
        # raised to that rather than refused (the service still refuses more invitations than the room seats).
        attendees = max(search.attendees, len(attendee_ids) + 1)
        request_ = BookRoomRequest(room_id, day, booking_start, booking_end, attendees, title, None, attendee_ids)
        booking = await bookings.book_room(viewer_id, request_, idempotency_key=idempotency_key(form))
    except (DomainError, FormError) as exc:
        redirect = see_other_with_error(request, search.url(), PageError.of(exc, language))
        _keep_invite(request, form.get("room_id"), invite)
        return redirect
    return see_other(search.url(booked=booking.id) + "#booked")


def invite_entries(text: str) -> list[str]:
    """The "Invite colleagues" field's entries: one per line (commas and semicolons also separate, as pasted from
    a mail client's address line), blanks ignored."""
    return [entry.strip() for entry in INVITE_SEPARATORS.split(text) if entry.strip()]


def _keep_invite(request: Request[Any, Any, Any], room_id: object, text: str) -> None:
    session = request.scope.get("session")
    if isinstance(session, dict) and text.strip() and isinstance(room_id, str) and room_id.isdigit():
        session[INVITE_KEY] = {"room": int(room_id), "text": text[:MAX_INVITE_TEXT]}


def _take_invite(request: Request[Any, Any, Any]) -> tuple[int | None, str]:
    session = request.scope.get("session")
    kept = session.pop(INVITE_KEY) if isinstance(session, dict) and INVITE_KEY in session else None
    if not isinstance(kept, dict) or not isinstance(kept.get("room"), int) or not isinstance(kept.get("text"), str):
        return None, ""
    return kept["room"], kept["text"]


def read_search(
    building: object, day: object, start: object, end: object, attendees: object, amenities: list[Any]
) -> Search:
    def text(value: object) -> str | None:
        return value if isinstance(value, str) else None

    count = optional_int(text(attendees), "attendees") or 1
    if count > MAX_ATTENDEES:
        raise FormError("attendees", "invalid_attendees")
    return Search(
        optional_int(text(building), "building"),
        optional_date(text(day)),
        optional_time(text(start), "start") or DEFAULT_START,
        optional_time(text(end), "end") or DEFAULT_END,
        count,
        tuple(a for a in AMENITIES if a in {str(x) for x in amenities}),
    )


async def build_rooms_page(runtime: Runtime, search: Search, viewer_id: int | None, language: Language) -> RoomsPage:
    buildings = [b for site in await runtime.places.sites() for b in site.buildings]
    building = next((b for b in buildings if b.id == search.building_id), buildings[0] if buildings else None)
    if building is None:
        return RoomsPage(search, buildings, None, None, [], [], None)
    day = search.day or _today(runtime.clock(), building.time_zone)
    search = Search(building.id, day, search.start, search.end, search.attendees, search.amenities)
    query = RoomQuery(building.id, day, search.start, search.end, search.attendees, frozenset(search.amenities))
    found = await runtime.room_search.search(query, viewer_id)
    if found is None:
        return RoomsPage(search, buildings, building, None, [], [], None)
    views = [room_view(r, search, language) for r in found.rooms]
    offered = [v for v in views if v.day.is_offered]
    not_offered = [v for v in views if not v.day.is_offered]
    return RoomsPage(search, buildings, building, found, offered, not_offered, None)


def room_view(room_day: RoomDay, search: Search, language: Language) -> RoomView:
    reason = room_day.refusal.message_in(language) if room_day.refusal else None
    if room_day.hours is None:
        return RoomView(room_day, [], [], reason)
    zone = ZoneInfo(room_day.room.floor.building.time_zone)
    opens, closes = room_day.hours
    first, span = _minutes(opens), max(_minutes(closes) - _minutes(opens), 1)

    def segment(kind: str, start: time, end: time, label: str) -> Segment | None:
        left = max(_minutes(start) - first, 0)
        right = min(_minutes(end) - first, span)
        if right <= left:
            return None
        return Segment(kind, round(100 * left / span, 2), round(100 * (right - left) / span, 2), start, end, label)

    def local(instant: datetime) -> time:
        return instant.astimezone(zone).time()

    segments: list[Segment | None] = []
    for booked in room_day.booked:
        kind = "mine" if booked.is_mine else "pending" if booked.status == BookingStatus.PENDING else "booked"
        label = booked.title or (
            gettext(language, "Waiting for approval")
            if booked.status == BookingStatus.PENDING
            else gettext(language, "Booked")
        )
        segments.append(segment(kind, local(booked.start_at), _end_of(local(booked.end_at)), label))
    for closed in room_day.closed:
        segments.append(segment("closed", local(closed.start_at), _end_of(local(closed.end_at)), closed.reason))
    segments.append(segment("asked", search.start, search.end, gettext(language, "Your meeting")))
    step = 3 if span > 8 * 60 else 2 if span > 4 * 60 else 1
    marks = []
    for hour in range(-(-first // 60), (first + span) // 60 + 1, step):
        left = round(100 * (hour * 60 - first) / span, 2)
        marks.append((left, f"{hour:02d}:00", "start" if left < 5 else "end" if left > 95 else "middle"))
    return RoomView(room_day, [s for s in segments if s is not None], marks, reason)


def booked_words(booking: Booking, language: Language) -> str:
    room = booking.space.name or booking.space.code
    zone = ZoneInfo(booking.space.floor.building.time_zone)
    start, end = booking.start_at.astimezone(zone), booking.end_at.astimezone(zone)
    params = {"room": room, "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"}
    if booking.status == BookingStatus.PENDING:
        return gettext(language, "%(room)s is requested for %(start)s–%(end)s and is waiting for approval.", **params)
    return gettext(language, "%(room)s is booked for you, %(start)s–%(end)s.", **params)


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _end_of(moment: time) -> time:
    """A span ending at local midnight ends at the end of the day on the timeline."""
    return time(23, 59) if moment == time(0, 0) else moment


def _today(now: datetime, time_zone: str) -> date:
    return now.astimezone(ZoneInfo(time_zone)).date()


def _quiet_int(value: str | None) -> int | None:
    try:
        return optional_int(value, "booked")
    except FormError:
        return None
