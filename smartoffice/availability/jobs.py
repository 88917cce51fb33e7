"""The index reconciler as a periodic job (registered in :data:`smartoffice.jobs.JOBS`)."""

from datetime import timedelta
from typing import TYPE_CHECKING

from smartoffice.availability.service import ReconcileReport
from smartoffice.db import utcnow

if TYPE_CHECKING:
    from smartoffice.runtime import Runtime

RECONCILE_INTERVAL_SECONDS = 300.0
RECONCILE_DAYS_AHEAD = 7
"""Today and the next week, where people look and book; later days are rarely loaded and expire on their own."""


async def reconcile_index(runtime: "Runtime") -> ReconcileReport | None:
    """Reconcile the loaded floor-days from yesterday to a week ahead; returns the report when it found drift."""
    # Local days differ from the UTC date by up to a day either way: start a day early to cover every zone.
    today = utcnow().date()
    days = [today + timedelta(days=n) for n in range(-1, RECONCILE_DAYS_AHEAD + 1)]
    report = await runtime.availability.reconcile(days)
    return report if report.drifted_floor_days or report.unavailable else None
