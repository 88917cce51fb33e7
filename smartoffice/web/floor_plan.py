"""The floor plan as drawn, whatever the day: shapes, the crop and scale, and each desk's SVG, built once per floor
layout (``drawing_of``) and reused by every request for that floor (``floor_view`` adds the day).

Readable at every size (issue 13): the plan is drawn at a fixed scale in CSS pixels per metre, chosen so that the
smallest desk is at least ``TARGET_PX`` across and every desk's label fits inside it at ``LABEL_PX``; labels stay
upright (only a desk's rectangle turns with the desk); the view is cropped to what is drawn.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from smartoffice.places.codes import natural_key
from smartoffice.places.layout import FloorLayout, SpaceLayout
from smartoffice.places.models import SpaceKind

LABEL_PX = 13.0
"""The plan's desk labels are this many CSS pixels high at the default zoom (nothing under 12 px, WCAG 1.4.4)."""
TARGET_PX = 26.0
"""A desk's smaller side is at least this many CSS pixels at the default zoom (targets >= 24 px, WCAG 2.5.8)."""
BASE_SCALE = 32.0
"""Pixels per metre at the default zoom, unless the floor's smallest desk or longest label needs more."""
MAX_SCALE = 120.0
MARGIN = 0.6
"""Metres of floor kept around the plan's content when it is cropped to its desks, rooms and zones."""
CHAR_EM = 0.62
"""The width of a bold label character in ems (a generous average, so that a label that "fits" does)."""


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
    id: int
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
    zone_id: int | None
    zone_name: str | None
    amenities: Sequence[str]
    shape: Shape
    attrs: Markup
    """The plan link's day-independent attributes (the desk's equipment, for the amenity filter's script)."""
    svg_shape: Markup
    """The desk's rectangle, turned with the desk (the label is not: it stays upright, see ``svg_label``)."""
    svg_label: Markup
    """The desk's label, upright at its centre, ``LABEL_PX`` high at the default zoom."""
    svg_mark: Markup
    """The "yours" tick, upright at the desk's centre, in place of the label."""
    svg_blocked: Markup
    """The rectangle with the "unavailable" cross (turned with the desk) and the upright label."""
    list_cells: Markup
    """The desk list's zone and equipment cells."""
    label_room: float
    """How many label characters fit across the desk at the default zoom (to decide whether a name fits)."""
    code_html: Markup
    """``code``, escaped: the page writes it three times per desk (``web/floor_html.py``)."""


@dataclass(frozen=True, slots=True)
class FloorLink:
    id: int
    name: str
    level: int


@dataclass(frozen=True, slots=True)
class PlanView:
    """The plan's crop (metres) and its size at the default zoom (CSS pixels), decided once per layout."""

    x: float
    y: float
    width: float
    height: float
    scale: float
    """CSS pixels per metre at the default zoom."""
    font: float
    """The labels' font size in metres: ``LABEL_PX`` on screen at the default zoom."""

    @property
    def pixel_width(self) -> int:
        return math.ceil(self.width * self.scale)

    @property
    def pixel_height(self) -> int:
        return math.ceil(self.height * self.scale)

    @property
    def view_box(self) -> str:
        return f"{self.x} {self.y} {self.width} {self.height}"


@dataclass(frozen=True, slots=True)
class FloorDrawing:
    """The day-independent part of a floor page, derived from one :class:`FloorLayout`."""

    layout: FloorLayout
    floors: Sequence[FloorLink]
    zones: Sequence[ZoneView]
    rooms: Sequence[RoomView]
    desks: Sequence[DeskPlan]
    """In natural code order."""
    desk_ids: frozenset[int]
    view: PlanView
    amenities: Sequence[str]
    zone_names: Sequence[tuple[int | None, str, str]]
    """Each zone's id, name and code, and ``(None, "", "")`` for the desks in no zone."""
    """The zones in the layout's order, for the free counts."""


_drawings: dict[int, FloorDrawing] = {}
"""Per process, by floor id; an entry serves only the very layout object it was built from (the layout cache
hands out a new object whenever the layout changes), so it is never stale."""


def drawing_of(layout: FloorLayout) -> FloorDrawing:
    plan = _drawings.get(layout.id)
    if plan is None or plan.layout is not layout:
        plan = _drawings[layout.id] = _draw(layout)
    return plan


def _draw(layout: FloorLayout) -> FloorDrawing:
    zone_names = {zone.id: zone.name for zone in layout.zones}
    view = plan_view(layout)
    desks = sorted((_desk_plan(space, zone_names, view) for space in layout.desks), key=lambda d: natural_key(d.code))
    return FloorDrawing(
        layout=layout,
        floors=[FloorLink(f.id, f.name, f.level) for f in layout.building_floors],
        zones=[ZoneView(z.code, z.name, Shape.of(z.x, z.y, z.width, z.height)) for z in layout.zones],
        rooms=[_room(space) for space in layout.spaces if space.kind == SpaceKind.ROOM],
        desks=desks,
        desk_ids=frozenset(d.id for d in desks),
        view=view,
        amenities=sorted({a for space in layout.desks for a in space.amenities}),
        zone_names=[(z.id, z.name, z.code) for z in layout.zones] + [(None, "", "")],
    )


