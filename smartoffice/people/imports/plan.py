"""What importing a people file would change: the file compared with the database, in a few bulk SELECTs.

Everything is compared in the file's own terms (a unit's parent by code, a supervisor by NIP, a building by its
code), so a plan can be shown before anything exists and applied later by :mod:`.apply`. A column the file lacks
(``Jabatan``, ``NIP Atasan``, ``Gedung``) leaves what it would say as it is; an empty cell clears it.

Who leaves: the active employees of the file's agencies (organisations) that the file does not list. Employees of
other agencies are not touched: one agency's export is not the whole government's staff.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.people.models import Employee, Organisation, OrgUnit
from smartoffice.people.siasn import Column, PeopleFile, PeopleFileCode, PersonRecord, Problem, UnitRecord
from smartoffice.places.models import Building

Values = dict[str, Any]


class ChangeKind(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    REACTIVATED = "reactivated"
    """Inactive in the database, back in the file (maybe with changes too)."""


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True, slots=True)
class Change:
    """One organisation, unit or person to create or update. ``key`` is its code or NIP; ``id`` None when new."""

    kind: ChangeKind
    key: str
    line: int
    id: int | None
    values: Values
    """Everything the file says of it, in the file's terms (``unit_code``, ``supervisor_nip``, ``building_code``)."""
    fields: tuple[FieldChange, ...] = ()
    """For an existing row: what changes, before and after."""


@dataclass(frozen=True, slots=True)
class Leaver:
    id: int
    nip: str
    name: str
    org_unit_id: int


@dataclass(frozen=True, slots=True)
class Existing:
    """The database's organisations, units, people and buildings, as plain tuples (five SELECTs)."""

    organisations: dict[str, tuple[int, str]]
    """code → (id, name)"""
    units: dict[str, tuple[int, Values]]
    """code → (id, {name, parent_code, organisation_code, level})"""
    people: dict[str, tuple[int, Values, int]]
    """NIP → (id, values as a file would say them, org_unit_id)"""
    organisation_of_unit: dict[int, int]
    buildings: dict[str, list[int]]
    """code → ids (codes are unique per site only)"""
    building_codes: dict[int, str]


@dataclass(frozen=True, slots=True)
class ImportPlan:
    problems: tuple[Problem, ...]
    """Errors and warnings, by line; with an error nothing may be written."""
    organisations: tuple[Change, ...] = ()
    units: tuple[Change, ...] = ()
    """Parents first."""
    people: tuple[Change, ...] = ()
    leavers: tuple[Leaver, ...] = ()
    unchanged: int = 0
    """People in the file that nothing changes."""
    unit_levels: Mapping[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not p.is_warning)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def changes_nothing(self) -> bool:
        return not (self.organisations or self.units or self.people or self.leavers)

    def count(self, kind: ChangeKind) -> int:
        return sum(1 for c in self.people if c.kind == kind)


PERSON_FIELDS = (
    "name", "email", "unit_code", "position_name", "position_kind", "position_level", "employment_type",
    "placed_on", "supervisor_nip", "building_code",
)  # fmt: skip
OPTIONAL_COLUMNS = {
    "position_name": Column.POSITION_NAME,
    "position_level": Column.POSITION_LEVEL,
    "supervisor_nip": Column.SUPERVISOR_NIP,
    "building_code": Column.BUILDING_CODE,
}
"""Fields a file may leave out by not having the column (then the database's value stays)."""
UNUSABLE_BUILDING = (PeopleFileCode.BUILDING_UNKNOWN, PeopleFileCode.BUILDING_AMBIGUOUS)
"""A warning, not an error: a fresh installation has no buildings yet, and a home building is optional."""


