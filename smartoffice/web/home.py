"""The home page: who you are acting as (the demo identity), your upcoming bookings, and every floor."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from litestar import Request, get
from litestar.params import FromQuery, QueryParameter
from litestar.response import Template

from smartoffice.bookings.models import Booking
from smartoffice.places.models import Site
from smartoffice.runtime import runtime_of
from smartoffice.web.context import Viewer, current_viewer
from smartoffice.web.errors import PageError
from smartoffice.web.floor_view import local_today
from smartoffice.web.forms import FormError, local_path, optional_date
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
    if viewer is not None:
        page = await runtime.bookings.upcoming(viewer.id, first=UPCOMING_LIMIT)
        upcoming, has_more = [_upcoming(b) for b in page.bookings], page.has_next
        cancelled = [_upcoming(b) for b in await runtime.bookings.cancelled_for(viewer.id)]
    matches = None
    if found is not None:
        matches = [EmployeeMatch(e.id, e.name, e.org_unit.name, e.org_unit.organisation.name) for e in found]
    page_model = HomePage(
        viewer=viewer,
        query=query,
        matches=matches,
        sites=[_site(site) for site in sites],
        day=day or local_today(DEFAULT_TIME_ZONE, runtime.clock()),
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


def _site(site: Site) -> SiteEntry:
    return SiteEntry(
        site.name,
        site.code,
        [
            BuildingEntry(
                b.name, b.code, b.opens_at, b.closes_at, [FloorEntry(f.id, f.name, f.level) for f in b.floors]
            )
            for b in site.buildings
        ],
    )


def _upcoming(booking: Booking) -> UpcomingBooking:
    floor = booking.space.floor
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
    )
