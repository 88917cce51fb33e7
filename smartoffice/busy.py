"""Overload, named: when no database connection can be had, a request is answered "busy, retry", never a 500.

:func:`busy_from` recognises the failures that mean "the service is at capacity right now" (the connection pool
waited its ``pool_timeout`` out, PostgreSQL or PgBouncer refused another client) as opposed to a fault. The
doors turn a :class:`ServiceBusy` into HTTP 503 with ``Retry-After``, or a GraphQL error with the code ``BUSY``.
"""

from asyncpg.exceptions import CannotConnectNowError, TooManyConnectionsError
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
_REFUSAL_TEXT = ("too many clients already", "remaining connection slots are reserved", "no more connections allowed")


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
        if isinstance(current, DBAPIError | OSError) and any(t in str(current).lower() for t in _REFUSAL_TEXT):
            return ServiceBusy("the database refused another connection")
        current = current.__cause__ or current.__context__
    return None
