"""A per-process cache of slowly changing facts, trusted only while a version token in Redis is unchanged.

The same scheme as floor layouts (:mod:`smartoffice.places.layout`), made general: a :class:`VersionedCache`
watches a set of ORM models and keeps values (anything immutable: frozen dataclasses, tuples, read-only mappings)
by key, each stored with the **version** it was loaded under.

* The version is a random token at ``version_key`` in Redis. Any committed change to a watched table replaces it,
  and every process reloads on its next read. A write transaction (``Database.write()``) that flushes a watched
  object, or runs an ORM/Core ``insert``/``update``/``delete`` through the session on a watched table, is marked
  (:func:`track_changes`); :meth:`VersionedCache.after_commit` (a ``Database.after_commit`` hook) bumps the version
  once the change is durable, before the writing request answers.
* The version is read **before** SQL: a change committed between the two leaves an entry that carries the old
  version, which the bump makes stale at once.
* **Redis down** (or its circuit breaker open): the version is unknown, so nothing is served from or stored in
  the cache; every read goes to SQL. A missing key (Redis flushed or restarted) becomes a fresh random token,
  never a previous one. A bump that fails empties this process's cache and logs; other processes' entries are
  bounded by ``max_age`` (a backstop only).
* **Writers outside ``Database.write()``** (raw SQL on another connection, scripts editing a running deployment)
  must call :func:`bump_version` with the cache's key after their commit.

A request reads the version once (:meth:`VersionedCache.snapshot`), then asks for as many keys as it needs; an HTTP
request reads every cache's version in one ``MGET`` (:mod:`smartoffice.cache_versions`).

How to use it for another domain (e.g. the booking path's rules and calendar)::

    RULES = VersionedCache(redis, breaker, version_key="so:bookings:rules-version", models=(BookingRule,))
    db.after_commit.append(RULES.after_commit)              # once, where the runtime is built
    ...
    facts = await RULES.snapshot()                          # one Redis GET per request
    rule = await facts.get(("rule", building_id), lambda: load_rule(session, building_id))

Keep keys few and bounded (``max_entries``; the oldest entry is dropped beyond it), and values immutable: one
value is shared by every request of the process.
"""

import logging
import secrets
from collections.abc import Awaitable, Callable, Hashable, Iterable
from dataclasses import dataclass
from itertools import chain
from time import monotonic
from typing import Any, TypeVar, cast

from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session

from smartoffice.availability.breaker import CircuitBreaker
from smartoffice.cache_versions import forget, read_version, register
from smartoffice.db import Base

log = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_MAX_AGE_SECONDS = 300.0
DEFAULT_MAX_ENTRIES = 256

_WATCHED: dict[str, tuple[tuple[type[Base], ...], frozenset[str]]] = {}
"""Change flag (``session.info`` key) → the models and table names it watches. Filled once per cache kind by
:func:`track_changes` (like SQLAlchemy's own event registry: configuration, not request state)."""


def changed_flag(version_key: str) -> str:
    """The ``session.info`` key that marks a transaction as having changed what ``version_key`` versions."""
    return f"smartoffice.cache_changed:{version_key}"


def track_changes(version_key: str, models: Iterable[type[Base]]) -> None:
    """Mark write sessions that change one of ``models`` (``session.info[changed_flag(version_key)]``). Idempotent."""
    watched = tuple(models)
    _WATCHED[changed_flag(version_key)] = (watched, frozenset(m.__tablename__ for m in watched))
    if not event.contains(Session, "after_flush", _note_flush):
        event.listen(Session, "after_flush", _note_flush)
        event.listen(Session, "do_orm_execute", _note_statement)


def _note_flush(session: Session, _context: Any) -> None:
    changed = list(chain(session.new, session.dirty, session.deleted))
    if not changed:
        return
    for flag, (models, _) in _WATCHED.items():
        if any(isinstance(obj, models) for obj in changed):
            session.info[flag] = True


def _note_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        name = getattr(getattr(state.statement, "table", None), "name", None)
        for flag, (_, tables) in _WATCHED.items():
            if name in tables:
                state.session.info[flag] = True


async def bump_version(redis: Redis, version_key: str) -> None:
    """Make every process's entries under ``version_key`` stale. Call after committing a change they depend on."""
    await redis.set(version_key, secrets.token_hex(8))


@dataclass(frozen=True, slots=True)
class _Entry:
    version: str
    loaded_at: float
    value: Any


class VersionedCache:
    """Values by key for one process, each trusted while the version it was loaded under is current (see the module
    docstring). ``breaker`` is shared with the other Redis readers: while Redis is known to fail, no request waits
    for a timeout here."""

    def __init__(
        self,
        redis: Redis,
        breaker: CircuitBreaker,
        *,
        version_key: str,
        models: Iterable[type[Base]],
        clock: Callable[[], float] = monotonic,
        max_age: float = DEFAULT_MAX_AGE_SECONDS,
        max_entries: int = DEFAULT_MAX_ENTRIES,
    ) -> None:
        self.redis = redis
        self.breaker = breaker
        self.version_key = version_key
        self.clock = clock
        self.max_age = max_age
        self.max_entries = max_entries
        self._flag = changed_flag(version_key)
        self._entries: dict[Hashable, _Entry] = {}
        track_changes(version_key, models)
        register(version_key)

    async def version(self) -> str | None:
        """The current version, or None when Redis cannot say (then nothing is served from the cache). Within an
        HTTP request, read once with the other caches' (:mod:`smartoffice.cache_versions`)."""
        return await read_version(self.redis, self.breaker, self.version_key)

    async def snapshot(self) -> "CacheSnapshot":
        """The cache as of the version read now: one Redis read for all the keys a request asks for."""
        return CacheSnapshot(self, await self.version())

    async def get(self, key: Hashable, load: Callable[[], Awaitable[T]]) -> T:
        """``load()``'s value for ``key``, from this process when still current (one Redis read)."""
        return await (await self.snapshot()).get(key, load)

    def _lookup(self, version: str | None, key: Hashable) -> tuple[bool, Any]:
        entry = self._entries.get(key)
        if (
            version is not None
            and entry is not None
            and entry.version == version
            and self.clock() - entry.loaded_at < self.max_age
        ):
            return True, entry.value
        return False, None

    def _store(self, version: str | None, key: Hashable, value: Any) -> None:
        if version is None:
            self._entries.pop(key, None)
            return
        self._entries.pop(key, None)
        while len(self._entries) >= self.max_entries:
            self._entries.pop(next(iter(self._entries)))  # the oldest stored
        self._entries[key] = _Entry(version, self.clock(), value)

    def clear(self) -> None:
        self._entries.clear()

    async def after_commit(self, session: AsyncSession) -> None:
        """``Database.after_commit`` hook: bump the version if the transaction changed a watched table."""
        if not session.info.pop(self._flag, False):
            return
        self.clear()
        forget(self.version_key)
        try:
            await bump_version(self.redis, self.version_key)
        except RedisError as exc:
            log.error(
                "%s could not be bumped (%r): other processes may serve what they cached for up to %.0f s",
                self.version_key,
                exc,
                self.max_age,
            )


@dataclass(frozen=True, slots=True)
class CacheSnapshot:
    """A :class:`VersionedCache` at one version (``None``: unknown, every ``get`` loads from SQL)."""

    cache: VersionedCache
    version: str | None

    async def get(self, key: Hashable, load: Callable[[], Awaitable[T]]) -> T:
        found, value = self.cache._lookup(self.version, key)
        if found:
            return cast(T, value)
        loaded = await load()
        self.cache._store(self.version, key, loaded)
        return loaded