async def load_existing(session: AsyncSession) -> Existing:
    organisations = {
        code: (i, name)
        for i, code, name in await session.execute(select(Organisation.id, Organisation.code, Organisation.name))
    }
    org_code = {i: code for code, (i, _name) in organisations.items()}
    unit_rows = (
        await session.execute(
            select(OrgUnit.id, OrgUnit.code, OrgUnit.name, OrgUnit.parent_id, OrgUnit.organisation_id, OrgUnit.level)
        )
    ).all()
    unit_code = {row.id: row.code for row in unit_rows}
    units = {
        row.code: (
            row.id,
            {
                "name": row.name,
                "parent_code": unit_code.get(row.parent_id) if row.parent_id else None,
                "organisation_code": org_code[row.organisation_id],
                "level": row.level,
            },
        )
        for row in unit_rows
    }
    buildings: dict[str, list[int]] = {}
    building_codes: dict[int, str] = {}
    for building_id, code in await session.execute(select(Building.id, Building.code)):
        buildings.setdefault(code, []).append(building_id)
        building_codes[building_id] = code
    rows = (
        await session.execute(
            select(
                Employee.id, Employee.nip, Employee.name, Employee.email, Employee.org_unit_id, Employee.position_name,
                Employee.position_kind, Employee.position_level, Employee.employment_type, Employee.placed_on,
                Employee.supervisor_id, Employee.home_building_id, Employee.active,
            )
        )
    ).all()  # fmt: skip
    nip_of = {row.id: row.nip for row in rows}
    people = {
        row.nip: (
            row.id,
            {
                "name": row.name,
                "email": row.email,
                "unit_code": unit_code[row.org_unit_id],
                "position_name": row.position_name,
                "position_kind": row.position_kind,
                "position_level": row.position_level,
                "employment_type": row.employment_type,
                "placed_on": row.placed_on,
                "supervisor_nip": nip_of.get(row.supervisor_id) if row.supervisor_id else None,
                "building_code": building_codes.get(row.home_building_id) if row.home_building_id else None,
                "active": row.active,
            },
            row.org_unit_id,
        )
        for row in rows
    }
    organisation_of_unit = {row.id: row.organisation_id for row in unit_rows}
    return Existing(organisations, units, people, organisation_of_unit, buildings, building_codes)


def plan_import(parsed: PeopleFile, existing: Existing) -> ImportPlan:
    """What importing ``parsed`` into the database described by ``existing`` changes, or the problems."""
    problems = list(parsed.problems)
    organisations = _organisations(parsed, existing)
    units, levels = _units(parsed, existing, problems)
    people, unchanged = _people(parsed, existing, problems)
    problems.sort(key=lambda p: p.line)
    if any(not p.is_warning for p in problems):
        return ImportPlan(tuple(problems))
    in_file = {person.nip for person in parsed.people}
    agencies = {existing.organisations[o.code][0] for o in parsed.organisations if o.code in existing.organisations}
    agencies |= {existing.organisations[c][0] for c in _unit_agencies(parsed, existing) if c in existing.organisations}
    leavers = tuple(
        Leaver(ident, nip, values["name"], unit_id)
        for nip, (ident, values, unit_id) in existing.people.items()
        if values["active"] and nip not in in_file and existing.organisation_of_unit[unit_id] in agencies
    )
    return ImportPlan(tuple(problems), organisations, units, people, leavers, unchanged, levels)


def _organisations(parsed: PeopleFile, existing: Existing) -> tuple[Change, ...]:
    changes = []
    for record in parsed.organisations:
        known = existing.organisations.get(record.code)
        if known is None:
            changes.append(Change(ChangeKind.NEW, record.code, record.line, None, {"name": record.name or record.code}))
        elif record.name and record.name != known[1]:
            fields = (FieldChange("name", known[1], record.name),)
            changes.append(
                Change(ChangeKind.CHANGED, record.code, record.line, known[0], {"name": record.name}, fields)
            )
    return tuple(changes)


def _unit_agencies(parsed: PeopleFile, existing: Existing) -> dict[str, str | None]:
    """Each unit's organisation code: its own, else its parent's, else the database's (parents come first)."""
    agency: dict[str, str | None] = {}
    for unit in parsed.units:
        known = existing.units.get(unit.code)
        agency[unit.code] = (
            unit.organisation_code
            or (agency.get(unit.parent_code) if unit.parent_code else None)
            or (known[1]["organisation_code"] if known else None)
        )
    return agency


