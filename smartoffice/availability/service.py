"""Floor-day availability: read from the index, fall back to SQL (and reload the index) when it is unknown.

Correctness never depends on this module: bookings are decided by SQL. What it guarantees:

* a floor-day is either read from a loaded, *current* index or computed from SQL, never assumed free;
* projections are versioned (``apply.lua``): in whatever order and however often they arrive, the index converges
  on the last committed state of each booking;
* a snapshot read from SQL is only loaded if no projection changed that floor-day meanwhile (``load.lua``);
* when this process fails to project a change (Redis down, slow, or the breaker open) it remembers that it is
  *dirty*, and bumps the global epoch as soon as Redis answers again, before it serves anything from the index:
  every floor-day loaded before the failure becomes unknown and is reloaded from SQL (``epoch.py``);
* a slow or dead Redis costs at most a few timeouts: the circuit breaker then sends reads straight to SQL.
"""

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from time import monotonic
from typing import TypeVar

from redis.exceptions import RedisError
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.availability.breaker import CircuitBreaker, IndexUnavailable
from smartoffice.availability.epoch import EpochTracker
from smartoffice.availability.index import AvailabilityIndex, FloorDay, HoldReply, Projection, Snapshot
from smartoffice.availability.slots import FREE, TAKEN, LocalDay, local_days
from smartoffice.availability.sql import floors_with_zones, occupancy_from_sql, occupancy_of, snapshot_from_sql
from smartoffice.availability.unavailable import (
    DayFacts,
    FloorDayFacts,
    FloorTruth,
    floor_truth,
    load_floor_day_facts,
    load_viewer_quotas,
    viewer_works_on_holiday,
    whole_day_window,
)
from smartoffice.bookings.models import Booking
from smartoffice.db import Database
from smartoffice.metrics import INDEX_DRIFT, INDEX_REBUILD_SECONDS, INDEX_UNAVAILABLE
from smartoffice.places.layout import FloorLayout, FloorLayoutCache
from smartoffice.places.models import Building, Space
from smartoffice.quotas.standing import QuotaStanding

log = logging.getLogger(__name__)

T = TypeVar("T")

HOLD_TTL = timedelta(seconds=10)
LOAD_ATTEMPTS = 5

__all__ = [
    "AvailabilityService",
    "FloorOccupancy",
    "FloorTruth",
    "HoldResult",
    "HoldStatus",
    "ReconcileReport",
    "Source",
    "SpaceStatus",
    "occupancy_from_sql",
    "occupancy_of",
    "opening_window",
    "packed_with",
    "statuses",
    "window_slots",
]


class Source(StrEnum):
    INDEX = "index"
    DATABASE = "database"


class SpaceStatus(StrEnum):
    FREE = "free"
    PARTIALLY_BOOKED = "partially_booked"
    BOOKED = "booked"
    UNAVAILABLE = "unavailable"
    """Not bookable in the window by the viewer, whatever its bookings (see ``availability.unavailable``)."""


@dataclass(frozen=True, slots=True)
class FloorOccupancy:
    floor_id: int
    day: LocalDay
    slots: dict[int, str]
    """Per space id, one char per slot of the day; spaces with no booking are absent."""
    source: Source

    def status(self, space_id: int, window: tuple[int, int]) -> SpaceStatus:
        first, last = window
        slots = self.slots.get(space_id)
        if slots is None:  # no booking this day (not ``.get(id, day.empty())``: that reckons the day per desk)
            return SpaceStatus.FREE
        span = slots[first:last]
        if TAKEN not in span:
            return SpaceStatus.FREE
        if FREE not in span:
            return SpaceStatus.BOOKED
        return SpaceStatus.PARTIALLY_BOOKED

    def packed(self, space_ids: Iterable[int], window: tuple[int, int]) -> str:
        """The statuses of ``space_ids`` in ``window`` as one string, a letter per space (``PACKED_FREE`` …)."""
        first, last = window
        letters = []
        for space_id in space_ids:
            slots = self.slots.get(space_id)
            if slots is None:  # no booking this day
                letters.append(PACKED_FREE)
                continue
            span = slots[first:last]
            letters.append(PACKED_FREE if TAKEN not in span else PACKED_BOOKED if FREE not in span else PACKED_PARTIAL)
        return "".join(letters)


