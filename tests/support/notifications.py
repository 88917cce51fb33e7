"""Notifications for tests: run the job that makes them from booking events, and read what a person got.

* ``await run_notification_jobs(runtime)`` turns every booking event committed so far into notifications (the
  ``notify_booking_events`` job, run until it finds nothing more) and returns how many events it handled. It sends
  no email: the email job is separate.
* ``await notifications_of(runtime, employee_id)`` is that person's rows, oldest first (in-app or email-only alike:
  check ``in_app`` / ``email_status``); ``kind=`` keeps one kind.
* ``await all_notifications(runtime)`` is everyone's, oldest first.
* ``await set_preference(runtime, employee_id, kind, email=..., in_app=...)`` saves a person's choice for a kind,
  as the preferences page would.
* ``await notified_bookings(runtime, factory, person, count=n)`` books ``n`` desks for ``person`` "by their manager"
  and makes each one's BOOKING_CONFIRMED as the job would; returns the notifications' ids, oldest first.
"""

from sqlalchemy import select

from smartoffice.db import utcnow
from smartoffice.notifications.booking_events import BookingEventNotifier
from smartoffice.notifications.facts import booking_facts
from smartoffice.notifications.models import Notification, NotificationKind, NotificationPreference
from smartoffice.notifications.produce import Draft, notify
from smartoffice.people.models import Employee
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.bookings import insert_booking
from tests.support.clock import days_ahead, office_hours


async def run_notification_jobs(runtime: Runtime) -> int:
    """Notify every committed booking event (at the runtime's clock); returns how many events were handled.

    Fails rather than loops for ever when the job keeps finding work (events it does not mark notified)."""
    notifier = BookingEventNotifier(runtime.db, runtime.clock)
    handled = 0
    for _ in range(RUNS_AT_MOST):
        made = await notifier.run_once()
        if not made:
            return handled
        handled += made
    raise AssertionError(f"the booking events job still finds events after {RUNS_AT_MOST} runs")


RUNS_AT_MOST = 20


async def notifications_of(
    runtime: Runtime, employee_id: int, kind: NotificationKind | None = None
) -> list[Notification]:
    """``employee_id``'s notifications (of ``kind``, when given), oldest first."""
    query = select(Notification).where(Notification.recipient_id == employee_id)
    if kind is not None:
        query = query.where(Notification.kind == kind)
    async with runtime.db.read() as session:
        return list(await session.scalars(query.order_by(Notification.id)))


async def all_notifications(runtime: Runtime) -> list[Notification]:
    async with runtime.db.read() as session:
        return list(await session.scalars(select(Notification).order_by(Notification.id)))


async def set_preference(
    runtime: Runtime, employee_id: int, kind: NotificationKind, *, email: bool, in_app: bool
) -> None:
    async with runtime.db.write() as session:
        await session.merge(
            NotificationPreference(employee_id=employee_id, kind=kind, email=email, in_app=in_app, updated_at=utcnow())
        )


async def notified_bookings(runtime: Runtime, factory: Factory, person: Employee, *, count: int = 1) -> list[int]:
    """``count`` desks booked for ``person`` by their manager, each with its "booked for you" notification made as
    the booking events job makes them (the booking's facts, the actor's name); the notifications' ids, oldest
    first."""
    desks = [await factory.desk(code=f"N-{person.id}-{n}") for n in range(count)]
    bookings = [
        await insert_booking(runtime.db, d, person, *office_hours(days_ahead(2 + n))) for n, d in enumerate(desks)
    ]
    async with runtime.db.write() as session:
        facts = await booking_facts(session, [b.id for b in bookings])
        drafts = [
            Draft(
                person.id,
                NotificationKind.BOOKING_CONFIRMED,
                f"test:{b.id}",
                {**facts[b.id], "actorName": "Budi Santoso"},
            )
            for b in bookings
        ]
        await notify(session, drafts, runtime.clock())
        query = select(Notification.id).where(Notification.recipient_id == person.id).order_by(Notification.id)
        return list((await session.scalars(query)).all())
