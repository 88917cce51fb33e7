"""The tests' time: one ``Clock`` moved by hand, and local dates and times in WITA (where the test offices are).

The services take the wall time as a function (``clock: Callable[[], datetime]``, as ``open_runtime`` and
``BookingService`` do); the index's circuit breaker, epoch cache and layout cache take monotonic seconds
(``Callable[[], float]``). A ``Clock`` is both: call it for the time, pass ``clock.monotonic`` for the seconds,
and ``set`` or ``advance`` moves the two together.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from smartoffice.runtime import Runtime
from smartoffice.workcalendar.models import DayKind
from smartoffice.workcalendar.service import generated_days

WITA = ZoneInfo("Asia/Makassar")
DAY = date(2030, 7, 9)
"""A Tuesday that is a working day in Indonesia (no holiday, no cuti bersama): the day of the fixed-clock tests."""


def at(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """``hour:minute:second`` WITA on ``day``, in UTC as the database stores it."""
    return datetime.combine(day, time(hour, minute, second), WITA).astimezone(UTC)


def office_hours(day: date) -> tuple[datetime, datetime]:
    """08:00 and 17:00 WITA on ``day``: a whole-day booking's start and end."""
    return at(day, 8), at(day, 17)


def local_today() -> date:
    return datetime.now(WITA).date()


def days_ahead(n: int) -> date:
    return local_today() + timedelta(days=n)


def tomorrow() -> date:
    return days_ahead(1)


def next_weekday(weekday: int, after: int = 1) -> date:
    """The first date at least ``after`` days ahead that falls on ``weekday`` (0 = Monday)."""
    day = days_ahead(after)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def working_weekday(weekday: int, after: int = 1) -> date:
    """:func:`next_weekday`, a week later while that day is a public holiday or cuti bersama (a test that books on a
    weekday should not start failing in the week of a holiday)."""
    day = next_weekday(weekday, after)
    holidays = generated_days(range(day.year, day.year + 2))
    while day in holidays:
        day += timedelta(days=7)
    return day


def upcoming(kind: DayKind, within_days: int = 400) -> date:
    """The next day of ``kind`` (a public holiday, cuti bersama) in the generated Indonesian calendar."""
    today = local_today()
    days = generated_days(range(today.year, today.year + 2))
    return min(d for d, (k, _name) in days.items() if k == kind and today < d <= today + timedelta(days=within_days))


class Clock:
    """A clock tests move by hand: ``clock.set(time(9, 30))``, ``clock.advance(minutes=45)``, ``clock.now = ...``.

    It starts at 06:00 WITA on ``DAY`` unless told otherwise.
    """

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now if now is not None else at(DAY, 6)
        self._origin = self.now

    def __call__(self) -> datetime:
        return self.now

    def monotonic(self) -> float:
        """Seconds since the clock was made: the reading ``time.monotonic`` gives the breaker and the caches."""
        return (self.now - self._origin).total_seconds()

    def set(self, local: time, day: date | None = None) -> None:
        """A WITA time of day on ``day`` (by default the day the clock shows)."""
        day = day if day is not None else self.now.astimezone(WITA).date()
        self.now = datetime.combine(day, local, WITA).astimezone(UTC)

    def advance(self, seconds: float = 0, **delta: float) -> None:
        self.now += timedelta(seconds=seconds, **delta)


WALL_CLOCK_SERVICES = (
    "bookings",
    "checkins",
    "policies",
    "work_calendar",
    "identity",
    "webhooks",
    "calendar_feeds",
    "cancel_ranges",
    "my_bookings",
    "required_days",
    "waitlist",
)
"""The runtime's services that read the wall clock (each took ``runtime.clock`` when the runtime was opened)."""


def install_clock(runtime: Runtime, monkeypatch: pytest.MonkeyPatch, clock: Clock | None = None) -> Clock:
    """``clock`` (by default early morning of ``DAY``, so ``book_desk`` accepts ``DAY``) as the runtime's one
    clock: every service that reads the wall time reads it."""
    clock = clock or Clock()
    monkeypatch.setattr(runtime, "clock", clock)
    for name in WALL_CLOCK_SERVICES:
        service = getattr(runtime, name, None)
        if service is not None:
            monkeypatch.setattr(service, "clock", clock)
    return clock
