"""Scalars whose input rules are stricter than strawberry's defaults.

``Time`` is always a local wall-clock time in the building's zone (opening hours, booking windows, a working
day). strawberry's default accepts ``09:00+08:00`` too, and an aware time then met the naive times of the
buildings' hours in a comparison that raised ``TypeError`` (a masked "Unexpected error." for the caller). Such a
value is now refused where every other malformed time is: as a top-level coercion error naming the value.
"""

import datetime as dt

from strawberry.schema.types.base_scalars import TimeDefinition, wrap_parser
from strawberry.types.scalar import ScalarDefinition


def parse_local_time(value: str) -> dt.time:
    parsed = dt.time.fromisoformat(value)
    if parsed.tzinfo is not None:
        raise ValueError("Give a local time without an offset, e.g. 09:30.")
    return parsed


LOCAL_TIME = ScalarDefinition(
    name=TimeDefinition.name,
    description=TimeDefinition.description,  # the exported schema is unchanged
    specified_by_url=None,
    serialize=TimeDefinition.serialize,
    parse_value=wrap_parser(parse_local_time, "Time"),
    parse_literal=None,
    origin=dt.time,
)
SCALARS: dict[object, ScalarDefinition] = {dt.time: LOCAL_TIME}
"""For ``StrawberryConfig(scalar_map=...)``."""
