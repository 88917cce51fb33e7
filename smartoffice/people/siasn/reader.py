"""CSV or XLSX bytes → rows of cells with their line numbers. Nothing is checked here but that the file reads.

CSV: UTF-8, with or without a byte-order mark; ``;``, ``,`` or tab between cells (whichever the first lines use
most: Excel in Indonesia saves ``;``); quotes as Excel writes them. A row's line is the file's line where it
starts. XLSX: the first sheet, read as stored (formulas' last values); a row's line is the sheet's row number.
Blank rows are skipped; they still count in the line numbers.
"""

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from smartoffice.people.siasn.errors import PeopleFileCode
from smartoffice.people.siasn.problems import Problem, UnreadableFile

Cell = str | int | float | date | None
"""A cell as read: always text from a CSV; from a workbook, numbers and dates as Excel stored them (a
``datetime`` for a date cell)."""

MAX_ROWS = 200_000
"""More rows than any agency has staff (tier L, the whole capital, is 100,000 people)."""
DELIMITERS = (";", ",", "\t")
XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True, slots=True)
class RawRow:
    line: int
    cells: tuple[Cell, ...]


def read_rows(content: bytes, *, max_rows: int = MAX_ROWS) -> tuple[RawRow, ...]:
    """The non-blank rows of a CSV or XLSX file (told apart by content, not by name); raises
    :class:`UnreadableFile` when the file cannot be read or holds more than ``max_rows`` rows."""
    rows = _xlsx_rows(content) if content.startswith(XLSX_MAGIC) else _csv_rows(content)
    kept: list[RawRow] = []
    for row in rows:
        if any(cell is not None and cell != "" for cell in row.cells):
            if len(kept) == max_rows:
                raise UnreadableFile(Problem(row.line, PeopleFileCode.FILE_TOO_MANY_ROWS, {"max": max_rows}))
            kept.append(row)
    return tuple(kept)


def _csv_rows(content: bytes) -> Iterator[RawRow]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content.count(b"\n", 0, error.start) + 1
        raise UnreadableFile(Problem(line, PeopleFileCode.FILE_NOT_UTF8)) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=False)
    line = 1
    for cells in reader:
        yield RawRow(line, tuple(cell.strip() for cell in cells))
        line = reader.line_num + 1


def _delimiter(text: str, sample_lines: int = 10) -> str:
    """The delimiter the first few lines use most (the header alone may have one column)."""
    sample = "\n".join(text.splitlines()[:sample_lines])
    return max(DELIMITERS, key=sample.count)


def _xlsx_rows(content: bytes) -> Iterator[RawRow]:
    from openpyxl import load_workbook  # imported when needed: CSV imports do without it
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise UnreadableFile(Problem(1, PeopleFileCode.FILE_NOT_A_WORKBOOK)) from error
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if not isinstance(sheet, ReadOnlyWorksheet):
            raise UnreadableFile(Problem(1, PeopleFileCode.FILE_NOT_A_WORKBOOK))
        sheet.reset_dimensions()  # a sheet's stored size may be wrong (other tools write none): read to the end
        line = 0
        try:
            for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield RawRow(line, tuple(_cell(value) for value in values))
        except (SyntaxError, ValueError, KeyError, zipfile.BadZipFile) as error:  # the sheet's XML is broken
            raise UnreadableFile(Problem(line + 1, PeopleFileCode.FILE_NOT_A_WORKBOOK)) from error
    finally:
        workbook.close()


def _cell(value: object) -> Cell:
    if value is None or isinstance(value, str | date):
        return value.strip() if isinstance(value, str) else value
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, int | float):
        return value
    return str(value)  # a time or a duration: not a value any column takes


def as_text(cells: Iterable[Cell]) -> list[str]:
    """Cells as text (a header row)."""
    return ["" if cell is None else cell.isoformat() if isinstance(cell, date) else str(cell) for cell in cells]
