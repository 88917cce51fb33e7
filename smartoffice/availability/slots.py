"""Local days and 15-minute slots.

A building's day runs from local midnight to the next local midnight, converted to UTC (so a day can have 92,
96 or 100 slots where a zone observes DST; Asia/Makassar always has 96). A slot is 15 minutes counted from the
day's UTC start. 15 minutes is the finest granularity people book desks and rooms at (Outlook and Google
Calendar offer the same steps), it keeps a whole day of one space in 96 characters, and every booking time is
required to fall on a slot boundary so the index is exact rather than approximate.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SLOT = timedelta(minutes=15)
FREE = "0"
TAKEN = "1"


@dataclass(frozen=True, slots=True)
class LocalDay:
    day: date
    time_zone: str

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.day, time(0), self.zone).astimezone(UTC)

    @property
    def end_at(self) -> datetime:
        return datetime.combine(self.day + timedelta(days=1), time(0), self.zone).astimezone(UTC)

    @property
    def slot_count(self) -> int:
        return (self.end_at - self.start_at) // SLOT

    def at(self, local_time: time) -> datetime:
        """The UTC instant of a local wall-clock time on this day."""
        return datetime.combine(self.day, local_time, self.zone).astimezone(UTC)

    def slot_of(self, instant: datetime) -> int:
        """The slot an instant falls in, clamped to this day (0 .. slot_count)."""
        offset = (instant - self.start_at) // SLOT
        return max(0, min(self.slot_count, offset))

    def slot_range(self, start_at: datetime, end_at: datetime) -> tuple[int, int]:
        """The half-open slot range ``[first, last)`` that ``[start_at, end_at)`` covers on this day."""
        first = self.slot_of(start_at)
        last = self.slot_of(end_at)
        if self.start_at + last * SLOT < end_at and last < self.slot_count:
            last += 1
        return first, last

    def empty(self) -> str:
        return FREE * self.slot_count


def local_days(start_at: datetime, end_at: datetime, time_zone: str) -> list[LocalDay]:
    """Every local day that ``[start_at, end_at)`` touches."""
    zone = ZoneInfo(time_zone)
    first = start_at.astimezone(zone).date()
    last = (end_at - timedelta(microseconds=1)).astimezone(zone).date()
    return [LocalDay(first + timedelta(days=n), time_zone) for n in range((last - first).days + 1)]


def is_on_slot_boundary(instant: datetime, day: LocalDay) -> bool:
    return (instant - day.start_at) % SLOT == timedelta(0)


def occupy(slots: str, first: int, last: int) -> str:
    return slots[:first] + TAKEN * (last - first) + slots[last:]
