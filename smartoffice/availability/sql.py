"""What SQL, the source of truth, says about a floor-day: the occupancy, and the snapshot the index is loaded from."""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.availability.index import FloorDay, Projection, Snapshot
from smartoffice.availability.slots import LocalDay, occupy
from smartoffice.bookings.models import ACTIVE_STATUSES, Booking, overlapping
from smartoffice.places.models import Building, Floor, Space


async def occupancy_from_sql(session: AsyncSession, floor_day: FloorDay) -> dict[int, str]:
    """Taken slots per space id (spaces with no active booking that day are absent)."""
    day = floor_day.day
    rows = await session.execute(
        select(Booking.space_id, Booking.start_at, Booking.blocks_until)
        .join(Space, Space.id == Booking.space_id)
        .where(
            Space.floor_id == floor_day.floor_id,
            Booking.status.in_(ACTIVE_STATUSES),
            overlapping(day.start_at, day.end_at),
        )
    )
    return occupancy_of(day, rows.all())


async def snapshot_from_sql(session: AsyncSession, floor_day: FloorDay) -> Snapshot:
    """The occupancy plus every booking touching the day, active or not, with its version (one query).

    Inactive bookings are included so that, once loaded, a late projection of an older version of them (a
    booking whose cancel SQL already shows) is recognised as superseded instead of marking their slots again.
    """
    day = floor_day.day
    rows = await session.execute(
        select(Booking.id, Booking.version, Booking.status, Booking.space_id, Booking.start_at, Booking.blocks_until)
        .join(Space, Space.id == Booking.space_id)
        .where(
            Space.floor_id == floor_day.floor_id,
            overlapping(day.start_at, day.end_at),
        )
    )
    projections = []
    active = []
    for booking_id, version, status, space_id, start_at, blocks_until in rows:
        is_active = status in ACTIVE_STATUSES
        first, last = day.slot_range(start_at, blocks_until)
        projections.append(Projection(booking_id, version, is_active, space_id, first, last))
        if is_active:
            active.append((space_id, start_at, blocks_until))
    return Snapshot(occupancy_of(day, active), tuple(projections))


def occupancy_of(day: LocalDay, bookings: Iterable[tuple[int, datetime, datetime]]) -> dict[int, str]:
    slots: dict[int, str] = {}
    for space_id, start_at, end_at in bookings:
        first, last = day.slot_range(start_at, end_at)
        slots[space_id] = occupy(slots.get(space_id, day.empty()), first, last)
    return slots


async def floors_with_zones(session: AsyncSession) -> list[tuple[int, str]]:
    """Every floor with its building's time zone."""
    rows = await session.execute(select(Floor.id, Building.time_zone).join(Floor.building).order_by(Floor.id))
    return [(floor_id, time_zone) for floor_id, time_zone in rows]
