"""The home page: who you are acting as (the demo identity), your upcoming bookings (with a check-in link while
check-in is open), and every floor with its free desks on the day and your team's floor marked."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from litestar import Request, get
from litestar.params import FromQuery, QueryParameter
from litestar.response import Template

from smartoffice.availability.slots import LocalDay
from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.i18n import DEFAULT_LANGUAGE, Language, gettext
from smartoffice.places.models import Site, SpaceKind
from smartoffice.runtime import runtime_of
from smartoffice.web.context import Viewer, current_viewer
from smartoffice.web.errors import PageError
from smartoffice.web.floor_view import local_today
from smartoffice.web.forms import FormError, local_path, optional_date
from smartoffice.web.home_floors import free_desks_by_floor
from smartoffice.web.language import language_of

DEFAULT_TIME_ZONE = "Asia/Makassar"
"""WITA, where IKN's offices are: the date the home page offers before one is chosen."""
SEARCH_LIMIT = 20
UPCOMING_LIMIT = 10


@dataclass(frozen=True, slots=True)
class EmployeeMatch:
    id: int
    name: str
    unit_name: str
    organisation_name: str


@dataclass(frozen=True, slots=True)
class FloorEntry:
    id: int
    name: str
    level: int
    free_desks: int | None = None
    """Free desks on the page's day (``home_floors``); ``None`` when it could not be read."""
    is_team_floor: bool = False
    """Where most of the viewer's unit colleagues are booked that day, else their unit's zone's floor."""


@dataclass(frozen=True, slots=True)
class BuildingEntry:
    name: str
    code: str
    opens_at: time
    closes_at: time
    floors: Sequence[FloorEntry]


@dataclass(frozen=True, slots=True)
class SiteEntry:
    name: str
    code: str
    buildings: Sequence[BuildingEntry]


@dataclass(frozen=True, slots=True)
class UpcomingBooking:
    id: int
    day: date
    start: time
    end: time
    desk_code: str
    floor_id: int
    floor_name: str
    building_name: str
    reason: str | None = None
    space_id: int = 0
    label: str = ""
    """``Desk T2-3-A9`` or the room's name."""
    can_check_in: bool = False
    """Booked, and its check-in is open now: the list links to the space's check-in page."""
    """Why someone else cancelled it (the "Cancelled for you" list)."""


@dataclass(frozen=True, slots=True)
class HomePage:
    viewer: Viewer | None
    query: str
    matches: Sequence[EmployeeMatch] | None
    """``None`` when nobody searched; empty when a search found no one."""
    sites: Sequence[SiteEntry]
    day: date
    day_chosen: bool
    """Floor links carry the date only when the visitor picked one (else each building's own today)."""
    upcoming: Sequence[UpcomingBooking]
    has_more_upcoming: bool
    cancelled: Sequence[UpcomingBooking]
    """Bookings of the viewer that a closure or a change to the place cancelled, not yet past, with the reason."""
    next: str
    """Where acting as someone returns to (a floor page that asked who you are, or home)."""


@get("/", name="home")
async def home(
    request: Request[Any, Any, Any],
    q: FromQuery[str] = "",
    day: Annotated[str | None, QueryParameter(name="date")] = None,
    notice: FromQuery[str | None] = None,
    next_: Annotated[str | None, QueryParameter(name="next")] = None,
) -> Template:
    error = None
    try:
        chosen = optional_date(day)
    except FormError as exc:
        chosen, error = None, PageError.of(exc, language_of(request))
    return await render_home(request, query=q, day=chosen, notice=notice, error=error, next_path=next_)


async def render_home(
    request: Request[Any, Any, Any],
    *,
    query: str = "",
    day: date | None = None,
    notice: str | None = None,
    error: PageError | None = None,
    next_path: str | None = None,
) -> Template:
    runtime = runtime_of(request)
    viewer = await current_viewer(request)
    query = query.strip()[:100]
    sites = await runtime.places.sites()
    found = await runtime.people.search(query, SEARCH_LIMIT) if query else None
    upcoming: list[UpcomingBooking] = []
    cancelled: list[UpcomingBooking] = []
    has_more = False
    language = language_of(request)
    shown_day = day or local_today(DEFAULT_TIME_ZONE, runtime.clock())
    team_floor_id: int | None = None
    if viewer is not None:
        page = await runtime.bookings.upcoming(viewer.id, first=UPCOMING_LIMIT)
        opens = await runtime.my_bookings.check_in_opens(page.bookings)
        now = runtime.clock()
        upcoming = [_upcoming(b, language, opens.get(b.id), now) for b in page.bookings]
        has_more = page.has_next
        cancelled = [_upcoming(b, language) for b in await runtime.bookings.cancelled_for(viewer.id)]
        team = await runtime.my_bookings.team_floor(viewer.id, LocalDay(shown_day, DEFAULT_TIME_ZONE))
        team_floor_id = team.floor_id if team else None
    free = await free_desks_by_floor(runtime, [f.id for s in sites for b in s.buildings for f in b.floors], shown_day)
    matches = None
    if found is not None:
        matches = [EmployeeMatch(e.id, e.name, e.org_unit.name, e.org_unit.organisation.name) for e in found]
    page_model = HomePage(
        viewer=viewer,
        query=query,
        matches=matches,
        sites=[_site(site, free, team_floor_id) for site in sites],
        day=shown_day,
        day_chosen=day is not None,
        upcoming=upcoming,
        has_more_upcoming=has_more,
        cancelled=cancelled,
        next=local_path(next_path),
    )
    return Template(
        template_name="home.html",
        context={"page": page_model, "viewer": viewer, "notice": notice, "error": error},
        status_code=error.status if error else 200,
    )


def _site(site: Site, free: Mapping[int, int], team_floor_id: int | None) -> SiteEntry:
    return SiteEntry(
        site.name,
        site.code,
        [
            BuildingEntry(
                b.name,
                b.code,
                b.opens_at,
                b.closes_at,
                [FloorEntry(f.id, f.name, f.level, free.get(f.id), f.id == team_floor_id) for f in b.floors],
            )
            for b in site.buildings
        ],
    )


def _upcoming(
    booking: Booking, language: Language = DEFAULT_LANGUAGE, opens: datetime | None = None, now: datetime | None = None
) -> UpcomingBooking:
    space = booking.space
    floor = space.floor
    zone = ZoneInfo(floor.building.time_zone)
    start, end = booking.start_at.astimezone(zone), booking.end_at.astimezone(zone)
    return UpcomingBooking(
        id=booking.id,
        day=start.date(),
        start=start.time(),
        end=end.time(),
        desk_code=booking.space.code,
        floor_id=floor.id,
        floor_name=floor.name,
        building_name=floor.building.name,
        reason=booking.cancel_reason,
        space_id=space.id,
        label=gettext(language, "Desk %(code)s", code=space.code)
        if space.kind == SpaceKind.DESK
        else space.name or space.code,
        can_check_in=booking.status == BookingStatus.BOOKED
        and opens is not None
        and now is not None
        and opens <= now < booking.end_at,
    )
