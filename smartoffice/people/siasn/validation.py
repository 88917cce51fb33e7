"""One row at a time: cells → a :class:`PersonRecord` and the units it names, or the problems with its cells.

Checks across rows (repeated numbers, supervisors, the unit tree) are :mod:`.structure`'s.
"""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar

from smartoffice.errors import CommonInputCode, InputCode, InvalidInput
from smartoffice.people.models import EmploymentType, PositionKind
from smartoffice.people.siasn.columns import MAX_LENGTHS, Column, HeaderRow
from smartoffice.people.siasn.errors import PeopleFileCode
from smartoffice.people.siasn.nip import parse_nip
from smartoffice.people.siasn.problems import Problem
from smartoffice.people.siasn.reader import Cell, RawRow
from smartoffice.people.siasn.records import PersonRecord

POSITION_KINDS = {
    **dict.fromkeys(("struktural", "jabatanstruktural", "manajerial", "managerial"), PositionKind.MANAGERIAL),
    **dict.fromkeys(("fungsional", "fungsionaltertentu", "jft", "functional"), PositionKind.FUNCTIONAL),
    # "fungsional umum" (JFU) is what pelaksana posts were called before 2019, and older exports still say
    **dict.fromkeys(("pelaksana", "jabatanpelaksana", "fungsionalumum", "jfu", "executor"), PositionKind.EXECUTOR),
}
EMPLOYMENT_TYPES = {
    **dict.fromkeys(("pns", "cpns"), EmploymentType.PNS),  # a CPNS already holds their NIP
    **dict.fromkeys(("pppk", "p3k", "pppkparuhwaktu"), EmploymentType.PPPK),
}
ESELON = re.compile(r"(?i)(?:eselon\s*)?(IV|V|I{1,3})\s*[.\-/ ]?\s*([ab])?")
EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")
DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
UNIT_PATH_SEPARATOR = ">"
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class UnitClaim:
    """What one row says about a unit."""

    line: int
    code: str
    name: str | None
    parent_code: str | None
    organisation_code: str | None


@dataclass
class RowResult:
    line: int
    person: PersonRecord | None = None
    nip: str | None = None
    """The number as written (cleaned), even when it is not valid: others may name it as their supervisor."""
    supervisor_nip: str | None = None
    units: list[UnitClaim] = field(default_factory=list)
    organisation: tuple[str, str | None] | None = None
    problems: list[Problem] = field(default_factory=list)


class RowValidator:
    """Reads the rows under one header, as of ``today`` (the day the file is checked: nothing reads the clock)."""

    def __init__(self, header: HeaderRow, today: date) -> None:
        self.header, self.today = header, today
        self.unit_codes_given = Column.UNIT_CODE in header.index

    def validate(self, row: RawRow) -> RowResult:
        result = RowResult(row.line)
        cells = _Cells(self.header, row, result.problems)
        organisation_code = cells.text(Column.ORGANISATION_CODE)
        if organisation_code:
            result.organisation = (organisation_code, cells.text(Column.ORGANISATION_NAME))
        result.units = self._units(cells, organisation_code)
        if not any(cells.text(c) for c in (Column.NIP, Column.NAME, Column.EMAIL)):
            return result  # a row that only describes a unit (one with no staff of its own, say)
        result.nip = cells.nip(Column.NIP)
        result.supervisor_nip = cells.nip(Column.SUPERVISOR_NIP, required=False)
        person = self._person(cells, result)
        result.person = person if not any(not p.is_warning for p in result.problems) else None
        return result

    def _person(self, cells: "_Cells", result: RowResult) -> PersonRecord | None:
        name, email = cells.text(Column.NAME, required=True), cells.email(Column.EMAIL)
        kind = cells.choice(Column.POSITION_KIND, POSITION_KINDS, PeopleFileCode.POSITION_KIND_UNKNOWN)
        employment = cells.choice(Column.EMPLOYMENT_TYPE, EMPLOYMENT_TYPES, PeopleFileCode.EMPLOYMENT_TYPE_UNKNOWN)
        placed_on = cells.day(Column.PLACED_ON)
        appointed = None
        if result.nip and employment:
            try:
                appointed = parse_nip(result.nip, employment, self.today, field=cells.header(Column.NIP)).appointed
            except InvalidInput as refusal:
                assert isinstance(refusal.error_code, InputCode)
                cells.refuse(Column.NIP, refusal.error_code, **refusal.params)
        if placed_on and placed_on > self.today:
            cells.warn(Column.PLACED_ON, PeopleFileCode.DATE_IN_FUTURE, value=cells.raw(Column.PLACED_ON))
        elif placed_on and appointed and placed_on < appointed:
            cells.warn(
                Column.PLACED_ON, PeopleFileCode.PLACED_BEFORE_APPOINTMENT, value=cells.raw(Column.PLACED_ON),
                appointed=appointed.isoformat(),
            )  # fmt: skip
        if result.supervisor_nip and result.supervisor_nip == result.nip:
            cells.refuse(Column.SUPERVISOR_NIP, PeopleFileCode.SUPERVISOR_IS_SELF)
        if not (result.nip and name and email and kind and employment and placed_on and result.units):
            return None
        return PersonRecord(
            line=result.line,
            nip=result.nip,
            name=name,
            email=email,
            position_name=cells.text(Column.POSITION_NAME),
            position_kind=kind,
            position_level=_level(cells.text(Column.POSITION_LEVEL), kind),
            unit_code=result.units[-1].code,
            employment_type=employment,
            placed_on=placed_on,
            supervisor_nip=result.supervisor_nip,
            building_code=cells.text(Column.BUILDING_CODE),
        )

    def _units(self, cells: "_Cells", organisation_code: str | None) -> list[UnitClaim]:
        line = cells.row.line
        if self.unit_codes_given:
            code = cells.text(Column.UNIT_CODE, required=True)
            if not code:
                return []
            parent = cells.text(Column.PARENT_UNIT_CODE)
            return [UnitClaim(line, code, cells.text(Column.UNIT_NAME), parent, organisation_code)]
        path = cells.text(Column.UNIT_NAME, required=True)
        if not path:
            return []
        names = [" ".join(part.split()) for part in path.split(UNIT_PATH_SEPARATOR)]
        if not all(names):
            cells.refuse(Column.UNIT_NAME, PeopleFileCode.UNIT_PATH_EMPTY_PART, value=path)
            return []
        codes = [derived_unit_code(organisation_code, names[: depth + 1]) for depth in range(len(names))]
        parents = [None, *codes[:-1]]
        return [UnitClaim(line, c, n, p, organisation_code) for c, n, p in zip(codes, names, parents, strict=True)]


