"""Writing a plan inside the caller's write transaction: new rows in one bulk INSERT, changed ones in one bulk
UPDATE by primary key, and an audit entry for each, before and after, in one more INSERT."""

from datetime import datetime
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.audit.models import AuditEntry
from smartoffice.audit.record import Actor, entry_values
from smartoffice.hr.plan import ChangeKind, HrPlan
from smartoffice.hr.records import RecordKind
from smartoffice.policies.models import DisciplineCase, PerformanceRating

MODELS: dict[RecordKind, Any] = {RecordKind.RATINGS: PerformanceRating, RecordKind.CASES: DisciplineCase}
ENTITY_KINDS = {RecordKind.RATINGS: "PerformanceRating", RecordKind.CASES: "DisciplineCase"}
ACTIONS = {RecordKind.RATINGS: "performance_rating", RecordKind.CASES: "discipline_case"}
"""Audited as ``performance_rating.create``/``.update`` and ``discipline_case.create``/``.update``."""


async def apply_plan(session: AsyncSession, plan: HrPlan, *, actor: Actor, now: datetime) -> None:
    """Write ``plan`` (valid, computed in this transaction). Writes nothing for an empty plan."""
    assert plan.is_valid
    model = MODELS[plan.kind]
    new = [change for change in plan.changes if change.kind == ChangeKind.NEW]
    changed = [change for change in plan.changes if change.kind == ChangeKind.CHANGED]
    ids: list[int] = []
    if new:
        rows = [{"employee_id": change.employee_id, **change.values} for change in new]
        statement = insert(model).returning(model.id, sort_by_parameter_order=True)
        ids = list((await session.scalars(statement, rows)).all())
    if changed:
        await session.execute(update(model), [{"id": change.id, **change.after} for change in changed])
    audit = []
    for ident, change in [*zip(ids, new, strict=True), *((c.id, c) for c in changed)]:
        verb = "create" if change.kind == ChangeKind.NEW else "update"
        after = {"employee_id": change.employee_id, **change.values} if change.before is None else change.after
        audit.append(
            entry_values(
                actor,
                f"{ACTIONS[plan.kind]}.{verb}",
                at=now,
                entity_kind=ENTITY_KINDS[plan.kind],
                entity_id=ident,
                before=change.before,
                after=after,
                org_unit_id=change.org_unit_id,
            )
        )
    if audit:
        await session.execute(insert(AuditEntry), audit)
