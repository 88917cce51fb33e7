"""The epoch one process serves the index under, and whether that process is *dirty*.

The global epoch (``so:epoch``) stamps every floor-day when it is loaded; only floor-days stamped with the current
epoch are served. A process reads the epoch at most once per ``EPOCH_CACHE_SECONDS`` (so another process's bump
is seen within that long). When one of its projections fails (Redis down or slow, breaker open), the index may
now lack a committed change: the process is dirty, and the next time it needs the epoch it *bumps* it first, so
no floor-day loaded before the failure is served again, by any process, once their caches turn over.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable

from smartoffice.availability.breaker import IndexUnavailable
from smartoffice.availability.index import AvailabilityIndex

log = logging.getLogger(__name__)

EPOCH_CACHE_SECONDS = 1.0


class EpochTracker:
    def __init__(
        self,
        index: AvailabilityIndex,
        call: Callable[[Awaitable[str]], Awaitable[str]],
        clock: Callable[[], float],
    ) -> None:
        self.index = index
        self._call = call
        """Awaits one Redis call and reports it to the breaker."""
        self.clock = clock
        self._epoch: str | None = None
        self._read_at = 0.0
        self._refresh: asyncio.Future[str] | None = None
        self._refresh_covers = 0
        self._failures = 0
        """Projections this process failed to apply (or skipped), ever."""
        self._covered = 0
        """How many of them an epoch bump has since made harmless."""

    @property
    def is_dirty(self) -> bool:
        return self._failures != self._covered

    def record_failure(self) -> None:
        """A projection may be missing from the index: bump the epoch before serving from it again."""
        self._failures += 1

    async def current(self) -> str:
        """The epoch to serve under (bumped first while dirty).

        One refresh is in flight at a time and the others await it, so a slow read of the old epoch can never
        overwrite the result of a bump made after it (nor can many requests read it at once).
        """
        for _ in range(4):
            failures = self._failures
            if (
                failures == self._covered
                and self._epoch is not None
                and self.clock() - self._read_at < EPOCH_CACHE_SECONDS
            ):
                return self._epoch
            refresh = self._refresh
            if refresh is not None and not refresh.done():
                if self._refresh_covers >= failures:
                    return await asyncio.shield(refresh)
                await asyncio.wait([refresh])  # a bump must follow failures that this refresh does not cover
                continue
            self._refresh_covers = failures
            refresh = self._refresh = asyncio.ensure_future(self._fetch(bump=failures != self._covered))
            refresh.add_done_callback(_retrieve)
            return await asyncio.shield(refresh)
        raise IndexUnavailable("epoch refresh kept being overtaken")

    async def bump(self) -> str:
        """Bump the epoch now (a rebuild): everything loaded so far becomes unknown."""
        return await self._fetch(bump=True)

    async def _fetch(self, *, bump: bool) -> str:
        failures = self._failures
        if bump:
            epoch = await self._call(self.index.bump_epoch())
            if failures != self._covered:
                log.warning("availability index: projections were lost; bumped the epoch, floor-days reload from SQL")
            self._covered = max(self._covered, failures)
        else:
            epoch = await self._call(self.index.epoch())
        self._epoch, self._read_at = epoch, self.clock()
        return epoch


def _retrieve(future: "asyncio.Future[str]") -> None:
    """Mark a shared refresh's failure as seen even when every waiter was cancelled (no 'never retrieved')."""
    if not future.cancelled():
        future.exception()
