"""Half-signed-in: the password was right, the second step (a TOTP code, or enrolling one) is still to come.

This is not a login session and nothing treats it as one: it is a record in Redis under the SHA-256 of a random
id, the id in its own HttpOnly cookie scoped to ``/login``, good for :data:`PENDING_TTL_SECONDS` and spent by the
sign-in it leads to (``GETDEL``: one session per record, however many tabs race). The record also carries its
own deadline, checked against the app's clock, so an expired one is refused even if Redis has not dropped it.

The secret of an enrolment in progress waits in Redis too (sealed, per person, :data:`ENROLMENT_TTL_SECONDS`), so
that reloading the enrolment page shows the same QR code and the code typed is checked against that secret.
"""

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from redis.asyncio import Redis

from smartoffice.identity.totp import new_secret
from smartoffice.integrations.sealing import SecretBox, SecretUnreadable

PENDING_COOKIE = "so_pending"
PENDING_TTL_SECONDS = 5 * 60
ENROLMENT_TTL_SECONDS = 15 * 60


class NextStep(StrEnum):
    CODE = "code"
    """Type the code from the authenticator app (or a recovery code)."""
    ENROL = "enrol"
    """An administrator without an authenticator app: enrol one before any session exists."""


@dataclass(frozen=True, slots=True)
class PendingSignIn:
    employee_id: int
    step: NextStep
    next_path: str
    throttle_key: str
    """The account's sign-in throttle key: the second step's guesses count against the same budget."""
    expires_at: datetime


def _key(pending_id: str) -> str:
    return "so:signin-pending:" + hashlib.sha256(pending_id.encode()).hexdigest()


class PendingSignIns:
    def __init__(self, redis: Redis, clock: Callable[[], datetime]) -> None:
        self.redis = redis
        self.clock = clock

    async def create(self, employee_id: int, step: NextStep, next_path: str, throttle_key: str) -> str:
        """A new record; returns its id for the cookie. Raises ``RedisError``."""
        pending_id = secrets.token_urlsafe(32)
        expires_at = self.clock() + timedelta(seconds=PENDING_TTL_SECONDS)
        value = {
            "employee_id": employee_id,
            "step": step.value,
            "next": next_path,
            "throttle_key": throttle_key,
            "expires_at": expires_at.isoformat(),
        }
        await self.redis.set(_key(pending_id), json.dumps(value), ex=PENDING_TTL_SECONDS)
        return pending_id

    async def get(self, pending_id: str | None) -> PendingSignIn | None:
        """The live record the cookie names, else ``None`` (unknown, malformed or past its deadline)."""
        if not pending_id or len(pending_id) > 100:
            return None
        raw = await self.redis.get(_key(pending_id))
        return self._live(raw)

    async def take(self, pending_id: str) -> PendingSignIn | None:
        """Spend the record: whoever takes it first signs in, any later taker gets ``None``."""
        raw = await self.redis.getdel(_key(pending_id))
        return self._live(raw)

    async def forget(self, pending_id: str) -> None:
        await self.redis.delete(_key(pending_id))

    def _live(self, raw: bytes | str | None) -> PendingSignIn | None:
        if raw is None:
            return None
        data = json.loads(raw)
        pending = PendingSignIn(
            int(data["employee_id"]),
            NextStep(data["step"]),
            str(data["next"]),
            str(data["throttle_key"]),
            datetime.fromisoformat(data["expires_at"]),
        )
        return pending if self.clock() < pending.expires_at else None


class Enrolments:
    """The secret of each person's enrolment in progress, sealed, in Redis."""

    def __init__(self, redis: Redis, box: SecretBox) -> None:
        self.redis = redis
        self.box = box

    async def secret_for(self, employee_id: int) -> str:
        """The secret being enrolled, a fresh one if none is waiting. Raises ``RedisError``, ``SecretKeyMissing``."""
        key = _enrolment_key(employee_id)
        await self.redis.set(key, self.box.seal(new_secret()), ex=ENROLMENT_TTL_SECONDS, nx=True)
        secret = await self.waiting(employee_id)
        assert secret is not None
        return secret

    async def waiting(self, employee_id: int) -> str | None:
        sealed = await self.redis.get(_enrolment_key(employee_id))
        if sealed is None:
            return None
        try:
            return self.box.open(sealed.decode() if isinstance(sealed, bytes) else sealed)
        except SecretUnreadable:
            return None

    async def forget(self, employee_id: int) -> None:
        await self.redis.delete(_enrolment_key(employee_id))


def _enrolment_key(employee_id: int) -> str:
    return f"so:totp-enrol:{employee_id}"
