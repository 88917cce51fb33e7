"""The version tokens of the per-process caches, read together, once per HTTP request.

Floor layouts (:mod:`smartoffice.places.layout`), the policy and booking facts and the present people
(:mod:`smartoffice.policies.cache`) each trust what they keep while a token in Redis is unchanged, and read that
token before any SQL. Read one ``GET`` at a time, the tokens were a round trip each (~50 µs of the client's CPU
here: redis-py's packing and parsing and the system calls): a floor's availability read two, a booking two, and a
building's eight floors read the layout token eight times.

So within an HTTP request (:class:`CacheVersionsMiddleware`, for every HTTP request before anything else runs) the
first token asked for brings every registered token (:func:`register`) in one ``MGET``, and the request keeps them
(:func:`read_version`). Outside a request (background jobs, the CLI, tests calling services) each read is its own
``GET``, as before.

**Why a token read earlier is as good.** The caches' rule is "read the token before the SQL whose answer is
stored under it": an entry loaded after the token was read carries that token or an older state's, and any later
commit replaces the token, which makes the entry stale in every process. A token read at the start of the request
is read before all of that request's SQL, so the rule holds. A request that itself commits a change to a cached
table bumps the token after its commit; the cache's ``after_commit`` then calls :func:`forget`, and the same request
reads the new token on its next use.

**Redis unavailable** (or the shared breaker open): the token is unknown, nothing is kept for the request, and each
cache reads SQL, as before. A token missing from Redis (never set, or Redis flushed) becomes a new random one,
never a previous one.
"""

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send
from redis.asyncio import Redis
from redis.exceptions import RedisError

from smartoffice.availability.breaker import CircuitBreaker

log = logging.getLogger(__name__)

_REGISTERED: dict[str, None] = {}
"""Every cache's token key (an ordered set), filled as the caches are built: configuration, not request state."""

_REQUEST: ContextVar[dict[str, str] | None] = ContextVar("smartoffice_cache_versions", default=None)
"""The tokens read in the current HTTP request; ``None`` outside one."""


def register(version_key: str) -> None:
    """Read ``version_key`` with the others, once per request. Idempotent."""
    _REGISTERED[version_key] = None


@contextmanager
def request_versions() -> Iterator[None]:
    """The tokens read inside are kept until the block ends (one HTTP request)."""
    token = _REQUEST.set({})
    try:
        yield
    finally:
        _REQUEST.reset(token)


def forget(version_key: str) -> None:
    """This request bumped ``version_key``: its next read asks Redis again."""
    kept = _REQUEST.get()
    if kept is not None:
        kept.pop(version_key, None)


async def read_version(redis: Redis, breaker: CircuitBreaker, version_key: str) -> str | None:
    """The token at ``version_key``, or ``None`` when Redis cannot say (then the cache serves nothing)."""
    kept = _REQUEST.get()
    if kept is not None:
        found = kept.get(version_key)
        if found is not None:
            return found
    if not breaker.allow():
        return None
    keys = [version_key] if kept is None else [version_key, *(k for k in _REGISTERED if k != version_key)]
    try:
        raws = await redis.mget(keys)
        if raws[0] is None:  # never set, or Redis lost it: a new token no entry can carry
            await redis.set(version_key, secrets.token_hex(8), nx=True)
            raws[0] = await redis.get(version_key)
    except RedisError as exc:
        breaker.record_failure()
        log.warning("%s unavailable (%r): reading from SQL", version_key, exc)
        return None
    breaker.record_success()
    tokens = {
        key: raw.decode() if isinstance(raw, bytes) else raw
        for key, raw in zip(keys, raws, strict=True)
        if raw is not None
    }
    if kept is not None:
        kept.update(tokens)
    return tokens.get(version_key)


class CacheVersionsMiddleware(ASGIMiddleware):
    """Each HTTP request keeps the cache tokens it reads (:func:`request_versions`); WebSockets do not, as a
    subscription lives for hours."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        with request_versions():
            await next_app(scope, receive, send)
