"""What importing attendance would change: the records compared with the database in a few bulk SELECTs.

A record is matched by person and day. Its values are the day's mode (``WorkDay.actual``), the check-in time and
the source (``AttendanceReport``). A record equal to what is stored is unchanged (a re-import writes nothing); a day
with no report yet is new; another mode, time or source is changed. Days the source does not mention are left as
they are. Problems across records (the same person and day twice, a NIP or id nobody has, a person the actor does
not manage) join the records' own, by position; with any problem nothing may be written.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.attendance.errors import AttendanceCode
from smartoffice.attendance.models import AttendanceReport
from smartoffice.attendance.records import AttendanceRecord, Field, Names
from smartoffice.hr.errors import HrRecordCode
from smartoffice.hr.lookup import Person, chunks, inline, people_by
from smartoffice.ids import encode_id
from smartoffice.people.models import Employee
from smartoffice.people.siasn.problems import Problem
from smartoffice.policies.models import WorkDay

FIELDS = ("actual", "check_in_time", "source")


class ChangeKind(StrEnum):
    NEW = "new"
    CHANGED = "changed"


@dataclass(frozen=True, slots=True)
class Change:
    kind: ChangeKind
    position: int
    nip: str
    employee_id: int
    record: AttendanceRecord
    work_day_id: int | None
    """The day's stored ``WorkDay`` (a plan, or an earlier report); None: a row is inserted."""
    report_id: int | None
    """The day's stored ``AttendanceReport``; None: a row is inserted."""
    before: dict[str, Any] | None
    """For a changed day: the fields that change, as they were."""

    @property
    def values(self) -> dict[str, Any]:
        return self.record.values


@dataclass(frozen=True, slots=True)
class AttendancePlan:
    problems: tuple[Problem, ...]
    """By position; with any, nothing may be written."""
    changes: tuple[Change, ...] = ()
    unchanged: int = 0

    @property
    def is_valid(self) -> bool:
        return not self.problems

    @property
    def changes_nothing(self) -> bool:
        return not self.changes

    @property
    def records(self) -> int:
        return len(self.changes) + self.unchanged

    def count(self, kind: ChangeKind) -> int:
        return sum(1 for change in self.changes if change.kind == kind)


async def plan_attendance(
    session: AsyncSession,
    records: Sequence[AttendanceRecord],
    problems: Iterable[Problem],
    names: Names,
    *,
    managed_units: frozenset[int] | None = None,
    is_list: bool = False,
) -> AttendancePlan:
    """Compare ``records`` (and the problems found reading them) with the database. ``managed_units``: the units
    whose people the actor may report (None: everyone, an administrator or the system). ``is_list``: positions are
    a GraphQL list's indexes, not a file's lines."""
    found = list(problems)
    by_nip = await people_by(session, Employee.nip, {r.nip for r in records if r.nip is not None})
    by_id = await people_by(session, Employee.id, {r.employee_id for r in records if r.employee_id is not None})
    known: list[tuple[AttendanceRecord, Person]] = []
    for record in records:
        person = by_nip.get(record.nip) if record.nip is not None else by_id.get(record.employee_id or 0)
        if person is None:
            found.append(_unknown(record, names))
        elif managed_units is not None and person.org_unit_id not in managed_units:
            field = names[Field.NIP if record.nip is not None else Field.EMPLOYEE_ID]
            code = AttendanceCode.ATTENDANCE_NOT_YOUR_PERSON
            found.append(Problem(record.position, code, {"field": field}, column=field))
        else:
            known.append((record, person))
    _repeats(known, found, is_list)
    if found:
        return AttendancePlan(tuple(sorted(found, key=lambda p: p.line)))
    return await _compared(session, known)


def _unknown(record: AttendanceRecord, names: Names) -> Problem:
    if record.nip is not None:
        field = names[Field.NIP]
        return Problem(record.position, HrRecordCode.NIP_UNKNOWN, {"field": field, "value": record.nip}, column=field)
    field = names[Field.EMPLOYEE_ID]
    params = {"field": field, "value": encode_id("Employee", record.employee_id or 0)}  # as the app sent it
    return Problem(record.position, AttendanceCode.ATTENDANCE_EMPLOYEE_UNKNOWN, params, column=field)


def _repeats(known: Sequence[tuple[AttendanceRecord, Person]], found: list[Problem], is_list: bool) -> None:
    first: dict[tuple[int, object], int] = {}
    for record, person in known:
        other = first.setdefault((person.id, record.day), record.position)
        if other == record.position:
            continue
        where = {"other_index": other} if is_list else {"other_line": other}
        code = AttendanceCode.ATTENDANCE_REPEATED_ITEM if is_list else AttendanceCode.ATTENDANCE_REPEATED
        found.append(Problem(record.position, code, {"value": person.nip, "day": record.day, **where}))


async def _compared(session: AsyncSession, known: Sequence[tuple[AttendanceRecord, Person]]) -> AttendancePlan:
    if not known:
        return AttendancePlan(())
    ids = sorted({person.id for _record, person in known})
    first = min(record.day for record, _person in known)
    last = max(record.day for record, _person in known)
    days: dict[tuple[int, object], tuple[int, Any]] = {}
    reports: dict[tuple[int, object], tuple[int, Any, Any]] = {}
    for chunk in chunks(ids):
        for ident, employee, day, actual in await session.execute(
            select(WorkDay.id, WorkDay.employee_id, WorkDay.day, WorkDay.actual).where(
                WorkDay.employee_id.in_(inline(chunk)), WorkDay.day.between(first, last)
            )
        ):
            days[employee, day] = (ident, actual)
        for ident, employee, day, check_in, source in await session.execute(
            select(
                AttendanceReport.id, AttendanceReport.employee_id, AttendanceReport.day,
                AttendanceReport.check_in_time, AttendanceReport.source,
            ).where(AttendanceReport.employee_id.in_(inline(chunk)), AttendanceReport.day.between(first, last))
        ):  # fmt: skip
            reports[employee, day] = (ident, check_in, source)
    changes, unchanged = [], 0
    for record, person in known:
        work_day = days.get((person.id, record.day))
        report = reports.get((person.id, record.day))
        was = {
            "actual": work_day[1] if work_day else None,
            "check_in_time": report[1] if report else None,
            "source": report[2] if report else None,
        }
        before = {name: was[name] for name in FIELDS if was[name] != record.values[name]}
        if not before:
            unchanged += 1
            continue
        kind = ChangeKind.NEW if was["actual"] is None else ChangeKind.CHANGED
        changes.append(
            Change(
                kind, record.position, person.nip, person.id, record,
                work_day[0] if work_day else None, report[0] if report else None,
                None if kind == ChangeKind.NEW else before,
            )
        )  # fmt: skip
    return AttendancePlan((), tuple(changes), unchanged)
