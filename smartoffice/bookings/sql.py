"""Reading bookings: one booking, conflicts with a proposed one, keyset cursors."""

import base64
import binascii
import functools
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, bindparam, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from smartoffice.bookings.models import ACTIVE_STATUSES, Booking, overlapping
from smartoffice.errors import CommonInputCode, Conflict, ConflictKind, InvalidInput, NotFound
from smartoffice.places.models import Floor, Space, SpaceKind


@functools.cache
def _booking_query(for_update: bool) -> Select[Booking]:
    """``get_booking``'s statement, built once per shape with a bound ``booking_id`` (building it and its cache
    key, with the joined loads, cost about as much CPU as running it)."""
    query = (
        select(Booking)
        .where(Booking.id == bindparam("booking_id"))
        .options(joinedload(Booking.space).joinedload(Space.floor).joinedload(Floor.building))
    )
    return query.with_for_update(of=Booking) if for_update else query


async def get_booking(session: AsyncSession, booking_id: int, *, for_update: bool = False) -> Booking:
    """A booking with its space, floor and building loaded."""
    booking = await session.scalar(_booking_query(for_update), {"booking_id": booking_id})
    if booking is None:
        raise NotFound("Booking", booking_id)
    return booking


def conflicts_query(
    space_id: int | ColumnElement[int],
    space_kind: SpaceKind,
    employee_id: int | ColumnElement[int],
    start_at: datetime | ColumnElement[datetime],
    end_at: datetime | ColumnElement[datetime],
    blocks_until: datetime | ColumnElement[datetime],
    *,
    since: datetime | ColumnElement[datetime] | None = None,
) -> Select[Booking]:
    """Active bookings that a new booking would overlap: on the space (``[start, blocks_until)`` against theirs),
    or, for desks, another desk held by the same person at the same time (``[start, end)``). ``since``: see
    :func:`~smartoffice.bookings.models.overlapping` (for a statement built with bound parameters)."""
    on_space = and_(Booking.space_id == space_id, overlapping(start_at, blocks_until, since=since))
    on_person = and_(
        Booking.employee_id == employee_id,
        Booking.space_kind == SpaceKind.DESK,
        overlapping(start_at, end_at, until=Booking.end_at, since=since),
    )
    return select(Booking).where(
        Booking.status.in_(ACTIVE_STATUSES), or_(on_space, on_person) if space_kind == SpaceKind.DESK else on_space
    )


async def find_conflicts(
    session: AsyncSession,
    space_id: int,
    space_kind: SpaceKind,
    employee_id: int,
    start_at: datetime,
    end_at: datetime,
    blocks_until: datetime,
) -> list[Conflict]:
    """The conflicts of :func:`conflicts_query`, in start order."""
    query = conflicts_query(space_id, space_kind, employee_id, start_at, end_at, blocks_until)
    return [
        Conflict(
            ConflictKind.SPACE_TAKEN if b.space_id == space_id else ConflictKind.PERSON_ALREADY_BOOKED,
            b.id,
            b.start_at,
            b.end_at,
        )
        for b in await session.scalars(query.order_by(Booking.start_at))
    ]


def encode_cursor(booking: Booking) -> str:
    raw = f"{booking.start_at.isoformat()}|{booking.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        start, ident = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        instant = datetime.fromisoformat(start)
        if instant.tzinfo is None:
            raise ValueError("naive cursor")
        return instant, int(ident)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidInput("after", CommonInputCode.INVALID_CURSOR) from exc
