"""Checks across rows: numbers and emails used twice, supervisors who are not in the file or who go round in a
circle, units described two ways, whose parent is missing, or that are their own ancestors.

A supervisor who is not in the file is an error, not a warning: the file is the whole staff (whoever is missing
from it leaves), so such a supervisor would leave with this import.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from smartoffice.errors import CommonInputCode
from smartoffice.people.siasn.columns import Column, HeaderRow
from smartoffice.people.siasn.errors import PeopleFileCode
from smartoffice.people.siasn.problems import Problem
from smartoffice.people.siasn.records import OrganisationRecord, PersonRecord, UnitRecord
from smartoffice.people.siasn.validation import RowResult, UnitClaim


@dataclass
class _Unit:
    first: UnitClaim
    name: str | None = None
    parent_code: str | None = None
    parent_line: int = 0
    organisation_code: str | None = None
    lines: dict[str, int] = field(default_factory=dict)
    """The line each of name, parent and organisation was first given on."""


class Structure:
    def __init__(self, header: HeaderRow, rows: list[RowResult]) -> None:
        self.header, self.rows = header, rows
        self.problems: list[Problem] = []

    def problem(
        self, line: int, reason: PeopleFileCode | CommonInputCode, column: Column | None, **params: object
    ) -> None:
        name = self.header.header(column) if column else None
        self.problems.append(Problem(line, reason, {**params, "field": name or ""}, column=name))

    def people(self) -> tuple[PersonRecord, ...]:
        """The rows' people, less those whose number or email an earlier row has; supervisors checked."""
        first_nip: dict[str, int] = {}
        for row in self.rows:
            if row.nip and (other := first_nip.setdefault(row.nip, row.line)) != row.line:
                self.problem(row.line, PeopleFileCode.NIP_REPEATED, Column.NIP, value=row.nip, other_line=other)
                row.person = None
        first_email: dict[str, int] = {}
        people: list[PersonRecord] = []
        for row in self.rows:
            if (person := row.person) and (other := first_email.setdefault(person.email, row.line)) != row.line:
                self.problem(
                    row.line, PeopleFileCode.EMAIL_REPEATED, Column.EMAIL, value=person.email, other_line=other
                )
            elif person:
                people.append(person)
        self._check_supervisors(first_nip)
        return tuple(people)

    def _check_supervisors(self, line_of: Mapping[str, int]) -> None:
        supervisor_of: dict[str, str] = {}
        for row in self.rows:
            if not row.supervisor_nip or row.supervisor_nip == row.nip:
                continue
            if row.supervisor_nip not in line_of:
                self.problem(
                    row.line, PeopleFileCode.SUPERVISOR_NOT_IN_FILE, Column.SUPERVISOR_NIP, value=row.supervisor_nip
                )
            elif row.nip and line_of[row.nip] == row.line:
                supervisor_of[row.nip] = row.supervisor_nip
        for cycle in _cycles(supervisor_of):
            lines = sorted(line_of[nip] for nip in cycle)
            self.problem(lines[0], PeopleFileCode.SUPERVISION_CYCLE, None, lines=", ".join(map(str, lines)))

    def organisations(self) -> tuple[OrganisationRecord, ...]:
        found: dict[str, OrganisationRecord] = {}
        for row in self.rows:
            if row.organisation is None:
                continue
            code, name = row.organisation
            known = found.setdefault(code, OrganisationRecord(code, name, row.line))
            if name and known.name is None:
                found[code] = OrganisationRecord(code, name, known.line)
            elif name and name != known.name:
                self.problem(
                    row.line, PeopleFileCode.DESCRIBED_TWICE, Column.ORGANISATION_NAME, code=code, other_line=known.line
                )
        return tuple(found.values())

    def units(self) -> tuple[UnitRecord, ...]:
        units: dict[str, _Unit] = {}
        for claim in (claim for row in self.rows for claim in row.units):
            unit = units.setdefault(claim.code, _Unit(claim))
            self._merge(unit, "name", claim.name, claim.line, Column.UNIT_NAME)
            self._merge(unit, "parent_code", claim.parent_code, claim.line, Column.PARENT_UNIT_CODE)
            self._merge(unit, "organisation_code", claim.organisation_code, claim.line, Column.ORGANISATION_CODE)
        for code, unit in units.items():
            if unit.name is None:
                self.problem(unit.first.line, CommonInputCode.REQUIRED, Column.UNIT_NAME)
            if unit.parent_code is not None and unit.parent_code not in units:
                line = unit.lines["parent_code"]
                self.problem(line, PeopleFileCode.UNIT_PARENT_MISSING, Column.PARENT_UNIT_CODE, value=unit.parent_code)
                unit.parent_code = None  # reported: treated as a top unit so that its children are still checked
            if unit.parent_code == code:
                unit.parent_code = None
                self.problem(unit.lines["parent_code"], PeopleFileCode.UNIT_CYCLE, None, codes=code)
        parent_of = {code: unit.parent_code for code, unit in units.items() if unit.parent_code}
        in_cycles: set[str] = set()
        for cycle in _cycles(parent_of):
            in_cycles.update(cycle)
            line = min(units[code].lines["parent_code"] for code in cycle)
            self.problem(line, PeopleFileCode.UNIT_CYCLE, None, codes=" → ".join(cycle))
        return tuple(
            UnitRecord(code, unit.name or "", unit.parent_code, unit.organisation_code, unit.first.line)
            for code, unit in _parents_first(units, in_cycles)
        )

    def _merge(self, unit: _Unit, attribute: str, value: str | None, line: int, column: Column) -> None:
        """Rows may leave a unit's name, parent or organisation out; those that give one must agree."""
        if value is None:
            return
        known = getattr(unit, attribute)
        if known is None:
            setattr(unit, attribute, value)
            unit.lines[attribute] = line
        elif known != value:
            other = unit.lines[attribute]
            self.problem(line, PeopleFileCode.DESCRIBED_TWICE, column, code=unit.first.code, other_line=other)


def _cycles(successor: Mapping[str, str]) -> Iterable[list[str]]:
    """Each cycle of a functional graph once, in walking order from its first node met."""
    state: dict[str, int] = {}  # 1: on the current walk, 2: done
    for start in successor:
        walk: list[str] = []
        node: str | None = start
        while node is not None and node not in state:
            state[node] = 1
            walk.append(node)
            node = successor.get(node)
        if node is not None and state[node] == 1:
            yield walk[walk.index(node) :]
        for visited in walk:
            state[visited] = 2


def _parents_first(units: Mapping[str, _Unit], skipped: set[str]) -> list[tuple[str, _Unit]]:
    children: dict[str | None, list[str]] = {}
    for code, unit in units.items():
        if code not in skipped:
            children.setdefault(unit.parent_code, []).append(code)
    ordered: list[tuple[str, _Unit]] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        code = stack.pop()
        ordered.append((code, units[code]))
        stack.extend(reversed(children.get(code, [])))
    return ordered
