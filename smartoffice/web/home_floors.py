"""The home page's floor chips: each floor's free desks on a day, from the availability index.

A desk counts as free as the floor page would show it to someone with no quota of their own: bookable, not made
unavailable that day (closed, a holiday, assigned to someone, see ``availability.unavailable``), and with no booking
in the building's hours. Each floor costs its cached layout and one index read (the floor-day facts are cached beside
the layout), no SQL once the index and the cache are warm; a floor that cannot be read shows no count.
"""

from collections.abc import Iterable, Mapping
from datetime import date

from smartoffice.availability.service import SpaceStatus
from smartoffice.availability.slots import LocalDay
from smartoffice.availability.unavailable import whole_day_window
from smartoffice.runtime import Runtime


async def free_desks_by_floor(runtime: Runtime, floor_ids: Iterable[int], day: date) -> Mapping[int, int]:
    """Free desks per floor id on the local ``day`` of each floor's building; floors that are gone are left out."""
    counts: dict[int, int] = {}
    for floor_id in floor_ids:
        layout = await runtime.layouts.find(floor_id)
        if layout is None:
            continue
        time_zone = layout.building.time_zone
        local_day = LocalDay(day, time_zone)
        start, end = whole_day_window(layout, local_day)
        truth = await runtime.availability.truth(layout, day, None, start, end, layouts=runtime.layouts)
        if truth.whole_floor is not None:
            counts[floor_id] = 0
            continue
        occupancy = await runtime.availability.floor_day(floor_id, time_zone, day)
        window = truth.slots(local_day)
        counts[floor_id] = sum(
            1
            for desk in layout.desks
            if desk.bookable and truth.of(desk.id) is None and occupancy.status(desk.id, window) == SpaceStatus.FREE
        )
    return counts
