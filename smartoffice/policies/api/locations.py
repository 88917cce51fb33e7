"""Where a day of a week is worked, read through the request's DataLoader (``myWeek``'s ``DayPlan``)."""

import datetime as dt

from smartoffice.api.context import Info
from smartoffice.policies.remote_locations import Location


async def day_location(info: Info, employee_id: int | None, day: dt.date) -> Location | None:
    """The planned location of ``employee_id``'s ``day``, batched with the other days asked in the request."""
    if employee_id is None:
        return None
    location: Location | None = await info.context.loaders.policies.location_by_day.load((employee_id, day))
    return location
