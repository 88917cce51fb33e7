"""The days SmartOffice works with: 1970-01-01 to 2199-12-31, checked once at each door.

Python's dates run from 0001-01-01 to 9999-12-31, but a day at either end cannot be turned into a building's local
midnight in UTC, nor have a week or a recurrence added to it, without an ``OverflowError`` (which callers saw as a
masked "Unexpected error."). No office day, policy or holiday lies outside this range, and inside it every sum the
services make (a week around a day, 26 weeks of a series, a day's UTC bounds in any zone) stays a valid date.

Where it is checked: the GraphQL ``Date``/``DateTime`` scalars (``smartoffice/api/scalars.py``) refuse a value outside
it as a malformed value, like ``2026-02-30``; the pages' query strings and forms (``smartoffice/web/forms.py``) refuse
it as an invalid date; services that take a day from elsewhere call :func:`require_supported`.
"""

from datetime import UTC, date, datetime

from smartoffice.errors import CommonInputCode, InvalidInput

FIRST_DAY = date(1970, 1, 1)
LAST_DAY = date(2199, 12, 31)


def is_supported_day(day: date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


def is_supported_instant(instant: datetime) -> bool:
    """The instant's own date, and its date in UTC when it has an offset, are both supported days."""
    if not is_supported_day(instant.date()):
        return False
    return instant.tzinfo is None or is_supported_day(instant.astimezone(UTC).date())


def require_supported(day: date, field: str) -> date:
    """``day``, or :class:`InvalidInput` ``OUT_OF_RANGE`` naming ``field`` and the range."""
    if not is_supported_day(day):
        raise InvalidInput(field, CommonInputCode.OUT_OF_RANGE, low=FIRST_DAY.isoformat(), high=LAST_DAY.isoformat())
    return day
