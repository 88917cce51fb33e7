"""Room bookings waiting for a decision, as their approvers see them.

Who may decide is ``permissions.can_decide``: the room's approvers, and the facilities managers of its site (admins
count as facilities managers everywhere). This lists exactly those bookings, as one SQL predicate; deciding is
``BookingService.decide``.
"""

from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.db import Database, utcnow
from smartoffice.people.models import Role
from smartoffice.people.roles import held_roles
from smartoffice.places.models import Building, Floor, Space, room_approvers

MAX_LISTED = 200
"""A page lists at most this many (the oldest first); a queue that long is a problem of its own."""


class ApprovalService:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock

    async def pending_for(self, approver_id: int) -> Sequence[Booking]:
        """Pending room bookings ``approver_id`` may decide that have not ended, soonest first, with their place and
        person loaded."""
        async with self.db.read() as session:
            scope = await decidable(session, approver_id)
            query = (
                select(Booking)
                .join(Space, Space.id == Booking.space_id)
                .join(Floor, Floor.id == Space.floor_id)
                .join(Building, Building.id == Floor.building_id)
                .where(scope, Booking.status == BookingStatus.PENDING, Booking.end_at > self.clock())
                .options(
                    joinedload(Booking.space).joinedload(Space.floor).joinedload(Floor.building),
                    joinedload(Booking.employee),
                )
                .order_by(Booking.start_at, Booking.id)
                .limit(MAX_LISTED)
            )
            return (await session.scalars(query)).unique().all()


async def decidable(session: AsyncSession, approver_id: int) -> ColumnElement[bool]:
    """Bookings ``approver_id`` may decide (the query joins the booking's space, floor and building)."""
    roles = await held_roles(session, approver_id)
    if any(r.role == Role.ADMIN for r in roles):
        return true()
    sites = {r.site_id for r in roles if r.role == Role.FACILITIES_MANAGER and r.site_id is not None}
    approved = select(room_approvers.c.space_id).where(room_approvers.c.employee_id == approver_id)
    return or_(Booking.space_id.in_(approved), *([Building.site_id.in_(sites)] if sites else []))
