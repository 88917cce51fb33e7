"""Writing an audit entry, inside the transaction that makes the change (so both commit, or neither)."""

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.audit.models import AuditEntry


@dataclass(frozen=True, slots=True)
class Actor:
    """Who makes a change: a person (``employee_id``) through a channel (``via``), or the system (no person)."""

    employee_id: int | None
    via: str

    @classmethod
    def system(cls, via: str) -> "Actor":
        return cls(None, via)


def snapshot(values: dict[str, Any] | None) -> dict[str, Any] | None:
    """``values`` as JSON-ready data: dates and instants as ISO text, enums as their values."""
    if values is None:
        return None
    return {key: _plain(value) for key, value in values.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def entry_values(
    actor: Actor,
    action: str,
    *,
    at: datetime,
    entity_kind: str,
    entity_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    site_id: int | None = None,
    org_unit_id: int | None = None,
) -> dict[str, Any]:
    """One ``audit_entries`` row as column values: for :func:`record_change`, and for bulk writers (an import of
    thousands of people inserts its entries in one statement)."""
    return {
        "at": at,
        "actor_id": actor.employee_id,
        "via": actor.via,
        "action": action,
        "entity_kind": entity_kind,
        "entity_id": entity_id,
        "site_id": site_id,
        "org_unit_id": org_unit_id,
        "before": snapshot(before),
        "after": snapshot(after),
    }


def record_change(
    session: AsyncSession,
    actor: Actor,
    action: str,
    *,
    at: datetime,
    entity_kind: str,
    entity_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    site_id: int | None = None,
    org_unit_id: int | None = None,
) -> None:
    """Add the entry to ``session``'s (write) transaction; it is flushed and committed with the change."""
    values = entry_values(
        actor,
        action,
        at=at,
        entity_kind=entity_kind,
        entity_id=entity_id,
        before=before,
        after=after,
        site_id=site_id,
        org_unit_id=org_unit_id,
    )
    session.add(AuditEntry(**values))
