"""Database wiring: the declarative base, the UTC instant type, and the engine with its two kinds of session.

SQLite needs care to be an honest arbiter of bookings:

* pysqlite's own transaction handling is switched off and we emit ``BEGIN`` ourselves, so that a write
  transaction can start with ``BEGIN IMMEDIATE``: it takes the database's write lock *before* the overlap check
  runs, so two writers can never both see "free" (``busy_timeout`` makes the loser wait instead of failing).
* WAL lets readers proceed while one writer holds the lock; foreign keys are on.
* SQLite has no time zone type: :class:`UTCDateTime` stores UTC as sortable ISO text and hands back aware values.
"""

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from sqlalchemy import DateTime, Enum, MetaData, event
from sqlalchemy.engine import URL, Dialect, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

if TYPE_CHECKING:
    from smartoffice.settings import Settings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

MAX_PAGE_SIZE = 100
"""The most rows one page of a list returns (the API's `first`, the services' keyset pages)."""

SQLITE_BEGIN_OPTION = "sqlite_begin"
WRITING = "smartoffice.writing"
"""``session.info`` key set on sessions handed out by ``Database.write()``."""

log = logging.getLogger(__name__)


class Commits:
    """How many write transactions committed during one unit of work (an HTTP request): see :func:`count_commits`."""

    __slots__ = ("count",)

    def __init__(self) -> None:
        self.count = 0


_COMMITS: ContextVar[Commits | None] = ContextVar("smartoffice_commits", default=None)


def count_commits() -> Commits:
    """Count the write transactions that commit from here on in this task and the tasks it starts (they share the
    one ledger). The GraphQL door asks it whether a request already changed something before it met the overload:
    then "busy, nothing was done" would be untrue (``smartoffice.api.controller``)."""
    commits = Commits()
    _COMMITS.set(commits)
    return commits


AfterCommit = Callable[["AsyncSession"], Awaitable[None]]

MAX_ID = 2**31 - 1
"""Primary keys are INTEGER columns: a larger number cannot name a row, and PostgreSQL's driver would fail on it
rather than find nothing. Inputs are checked against this before they reach a query."""


PGBOUNCER_URL_FLAG = "pgbouncer"
"""``postgresql+asyncpg://…?pgbouncer=true`` means the same as ``SMARTOFFICE_DATABASE_PGBOUNCER=1`` (Prisma spells
it so too). The setting reaches what the app builds from its settings; the URL also reaches every tool that is
given only a URL (a CLI command, the benchmark, a test's own engine). The parameter is removed before connecting."""


