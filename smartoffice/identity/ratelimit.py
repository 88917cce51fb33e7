"""A fixed-window rate limit in Redis: one Lua script, one round trip, one key per client.

The window starts at a client's first request (``INCR``, and ``EXPIRE`` when the count is 1), so it needs no
clock agreement between app processes; ``Retry-After`` is the key's remaining TTL. Redis unreachable: the
request is allowed and the failure logged (the limit protects capacity; it must not take the API down).

:meth:`RateLimiter.refund` takes one hit back (a sign-in that succeeded): counting first and refunding after
keeps the limit exact under concurrent attempts, where "check, then count the failure" would let a burst through.
"""

import logging
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

HIT = """
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('TTL', KEYS[1])
if count == 1 or ttl < 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
"""
REFUND = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.call('DECR', KEYS[1])
end
return 0
"""


@dataclass(frozen=True, slots=True)
class RateDecision:
    allowed: bool
    count: int
    retry_after: int
    """Seconds until the window ends (0 when allowed)."""


class RateLimiter:
    def __init__(self, redis: Redis, window_seconds: int) -> None:
        self.window_seconds = window_seconds
        self._hit = redis.register_script(HIT)
        self._refund = redis.register_script(REFUND)

    async def hit(self, client: str, limit: int) -> RateDecision:
        try:
            count, ttl = await self._hit(keys=[_key(client)], args=[self.window_seconds])
        except RedisError as exc:
            log.warning("rate limit not enforced for %s (Redis: %s)", client, exc)
            return RateDecision(True, 0, 0)
        if int(count) > limit:
            return RateDecision(False, int(count), max(1, int(ttl)))
        return RateDecision(True, int(count), 0)

    async def refund(self, client: str) -> None:
        """Take back one :meth:`hit` of this window (a key that has expired meanwhile stays gone)."""
        try:
            await self._refund(keys=[_key(client)])
        except RedisError as exc:
            log.warning("rate limit hit not refunded for %s (Redis: %s)", client, exc)


def _key(client: str) -> str:
    return f"so:ratelimit:{{{client}}}"
