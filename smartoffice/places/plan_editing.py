"""Placing a floor's desks and rooms: ``runtime.plan_editor`` (the floor plan editor's page and ``placeSpaces``).

One save moves, resizes, rotates, renumbers and copies any of one floor's spaces in **one transaction**, or
changes nothing:

* Every placement is checked first: a code of 1–32 characters without spaces, unique on the floor once the save
  is applied (codes may be swapped within one save), width and height over 0 and at most :data:`MAX_SIZE` m,
  rotation 0–360°, and the space's rectangle, turned about its centre, inside the floor. The first problem is
  raised (InvalidInput naming ``placements.<index>.<field>``).
* A placement names the space it moves (``space_id``) or the space it copies (``copy_of``): a copy is a new space
  of the same kind, zone, amenities, capacity and booking settings, without an owner, approvers or name.
  Nothing here deletes or retires a space; spaces a save does not name stay as they are.
* **Optimistic concurrency**: the editor loads the floor with its :func:`plan_version` (a digest of the floor's
  size and every active space's code and geometry) and posts it back as ``expected_version``; the save locks the
  floor row and refuses with :class:`PlanChanged` when the version is no longer the current one, so two editors
  never silently overwrite each other. Without ``expected_version`` (a script that means to win) it is not checked.
* Audited in the same transaction: one entry per space changed or created (``space.update``/``space.create``,
  as ``Desk`` or ``MeetingRoom``), with the code and geometry before and after.
* Facilities managers of the floor's site and administrators only (``places/permissions.py``), checked inside
  the transaction.

The writes are ORM changes to ``spaces``, so ``places.layout`` notices them and the floor's cached layout is
reloaded everywhere after the commit.
"""

import hashlib
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.audit.models import AuditEntry
from smartoffice.audit.record import Actor, entry_values
from smartoffice.db import Database
from smartoffice.errors import InvalidInput, NotFound
from smartoffice.places.models import Building, Floor, FloorPlan, Space, SpaceKind, Zone
from smartoffice.places.permissions import require_site_manager
from smartoffice.places.plan_errors import FloorPlanCode
from smartoffice.places.service import SPACE_TYPE_NAMES

MAX_PLACEMENTS = 2_000
MAX_SIZE = 200.0
EDGE_TOLERANCE = 0.005
"""Half a centimetre: a rectangle drawn flush with the floor's edge is inside after rounding to the centimetre."""
CODE = re.compile(r"\S{1,32}")
GEOMETRY = ("x", "y", "width", "height", "rotation")
VERSION_FIELD = "expectedVersion"


class PlanChanged(InvalidInput):
    """The floor's plan is no longer the one the editor loaded (someone saved in between)."""

    def __init__(self, current_version: str) -> None:
        super().__init__(VERSION_FIELD, FloorPlanCode.PLAN_CHANGED)
        self.current_version = current_version


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one space goes. ``space_id``: an existing space of the floor; else ``copy_of``: a new copy of it."""

    code: str
    x: float
    y: float
    width: float
    height: float
    rotation: float = 0.0
    space_id: int | None = None
    copy_of: int | None = None

    def geometry(self) -> dict[str, float]:
        return {name: round(float(getattr(self, name)), 2) for name in GEOMETRY}


@dataclass(frozen=True, slots=True)
class EditableSpace:
    id: int
    kind: SpaceKind
    code: str
    name: str | None
    zone_code: str | None
    x: float
    y: float
    width: float
    height: float
    rotation: float

    @property
    def type_name(self) -> str:
        return SPACE_TYPE_NAMES[self.kind]


@dataclass(frozen=True, slots=True)
class EditableFloor:
    """A floor as the editor loads it: the spaces it may place and the version a save must name."""

    id: int
    name: str
    level: int
    width: float
    height: float
    building_name: str
    site_id: int
    spaces: tuple[EditableSpace, ...]
    version: str
    image_digest: str | None
    image_type: str | None


@dataclass(frozen=True, slots=True)
class PlacementResult:
    version: str
    """The floor's plan version after the save (the next save names it)."""
    updated: tuple[int, ...]
    created: tuple[int, ...]
    unchanged: int
    kinds: dict[int, SpaceKind]
    """The kind of each space updated or created (for their public ids)."""