def is_storable_id(value: int) -> bool:
    return 0 < value <= MAX_ID


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware instant, stored in UTC. Naive datetimes are rejected rather than guessed at."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected an aware datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} refused: instants must carry a time zone")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            # Stored naive so that SQLite compares them as text in instant order.
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def str_enum(enum: type[StrEnum], length: int, name: str | None = None) -> Enum:
    """A portable enum column storing the members' values (a VARCHAR with a CHECK, no native type).

    ``name`` names the CHECK constraint (default: the enum's name); two columns of one table with the same enum
    need different names, as PostgreSQL constraint names are unique per table.
    """
    return Enum(
        enum,
        name=name or enum.__name__.lower(),
        native_enum=False,
        create_constraint=True,
        length=length,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


def utcnow() -> datetime:
    return datetime.now(UTC)


def is_sqlite(url_or_engine: str | AsyncEngine) -> bool:
    url = url_or_engine if isinstance(url_or_engine, str) else str(url_or_engine.url)
    return url.startswith("sqlite")


def create_engine(
    url: str,
    *,
    pool_size: int = 10,
    max_overflow: int = 20,
    pool_timeout: float = 5.0,
    pgbouncer: bool = False,
    **kwargs: Any,
) -> AsyncEngine:
    """An engine whose pool holds at most ``pool_size + max_overflow`` connections (PostgreSQL).

    A checkout waits at most ``pool_timeout`` seconds for a free connection and then raises SQLAlchemy's
    ``TimeoutError``, which :func:`smartoffice.busy.busy_from` answers as "busy, retry" (503), never a hang.
    ``pgbouncer``: the URL points at PgBouncer in transaction pooling mode (see :func:`pgbouncer_connect_args`);
    ``?pgbouncer=true`` on the URL says the same (see :data:`PGBOUNCER_URL_FLAG`).
    """
    if is_sqlite(url):
        # One file, one process, no server to exhaust: the pool bounds are PostgreSQL's. Writers queue on SQLite's
        # write lock for up to ``busy_timeout`` (30 s), and a lock still held after that ("database is locked") is
        # overload too: busy_from answers it busy (the transaction did nothing; retrying is safe).
        engine = create_async_engine(url, connect_args={"timeout": 30}, **kwargs)
        _configure_sqlite(engine)
        return engine
    parsed, flagged = split_pgbouncer_flag(url)
    if pgbouncer or flagged:
        kwargs["connect_args"] = {**pgbouncer_connect_args(), **kwargs.get("connect_args", {})}
    kwargs.setdefault("pool_size", pool_size)
    kwargs.setdefault("max_overflow", max_overflow)
    kwargs.setdefault("pool_timeout", pool_timeout)
    # No pre-ping: it is a round trip (a SELECT 1 through asyncpg's greenlet bridge) on *every* checkout, about
    # half the CPU of a short read transaction. What we give up: after PostgreSQL restarts or fails over, the
    # statements that meet a dead pooled connection fail instead of being retried on a fresh one. SQLAlchemy sees
    # that error as a disconnect (asyncpg's "connection is closed"/ConnectionDoesNotExistError), invalidates that
    # connection and marks the whole pool stale (``Pool._invalidate``), so every connection older than the
    # failure is replaced at its next checkout (checked: with all backends of a 3-connection pool terminated, one
    # read failed and the next ones succeeded): the cost is the requests in flight at that moment (an error
    # answer; bookings roll back, SQL stays the truth), not a stream of failures. Recycling connections after
    # half an hour keeps idle ones from being cut by firewalls or poolers meanwhile. A deployment that prefers
    # a round trip per transaction to that one error burst can pass ``pool_pre_ping=True``.
    # Kept on after all: without it, one dropped PostgreSQL connection failed a whole 64-racer round in CI.
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_recycle", 1800)
    return create_async_engine(parsed, **kwargs)


def split_pgbouncer_flag(url: str) -> tuple[URL, bool]:
    """``url`` without its ``pgbouncer`` query parameter, and whether that parameter said "through PgBouncer"."""
    parsed = make_url(url)
    value = parsed.query.get(PGBOUNCER_URL_FLAG)
    if value is None:
        return parsed, False
    flag = value[-1] if isinstance(value, tuple) else value
    return parsed.difference_update_query([PGBOUNCER_URL_FLAG]), flag.strip().lower() in ("1", "true", "yes", "on")


def engine_from_settings(settings: "Settings", **kwargs: Any) -> AsyncEngine:
    """The engine for ``settings``: its URL, pool bounds and PgBouncer mode."""
    return create_engine(
        settings.resolved_database_url,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_max_overflow,
        pool_timeout=settings.database_pool_timeout,
        pgbouncer=settings.database_pgbouncer,
        **kwargs,
    )


def pgbouncer_connect_args() -> dict[str, Any]:
    """asyncpg under PgBouncer's transaction pooling: no prepared statement outlives its transaction.

    Consecutive transactions of one client connection may run on different server connections, and one server
    connection serves many clients. So nothing may be cached by name across transactions: SQLAlchemy's prepared
    statement cache and asyncpg's own statement cache are off (each statement is prepared in the transaction that
    runs it), and every prepared statement gets a unique name: asyncpg's default ``__asyncpg_stmt_N__`` is
    numbered per process, so two replicas' statements meeting on one server connection would collide ("prepared
    statement ... already exists"). The cost is one more round trip per statement (Parse/Describe); PgBouncer
    1.21+ can instead track protocol-level prepared statements (``max_prepared_statements``).
    """
    return {
        "prepared_statement_cache_size": 0,
        "statement_cache_size": 0,
        "prepared_statement_name_func": _unique_statement_name,
    }


def _unique_statement_name() -> str:
    return f"__asyncpg_{uuid4().hex}__"


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let us emit BEGIN ourselves (see the module docstring).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get(SQLITE_BEGIN_OPTION, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


class Database:
    """Owns the engine; hands out short-lived sessions, one per unit of work.

    ``write()`` is a transaction that takes SQLite's write lock at ``BEGIN`` (a no-op difference on PostgreSQL,
    where the exclusion constraints arbitrate). ``read()`` is a plain transaction.

    ``after_commit`` hooks run after each write transaction commits (never after a rollback), with the session,
    so that what a transaction noted in ``session.info`` (e.g. booking events to publish) is acted on only once
    it is durable. A failing hook is logged, never raised: the commit has happened.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.is_sqlite = is_sqlite(engine)
        self._read = async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
        write_engine = engine.execution_options(**{SQLITE_BEGIN_OPTION: "IMMEDIATE"}) if self.is_sqlite else engine
        self._write = async_sessionmaker(write_engine, expire_on_commit=False, autoflush=False)
        self.after_commit: list[AfterCommit] = []

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> "Database":
        return cls(create_engine(url, **kwargs))

    @classmethod
    def from_settings(cls, settings: "Settings", **kwargs: Any) -> "Database":
        """The database ``settings`` name, with their pool bounds and PgBouncer mode."""
        return cls(engine_from_settings(settings, **kwargs))

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        async with self._read() as session, session.begin():
            yield session

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """A transaction that commits when the block exits normally and rolls back on any exception."""
        async with self._write() as session:
            session.info[WRITING] = True
            async with session.begin():
                yield session
            if (commits := _COMMITS.get()) is not None:
                commits.count += 1
            for hook in self.after_commit:
                try:
                    await hook(session)
                except Exception:
                    log.exception("after-commit hook %r failed (the transaction is committed)", hook)

    @staticmethod
    def is_writing(session: AsyncSession) -> bool:
        """Whether ``session`` is a write transaction (one that may lock rows and must keep a lock order)."""
        return bool(session.info.get(WRITING))

    async def dispose(self) -> None:
        await self.engine.dispose()
