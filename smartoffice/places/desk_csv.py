"""A floor's desks as a CSV file: exported, and imported back (``runtime.desk_files``).

Columns ``code,x,y,width,height,rotation,zone,amenities`` (metres and degrees; ``zone`` is a zone's code on this
floor; ``amenities`` separated by ``;``). Headers are read as the places import reads them (English or
Indonesian, any case: ``Kode``, ``Lebar``, ``Zona``, ``Fasilitas`` ...), and so are the cells (``1,5`` is 1.5).

An import:

* **creates** desks whose code the floor does not have (they need ``x`` and ``y``; width and depth default to
  1.6 × 0.8 m) and **updates** the desks it names; a column the file lacks (or, for x/y/width/height/rotation,
  an empty cell) keeps what is stored, while an empty ``zone`` or ``amenities`` cell clears it.
* **never deletes or retires** a desk: desks the file does not name stay as they are (retiring is a separate,
  confirmed action in the places editor). It never touches meeting rooms: a code that is a room is a problem.
* is checked whole first: every bad row is reported with its line and reason (the places file's codes, and
  :class:`~smartoffice.places.plan_errors.FloorPlanCode` for what depends on the floor), and nothing is written
  unless every row is valid.
* is written in **one transaction** in two bulk statements (an ``INSERT`` of the new desks, an ``UPDATE`` by id
  of the changed), audited as **one** ``floor_plan.desks_import`` entry on the floor with the counts and each
  desk's values (before and after), and checked against the preview's fingerprint so that a confirmation applies
  exactly what was shown.
"""

import csv
import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.audit.models import AuditEntry
from smartoffice.audit.record import Actor, entry_values
from smartoffice.db import Database
from smartoffice.errors import NotFound
from smartoffice.people.siasn import PeopleFileCode, Problem
from smartoffice.people.siasn.problems import UnreadableFile
from smartoffice.people.siasn.reader import as_text, read_rows
from smartoffice.places.imports.columns import PlaceColumn, PlaceHeader, place_header
from smartoffice.places.imports.errors import PlacesFileCode
from smartoffice.places.imports.geometry import DESK_DEPTH, DESK_WIDTH
from smartoffice.places.imports.reader import HEADER_SEARCH_ROWS, Cells, amenity_keys
from smartoffice.places.models import Building, Floor, Space, SpaceKind, Zone
from smartoffice.places.permissions import require_site_manager
from smartoffice.places.plan_editing import is_inside
from smartoffice.places.plan_errors import FloorPlanCode

COLUMNS = ("code", "x", "y", "width", "height", "rotation", "zone", "amenities")
MAX_DESKS = 5_000
GEOMETRY = ("x", "y", "width", "height", "rotation")
AUDIT_ACTION = "floor_plan.desks_import"

Values = dict[str, Any]


@dataclass(frozen=True, slots=True)
class DeskRow:
    line: int
    code: str
    geometry: dict[str, float | None]
    zone_code: str | None
    amenities: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DeskChange:
    line: int
    code: str
    space_id: int | None
    """None for a new desk."""
    before: Values | None
    after: Values

    @property
    def changed_fields(self) -> tuple[str, ...]:
        before = self.before or {}
        return tuple(name for name, value in self.after.items() if before.get(name) != value)


@dataclass(frozen=True, slots=True)
class DeskImportPlan:
    floor_id: int
    problems: tuple[Problem, ...] = ()
    new: tuple[DeskChange, ...] = ()
    changed: tuple[DeskChange, ...] = ()
    unchanged: int = 0
    zone_ids: dict[str, int] = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        return not self.problems

    @property
    def changes_nothing(self) -> bool:
        return not self.new and not self.changed

    @property
    def fingerprint(self) -> str:
        """Identifies what a confirmation would write: the preview's and the write's plans must agree."""
        payload = [[c.code, c.space_id, c.after] for c in (*self.new, *self.changed)]
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:24]


@dataclass(frozen=True, slots=True)
class DeskImportResult:
    plan: DeskImportPlan
    written: bool
    stale: bool = False
    """The plan differs from the one previewed (``expected_fingerprint``): nothing was written."""


# ---- export ---------------------------------------------------------------------------------------------------


def _number(value: float) -> str:
    return format(round(value, 2), "g")


