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

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from smartoffice.hr.errors import HrRecordCode
from smartoffice.hr.records import Field, Names, Record, RecordKind, case_record, rating_record
from smartoffice.hr.sheet import HEADER_SEARCH_ROWS, SheetRow, find_header
from smartoffice.people.siasn.columns import HEADERS as PEOPLE_HEADERS
from smartoffice.people.siasn.columns import Column
from smartoffice.people.siasn.problems import Problem, UnreadableFile
from smartoffice.people.siasn.reader import MAX_ROWS, read_rows

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
    header = find_header(rows, HEADERS, COLUMNS[kind], REQUIRED[kind])
    if header is None:
        columns = ", ".join(HEADERS[f][0] for f in COLUMNS[kind])
        problem = Problem(1, HrRecordCode.HR_HEADER_NOT_FOUND, {"columns": columns, "rows": HEADER_SEARCH_ROWS})
        return RecordsFile(kind, (), (problem,))
    if header.problems:
        return RecordsFile(kind, (), tuple(header.problems), header.names)
    problems: list[Problem] = []
    records: list[Record] = []
    for row in rows:
        if row.line > header.line:
            record = _record(kind, _Row(row, header.index, header.names, problems), today)
            if record is not None:
                records.append(record)
    return RecordsFile(kind, tuple(records), tuple(problems), header.names)


class _Row(SheetRow[Field]):
    def year(self) -> int | None:
        text = self.text(Field.PERIOD)
        return int(text) if len(text) == 4 and text.isascii() and text.isdigit() else None


def _record(kind: RecordKind, row: _Row, today: date) -> Record | None:
    line, names, problems = row.line, row.names, row.problems
    if kind == RecordKind.RATINGS:
        period = row.text(Field.PERIOD)
        return rating_record(
            line, names, problems, today,
            nip=row.nip(Field.NIP), period=row.year(), period_written=period, rating=row.text(Field.RATING),
        )  # fmt: skip
    opened_on, opened_ok = row.day(Field.OPENED_ON, required=True)
    closed_on, closed_ok = row.day(Field.CLOSED_ON, required=False)
    record = case_record(
        line, names, problems,
        nip=row.nip(Field.NIP), reference=row.text(Field.REFERENCE), status=row.text(Field.STATUS),
        opened_on=opened_on, closed_on=closed_on, closed_written=row.text(Field.CLOSED_ON),
    )  # fmt: skip
    return record if opened_ok and closed_ok else None
