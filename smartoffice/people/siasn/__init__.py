"""People files shaped like a SIASN/BKN export: read a CSV or XLSX file into records, or the problems with it.

::

    parsed = read_people_file(content, today=date(2026, 12, 4))
    if not parsed.is_valid:
        for problem in parsed.errors:
            print(problem.line, problem.column, problem.code.name, problem.message_in("id"))
    parsed.organisations, parsed.units, parsed.people      # records, units parents first

Nothing is written anywhere: the result is immutable, and the same bytes (and ``today``) give the same result.
The columns are :mod:`.columns`'s (README, "Importing people"); the checks are a NIP's (:mod:`.nip`), each row's
(:mod:`.validation`) and those across rows (:mod:`.structure`). Each problem names its line (the file's line, the
header being line 1 when it is the first; a workbook's row) and the column as the file's header writes it.
"""

from datetime import date

from smartoffice.people.siasn.columns import REQUIRED, Column, HeaderRow, header_row
from smartoffice.people.siasn.errors import PeopleFileCode
from smartoffice.people.siasn.nip import Nip, Sex, parse_nip
from smartoffice.people.siasn.problems import Problem, UnreadableFile
from smartoffice.people.siasn.reader import MAX_ROWS, RawRow, as_text, read_rows
from smartoffice.people.siasn.records import OrganisationRecord, PeopleFile, PersonRecord, UnitRecord
from smartoffice.people.siasn.structure import Structure
from smartoffice.people.siasn.validation import RowValidator

__all__ = [
    "Column",
    "Nip",
    "OrganisationRecord",
    "PeopleFile",
    "PeopleFileCode",
    "PersonRecord",
    "Problem",
    "Sex",
    "UnitRecord",
    "parse_nip",
    "read_people_file",
]

HEADER_SEARCH_ROWS = 10
"""The header may sit below a title or two (``DAFTAR PEGAWAI ...``), within the first rows."""
MIN_HEADER_MATCHES = 3


def read_people_file(content: bytes, *, today: date, max_rows: int = MAX_ROWS) -> PeopleFile:
    """The records and problems of a CSV or XLSX people file, checked as of ``today``."""
    try:
        rows = read_rows(content, max_rows=max_rows)
    except UnreadableFile as unreadable:
        return PeopleFile((), (), (), (unreadable.problem,))
    header = _find_header(rows)
    if header is None:
        return PeopleFile((), (), (), (Problem(1, PeopleFileCode.HEADER_NOT_FOUND, {"rows": HEADER_SEARCH_ROWS}),))
    if file_problems := _header_problems(header):
        return PeopleFile((), (), (), tuple(file_problems), _ignored(rows, header))
    validator = RowValidator(header, today)
    results = [validator.validate(row) for row in rows if row.line > header.line]
    structure = Structure(header, results)
    people, units, organisations = structure.people(), structure.units(), structure.organisations()
    problems = [problem for result in results for problem in result.problems] + structure.problems
    problems.sort(key=lambda p: p.line)  # stable: within a line, cells in column order, then across rows
    return PeopleFile(organisations, units, people, tuple(problems), _ignored(rows, header), header.written)


def _find_header(rows: tuple[RawRow, ...]) -> HeaderRow | None:
    for row in rows[:HEADER_SEARCH_ROWS]:
        header = header_row(row.line, as_text(row.cells))
        if len(header.index) >= MIN_HEADER_MATCHES:
            return header
    return None


def _header_problems(header: HeaderRow) -> list[Problem]:
    problems = [
        Problem(header.line, PeopleFileCode.COLUMN_REPEATED, {"first": first, "second": second})
        for first, second in header.repeated
    ]
    for column in REQUIRED:
        if column not in header.index:
            problems.append(Problem(header.line, PeopleFileCode.COLUMN_MISSING, {"field": header.header(column)}))
    return problems


def _ignored(rows: tuple[RawRow, ...], header: HeaderRow) -> tuple[str, ...]:
    cells = as_text(next(row.cells for row in rows if row.line == header.line))
    used = set(header.index.values())
    return tuple(text.strip() for position, text in enumerate(cells) if text.strip() and position not in used)
