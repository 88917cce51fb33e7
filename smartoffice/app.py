"""The ASGI application: ``create_app(settings)`` wires the runtime, GraphQL and the pages."""

import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar, Request, Response, get
from litestar.background_tasks import BackgroundTasks
from litestar.config.compression import CompressionConfig
from litestar.config.csrf import CSRFConfig
from litestar.di import Provide
from litestar.middleware.session.client_side import CookieBackendConfig
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.status_codes import HTTP_503_SERVICE_UNAVAILABLE
from litestar.template import TemplateConfig
from sqlalchemy import text
from strawberry.litestar import make_graphql_controller

from smartoffice.api.context import DEMO_IDENTITY_HEADER, Context, viewer_from_header
from smartoffice.api.schema import build_schema
from smartoffice.jobs import start_jobs, stop_jobs
from smartoffice.messages import language_from_header
from smartoffice.runtime import open_runtime, runtime_of
from smartoffice.settings import Settings
from smartoffice.web import PAGE_ROUTES, STATIC_ROUTES

GRAPHQL_PATH = "/graphql"


async def graphql_context(request: Request[Any, Any, Any]) -> Context:
    # The GraphQL endpoint identifies callers by header only, never by the pages' cookie: a cross-site form
    # cannot set a header, so the endpoint needs no CSRF token (login and app tokens come later).
    return Context.for_request(
        runtime_of(request),
        viewer_from_header(request.headers.get(DEMO_IDENTITY_HEADER)),
        language_from_header(request.headers.get("accept-language")),
    )


async def _graphql_response() -> Response[Any]:
    # strawberry declares this dependency with sync_to_thread=True: one thread hop per request for nothing.
    return Response({}, background=BackgroundTasks([]))


def graphql_controller(settings: Settings) -> type:
    base = make_graphql_controller(
        build_schema(debug=settings.debug),
        path=GRAPHQL_PATH,
        context_getter=graphql_context,
        allow_queries_via_get=False,
        graphql_ide="graphiql",
    )

    class GraphQLController(base):  # type: ignore[valid-type,misc]
        dependencies = {**base.dependencies, "response": Provide(_graphql_response)}

    return GraphQLController


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
        route_handlers=[graphql_controller(settings), health, *PAGE_ROUTES, *STATIC_ROUTES],
        lifespan=[lifespan],
        template_config=TemplateConfig(directory=settings.templates_dir, engine=JinjaTemplateEngine),
        csrf_config=CSRFConfig(secret=settings.secret_key, exclude=[GRAPHQL_PATH, "/health"]),
        compression_config=CompressionConfig(backend="gzip", minimum_size=1024),
        middleware=[CookieBackendConfig(secret=session_secret, httponly=True, samesite="lax").middleware],
        debug=settings.debug,
    )


def app_from_env() -> Litestar:
    """Factory for ASGI servers started by the CLI: reads the environment when called, not when imported."""
    return create_app(Settings.from_env())
