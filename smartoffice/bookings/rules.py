"""Which booking rules apply: the building's own row for a kind of space, else the global default row."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.bookings.models import BookingRule
from smartoffice.places.models import SpaceKind


async def rules_for(session: AsyncSession, building_id: int, kind: SpaceKind) -> BookingRule:
    query = (
        select(BookingRule)
        .where(
            BookingRule.space_kind == kind, (BookingRule.building_id == building_id) | BookingRule.building_id.is_(None)
        )
        # The building's row first (NULLs sort last ascending on PostgreSQL, first on SQLite: order explicitly).
        .order_by(BookingRule.building_id.is_(None))
        .limit(1)
    )
    rule = await session.scalar(query)
    if rule is None:
        raise LookupError(f"no booking rules for {kind} bookings: the migrations insert defaults; was a row deleted?")
    return rule
