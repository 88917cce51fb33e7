"""Periodic background jobs run by each server process (the no-show release, the index reconciler).

Every job must be safe to run in several processes at once: its work is idempotent (a conditional
``UPDATE ... RETURNING`` hands each row to exactly one process; index loads are generation-checked), so no
leader election is needed. A failing run is logged and retried at the next interval; it never stops the server.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from smartoffice.availability.jobs import RECONCILE_INTERVAL_SECONDS, reconcile_index
from smartoffice.bookings.release import run_release_no_shows
from smartoffice.integrations.retention import run_purge_booking_events
from smartoffice.integrations.webhooks import run_webhooks
from smartoffice.notifications.booking_events import run_notify_booking_events
from smartoffice.notifications.check_in_reminders import run_check_in_reminders
from smartoffice.notifications.email_job import run_send_emails
from smartoffice.notifications.retention import run_purge_notifications
from smartoffice.notifications.unit_digest import run_unit_digests
from smartoffice.notifications.weekly_reminder import run_weekly_reminders
from smartoffice.privacy.retention import RUN_INTERVAL_SECONDS as RETENTION_INTERVAL_SECONDS
from smartoffice.privacy.retention import run_retention_job
from smartoffice.runtime import Runtime
from smartoffice.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Job:
    name: str
    interval_seconds: float
    run: Callable[[Runtime], Awaitable[object]]
    interval_of: Callable[[Settings], float] | None = None
    """The interval from the settings instead (operators and tests tune it); ``interval_seconds`` otherwise."""

    def interval(self, settings: Settings) -> float:
        return self.interval_of(settings) if self.interval_of is not None else self.interval_seconds


def _notification_interval(settings: Settings) -> float:
    return settings.notification_interval_seconds


JOBS: tuple[Job, ...] = (
    Job("release_no_shows", 60, run_release_no_shows),
    Job("reconcile_availability_index", RECONCILE_INTERVAL_SECONDS, reconcile_index),
    Job("deliver_webhooks", 10, run_webhooks),
    Job("purge_booking_events", 3600, run_purge_booking_events),
    Job("retention", RETENTION_INTERVAL_SECONDS, run_retention_job),  # daily: bookings, plans, attendance
    Job("notify_booking_events", 10, run_notify_booking_events, _notification_interval),
    Job("send_notification_emails", 10, run_send_emails, _notification_interval),
    Job("check_in_reminders", 60, run_check_in_reminders),
    Job("weekly_reminders", 300, run_weekly_reminders),  # Fridays 14:00 local; made once per person and week
    Job("unit_digests", 300, run_unit_digests),  # Mondays; once per head, unit and week
    Job("purge_notifications", 3600, run_purge_notifications),
)
"""Registered jobs; each domain adds its own here."""


async def run_forever(job: Job, runtime: Runtime) -> None:
    interval = job.interval(runtime.settings)
    while True:
        try:
            result = await job.run(runtime)
            if result:
                log.info("job %s: %s", job.name, result)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("job %s failed; retrying in %ss", job.name, interval)
        await asyncio.sleep(interval)


def start_jobs(runtime: Runtime, jobs: tuple[Job, ...] = JOBS) -> list[asyncio.Task[None]]:
    return [asyncio.create_task(run_forever(job, runtime), name=f"job:{job.name}") for job in jobs]


async def stop_jobs(tasks: list[asyncio.Task[None]]) -> None:
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
