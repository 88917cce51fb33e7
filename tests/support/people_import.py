"""Helpers for the people import's tests: the buildings a file names, and what the database holds afterwards."""

from dataclasses import dataclass

from sqlalchemy import func, select

from smartoffice.audit.models import AuditEntry
from smartoffice.db import Database
from smartoffice.people.models import Employee, Organisation, OrgUnit
from tests.factories import Factory


@dataclass(frozen=True)
class Counts:
    organisations: int
    units: int
    employees: int
    audit_entries: int


async def counts(db: Database) -> Counts:
    async with db.read() as session:
        values = [
            await session.scalar(select(func.count()).select_from(m)) or 0
            for m in (Organisation, OrgUnit, Employee, AuditEntry)
        ]
    return Counts(*values)


async def towers(factory: Factory) -> None:
    """Buildings T1 and T2 on one site, the codes the test files use in ``Gedung``."""
    site = await factory.site()
    await factory.building(site, code="T1")
    await factory.building(site, code="T2")


async def by_nip(db: Database) -> dict[str, Employee]:
    async with db.read() as session:
        return {e.nip: e for e in await session.scalars(select(Employee))}


async def units_by_code(db: Database) -> dict[str, OrgUnit]:
    async with db.read() as session:
        return {u.code: u for u in await session.scalars(select(OrgUnit))}


async def actions(db: Database) -> list[tuple[str, int | None]]:
    """(action, entity id) of every audit entry, in order."""
    async with db.read() as session:
        return [
            (a, i)
            for a, i in await session.execute(select(AuditEntry.action, AuditEntry.entity_id).order_by(AuditEntry.id))
        ]
