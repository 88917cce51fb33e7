"""The Redis side of the availability index: keys, scripts, and nothing about SQL.

Key layout. Every key of one floor-day shares the hash tag ``{so:f<floor>:<date>}``, so each script touches a
single cluster slot and the index runs unchanged on Redis Cluster; scripts get every key in ``KEYS`` and the epoch
in ``ARGV`` (it lives in another slot and is never read inside a script):

``so:epoch``            string   the global epoch (see below); seeded from the server clock when missing
``{tag}:occ``           hash     space id → one char per slot ('0' free, '1' taken), only spaces with a taken slot;
                                 field ``~`` = the epoch the floor-day was loaded under (absent: not loaded)
``{tag}:gen``           string   the floor-day's generation, bumped by every projection; a loader that read it
                                 before its SQL snapshot refuses to write a snapshot a change has overtaken
``{tag}:ver``           hash     booking id → ``version:active:space:first:last``, the last projection applied
``{tag}:hold``          hash     hold token → ``space:first:last:expires_ms`` (Redis server time)

A floor-day is *current* when its ``~`` stamp equals the epoch; anything else (not loaded, loaded under an older
epoch, or no epoch at all after Redis lost its data) is *unknown*: read from SQL and reloaded, never "all free".
Keys expire two days after their day ends.

Redis must run with ``maxmemory-policy noeviction`` (the embedded server and docker-compose do): an evicted
occupancy hash would only be unknown, but an evicted generation or version hash could let a stale snapshot or an
old projection win. Redis >= 5 is needed (scripts call ``TIME`` before writing, i.e. effects replication).
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from enum import IntEnum
from importlib.resources import files
from typing import cast

from redis.asyncio import Redis
from redis.commands.core import AsyncScript
from redis.exceptions import RedisError

from smartoffice.availability.slots import LocalDay

log = logging.getLogger(__name__)

EPOCH_KEY = "so:epoch"
LOADED_FIELD = "~"
_LOADED = LOADED_FIELD.encode()
KEEP_AFTER_DAY = timedelta(days=2)


@dataclass(frozen=True, slots=True)
class FloorDay:
    floor_id: int
    day: LocalDay

    @property
    def tag(self) -> str:
        return f"{{so:f{self.floor_id}:{self.day.day.isoformat()}}}"

    @property
    def occupancy_key(self) -> str:
        return f"{self.tag}:occ"

    @property
    def generation_key(self) -> str:
        return f"{self.tag}:gen"

    @property
    def versions_key(self) -> str:
        return f"{self.tag}:ver"

    @property
    def holds_key(self) -> str:
        return f"{self.tag}:hold"

    @property
    def expires_at(self) -> int:
        return int((self.day.end_at + KEEP_AFTER_DAY).timestamp())


@dataclass(frozen=True, slots=True)
class Projection:
    """One booking's state on one floor-day, as committed in SQL at ``version``."""

    booking_id: int
    version: int
    is_active: bool
    space_id: int
    first: int
    last: int

    @property
    def encoded(self) -> str:
        """The ``{tag}:ver`` value that records this projection as applied."""
        return f"{self.version}:{int(self.is_active)}:{self.space_id}:{self.first}:{self.last}"


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A floor-day as SQL has it: the occupancy, and every booking touching the day (active or not) as applied."""

    occupancy: dict[int, str]
    projections: Sequence[Projection] = field(default_factory=tuple)


class Applied(IntEnum):
    """What ``apply.lua`` did with a projection."""

    DRIFTED = 0
    """Marking found a slot taken by another booking: the index had drifted from SQL and the floor-day was dropped."""
    APPLIED = 1
    NOT_LOADED = -1
    """The floor-day is not loaded: only the version was recorded."""
    SUPERSEDED = 2
    """This version or a newer one was applied already (a duplicate or an out-of-order projection)."""


class HoldReply(IntEnum):
    TAKEN = 0
    HELD = 1
    UNKNOWN = -1


def _script(name: str) -> str:
    return (files("smartoffice.availability") / "scripts" / name).read_text()


def _text(value: bytes | str | int) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class AvailabilityIndex:
    def __init__(self, redis: Redis) -> None:
        self.redis = redis
        self._apply: AsyncScript = redis.register_script(_script("apply.lua"))
        self._load: AsyncScript = redis.register_script(_script("load.lua"))
        self._hold: AsyncScript = redis.register_script(_script("hold.lua"))
        self._epoch: AsyncScript = redis.register_script(_script("epoch.lua"))
        self._invalidate: AsyncScript = redis.register_script(_script("invalidate.lua"))

    async def epoch(self) -> str:
        """The current epoch (created, seeded from the server clock, when Redis has none)."""
        return _text(await self._epoch(keys=[EPOCH_KEY], args=["get"]))

    async def bump_epoch(self) -> str:
        """Make every loaded floor-day unknown at once: they are reloaded from SQL as they are read."""
        return _text(await self._epoch(keys=[EPOCH_KEY], args=["bump"]))

    async def read(self, floor_day: FloorDay, epoch: str) -> dict[int, str] | None:
        """Occupied slots per space id, or ``None`` when the floor-day is not current (unknown, not free)."""
        # The client is created without decode_responses: replies are bytes.
        raw = cast(dict[bytes, bytes], await self.redis.hgetall(floor_day.occupancy_key))
        return _occupancy(raw, epoch)

    async def read_with_generation(self, floor_day: FloorDay, epoch: str) -> tuple[str, dict[int, str] | None]:
        """The generation and the occupancy read atomically (one MULTI on one slot): what the reconciler compares."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.get(floor_day.generation_key)
            pipe.hgetall(floor_day.occupancy_key)
            generation, raw = await pipe.execute()
        return (_text(generation) if generation else "0"), _occupancy(raw, epoch)

    async def stamps(self, floor_days: Sequence[FloorDay]) -> list[str | None]:
        """The epoch each floor-day was loaded under (``None``: not loaded), in one pipelined round trip."""
        async with self.redis.pipeline(transaction=False) as pipe:
            for floor_day in floor_days:
                pipe.hget(floor_day.occupancy_key, LOADED_FIELD)
            replies = await pipe.execute()
        return [_text(reply) if reply is not None else None for reply in replies]

    async def generation(self, floor_day: FloorDay) -> str:
        value = cast(bytes | None, await self.redis.get(floor_day.generation_key))
        return value.decode() if value else "0"

    async def load(self, floor_day: FloorDay, generation: str, epoch: str, snapshot: Snapshot) -> bool:
        """Replace the floor-day with ``snapshot``, stamped with ``epoch``, unless a projection overtook it."""
        args: list[str | int] = [generation, floor_day.expires_at, epoch, len(snapshot.occupancy)]
        for space_id, slots in snapshot.occupancy.items():
            args += [space_id, slots]
        for projection in snapshot.projections:
            args += [projection.booking_id, projection.encoded]
        keys = [floor_day.occupancy_key, floor_day.generation_key, floor_day.versions_key]
        return bool(await self._load(keys=keys, args=args))

    async def apply(self, floor_day: FloorDay, projection: Projection, hold_token: str = "") -> Applied:
        keys = [floor_day.occupancy_key, floor_day.generation_key, floor_day.versions_key, floor_day.holds_key]
        args: list[str | int] = [
            projection.booking_id,
            projection.version,
            int(projection.is_active),
            projection.space_id,
            projection.first,
            projection.last,
            floor_day.day.slot_count,
            floor_day.expires_at,
            hold_token,
        ]
        result = Applied(int(await self._apply(keys=keys, args=args)))
        if result == Applied.DRIFTED:
            log.warning("availability index drifted from SQL on %s; dropped it", floor_day.tag)
        return result

    async def invalidate(self, floor_day: FloorDay) -> None:
        """Drop a floor-day (it becomes unknown) and bump its generation so no loader racing us writes it back."""
        keys = [floor_day.occupancy_key, floor_day.generation_key]
        await self._invalidate(keys=keys, args=[floor_day.expires_at])

    async def hold(
        self, floor_day: FloorDay, epoch: str, space_id: int, first: int, last: int, token: str, ttl_ms: int
    ) -> HoldReply:
        keys = [floor_day.occupancy_key, floor_day.holds_key]
        args: list[str | int] = [epoch, space_id, first, last, token, ttl_ms]
        return HoldReply(int(await self._hold(keys=keys, args=args)))

    async def release(self, floor_day: FloorDay, token: str) -> None:
        await self.redis.hdel(floor_day.holds_key, token)


def _occupancy(raw: dict[bytes, bytes], epoch: str) -> dict[int, str] | None:
    stamp = raw.pop(_LOADED, None)
    if stamp is None or stamp != epoch.encode():
        return None
    # apply.lua drops all-free spaces, so every field left has a taken slot; this loop is the read's hot spot.
    return {int(k): v.decode() for k, v in raw.items()}


__all__ = [
    "EPOCH_KEY",
    "Applied",
    "AvailabilityIndex",
    "FloorDay",
    "HoldReply",
    "Projection",
    "RedisError",
    "Snapshot",
]
