"""The floor page's view-model: a floor's plan and each desk's status for one local day, ready to draw.

Built from the services only (the per-process floor layout cache, availability, bookings); the template does no
work beyond looping. What does not depend on the day (shapes, the desks' SVG) is built once per layout.
A desk's status for the day is taken over the building's hours that day, the span a whole-day booking covers;
a desk the viewer cannot book that day (closed, a holiday, assigned to someone else, a full quota: decided by
``availability.unavailable``, the booking checks' own predicates) is ``unavailable``, with the reason.
Who booked a desk is named only as the API would name them (``bookings.occupants``: the same SQL and privacy
predicates), and the viewer's own org unit is "your team". The day-independent drawing is ``floor_plan``'s.
"""

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from markupsafe import Markup

from smartoffice.availability.service import FloorOccupancy
from smartoffice.availability.slots import FREE, SLOT, LocalDay
from smartoffice.availability.unavailable import FloorTruth, Unavailability, whole_day_window
from smartoffice.bookings.models import Booking
from smartoffice.bookings.occupants import FloorWindow, SpaceBooking
from smartoffice.i18n import DEFAULT_LANGUAGE, Language
from smartoffice.places.models import SpaceKind
from smartoffice.quotas.standing import QuotaStanding
from smartoffice.runtime import Runtime
from smartoffice.web.floor_html import Words, list_rows, plan_desks
from smartoffice.web.floor_plan import DeskPlan, FloorDrawing, FloorLink, PlanView, RoomView, ZoneView, drawing_of

MINE = "mine"
"""A status beyond the availability service's: the viewer holds this desk on the day."""
UNAVAILABLE = "unavailable"
"""The viewer cannot book this desk that day, whatever its bookings (``DeskView.unavailable`` says why)."""
STATUSES = ("free", "partially_booked", "booked", UNAVAILABLE, MINE)
NO_ATTRIBUTES = Markup()
UNMATCHED = Markup(' data-match="no"')
TEAM = Markup(' data-team="true"')


@dataclass(frozen=True, slots=True)
class DeskView:
    plan: DeskPlan
    status: str
    """One of :data:`STATUSES`."""
    my_booking_id: int | None
    unavailable: Unavailability | None = None
    """Why the viewer cannot book the desk that day (status ``unavailable``)."""
    reason: str | None = None
    """``unavailable`` in the page's language."""
    occupants: Sequence[str] = ()
    """The names of those who booked the desk this day, as far as the viewer may know (the API's rules)."""
    team: bool = False
    """Someone of the viewer's own org unit booked the desk this day."""
    matches: bool = True
    """The desk has every amenity the visitor filters by."""
    plan_label: Markup | None = None
    """The plan's label when it names the occupant (``A9 · SR``), in place of ``plan.svg_label``."""
    marks: Markup = NO_ATTRIBUTES
    """The list row's extra attributes: the team and filter marks (usually none)."""
    attrs: Markup = NO_ATTRIBUTES
    """The plan link's extra attributes: ``plan.attrs`` and ``marks``."""

    @property
    def id(self) -> int:
        return self.plan.id

    @property
    def code(self) -> str:
        return self.plan.code

    @property
    def zone_name(self) -> str | None:
        return self.plan.zone_name

    @property
    def amenities(self) -> Sequence[str]:
        return self.plan.amenities

    @property
    def is_bookable(self) -> bool:
        return self.status in ("free", "partially_booked")


@dataclass(frozen=True, slots=True)
class TimeRange:
    start: time
    end: time


@dataclass(frozen=True, slots=True)
class ZoneCount:
    name: str
    free: int
    total: int
    code: str


