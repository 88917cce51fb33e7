"""Attendance files, as a presensi (e-presensi) system exports them: CSV or XLSX bytes → records, or the problems.

The bytes are read as people files are (:func:`smartoffice.people.siasn.reader.read_rows`: UTF-8 CSV with ``;``,
``,`` or tab, or an XLSX workbook's first sheet; blank rows skipped but counted in the line numbers). The header
is the first of the first :data:`HEADER_SEARCH_ROWS` rows that names two of the columns; a header matches whatever
its case, spacing and punctuation, and other columns (``Nama``, ``Unit Kerja`` ...) are ignored. One row per person
and day::

    NIP;Tanggal;Status;Jam Masuk;Sumber
    198601102010011003;2026-07-06;hadir;07:28;e-presensi
    198703152011012004;2026-07-06;WFH;;e-presensi

``Jam Masuk`` (the check-in time, local) and ``Sumber`` (the source system) are optional. The status words are
listed in :mod:`.records`.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time

from smartoffice.attendance.errors import AttendanceCode
from smartoffice.attendance.records import AttendanceRecord, Field, Names, attendance_record
from smartoffice.hr.sheet import HEADER_SEARCH_ROWS, SheetRow, find_header
from smartoffice.people.siasn.columns import HEADERS as PEOPLE_HEADERS
from smartoffice.people.siasn.columns import Column
from smartoffice.people.siasn.problems import Problem, UnreadableFile
from smartoffice.people.siasn.reader import MAX_ROWS, read_rows

HEADERS: Mapping[Field, tuple[str, ...]] = {
    Field.NIP: PEOPLE_HEADERS[Column.NIP],
    Field.DAY: ("Tanggal", "Tgl", "Tanggal Presensi", "Tanggal Kehadiran", "Hari", "Date", "Day"),
    Field.STATUS: ("Status", "Status Kehadiran", "Kehadiran", "Keterangan", "Status Presensi", "Attendance"),
    Field.CHECK_IN: ("Jam Masuk", "Jam Datang", "Waktu Masuk", "Check-in", "Check In Time", "Check-in Time"),
    Field.SOURCE: ("Sumber", "Sumber Data", "Aplikasi", "Source"),
}
"""Each column's headers; the first is the one our example file and messages use."""

COLUMNS: tuple[Field, ...] = (Field.NIP, Field.DAY, Field.STATUS, Field.CHECK_IN, Field.SOURCE)
REQUIRED: tuple[Field, ...] = (Field.NIP, Field.DAY, Field.STATUS)


@dataclass(frozen=True, slots=True)
class AttendanceFile:
    """A file read and checked row by row (checks across rows and against the database are :mod:`.plan`'s)."""

    records: tuple[AttendanceRecord, ...]
    problems: tuple[Problem, ...]
    names: Names = field(default_factory=dict)
    """Each column as the file's header writes it (ours for a column it lacks)."""

    @property
    def is_valid(self) -> bool:
        return not self.problems


def read_attendance_file(content: bytes, *, today: date, max_rows: int = MAX_ROWS) -> AttendanceFile:
    """The records and problems of a CSV or XLSX attendance file, a day after ``today`` refused."""
    try:
        rows = read_rows(content, max_rows=max_rows)
    except UnreadableFile as unreadable:
        return AttendanceFile((), (unreadable.problem,))
    header = find_header(rows, HEADERS, COLUMNS, REQUIRED)
    if header is None:
        columns = ", ".join(HEADERS[f][0] for f in REQUIRED)
        params = {"columns": columns, "rows": HEADER_SEARCH_ROWS}
        return AttendanceFile((), (Problem(1, AttendanceCode.ATTENDANCE_HEADER_NOT_FOUND, params),))
    names = {**header.names, Field.EMPLOYEE_ID: header.names[Field.NIP]}
    if header.problems:
        return AttendanceFile((), tuple(header.problems), names)
    problems: list[Problem] = []
    records: list[AttendanceRecord] = []
    for row in rows:
        if row.line > header.line:
            record = _record(_Row(row, header.index, names, problems), today)
            if record is not None:
                records.append(record)
    return AttendanceFile(tuple(records), tuple(problems), names)


class _Row(SheetRow[Field]):
    def check_in(self) -> str:
        """The check-in cell as ``HH:MM[:SS]`` text: a workbook may store a time as a fraction of a day."""
        cell = self.cell(Field.CHECK_IN)
        if isinstance(cell, float) and 0 <= cell < 1:
            seconds = round(cell * 24 * 3600)
            return time(seconds // 3600, seconds // 60 % 60, seconds % 60).isoformat()
        if isinstance(cell, datetime):
            return cell.time().isoformat()
        return self.text(Field.CHECK_IN)


def _record(row: _Row, today: date) -> AttendanceRecord | None:
    nip, (day, _usable) = row.nip(Field.NIP), row.day(Field.DAY, required=True)
    written = row.text(Field.DAY)
    record = attendance_record(
        row.line, row.names, row.problems, today,
        nip=nip, employee_id=None, day=day, day_written=written, status=row.text(Field.STATUS),
        check_in=row.check_in(), source=row.text(Field.SOURCE),
    )  # fmt: skip
    return record if day is not None else None
