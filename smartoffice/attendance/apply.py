"""Writing an attendance plan inside the caller's write transaction, in a fixed number of bulk statements: the import
log row, new and changed ``WorkDay`` rows (their ``actual``), new and changed ``AttendanceReport`` rows, and one
audit entry for the import (who, when, through what, which file, the counts and the days it spans)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, insert, update
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.attendance.models import AttendanceImport, AttendanceReport
from smartoffice.attendance.plan import AttendancePlan, ChangeKind
from smartoffice.audit.record import Actor, record_change
from smartoffice.policies.models import WorkDay

AUDIT_ACTION = "attendance.import"
WORK_DAYS: Table = WorkDay.__table__  # type: ignore[assignment]
REPORTS: Table = AttendanceReport.__table__  # type: ignore[assignment]
"""Core tables: an executemany of plain rows (the ORM's bulk path ran one INSERT per row on SQLite). The INSERTs ask
for the new ids only so that SQLAlchemy sends them as multi-row VALUES ("insertmanyvalues"), 1,000 rows a statement:
on PostgreSQL a plain executemany of 60,000 rows took several times longer."""


@dataclass(frozen=True, slots=True)
class ImportSource:
    """Where the records came from: a file (its name and SHA-256), or an app's call (neither)."""

    file_name: str | None = None
    digest: str | None = None


async def apply_plan(
    session: AsyncSession, plan: AttendancePlan, *, actor: Actor, now: datetime, source: ImportSource
) -> int:
    """Write ``plan`` (valid, changing something, computed in this transaction); the import log row's id."""
    assert plan.is_valid and not plan.changes_nothing
    days = [change.record.day for change in plan.changes]
    counts = {
        "records": plan.records,
        "created": plan.count(ChangeKind.NEW),
        "changed": plan.count(ChangeKind.CHANGED),
        "unchanged": plan.unchanged,
    }
    log = AttendanceImport(
        at=now, actor_id=actor.employee_id, via=actor.via, file_name=source.file_name, digest=source.digest,
        first_day=min(days), last_day=max(days), **counts,
    )  # fmt: skip
    session.add(log)
    await session.flush()
    by: dict[str, Any] = {"updated_by_id": actor.employee_id, "updated_at": now}
    new_days = [c for c in plan.changes if c.work_day_id is None]
    old_days = [
        c for c in plan.changes
        if c.work_day_id is not None and (c.kind == ChangeKind.NEW or "actual" in (c.before or {}))
    ]  # fmt: skip
    if new_days:
        await session.execute(
            insert(WORK_DAYS).returning(WORK_DAYS.c.id),
            [{"employee_id": c.employee_id, "day": c.record.day, "actual": c.record.mode, **by} for c in new_days],
        )
    if old_days:
        await session.execute(
            update(WORK_DAYS).where(WORK_DAYS.c.id == bindparam("row_id")),
            [{"row_id": c.work_day_id, "actual": c.record.mode, **by} for c in old_days],
        )
    report: dict[str, Any] = {"import_id": log.id, "updated_at": now}
    new_reports = [c for c in plan.changes if c.report_id is None]
    old_reports = [c for c in plan.changes if c.report_id is not None]
    if new_reports:
        rows: list[dict[str, Any]] = [
            {"employee_id": c.employee_id, "day": c.record.day, "check_in_time": c.record.check_in,
             "source": c.record.source, **report}
            for c in new_reports
        ]  # fmt: skip
        await session.execute(insert(REPORTS).returning(REPORTS.c.id), rows)
    if old_reports:
        rows = [
            {"row_id": c.report_id, "check_in_time": c.record.check_in, "source": c.record.source, **report}
            for c in old_reports
        ]
        await session.execute(update(REPORTS).where(REPORTS.c.id == bindparam("row_id")), rows)
    record_change(
        session, actor, AUDIT_ACTION, at=now, entity_kind="AttendanceImport", entity_id=log.id,
        after={"file_name": source.file_name, **counts, "first_day": min(days), "last_day": max(days)},
    )  # fmt: skip
    return log.id
