"""What importing ratings or cases would change: the records compared with the database in a few bulk SELECTs.

A rating is matched by NIP and period, a case by NIP and its reference (the HR system's number). What the source
does not mention is left as it is: an HR system may send only what changed. A record equal to the stored row is
unchanged (a re-import writes nothing); a different rating, or a case with another status or other dates, is
changed. Problems across records (the same rating or case twice, a NIP nobody has) join the records' own, by
position; with any problem nothing may be written.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.hr.errors import HrRecordCode
from smartoffice.hr.lookup import Person, chunks, people_by
from smartoffice.hr.records import CaseRecord, Field, Names, RatingRecord, Record, RecordKind
from smartoffice.people.models import Employee
from smartoffice.people.siasn.problems import Problem
from smartoffice.policies.models import DisciplineCase, PerformanceRating

Values = dict[str, Any]


class ChangeKind(StrEnum):
    NEW = "new"
    CHANGED = "changed"


@dataclass(frozen=True, slots=True)
class Change:
    kind: ChangeKind
    position: int
    nip: str
    employee_id: int
    org_unit_id: int
    id: int | None
    """The stored row's; None when new."""
    values: Values
    """The row's columns as they will be (``period`` and ``rating``; ``reference``, ``status``, the dates)."""
    before: Values | None = None
    """For a changed row: the fields that change, as they were."""

    @property
    def after(self) -> Values:
        return self.values if self.before is None else {name: self.values[name] for name in self.before}


@dataclass(frozen=True, slots=True)
class HrPlan:
    kind: RecordKind
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

    def count(self, kind: ChangeKind) -> int:
        return sum(1 for change in self.changes if change.kind == kind)


async def plan_records(
    session: AsyncSession,
    kind: RecordKind,
    records: Sequence[Record],
    problems: Iterable[Problem],
    names: Names,
    *,
    is_list: bool = False,
) -> HrPlan:
    """Compare ``records`` (and the problems found reading them) with the database. ``is_list``: positions are a
    GraphQL list's indexes, not a file's lines (the words of a repeated record's problem)."""
    found = list(problems)
    people = await people_by(session, Employee.nip, {record.nip for record in records})
    known: list[Record] = []
    for record in records:
        if record.nip in people:
            known.append(record)
        else:
            params = {"field": names[Field.NIP], "value": record.nip}
            found.append(Problem(record.position, HrRecordCode.NIP_UNKNOWN, params, column=names[Field.NIP]))
    _repeats(kind, known, names, found, is_list)
    if found:
        return HrPlan(kind, tuple(sorted(found, key=lambda p: p.line)))
    if kind == RecordKind.RATINGS:
        ratings = [r for r in known if isinstance(r, RatingRecord)]
        return await _plan_ratings(session, ratings, people)
    cases = [r for r in known if isinstance(r, CaseRecord)]
    return await _plan_cases(session, cases, people)


def _repeats(kind: RecordKind, records: Sequence[Record], names: Names, found: list[Problem], is_list: bool) -> None:
    first: dict[tuple[str, object], int] = {}
    for record in records:
        key = (record.nip, record.period if isinstance(record, RatingRecord) else record.reference)
        other = first.setdefault(key, record.position)
        if other == record.position:
            continue
        where = {"other_index": other} if is_list else {"other_line": other}
        if isinstance(record, RatingRecord):
            code = HrRecordCode.RATING_REPEATED_ITEM if is_list else HrRecordCode.RATING_REPEATED
            params = {"field": names[Field.NIP], "value": record.nip, "period": record.period, **where}
            found.append(Problem(record.position, code, params, column=names[Field.PERIOD]))
        else:
            code = HrRecordCode.CASE_REPEATED_ITEM if is_list else HrRecordCode.CASE_REPEATED
            params = {"field": names[Field.REFERENCE], "value": record.nip, "reference": record.reference, **where}
            found.append(Problem(record.position, code, params, column=names[Field.REFERENCE]))


async def _plan_ratings(session: AsyncSession, records: Sequence[RatingRecord], people: dict[str, Person]) -> HrPlan:
    periods = sorted({record.period for record in records})
    stored: dict[tuple[int, object], tuple[int, Values]] = {}
    if periods:
        query = select(
            PerformanceRating.employee_id, PerformanceRating.period, PerformanceRating.id, PerformanceRating.rating
        )
        for employee_id, period, ident, rating in await session.execute(
            query.where(PerformanceRating.period.in_(periods))
        ):
            stored[employee_id, period] = (ident, {"rating": rating})
    keyed = [(record, record.period, {"period": record.period, "rating": record.rating}) for record in records]
    return _compared(RecordKind.RATINGS, keyed, people, stored, ("rating",))


CASE_FIELDS = ("status", "opened_on", "closed_on")


async def _plan_cases(session: AsyncSession, records: Sequence[CaseRecord], people: dict[str, Person]) -> HrPlan:
    ids = sorted({people[record.nip].id for record in records})
    stored: dict[tuple[int, object], tuple[int, Values]] = {}
    columns = (DisciplineCase.employee_id, DisciplineCase.reference, DisciplineCase.id, DisciplineCase.status,
               DisciplineCase.opened_on, DisciplineCase.closed_on)  # fmt: skip
    for chunk in chunks(ids):
        query = select(*columns).where(DisciplineCase.employee_id.in_(chunk), DisciplineCase.reference.is_not(None))
        for row in await session.execute(query):
            stored[row.employee_id, row.reference] = (row.id, {name: getattr(row, name) for name in CASE_FIELDS})
    keyed = [
        (record, record.reference, {"reference": record.reference, "status": record.status,
                                    "opened_on": record.opened_on, "closed_on": record.closed_on})
        for record in records
    ]  # fmt: skip
    return _compared(RecordKind.CASES, keyed, people, stored, CASE_FIELDS)


def _compared(
    kind: RecordKind,
    keyed: Sequence[tuple[Record, object, Values]],
    people: dict[str, Person],
    stored: dict[tuple[int, object], tuple[int, Values]],
    fields: Sequence[str],
) -> HrPlan:
    """Each record (with its key within the person, and its values) against what is stored under (person, key):
    new, changed in some of ``fields`` (``before`` holds those), or unchanged."""
    changes, unchanged = [], 0
    for record, key, values in keyed:
        person = people[record.nip]
        known = stored.get((person.id, key))
        if known is None:
            changes.append(
                Change(ChangeKind.NEW, record.position, record.nip, person.id, person.org_unit_id, None, values)
            )
            continue
        ident, was = known
        before = {name: was[name] for name in fields if was[name] != values[name]}
        if not before:
            unchanged += 1
            continue
        changes.append(
            Change(
                ChangeKind.CHANGED, record.position, record.nip, person.id, person.org_unit_id, ident, values, before
            )
        )
    return HrPlan(kind, (), tuple(changes), unchanged)
