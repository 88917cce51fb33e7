"""Where a person stands against the seat quotas that bind them on a floor and day (for availability displays).

CONTRACT shared by the quota work (which implements :func:`quota_standings`) and the availability work (which
calls it to show each person what their organisation may still book, and to mark desks a full quota closes to
them). Keep the names and fields; add fields if needed.
"""

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.availability.slots import LocalDay


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

    @property
    def remaining(self) -> int:
        return max(0, self.seats - self.booked)

    def closes(self, desk_zone_id: int | None) -> bool:
        """This quota refuses the person a desk in ``desk_zone_id`` (full, covers that desk, not already in)."""
        covers = self.zone_id is None or self.zone_id == desk_zone_id
        return covers and not self.includes_you and self.booked >= self.seats


async def quota_standings(session: AsyncSession, employee_id: int, floor_id: int, day: LocalDay) -> list[QuotaStanding]:
    """The quotas binding ``employee_id`` on desks of ``floor_id`` (building-, floor- or zone-scoped, for the
    weekday of ``day``), with the counts as of now; empty when none binds."""
    raise NotImplementedError("implemented by the seat quota work")
