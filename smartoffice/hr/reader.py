"""Ratings and discipline-cases files, as an HR system exports them: CSV or XLSX bytes → records, or the problems.

The bytes are read as people files are (:func:`smartoffice.people.siasn.reader.read_rows`: UTF-8 CSV with ``;``,
``,`` or tab, or an XLSX workbook's first sheet; blank rows skipped but counted in the line numbers). The header
is the first of the first :data:`HEADER_SEARCH_ROWS` rows that names two of the kind's columns; a header matches
whatever its case, spacing and punctuation, and other columns (``Nama``, ``Unit Kerja`` ...) are ignored.

Ratings (one row per person and SKP year)::

    NIP;Periode;Predikat
    198601102010011003;2025;Sangat Baik

Discipline cases (one row per case: its number in the HR system, with the NIP, is what a re-import matches)::

    NIP;Nomor Kasus;Status;Tanggal Mulai;Tanggal Selesai
    198601102010011003;800/12/KEP/2025;selesai;2025-02-03;2025-08-03
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from smartoffice.errors import CommonInputCode, InputCode
from smartoffice.hr.errors import HrRecordCode
from smartoffice.hr.records import Field, Names, Record, RecordKind, case_record, normalised, rating_record
from smartoffice.people.siasn.columns import HEADERS as PEOPLE_HEADERS
from smartoffice.people.siasn.columns import Column
from smartoffice.people.siasn.errors import PeopleFileCode
from smartoffice.people.siasn.problems import Problem, UnreadableFile
from smartoffice.people.siasn.reader import MAX_ROWS, Cell, RawRow, as_text, read_rows
from smartoffice.people.siasn.validation import DAY_MONTH_YEAR

HEADER_SEARCH_ROWS = 10
MIN_HEADER_MATCHES = 2
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]00:00(?::00)?)?")

HEADERS: Mapping[Field, tuple[str, ...]] = {
    Field.NIP: PEOPLE_HEADERS[Column.NIP],
    Field.PERIOD: ("Periode", "Tahun", "Periode SKP", "Tahun SKP", "Tahun Penilaian", "Period", "Year"),
    Field.RATING: ("Predikat", "Predikat Kinerja", "Predikat SKP", "Rating"),
    Field.REFERENCE: ("Nomor Kasus", "Nomor", "Nomor SK", "No SK", "Nomor Perkara", "Reference"),
    Field.STATUS: ("Status", "Status Kasus", "Status Hukuman"),
    Field.OPENED_ON: ("Tanggal Mulai", "Tanggal Dibuka", "TMT Hukuman", "Opened On"),
    Field.CLOSED_ON: ("Tanggal Selesai", "Tanggal Ditutup", "Closed On"),
}
"""Each column's headers; the first is the one our example files and messages use."""

COLUMNS: Mapping[RecordKind, tuple[Field, ...]] = {
    RecordKind.RATINGS: (Field.NIP, Field.PERIOD, Field.RATING),
    RecordKind.CASES: (Field.NIP, Field.REFERENCE, Field.STATUS, Field.OPENED_ON, Field.CLOSED_ON),
}
REQUIRED: Mapping[RecordKind, tuple[Field, ...]] = {
    RecordKind.RATINGS: COLUMNS[RecordKind.RATINGS],
    RecordKind.CASES: (Field.NIP, Field.REFERENCE, Field.STATUS, Field.OPENED_ON),
}
"""A cases file may lack ``Tanggal Selesai`` (none of its cases is closed)."""


@dataclass(frozen=True, slots=True)
class RecordsFile:
    """A file read and checked row by row (checks across rows and against the database are :mod:`.plan`'s)."""

    kind: RecordKind
    records: tuple[Record, ...]
    problems: tuple[Problem, ...]
    names: Names = field(default_factory=dict)
    """Each column as the file's header writes it (ours for a column it lacks)."""

    @property
    def is_valid(self) -> bool:
        return not self.problems


def read_records_file(kind: RecordKind, content: bytes, *, today: date, max_rows: int = MAX_ROWS) -> RecordsFile:
    """The records and problems of a CSV or XLSX ratings or cases file, checked as of ``today``."""
    try:
        rows = read_rows(content, max_rows=max_rows)
    except UnreadableFile as unreadable:
        return RecordsFile(kind, (), (unreadable.problem,))
    found = _header(kind, rows)
    if found is None:
        columns = ", ".join(HEADERS[f][0] for f in COLUMNS[kind])
        problem = Problem(1, HrRecordCode.HR_HEADER_NOT_FOUND, {"columns": columns, "rows": HEADER_SEARCH_ROWS})
        return RecordsFile(kind, (), (problem,))
    line, index, names, problems = found
    if problems:
        return RecordsFile(kind, (), tuple(problems), names)
    records: list[Record] = []
    for row in rows:
        if row.line > line:
            record = _record(kind, _Row(row, index, names, problems), today)
            if record is not None:
                records.append(record)
    return RecordsFile(kind, tuple(records), tuple(problems), names)


