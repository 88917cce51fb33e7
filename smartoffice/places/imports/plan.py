"""What importing a places file would change: the file compared with the database (five SELECTs).

Everything is keyed in the file's terms: a site by its code, a building by (site, code), a floor by (building,
level), a zone by (floor, code), a space by (floor, code). New ones are created, changed ones updated; places the
file does not name are left alone (**nothing is retired**: retiring a space, with what it does to its bookings, is
the facilities editor's job). A column the file lacks leaves what it would say as it is; a new place missing a
name is named after its code (a floor ``Lantai N``), a new building opens 07:00–19:00 in ``Asia/Makassar`` (WITA,
the capital's zone) unless the file says otherwise.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import time
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.people.siasn import Problem
from smartoffice.places.imports.columns import PlaceColumn
from smartoffice.places.imports.errors import PlacesFileCode
from smartoffice.places.imports.geometry import Box, around, box, floor_size, place_floor
from smartoffice.places.imports.reader import PlacesFile, SpaceRow
from smartoffice.places.models import Building, Floor, Site, Space, SpaceKind, Zone

DEFAULT_TIME_ZONE = "Asia/Makassar"
DEFAULT_OPENS_AT, DEFAULT_CLOSES_AT = time(7), time(19)
Values = dict[str, Any]
Key = tuple[Any, ...]


class ChangeKind(StrEnum):
    NEW = "new"
    CHANGED = "changed"


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True, slots=True)
class PlaceChange:
    """A place to create or update: ``key`` in the file's terms (its parent's key, then its own code or level)."""

    kind: ChangeKind
    key: Key
    line: int
    id: int | None
    values: Values
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True, slots=True)
class Existing:
    """The database's places as plain values, by their keys: key → (id, values)."""

    sites: dict[Key, tuple[int, Values]]
    buildings: dict[Key, tuple[int, Values]]
    floors: dict[Key, tuple[int, Values]]
    zones: dict[Key, tuple[int, Values]]
    spaces: dict[Key, tuple[int, Values]]


@dataclass(frozen=True, slots=True)
class PlacesPlan:
    problems: tuple[Problem, ...]
    sites: tuple[PlaceChange, ...] = ()
    buildings: tuple[PlaceChange, ...] = ()
    floors: tuple[PlaceChange, ...] = ()
    zones: tuple[PlaceChange, ...] = ()
    spaces: tuple[PlaceChange, ...] = ()
    unchanged: int = 0
    """Spaces in the file that nothing changes."""

    @property
    def errors(self) -> tuple[Problem, ...]:
        return self.problems

    @property
    def is_valid(self) -> bool:
        return not self.problems

    @property
    def changes_nothing(self) -> bool:
        return not (self.sites or self.buildings or self.floors or self.zones or self.spaces)

    def count(self, label: str) -> tuple[int, int]:
        """(new, changed) of ``sites``, ``buildings``, ``floors``, ``zones`` or ``spaces``."""
        changes: tuple[PlaceChange, ...] = getattr(self, label)
        new = sum(1 for c in changes if c.kind == ChangeKind.NEW)
        return new, len(changes) - new


async def load_existing(session: AsyncSession) -> Existing:
    sites = {r.id: r for r in await session.scalars(select(Site))}
    buildings = {r.id: r for r in await session.scalars(select(Building))}
    floors = {r.id: r for r in await session.scalars(select(Floor))}
    zones = {r.id: r for r in await session.scalars(select(Zone))}
    spaces = list(await session.scalars(select(Space)))

    def building_key(b: Building) -> Key:
        return sites[b.site_id].code, b.code

    def floor_key(f: Floor) -> Key:
        return *building_key(buildings[f.building_id]), f.level

    return Existing(
        sites={(s.code,): (s.id, {"name": s.name}) for s in sites.values()},
        buildings={
            building_key(b): (b.id, {"name": b.name, "time_zone": b.time_zone, "opens_at": b.opens_at,
                                     "closes_at": b.closes_at, "site_id": b.site_id})
            for b in buildings.values()
        },
        floors={floor_key(f): (f.id, {"name": f.name, "width": f.width, "height": f.height}) for f in floors.values()},
        zones={(*floor_key(floors[z.floor_id]), z.code): (z.id, {"name": z.name, **_box(z)}) for z in zones.values()},
        spaces={
            (*floor_key(floors[s.floor_id]), s.code): (s.id, {
                "kind": s.kind, "name": s.name, "zone_code": zones[s.zone_id].code if s.zone_id else None,
                "capacity": s.capacity, "amenities": list(s.amenities or []), "requires_approval": s.requires_approval,
                "bookable_hours": s.bookable_hours, **_box(s), "rotation": s.rotation,
            })
            for s in spaces
        },
    )  # fmt: skip


