"""Notifications are deleted once older than the retention, read or not; younger ones stay."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from smartoffice.notifications.models import Notification
from smartoffice.notifications.retention import purge_notifications
from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from tests.factories import Factory
from tests.support.notifications import notified_bookings


async def test_notifications_older_than_the_retention_go_and_younger_ones_stay(
    runtime: Runtime, factory: Factory
) -> None:
    # given three notifications, two of them made 91 days ago (one read, one with its email still pending)
    person = await factory.employee()
    old_read, old_pending, young = await notified_bookings(runtime, factory, person, count=3)
    now = runtime.clock()
    async with runtime.db.write() as session:
        await session.execute(
            update(Notification)
            .where(Notification.id.in_([old_read, old_pending]))
            .values(created_at=now - timedelta(days=91))
        )
        await session.execute(update(Notification).where(Notification.id == old_read).values(read_at=now))
    # when purged with 90 days' retention
    assert await purge_notifications(runtime.db, now, retention_days=90) == 2
    # then only the young one is left, and a second run finds nothing
    async with runtime.db.read() as session:
        assert list(await session.scalars(select(Notification.id))) == [young]
    assert await purge_notifications(runtime.db, now, retention_days=90) == 0


def test_the_retention_must_be_at_least_a_day() -> None:
    with pytest.raises(ValueError, match="NOTIFICATION_RETENTION_DAYS"):
        Settings.from_env({"SMARTOFFICE_NOTIFICATION_RETENTION_DAYS": "0"})
