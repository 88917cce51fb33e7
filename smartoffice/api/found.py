"""Loading several keys where some may be missing (a loader answers NotFound for those)."""

import asyncio
from collections.abc import Sequence
from typing import TypeVar

from strawberry.dataloader import DataLoader

from smartoffice.errors import NotFound

K = TypeVar("K")
V = TypeVar("V")


async def load_found(loader: DataLoader[K, V], keys: Sequence[K]) -> dict[K, V]:
    """The values of the keys that exist, in one batch; ``load_many`` would raise for the first missing key."""
    values = await asyncio.gather(*(loader.load(k) for k in keys), return_exceptions=True)
    found: dict[K, V] = {}
    for key, value in zip(keys, values, strict=True):
        if isinstance(value, NotFound):
            continue
        if isinstance(value, BaseException):
            raise value
        found[key] = value
    return found