def _box(place: Zone | Space) -> Values:
    return {"x": place.x, "y": place.y, "width": place.width, "height": place.height}


def plan_import(parsed: PlacesFile, existing: Existing) -> PlacesPlan:
    """The changes ``parsed`` (valid) makes to ``existing``, or the problems only the database reveals."""
    planner = _Planner(parsed, existing)
    planner.run()
    if planner.problems:
        return PlacesPlan(tuple(sorted(planner.problems, key=lambda p: p.line)))
    found = planner.changes
    return PlacesPlan(
        (), tuple(found["sites"]), tuple(found["buildings"]), tuple(found["floors"]), tuple(found["zones"]),
        tuple(found["spaces"]), planner.unchanged,
    )  # fmt: skip


class _Planner:
    def __init__(self, parsed: PlacesFile, existing: Existing) -> None:
        self.parsed, self.existing = parsed, existing
        self.problems: list[Problem] = []
        self.changes: dict[str, list[PlaceChange]] = defaultdict(list)
        self.unchanged = 0

    def run(self) -> None:
        rows = self.parsed.rows
        self._sites(rows)
        self._buildings(rows)
        by_floor: dict[Key, list[SpaceRow]] = defaultdict(list)
        for row in rows:
            by_floor[row.floor_key].append(row)
        for key, floor_rows in by_floor.items():
            self._floor(key, floor_rows)

    def compare(
        self, label: str, stored: Mapping[Key, tuple[int, Values]], key: Key, line: int, values: Values
    ) -> None:
        if key not in stored:
            self.changes[label].append(PlaceChange(ChangeKind.NEW, key, line, None, values))
            return
        ident, before = stored[key]
        fields = tuple(FieldChange(n, before[n], v) for n, v in values.items() if before[n] != v)
        if fields:
            after = {**{n: before[n] for n in before if n in values}, **values}
            self.changes[label].append(PlaceChange(ChangeKind.CHANGED, key, line, ident, after, fields))
        elif label == "spaces":
            self.unchanged += 1

    def _sites(self, rows: Iterable[SpaceRow]) -> None:
        for key, group in _first_of(rows, lambda r: (r.site_code,)).items():
            name = _said(group, "site_name")
            stored = self.existing.sites.get(key)
            values = {"name": name or (stored[1]["name"] if stored else key[0])}
            self.compare("sites", self.existing.sites, key, group[0].line, values)

    def _buildings(self, rows: Iterable[SpaceRow]) -> None:
        for key, group in _first_of(rows, lambda r: r.building_key).items():
            stored = self.existing.buildings.get(key, (None, {}))[1]
            defaults = {"name": key[1], "time_zone": DEFAULT_TIME_ZONE, "opens_at": DEFAULT_OPENS_AT,
                        "closes_at": DEFAULT_CLOSES_AT}  # fmt: skip
            values = {
                n: _said(group, f) or stored.get(n, defaults[n])
                for n, f in (("name", "building_name"), ("time_zone", "time_zone"), ("opens_at", "opens_at"),
                             ("closes_at", "closes_at"))
            }  # fmt: skip
            if values["opens_at"] >= values["closes_at"]:
                params = {"opens": f"{values['opens_at']:%H:%M}", "closes": f"{values['closes_at']:%H:%M}"}
                self.problems.append(Problem(group[0].line, PlacesFileCode.PLACES_OPENS_AFTER_CLOSING, params))
            self.compare("buildings", self.existing.buildings, key, group[0].line, values)

    def _floor(self, key: Key, rows: list[SpaceRow]) -> None:
        kept = {
            row.code: box(**{n: v for n, v in found[1].items() if n in ("x", "y", "width", "height", "rotation")})
            for row in rows
            if (found := self.existing.spaces.get((*key, row.code)))
        }
        self._kinds(key, rows)
        boxes = place_floor(rows, kept)
        stored_floor = self.existing.floors.get(key)
        name = _said(rows, "floor_name") or (stored_floor[1]["name"] if stored_floor else f"Lantai {key[2]}")
        stored_size = (stored_floor[1]["width"], stored_floor[1]["height"]) if stored_floor else None
        width, height = floor_size(list(boxes.values()), stored_size)
        self.compare(
            "floors", self.existing.floors, key, rows[0].line, {"name": name, "width": width, "height": height}
        )
        zones: dict[str, list[SpaceRow]] = defaultdict(list)
        for row in rows:
            if row.zone_code is not None:
                zones[row.zone_code].append(row)
        for code, members in zones.items():
            zone_key = (*key, code)
            stored_zone = self.existing.zones.get(zone_key)
            zone_name = _said(members, "zone_name") or (stored_zone[1]["name"] if stored_zone else code)
            values = {"name": zone_name, **around([boxes[r.code] for r in members]).values()}
            values.pop("rotation")
            self.compare("zones", self.existing.zones, zone_key, members[0].line, values)
        for row in rows:
            self._space(row, boxes[row.code])

    def _kinds(self, key: Key, rows: list[SpaceRow]) -> None:
        for row in rows:
            found = self.existing.spaces.get((*key, row.code))
            if found and found[1]["kind"] != row.kind:
                header = self.parsed.header.header(PlaceColumn.SPACE_CODE) if self.parsed.header else "Kode Meja"
                params = {"field": header, "value": row.code}
                self.problems.append(Problem(row.line, PlacesFileCode.PLACES_KIND_CHANGED, params, column=header))

    def _space(self, row: SpaceRow, placed: Box) -> None:
        key = (*row.floor_key, row.code)
        stored = self.existing.spaces.get(key, (None, {}))[1]
        is_room = row.kind is SpaceKind.ROOM

        def said(given: bool, value: Any, name: str) -> Any:
            """The file's value when it has the column (an empty cell clears), else the stored one."""
            return value if given or not stored else stored[name]

        has = self.parsed.has
        values: Values = {
            "kind": row.kind,
            "capacity": row.capacity if is_room else 1,
            "name": said(has(PlaceColumn.SPACE_NAME), row.name, "name"),
            "zone_code": said(has(PlaceColumn.ZONE_NAME) or has(PlaceColumn.ZONE_CODE), row.zone_code, "zone_code"),
            "amenities": said(has(PlaceColumn.AMENITIES), list(row.amenities), "amenities"),
            **placed.values(),
            "requires_approval": said(
                has(PlaceColumn.REQUIRES_APPROVAL), bool(row.requires_approval) and is_room, "requires_approval"
            ),
            "bookable_hours": _bookable_hours(row, stored.get("bookable_hours")),
        }
        self.compare("spaces", self.existing.spaces, key, row.line, values)


def _bookable_hours(row: SpaceRow, stored: dict[str, list[str]] | None) -> dict[str, list[str]] | None:
    """``Dapat Dipesan``: ``tidak`` on a room leaves no weekday bookable; ``ya`` undoes that (the building's
    opening hours) but keeps hours set otherwise; no value keeps what is stored."""
    if row.kind is SpaceKind.ROOM and row.bookable is False:
        return {}
    if row.bookable is True and stored == {}:
        return None
    return stored


def _first_of(rows: Iterable[SpaceRow], key: Any) -> dict[Key, list[SpaceRow]]:
    groups: dict[Key, list[SpaceRow]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return groups


def _said(rows: Iterable[SpaceRow], attribute: str) -> Any:
    """What the rows say of a shared attribute (they agree: the reader checked), or None."""
    return next((value for row in rows if (value := getattr(row, attribute)) is not None), None)