def _units(
    parsed: PeopleFile, existing: Existing, problems: list[Problem]
) -> tuple[tuple[Change, ...], dict[str, int]]:
    agencies = _unit_agencies(parsed, existing)
    levels: dict[str, int] = {}
    changes = []
    for unit in parsed.units:
        organisation_code = agencies[unit.code]
        if organisation_code is None:
            problems.append(_unit_problem(parsed, unit))
            continue
        levels[unit.code] = _level(unit, organisation_code, levels)
        values = {
            "name": unit.name,
            "parent_code": unit.parent_code,
            "organisation_code": organisation_code,
            "level": levels[unit.code],
        }
        if (known := existing.units.get(unit.code)) is None:
            changes.append(Change(ChangeKind.NEW, unit.code, unit.line, None, values))
        elif fields := _differences(known[1], values):
            changes.append(Change(ChangeKind.CHANGED, unit.code, unit.line, known[0], values, fields))
    return tuple(changes), levels


def _level(unit: UnitRecord, organisation_code: str, levels: Mapping[str, int]) -> int:
    """Depth in the tree, a top unit being level 1 (Eselon I) - unless it is the agency itself (its code is the
    agency's), which is level 0 so that the units under it are Eselon I."""
    if unit.parent_code is not None:
        return levels.get(unit.parent_code, 0) + 1
    return 0 if unit.code == organisation_code else 1


def _unit_problem(parsed: PeopleFile, unit: UnitRecord) -> Problem:
    header = parsed.header(Column.UNIT_CODE)
    params = {"field": header, "value": unit.code, "column": parsed.header(Column.ORGANISATION_CODE)}
    return Problem(unit.line, PeopleFileCode.UNIT_ORGANISATION_UNKNOWN, params, column=header)


def _people(parsed: PeopleFile, existing: Existing, problems: list[Problem]) -> tuple[tuple[Change, ...], int]:
    owner_of_email = {values["email"]: nip for nip, (_i, values, _u) in existing.people.items()}
    kept = [name for name, column in OPTIONAL_COLUMNS.items() if not parsed.has(column)]
    changes, unchanged = [], 0
    for person in parsed.people:
        values = _person_values(person)
        found = _person_problems(parsed, person, existing, owner_of_email)
        if any(p.code in UNUSABLE_BUILDING for p in found):
            values["building_code"] = None  # warned: the person is imported without a home building
        problems.extend(found)
        known = existing.people.get(person.nip)
        if known is None:
            changes.append(Change(ChangeKind.NEW, person.nip, person.line, None, values))
            continue
        ident, before, _unit = known
        values.update({name: before[name] for name in kept})
        fields = _differences(before, values)
        if not before["active"]:
            changes.append(Change(ChangeKind.REACTIVATED, person.nip, person.line, ident, values, fields))
        elif fields:
            changes.append(Change(ChangeKind.CHANGED, person.nip, person.line, ident, values, fields))
        else:
            unchanged += 1
    return tuple(changes), unchanged


def _person_values(person: PersonRecord) -> Values:
    return {name: getattr(person, name) for name in PERSON_FIELDS}


def _person_problems(
    parsed: PeopleFile, person: PersonRecord, existing: Existing, owner_of_email: Mapping[str, str]
) -> list[Problem]:
    found = []
    if person.building_code is not None and len(existing.buildings.get(person.building_code, ())) != 1:
        code = (
            PeopleFileCode.BUILDING_UNKNOWN
            if person.building_code not in existing.buildings
            else PeopleFileCode.BUILDING_AMBIGUOUS
        )
        header = parsed.header(Column.BUILDING_CODE)
        params = {"field": header, "value": person.building_code}
        found.append(Problem(person.line, code, params, column=header, is_warning=True))
    owner = owner_of_email.get(person.email)
    if owner is not None and owner != person.nip:
        header = parsed.header(Column.EMAIL)
        params = {"field": header, "value": person.email}
        found.append(Problem(person.line, PeopleFileCode.EMAIL_TAKEN, params, column=header))
    return found


def _differences(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[FieldChange, ...]:
    return tuple(FieldChange(name, before[name], value) for name, value in after.items() if before[name] != value)


def building_id(existing: Existing, code: str | None) -> int | None:
    return existing.buildings[code][0] if code is not None else None
