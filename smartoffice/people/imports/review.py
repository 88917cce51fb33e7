"""What an administrator reviews before confirming an import: the plan, what each leaver loses, and the plan's
fingerprint.

The fingerprint names the plan's content (every change with its before and after, every leaver, the count left
unchanged), not the file's bytes: the same file planned against a database that changed in between (someone
edited a person, another import ran) gets another fingerprint, and a confirmation that carries the old one is
refused with the new plan to review instead (``PeopleImportService.run(..., expected_fingerprint=...)``).
"""

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.bookings.models import ACTIVE_STATUSES, Booking
from smartoffice.people.imports.plan import Change, ImportPlan


@dataclass(frozen=True, slots=True)
class ImportReview:
    plan: ImportPlan
    fingerprint: str
    bookings_lost: Mapping[int, int] = field(default_factory=dict)
    """Leaver id → their bookings that have not started (what the import would cancel)."""


def plan_fingerprint(plan: ImportPlan) -> str:
    """A SHA-256 of the plan's content: equal plans, equal fingerprints."""

    def changes(items: Sequence[Change]) -> list[Any]:
        return [
            [c.kind.value, c.key, c.id, sorted(c.values.items()), [[f.field, f.before, f.after] for f in c.fields]]
            for c in items
        ]

    content = {
        "problems": [[p.line, p.code.name, p.column, p.is_warning] for p in plan.problems],
        "organisations": changes(plan.organisations),
        "units": changes(plan.units),
        "people": changes(plan.people),
        "leavers": sorted(leaver.id for leaver in plan.leavers),
        "unchanged": plan.unchanged,
    }
    text = json.dumps(content, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


async def future_bookings(session: AsyncSession, employee_ids: Sequence[int], now: datetime) -> dict[int, int]:
    """How many bookings that have not started by ``now`` each of these people holds (the ones an import would
    cancel, see ``apply.cancel_future_bookings``); people with none are left out."""
    if not employee_ids:
        return {}
    rows = await session.execute(
        select(Booking.employee_id, func.count())
        .where(Booking.employee_id.in_(employee_ids), Booking.status.in_(ACTIVE_STATUSES), Booking.start_at > now)
        .group_by(Booking.employee_id)
    )
    return {int(employee_id): int(count) for employee_id, count in rows}
