"""Who is expected in each building, unit by unit: the demand model the forecast and the anchor-day planner share.

CONTRACT (written before the implementation; the forecast work fills in :func:`unit_demand`, the planner reads it).

A *planning unit* is the unit whose anchor days its people follow: the person's own unit or the nearest ancestor
with anchor days of its own in force (a sub-unit without its own follows its parent's, as the policy engine does);
when no unit in the chain has any, the person's own unit. Each planning unit's people are counted in the building
they are housed in (``Employee.home_building_id``; otherwise the building of the zones assigned to their unit or
its nearest ancestor with a zone), so a unit housed in two towers gives two rows.

For one week, a row says how many people of the unit are expected in that building:

* ``fixed``: on every working day whatever the anchor days (public service: ``in_office_every_working_day``);
* ``anchored``: on each of the unit's anchor days (everyone else who is not exempt, on leave or remote by an
  approved exemption, times the attendance rate seen in the recent history);
* ``spread``: person-days per week on the other working days (their required office days beyond the anchor days,
  from the policy engine, times the same rate), spread evenly over the working days that are not anchor days.

So the expected people on weekday ``d`` of the week are ``fixed + (anchored if d in anchor_weekdays else
spread / (working days - len(anchor_weekdays)))``, which is linear in "is ``d`` an anchor day": the planner
moves anchor days, the forecast adds the days' own facts (people's plans, holidays, closures) on top.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True, slots=True)
class UnitDemand:
    unit_id: int
    code: str
    name: str
    parent_id: int | None
    organisation_id: int
    building_id: int
    headcount: int
    """Active people of the planning unit housed in the building."""
    fixed: float
    anchored: float
    spread: float
    anchor_weekdays: frozenset[int]
    """In force on the week's Monday; 0 = Monday ... 4 = Friday."""
    anchors_required: bool
    """Whether any of its people's policies require the unit's anchor days (``anchor_days_required``)."""
    every_day: bool
    """All of its people are in every working day (a public-service unit): its anchor days change nothing."""

    def expected_on(self, weekday: int, working_days: int = 5) -> float:
        """People expected on ``weekday`` of a week with ``working_days`` working days and these anchor days."""
        if weekday in self.anchor_weekdays:
            return self.fixed + self.anchored
        others = working_days - len(self.anchor_weekdays)
        return self.fixed + (self.spread / others if others > 0 else 0.0)


async def unit_demand(session: AsyncSession, building_ids: Collection[int], week: date) -> list[UnitDemand]:
    """The planning units housed in ``building_ids`` and their expected presence in the week of ``week`` (a
    Monday), ordered by building then unit code."""
    raise NotImplementedError("filled in by the forecast work")
