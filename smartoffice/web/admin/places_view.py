"""The rows of the places pages' confirmation step: who loses which booking, in the building's local time."""

from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from smartoffice.bookings.models import Booking
from smartoffice.formats import long_date
from smartoffice.i18n import Language


@dataclass(frozen=True, slots=True)
class AffectedRow:
    booking_id: int
    person: str
    space: str
    where: str
    day: str
    hours: str


def affected_rows(bookings: Sequence[Booking], language: Language) -> list[AffectedRow]:
    rows = []
    for b in bookings:
        building = b.space.floor.building
        zone = ZoneInfo(building.time_zone)
        start, end = b.start_at.astimezone(zone), b.end_at.astimezone(zone)
        rows.append(
            AffectedRow(
                booking_id=b.id,
                person=b.employee.name,
                space=b.space.name or b.space.code,
                where=f"{building.name} · {b.space.floor.name}",
                day=long_date(language, start.date()),
                hours=f"{start:%H:%M}–{end:%H:%M}",
            )
        )
    return rows