def plan_view(layout: FloorLayout) -> PlanView:
    """Crop to what is drawn (zones, desks, rooms, with a margin) and pick the default zoom: the smallest desk
    at least ``TARGET_PX`` across and every desk's label fitting inside it at ``LABEL_PX``."""
    spaces = [s for s in layout.spaces if s.kind in (SpaceKind.DESK, SpaceKind.ROOM)]
    boxes = [_bounds(_shape(s)) for s in spaces] + [(z.x, z.y, z.x + z.width, z.y + z.height) for z in layout.zones]
    if boxes:
        x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
        x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
        x0, y0 = max(min(0.0, x0), x0 - MARGIN), max(min(0.0, y0), y0 - MARGIN)
        x1, y1 = min(max(layout.width, x1), x1 + MARGIN), min(max(layout.height, y1), y1 + MARGIN)
    else:
        x0, y0, x1, y1 = 0.0, 0.0, layout.width, layout.height
    scale = BASE_SCALE
    for desk in layout.desks:
        smaller = min(desk.width, desk.height)
        if smaller > 0:
            scale = max(scale, TARGET_PX / smaller)
        if desk.width > 0:
            label = len(_short_code(desk.code)) * CHAR_EM * LABEL_PX + 6
            scale = max(scale, label / desk.width)
    scale = round(min(scale, MAX_SCALE), 1)
    return PlanView(round(x0, 3), round(y0, 3), round(x1 - x0, 3), round(y1 - y0, 3), scale, round(LABEL_PX / scale, 4))


def _bounds(s: Shape) -> tuple[float, float, float, float]:
    """The axis-aligned box around a (turned) rectangle."""
    turn = math.radians(s.rotation)
    half_w = (abs(math.cos(turn)) * s.width + abs(math.sin(turn)) * s.height) / 2
    half_h = (abs(math.sin(turn)) * s.width + abs(math.cos(turn)) * s.height) / 2
    return s.cx - half_w, s.cy - half_h, s.cx + half_w, s.cy + half_h


def _short_code(code: str) -> str:
    return code.rsplit("-", 1)[-1]


def _desk_plan(space: SpaceLayout, zone_names: dict[int, str], view: PlanView) -> DeskPlan:
    s = _shape(space)
    short_code = _short_code(space.code)
    zone_name = zone_names.get(space.zone_id) if space.zone_id is not None else None
    turn = f' transform="rotate({s.rotation} {s.cx} {s.cy})"' if s.rotation else ""
    rect = f'<rect x="{s.x}" y="{s.y}" width="{s.width}" height="{s.height}" rx="0.1"/>'
    px = 1 / view.scale  # a CSS pixel at the default zoom, in metres
    label = Markup('<text class="desk__label" x="{}" y="{}">{}</text>').format(s.cx, s.cy, short_code)
    cross = (
        f'<path class="desk__cross" d="M{round(s.x + 0.1, 3)} {round(s.y + 0.1, 3)} '
        f'L{round(s.x + s.width - 0.1, 3)} {round(s.y + s.height - 0.1, 3)}"/>'
    )
    tick = (
        f'<path class="desk__mark" d="M{round(s.cx - 7 * px, 3)} {s.cy} '
        f'l{round(5 * px, 3)} {round(5 * px, 3)} l{round(10 * px, 3)} {round(-10 * px, 3)}"/>'
    )
    return DeskPlan(
        id=space.id,
        code=space.code,
        short_code=short_code,
        zone_id=space.zone_id,
        zone_name=zone_name,
        amenities=space.amenities,
        shape=s,
        attrs=Markup(' data-amenities="{}"').format(" ".join(space.amenities)),
        svg_shape=Markup(f"<g{turn}>{rect}</g>" if turn else rect),
        svg_label=label,
        svg_mark=Markup(tick),
        svg_blocked=Markup(f"<g{turn}>{rect}{cross}</g>" if turn else rect + cross) + label,
        list_cells=Markup("<td>{}</td><td>{}</td>").format(zone_name or "", ", ".join(space.amenities)),
        label_room=(s.width * view.scale - 6) / (CHAR_EM * LABEL_PX),
        code_html=escape(space.code),
    )


def _room(space: SpaceLayout) -> RoomView:
    return RoomView(space.id, space.code, space.name or space.code, space.capacity, _shape(space))


def _shape(space: SpaceLayout) -> Shape:
    return Shape.of(space.x, space.y, space.width, space.height, space.rotation or 0.0)
