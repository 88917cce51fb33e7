"""The ASGI application: ``create_app(settings)`` wires the runtime, GraphQL and the pages."""

import gc
import hashlib
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar, Request, Response, get
from litestar.config.compression import CompressionConfig
from litestar.config.csrf import CSRFConfig
from litestar.middleware.session.client_side import CookieBackendConfig
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR, HTTP_503_SERVICE_UNAVAILABLE
from litestar.template import TemplateConfig
from sqlalchemy import text

from smartoffice.api.controller import GRAPHQL_PATH, graphql_controller
from smartoffice.api.doors import API_GRAPHQL_PATH
from smartoffice.api.schema import build_schema
from smartoffice.busy import busy_from
from smartoffice.cache_versions import CacheVersionsMiddleware
from smartoffice.identity.clients import ForwardedClientMiddleware
from smartoffice.identity.http import LoginSessionMiddleware
from smartoffice.integrations.api.live import subscriptions_controller
from smartoffice.jobs import start_jobs, stop_jobs
from smartoffice.metrics import metrics_controller, prometheus_config
from smartoffice.runtime import open_runtime, runtime_of
from smartoffice.scim.routes import SCIM_ROUTER
from smartoffice.settings import Settings
from smartoffice.web import PAGE_ROUTES, STATIC_ROUTES
from smartoffice.web.errors import busy_response, fault_response
from smartoffice.web.headers import add_security_headers
from smartoffice.web.login import LOGIN_ROUTES
from smartoffice.web.templating import register_template_globals


@get("/health", exclude_from_csrf=True)
async def health(request: Request[Any, Any, Any]) -> Response[dict[str, str]]:
    """Liveness and readiness: the database answers; Redis is reported but not required (SQL is the truth)."""
    runtime = runtime_of(request)
    checks = {"status": "ok", "database": "ok", "redis": "ok"}
    try:
        async with runtime.db.read() as session:
            await session.execute(text("SELECT 1"))
    except Exception:  # any failure means "not ready"
        checks.update(status="unavailable", database="unavailable")
    try:
        await runtime.redis.ping()
    except Exception:
        checks["redis"] = "unavailable (serving from SQL)"
    status = HTTP_503_SERVICE_UNAVAILABLE if checks["status"] != "ok" else 200
    return Response(checks, status_code=status)


def answer_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """An exception no handler knew: 503 busy (``Retry-After``) when it means no database connection could be had
    (smartoffice.busy), else litestar's 500. The pages answer busy with a page (smartoffice.web.errors); the
    GraphQL doors answer it in GraphQL themselves."""
    busy = busy_from(exc)
    return busy_response(busy) if busy is not None else fault_response(request, exc)


def _template_globals(settings: Settings) -> Callable[[JinjaTemplateEngine], None]:
    def register(engine: JinjaTemplateEngine) -> None:
        register_template_globals(engine)
        engine.engine.globals["demo_mode"] = settings.is_demo  # base.html offers the demo's picker only then

    return register


GZIP_LEVEL = 5
"""gzip level of every response over 1 kB that the client accepts compressed (see ``create_app``)."""


def create_app(settings: Settings) -> Litestar:
    settings = settings.with_secret()

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        async with open_runtime(settings) as runtime:
            app.state.runtime = runtime
            tasks = start_jobs(runtime) if settings.run_jobs else []
            try:
                yield
            finally:
                await stop_jobs(tasks)

    session_secret = hashlib.sha256(("session:" + settings.secret_key).encode()).digest()
    return Litestar(
        route_handlers=[
            graphql_controller(settings),
            graphql_controller(settings, API_GRAPHQL_PATH),
            subscriptions_controller(build_schema(debug=settings.debug)),  # WebSocket only: /graphql/ws
            health,
            metrics_controller(settings.metrics_token),
            *PAGE_ROUTES,
            *LOGIN_ROUTES,
            *STATIC_ROUTES,
            SCIM_ROUTER,  # /scim/v2: identity providers, app tokens only (no cookie, so no CSRF)
        ],
        lifespan=[lifespan],
        template_config=TemplateConfig(
            directory=settings.templates_dir, engine=JinjaTemplateEngine, engine_callback=_template_globals(settings)
        ),
        # The GraphQL doors check CSRF themselves, for cookie-borne requests only (smartoffice.api.doors).
        csrf_config=CSRFConfig(
            secret=settings.secret_key, exclude=[GRAPHQL_PATH, API_GRAPHQL_PATH, "/health", "/metrics", "/scim/"]
        ),
        # Level 5, not litestar's 9: a 147-desk floor page (150 kB of HTML) costs 0.74 ms to compress instead of
        # 1.76 ms, for 14.7 kB instead of 13.8 kB (nginx compresses at 1 by default).
        compression_config=CompressionConfig(backend="gzip", minimum_size=1024, gzip_compress_level=GZIP_LEVEL),
        middleware=[
            # First: everything after it reads the client's address and scheme it decided.
            ForwardedClientMiddleware(settings.trusted_proxies),
            CacheVersionsMiddleware(),  # one MGET for the caches' versions, on a request's first use of them
            prometheus_config().middleware,
            CookieBackendConfig(secret=session_secret, httponly=True, samesite="lax").middleware,
            LoginSessionMiddleware(),
        ],
        exception_handlers={HTTP_500_INTERNAL_SERVER_ERROR: answer_unexpected},
        before_send=[add_security_headers],
        debug=settings.debug,
    )


GC_YOUNG_THRESHOLD = 50_000
"""Container allocations between two collections of the youngest generation (CPython's default: 700).

A request allocates tens of thousands of objects (a week's plan, an ORM row's state, GraphQL's result maps), and a
worker holds ~500,000 long-lived ones (floor layouts, the booking path's place map, SQLAlchemy's statement cache).
At 700, 32 requests in flight collected the young generation every few hundred microseconds and promoted what they
still held, so the full collections that walk the long-lived half million came every ~85 requests: 23 % of a
`myWeek`'s CPU (12.4 ms → 9.5 ms) and 15 % of `{ __typename }`'s (0.91 → 0.77 ms) at 32 concurrent requests,
measured in one process on a tier-M copy. At 50,000, the young collections are ~100 times rarer and the full ones
rarer still; the cost is a few megabytes more of young objects between collections. Python 3.13 raised the default
to 2,000 for the same reason."""


def tune_garbage_collector() -> None:
    """For a server process (see :data:`GC_YOUNG_THRESHOLD`); the older generations keep their defaults."""
    _, middle, old = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, middle, old)


def app_from_env() -> Litestar:
    """Factory for ASGI servers started by the CLI: reads the environment when called, not when imported."""
    tune_garbage_collector()
    return create_app(Settings.from_env())