def desks_csv(spaces: list[Space], zone_codes: dict[int, str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for s in sorted(spaces, key=lambda s: s.code):
        writer.writerow(
            [s.code, *(_number(getattr(s, n)) for n in GEOMETRY), zone_codes.get(s.zone_id or 0, ""),
             ";".join(s.amenities or [])]
        )  # fmt: skip
    return out.getvalue()


# ---- reading --------------------------------------------------------------------------------------------------


def read_desk_file(content: bytes) -> tuple[tuple[DeskRow, ...], list[Problem], PlaceHeader | None]:
    """The file's rows, or the problems with them (each with its line); nothing is compared with the database."""
    try:
        rows = read_rows(content, max_rows=MAX_DESKS + HEADER_SEARCH_ROWS)
    except UnreadableFile as unreadable:
        return (), [unreadable.problem], None
    header = next(
        (
            h
            for r in rows[:HEADER_SEARCH_ROWS]
            if (h := place_header(r.line, as_text(r.cells))).has(PlaceColumn.SPACE_CODE) and len(h.index) >= 3
        ),
        None,
    )
    if header is None:
        return (), [Problem(1, FloorPlanCode.DESK_FILE_HEADER_NOT_FOUND, {"rows": HEADER_SEARCH_ROWS})], None
    problems = [
        Problem(header.line, PeopleFileCode.COLUMN_REPEATED, {"first": first, "second": second})
        for first, second in header.repeated
    ]
    if problems:
        return (), problems, None
    desks: list[DeskRow] = []
    first_line: dict[str, int] = {}
    c = PlaceColumn
    zone_column = c.ZONE_CODE if header.has(c.ZONE_CODE) else c.ZONE_NAME
    for row in rows:
        if row.line <= header.line:
            continue
        cells = Cells(header, row)
        code = cells.code(c.SPACE_CODE, required=True)
        geometry: dict[str, float | None] = {
            "x": cells.number(c.X, float, 0, 1000),
            "y": cells.number(c.Y, float, 0, 1000),
            "width": cells.number(c.WIDTH, float, 0.01, 200),
            "height": cells.number(c.HEIGHT, float, 0.01, 200),
            "rotation": cells.number(c.ROTATION, float, 0, 360),
        }
        zone_code = cells.code(zone_column)
        if (cells.raw(c.X) == "") != (cells.raw(c.Y) == ""):
            cells.refuse(c.X, PlacesFileCode.PLACES_POSITION_HALF_GIVEN)
        if code is not None and code in first_line:
            cells.refuse(c.SPACE_CODE, PlacesFileCode.PLACES_SPACE_REPEATED, value=code, other_line=first_line[code])
        problems += cells.problems
        if code is None or cells.problems:
            continue
        first_line[code] = row.line
        rounded = {n: None if v is None else round(v, 2) for n, v in geometry.items()}
        desks.append(DeskRow(row.line, code, rounded, zone_code, amenity_keys(cells.raw(c.AMENITIES))))
    if not desks and not problems:
        problems.append(Problem(header.line, FloorPlanCode.DESK_FILE_EMPTY))
    return tuple(desks), problems, header


# ---- planning against the floor -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _FloorState:
    floor: Floor
    site_id: int
    spaces: dict[str, Space]
    zones: dict[str, int]
    zone_codes: dict[int, str]


async def _floor_state(session: AsyncSession, floor_id: int, actor_id: int | None) -> _FloorState:
    floor = await session.scalar(select(Floor).where(Floor.id == floor_id))
    if floor is None or floor.retired_at is not None:
        raise NotFound("Floor", floor_id)
    site_id = await session.scalar(select(Building.site_id).where(Building.id == floor.building_id))
    assert site_id is not None
    if actor_id is not None:
        await require_site_manager(session, actor_id, site_id)
    spaces = {s.code: s for s in await session.scalars(select(Space).where(Space.floor_id == floor_id))}
    zones = list(await session.scalars(select(Zone).where(Zone.floor_id == floor_id, Zone.retired_at.is_(None))))
    return _FloorState(floor, site_id, spaces, {z.code: z.id for z in zones}, {z.id: z.code for z in zones})


def _stored(space: Space, zone_codes: dict[int, str]) -> Values:
    return {
        **{n: round(float(getattr(space, n)), 2) for n in GEOMETRY},
        "zone": zone_codes.get(space.zone_id) if space.zone_id else None,
        "amenities": list(space.amenities or []),
    }


def plan_desks(
    state: _FloorState, rows: tuple[DeskRow, ...], header: PlaceHeader, problems: list[Problem]
) -> DeskImportPlan:
    c = PlaceColumn
    has_zone = header.has(c.ZONE_CODE) or header.has(c.ZONE_NAME)
    zone_field = header.header(c.ZONE_CODE if header.has(c.ZONE_CODE) else c.ZONE_NAME)
    code_field = header.header(c.SPACE_CODE)
    new: list[DeskChange] = []
    changed: list[DeskChange] = []
    unchanged = 0
    floor = state.floor
    for row in rows:
        space = state.spaces.get(row.code)

        def refuse(code: Any, column: str, **params: object) -> None:
            problems.append(Problem(row.line, code, {**params, "field": column}, column=column))  # noqa: B023

        if space is not None and space.kind != SpaceKind.DESK:
            refuse(FloorPlanCode.DESK_FILE_NOT_A_DESK, code_field, value=row.code)
            continue
        if space is not None and space.retired_at is not None:
            refuse(FloorPlanCode.DESK_FILE_RETIRED, code_field, value=row.code)
            continue
        if has_zone and row.zone_code is not None and row.zone_code not in state.zones:
            refuse(FloorPlanCode.DESK_FILE_ZONE_UNKNOWN, zone_field, value=row.zone_code)
            continue
        stored = _stored(space, state.zone_codes) if space is not None else None
        if stored is None and (row.geometry["x"] is None or row.geometry["y"] is None):
            refuse(FloorPlanCode.DESK_FILE_POSITION_REQUIRED, header.header(c.X))
            continue
        defaults = stored or {"width": DESK_WIDTH, "height": DESK_DEPTH, "rotation": 0.0, "zone": None,
                              "amenities": []}  # fmt: skip
        after: Values = {n: v if (v := row.geometry[n]) is not None else defaults[n] for n in GEOMETRY}
        after["zone"] = row.zone_code if has_zone else defaults["zone"]
        after["amenities"] = list(row.amenities) if header.has(c.AMENITIES) else defaults["amenities"]
        if not is_inside(floor.width, floor.height, {n: after[n] for n in GEOMETRY}):
            params = {"value": row.code, "width": floor.width, "height": floor.height}
            problems.append(Problem(row.line, FloorPlanCode.DESK_FILE_OUTSIDE_FLOOR, params))
            continue
        if space is None:
            new.append(DeskChange(row.line, row.code, None, None, after))
        elif after != stored:
            changed.append(DeskChange(row.line, row.code, space.id, stored, after))
        else:
            unchanged += 1
    problems.sort(key=lambda p: p.line)
    if problems:
        return DeskImportPlan(floor.id, tuple(problems))
    return DeskImportPlan(floor.id, (), tuple(new), tuple(changed), unchanged, dict(state.zones))


async def _apply(session: AsyncSession, plan: DeskImportPlan, state: _FloorState, actor: Actor, now: datetime) -> None:
    def columns(change: DeskChange) -> Values:
        after = change.after
        zone = after["zone"]
        return {
            **{n: after[n] for n in GEOMETRY},
            "zone_id": plan.zone_ids[zone] if zone is not None else None,
            "amenities": after["amenities"],
        }

    if plan.new:
        await session.execute(
            insert(Space),
            [{"floor_id": plan.floor_id, "kind": SpaceKind.DESK, "code": c.code, "capacity": 1, **columns(c)}
             for c in plan.new],
        )  # fmt: skip
    if plan.changed:
        await session.execute(update(Space), [{"id": c.space_id, **columns(c)} for c in plan.changed])
    await session.execute(
        insert(AuditEntry),
        [
            entry_values(
                actor, AUDIT_ACTION, at=now, entity_kind="Floor", entity_id=plan.floor_id,
                before={"desks": {c.code: c.before for c in plan.changed}},
                after={"new": len(plan.new), "changed": len(plan.changed), "unchanged": plan.unchanged,
                       "desks": {c.code: c.after for c in (*plan.new, *plan.changed)}},
                site_id=state.site_id,
            )
        ],
    )  # fmt: skip


class DeskFileService:
    """``runtime.desk_files``: export a floor's desks, preview and run an import of them."""

    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db, self.clock = db, clock

    async def export(self, actor_id: int, floor_id: int) -> tuple[str, str]:
        """The floor's active desks as CSV text, and a file name for it. Raises NotFound or PermissionDenied."""
        async with self.db.read() as session:
            state = await _floor_state(session, floor_id, actor_id)
            desks = [s for s in state.spaces.values() if s.kind == SpaceKind.DESK and s.retired_at is None]
            return desks_csv(desks, state.zone_codes), f"desks-floor-{floor_id}.csv"

    async def preview(self, actor_id: int, floor_id: int, content: bytes) -> DeskImportPlan:
        """What importing ``content`` into the floor would do (new / changed / unchanged), or every problem."""
        rows, problems, header = read_desk_file(content)
        if header is None or not rows:
            return DeskImportPlan(floor_id, tuple(problems))
        async with self.db.read() as session:
            return plan_desks(await _floor_state(session, floor_id, actor_id), rows, header, problems)

    async def run(
        self, actor: Actor, floor_id: int, content: bytes, *, expected_fingerprint: str | None = None
    ) -> DeskImportResult:
        """Import ``content`` in one transaction, all or nothing (see the module docstring)."""
        rows, problems, header = read_desk_file(content)
        if header is None or not rows:
            return DeskImportResult(DeskImportPlan(floor_id, tuple(problems)), written=False)
        async with self.db.write() as session:
            state = await _floor_state(session, floor_id, actor.employee_id)
            plan = plan_desks(state, rows, header, problems)
            if expected_fingerprint is not None and plan.fingerprint != expected_fingerprint:
                return DeskImportResult(plan, written=False, stale=True)
            if not plan.is_valid or plan.changes_nothing:
                return DeskImportResult(plan, written=False)
            await _apply(session, plan, state, actor, self.clock())
        return DeskImportResult(plan, written=True)
