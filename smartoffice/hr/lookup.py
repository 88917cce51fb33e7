"""Bulk look-ups the HR-style importers (ratings and cases, attendance) share: a few ``IN (...)`` SELECTs however
many records a file or a list holds."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import BindParameter, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from smartoffice.people.models import Employee

IN_CHUNK = 1_000
"""Values per ``IN (...)``: well under SQLite's and asyncpg's limits on parameters."""
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    nip: str
    org_unit_id: int


async def people_by(session: AsyncSession, column: InstrumentedAttribute[Any], keys: set[Any]) -> dict[Any, Person]:
    """The people whose ``column`` (``Employee.nip`` or ``Employee.id``) is one of ``keys``, by that key; a key
    nobody has is absent."""
    people = {}
    for chunk in chunks(sorted(keys)):
        rows = await session.execute(
            select(Employee.id, Employee.nip, Employee.org_unit_id).where(column.in_(inline(chunk)))
        )
        for ident, nip, unit in rows:
            people[nip if column is Employee.nip else ident] = Person(ident, nip, unit)
    return people


def inline(values: Sequence[Any]) -> BindParameter[Any]:
    """An ``IN`` list written into the statement (ids, and NIPs already checked to be 18 digits), not one bind
    parameter per value: a prepared statement run over and over with 1,000 parameters got PostgreSQL's generic plan,
    which compared each row of the days with all 1,000 (seconds per batch on a re-import of 60,000 rows)."""
    return bindparam("values", list(values), expanding=True, literal_execute=True)


def chunks(values: Sequence[T]) -> Iterable[Sequence[T]]:
    for start in range(0, len(values), IN_CHUNK):
        yield values[start : start + IN_CHUNK]
