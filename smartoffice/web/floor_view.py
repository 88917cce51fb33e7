"""The floor page's view-model: a floor's plan and each desk's status for one local day, ready to draw.

Built from the services only (the per-process floor layout cache, availability, bookings); the template does no
work beyond looping. What does not depend on the day (shapes, the desks' SVG) is built once per layout.
A desk's status for the day is taken over the building's hours that day, the span a whole-day booking covers;
a desk the viewer cannot book that day (closed, a holiday, assigned to someone else, a full quota: decided by
``availability.unavailable``, the booking checks' own predicates) is ``unavailable``, with the reason.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from markupsafe import Markup

from smartoffice.availability.service import FloorOccupancy, window_slots
from smartoffice.availability.slots import FREE, SLOT, LocalDay
from smartoffice.availability.unavailable import FloorTruth, Unavailability, whole_day_window
from smartoffice.bookings.models import Booking
from smartoffice.i18n import DEFAULT_LANGUAGE, Language
from smartoffice.places.layout import FloorLayout, SpaceLayout
from smartoffice.places.models import SpaceKind
from smartoffice.quotas.standing import QuotaStanding
from smartoffice.runtime import Runtime

MINE = "mine"
"""A status beyond the availability service's: the viewer holds this desk on the day."""
UNAVAILABLE = "unavailable"
"""The viewer cannot book this desk that day, whatever its bookings (``DeskView.unavailable`` says why)."""
STATUSES = ("free", "partially_booked", "booked", UNAVAILABLE, MINE)


@dataclass(frozen=True, slots=True)
class Shape:
    """A rectangle on the plan, in metres from the top-left corner, turned ``rotation`` degrees about its centre.

    The centre is stored, not derived: a 500-desk plan reads it several times per desk.
    """

    x: float
    y: float
    width: float
    height: float
    rotation: float
    cx: float
    cy: float

    @classmethod
    def of(cls, x: float, y: float, width: float, height: float, rotation: float = 0.0) -> "Shape":
        return cls(x, y, width, height, rotation, round(x + width / 2, 3), round(y + height / 2, 3))


@dataclass(frozen=True, slots=True)
class ZoneView:
    code: str
    name: str
    shape: Shape


@dataclass(frozen=True, slots=True)
class RoomView:
    code: str
    name: str
    capacity: int
    shape: Shape


@dataclass(frozen=True, slots=True)
class DeskPlan:
    """What a desk looks like on any day: built once per floor layout, reused by every request for that floor.

    ``svg_shape``, ``svg_label`` and ``svg_mark`` are the desk's SVG, escaped once here: a plan of a few hundred
    desks has thousands of interpolations, and escaping each on every request was most of the page's cost.
    """

    id: int
    code: str
    short_code: str
    """What fits on the desk in the plan: the last part of the code (``B14`` of ``T2-3-B14``)."""
    zone_name: str | None
    amenities: Sequence[str]
    shape: Shape
    svg_shape: Markup
    """The opening ``<g>`` (rotated when the desk is) and its rectangle."""
    svg_label: Markup
    """The desk's label and the closing ``</g>``."""
    svg_mark: Markup
    """The "yours" tick and the closing ``</g>``, in place of the label."""
    svg_blocked: Markup
    """The "unavailable" cross, the label and the closing ``</g>``, in place of the label."""
    list_cells: Markup
    """The desk list's zone and equipment cells."""


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
class FloorLink:
    id: int
    name: str
    level: int


@dataclass(frozen=True, slots=True)
class FloorPage:
    floor_id: int
    floor_name: str
    building_name: str
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

    @property
    def is_past(self) -> bool:
        return self.day < self.today

    @property
    def previous_day(self) -> date:
        return self.day - timedelta(days=1)

    @property
    def next_day(self) -> date:
        return self.day + timedelta(days=1)

    def count(self, status: str) -> int:
        return sum(1 for desk in self.desks if desk.status == status)


def local_today(time_zone: str, now: datetime) -> date:
    return now.astimezone(ZoneInfo(time_zone)).date()


async def build_floor_page(
    runtime: Runtime,
    floor_id: int,
    day: date | None,
    viewer_id: int | None,
    selected_id: int | None = None,
    language: Language = DEFAULT_LANGUAGE,
) -> FloorPage:
    """Raises NotFound when the floor does not exist. ``language`` words the reasons desks are unavailable."""
    layout = await runtime.layouts.get(floor_id)
    building = layout.building
    plan = _plan_of(layout)
    today = local_today(building.time_zone, runtime.clock())
    local_day = LocalDay(day or today, building.time_zone)
    opens_at, closes_at = whole_day_window(layout, local_day)
    occupancy = await runtime.availability.floor_day(floor_id, building.time_zone, local_day.day)
    truth = await runtime.availability.truth(
        layout, local_day.day, viewer_id, opens_at, closes_at, layouts=runtime.layouts
    )
    window = window_slots(local_day, opens_at, closes_at)
    mine: dict[int, Booking] = {}
    if viewer_id is not None:
        mine = {b.space_id: b for b in await runtime.bookings.on_day(viewer_id, local_day)}
    words: dict[int, str] = {}  # by id of the Unavailability: one wording per closure, not per desk
    desks = [_desk(desk, occupancy, window, mine.get(desk.id), truth, language, words) for desk in plan.desks]
    selected = next((desk for desk in desks if desk.id == selected_id), None)
    runs = _runs(occupancy, selected.id, window) if selected else ([], [])
    return FloorPage(
        floor_id=layout.id,
        floor_name=layout.name,
        building_name=building.name,
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
    )


