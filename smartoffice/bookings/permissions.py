"""Object-level permission predicates for bookings (Indico's ``can_*`` style): state in, yes or no out."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.bookings.models import Booking
from smartoffice.people import roles
from smartoffice.people.models import Employee
from smartoffice.places.models import Space, room_approvers


async def can_book_for(session: AsyncSession, actor_id: int, employee: Employee, site_id: int) -> bool:
    """Yourself; or someone you manage (direct supervisor, unit manager over their unit, admin); or anyone in a
    site you are a facilities manager of."""
    if actor_id == employee.id:
        return True
    return await roles.manages(session, actor_id, employee) or await roles.is_facilities_manager(
        session, actor_id, site_id
    )


async def can_cancel(session: AsyncSession, actor_id: int, booking: Booking, employee: Employee, site_id: int) -> bool:
    if actor_id in (booking.employee_id, booking.booked_by_id):
        return True
    return await can_book_for(session, actor_id, employee, site_id)


async def can_decide(session: AsyncSession, actor_id: int, room: Space, site_id: int) -> bool:
    """Accept or reject bookings of a room: its approvers, and the site's facilities managers."""
    query = select(room_approvers.c.employee_id).where(
        room_approvers.c.space_id == room.id, room_approvers.c.employee_id == actor_id
    )
    if await session.scalar(query) is not None:
        return True
    return await roles.is_facilities_manager(session, actor_id, site_id)