def plan_version(floor: Floor, spaces: Sequence[Space]) -> str:
    """A digest of what a save may change: the floor's size and its active spaces' codes and geometry."""
    parts = [f"{floor.width:.2f}x{floor.height:.2f}"]
    for s in sorted((s for s in spaces if s.retired_at is None), key=lambda s: s.id):
        parts.append(f"{s.id}:{s.code}:{s.x:.2f}:{s.y:.2f}:{s.width:.2f}:{s.height:.2f}:{s.rotation:.2f}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:20]


def rotated_bounds(x: float, y: float, width: float, height: float, rotation: float) -> tuple[float, ...]:
    """(left, top, right, bottom) of the rectangle turned ``rotation`` degrees about its centre."""
    cx, cy = x + width / 2, y + height / 2
    radians = math.radians(rotation)
    half_w = (abs(width * math.cos(radians)) + abs(height * math.sin(radians))) / 2
    half_h = (abs(width * math.sin(radians)) + abs(height * math.cos(radians))) / 2
    return cx - half_w, cy - half_h, cx + half_w, cy + half_h


def is_inside(floor_width: float, floor_height: float, geometry: dict[str, float]) -> bool:
    left, top, right, bottom = rotated_bounds(**geometry)
    t = EDGE_TOLERANCE
    return left >= -t and top >= -t and right <= floor_width + t and bottom <= floor_height + t


def geometry_of(space: Space) -> dict[str, float]:
    return {name: round(float(getattr(space, name)), 2) for name in GEOMETRY}


async def floor_for_update(session: AsyncSession, floor_id: int) -> tuple[Floor, int]:
    """The active floor, locked against concurrent saves (PostgreSQL; SQLite's write lock already serialises),
    and its site's id. Raises NotFound."""
    floor = await session.scalar(select(Floor).where(Floor.id == floor_id).with_for_update())
    if floor is None or floor.retired_at is not None:
        raise NotFound("Floor", floor_id)
    site_id = await session.scalar(select(Building.site_id).where(Building.id == floor.building_id))
    assert site_id is not None
    return floor, site_id


class PlanEditingService:
    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db, self.clock = db, clock

    async def version(self, floor_id: int) -> str:
        """The floor's current :func:`plan_version` (reveals no more than the floor's plan does). Raises NotFound."""
        async with self.db.read() as session:
            floor = await session.get(Floor, floor_id)
            if floor is None:
                raise NotFound("Floor", floor_id)
            return plan_version(floor, list(await session.scalars(select(Space).where(Space.floor_id == floor_id))))

    async def floor(self, actor_id: int, floor_id: int) -> EditableFloor:
        """The floor as the editor shows it. Raises NotFound or PermissionDenied."""
        async with self.db.read() as session:
            floor = await session.scalar(select(Floor).where(Floor.id == floor_id))
            if floor is None or floor.retired_at is not None:
                raise NotFound("Floor", floor_id)
            building = await session.get_one(Building, floor.building_id)
            await require_site_manager(session, actor_id, building.site_id)
            spaces = list(await session.scalars(select(Space).where(Space.floor_id == floor_id)))
            zones = {z.id: z.code for z in await session.scalars(select(Zone).where(Zone.floor_id == floor_id))}
            image = (
                await session.execute(
                    select(FloorPlan.digest, FloorPlan.content_type).where(FloorPlan.floor_id == floor_id)
                )
            ).one_or_none()
            return EditableFloor(
                id=floor.id, name=floor.name, level=floor.level, width=floor.width, height=floor.height,
                building_name=building.name, site_id=building.site_id,
                spaces=tuple(
                    EditableSpace(
                        s.id, s.kind, s.code, s.name, zones.get(s.zone_id) if s.zone_id else None,
                        **geometry_of(s),
                    )
                    for s in sorted(spaces, key=lambda s: (s.kind != SpaceKind.ROOM, s.code))
                    if s.retired_at is None
                ),
                version=plan_version(floor, spaces),
                image_digest=image[0] if image else None,
                image_type=image[1] if image else None,
            )  # fmt: skip

    async def save_placements(
        self,
        actor: Actor,
        floor_id: int,
        placements: Sequence[Placement],
        expected_version: str | None = None,
    ) -> PlacementResult:
        """Apply ``placements`` to the floor in one transaction (see the module docstring). Raises InvalidInput
        (:class:`PlanChanged` for a stale ``expected_version``), NotFound or PermissionDenied."""
        if len(placements) > MAX_PLACEMENTS:
            raise InvalidInput("placements", FloorPlanCode.PLACEMENT_TOO_MANY, max=MAX_PLACEMENTS)
        now = self.clock()
        async with self.db.write() as session:
            floor, site_id = await floor_for_update(session, floor_id)
            if actor.employee_id is not None:
                await require_site_manager(session, actor.employee_id, site_id)
            spaces = list(await session.scalars(select(Space).where(Space.floor_id == floor_id)))
            current = plan_version(floor, spaces)
            if expected_version is not None and expected_version != current:
                raise PlanChanged(current)
            by_id = {s.id: s for s in spaces if s.retired_at is None}
            _validate(floor, spaces, by_id, placements)
            audit: list[dict[str, Any]] = []
            updated = await _move(session, by_id, placements, audit, actor, now, site_id)
            created = await _copy(session, floor, by_id, placements, audit, actor, now, site_id)
            if audit:
                await session.execute(insert(AuditEntry), audit)
            if not updated and not created:
                version = current
            else:
                await session.flush()
                version = plan_version(
                    floor, list(await session.scalars(select(Space).where(Space.floor_id == floor_id)))
                )
        moved = sum(1 for p in placements if p.space_id is not None)
        kinds = {s.id: s.kind for s in by_id.values()}
        for ident, p in zip(created, _copies(placements), strict=True):
            assert p.copy_of is not None
            kinds[ident] = by_id[p.copy_of].kind
        return PlacementResult(version, tuple(updated), tuple(created), moved - len(updated), kinds)


def _validate(floor: Floor, spaces: Sequence[Space], by_id: dict[int, Space], placements: Sequence[Placement]) -> None:
    codes: dict[int | str, str] = {s.id: s.code for s in spaces}
    """Every code of the floor once the save is applied (retired spaces keep theirs), by space id or new index."""
    origin: dict[int | str, int] = {}
    seen: set[int] = set()
    for index, p in enumerate(placements):
        field = f"placements.{index}"
        label = p.code or "?"
        if p.space_id is None and p.copy_of is None:
            raise InvalidInput(f"{field}.spaceId", FloorPlanCode.PLACEMENT_SOURCE_MISSING, space=label)
        source = p.space_id if p.space_id is not None else p.copy_of
        if source not in by_id:
            name = "spaceId" if p.space_id is not None else "copyOf"
            raise InvalidInput(f"{field}.{name}", FloorPlanCode.PLACEMENT_SPACE_UNKNOWN, ident=source)
        if p.space_id is not None:
            if p.space_id in seen:
                raise InvalidInput(f"{field}.spaceId", FloorPlanCode.PLACEMENT_TWICE, space=by_id[p.space_id].code)
            seen.add(p.space_id)
        if not CODE.fullmatch(p.code or ""):
            raise InvalidInput(f"{field}.code", FloorPlanCode.PLACEMENT_CODE_INVALID, space=label)
        values = (p.x, p.y, p.width, p.height, p.rotation)
        if not all(isinstance(v, int | float) and math.isfinite(v) for v in values):
            raise InvalidInput(f"{field}.x", FloorPlanCode.PLACEMENT_NUMBER_INVALID, space=label)
        if not (0 < p.width <= MAX_SIZE and 0 < p.height <= MAX_SIZE):
            raise InvalidInput(f"{field}.width", FloorPlanCode.PLACEMENT_SIZE, space=label, max=int(MAX_SIZE))
        if not 0 <= p.rotation <= 360:
            raise InvalidInput(f"{field}.rotation", FloorPlanCode.PLACEMENT_ROTATION, space=label)
        if not is_inside(floor.width, floor.height, p.geometry()):
            raise InvalidInput(
                f"{field}.x", FloorPlanCode.PLACEMENT_OUTSIDE_FLOOR, space=label, width=floor.width,
                height=floor.height,
            )  # fmt: skip
        key = p.space_id if p.space_id is not None else f"new-{index}"
        codes[key], origin[key] = p.code, index
    taken: dict[str, int | str] = {}
    for key, code in codes.items():
        if code in taken:
            index = origin.get(key, origin.get(taken[code], 0))
            raise InvalidInput(f"placements.{index}.code", FloorPlanCode.PLACEMENT_CODE_TAKEN, space=code)
        taken[code] = key


async def _move(
    session: AsyncSession,
    by_id: dict[int, Space],
    placements: Sequence[Placement],
    audit: list[dict[str, Any]],
    actor: Actor,
    now: datetime,
    site_id: int,
) -> list[int]:
    changes: list[tuple[Space, Placement, dict[str, Any]]] = []
    for p in placements:
        if p.space_id is None:
            continue
        space = by_id[p.space_id]
        before = {"code": space.code, **geometry_of(space)}
        if before != {"code": p.code, **p.geometry()}:
            changes.append((space, p, before))
    recoded = [(space, p) for space, p, _ in changes if space.code != p.code]
    if recoded:  # codes are unique per floor: park the changing ones first, so that a save may swap codes
        for space, _p in recoded:
            space.code = f"~{space.id}"
        await session.flush()
    for space, p, before in changes:
        space.code = p.code
        for name, value in p.geometry().items():
            setattr(space, name, value)
        audit.append(
            entry_values(
                actor, "space.update", at=now, entity_kind=SPACE_TYPE_NAMES[space.kind], entity_id=space.id,
                before=before, after={"code": p.code, **p.geometry()}, site_id=site_id,
            )
        )  # fmt: skip
    return [space.id for space, _p, _b in changes]


async def _copy(
    session: AsyncSession,
    floor: Floor,
    by_id: dict[int, Space],
    placements: Sequence[Placement],
    audit: list[dict[str, Any]],
    actor: Actor,
    now: datetime,
    site_id: int,
) -> list[int]:
    copies: list[Space] = []
    for p in _copies(placements):
        assert p.copy_of is not None
        source = by_id[p.copy_of]
        copies.append(
            Space(
                floor_id=floor.id, zone_id=source.zone_id, kind=source.kind, code=p.code, name=None,
                amenities=list(source.amenities or []), capacity=source.capacity,
                requires_approval=source.requires_approval, bookable_hours=source.bookable_hours,
                bookable=source.bookable, **p.geometry(),
            )
        )  # fmt: skip
    if not copies:
        return []
    session.add_all(copies)
    await session.flush()
    for space, p in zip(copies, _copies(placements), strict=True):
        audit.append(
            entry_values(
                actor, "space.create", at=now, entity_kind=SPACE_TYPE_NAMES[space.kind], entity_id=space.id,
                after={"code": space.code, "copy_of": p.copy_of, **p.geometry()}, site_id=site_id,
            )
        )  # fmt: skip
    return [space.id for space in copies]


def _copies(placements: Sequence[Placement]) -> list[Placement]:
    """The placements that create a copy, in input order (validated: each has ``copy_of``)."""
    return [p for p in placements if p.space_id is None and p.copy_of is not None]
