"""What a series' recurrence rule may say, checked before it is expanded.

Desks and rooms are booked for a day at a time, so a series repeats by the day, the week or the month:
``FREQ=DAILY``, ``WEEKLY`` or ``MONTHLY``. Its times come from the request's ``startTime``/``endTime``, so the rule
names no hours, minutes or seconds (``FREQ=HOURLY``, ``BYHOUR=9,10`` gave several occurrences on one day, each in
conflict with the first). ``INTERVAL`` is a whole number from 1 to 365 (``INTERVAL=0`` repeated the first occurrence
200 times); ``COUNT`` at least 1, and not with ``UNTIL`` (RFC 5545 allows one of them).

A series runs at most 26 weeks from ``startsOn``. Without ``COUNT`` or ``UNTIL`` it runs to that horizon; a
``COUNT`` or ``UNTIL`` whose occurrences go past it is refused with the last day a series may reach, rather than
cut short in silence: an app that asked for 52 weekly meetings and got 26 would not know the rest are missing, and
the caller is the one who can choose (fewer occurrences, or a second series later).
"""

from datetime import date, datetime, time, timedelta

from dateutil.parser import isoparse
from dateutil.rrule import rrule, rrulestr

from smartoffice.bookings.errors import BookingInputCode
from smartoffice.errors import CommonInputCode, InvalidInput

HORIZON = timedelta(weeks=26)
MAX_OCCURRENCES = 200
MAX_RULE_LENGTH = 500
"""The stored rule's column length."""
MAX_INTERVAL = 365
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY")
TIME_PARTS = ("BYHOUR", "BYMINUTE", "BYSECOND")


def rule_text(rrule_text: str) -> str:
    """The rule as stored: without surrounding space and an ``RRULE:`` prefix."""
    return rrule_text.strip().removeprefix("RRULE:")


def occurrence_days(rrule_text: str, starts_on: date, start: time, end: time) -> list[date]:
    """The local dates of a series' occurrences; :class:`InvalidInput` when the rule or the times are refused."""
    if start >= end:
        raise InvalidInput("endTime", CommonInputCode.END_BEFORE_START)
    text = rule_text(rrule_text)
    if len(text) > MAX_RULE_LENGTH:
        raise InvalidInput("rrule", CommonInputCode.TEXT_TOO_LONG, max=MAX_RULE_LENGTH)
    parts = _parts(text)
    first = datetime.combine(starts_on, start)
    try:
        rule = rrulestr(text, dtstart=first)
    except (ValueError, TypeError, OverflowError) as exc:
        raise InvalidInput("rrule", BookingInputCode.INVALID_RRULE) from exc
    assert isinstance(rule, rrule)  # no RDATE/EXRULE: _parts allows only RRULE's own parts
    if "UNTIL" in parts and _until_day(parts["UNTIL"]) < starts_on:
        raise InvalidInput("rrule", BookingInputCode.RRULE_ENDS_BEFORE_START)
    return _expand(rule, first, bounded="COUNT" in parts or "UNTIL" in parts)


def _parts(text: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for part in text.split(";"):
        name, equals, value = part.partition("=")
        name = name.strip().upper()
        if not equals or not name or name in parts or name == "DTSTART" or not name.isalpha():
            raise InvalidInput("rrule", BookingInputCode.INVALID_RRULE)
        parts[name] = value.strip().upper()
    frequency = parts.get("FREQ")
    if frequency not in FREQUENCIES:
        if frequency in ("SECONDLY", "MINUTELY", "HOURLY", "YEARLY"):
            raise InvalidInput("rrule", BookingInputCode.RRULE_FREQUENCY_NOT_ALLOWED, frequency=frequency)
        raise InvalidInput("rrule", BookingInputCode.INVALID_RRULE)
    if any(name in parts for name in TIME_PARTS):
        raise InvalidInput("rrule", BookingInputCode.RRULE_NAMES_TIMES)
    if "INTERVAL" in parts and not _is_whole_in(parts["INTERVAL"], 1, MAX_INTERVAL):
        raise InvalidInput("rrule", BookingInputCode.RRULE_INTERVAL_OUT_OF_RANGE, max=MAX_INTERVAL)
    if "COUNT" in parts and ("UNTIL" in parts or not _is_whole_in(parts["COUNT"], 1, MAX_OCCURRENCES)):
        raise InvalidInput("rrule", BookingInputCode.RRULE_COUNT_OUT_OF_RANGE, max=MAX_OCCURRENCES)
    return parts


def _until_day(value: str) -> date:
    try:
        until: datetime = isoparse(value.removesuffix("Z"))
    except (ValueError, OverflowError) as exc:
        raise InvalidInput("rrule", BookingInputCode.INVALID_RRULE) from exc
    return until.date()


def _is_whole_in(value: str, low: int, high: int) -> bool:
    return value.isascii() and value.isdigit() and low <= int(value) <= high


def _expand(rule: rrule, first: datetime, *, bounded: bool) -> list[date]:
    days: list[date] = []
    try:
        for occurrence in rule.xafter(first, count=MAX_OCCURRENCES + 1, inc=True):
            if occurrence - first >= HORIZON or len(days) == MAX_OCCURRENCES:  # (26 weeks hold at most 183 days)
                if bounded:
                    last_day = (first + HORIZON - timedelta(days=1)).date()
                    raise InvalidInput("rrule", BookingInputCode.SERIES_PAST_HORIZON, weeks=26, last_day=last_day)
                break
            days.append(occurrence.date())
    except (ValueError, TypeError, OverflowError) as exc:
        raise InvalidInput("rrule", BookingInputCode.INVALID_RRULE) from exc
    if not days:
        raise InvalidInput("rrule", BookingInputCode.NO_OCCURRENCES)
    return days
