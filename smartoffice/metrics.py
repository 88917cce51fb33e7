"""Prometheus metrics: request latency (litestar's middleware) and the booking core's own counters.

Served at ``/metrics``. Counters live in each process: scrape each app process on its own (docker-compose runs
one worker per replica, so each replica is one target). With ``serve --workers N`` a scrape reaches one worker;
setting ``PROMETHEUS_MULTIPROC_DIR`` (an empty directory) before start makes litestar's controller aggregate all
workers (prometheus_client's multiprocess mode).
"""

from litestar.plugins.prometheus import PrometheusConfig
from prometheus_client import Counter, Histogram

BOOKINGS = Counter(
    "smartoffice_bookings_total",
    "Booking attempts by space kind and outcome (booked, conflict, refused).",
    ["kind", "outcome"],
)
INDEX_DRIFT = Counter(
    "smartoffice_index_drift_floor_days_total",
    "Floor-days the reconciler found different from SQL and reloaded.",
)
INDEX_UNAVAILABLE = Counter(
    "smartoffice_index_unavailable_total",
    "Calls to the Redis availability index that failed or were skipped by the open circuit breaker.",
)
INDEX_REBUILD_SECONDS = Histogram(
    "smartoffice_index_rebuild_seconds",
    "Time to rebuild the availability index for the days asked.",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
)


def prometheus_config() -> PrometheusConfig:
    """Request counts and latency per route template (not per raw path: ids would explode the label set)."""
    return PrometheusConfig(
        app_name="smartoffice",
        prefix="smartoffice",
        group_path=True,
        exclude=["/metrics", "/health"],
    )
