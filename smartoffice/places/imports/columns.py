"""The columns of a places file and the headers that name them (English, and Indonesian as facilities staff write).

Headers match whatever their case, spacing and punctuation (the people file's :func:`normalised_header`); other
columns are ignored.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from smartoffice.people.siasn.columns import normalised_header


class PlaceColumn(StrEnum):
    SITE_CODE = "site_code"
    SITE_NAME = "site_name"
    BUILDING_CODE = "building_code"
    BUILDING_NAME = "building_name"
    TIME_ZONE = "time_zone"
    OPENS_AT = "opens_at"
    CLOSES_AT = "closes_at"
    FLOOR = "floor"
    FLOOR_NAME = "floor_name"
    ZONE_CODE = "zone_code"
    ZONE_NAME = "zone_name"
    SPACE_CODE = "space_code"
    SPACE_NAME = "space_name"
    KIND = "kind"
    CAPACITY = "capacity"
    AMENITIES = "amenities"
    X = "x"
    Y = "y"
    WIDTH = "width"
    HEIGHT = "height"
    ROTATION = "rotation"
    BOOKABLE = "bookable"
    REQUIRES_APPROVAL = "requires_approval"


HEADERS: Mapping[PlaceColumn, tuple[str, ...]] = {
    PlaceColumn.SITE_CODE: ("Kode Kawasan", "Kode Lokasi", "Kode Situs", "Site Code", "Site"),
    PlaceColumn.SITE_NAME: ("Nama Kawasan", "Nama Lokasi", "Nama Situs", "Site Name"),
    PlaceColumn.BUILDING_CODE: ("Kode Gedung", "Gedung", "Building Code", "Building"),
    PlaceColumn.BUILDING_NAME: ("Nama Gedung", "Building Name"),
    PlaceColumn.TIME_ZONE: ("Zona Waktu", "Time Zone", "Timezone"),
    PlaceColumn.OPENS_AT: ("Jam Buka", "Opens At"),
    PlaceColumn.CLOSES_AT: ("Jam Tutup", "Closes At"),
    PlaceColumn.FLOOR: ("Lantai", "Floor", "Level"),
    PlaceColumn.FLOOR_NAME: ("Nama Lantai", "Floor Name"),
    PlaceColumn.ZONE_CODE: ("Kode Zona", "Zone Code"),
    PlaceColumn.ZONE_NAME: ("Zona", "Nama Zona", "Zone", "Zone Name"),
    PlaceColumn.SPACE_CODE: ("Kode Meja", "Kode Ruang", "Kode", "Space Code", "Code"),
    PlaceColumn.SPACE_NAME: ("Nama Ruang", "Nama", "Space Name", "Name"),
    PlaceColumn.KIND: ("Jenis", "Jenis Ruang", "Kind", "Type"),
    PlaceColumn.CAPACITY: ("Kapasitas", "Capacity"),
    PlaceColumn.AMENITIES: ("Fasilitas", "Amenities"),
    PlaceColumn.X: ("X",),
    PlaceColumn.Y: ("Y",),
    PlaceColumn.WIDTH: ("Lebar", "Width"),
    PlaceColumn.HEIGHT: ("Panjang", "Tinggi", "Height", "Depth"),
    PlaceColumn.ROTATION: ("Rotasi", "Rotation"),
    PlaceColumn.BOOKABLE: ("Dapat Dipesan", "Bisa Dipesan", "Bookable"),
    PlaceColumn.REQUIRES_APPROVAL: ("Perlu Persetujuan", "Requires Approval", "Approval"),
}
"""Each column's headers; the first is the one the example file and messages use."""

REQUIRED = (
    PlaceColumn.SITE_CODE,
    PlaceColumn.BUILDING_CODE,
    PlaceColumn.FLOOR,
    PlaceColumn.SPACE_CODE,
    PlaceColumn.KIND,
)
"""Columns a file must have. Names default to codes (``Lantai 3`` for level 3); everything else is optional."""

_BY_HEADER: Mapping[str, PlaceColumn] = {
    normalised_header(header): column for column, headers in HEADERS.items() for header in headers
}


@dataclass(frozen=True, slots=True)
class PlaceHeader:
    """Where each known column is (its index) and its header as the file writes it."""

    line: int
    index: Mapping[PlaceColumn, int]
    written: Mapping[PlaceColumn, str]
    repeated: tuple[tuple[str, str], ...]

    def header(self, column: PlaceColumn) -> str:
        return self.written.get(column, HEADERS[column][0])

    def has(self, column: PlaceColumn) -> bool:
        return column in self.index


def place_header(line: int, cells: Iterable[str]) -> PlaceHeader:
    index: dict[PlaceColumn, int] = {}
    written: dict[PlaceColumn, str] = {}
    repeated: list[tuple[str, str]] = []
    for position, text in enumerate(cells):
        column = _BY_HEADER.get(normalised_header(text)) if text.strip() else None
        if column is None:
            continue
        if column in index:
            repeated.append((written[column], text.strip()))
            continue
        index[column], written[column] = position, text.strip()
    return PlaceHeader(line, index, written, tuple(repeated))
