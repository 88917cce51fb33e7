"""A lived-in office: weeks of realistic desk bookings, check-ins, no-shows, meetings and work plans.

The demo (``smartoffice demo``, ``serve --demo``) and the benchmark's tiers seed it, so that occupancy reports,
forecasts and the planner have history to read. Everything follows the rules the product enforces:

* **the policy engine** decides each person's week (:mod:`.needs`): public service every working day (cuti bersama
  included), anchor days and the week's office days for the rest, exemptions mostly remote, nobody on a public
  holiday; people choose the rest by habit (:mod:`.habits`);
* **desks** (:mod:`.desks`): whole-day bookings in the building's opening hours, in the person's unit's zone
  (else the same floor, else the building), hot desks only, one per person a day, never two people on one desk;
  past days checked in (~85 %), released as no-shows after the grace period (~10 %) or cancelled before the day
  (~5 %); ``today`` as of noon; the days after it booked;
* **rooms** (:mod:`.rooms`): meetings within each room's bookable hours and capacity, never overlapping;
* **work plans**: leave, duty travel and recorded remote days (``work_days``), within each unit's remote share.

:mod:`.world` loads what the generator reads, :mod:`.generate` draws the rows (pure, deterministic: same seed and
``today``, same rows), :mod:`.seed` inserts them in bulk.
"""

from smartoffice.activity.generate import ActivityGenerator, DayActivity
from smartoffice.activity.seed import (
    BOOKING_COLUMNS,
    WORK_DAY_COLUMNS,
    ActivitySummary,
    activity_range,
    seed_activity,
)
from smartoffice.activity.world import World, load_world

__all__ = [
    "BOOKING_COLUMNS",
    "WORK_DAY_COLUMNS",
    "ActivityGenerator",
    "ActivitySummary",
    "DayActivity",
    "World",
    "activity_range",
    "load_world",
    "seed_activity",
]
