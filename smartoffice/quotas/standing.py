"""Where a person stands against the seat quotas that bind them on a floor and day (for availability displays).

CONTRACT shared by the quota work (which implements :func:`quota_standings`) and the availability work (which
calls it to show each person what their organisation may still book, and to mark desks a full quota closes to
them). Keep the names and fields; add fields if needed.
"""

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.availability.slots import LocalDay
from smartoffice.people.models import Employee
from smartoffice.quotas.models import SeatQuota
from smartoffice.quotas.sql import as_named, covering_floor, holder_contains, named_quotas, taken


@dataclass(frozen=True, slots=True)
class QuotaStanding:
    quota_id: int
    holder_name: str
    """The organisation's or unit's name, e.g. "Kementerian PUPR"."""
    place_name: str
    """The building, floor or zone the quota covers, e.g. "Tower 2 · Floor 3"."""
    zone_id: int | None
    """Set for a zone's quota (it covers only that zone's desks); ``None`` for a building's or floor's."""
    seats: int
    booked: int
    """The holder's people with a desk booked in the place that day."""
    includes_you: bool
    """The person already holds a desk there that day (another booking that day takes no further seat)."""
    reserved_for_others: bool = False
    """A zone another holder's exclusive quota reserves that weekday: closed to the person whatever the counts
    (listed with ``seats`` and ``booked`` 0, so :meth:`closes` answers True for the zone's desks)."""

    @property
    def remaining(self) -> int:
        return max(0, self.seats - self.booked)

    def closes(self, desk_zone_id: int | None) -> bool:
        """This quota refuses the person a desk in ``desk_zone_id`` (full, covers that desk, not already in)."""
        covers = self.zone_id is None or self.zone_id == desk_zone_id
        return covers and not self.includes_you and self.booked >= self.seats


async def quota_standings(session: AsyncSession, employee_id: int, floor_id: int, day: LocalDay) -> list[QuotaStanding]:
    """The quotas binding ``employee_id`` on desks of ``floor_id`` (building-, floor- or zone-scoped, for the
    weekday of ``day``), with the counts as of now, then the zones of the floor that others' exclusive quotas
    reserve (``reserved_for_others``); empty when none binds. Two queries (one when none binds): the quotas with
    their names, then every binding quota's count in one statement."""
    unit = select(Employee.org_unit_id).where(Employee.id == employee_id).scalar_subquery()
    mine = holder_contains(unit)
    rows = (
        await session.execute(
            named_quotas()
            .add_columns(mine.label("mine"))
            .where(
                SeatQuota.weekday == day.day.isoweekday(),
                covering_floor(floor_id),
                or_(mine, SeatQuota.exclusive.is_(True)),
            )
            .order_by(SeatQuota.id)
        )
    ).all()
    if not rows:
        return []
    named = [(as_named(row[:-1]), bool(row[-1])) for row in rows]
    binding = [n for n, is_mine in named if is_mine]
    own_zones = {n.quota.zone_id for n in binding if n.quota.exclusive}
    reserved = [n for n, is_mine in named if not is_mine and n.quota.zone_id not in own_zones]
    counts = await taken(session, [b.quota for b in binding], named[0][0].building_id, day, employee_id)
    standings = [
        QuotaStanding(
            quota_id=b.quota.id,
            holder_name=b.holder_name,
            place_name=b.place_name,
            zone_id=b.quota.zone_id,
            seats=b.quota.seats,
            booked=counts[b.quota.id].booked,
            includes_you=counts[b.quota.id].includes_you,
        )
        for b in binding
    ]
    standings.extend(
        QuotaStanding(r.quota.id, r.holder_name, r.place_name, r.quota.zone_id, 0, 0, False, reserved_for_others=True)
        for r in reserved
    )
    return standings
