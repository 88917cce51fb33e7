"""How long notifications are kept: ``notification_retention_days`` (default 90) after they were made.

A notification is a message about a moment (a booking, a reminder): after a quarter nobody opens it, and at IKN
scale every booking makes one, millions a year. The ``purge_notifications`` job deletes those made longer ago than
the retention, read or not; an email still pending then is one nobody will send (SMTP was never set: the email job
expires anything older than ``notification_email_max_age_hours``, 72 h by default). It deletes in batches of
:data:`PURGE_BATCH`, at most :data:`MAX_BATCHES` a run, so no run holds a long transaction; it is safe in several
processes at once.
"""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete, select

from smartoffice.db import Database
from smartoffice.notifications.models import Notification

if TYPE_CHECKING:
    from smartoffice.runtime import Runtime

PURGE_BATCH = 5_000
MAX_BATCHES = 20


async def purge_notifications(db: Database, now: datetime, retention_days: int) -> int:
    """Delete notifications made more than ``retention_days`` ago; returns how many."""
    cutoff = now - timedelta(days=retention_days)
    expired = (
        select(Notification.id)
        .where(Notification.created_at < cutoff)
        .order_by(Notification.created_at)
        .limit(PURGE_BATCH)
    )
    purged = 0
    for _ in range(MAX_BATCHES):
        async with db.write() as session:
            ids = list((await session.scalars(expired)).all())
            if ids:
                await session.execute(delete(Notification).where(Notification.id.in_(ids)))
        purged += len(ids)
        if len(ids) < PURGE_BATCH:
            break
    return purged


async def run_purge_notifications(runtime: "Runtime") -> int:
    """The periodic job."""
    return await purge_notifications(runtime.db, runtime.clock(), runtime.settings.notification_retention_days)
