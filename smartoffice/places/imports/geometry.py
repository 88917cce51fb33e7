"""Where a space goes when its row gives no position, and the sizes of zones and floors (metres, from the floor
plan's top-left corner, as :mod:`smartoffice.demo` draws them and ``web/floor_view.py`` renders them).

* A row with ``X`` and ``Y`` keeps them; a missing width or depth is a desk's 1.6 × 0.8 or a room's
  (3 + 0.45 per seat) × 6.
* A *new* space without a position is laid out on a grid, per floor, below every positioned space of that floor:
  meeting rooms side by side along a row, then the desks a zone at a time (in the file's order) on benches of two
  facing rows (rotation 0 and 180), clusters of four. An *existing* space without a position keeps its own, so a
  re-import (or a later edit in the floor-plan editor) never moves it.
* A zone is the box around its spaces in the file (plus a margin); a floor is at least as large as everything on
  it (plus a margin), and never shrinks.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from smartoffice.places.imports.reader import SpaceRow
from smartoffice.places.models import SpaceKind

DESK_WIDTH, DESK_DEPTH = 1.6, 0.8
ROOM_DEPTH, ROOM_GAP = 6.0, 0.2
DESKS_PER_BENCH, DESKS_PER_CLUSTER, CLUSTER_GAP = 8, 4, 1.2
BENCH_PITCH, ZONE_GAP = 3.0, 1.0
MARGIN, ZONE_MARGIN = 1.0, 0.3
MIN_FLOOR_WIDTH, MIN_FLOOR_HEIGHT = 10.0, 8.0


@dataclass(frozen=True, slots=True)
class Box:
    x: float
    y: float
    width: float
    height: float
    rotation: float = 0.0

    def values(self) -> dict[str, float]:
        return {"x": self.x, "y": self.y, "width": self.width, "height": self.height, "rotation": self.rotation}

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height


def box(x: float, y: float, width: float, height: float, rotation: float = 0.0) -> Box:
    """Rounded to the centimetre, so a re-import compares equal to what was stored."""
    return Box(round(x, 2), round(y, 2), round(width, 2), round(height, 2), round(rotation, 2))


def default_size(row: SpaceRow) -> tuple[float, float]:
    if row.kind is SpaceKind.ROOM:
        return row.width or round(3.0 + row.capacity * 0.45, 1), row.height or ROOM_DEPTH
    return row.width or DESK_WIDTH, row.height or DESK_DEPTH


def place_floor(rows: Sequence[SpaceRow], kept: Mapping[str, Box]) -> dict[str, Box]:
    """Every row's box on one floor: its own position, the stored one (``kept``: existing spaces by code), or the
    grid's."""
    placed: dict[str, Box] = {}
    for row in rows:
        if row.x is not None and row.y is not None:
            placed[row.code] = box(row.x, row.y, *default_size(row), row.rotation or 0.0)
        elif row.code in kept:
            placed[row.code] = kept[row.code]
    top = max((b.bottom for b in placed.values()), default=0.0) + MARGIN
    waiting = [row for row in rows if row.code not in placed]
    x = MARGIN
    rooms = [row for row in waiting if row.kind is SpaceKind.ROOM]
    for row in rooms:
        width, height = default_size(row)
        placed[row.code] = box(x, top, width, height)
        x += width + ROOM_GAP
    if rooms:
        top = max(placed[r.code].bottom for r in rooms) + MARGIN
    by_zone: dict[str | None, list[SpaceRow]] = defaultdict(list)
    for row in waiting:
        if row.kind is SpaceKind.DESK:
            by_zone[row.zone_code].append(row)
    for desks in by_zone.values():
        for n, row in enumerate(desks):
            bench, seat = divmod(n, 2 * DESKS_PER_BENCH)
            column, facing = divmod(seat, 2)
            desk_x = MARGIN + column * DESK_WIDTH + (column // DESKS_PER_CLUSTER) * CLUSTER_GAP
            desk_y = top + bench * BENCH_PITCH + facing * DESK_DEPTH
            placed[row.code] = box(desk_x, desk_y, DESK_WIDTH, DESK_DEPTH, 180.0 * facing)
        benches = (len(desks) + 2 * DESKS_PER_BENCH - 1) // (2 * DESKS_PER_BENCH)
        top += benches * BENCH_PITCH + ZONE_GAP
    return placed


def around(boxes: Sequence[Box]) -> Box:
    """A zone's box: around its spaces, with a margin."""
    left, upper = min(b.x for b in boxes) - ZONE_MARGIN, min(b.y for b in boxes) - ZONE_MARGIN
    right, lower = max(b.right for b in boxes) + ZONE_MARGIN, max(b.bottom for b in boxes) + ZONE_MARGIN
    return box(max(left, 0.0), max(upper, 0.0), right - max(left, 0.0), lower - max(upper, 0.0))


def floor_size(boxes: Sequence[Box], stored: tuple[float, float] | None) -> tuple[float, float]:
    width = max([MIN_FLOOR_WIDTH, *(b.right + MARGIN for b in boxes), *(stored[:1] if stored else ())])
    height = max([MIN_FLOOR_HEIGHT, *(b.bottom + MARGIN for b in boxes), *(stored[1:] if stored else ())])
    return round(width, 2), round(height, 2)
