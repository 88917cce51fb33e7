"""The columns of a people file and the headers that name them, as SIASN/BKN exports and HR staff write them.

A header matches a column whatever its case, spacing and punctuation (``Kode  Unit``, ``KODE_UNIT`` and
``kode-unit`` are the same). Headers the file has beyond these are ignored: a SIASN export has dozens.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum


class Column(StrEnum):
    NIP = "nip"
    NAME = "name"
    EMAIL = "email"
    POSITION_NAME = "position_name"
    POSITION_KIND = "position_kind"
    POSITION_LEVEL = "position_level"
    UNIT_NAME = "unit_name"
    """The unit's name; in a file without unit codes, its path from the top: ``Deputi Bidang Ekonomi > Direktorat
    Industri``."""
    UNIT_CODE = "unit_code"
    PARENT_UNIT_CODE = "parent_unit_code"
    ORGANISATION_CODE = "organisation_code"
    ORGANISATION_NAME = "organisation_name"
    EMPLOYMENT_TYPE = "employment_type"
    PLACED_ON = "placed_on"
    SUPERVISOR_NIP = "supervisor_nip"
    BUILDING_CODE = "building_code"


HEADERS: Mapping[Column, tuple[str, ...]] = {
    Column.NIP: ("NIP", "NIP Baru", "NIP/NI PPPK", "NI PPPK", "Nomor Induk Pegawai"),
    Column.NAME: ("Nama", "Nama Lengkap", "Nama Pegawai", "Name"),
    Column.EMAIL: ("Email", "E-mail", "Email Dinas", "Email Kantor", "Alamat Email"),
    Column.POSITION_NAME: ("Jabatan", "Nama Jabatan", "Position"),
    Column.POSITION_KIND: ("Jenis Jabatan", "Position Kind"),
    Column.POSITION_LEVEL: ("Eselon", "Kelas Jabatan", "Jenjang Jabatan", "Jenjang", "Position Level"),
    Column.UNIT_NAME: ("Unit Kerja", "Unit Organisasi", "Nama Unit", "Unor", "Nama Unor", "Unit Path", "Unit"),
    Column.UNIT_CODE: ("Kode Unit", "Kode Unit Kerja", "Kode Unor", "ID Unor", "Unit Code"),
    Column.PARENT_UNIT_CODE: ("Kode Unit Induk", "Kode Unor Induk", "Kode Induk", "Parent Unit Code"),
    Column.ORGANISATION_CODE: ("Kode Instansi", "Organisation Code"),
    Column.ORGANISATION_NAME: ("Instansi", "Nama Instansi", "Instansi Induk", "Organisation"),
    Column.EMPLOYMENT_TYPE: ("Status Kepegawaian", "Status Pegawai", "Jenis Pegawai", "Employment Type"),
    Column.PLACED_ON: ("TMT Jabatan", "TMT", "Tanggal Mulai Jabatan", "Placed On"),
    Column.SUPERVISOR_NIP: ("NIP Atasan", "NIP Atasan Langsung", "Supervisor NIP"),
    Column.BUILDING_CODE: ("Gedung", "Kode Gedung", "Building"),
}
"""Each column's headers; the first is the one our example file and messages use."""

REQUIRED: tuple[Column, ...] = (
    Column.NIP,
    Column.NAME,
    Column.EMAIL,
    Column.POSITION_KIND,
    Column.UNIT_NAME,
    Column.EMPLOYMENT_TYPE,
    Column.PLACED_ON,
)
"""Columns a file must have. A unit is named by its code (with ``Kode Unit Induk``) and ``Unit Kerja``, or by its
path in ``Unit Kerja`` alone."""

MAX_LENGTHS: Mapping[Column, int] = {
    Column.NAME: 200,
    Column.EMAIL: 200,
    Column.POSITION_NAME: 200,
    Column.POSITION_LEVEL: 64,
    Column.UNIT_NAME: 200,
    Column.UNIT_CODE: 64,
    Column.PARENT_UNIT_CODE: 64,
    Column.ORGANISATION_CODE: 32,
    Column.ORGANISATION_NAME: 200,
    Column.BUILDING_CODE: 32,
}
"""The longest value each text column may hold (the database's column sizes)."""


def normalised_header(text: str) -> str:
    """``' Kode_Unit-Induk '`` → ``kodeunitinduk``: case, spaces and punctuation do not matter."""
    return re.sub(r"[\W_]+", "", text.casefold())


_BY_HEADER: Mapping[str, Column] = {
    normalised_header(header): column for column, headers in HEADERS.items() for header in headers
}


def column_named(header: str) -> Column | None:
    return _BY_HEADER.get(normalised_header(header))


@dataclass(frozen=True, slots=True)
class HeaderRow:
    """Where each known column is in the rows (its index), and its header as the file writes it."""

    line: int
    index: Mapping[Column, int]
    written: Mapping[Column, str]
    repeated: tuple[tuple[str, str], ...]
    """Pairs of headers that name the same column (the first one wins)."""

    def header(self, column: Column) -> str:
        """The header to name in a message: the file's own, else our first."""
        return self.written.get(column, HEADERS[column][0])


def header_row(line: int, cells: Iterable[object]) -> HeaderRow:
    index: dict[Column, int] = {}
    written: dict[Column, str] = {}
    repeated: list[tuple[str, str]] = []
    for position, cell in enumerate(cells):
        text = str(cell).strip() if cell is not None else ""
        column = column_named(text) if text else None
        if column is None:
            continue
        if column in index:
            repeated.append((written[column], text))
            continue
        index[column] = position
        written[column] = text
    return HeaderRow(line, index, written, tuple(repeated))
