"""The "find a desk" page: free desks for a day across floors and buildings, nearest the team first.

``/find-desk?date=YYYY-MM-DD&building=ID&building=ID&floor=ID&near_team=1&amenity=docking&searched=1`` (a GET
form, so a search is a link one can share or reload). Each result books in one click: a POST form to the desk's
floor (``/floors/{floor_id}/bookings``, the floor page's own handler), which redirects to the booked desk on its
plan, or back there with the error shown once. ``searched`` tells a sent form (where an unticked "near my team"
sends nothing) from a first visit (where it is ticked).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from litestar import Request, get
from litestar.params import QueryParameter
from litestar.response import Template

from smartoffice import formats
from smartoffice.bookings.desk_search import DeskSearch, HeldDesk, SearchOptions
from smartoffice.bookings.nearby import DeskChoice
from smartoffice.errors import DomainError
from smartoffice.i18n import Language, gettext, ngettext
from smartoffice.places.closures import DEFAULT_TIME_ZONE
from smartoffice.runtime import runtime_of
from smartoffice.web.admin.places_forms import AMENITY_NAMES
from smartoffice.web.context import current_viewer
from smartoffice.web.errors import PageError
from smartoffice.web.floor import floor_url
from smartoffice.web.forms import FormError, optional_date, optional_int
from smartoffice.web.language import language_of

RESULTS = 20
"""Choices the page lists."""


@dataclass(frozen=True, slots=True)
class ChoiceRow:
    """One result as the page shows it."""

    space_id: int
    code: str
    floor_id: int
    place: str
    """Building · floor · zone."""
    amenities: str
    nearness: str
    """"3 m from a teammate · 2 teammates on this floor", or empty."""
    plan_url: str
    book_url: str


@dataclass(frozen=True, slots=True)
class FindDeskPage:
    day: date
    building_ids: frozenset[int]
    floor_id: int | None
    near_team: bool
    amenities: frozenset[str]
    options: SearchOptions
    amenity_names: Sequence[tuple[str, str]]
    rows: Sequence[ChoiceRow] | None
    """None when the search could not run (bad input: see the page's error)."""
    held: HeldDesk | None = None
    """The desk the person already holds that day: booking another would be refused (one desk at a time)."""
    held_url: str | None = None


@get("/find-desk", name="find-desk")
async def find_desk_page(
    request: Request[Any, Any, Any],
    day: Annotated[str | None, QueryParameter(name="date")] = None,
    building: Annotated[list[str] | None, QueryParameter(name="building")] = None,
    floor: Annotated[str | None, QueryParameter(name="floor")] = None,
    near_team: Annotated[str | None, QueryParameter(name="near_team")] = None,
    amenity: Annotated[list[str] | None, QueryParameter(name="amenity")] = None,
    searched: Annotated[str | None, QueryParameter(name="searched")] = None,
) -> Template:
    language = language_of(request)
    viewer = await current_viewer(request)
    runtime = runtime_of(request)
    error: PageError | None = None
    chosen_day, building_ids, floor_id = None, frozenset[int](), None
    try:
        chosen_day = optional_date(day)
        building_ids = frozenset(i for b in building or () if (i := optional_int(b, "building")) is not None)
        floor_id = optional_int(floor, "floor")
    except FormError as exc:
        error = PageError.of(exc, language)
    the_day = chosen_day or runtime.clock().astimezone(ZoneInfo(DEFAULT_TIME_ZONE)).date()
    wanted = frozenset(a for a in amenity or () if a)
    near = near_team is not None if searched else True
    rows: list[ChoiceRow] | None = None
    held: HeldDesk | None = None
    if viewer is not None and error is None:
        search = DeskSearch(
            day=the_day,
            building_ids=sorted(building_ids) or None,
            floor_ids=[floor_id] if floor_id is not None else None,
            amenities=sorted(wanted),
            near_team=near,
            limit=RESULTS,
        )
        try:
            found = await runtime.desk_search.find(viewer.id, search)
        except DomainError as exc:
            error = PageError.of(exc, language)
        else:
            rows = [_row(language, the_day, choice) for choice in found]
            held = await runtime.desk_search.held_desk(viewer.id, the_day)
    options = await runtime.desk_search.options()
    page = FindDeskPage(
        day=the_day,
        building_ids=building_ids,
        floor_id=floor_id,
        near_team=near,
        amenities=wanted,
        options=options,
        amenity_names=[(a, gettext(language, AMENITY_NAMES.get(a, a))) for a in options.amenities],
        rows=rows,
        held=held,
        held_url=floor_url(held.floor_id, the_day, desk=held.space_id) + "#desk-panel" if held else None,
    )
    return Template(
        template_name="desk_search.html",
        context={"page": page, "viewer": viewer, "error": error, "identity_next": str(request.url.path)},
        status_code=error.status if error else 200,
    )


def _row(language: Language, day: date, choice: DeskChoice) -> ChoiceRow:
    place = [choice.building_name, choice.floor_name] + ([choice.zone_name] if choice.zone_name else [])
    nearness = []
    if choice.distance_m is not None:
        metres = formats.number(language, max(1, round(choice.distance_m)))
        nearness.append(gettext(language, "%(metres)s m from a teammate", metres=metres))
    if choice.teammates_on_floor:
        nearness.append(
            ngettext(
                language,
                "%(num)d teammate on this floor",
                "%(num)d teammates on this floor",
                choice.teammates_on_floor,
            )
        )
    return ChoiceRow(
        space_id=choice.space_id,
        code=choice.code,
        floor_id=choice.floor_id,
        place=" · ".join(place),
        amenities=", ".join(gettext(language, AMENITY_NAMES.get(a, a)) for a in choice.amenities),
        nearness=" · ".join(nearness),
        plan_url=floor_url(choice.floor_id, day, desk=choice.space_id) + "#desk-panel",
        book_url=f"/floors/{choice.floor_id}/bookings",
    )
