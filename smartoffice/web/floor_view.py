"""The floor page's view-model: a floor's plan and each desk's status for one local day, ready to draw.

Built from the services only (places, availability, bookings); the template does no work beyond looping.
A desk's status for the day is taken over the building's opening hours, the span a whole-day booking covers.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from smartoffice.availability.service import FloorOccupancy, window_slots
from smartoffice.availability.slots import FREE, SLOT, LocalDay
from smartoffice.bookings.models import Booking
from smartoffice.places import service as places
from smartoffice.places.models import Space, SpaceKind
from smartoffice.runtime import Runtime

MINE = "mine"
"""A status beyond the availability service's three: the viewer holds this desk on the day."""
STATUSES = ("free", "partially_booked", "booked", MINE)


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
class DeskView:
    id: int
    code: str
    zone_name: str | None
    amenities: Sequence[str]
    shape: Shape
    status: str
    """One of :data:`STATUSES`."""
    my_booking_id: int | None

    @property
    def short_code(self) -> str:
        """What fits on the desk in the plan: the last part of the code (``B14`` of ``T2-3-B14``)."""
        return self.code.rsplit("-", 1)[-1]

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
) -> FloorPage:
    """Raises NotFound when the floor does not exist."""
    async with runtime.db.read() as session:
        floor = await places.get_floor(session, floor_id)
        building = await places.get_building(session, floor.building_id)
        spaces = await places.list_spaces(session, [floor_id])
    today = local_today(building.time_zone, runtime.bookings.clock())
    local_day = LocalDay(day or today, building.time_zone)
    occupancy = await runtime.availability.floor_day(floor_id, building.time_zone, local_day.day)
    window = window_slots(local_day, building.opens_at, building.closes_at)
    mine: dict[int, Booking] = {}
    if viewer_id is not None:
        mine = {b.space_id: b for b in await runtime.bookings.on_day(viewer_id, local_day)}
    zone_names = {zone.id: zone.name for zone in floor.zones}
    desks = sorted(
        (
            _desk(space, occupancy, window, mine.get(space.id), zone_names)
            for space in spaces
            if space.kind == SpaceKind.DESK
        ),
        key=lambda desk: natural_key(desk.code),
    )
    selected = next((desk for desk in desks if desk.id == selected_id), None)
    desk_ids = {desk.id for desk in desks}
    runs = _runs(occupancy, selected.id, window) if selected else ([], [])
    return FloorPage(
        floor_id=floor.id,
        floor_name=floor.name,
        building_name=building.name,
        time_zone=building.time_zone,
        opens_at=building.opens_at,
        closes_at=building.closes_at,
        width=floor.width,
        height=floor.height,
        day=local_day.day,
        today=today,
        floors=[FloorLink(f.id, f.name, f.level) for f in building.floors],
        zones=[ZoneView(z.code, z.name, Shape.of(z.x, z.y, z.width, z.height)) for z in floor.zones],
        rooms=[_room(space) for space in spaces if space.kind == SpaceKind.ROOM],
        desks=desks,
        selected=selected,
        taken=[_times(local_day, span) for span in runs[0]],
        suggested=_times(local_day, runs[1][0]) if runs[1] else None,
        has_desk_elsewhere=any(b.space_kind == SpaceKind.DESK and b.space_id not in desk_ids for b in mine.values()),
    )


def natural_key(code: str) -> tuple[str | int, ...]:
    """``T2-3-A9`` before ``T2-3-A10``: people read the numbers in desk codes as numbers."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", code))


def _desk(
    space: Space,
    occupancy: FloorOccupancy,
    window: tuple[int, int],
    my_booking: Booking | None,
    zone_names: dict[int, str],
) -> DeskView:
    return DeskView(
        id=space.id,
        code=space.code,
        zone_name=zone_names.get(space.zone_id) if space.zone_id is not None else None,
        amenities=space.amenities or [],
        shape=_shape(space),
        status=MINE if my_booking else occupancy.status(space.id, window).value,
        my_booking_id=my_booking.id if my_booking else None,
    )


def _room(space: Space) -> RoomView:
    return RoomView(space.code, space.name or space.code, space.capacity, _shape(space))


def _shape(space: Space) -> Shape:
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