def natural_key(code: str) -> tuple[str | int, ...]:
    """``T2-3-A9`` before ``T2-3-A10``: people read the numbers in desk codes as numbers."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", code))


@dataclass(frozen=True, slots=True)
class _FloorPlan:
    """The day-independent part of a floor page, derived from one :class:`FloorLayout`."""

    layout: FloorLayout
    floors: Sequence[FloorLink]
    zones: Sequence[ZoneView]
    rooms: Sequence[RoomView]
    desks: Sequence[DeskPlan]
    """In natural code order."""
    desk_ids: frozenset[int]


_plans: dict[int, _FloorPlan] = {}
"""Per process, by floor id; an entry serves only the very layout object it was built from (the layout cache
hands out a new object whenever the layout changes), so it is never stale."""


def _plan_of(layout: FloorLayout) -> _FloorPlan:
    plan = _plans.get(layout.id)
    if plan is None or plan.layout is not layout:
        plan = _plans[layout.id] = _build_plan(layout)
    return plan


def _build_plan(layout: FloorLayout) -> _FloorPlan:
    zone_names = {zone.id: zone.name for zone in layout.zones}
    desks = sorted((_desk_plan(space, zone_names) for space in layout.desks), key=lambda d: natural_key(d.code))
    return _FloorPlan(
        layout=layout,
        floors=[FloorLink(f.id, f.name, f.level) for f in layout.building_floors],
        zones=[ZoneView(z.code, z.name, Shape.of(z.x, z.y, z.width, z.height)) for z in layout.zones],
        rooms=[_room(space) for space in layout.spaces if space.kind == SpaceKind.ROOM],
        desks=desks,
        desk_ids=frozenset(d.id for d in desks),
    )


def _desk_plan(space: SpaceLayout, zone_names: dict[int, str]) -> DeskPlan:
    s = _shape(space)
    short_code = space.code.rsplit("-", 1)[-1]
    zone_name = zone_names.get(space.zone_id) if space.zone_id is not None else None
    turn = f' transform="rotate({s.rotation} {s.cx} {s.cy})"' if s.rotation else ""
    return DeskPlan(
        id=space.id,
        code=space.code,
        short_code=short_code,
        zone_name=zone_name,
        amenities=space.amenities,
        shape=s,
        svg_shape=Markup(f'<g{turn}><rect x="{s.x}" y="{s.y}" width="{s.width}" height="{s.height}" rx="0.1"/>'),
        svg_label=Markup('<text class="desk__label" x="{}" y="{}">{}</text></g>').format(s.cx, s.cy, short_code),
        svg_mark=Markup(f'<path class="desk__mark" d="M{round(s.cx - 0.22, 3)} {s.cy} l0.15 0.15 l0.3 -0.3"/></g>'),
        svg_blocked=Markup(
            f'<path class="desk__cross" d="M{round(s.x + 0.1, 3)} {round(s.y + 0.1, 3)} '
            f'L{round(s.x + s.width - 0.1, 3)} {round(s.y + s.height - 0.1, 3)}"/>'
        )
        + Markup('<text class="desk__label" x="{}" y="{}">{}</text></g>').format(s.cx, s.cy, short_code),
        list_cells=Markup("<td>{}</td><td>{}</td>").format(zone_name or "", ", ".join(space.amenities)),
    )


def _desk(
    desk: DeskPlan,
    occupancy: FloorOccupancy,
    window: tuple[int, int],
    my_booking: Booking | None,
    truth: FloorTruth,
    language: Language,
    words: dict[int, str],
) -> DeskView:
    if my_booking:
        return DeskView(plan=desk, status=MINE, my_booking_id=my_booking.id)
    why = truth.of(desk.id)
    if why is not None:
        if id(why) not in words:
            words[id(why)] = why.message_in(language)
        return DeskView(plan=desk, status=UNAVAILABLE, my_booking_id=None, unavailable=why, reason=words[id(why)])
    return DeskView(plan=desk, status=occupancy.status(desk.id, window).value, my_booking_id=None)


def _room(space: SpaceLayout) -> RoomView:
    return RoomView(space.code, space.name or space.code, space.capacity, _shape(space))


def _shape(space: SpaceLayout) -> Shape:
    return Shape.of(space.x, space.y, space.width, space.height, space.rotation or 0.0)


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
