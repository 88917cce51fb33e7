"""Idempotency keys: a booking mutation's result is stored with its effect, in the same transaction.

A replay with the same key and the same request returns the stored result (the booking ids) without doing
anything; the same key with a different request is refused. Only successes are stored: a failed mutation
changed nothing, so replaying it simply tries again.
"""

import hashlib
import json
from dataclasses import asdict, is_dataclass
from datetime import date, time
from enum import Enum
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.bookings.errors import BookingInputCode
from smartoffice.bookings.models import IdempotencyKey
from smartoffice.errors import InvalidInput

MAX_KEY_LENGTH = 100


def request_hash(operation: str, request: object) -> str:
    payload = asdict(request) if is_dataclass(request) and not isinstance(request, type) else request
    canonical = json.dumps({"op": operation, "request": payload}, sort_keys=True, default=_json_default)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _json_default(value: object) -> object:
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"cannot hash {type(value).__name__}")


def check_key(key: str) -> str:
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidInput("idempotencyKey", BookingInputCode.INVALID_IDEMPOTENCY_KEY, max=MAX_KEY_LENGTH)
    return key


async def stored_result(
    session: AsyncSession, actor_id: int, key: str, operation: str, digest: str
) -> dict[str, Any] | None:
    """The stored result of an earlier identical request, or ``None`` when the key is new."""
    row = await session.scalar(
        select(IdempotencyKey).where(IdempotencyKey.actor_id == actor_id, IdempotencyKey.key == key)
    )
    if row is None:
        return None
    if row.operation != operation or row.request_hash != digest:
        raise InvalidInput("idempotencyKey", BookingInputCode.IDEMPOTENCY_KEY_REUSED)
    return row.result


def record(session: AsyncSession, actor_id: int, key: str, operation: str, digest: str, result: dict[str, Any]) -> None:
    session.add(IdempotencyKey(actor_id=actor_id, key=key, operation=operation, request_hash=digest, result=result))
