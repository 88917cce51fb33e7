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
from smartoffice.privacy.retention import RUN_INTERVAL_SECONDS as RETENTION_INTERVAL_SECONDS
from smartoffice.privacy.retention import run_retention_job
from smartoffice.runtime import Runtime

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Job:
    name: str
    interval_seconds: float
    run: Callable[[Runtime], Awaitable[object]]


JOBS: tuple[Job, ...] = (
    Job("release_no_shows", 60, run_release_no_shows),
    Job("reconcile_availability_index", RECONCILE_INTERVAL_SECONDS, reconcile_index),
    Job("deliver_webhooks", 10, run_webhooks),
    Job("purge_booking_events", 3600, run_purge_booking_events),
    Job("retention", RETENTION_INTERVAL_SECONDS, run_retention_job),  # daily: bookings, plans, attendance
)
"""Registered jobs; each domain adds its own here."""


async def run_forever(job: Job, runtime: Runtime) -> None:
    while True:
        try:
            result = await job.run(runtime)
            if result:
                log.info("job %s: %s", job.name, result)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("job %s failed; retrying in %ss", job.name, job.interval_seconds)
        await asyncio.sleep(job.interval_seconds)


def start_jobs(runtime: Runtime, jobs: tuple[Job, ...] = JOBS) -> list[asyncio.Task[None]]:
    return [asyncio.create_task(run_forever(job, runtime), name=f"job:{job.name}") for job in jobs]


async def stop_jobs(tasks: list[asyncio.Task[None]]) -> None:
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
