"""Prometheus metrics: request latency (litestar's middleware) and the booking core's own counters.

Served at ``/metrics``, to Prometheus only: with ``SMARTOFFICE_METRICS_TOKEN`` set a scrape must send
``Authorization: Bearer <token>`` (compared in constant time); unset, only a loopback peer may read it (a sidecar
or ``curl`` on the host; the direct peer, never an address a proxy forwarded, so nginx's own address does not
count: behind the proxy set the token). ``/health`` stays open.

Counters live in each process: scrape each app process on its own (docker-compose runs one worker per replica,
so each replica is one target). With ``serve --workers N`` a scrape reaches one worker;
setting ``PROMETHEUS_MULTIPROC_DIR`` (an empty directory) before start makes litestar's controller aggregate all
workers (prometheus_client's multiprocess mode).
"""

import hmac

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController
from litestar.types import Guard
from prometheus_client import Counter, Histogram

from smartoffice.identity.clients import is_loopback, peer_of

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


def metrics_guard(token: str | None) -> Guard:
    """Who may scrape: the bearer of ``token``, or with no token set, a loopback peer."""

    def may_scrape(connection: ASGIConnection, handler: BaseRouteHandler) -> None:  # type: ignore[type-arg]
        if token is None:
            if not is_loopback(peer_of(connection)):
                raise PermissionDeniedException("Metrics are served to loopback clients only (no token is set).")
            return
        kind, _, presented = connection.headers.get("authorization", "").partition(" ")
        if kind.lower() != "bearer" or not hmac.compare_digest(presented.strip().encode(), token.encode()):
            raise NotAuthorizedException("A bearer token is required.", headers={"WWW-Authenticate": "Bearer"})

    return may_scrape


def metrics_controller(token: str | None) -> type[PrometheusController]:
    """litestar's ``/metrics`` endpoint behind :func:`metrics_guard`."""
    return type("MetricsController", (PrometheusController,), {"guards": [metrics_guard(token)]})
