"""Login sessions in Redis: an opaque random id in an HttpOnly cookie names a Redis key holding who logged in.

Keys hold the SHA-256 of the id, not the id itself, so a copy of Redis's data cannot be replayed as cookies.
A per-employee set lists the person's sessions so an administrator can end them all at once. Each command
touches one key, so this runs unchanged on Redis Cluster. Redis unreachable: nobody is logged in (and login
fails with a message), which is the safe side.
"""

import hashlib
import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from redis.asyncio import Redis
from redis.exceptions import RedisError

from smartoffice.db import utcnow

SESSION_COOKIE = "so_session"
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LoginSession:
    employee_id: int
    created_at: datetime


def _key(session_id: str) -> str:
    return "so:session:" + hashlib.sha256(session_id.encode()).hexdigest()


def _index_key(employee_id: int) -> str:
    return f"so:sessions-of:{employee_id}"


class SessionStore:
    def __init__(self, redis: Redis, ttl_seconds: int, clock: Callable[[], datetime] = utcnow) -> None:
        self.redis = redis
        self.ttl_seconds = ttl_seconds
        self.clock = clock

    async def create(self, employee_id: int) -> str:
        """A new session; returns its id for the cookie. Raises ``RedisError`` when Redis is unreachable."""
        session_id = secrets.token_urlsafe(32)
        key = _key(session_id)
        value = json.dumps({"employee_id": employee_id, "created_at": self.clock().isoformat()})
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.set(key, value, ex=self.ttl_seconds)
            pipe.sadd(_index_key(employee_id), key)
            pipe.expire(_index_key(employee_id), self.ttl_seconds)
            await pipe.execute()
        return session_id

    async def get(self, session_id: str) -> LoginSession | None:
        if not session_id or len(session_id) > 100:
            return None
        try:
            raw = await self.redis.get(_key(session_id))
        except RedisError as exc:
            log.warning("login sessions unavailable (Redis: %s): treating the request as anonymous", exc)
            return None
        if raw is None:
            return None
        data = json.loads(raw)
        return LoginSession(int(data["employee_id"]), datetime.fromisoformat(data["created_at"]))

    async def delete(self, session_id: str) -> None:
        key = _key(session_id)
        try:
            raw = await self.redis.getdel(key)
            if raw is not None:
                await self.redis.srem(_index_key(int(json.loads(raw)["employee_id"])), key)
        except RedisError as exc:
            log.warning("could not delete a login session (Redis: %s)", exc)

    async def revoke_all(self, employee_id: int) -> int:
        """End every session of the person; returns how many were live. Raises ``RedisError``."""
        index = _index_key(employee_id)
        keys = [k.decode() if isinstance(k, bytes) else k for k in await self.redis.smembers(index)]
        revoked = 0
        for key in keys:  # one key per command: Cluster-safe
            revoked += int(await self.redis.delete(key))
        await self.redis.delete(index)
        return revoked
