"""Files an administrator uploaded, kept in Redis between the preview of an import and its confirmation.

Each file waits under a random token, readable only by the administrator who sent it, for ``ttl_seconds``.
Redis only holds it for convenience: losing Redis (or the wait running out) means "upload the file again", never a
lost or half-applied import, because the import itself runs in one database transaction on confirmation.
"""

import re
import secrets
from dataclasses import dataclass

from redis.asyncio import Redis

TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")
"""What a kept file's token looks like (``secrets.token_urlsafe(24)``); anything else names nothing."""


@dataclass(frozen=True, slots=True)
class KeptUpload:
    label: str
    """What the page needs back besides the bytes: the file's name, or the kind of records it holds."""
    content: bytes


class UploadShelf:
    def __init__(self, redis: Redis, namespace: str, ttl_seconds: int) -> None:
        self.redis, self.namespace, self.ttl_seconds = redis, namespace, ttl_seconds

    def _key(self, token: str) -> str:
        return f"upload:{self.namespace}:{token}"

    async def keep(self, actor_id: int, label: str, content: bytes) -> str:
        """Keep ``content`` for ``actor_id``; the token to fetch it with."""
        token = secrets.token_urlsafe(24)
        mapping = {"actor": str(actor_id), "label": label, "content": content}
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._key(token), mapping=mapping)  # type: ignore[arg-type]
            pipe.expire(self._key(token), self.ttl_seconds)
            await pipe.execute()
        return token

    async def get(self, actor_id: int, token: str) -> KeptUpload | None:
        """The file kept under ``token`` for ``actor_id``; None when expired, someone else's, or never kept."""
        if not TOKEN.fullmatch(token):
            return None
        kept: dict[bytes, bytes] = await self.redis.hgetall(self._key(token))  # type: ignore[assignment]
        if not kept or kept.get(b"actor") != str(actor_id).encode() or b"content" not in kept:
            return None
        return KeptUpload(kept[b"label"].decode(), kept[b"content"])

    async def drop(self, token: str) -> None:
        await self.redis.delete(self._key(token))
