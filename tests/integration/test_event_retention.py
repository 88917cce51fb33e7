"""Booking events and their webhook deliveries are deleted once expired and finished; bookings never are."""

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import func, select, update

from smartoffice.bookings.models import Booking
from smartoffice.integrations.models import BookingEvent, DeliveryStatus, EventKind, WebhookDelivery
from smartoffice.integrations.retention import purge_booking_events
from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from tests.factories import Factory
from tests.support.bookings import book_desk
from tests.support.clock import Clock, install_clock
from tests.support.webhooks import webhook_dispatcher, webhook_service


async def count(runtime: Runtime, model: type) -> int:
    async with runtime.db.read() as session:
        return await session.scalar(select(func.count()).select_from(model)) or 0


async def test_expired_finished_events_go_with_their_deliveries(
    runtime: Runtime, factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_clock(runtime, monkeypatch)
    # given: three bookings with events fanned out to a subscription whose receiver never answers
    desks, person = [await factory.desk() for _ in range(3)], await factory.employee()
    await webhook_service(runtime).create(person.id, "http://127.0.0.1:1/nobody-listens", [EventKind.CREATED])
    for n, desk in enumerate(desks):
        await book_desk(runtime, desk, person, time(8 + 3 * n), time(10 + 3 * n))
    now = Clock(datetime.now(UTC))
    await webhook_dispatcher(runtime, now, max_attempts=1).run_once()  # all three attempted once: FAILED
    async with runtime.db.write() as session:
        # one delivery still retrying: its event must stay whatever its age
        retrying = await session.scalar(select(WebhookDelivery).order_by(WebhookDelivery.id).limit(1))
        assert retrying is not None
        retrying.status = DeliveryStatus.PENDING
    assert (await count(runtime, BookingEvent), await count(runtime, WebhookDelivery)) == (3, 3)
    # events the notifications job has not turned into notifications yet stay, however old
    assert await purge_booking_events(runtime.db, now.now + timedelta(days=31), retention_days=30) == 0
    async with runtime.db.write() as session:
        await session.execute(update(BookingEvent).values(notified_at=now.now))

    # when: purged 29 days later with 30 days' retention, nothing goes
    assert await purge_booking_events(runtime.db, now.now + timedelta(days=29), retention_days=30) == 0
    # when: 31 days later, the two finished events go, with their deliveries
    assert await purge_booking_events(runtime.db, now.now + timedelta(days=31), retention_days=30) == 2

    # then
    async with runtime.db.read() as session:
        events = (await session.scalars(select(BookingEvent))).all()
        left = (await session.scalars(select(WebhookDelivery))).all()
    assert [e.id for e in events] == [retrying.event_id]
    assert [d.id for d in left] == [retrying.id]
    assert await count(runtime, Booking) == 3  # bookings are never purged
    # and a second run finds nothing more
    assert await purge_booking_events(runtime.db, now.now + timedelta(days=31), retention_days=30) == 0


def test_retention_must_be_at_least_a_day() -> None:
    with pytest.raises(ValueError, match="EVENT_RETENTION_DAYS"):
        Settings.from_env({"SMARTOFFICE_EVENT_RETENTION_DAYS": "0"})