def _header(kind: RecordKind, rows: tuple[RawRow, ...]) -> tuple[int, dict[Field, int], Names, list[Problem]] | None:
    by_header = {normalised(h): f for f in COLUMNS[kind] for h in HEADERS[f]}
    for row in rows[:HEADER_SEARCH_ROWS]:
        index: dict[Field, int] = {}
        written: dict[Field, str] = {}
        problems: list[Problem] = []
        for position, text in enumerate(as_text(row.cells)):
            column = by_header.get(normalised(text)) if text.strip() else None
            if column is None:
                continue
            if column in index:
                params = {"first": written[column], "second": text.strip()}
                problems.append(Problem(row.line, PeopleFileCode.COLUMN_REPEATED, params))
                continue
            index[column], written[column] = position, text.strip()
        if len(index) >= MIN_HEADER_MATCHES:
            names = {f: written.get(f, HEADERS[f][0]) for f in Field}
            for column in REQUIRED[kind]:
                if column not in index:
                    problems.append(Problem(row.line, PeopleFileCode.COLUMN_MISSING, {"field": names[column]}))
            return row.line, index, names, problems
    return None


class _Row:
    """One row's cells by column; a cell that cannot be read is reported with the row's line."""

    def __init__(self, row: RawRow, index: Mapping[Field, int], names: Names, problems: list[Problem]) -> None:
        self.row, self.index, self.names, self.problems = row, index, names, problems

    @property
    def line(self) -> int:
        return self.row.line

    def cell(self, column: Field) -> Cell:
        position = self.index.get(column)
        return self.row.cells[position] if position is not None and position < len(self.row.cells) else None

    def text(self, column: Field) -> str:
        cell = self.cell(column)
        if isinstance(cell, float) and cell.is_integer():
            return str(int(cell))
        return "" if cell is None else cell.isoformat() if isinstance(cell, date) else str(cell).strip()

    def refuse(self, column: Field, code: InputCode, **params: object) -> None:
        name = self.names[column]
        self.problems.append(Problem(self.line, code, {**params, "field": name}, column=name))

    def nip(self) -> str | None:
        if isinstance(self.cell(Field.NIP), float):  # 18 digits do not fit a double: the last ones are gone
            self.refuse(Field.NIP, PeopleFileCode.NIP_STORED_AS_NUMBER)
            return None
        return self.text(Field.NIP)

    def year(self) -> int | None:
        text = self.text(Field.PERIOD)
        return int(text) if len(text) == 4 and text.isascii() and text.isdigit() else None

    def day(self, column: Field, *, required: bool) -> tuple[date | None, bool]:
        """The cell's day, and whether it is usable (empty and optional, or a day)."""
        cell = self.cell(column)
        if isinstance(cell, datetime):
            return cell.date(), True
        if isinstance(cell, date):
            return cell, True
        text = self.text(column)
        if not text:
            if required:
                self.refuse(column, CommonInputCode.REQUIRED)
            return None, not required
        day = parsed_day(text)
        if day is None:
            self.refuse(column, PeopleFileCode.DATE_INVALID, value=text)
        return day, day is not None


def _record(kind: RecordKind, row: _Row, today: date) -> Record | None:
    line, names, problems = row.line, row.names, row.problems
    if kind == RecordKind.RATINGS:
        period = row.text(Field.PERIOD)
        return rating_record(
            line, names, problems, today,
            nip=row.nip(), period=row.year(), period_written=period, rating=row.text(Field.RATING),
        )  # fmt: skip
    opened_on, opened_ok = row.day(Field.OPENED_ON, required=True)
    closed_on, closed_ok = row.day(Field.CLOSED_ON, required=False)
    record = case_record(
        line, names, problems,
        nip=row.nip(), reference=row.text(Field.REFERENCE), status=row.text(Field.STATUS),
        opened_on=opened_on, closed_on=closed_on, closed_written=row.text(Field.CLOSED_ON),
    )  # fmt: skip
    return record if opened_ok and closed_ok else None


def parsed_day(text: str) -> date | None:
    """``2025-07-01`` (a time after it is ignored, as spreadsheets add one) or ``01-07-2025`` / ``01/07/2025``."""
    try:
        if ISO_DAY.fullmatch(text):
            return date.fromisoformat(text[:10])
        if match := DAY_MONTH_YEAR.fullmatch(text):
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
    except ValueError:
        return None
    return None
