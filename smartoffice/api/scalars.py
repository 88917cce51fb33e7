"""Scalars whose input rules are stricter than strawberry's defaults.

``Time`` is always a local wall-clock time in the building's zone (opening hours, booking windows, a working
day). strawberry's default accepts ``09:00+08:00`` too, and an aware time then met the naive times of the
buildings' hours in a comparison that raised ``TypeError`` (a masked "Unexpected error." for the caller). Such a
value is now refused where every other malformed time is: as a top-level coercion error naming the value.

``Date`` and ``DateTime`` accept only days from 1970-01-01 to 2199-12-31 (``smartoffice/date_range.py``). Year 1
and 9999-12-31 parsed, then overflowed in the services (a building's local midnight in UTC, a week around the day,
a series' 26 weeks): masked "Unexpected error."s. Such a value is refused before anything runs, like
``2026-02-30``, as a top-level error with ``extensions.code`` ``BAD_USER_INPUT`` (what every malformed input value
gets) and ``extensions.reason`` ``DATE_OUT_OF_RANGE`` with the range in ``min``/``max``. The scalar is the one
place that sees every date argument and input field, present and future, of queries and mutations alike (many
queries have no result union to carry a ``ValidationError``); the range is in the scalars' descriptions, so an
app can bound its date pickers from the schema.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

import dateutil.parser
from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.schema.types.base_scalars import DateDefinition, DateTimeDefinition, TimeDefinition, wrap_parser
from strawberry.types.scalar import ScalarDefinition

from smartoffice.date_range import FIRST_DAY, LAST_DAY, is_supported_day, is_supported_instant

DATE_OUT_OF_RANGE = "DATE_OUT_OF_RANGE"
"""``extensions.reason`` of a date outside the supported range (``extensions.code`` is ``BAD_USER_INPUT``)."""


def parse_local_time(value: str) -> dt.time:
    parsed = dt.time.fromisoformat(value)
    if parsed.tzinfo is not None:
        raise ValueError("Give a local time without an offset, e.g. 09:30.")
    return parsed


def out_of_range(type_name: str, value: object) -> StrawberryInputCoercionError:
    return StrawberryInputCoercionError(
        f'Value cannot represent a {type_name}: "{value}". '
        f"Dates run from {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}.",
        extensions={
            "code": "BAD_USER_INPUT",
            "reason": DATE_OUT_OF_RANGE,
            "min": FIRST_DAY.isoformat(),
            "max": LAST_DAY.isoformat(),
        },
    )


def _bounded_parser(
    name: str, parse_text: Callable[[str], object], supported: Callable[[Any], bool], **options: Any
) -> Callable[[object], object]:
    """``name``'s parser: ``parse_text`` as graphql-core wraps it, then refused outside the supported range."""
    parse = wrap_parser(parse_text, name, **options)

    def inner(value: object) -> object:
        parsed = parse(value)
        if not supported(parsed):
            raise out_of_range(name, value)
        return parsed

    return inner


def _date_parser() -> Callable[[object], object]:
    return _bounded_parser("Date", dt.date.fromisoformat, is_supported_day)


def _date_time_parser() -> Callable[[object], object]:
    # isoparse raises OverflowError for 9999-12-31T23:59:59-01:00 and the like: that too is out of range.
    return _bounded_parser(
        "DateTime", dateutil.parser.isoparse, is_supported_instant, exceptions=(ValueError, OverflowError)
    )


LOCAL_TIME = ScalarDefinition(
    name=TimeDefinition.name,
    description=TimeDefinition.description,  # the exported schema is unchanged
    specified_by_url=None,
    serialize=TimeDefinition.serialize,
    parse_value=wrap_parser(parse_local_time, "Time"),
    parse_literal=None,
    origin=dt.time,
)
SUPPORTED_DATE = ScalarDefinition(
    name=DateDefinition.name,
    description=f"Date (isoformat), from {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}",
    specified_by_url=None,
    serialize=DateDefinition.serialize,
    parse_value=_date_parser(),
    parse_literal=None,
    origin=dt.date,
)
SUPPORTED_DATE_TIME = ScalarDefinition(
    name=DateTimeDefinition.name,
    description=f"Date with time (isoformat), from {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}",
    specified_by_url=None,
    serialize=DateTimeDefinition.serialize,
    parse_value=_date_time_parser(),
    parse_literal=None,
    origin=dt.datetime,
)
SCALARS: dict[object, ScalarDefinition] = {
    dt.time: LOCAL_TIME,
    dt.date: SUPPORTED_DATE,
    dt.datetime: SUPPORTED_DATE_TIME,
}
"""For ``StrawberryConfig(scalar_map=...)``."""
