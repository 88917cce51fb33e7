"""Login sessions in Redis: an opaque random id in an HttpOnly cookie names a Redis key holding who logged in.

Keys hold the SHA-256 of the id, not the id itself, so a copy of Redis's data cannot be replayed as cookies.
A per-employee set lists the person's sessions so an administrator can end them all at once, and the person can
see theirs and end any one (``/account``). A session remembers the browser's address and user agent as it signed
in, and when it was last seen (written at most once a minute: a busy page must not turn reads into writes). Each
command touches one key, so this runs unchanged on Redis Cluster. Redis unreachable: nobody is logged in (and login
fails with a message), which is the safe side.
"""

import hashlib
import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from redis.asyncio import Redis
from redis.exceptions import RedisError

from smartoffice.db import utcnow

SESSION_COOKIE = "so_session"
LAST_SEEN_RESOLUTION = timedelta(minutes=1)
MAX_USER_AGENT_LENGTH = 200
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LoginSession:
    employee_id: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """One of a person's sessions as they see it on their account page."""

    handle: str
    """Names the session in a form without being its id (the Redis key's hash: it cannot be used as a cookie)."""
    created_at: datetime
    last_seen_at: datetime | None
    client_address: str | None
    user_agent: str | None


def _key(session_id: str) -> str:
    return "so:session:" + hashlib.sha256(session_id.encode()).hexdigest()


def handle_of(session_id: str) -> str:
    """The :attr:`SessionInfo.handle` of the session whose cookie carries ``session_id``."""
    return hashlib.sha256(session_id.encode()).hexdigest()


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _index_key(employee_id: int) -> str:
    return f"so:sessions-of:{employee_id}"


class SessionStore:
    def __init__(self, redis: Redis, ttl_seconds: int, clock: Callable[[], datetime] = utcnow) -> None:
        self.redis = redis
        self.ttl_seconds = ttl_seconds
        self.clock = clock

    async def create(
        self, employee_id: int, *, client_address: str | None = None, user_agent: str | None = None
    ) -> str:
        """A new session; returns its id for the cookie. Raises ``RedisError`` when Redis is unreachable."""
        session_id = secrets.token_urlsafe(32)
        key = _key(session_id)
        now = self.clock().isoformat()
        value = json.dumps(
            {
                "employee_id": employee_id,
                "created_at": now,
                "last_seen_at": now,
                "client_address": client_address,
                "user_agent": (user_agent or "")[:MAX_USER_AGENT_LENGTH] or None,
            }
        )
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
        await self._touch(_key(session_id), data)
        return LoginSession(int(data["employee_id"]), datetime.fromisoformat(data["created_at"]))

    async def _touch(self, key: str, data: dict[str, object]) -> None:
        now = self.clock()
        seen = data.get("last_seen_at")
        if isinstance(seen, str) and now - datetime.fromisoformat(seen) < LAST_SEEN_RESOLUTION:
            return
        try:  # XX: never brings back a session deleted meanwhile; KEEPTTL: seeing it does not extend it
            await self.redis.set(key, json.dumps({**data, "last_seen_at": now.isoformat()}), xx=True, keepttl=True)
        except RedisError as exc:
            log.warning("could not note when a login session was last seen (Redis: %s)", exc)

    async def sessions_of(self, employee_id: int) -> list[SessionInfo]:
        """The person's live sessions, newest first (and the index pruned of ended ones). Raises ``RedisError``."""
        index = _index_key(employee_id)
        found = []
        for key in sorted(_text(k) for k in await self.redis.smembers(index)):
            raw = await self.redis.get(key)  # one key per command: Cluster-safe
            if raw is None:
                await self.redis.srem(index, key)
                continue
            data = json.loads(raw)
            seen = data.get("last_seen_at")
            found.append(
                SessionInfo(
                    handle=key.rsplit(":", 1)[1],
                    created_at=datetime.fromisoformat(data["created_at"]),
                    last_seen_at=datetime.fromisoformat(seen) if seen else None,
                    client_address=data.get("client_address"),
                    user_agent=data.get("user_agent"),
                )
            )
        return sorted(found, key=lambda s: s.created_at, reverse=True)

    async def end(self, employee_id: int, handle: str) -> bool:
        """End the person's session named ``handle``; ``False`` when it is not one of theirs (or already ended).
        Raises ``RedisError``."""
        key = "so:session:" + handle
        if len(handle) != 64 or not await self.redis.sismember(_index_key(employee_id), key):
            return False
        ended = int(await self.redis.delete(key))
        await self.redis.srem(_index_key(employee_id), key)
        return ended == 1

    async def end_others(self, employee_id: int, keep_session_id: str | None) -> int:
        """End every session of the person but the one ``keep_session_id`` names; how many ended."""
        keep = handle_of(keep_session_id) if keep_session_id else None
        ended = 0
        for session in await self.sessions_of(employee_id):
            if session.handle != keep:
                ended += int(await self.end(employee_id, session.handle))
        return ended

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
        keys = [_text(k) for k in await self.redis.smembers(index)]
        revoked = 0
        for key in keys:  # one key per command: Cluster-safe
            revoked += int(await self.redis.delete(key))
        await self.redis.delete(index)
        return revoked
