"""A small in-process circuit breaker for the Redis index.

Closed: calls go through; ``failure_threshold`` consecutive failures open it. Open: calls are refused at once (the
caller answers from SQL) until ``reset_after`` seconds have passed; then it is half-open and lets one call through
as a probe: success closes it, failure opens it again for another ``reset_after``. A probe that never reports (its
task was cancelled) stops counting as in flight after ``reset_after``, so the breaker cannot stick half-open.

Why our own ~60 lines rather than a library: the maintained asyncio breakers (purgatory, aiobreaker, circuitbreaker)
wrap a call as a decorator or ``async with`` and read the wall clock themselves, so testing the transitions means
sleeping or patching ``time``; purgatory also awaits its unit-of-work machinery on every call, on our hottest path.
What we need is three methods, an injected monotonic clock, and no I/O: this is it. The state is per process on
purpose: a breaker only decides how long *this* process waits for Redis before answering from SQL.
"""

import time
from collections.abc import Callable
from enum import StrEnum

from redis.exceptions import RedisError


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class IndexUnavailable(RedisError):
    """Raised instead of calling Redis while the breaker is open; callers treat it like any Redis failure."""


class CircuitBreaker:
    def __init__(
        self, *, failure_threshold: int = 3, reset_after: float = 5.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if failure_threshold < 1 or reset_after <= 0:
            raise ValueError("failure_threshold must be >= 1 and reset_after > 0")
        self.failure_threshold = failure_threshold
        self.reset_after = reset_after
        self.clock = clock
        self._state = BreakerState.CLOSED
        self._failures = 0
        self._opened_at = 0.0
        self._probe_started_at: float | None = None

    @property
    def state(self) -> BreakerState:
        if self._state == BreakerState.OPEN and self.clock() - self._opened_at >= self.reset_after:
            return BreakerState.HALF_OPEN
        return self._state

    def allow(self) -> bool:
        """May a call go to Redis now? In half-open state this admits one probe at a time."""
        state = self.state
        if state == BreakerState.CLOSED:
            return True
        if state == BreakerState.OPEN:
            return False
        now = self.clock()
        if self._probe_started_at is not None and now - self._probe_started_at < self.reset_after:
            return False
        self._state = BreakerState.HALF_OPEN
        self._probe_started_at = now
        return True

    def record_success(self) -> None:
        self._state = BreakerState.CLOSED
        self._failures = 0
        self._probe_started_at = None

    def record_failure(self) -> None:
        self._failures += 1  # not reset on opening: a failed half-open probe is still over the threshold
        if self._failures >= self.failure_threshold:
            self._state = BreakerState.OPEN
            self._opened_at = self.clock()
            self._probe_started_at = None