PACKED_FREE, PACKED_PARTIAL, PACKED_BOOKED, PACKED_UNAVAILABLE = "F", "P", "B", "U"
"""The letters of a packed availability string: free, partially booked, booked (for the whole window), and
unavailable (closed, a holiday, assigned to someone else, ...: see ``availability.unavailable``)."""


def packed_with(packed: str, space_ids: Iterable[int], truth: FloorTruth) -> str:
    """``packed`` (the letters of ``space_ids``) with the unavailable desks' letters replaced by ``U``."""
    if not truth.desks:
        return packed
    return "".join(
        PACKED_UNAVAILABLE if space_id in truth.desks else letter
        for space_id, letter in zip(space_ids, packed, strict=True)
    )


class HoldStatus(StrEnum):
    HELD = "held"
    TAKEN = "taken"
    """The index says a booking or another live hold has a slot: a hint, SQL still decides."""
    UNKNOWN = "unknown"
    """The floor-day is not loaded or not current, or Redis is unavailable: go ahead, SQL decides."""


@dataclass(frozen=True, slots=True)
class HoldResult:
    status: HoldStatus
    token: str | None = None
    floor_days: tuple[FloorDay, ...] = ()
    """The floor-days the hold is recorded on (one, unless the range crosses local midnight)."""

    @property
    def is_held(self) -> bool:
        return self.status == HoldStatus.HELD


@dataclass(slots=True)
class ReconcileReport:
    checked: int = 0
    """Loaded, current floor-days compared with SQL."""
    drifted_floor_days: int = 0
    """Floor-days that differed from SQL and were reloaded."""
    drifted_spaces: int = 0
    """Spaces whose slots differed, over those floor-days."""
    raced: int = 0
    """Floor-days a projection changed while being compared: left for the next run (the projection is newer)."""
    unavailable: bool = False
    """Redis failed or the breaker was open: nothing (more) was checked."""


def opening_window(building: Building, day: LocalDay) -> tuple[datetime, datetime]:
    return day.at(building.opens_at), day.at(building.closes_at)


def window_slots(day: LocalDay, start: time, end: time) -> tuple[int, int]:
    """The slots of ``start``-``end`` on ``day``; a desk's status for a booking window is read over
    :meth:`FloorTruth.slots`, which adds the rule's changeover buffer."""
    return day.slot_range(day.at(start), day.at(end))


def statuses(occupancy: FloorOccupancy, spaces: Sequence[Space], window: tuple[int, int]) -> dict[int, SpaceStatus]:
    return {space.id: occupancy.status(space.id, window) for space in spaces}


