"""A unit's anchor days: the weekdays it meets in the office, effective-dated, set by its managers and audited.

Runs inside the caller's write transaction, checks who may act, and raises a domain error that changes nothing.
"""

from datetime import date, datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.audit.record import Actor, record_change
from smartoffice.db import utcnow
from smartoffice.errors import CommonInputCode, InvalidInput, NotFound, PermissionDenied
from smartoffice.people.models import OrgUnit
from smartoffice.people.roles import manages_unit
from smartoffice.policies.errors import PolicyInputCode, PolicyPermissionCode
from smartoffice.policies.models import AnchorDay


async def set_anchor_days(
    session: AsyncSession,
    actor_id: int,
    unit_id: int,
    weekdays: list[int],
    effective_from: date,
    today: date,
    *,
    now: datetime | None = None,
    via: str = "api",
) -> list[AnchorDay]:
    """Replace a unit's anchor days from ``effective_from`` on: unit managers over the unit, or admins."""
    if await session.get(OrgUnit, unit_id) is None:
        raise NotFound("OrgUnit", unit_id)
    if not await manages_unit(session, actor_id, unit_id):
        raise PermissionDenied(PolicyPermissionCode.NOT_YOUR_UNIT)
    if effective_from < today:
        raise InvalidInput("effectiveFrom", CommonInputCode.PAST_DAY)
    if any(not 0 <= weekday <= 4 for weekday in weekdays) or len(set(weekdays)) != len(weekdays):
        raise InvalidInput("weekdays", PolicyInputCode.NOT_WORKING_WEEKDAYS)
    in_force = (AnchorDay.effective_until.is_(None)) | (AnchorDay.effective_until >= effective_from)
    before = await session.scalars(
        select(AnchorDay.weekday)
        .where(AnchorDay.org_unit_id == unit_id, AnchorDay.effective_from <= effective_from, in_force)
        .order_by(AnchorDay.weekday)
    )
    previous = {"weekdays": list(before)}
    await session.execute(
        update(AnchorDay)
        .where(
            AnchorDay.org_unit_id == unit_id,
            AnchorDay.effective_from < effective_from,
            or_(AnchorDay.effective_until.is_(None), AnchorDay.effective_until >= effective_from),
        )
        .values(effective_until=effective_from - timedelta(days=1))
    )
    for later in await session.scalars(
        select(AnchorDay).where(AnchorDay.org_unit_id == unit_id, AnchorDay.effective_from >= effective_from)
    ):
        await session.delete(later)
    await session.flush()
    rows = [
        AnchorDay(org_unit_id=unit_id, weekday=weekday, effective_from=effective_from) for weekday in sorted(weekdays)
    ]
    session.add_all(rows)
    await session.flush()
    record_change(
        session,
        Actor(actor_id, via),
        "anchor_days.set",
        at=now or utcnow(),
        entity_kind="OrgUnit",
        entity_id=unit_id,
        before=previous,
        after={"weekdays": sorted(weekdays), "effective_from": effective_from},
        org_unit_id=unit_id,
    )
    return rows
