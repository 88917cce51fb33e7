"""Overload, named: when no database connection can be had, a request is answered "busy, retry", never a 500.

:func:`busy_from` recognises the failures that mean "the service is at capacity right now" (the connection pool
waited its ``pool_timeout`` out, PostgreSQL or PgBouncer refused another client or PgBouncer's queue timed out,
SQLite's write lock stayed taken past ``busy_timeout``) as opposed to a fault. Each of these happens before the
unit of work wrote anything, or rolls it back, so the same request may simply be sent again. The doors turn a
:class:`ServiceBusy` into HTTP 503 with ``Retry-After``, or a GraphQL error with the code ``BUSY``.
"""

import sqlite3

from asyncpg.exceptions import CannotConnectNowError, PostgresError, TooManyConnectionsError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

RETRY_AFTER_SECONDS = 2
BUSY_CODE = "BUSY"


class ServiceBusy(Exception):
    """No capacity for this request now; the same request may succeed after ``retry_after`` seconds."""

    def __init__(self, reason: str, retry_after: int = RETRY_AFTER_SECONDS) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


_REFUSALS = (TooManyConnectionsError, CannotConnectNowError)
"""asyncpg's classes for PostgreSQL's SQLSTATE 53300 (``max_connections``, a role's or a database's ``CONNECTION
LIMIT``) and 57P03 (starting up, shutting down, in recovery)."""
_CARRIERS = (DBAPIError, OSError, PostgresError, sqlite3.OperationalError)
"""Where a refusal arrives only as a message: SQLAlchemy's wrapper, the drivers' own errors, socket errors."""
_REFUSAL_TEXT = (
    "too many clients already",  # PostgreSQL: max_connections reached
    "too many connections for",  # PostgreSQL: a role's or a database's CONNECTION LIMIT reached
    "remaining connection slots are reserved",  # PostgreSQL: only superuser_reserved_connections left
    "no more connections allowed",  # PgBouncer: max_client_conn reached (SQLSTATE 08P01, a protocol error)
    "query_wait_timeout",  # PgBouncer: no server connection freed up within query_wait_timeout
    "database is locked",  # SQLite: the write lock stayed taken for all of busy_timeout; nothing was written
)


def _is_refusal(exc: BaseException) -> bool:
    text = str(exc).lower()
    return any(fragment in text for fragment in _REFUSAL_TEXT)


def busy_from(exc: BaseException) -> ServiceBusy | None:
    """The :class:`ServiceBusy` that ``exc`` (or an exception it was raised from) means, or ``None``."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ServiceBusy):
            return current
        if isinstance(current, PoolTimeout):
            return ServiceBusy("no database connection became free in time")
        if isinstance(current, _REFUSALS):
            return ServiceBusy("the database refused another connection")
        if isinstance(current, _CARRIERS) and _is_refusal(current):
            return ServiceBusy("the database refused another connection")
        current = current.__cause__ or current.__context__
    return None