class AvailabilityService:
    """Reads, projections, holds, rebuilds and reconciliation of the index, each safe when Redis is not.

    ``clock`` is monotonic seconds (the breaker's and the epoch cache's); tests inject one to move time on.
    """

    def __init__(
        self,
        db: Database,
        index: AvailabilityIndex,
        *,
        clock: Callable[[], float] = monotonic,
        breaker: CircuitBreaker | None = None,
        hold_ttl: timedelta = HOLD_TTL,
        read_index: bool = True,
    ) -> None:
        self.db = db
        self.read_index = read_index
        """False: reads answer from SQL only (``SMARTOFFICE_AVAILABILITY_INDEX=off``); projections still run."""
        self.index = index
        self.clock = clock
        self.breaker = breaker if breaker is not None else CircuitBreaker(clock=clock)
        self.hold_ttl = hold_ttl
        self.epoch = EpochTracker(index, self._call, clock)

    @property
    def is_dirty(self) -> bool:
        """Some projection of this process may be missing from the index, and no epoch bump has covered it yet."""
        return self.epoch.is_dirty

    # reads

    async def floor_day(
        self, floor_id: int, time_zone: str, day: date, *, use_index: bool | None = None
    ) -> FloorOccupancy:
        """Occupancy of a floor on a local ``day`` of its building's ``time_zone``."""
        floor_day = FloorDay(floor_id, LocalDay(day, time_zone))
        if self.read_index if use_index is None else use_index:
            try:
                return await self._from_index(floor_day)
            except RedisError as exc:
                self._log_unavailable("answering from SQL", exc)
        async with self.db.read() as session:
            slots = await occupancy_from_sql(session, floor_day)
        return FloorOccupancy(floor_id, floor_day.day, slots, Source.DATABASE)

    async def _from_index(self, floor_day: FloorDay) -> FloorOccupancy:
        self._admit()
        epoch = await self.epoch.current()
        slots = await self._call(self.index.read(floor_day, epoch))
        if slots is not None:
            return FloorOccupancy(floor_day.floor_id, floor_day.day, slots, Source.INDEX)
        # Unknown: answer from SQL and load that answer. The generation is read before the snapshot so that a
        # projection applied after the snapshot (which bumps it) makes the load refuse rather than hide a change.
        generation = await self._call(self.index.generation(floor_day))
        snapshot = await self._snapshot(floor_day)
        try:
            await self._call(self.index.load(floor_day, generation, epoch, snapshot))
        except RedisError as exc:
            self._log_unavailable(f"{floor_day.tag} not loaded", exc)
        return FloorOccupancy(floor_day.floor_id, floor_day.day, snapshot.occupancy, Source.DATABASE)

    async def truth(
        self,
        layout: FloorLayout,
        day: date,
        viewer_id: int | None,
        start: time | None = None,
        end: time | None = None,
        *,
        layouts: FloorLayoutCache | None = None,
    ) -> FloorTruth:
        """Which desks of the floor ``viewer_id`` cannot book on ``day`` in ``start``–``end`` (by default the
        building's hours that day), and why (see ``availability.unavailable``). With ``layouts`` (the cache
        ``layout`` came from) the floor-day's facts are cached beside the layout; the viewer's quotas are read."""
        local_day = LocalDay(day, layout.building.time_zone)
        default_start, default_end = whole_day_window(layout, local_day)

        async def load(session: AsyncSession) -> FloorDayFacts:
            return await load_floor_day_facts(session, layout, local_day)

        if layouts is not None:
            floor_facts = await layouts.floor_day_facts(layout, ("truth", day), load)
        else:
            async with self.db.read() as session:
                floor_facts = await load(session)
        quotas: tuple[QuotaStanding, ...] = ()
        works_on_holiday = False
        if viewer_id is not None and (floor_facts.has_quotas or floor_facts.holiday_depends_on_person):
            async with self.db.read() as session:
                if floor_facts.has_quotas:
                    quotas = await load_viewer_quotas(session, layout, local_day, viewer_id)
                works_on_holiday = await viewer_works_on_holiday(session, floor_facts, viewer_id)
        facts = DayFacts(floor_facts, quotas, viewer_id, works_on_holiday)
        return floor_truth(layout, facts, start or default_start, end or default_end)

    # projections

    async def project(self, booking: Booking, floor_id: int, time_zone: str, hold: HoldResult | None = None) -> None:
        """Project a committed booking into the index: its slots taken while it is active, freed otherwise.

        Call it after every commit that changes a booking (each change bumps ``booking.version``: an unchanged
        version is taken for a duplicate and ignored). Pass the ``hold`` taken before the transaction to clear it.
        Never raises: SQL has the change, and a projection that fails marks this process dirty (see the module).
        """
        try:
            await self._project(booking, floor_id, time_zone, hold)
        except RedisError as exc:
            self._failed(f"booking {booking.id} not projected", exc)
        except asyncio.CancelledError:
            self.epoch.record_failure()  # it may or may not have reached Redis
            raise
        except Exception:
            self.epoch.record_failure()
            log.exception("availability index: projecting booking %s failed", booking.id)

    async def _project(self, booking: Booking, floor_id: int, time_zone: str, hold: HoldResult | None) -> None:
        if booking.version is None:
            raise ValueError("a projected booking must carry its committed version")
        days = local_days(booking.start_at, booking.blocks_until, time_zone)
        token = hold.token if hold is not None and hold.is_held and hold.token else ""
        self._admit()
        projected = []
        for day in days:
            floor_day = FloorDay(floor_id, day)
            first, last = day.slot_range(booking.start_at, booking.blocks_until)
            projection = Projection(booking.id, booking.version, booking.is_active, booking.space_id, first, last)
            await self._call(self.index.apply(floor_day, projection, token))
            projected.append(floor_day)
        if hold is not None and token:
            for floor_day in hold.floor_days:
                if floor_day not in projected:
                    await self._call(self.index.release(floor_day, token))

    async def record(self, booking: Booking, floor_id: int, time_zone: str, *, taken: bool) -> None:
        """Deprecated: a change to some slots of ``booking`` that carries no version. Prefer :meth:`project`.

        An unversioned mark or clear could undo a newer projection that overtook it, so the floor-days it touches
        are made unknown instead (reloaded from SQL on their next read). ``taken`` is accepted for compatibility.
        Never raises.
        """
        try:
            self._admit()
            for day in local_days(booking.start_at, booking.blocks_until, time_zone):
                await self._call(self.index.invalidate(FloorDay(floor_id, day)))
        except RedisError as exc:
            self._failed(f"booking {booking.id} not recorded", exc)
        except Exception:
            self.epoch.record_failure()
            log.exception("availability index: recording booking %s failed", booking.id)

    # holds

    async def hold(
        self, space_id: int, floor_id: int, time_zone: str, start_at: datetime, end_at: datetime
    ) -> HoldResult:
        """Hold ``[start_at, end_at)`` of a space for ``hold_ttl`` before the SQL transaction that books it.

        A hint that spares SQL a transaction that would fail; correctness never depends on it. HELD: no booking
        and no other live hold has a slot (of many concurrent attempts, one is HELD). TAKEN: one does (confirm
        with SQL). UNKNOWN: the floor-day is not loaded or not current, or Redis is unavailable. For rooms pass
        ``blocks_until`` as ``end_at``. Never raises.
        """
        token = secrets.token_hex(8)
        held: list[FloorDay] = []
        ttl_ms = max(1, int(self.hold_ttl / timedelta(milliseconds=1)))
        try:
            self._admit()
            epoch = await self.epoch.current()
            for day in local_days(start_at, end_at, time_zone):
                floor_day = FloorDay(floor_id, day)
                first, last = day.slot_range(start_at, end_at)
                reply = await self._call(self.index.hold(floor_day, epoch, space_id, first, last, token, ttl_ms))
                if reply != HoldReply.HELD:
                    await self._release(held, token)
                    return HoldResult(HoldStatus.TAKEN if reply == HoldReply.TAKEN else HoldStatus.UNKNOWN)
                held.append(floor_day)
        except RedisError as exc:
            self._log_unavailable("no hold", exc)
            await self._release(held, token)
            return HoldResult(HoldStatus.UNKNOWN)
        return HoldResult(HoldStatus.HELD, token, tuple(held))

    async def release(self, hold: HoldResult) -> None:
        """Give a hold back (the transaction it guarded failed). Never raises; an unreleased hold just expires."""
        if hold.is_held and hold.token:
            await self._release(list(hold.floor_days), hold.token)

    async def _release(self, floor_days: Sequence[FloorDay], token: str) -> None:
        if not floor_days:
            return
        try:
            self._admit()
            for floor_day in floor_days:
                await self._call(self.index.release(floor_day, token))
        except RedisError as exc:
            self._log_unavailable("hold not released (it expires)", exc)

    # whole-index work

    async def rebuild(self, days: Iterable[date]) -> int:
        """Bump the epoch (all that was loaded becomes unknown), then load every floor for each of ``days``.

        Returns the number of floor-days loaded. Raises RedisError when Redis is unavailable.
        """
        with INDEX_REBUILD_SECONDS.time():
            return await self._rebuild(days)

    async def _rebuild(self, days: Iterable[date]) -> int:
        self._admit()
        epoch = await self.epoch.bump()
        loaded = 0
        for floor_day in await self._floor_days(days):
            # A projection racing the snapshot makes the load refuse; try again a few times, then leave the
            # floor-day unloaded (the next read loads it) rather than spin under a stream of bookings.
            for _attempt in range(LOAD_ATTEMPTS):
                generation = await self._call(self.index.generation(floor_day))
                snapshot = await self._snapshot(floor_day)
                if await self._call(self.index.load(floor_day, generation, epoch, snapshot)):
                    loaded += 1
                    break
        return loaded

    async def reconcile(self, days: Iterable[date]) -> ReconcileReport:
        """Compare every loaded, current floor-day of ``days`` with SQL and reload those that differ.

        Safe in several processes at once: a repair is a generation-checked load of a fresh SQL snapshot, which
        refuses if any projection landed since the index was read. A change committed but not yet projected can
        make a floor-day look drifted; reloading it then is still right (the late projection is superseded).
        """
        report = ReconcileReport()
        floor_days = await self._floor_days(days)
        try:
            self._admit()
            epoch = await self.epoch.current()
            stamps = await self._call(self.index.stamps(floor_days)) if floor_days else []
            for floor_day, stamp in zip(floor_days, stamps, strict=True):
                if stamp == epoch:
                    await self._reconcile_one(floor_day, epoch, report)
        except RedisError as exc:
            report.unavailable = True
            self._log_unavailable("reconciliation stopped", exc)
        if report.drifted_floor_days:
            log.warning(
                "availability index drifted from SQL: %d of %d floor-days (%d spaces) reloaded",
                report.drifted_floor_days,
                report.checked,
                report.drifted_spaces,
            )
        return report

    async def _reconcile_one(self, floor_day: FloorDay, epoch: str, report: ReconcileReport) -> None:
        generation, indexed = await self._call(self.index.read_with_generation(floor_day, epoch))
        if indexed is None:  # dropped or reloaded under a new epoch since the stamps were read
            return
        report.checked += 1
        snapshot = await self._snapshot(floor_day)
        if indexed == snapshot.occupancy:
            return
        spaces = {s for s in indexed.keys() | snapshot.occupancy.keys() if indexed.get(s) != snapshot.occupancy.get(s)}
        if await self._call(self.index.load(floor_day, generation, epoch, snapshot)):
            report.drifted_floor_days += 1
            INDEX_DRIFT.inc()
            report.drifted_spaces += len(spaces)
            log.info("availability index: %s differed from SQL on spaces %s; reloaded", floor_day.tag, sorted(spaces))
        else:
            report.raced += 1

    # plumbing

    async def _snapshot(self, floor_day: FloorDay) -> Snapshot:
        async with self.db.read() as session:
            return await snapshot_from_sql(session, floor_day)

    async def _floor_days(self, days: Iterable[date]) -> list[FloorDay]:
        async with self.db.read() as session:
            floors = await floors_with_zones(session)
        return [FloorDay(floor_id, LocalDay(day, time_zone)) for day in days for floor_id, time_zone in floors]

    def _admit(self) -> None:
        if not self.breaker.allow():
            raise IndexUnavailable("circuit breaker open")

    async def _call(self, call: Awaitable[T]) -> T:
        """Await one Redis call and tell the breaker how it went."""
        try:
            result = await call
        except RedisError:
            self.breaker.record_failure()
            raise
        self.breaker.record_success()
        return result

    def _failed(self, what: str, exc: RedisError) -> None:
        self.epoch.record_failure()
        self._log_unavailable(what, exc)

    @staticmethod
    def _log_unavailable(what: str, exc: RedisError) -> None:
        INDEX_UNAVAILABLE.inc()
        if isinstance(exc, IndexUnavailable):
            log.debug("availability index skipped (%s): %s", exc, what)
        else:
            log.warning("availability index unavailable (%r): %s", exc, what)
