"""The Redis side of the availability index: keys, scripts, and nothing about SQL.

Keys of one floor-day share the hash tag ``{so:f<floor>:<date>}`` so that both scripts touch a single cluster
slot (the index runs unchanged on Redis Cluster). Redis must run with ``maxmemory-policy noeviction``: an evicted
occupancy hash would only be "unknown" (and rebuilt), but an evicted generation counter could let a stale
snapshot be loaded.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta
from importlib.resources import files
from typing import cast

from redis.asyncio import Redis
from redis.commands.core import AsyncScript
from redis.exceptions import RedisError

from smartoffice.availability.slots import LocalDay

log = logging.getLogger(__name__)

LOADED_FIELD = "~"
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
    def expires_at(self) -> int:
        return int((self.day.end_at + KEEP_AFTER_DAY).timestamp())


def _script(name: str) -> str:
    return (files("smartoffice.availability") / "scripts" / name).read_text()


class AvailabilityIndex:
    def __init__(self, redis: Redis) -> None:
        self.redis = redis
        self._apply: AsyncScript = redis.register_script(_script("apply.lua"))
        self._load: AsyncScript = redis.register_script(_script("load.lua"))

    async def read(self, floor_day: FloorDay) -> dict[int, str] | None:
        """Occupied slots per space id, or ``None`` when the floor-day is not loaded (unknown, not free)."""
        # The client is created without decode_responses: replies are bytes.
        raw = cast(dict[bytes, bytes], await self.redis.hgetall(floor_day.occupancy_key))
        if LOADED_FIELD.encode() not in raw:
            return None
        return {int(k): v.decode() for k, v in raw.items() if k != LOADED_FIELD.encode()}

    async def generation(self, floor_day: FloorDay) -> str:
        value = cast(bytes | None, await self.redis.get(floor_day.generation_key))
        return value.decode() if value else "0"

    async def load(self, floor_day: FloorDay, generation: str, occupancy: dict[int, str]) -> bool:
        args: list[str | int] = [generation, floor_day.expires_at]
        for space_id, slots in occupancy.items():
            args += [space_id, slots]
        keys = [floor_day.occupancy_key, floor_day.generation_key]
        return bool(await self._load(keys=keys, args=args))

    async def apply(self, floor_day: FloorDay, space_id: int, first: int, last: int, *, taken: bool) -> int:
        keys = [floor_day.occupancy_key, floor_day.generation_key]
        args = [space_id, first, last, "1" if taken else "0", floor_day.day.slot_count, floor_day.expires_at]
        result = int(await self._apply(keys=keys, args=args))
        if result == 0:
            log.warning("availability index drifted from SQL on %s; dropping it", floor_day.tag)
            await self.forget(floor_day)
        return result

    async def forget(self, floor_day: FloorDay) -> None:
        await self.redis.delete(floor_day.occupancy_key)


__all__ = ["AvailabilityIndex", "FloorDay", "RedisError"]