@dataclass(frozen=True, slots=True)
class FloorPage:
    floor_id: int
    floor_name: str
    building_name: str
    building_id: int
    time_zone: str
    opens_at: time
    closes_at: time
    width: float
    height: float
    day: date
    today: date
    floors: Sequence[FloorLink]
    zones: Sequence[ZoneView]
    rooms: Sequence[RoomView]
    desks: Sequence[DeskView]
    selected: DeskView | None
    taken: Sequence[TimeRange]
    """When the selected desk is partly booked: the booked spans within opening hours."""
    suggested: TimeRange | None
    """The first free span of the selected desk, to prefill the booking form's times."""
    has_desk_elsewhere: bool
    """The viewer holds a desk on another floor that day (one desk per person at a time)."""
    closed: Unavailability | None = None
    """One reason closes the whole floor that day (a holiday, a closure of the floor or building, a closed
    weekday): the page says so at the top."""
    closed_reason: str | None = None
    """``closed`` in the page's language."""
    quotas: Sequence[QuotaStanding] = ()
    """The seat quotas binding the viewer on this floor that day."""
    plan_url: str | None = None
    """The floor's plan image, drawn under the desks."""
    view: PlanView | None = None
    """Where the plan is cropped to, and how big it is drawn."""
    amenities: Sequence[str] = ()
    """Every amenity on the floor's desks, for the filter."""
    chosen_amenities: Sequence[str] = ()
    """The amenities the visitor filters by (desks lacking one are dimmed on the plan and left out of the list)."""
    zone_counts: Sequence["ZoneCount"] = ()
    _counts: Mapping[str, int] = field(init=False, repr=False, compare=False)
    """Desks by status, counted once (the page asks up to seven times)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_counts", Counter(desk.status for desk in self.desks))

    @property
    def is_past(self) -> bool:
        return self.day < self.today

    @property
    def previous_day(self) -> date:
        return self.day - timedelta(days=1)

    @property
    def next_day(self) -> date:
        return self.day + timedelta(days=1)

    @property
    def holds_desk(self) -> bool:
        """The viewer holds a desk this day, on this floor or another."""
        return self.has_desk_elsewhere or any(desk.my_booking_id is not None for desk in self.desks)

    def count(self, status: str) -> int:
        return self._counts.get(status, 0)

    def plan_desk_links(
        self,
        desk_link: str,
        selected_id: int | None,
        labels: Mapping[str, Markup],
        desk_label: Markup,
        named_label: Markup,
        team_word: Markup,
    ) -> Markup:
        """The plan's desk links (``_floor_plan.html``), in the words the template looked up."""
        return plan_desks(self.desks, desk_link, selected_id, Words(labels, desk_label, named_label, team_word))

    def desk_list_rows(
        self,
        desk_link: str,
        can_book: bool,
        labels: Mapping[str, Markup],
        team_word: Markup,
        cancel_label: Markup,
        book_label: Markup,
        time_label: Markup,
    ) -> Markup:
        """The desk list's rows (``_desk_list.html``), in the words the template looked up."""
        words = Words(
            labels, team_word=team_word, cancel_label=cancel_label, book_label=book_label, time_label=time_label
        )
        return list_rows(self.desks, desk_link, bool(can_book), words)


def local_today(time_zone: str, now: datetime) -> date:
    return now.astimezone(ZoneInfo(time_zone)).date()


async def build_floor_page(
    runtime: Runtime,
    floor_id: int,
    day: date | None,
    viewer_id: int | None,
    selected_id: int | None = None,
    language: Language = DEFAULT_LANGUAGE,
    amenities: Collection[str] = (),
) -> FloorPage:
    """Raises NotFound when the floor does not exist. ``language`` words the reasons desks are unavailable;
    ``amenities`` filters the desks (those lacking one are marked, not dropped: the plan dims them)."""
    layout = await runtime.layouts.get(floor_id)
    building = layout.building
    plan = drawing_of(layout)
    today = local_today(building.time_zone, runtime.clock())
    local_day = LocalDay(day or today, building.time_zone)
    opens_at, closes_at = whole_day_window(layout, local_day)
    occupancy = await runtime.availability.floor_day(floor_id, building.time_zone, local_day.day)
    truth = await runtime.availability.truth(
        layout, local_day.day, viewer_id, opens_at, closes_at, layouts=runtime.layouts
    )
    window = truth.slots(local_day)
    mine: dict[int, Booking] = {}
    people = _People()
    if viewer_id is not None:
        mine = {b.space_id: b for b in await runtime.bookings.on_day(viewer_id, local_day)}
        people = await _people(runtime, floor_id, local_day.at(opens_at), local_day.at(closes_at), viewer_id)
    chosen = tuple(a for a in plan.amenities if a in amenities)
    words: dict[int, str] = {}  # by id of the Unavailability: one wording per closure, not per desk
    desks = [
        _desk(desk, occupancy, window, mine.get(desk.id), truth, language, words, people, chosen) for desk in plan.desks
    ]
    selected = next((desk for desk in desks if desk.id == selected_id), None)
    runs = _runs(occupancy, selected.id, window) if selected else ([], [])
    return FloorPage(
        floor_id=layout.id,
        floor_name=layout.name,
        building_name=building.name,
        building_id=building.id,
        time_zone=building.time_zone,
        opens_at=opens_at,
        closes_at=closes_at,
        width=layout.width,
        height=layout.height,
        day=local_day.day,
        today=today,
        floors=plan.floors,
        zones=plan.zones,
        rooms=plan.rooms,
        desks=desks,
        selected=selected,
        taken=[_times(local_day, span) for span in runs[0]],
        suggested=_times(local_day, runs[1][0]) if runs[1] else None,
        has_desk_elsewhere=any(
            b.space_kind == SpaceKind.DESK and b.space_id not in plan.desk_ids for b in mine.values()
        ),
        closed=truth.whole_floor,
        closed_reason=truth.whole_floor.message_in(language) if truth.whole_floor else None,
        quotas=truth.quotas,
        plan_url=layout.plan_url,
        view=plan.view,
        amenities=plan.amenities,
        chosen_amenities=chosen,
        zone_counts=_zone_counts(plan, desks),
    )


