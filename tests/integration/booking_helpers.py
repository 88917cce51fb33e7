"""Helpers shared by the booking-core tests: local dates in WITA and a service on a controllable clock."""

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from smartoffice.bookings.service import BookingService
from smartoffice.runtime import Runtime

WITA = ZoneInfo("Asia/Makassar")


def local_today() -> date:
    return datetime.now(WITA).date()


def days_ahead(n: int) -> date:
    return local_today() + timedelta(days=n)


def next_weekday(weekday: int, after: int = 1) -> date:
    """The first date at least ``after`` days ahead that falls on ``weekday`` (0 = Monday)."""
    day = days_ahead(after)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def at(day: date, hour: int, minute: int = 0, zone: ZoneInfo = WITA) -> datetime:
    return datetime.combine(day, time(hour, minute), zone).astimezone(UTC)


class Clock:
    """A clock tests move by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def service_at(runtime: Runtime, clock: Callable[[], datetime]) -> BookingService:
    return BookingService(runtime.db, runtime.availability, clock)
