"""What policies enforce at booking time: a building's occupancy cap (the emergency overlay of DOMAIN.md)."""

from collections.abc import Sequence

from sqlalchemy import func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.availability.slots import LocalDay
from smartoffice.bookings.models import ACTIVE_STATUSES, Booking, overlapping
from smartoffice.errors import PolicyRefusal
from smartoffice.places.models import Building, Floor, Space, SpaceKind
from smartoffice.policies.day_rules import PolicyView
from smartoffice.policies.engine import occupancy_cap
from smartoffice.policies.errors import PolicyRefusalCode
from smartoffice.policies.facts import ABOUT_A_BUILDING, load_building_policies, policy_view
from smartoffice.policies.models import Policy


async def load_building_level_policies(session: AsyncSession) -> tuple[PolicyView, ...]:
    """Every policy about a building as such (no organisation, unit, position, employment type or person in its
    scope), whatever its building and dates, in :func:`~smartoffice.policies.facts.load_building_policies`' order.
    :func:`~smartoffice.policies.engine.occupancy_cap` filters them by building and day exactly as that query
    does, so it answers the same from either (the booking path caches these: ``bookings/facts.py``)."""
    rows = await session.scalars(
        select(Policy).where(*ABOUT_A_BUILDING).order_by(Policy.level, Policy.effective_from, Policy.id)
    )
    return tuple(policy_view(policy) for policy in rows)


async def check_occupancy_cap(
    session: AsyncSession,
    desk: Space,
    day: LocalDay,
    employee_id: int | None = None,
    policies: Sequence[PolicyView] | None = None,
) -> None:
    """Refuse a desk booking that would put the people with a desk booked in the building on ``day`` above its cap.

    ``employee_id`` is the person booking: one already holding a desk there that day (a morning desk, now an
    afternoon one) takes no further place.

    The building row is locked first (PostgreSQL), so concurrent bookings cannot both take the last place under
    the cap; on SQLite the write lock serialises them already. Without a cap in force this costs one query, or
    none given ``policies`` (:func:`load_building_level_policies`' answer, e.g. cached).
    """
    building_id = desk.floor.building_id
    if policies is None:
        policies = await load_building_policies(session, day.day, day.day, building_id)
    cap = occupancy_cap(policies, building_id, day.day)
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
