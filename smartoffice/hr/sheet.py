"""Reading an HR-style file's rows by column: the header row, and each row's cells as text, NIP or day.

The ratings and cases files (:mod:`smartoffice.hr.reader`) and attendance files
(:mod:`smartoffice.attendance.reader`) share this; each names its own columns (a ``StrEnum``), their headers and
which are required. The rows come from :func:`smartoffice.people.siasn.reader.read_rows`. A header is the first of
the first :data:`HEADER_SEARCH_ROWS` rows that names :data:`MIN_HEADER_MATCHES` of the columns, whatever its case,
spacing and punctuation; other columns are ignored.
"""

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Generic, TypeVar

from smartoffice.errors import CommonInputCode, InputCode
from smartoffice.hr.checks import normalised
from smartoffice.people.siasn.errors import PeopleFileCode
from smartoffice.people.siasn.problems import Problem
from smartoffice.people.siasn.reader import Cell, RawRow, as_text
from smartoffice.people.siasn.validation import DAY_MONTH_YEAR

HEADER_SEARCH_ROWS = 10
MIN_HEADER_MATCHES = 2
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]00:00(?::00)?)?")
F = TypeVar("F", bound=StrEnum)


@dataclass(frozen=True, slots=True)
class Header(Generic[F]):
    line: int
    index: dict[F, int]
    """Each column the header names, by its position in a row."""
    names: dict[F, str]
    """Each column as the header writes it (the first of its headers for one it lacks)."""
    problems: list[Problem]
    """A column named twice, a required one missing: with any, no row is read."""


def find_header(
    rows: tuple[RawRow, ...], headers: Mapping[F, tuple[str, ...]], columns: Collection[F], required: Collection[F]
) -> Header[F] | None:
    """The header row among the first rows, naming ``columns`` by their ``headers`` (each column's, ours first);
    None if no row names enough of them. ``names`` holds every column of ``headers``."""
    by_header = {normalised(h): f for f in columns for h in headers[f]}
    for row in rows[:HEADER_SEARCH_ROWS]:
        index: dict[F, int] = {}
        written: dict[F, str] = {}
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
            names = {f: written.get(f, headers[f][0]) for f in headers}
            for column in required:
                if column not in index:
                    problems.append(Problem(row.line, PeopleFileCode.COLUMN_MISSING, {"field": names[column]}))
            return Header(row.line, index, names, problems)
    return None


class SheetRow(Generic[F]):
    """One row's cells by column; a cell that cannot be read is reported with the row's line."""

    def __init__(self, row: RawRow, index: Mapping[F, int], names: Mapping[F, str], problems: list[Problem]) -> None:
        self.row, self.index, self.names, self.problems = row, index, names, problems

    @property
    def line(self) -> int:
        return self.row.line

    def cell(self, column: F) -> Cell:
        position = self.index.get(column)
        return self.row.cells[position] if position is not None and position < len(self.row.cells) else None

    def text(self, column: F) -> str:
        cell = self.cell(column)
        if isinstance(cell, float) and cell.is_integer():
            return str(int(cell))
        return "" if cell is None else cell.isoformat() if isinstance(cell, date) else str(cell).strip()

    def refuse(self, column: F, code: InputCode, **params: object) -> None:
        name = self.names[column]
        self.problems.append(Problem(self.line, code, {**params, "field": name}, column=name))

    def nip(self, column: F) -> str | None:
        """The NIP as written; None (reported here) when a workbook stored it as a number."""
        if isinstance(self.cell(column), float):  # 18 digits do not fit a double: the last ones are gone
            self.refuse(column, PeopleFileCode.NIP_STORED_AS_NUMBER)
            return None
        return self.text(column)

    def day(self, column: F, *, required: bool) -> tuple[date | None, bool]:
        """The cell's day, and whether it is usable (empty and optional, or a day); a problem is reported here."""
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
