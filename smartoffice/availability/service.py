"""Floor-day availability: read from the index, fall back to SQL (and reload the index) when it is unknown.

Correctness never depends on this module: bookings are decided by SQL. What it guarantees is that a floor-day
is either read from a loaded index or computed from SQL, never assumed free; and that a snapshot read from SQL
is only loaded if no booking changed that floor-day meanwhile (the generation check in ``load.lua``).
"""

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum

from redis.exceptions import RedisError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.availability.index import AvailabilityIndex, FloorDay
from smartoffice.availability.slots import FREE, TAKEN, LocalDay, local_days, occupy
from smartoffice.bookings.models import ACTIVE_STATUSES, Booking
from smartoffice.db import Database
from smartoffice.places.models import Building, Floor, Space

log = logging.getLogger(__name__)


class Source(StrEnum):
    INDEX = "index"
    DATABASE = "database"


class SpaceStatus(StrEnum):
    FREE = "free"
    PARTIALLY_BOOKED = "partially_booked"
    BOOKED = "booked"


@dataclass(frozen=True, slots=True)
class FloorOccupancy:
    floor_id: int
    day: LocalDay
    slots: dict[int, str]
    """Per space id, one char per slot of the day; spaces with no booking are absent."""
    source: Source

    def status(self, space_id: int, window: tuple[int, int]) -> SpaceStatus:
        first, last = window
        span = self.slots.get(space_id, FREE * self.day.slot_count)[first:last]
        if TAKEN not in span:
            return SpaceStatus.FREE
        if FREE not in span:
            return SpaceStatus.BOOKED
        return SpaceStatus.PARTIALLY_BOOKED


def opening_window(building: Building, day: LocalDay) -> tuple[datetime, datetime]:
    return day.at(building.opens_at), day.at(building.closes_at)


def window_slots(day: LocalDay, start: time, end: time) -> tuple[int, int]:
    return day.slot_range(day.at(start), day.at(end))


class AvailabilityService:
    def __init__(self, db: Database, index: AvailabilityIndex) -> None:
        self.db = db
        self.index = index

    async def floor_day(self, floor_id: int, time_zone: str, day: date, *, use_index: bool = True) -> FloorOccupancy:
        """Occupancy of a floor on a local ``day`` of its building's ``time_zone``."""
        floor_day = FloorDay(floor_id, LocalDay(day, time_zone))
        if use_index:
            try:
                slots = await self.index.read(floor_day)
                if slots is not None:
                    return FloorOccupancy(floor_id, floor_day.day, slots, Source.INDEX)
                occupancy, _loaded = await self._load_from_sql(floor_day)
                return occupancy
            except RedisError as exc:
                log.warning("availability index unavailable (%s); answering from SQL", exc)
        async with self.db.read() as session:
            slots = await occupancy_from_sql(session, floor_day)
        return FloorOccupancy(floor_id, floor_day.day, slots, Source.DATABASE)

    async def _load_from_sql(self, floor_day: FloorDay) -> tuple[FloorOccupancy, bool]:
        # The generation is read before the snapshot so that a booking committed after the snapshot
        # (which bumps it) makes the load refuse rather than hide that booking.
        generation = await self.index.generation(floor_day)
        async with self.db.read() as session:
            slots = await occupancy_from_sql(session, floor_day)
        loaded = await self.index.load(floor_day, generation, slots)
        return FloorOccupancy(floor_day.floor_id, floor_day.day, slots, Source.DATABASE), loaded

    async def project(self, booking: Booking, floor_id: int, time_zone: str) -> None:
        """Project a committed booking into the index: its slots taken while it is active, freed otherwise.

        Call it after every commit that changes a booking. Failure is logged, never raised: SQL has the change.
        """
        await self.record(booking, floor_id, time_zone, taken=booking.is_active)

    async def record(self, booking: Booking, floor_id: int, time_zone: str, *, taken: bool) -> None:
        try:
            for day in local_days(booking.start_at, booking.blocks_until, time_zone):
                first, last = day.slot_range(booking.start_at, booking.blocks_until)
                await self.index.apply(FloorDay(floor_id, day), booking.space_id, first, last, taken=taken)
        except RedisError as exc:
            log.warning("availability index not updated for booking %s (%s)", booking.id, exc)

    async def rebuild(self, days: Iterable[date]) -> int:
        """Reload every floor for each of ``days`` from SQL; returns the number of floor-days loaded."""
        async with self.db.read() as session:
            floors = (await session.execute(select(Floor.id, Building.time_zone).join(Floor.building))).all()
        loaded = 0
        for day in days:
            for floor_id, time_zone in floors:
                floor_day = FloorDay(floor_id, LocalDay(day, time_zone))
                # A booking racing the snapshot makes the load refuse; try again a few times, then leave the
                # floor-day unloaded (the next read loads it) rather than spin under a stream of bookings.
                for _attempt in range(5):
                    _occupancy, done = await self._load_from_sql(floor_day)
                    if done:
                        loaded += 1
                        break
        return loaded


async def occupancy_from_sql(session: AsyncSession, floor_day: FloorDay) -> dict[int, str]:
    day = floor_day.day
    rows = await session.execute(
        select(Booking.space_id, Booking.start_at, Booking.blocks_until)
        .join(Space, Space.id == Booking.space_id)
        .where(
            Space.floor_id == floor_day.floor_id,
            Booking.status.in_(ACTIVE_STATUSES),
            Booking.start_at < day.end_at,
            Booking.blocks_until > day.start_at,
        )
    )
    return occupancy_of(day, rows.all())


def occupancy_of(day: LocalDay, bookings: Iterable[tuple[int, datetime, datetime]]) -> dict[int, str]:
    slots: dict[int, str] = {}
    for space_id, start_at, end_at in bookings:
        first, last = day.slot_range(start_at, end_at)
        slots[space_id] = occupy(slots.get(space_id, day.empty()), first, last)
    return slots


def statuses(occupancy: FloorOccupancy, spaces: Sequence[Space], window: tuple[int, int]) -> dict[int, SpaceStatus]:
    return {space.id: occupancy.status(space.id, window) for space in spaces}