@dataclass(frozen=True, slots=True)
class _People:
    """Who holds which desk this day, as far as the viewer may know, and which of them are the viewer's team."""

    names: dict[int, list[str]] | None = None
    team_desks: frozenset[int] = frozenset()


async def _people(runtime: Runtime, floor_id: int, start_at: datetime, end_at: datetime, viewer_id: int) -> _People:
    """The occupants through the API's own query and privacy predicates (``bookings.occupants``: a name only
    where ``Viewer.may_see_presence`` allows); the viewer's team are those placed in the viewer's org unit."""
    [bookings] = await runtime.bookings.occupants(
        [FloorWindow(floor_id, start_at, end_at)], viewer_id, may_see_names=True
    )
    visible = [b for b in bookings if b.occupant_id is not None and b.occupant_id != viewer_id]
    if not visible:
        return _People()
    ids = {viewer_id} | {b.occupant_id for b in visible if b.occupant_id is not None}
    people = await runtime.people.employees_by_id(sorted(ids))
    me = people.get(viewer_id)
    names: dict[int, list[str]] = {}
    team: set[int] = set()
    for booking in visible:
        _name_once(names.setdefault(booking.space_id, []), booking)
        person = people.get(booking.occupant_id) if booking.occupant_id is not None else None
        if me is not None and person is not None and person.org_unit_id == me.org_unit_id:
            team.add(booking.space_id)
    return _People(names, frozenset(team))


def _name_once(names: list[str], booking: SpaceBooking) -> None:
    if booking.occupant_name and booking.occupant_name not in names:
        names.append(booking.occupant_name)


def _zone_counts(plan: FloorDrawing, desks: Sequence[DeskView]) -> list[ZoneCount]:
    free: dict[int | None, int] = {}
    total: dict[int | None, int] = {}
    for desk in desks:
        zone = desk.plan.zone_id
        total[zone] = total.get(zone, 0) + 1
        if desk.status == "free":
            free[zone] = free.get(zone, 0) + 1
    return [
        ZoneCount(name, free.get(zone_id, 0), total[zone_id], code)
        for zone_id, name, code in plan.zone_names
        if total.get(zone_id)
    ]


def initials(name: str) -> str:
    """``Siti Rahmawati`` → ``SR``: what fits of a name on a desk."""
    return "".join(word[0] for word in name.split()[:2] if word).upper()


def _desk(
    desk: DeskPlan,
    occupancy: FloorOccupancy,
    window: tuple[int, int],
    my_booking: Booking | None,
    truth: FloorTruth,
    language: Language,
    words: dict[int, str],
    people: _People,
    chosen: Sequence[str],
) -> DeskView:
    matches = all(a in desk.amenities for a in chosen) if chosen else True
    marks = NO_ATTRIBUTES if matches else UNMATCHED
    if my_booking:
        attrs = desk.attrs + marks if marks else desk.attrs
        return DeskView(desk, MINE, my_booking.id, matches=matches, marks=marks, attrs=attrs)
    names = people.names.get(desk.id, ()) if people.names else ()
    team = desk.id in people.team_desks
    if team:
        marks += TEAM
    attrs = desk.attrs + marks if marks else desk.attrs
    label = _named_label(desk, names[0]) if names else None
    why = truth.of(desk.id)
    if why is not None:
        if id(why) not in words:
            words[id(why)] = why.message_in(language)
        return DeskView(
            plan=desk,
            status=UNAVAILABLE,
            my_booking_id=None,
            unavailable=why,
            reason=words[id(why)],
            occupants=names,
            team=team,
            matches=matches,
            marks=marks,
            attrs=attrs,
        )
    status = occupancy.status(desk.id, window).value
    return DeskView(desk, status, None, None, None, names, team, matches, label, marks, attrs)


def _named_label(desk: DeskPlan, name: str) -> Markup | None:
    """``A9 · SR`` when it fits across the desk at the labels' size; otherwise the name is only in the desk's
    accessible name and title (never a smaller font)."""
    text = f"{desk.short_code} · {initials(name)}"
    if len(text) > desk.label_room:
        return None
    s = desk.shape
    return Markup('<text class="desk__label" x="{}" y="{}">{}</text>').format(s.cx, s.cy, text)


def _runs(
    occupancy: FloorOccupancy, space_id: int, window: tuple[int, int]
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The taken and the free slot spans of one space within ``window``, each as ``[first, last)``."""
    first, last = window
    slots = occupancy.slots.get(space_id, occupancy.day.empty())
    taken: list[tuple[int, int]] = []
    free: list[tuple[int, int]] = []
    start = first
    for index in range(first + 1, last + 1):
        if index == last or slots[index] != slots[start]:
            (free if slots[start] == FREE else taken).append((start, index))
            start = index
    return taken, free


def _times(day: LocalDay, span: tuple[int, int]) -> TimeRange:
    def local(slot: int) -> time:
        return (day.start_at + slot * SLOT).astimezone(day.zone).time()

    return TimeRange(local(span[0]), local(span[1]))
