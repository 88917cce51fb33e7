"""A places file (CSV or XLSX, read by the people file's :func:`read_rows`) → one :class:`SpaceRow` per space, or
the problems with it, each naming its line (and column, as the file's header writes it).

Rows are checked one at a time (:class:`Cells`), then against each other: a site, building, floor or zone that
several rows name must be described the same way wherever a row describes it (an empty cell says nothing), and a
space code appears once per floor. Nothing is written anywhere.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time
from functools import cache
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from smartoffice.errors import CommonInputCode, InputCode
from smartoffice.people.siasn import PeopleFileCode, Problem
from smartoffice.people.siasn.problems import UnreadableFile
from smartoffice.people.siasn.reader import Cell, RawRow, as_text, read_rows
from smartoffice.places.imports.columns import REQUIRED, PlaceColumn, PlaceHeader, place_header
from smartoffice.places.imports.errors import PlacesFileCode
from smartoffice.places.models import SpaceKind

MAX_ROWS = 50_000
HEADER_SEARCH_ROWS = 10
MIN_HEADER_MATCHES = 3
CODE = re.compile(r"\S{1,32}")
KINDS = {
    **dict.fromkeys(("desk", "meja", "mejakerja", "hotdesk"), SpaceKind.DESK),
    **dict.fromkeys(("room", "meetingroom", "ruang", "ruangrapat", "ruangan", "rapat"), SpaceKind.ROOM),
}
YES_NO = {
    **dict.fromkeys(("ya", "y", "yes", "true", "1", "iya", "bisa"), True),
    **dict.fromkeys(("tidak", "t", "no", "n", "false", "0", "tidakbisa"), False),
}
HOUR = re.compile(r"(\d{1,2})[:.](\d{2})(?:[:.]00)?")
MAX_LENGTH = {PlaceColumn.SITE_NAME: 200, PlaceColumn.BUILDING_NAME: 200, PlaceColumn.FLOOR_NAME: 100}
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class SpaceRow:
    """One row: a space and what it says of its site, building, floor and zone (None: the row does not say)."""

    line: int
    site_code: str
    site_name: str | None
    building_code: str
    building_name: str | None
    time_zone: str | None
    opens_at: time | None
    closes_at: time | None
    level: int
    floor_name: str | None
    zone_code: str | None
    zone_name: str | None
    code: str
    name: str | None
    kind: SpaceKind
    capacity: int
    amenities: tuple[str, ...]
    x: float | None
    y: float | None
    width: float | None
    height: float | None
    rotation: float | None
    bookable: bool | None
    requires_approval: bool | None

    @property
    def building_key(self) -> tuple[str, str]:
        return self.site_code, self.building_code

    @property
    def floor_key(self) -> tuple[str, str, int]:
        return self.site_code, self.building_code, self.level


@dataclass(frozen=True, slots=True)
class PlacesFile:
    rows: tuple[SpaceRow, ...]
    problems: tuple[Problem, ...]
    header: PlaceHeader | None = None

    @property
    def is_valid(self) -> bool:
        return not self.problems

    def has(self, column: PlaceColumn) -> bool:
        return self.header is not None and self.header.has(column)


def read_places_file(content: bytes, *, max_rows: int = MAX_ROWS) -> PlacesFile:
    try:
        rows = read_rows(content, max_rows=max_rows)
    except UnreadableFile as unreadable:
        return PlacesFile((), (unreadable.problem,))
    header = next(
        (
            h
            for r in rows[:HEADER_SEARCH_ROWS]
            if len((h := place_header(r.line, as_text(r.cells))).index) >= MIN_HEADER_MATCHES
        ),
        None,
    )
    if header is None:
        return PlacesFile((), (Problem(1, PlacesFileCode.PLACES_HEADER_NOT_FOUND, {"rows": HEADER_SEARCH_ROWS}),))
    problems = [
        Problem(header.line, PeopleFileCode.COLUMN_REPEATED, {"first": first, "second": second})
        for first, second in header.repeated
    ]
    problems += [
        Problem(header.line, PeopleFileCode.COLUMN_MISSING, {"field": header.header(c)})
        for c in REQUIRED
        if not header.has(c)
    ]
    if problems:
        return PlacesFile((), tuple(problems), header)
    read = [_read_row(header, row, problems) for row in rows if row.line > header.line]
    spaces = tuple(row for row in read if row is not None)
    problems += _across_rows(header, spaces)
    problems.sort(key=lambda p: p.line)
    return PlacesFile(spaces, tuple(problems), header)


def _read_row(header: PlaceHeader, row: RawRow, problems: list[Problem]) -> SpaceRow | None:
    cells = Cells(header, row)
    c = PlaceColumn
    site_code, building_code = cells.code(c.SITE_CODE, required=True), cells.code(c.BUILDING_CODE, required=True)
    level, code = cells.number(c.FLOOR, int, -20, 200, required=True), cells.code(c.SPACE_CODE, required=True)
    kind = cells.choice(c.KIND, KINDS, PlacesFileCode.PLACES_KIND_UNKNOWN)
    zone_name = cells.text(c.ZONE_NAME)
    zone_code = cells.code(c.ZONE_CODE) if header.has(c.ZONE_CODE) else _zone_code(cells, zone_name)
    capacity = cells.number(c.CAPACITY, int, 1, 1000)
    if kind is SpaceKind.DESK and capacity not in (None, 1):
        cells.refuse(c.CAPACITY, PlacesFileCode.PLACES_DESK_CAPACITY, value=cells.raw(c.CAPACITY))
    if kind is SpaceKind.ROOM and capacity is None and not cells.raw(c.CAPACITY):
        cells.refuse(c.CAPACITY, CommonInputCode.REQUIRED)
    x, y = cells.number(c.X, float, 0, 1000), cells.number(c.Y, float, 0, 1000)
    if (cells.raw(c.X) == "") != (cells.raw(c.Y) == ""):
        cells.refuse(c.X, PlacesFileCode.PLACES_POSITION_HALF_GIVEN)
    bookable = cells.choice(c.BOOKABLE, YES_NO, PlacesFileCode.PLACES_YES_NO_INVALID, required=False)
    if kind is SpaceKind.DESK and bookable is False:
        cells.refuse(c.BOOKABLE, PlacesFileCode.PLACES_DESK_NOT_BOOKABLE)
    opens_at, closes_at = cells.hour(c.OPENS_AT), cells.hour(c.CLOSES_AT)
    if opens_at and closes_at and opens_at >= closes_at:
        cells.refuse(
            c.CLOSES_AT,
            PlacesFileCode.PLACES_OPENS_AFTER_CLOSING,
            opens=f"{opens_at:%H:%M}",
            closes=f"{closes_at:%H:%M}",
        )
    record: dict[str, Any] = dict(
        site_code=site_code, site_name=cells.text(c.SITE_NAME), building_code=building_code,
        building_name=cells.text(c.BUILDING_NAME), time_zone=cells.time_zone(c.TIME_ZONE), opens_at=opens_at,
        closes_at=closes_at, level=level, floor_name=cells.text(c.FLOOR_NAME), zone_code=zone_code,
        zone_name=zone_name, code=code, name=cells.text(c.SPACE_NAME), kind=kind,
        capacity=capacity or 1, amenities=amenity_keys(cells.raw(c.AMENITIES)), x=x, y=y,
        width=cells.number(c.WIDTH, float, 0.1, 200), height=cells.number(c.HEIGHT, float, 0.1, 200),
        rotation=cells.number(c.ROTATION, float, -360, 360), bookable=bookable,
        requires_approval=cells.choice(c.REQUIRES_APPROVAL, YES_NO, PlacesFileCode.PLACES_YES_NO_INVALID,
                                       required=False),
    )  # fmt: skip
    problems += cells.problems
    if cells.problems or None in (site_code, building_code, level, code, kind):
        return None
    return SpaceRow(line=row.line, **record)


def _zone_code(cells: "Cells", zone_name: str | None) -> str | None:
    """Without a ``Kode Zona`` column a zone is known by its name, which must then fit a code."""
    if zone_name is not None and len(zone_name) > 32:
        cells.refuse(PlaceColumn.ZONE_NAME, PlacesFileCode.PLACES_ZONE_NAME_INVALID, value=zone_name)
        return None
    return zone_name


def amenity_keys(text: str) -> tuple[str, ...]:
    """``Monitor; Video Conference`` → ``("monitor", "video_conference")``, the keys the demo data uses."""
    keys = ("_".join(part.casefold().split()) for part in re.split(r"[;|]", text))
    return tuple(dict.fromkeys(key for key in keys if key))


def _across_rows(header: PlaceHeader, rows: tuple[SpaceRow, ...]) -> list[Problem]:
    problems: list[Problem] = []
    c = PlaceColumn
    described: dict[tuple[Any, ...], tuple[object, int]] = {}

    def agree(key: tuple[Any, ...], label: str, column: PlaceColumn, value: object, line: int) -> None:
        if value is None:
            return
        known = described.setdefault((*key, column), (value, line))
        if known[0] != value:
            params = {"code": label, "field": header.header(column), "other_line": known[1]}
            problems.append(Problem(line, PeopleFileCode.DESCRIBED_TWICE, params, column=header.header(column)))

    first_line: dict[tuple[str, str, int, str], int] = {}
    for row in rows:
        agree((row.site_code,), row.site_code, c.SITE_NAME, row.site_name, row.line)
        for column in (c.BUILDING_NAME, c.TIME_ZONE, c.OPENS_AT, c.CLOSES_AT):
            agree(row.building_key, row.building_code, column, getattr(row, column.value), row.line)
        floor_label = f"{row.building_code} {header.header(c.FLOOR)} {row.level}"
        agree(row.floor_key, floor_label, c.FLOOR_NAME, row.floor_name, row.line)
        if row.zone_code is not None and header.has(c.ZONE_CODE):
            agree((*row.floor_key, row.zone_code), row.zone_code, c.ZONE_NAME, row.zone_name, row.line)
        key = (*row.floor_key, row.code)
        if (other := first_line.setdefault(key, row.line)) != row.line:
            params = {"field": header.header(c.SPACE_CODE), "value": row.code, "other_line": other}
            written = header.header(c.SPACE_CODE)
            problems.append(Problem(row.line, PlacesFileCode.PLACES_SPACE_REPEATED, params, column=written))
    return problems


class Cells:
    """The cells of one row by column, each read once into a value or a problem."""

    def __init__(self, header: PlaceHeader, row: RawRow) -> None:
        self.header, self.row = header, row
        self.problems: list[Problem] = []

    def cell(self, column: PlaceColumn) -> Cell:
        index = self.header.index.get(column)
        return self.row.cells[index] if index is not None and index < len(self.row.cells) else None

    def raw(self, column: PlaceColumn) -> str:
        cell = self.cell(column)
        return "" if cell is None else cell.isoformat() if isinstance(cell, date) else str(cell).strip()

    def refuse(self, column: PlaceColumn, code: InputCode, **params: object) -> None:
        field = self.header.header(column)
        self.problems.append(Problem(self.row.line, code, {**params, "field": field}, column=field))

    def text(self, column: PlaceColumn, *, required: bool = False) -> str | None:
        value = " ".join(self.raw(column).split())
        if not value:
            if required:
                self.refuse(column, CommonInputCode.REQUIRED)
            return None
        if len(value) > (limit := MAX_LENGTH.get(column, 200)):
            self.refuse(column, CommonInputCode.TEXT_TOO_LONG, max=limit)
            return None
        return value

    def code(self, column: PlaceColumn, *, required: bool = False) -> str | None:
        value = self.raw(column)
        if not value:
            return self.text(column, required=required)
        if not CODE.fullmatch(value):
            self.refuse(column, PlacesFileCode.PLACES_CODE_INVALID, value=value)
            return None
        return value

    def choice(
        self, column: PlaceColumn, choices: Mapping[str, T], code: InputCode, *, required: bool = True
    ) -> T | None:
        value = self.text(column, required=required)
        if value is None:
            return None
        chosen = choices.get(re.sub(r"[\W_]+", "", value.casefold()))
        if chosen is None:
            self.refuse(column, code, value=value)
        return chosen

    def number(
        self, column: PlaceColumn, kind: type[T], low: float, high: float, *, required: bool = False
    ) -> T | None:
        """A number written ``1.5`` or ``1,5`` (Indonesian spreadsheets), or as a workbook stores it."""
        cell, text = self.cell(column), self.raw(column)
        if not text:
            return self.text(column, required=required)  # type: ignore[return-value]  # None, maybe with a problem
        try:
            value = float(cell) if isinstance(cell, int | float) else float(text.replace(",", "."))
        except ValueError:
            self.refuse(column, PlacesFileCode.PLACES_NUMBER_INVALID, value=text)
            return None
        if kind is int and not value.is_integer():
            self.refuse(column, PlacesFileCode.PLACES_WHOLE_NUMBER_INVALID, value=text)
            return None
        if not low <= value <= high:
            self.refuse(column, PlacesFileCode.PLACES_NUMBER_OUT_OF_RANGE, value=text, low=low, high=high)
            return None
        return kind(value)  # type: ignore[call-arg]

    def time_zone(self, column: PlaceColumn) -> str | None:
        value = self.text(column)
        if value is None:
            return None
        try:
            if value in _zone_names():
                return ZoneInfo(value).key
        except (ZoneInfoNotFoundError, ValueError):
            pass
        self.refuse(column, PlacesFileCode.PLACES_TIME_ZONE_UNKNOWN, value=value)
        return None

    def hour(self, column: PlaceColumn) -> time | None:
        text = self.raw(column)
        if not text:
            return None
        match = HOUR.fullmatch(text)
        if match and int(match[1]) < 24 and int(match[2]) < 60:
            return time(int(match[1]), int(match[2]))
        self.refuse(column, PlacesFileCode.PLACES_TIME_INVALID, value=text)
        return None


@cache
def _zone_names() -> frozenset[str]:
    """The IANA names zoneinfo knows (``available_timezones`` scans the disk: once per process)."""
    return frozenset(available_timezones())
