"""What policies enforce at booking time: a building's occupancy cap (the emergency overlay of DOMAIN.md)."""

from sqlalchemy import func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.availability.slots import LocalDay
from smartoffice.bookings.models import ACTIVE_STATUSES, Booking, overlapping
from smartoffice.errors import PolicyRefusal
from smartoffice.places.models import Building, Floor, Space, SpaceKind
from smartoffice.policies.engine import occupancy_cap
from smartoffice.policies.errors import PolicyRefusalCode
from smartoffice.policies.facts import load_building_policies


async def check_occupancy_cap(
    session: AsyncSession, desk: Space, day: LocalDay, employee_id: int | None = None
) -> None:
    """Refuse a desk booking that would put the people with a desk booked in the building on ``day`` above its cap.

    ``employee_id`` is the person booking: one already holding a desk there that day (a morning desk, now an
    afternoon one) takes no further place.

    The building row is locked first (PostgreSQL), so concurrent bookings cannot both take the last place under
    the cap; on SQLite the write lock serialises them already. Without a cap in force this costs one query.
    """
    building_id = desk.floor.building_id
    cap = occupancy_cap(await load_building_policies(session, day.day, day.day, building_id), building_id, day.day)
    if cap is None:
        return
    percent, policy = cap
    await session.execute(select(Building.id).where(Building.id == building_id).with_for_update())
    in_building = (
        select(Space.id)
        .join(Floor, Space.floor_id == Floor.id)
        .where(Floor.building_id == building_id, Space.kind == SpaceKind.DESK)
    )
    desks = await session.scalar(select(func.count()).select_from(in_building.subquery())) or 0
    booked = (
        await session.scalar(
            select(func.count(func.distinct(Booking.employee_id))).where(
                Booking.space_id.in_(in_building),
                Booking.employee_id != employee_id if employee_id is not None else true(),
                Booking.status.in_(ACTIVE_STATUSES),
                overlapping(day.start_at, day.end_at),
            )
        )
        or 0
    )
    seats = percent * desks // 100
    if booked + 1 > seats:
        raise PolicyRefusal(
            PolicyRefusalCode.OCCUPANCY_CAP,
            policy=policy.name,
            legal_basis=policy.legal_basis,
            percent=percent,
            seats=seats,
        )