def derived_unit_code(organisation_code: str | None, path: list[str]) -> str:
    """A stable code for a unit known only by its path (``U-`` and 16 hex digits): the same path in the same
    organisation gets the same code in every import."""
    key = "\x1f".join([organisation_code or "", *path])
    return "U-" + hashlib.sha256(key.encode()).hexdigest()[:16]


def _level(text: str | None, kind: PositionKind) -> str | None:
    """An eselon written any way (``IIa``, ``II/a``, ``Eselon II.a``) as ``II.a``; other levels as written."""
    if text and kind is PositionKind.MANAGERIAL and (match := ESELON.fullmatch(text)):
        roman, grade = match.groups()
        return f"{roman.upper()}.{grade.lower()}" if grade else roman.upper()
    return text


class _Cells:
    """The cells of one row by column, each read once into a value or a problem."""

    def __init__(self, header: HeaderRow, row: RawRow, problems: list[Problem]) -> None:
        self.header_row, self.row, self.problems = header, row, problems

    def header(self, column: Column) -> str:
        return self.header_row.header(column)

    def cell(self, column: Column) -> Cell:
        index = self.header_row.index.get(column)
        return self.row.cells[index] if index is not None and index < len(self.row.cells) else None

    def raw(self, column: Column) -> str:
        cell = self.cell(column)
        return "" if cell is None else cell.isoformat() if isinstance(cell, date) else str(cell)

    def refuse(self, column: Column, code: InputCode, **params: object) -> None:
        params = {**params, "field": self.header(column)}
        self.problems.append(Problem(self.row.line, code, params, column=self.header(column)))

    def warn(self, column: Column, code: InputCode, **params: object) -> None:
        params = {**params, "field": self.header(column)}
        self.problems.append(Problem(self.row.line, code, params, column=self.header(column), is_warning=True))

    def text(self, column: Column, *, required: bool = False) -> str | None:
        value = " ".join(self.raw(column).split())
        if not value:
            if required:
                self.refuse(column, CommonInputCode.REQUIRED)
            return None
        if len(value) > (limit := MAX_LENGTHS.get(column, 200)):
            self.refuse(column, CommonInputCode.TEXT_TOO_LONG, max=limit)
            return None
        return value

    def nip(self, column: Column, *, required: bool = True) -> str | None:
        """The number without the spaces people put in it (``19850312 201001 1 001``) or Excel's text mark."""
        cell = self.cell(column)
        if isinstance(cell, float):  # an 18-digit number does not fit a double: its last digits are gone
            self.refuse(column, PeopleFileCode.NIP_STORED_AS_NUMBER)
            return None
        number = "".join(self.raw(column).split()).lstrip("'")
        if not number:
            if required:
                self.refuse(column, CommonInputCode.REQUIRED)
            return None
        if column is Column.SUPERVISOR_NIP and not (len(number) == 18 and number.isascii() and number.isdigit()):
            self.refuse(column, PeopleFileCode.NIP_NOT_18_DIGITS, value=number)
            return None
        return number

    def email(self, column: Column) -> str | None:
        value = self.text(column, required=True)
        if value and not EMAIL.fullmatch(value):
            self.refuse(column, PeopleFileCode.EMAIL_INVALID, value=value)
            return None
        return value.lower() if value else None

    def choice(self, column: Column, choices: dict[str, T], code: PeopleFileCode) -> T | None:
        value = self.text(column, required=True)
        if value is None:
            return None
        chosen = choices.get(re.sub(r"[\W_]+", "", value.casefold()))
        if chosen is None:
            self.refuse(column, code, value=value)
        return chosen

    def day(self, column: Column) -> date | None:
        cell = self.cell(column)
        if isinstance(cell, datetime):
            return cell.date()
        if isinstance(cell, date):
            return cell
        text = self.text(column, required=True)
        if text is None:
            return None
        if parsed := _parsed_day(text):
            return parsed
        self.refuse(column, PeopleFileCode.DATE_INVALID, value=text)
        return None


def _parsed_day(text: str) -> date | None:
    """``2024-07-01`` (a time after it is ignored, as spreadsheets add one) or ``01-07-2024`` / ``01/07/2024``."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}(?:[ T]00:00(?::00)?)?", text):
            return date.fromisoformat(text[:10])
        if match := DAY_MONTH_YEAR.fullmatch(text):
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
    except ValueError:
        return None
    return None
