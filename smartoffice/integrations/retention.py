"""How long booking events (the outbox) and their webhook deliveries are kept.

Every booking change adds an event row, and each webhook subscription a delivery row per event: at IKN scale that is
millions of rows a year that nobody reads after the deliveries are done. The ``purge_booking_events`` job deletes
events dispatched more than ``event_retention_days`` ago (default 30) whose deliveries are all finished (delivered
or given up) and that the notifications job has turned into notifications, and with them their deliveries (``ON
DELETE CASCADE``). Bookings themselves are never touched. It deletes in batches of :data:`PURGE_BATCH` so that no
run holds a long transaction, and is safe in several processes at once (a delete of rows already deleted deletes
nothing).
"""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete, exists, select

from smartoffice.db import Database
from smartoffice.integrations.models import BookingEvent, DeliveryStatus, WebhookDelivery

if TYPE_CHECKING:
    from smartoffice.runtime import Runtime

PURGE_BATCH = 5_000


async def purge_booking_events(db: Database, now: datetime, retention_days: int) -> int:
    """Delete up to :data:`PURGE_BATCH` expired events (with their deliveries); returns how many."""
    cutoff = now - timedelta(days=retention_days)
    unfinished = exists().where(
        WebhookDelivery.event_id == BookingEvent.id, WebhookDelivery.status == DeliveryStatus.PENDING
    )
    expired = (
        select(BookingEvent.id)
        .where(BookingEvent.dispatched_at < cutoff, BookingEvent.notified_at.is_not(None), ~unfinished)
        .order_by(BookingEvent.dispatched_at, BookingEvent.id)
        .limit(PURGE_BATCH)
    )
    async with db.write() as session:
        ids = list((await session.scalars(expired)).all())
        if ids:  # their deliveries go by ON DELETE CASCADE (SQLite: foreign keys are on for every connection)
            await session.execute(delete(BookingEvent).where(BookingEvent.id.in_(ids)))
    return len(ids)


async def run_purge_booking_events(runtime: "Runtime") -> int:
    """The periodic job."""
    return await purge_booking_events(runtime.db, runtime.clock(), runtime.settings.event_retention_days)
