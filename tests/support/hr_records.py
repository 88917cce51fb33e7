"""Ratings and discipline-cases files for the HR imports' tests, and what the database holds afterwards."""

import csv
import io
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select

from smartoffice.audit.models import AuditEntry
from smartoffice.db import Database
from smartoffice.people.models import Employee
from smartoffice.policies.models import DisciplineCase, PerformanceRating

RATING_HEADERS = ("NIP", "Nama", "Periode", "Predikat")
CASE_HEADERS = ("NIP", "Nomor Kasus", "Status", "Tanggal Mulai", "Tanggal Selesai")


def csv_bytes(headers: Sequence[str], rows: Sequence[Sequence[object]], *, delimiter: str = ";") -> bytes:
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows([list(headers), *map(list, rows)])
    return text.getvalue().encode()


def ratings_file(*rows: tuple[str, int | str, str]) -> bytes:
    """``(nip, period, rating)`` rows under the headers an HR export uses (a name column it ignores)."""
    return csv_bytes(RATING_HEADERS, [(nip, "Pegawai", period, rating) for nip, period, rating in rows])


def cases_file(*rows: tuple[str, str, str, str, str]) -> bytes:
    """``(nip, reference, status, opened on, closed on)`` rows."""
    return csv_bytes(CASE_HEADERS, rows)


async def ratings(db: Database) -> dict[tuple[str, int], str]:
    """(NIP, period) → rating value, of every stored rating."""
    async with db.read() as session:
        rows = await session.execute(
            select(Employee.nip, PerformanceRating.period, PerformanceRating.rating).join(
                Employee, Employee.id == PerformanceRating.employee_id
            )
        )
        return {(nip, period): rating.value for nip, period, rating in rows}


async def cases(db: Database) -> dict[tuple[str, str | None], tuple[str, str, str | None]]:
    """(NIP, reference) → (status, opened on, closed on) of every stored case."""
    async with db.read() as session:
        rows = await session.execute(
            select(
                Employee.nip, DisciplineCase.reference, DisciplineCase.status, DisciplineCase.opened_on,
                DisciplineCase.closed_on,
            ).join(Employee, Employee.id == DisciplineCase.employee_id)
        )  # fmt: skip
        return {
            (nip, ref): (status.value, opened.isoformat(), closed.isoformat() if closed else None)
            for nip, ref, status, opened, closed in rows
        }


async def audit_rows(db: Database) -> list[dict[str, Any]]:
    async with db.read() as session:
        entries = (await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all()
        return [
            {
                "action": e.action, "entity_kind": e.entity_kind, "entity_id": e.entity_id, "actor_id": e.actor_id,
                "via": e.via, "before": e.before, "after": e.after, "org_unit_id": e.org_unit_id,
            }
            for e in entries
        ]  # fmt: skip


async def audit_count(db: Database) -> int:
    async with db.read() as session:
        return await session.scalar(select(func.count()).select_from(AuditEntry)) or 0
