"""Bookings that a change to a place takes away: a closure, a retired or re-assigned space, a floor out of use.

The facilities console shows who is affected *before* its change is confirmed (:func:`affected_bookings`, in a
read transaction), then cancels those bookings in the change's own transaction with a reason the people will see
(:func:`cancel_for_place_change`), and projects them into the availability index after the commit
(:func:`project_cancelled`). Cancelling here ignores the cancellation deadline: the person did not choose it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from smartoffice.availability.service import AvailabilityService
from smartoffice.bookings.models import ACTIVE_STATUSES, Booking, BookingStatus, overlapping
from smartoffice.integrations import events
from smartoffice.integrations.models import EventKind
from smartoffice.places.models import Building, Floor, Space

MAX_REASON_LENGTH = 500
"""``bookings.cancel_reason`` (and a closure's reason): the column's length."""


class PlaceLevel(StrEnum):
    SITE = "site"
    BUILDING = "building"
    FLOOR = "floor"
    ZONE = "zone"
    SPACE = "space"


@dataclass(frozen=True, slots=True)
class PlaceRef:
    """A site, building, floor, zone or single space, by id."""

    level: PlaceLevel
    id: int


def spaces_in(place: PlaceRef) -> Select[int]:
    """The ids of every space in ``place`` (retired or not), as a subquery-ready SELECT."""
    query = select(Space.id)
    match place.level:
        case PlaceLevel.SPACE:
            return query.where(Space.id == place.id)
        case PlaceLevel.ZONE:
            return query.where(Space.zone_id == place.id)
        case PlaceLevel.FLOOR:
            return query.where(Space.floor_id == place.id)
        case PlaceLevel.BUILDING:
            return query.join(Floor, Space.floor_id == Floor.id).where(Floor.building_id == place.id)
        case PlaceLevel.SITE:
            return (
                query.join(Floor, Space.floor_id == Floor.id)
                .join(Building, Floor.building_id == Building.id)
                .where(Building.site_id == place.id)
            )


async def affected_bookings(
    session: AsyncSession,
    place: PlaceRef,
    now: datetime,
    start_at: datetime | None = None,
    end_at: datetime | None = None,
    *,
    lock: bool = False,
) -> Sequence[Booking]:
    """Active bookings of spaces in ``place`` that have not ended and overlap ``[start_at, end_at)`` (open ends:
    from now, for ever), by start; with the person, the space, its floor and building loaded.

    ``lock`` (in the change's write transaction) first takes the row lock of every space in ``place``, the lock a
    booking transaction takes on its space (``FOR NO KEY UPDATE``, PostgreSQL; in id order), then the bookings'
    own. A booking whose transaction checked the place before this change committed has then either committed (and
    is found here, so it is cancelled) or waits for this transaction and sees the change when it goes on: no
    booking slips in under a closure or onto a retired desk. SQLite's ``BEGIN IMMEDIATE`` serialises writers
    already.
    """
    if lock:
        await session.execute(
            select(Space.id).where(Space.id.in_(spaces_in(place))).order_by(Space.id).with_for_update(key_share=True)
        )
    query = (
        select(Booking)
        .where(
            Booking.space_id.in_(spaces_in(place)),
            Booking.status.in_(ACTIVE_STATUSES),
            Booking.end_at > max(now, start_at) if start_at is not None else Booking.end_at > now,
        )
        .options(
            joinedload(Booking.employee),
            joinedload(Booking.space).joinedload(Space.floor).joinedload(Floor.building),
        )
        .order_by(Booking.start_at, Booking.id)
    )
    if end_at is not None:
        query = query.where(overlapping(start_at or now, end_at) if start_at is not None else Booking.start_at < end_at)
    if lock:
        query = query.with_for_update(of=Booking)
    return (await session.scalars(query)).unique().all()


async def cancel_for_place_change(
    session: AsyncSession,
    bookings: Sequence[Booking],
    reason: str,
    actor_id: int | None,
    now: datetime,
    *,
    cause: str = "place_retired",
) -> None:
    """Cancel ``bookings`` (from :func:`affected_bookings` with ``lock``) in the caller's transaction, each with
    ``reason``, and add their ``cancelled`` events to the outbox. The caller projects them after its commit."""
    for booking in bookings:
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_at = now
        booking.cancel_reason = reason[:MAX_REASON_LENGTH]
        booking.version += 1
    await events.record(session, EventKind.CANCELLED, bookings, actor_id=actor_id, cause=cause)


async def project_cancelled(availability: AvailabilityService, bookings: Sequence[Booking]) -> None:
    """After the commit: free the cancelled bookings' slots in the availability index (never raises)."""
    for booking in bookings:
        await availability.project(booking, booking.space.floor_id, booking.space.floor.building.time_zone)
