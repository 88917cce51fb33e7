"""Who is expected in each building, unit by unit: the demand model the forecast and the anchor-day planner share.

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

How the rows are made (:func:`unit_demand`): the people housed in the buildings
(:mod:`~smartoffice.planning.demand_housing`), the policy engine's week for each of them under the policies,
anchor days and approved exemptions in force that week, in a *regular* week of five working days
(:mod:`~smartoffice.planning.demand_needs`; holidays are the forecast's business, day by day), their days of leave
and duty travel that week, and their planning unit's attendance rate (:mod:`~smartoffice.planning.demand_history`,
bounded, a default without history). Per person, with ``w`` the share of the week they are not away and ``r`` the
rate (a probability is never above 1):

* in every working day (public service, not eligible for remote days): ``fixed += w × min(1, r)``;
* required on the unit's anchor days: ``anchored += w × min(1, r)`` and ``spread += w × r × (office days −
  anchor days)``;
* otherwise (no anchor day required of them) their office days fall evenly on the week, share ``s = office days ÷
  5``: ``anchored += w × min(1, r × s)`` and ``spread += w × r × s × (5 − anchor days)``.

A person whose exemption makes the week fully remote, or who is away all week, adds nothing (they are in the
headcount). A unit without anchor days has ``anchored`` as if it had some (the people who would be required on
them) and everyone's office days in ``spread``, so ``expected_on`` is right today and ``person_days`` lets a
planner give it anchor days (see :attr:`UnitDemand.person_days`).
"""

from collections import Counter, defaultdict
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from types import MappingProxyType

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.people.models import Employee
from smartoffice.places.models import Building
from smartoffice.planning.demand_history import (
    DEFAULT_ATTENDANCE_RATE,
    HistoryWindow,
    UnitRate,
    attendance_rates,
)
from smartoffice.planning.demand_housing import Housed, Housing, load_housing, planning_unit
from smartoffice.planning.demand_needs import PolicyIndex, WeekNeeds, WeekNeedsPlanner
from smartoffice.planning.demand_people import load_housed_people
from smartoffice.policies.day_rules import AWAY, WORKING_WEEKDAYS, Person
from smartoffice.policies.engine import monday_of
from smartoffice.policies.facts import load_policies_for
from smartoffice.policies.models import WorkDay
from smartoffice.workcalendar.service import WorkingCalendar, load_calendar


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
    person_days: float = 0.0
    """Expected office person-days a week beyond ``fixed``: ``anchored × len(anchor_weekdays) + spread`` (for a unit
    without anchor days, ``spread``). Given ``k`` other anchor days, the unit expects ``anchored`` on each of them
    and ``(person_days − k × anchored) ÷ (working days − k)`` on the others."""
    attendance_rate: float = DEFAULT_ATTENDANCE_RATE
    """The planning unit's attendance rate (office days that happened ÷ those the rules asked, recent weeks)."""
    rate_from_history: bool = False
    """False when the unit had no attendance history and the default rate is used."""
    not_expected: int = 0
    """People counted in ``headcount`` who are not expected at all this week (fully remote by an exemption, or
    away on leave or duty travel all week)."""

    def expected_on(self, weekday: int, working_days: int = 5) -> float:
        """People expected on ``weekday`` of a week with ``working_days`` working days and these anchor days."""
        if weekday in self.anchor_weekdays:
            return self.fixed + self.anchored
        others = working_days - len(self.anchor_weekdays)
        return self.fixed + (self.spread / others if others > 0 else 0.0)


def regular_week(monday: date) -> WorkingCalendar:
    """Monday to Friday working, no holiday: the week the demand model describes."""
    return WorkingCalendar(monday, monday + timedelta(days=6), MappingProxyType({}))


async def unit_demand(
    session: AsyncSession, building_ids: Collection[int], week: date, *, today: date | None = None
) -> list[UnitDemand]:
    """The planning units housed in ``building_ids`` and their expected presence in the week of ``week`` (a
    Monday; another day means its week), ordered by building then unit code.

    The attendance rate reads the weeks before ``week``, or before ``today``'s week when that is earlier (a week
    ahead has no history of its own yet).
    """
    monday = monday_of(week)
    model = await DemandModel.load(session, building_ids, monday, today=today)
    return model.unit_rows()


@dataclass(frozen=True, slots=True)
class DemandFacts:
    """What the demand model is made from, loaded once for a range of weeks (the forecast reads several)."""

    first: date
    """A Monday."""
    last: date
    housing: Housing
    persons: Mapping[int, Person]
    """Employee id → the engine's view of them (people the engine does not know are left out); their anchor
    weekdays are those of the range as a whole: :meth:`in_week` gives a week's."""
    policies: PolicyIndex
    """The policies in force some day of the range, indexed (which apply to whom is worked out once)."""
    regular_needs: Mapping[int, WeekNeeds]
    """Employee id → their first week, as a regular week (:func:`regular_week`)."""
    rates: Mapping[int, UnitRate]
    """Planning unit id → its attendance rate."""
    time_zone: str

    @classmethod
    async def load(
        cls, session: AsyncSession, building_ids: Collection[int], first: date, last: date, *, today: date | None
    ) -> "DemandFacts":
        housing = await load_housing(session, building_ids, first, last)
        time_zone = await _time_zone(session, building_ids)
        if not housing.people:
            return cls(first, last, housing, {}, PolicyIndex([]), {}, {}, time_zone)
        persons = await load_housed_people(session, housing, first, last)
        policies = PolicyIndex(await load_policies_for(session, first, last, persons.values()))
        planner = WeekNeedsPlanner(policies, regular_week(first))
        facts = cls(first, last, housing, persons, policies, {}, {}, time_zone)
        needs = {p.employee_id: planner.needs(person, first) for p, person in facts.in_week(first)}
        window = HistoryWindow.before(min(first, monday_of(today)) if today is not None else first)
        rates = await attendance_rates(
            session,
            housing.people,
            {employee_id: n.office_days for employee_id, n in needs.items()},
            window,
            await load_calendar(session, window.first, window.last),
            time_zone,
        )
        return cls(first, last, housing, persons, policies, needs, rates, time_zone)

    def rate_of(self, person: Housed) -> float:
        rate = self.rates.get(person.planning_unit_id)
        return rate.rate if rate is not None else DEFAULT_ATTENDANCE_RATE

    def in_week(self, monday: date) -> Iterator[tuple[Housed, Person]]:
        """Each housed person the engine knows, with the anchor weekdays in force in the week of ``monday``."""
        anchors = self.housing.anchor_weekdays if monday == self.first else self.housing.anchors_in(monday)
        units = self.housing.units
        followed: dict[int, frozenset[int]] = {}
        for housed in self.housing.people:
            person = self.persons.get(housed.employee_id)
            if person is None:
                continue
            weekdays = followed.get(housed.unit_id)
            if weekdays is None:
                weekdays = followed[housed.unit_id] = anchors.get(
                    planning_unit(housed.unit_id, units, anchors), frozenset()
                )
            yield housed, person if person.anchor_weekdays == weekdays else replace(person, anchor_weekdays=weekdays)


@dataclass(frozen=True, slots=True)
class DemandModel:
    """One week's demand: the facts, and each person's days away that week."""

    facts: DemandFacts
    away_days: Mapping[int, int]
    """Employee id → working days away (leave, duty travel) in the week."""

    @classmethod
    async def load(
        cls, session: AsyncSession, building_ids: Collection[int], monday: date, *, today: date | None = None
    ) -> "DemandModel":
        facts = await DemandFacts.load(session, building_ids, monday, monday + timedelta(days=6), today=today)
        units = sorted({p.unit_id for p in facts.housing.people})
        away = await _away_days(session, units, monday, monday + timedelta(days=WORKING_WEEKDAYS - 1))
        return cls(facts, away)

    def unit_rows(self) -> list[UnitDemand]:
        sums: dict[tuple[int, int], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
        headcount: Counter[tuple[int, int]] = Counter()
        not_expected: Counter[tuple[int, int]] = Counter()
        every_day: dict[tuple[int, int], bool] = {}
        anchors_required: dict[tuple[int, int], bool] = {}
        facts = self.facts
        for person in facts.housing.people:
            key = (person.building_id, person.planning_unit_id)
            headcount[key] += 1
            needs = facts.regular_needs.get(person.employee_id)
            anchors = facts.housing.anchor_weekdays.get(person.planning_unit_id, frozenset())
            share = person_share(needs, anchors, facts.rate_of(person), self.away_days.get(person.employee_id, 0))
            if share is None:
                not_expected[key] += 1
            else:
                for i, value in enumerate(share):
                    sums[key][i] += value
            every_day[key] = every_day.get(key, True) and needs is not None and needs.every_day
            anchors_required[key] = anchors_required.get(key, False) or (needs is not None and needs.anchors_required)
        rows = []
        for (building_id, unit_id), count in headcount.items():
            unit = facts.housing.units[unit_id]
            fixed, anchored, spread, person_days = sums[building_id, unit_id]
            rate = facts.rates.get(unit_id)
            rows.append(
                UnitDemand(
                    unit_id=unit_id,
                    code=unit.code,
                    name=unit.name,
                    parent_id=unit.parent_id,
                    organisation_id=unit.organisation_id,
                    building_id=building_id,
                    headcount=count,
                    fixed=fixed,
                    anchored=anchored,
                    spread=spread,
                    anchor_weekdays=facts.housing.anchor_weekdays.get(unit_id, frozenset()),
                    anchors_required=anchors_required[building_id, unit_id],
                    every_day=every_day[building_id, unit_id],
                    person_days=person_days,
                    attendance_rate=rate.rate if rate is not None else DEFAULT_ATTENDANCE_RATE,
                    rate_from_history=rate is not None and rate.from_history,
                    not_expected=not_expected[building_id, unit_id],
                )
            )
        return sorted(rows, key=lambda row: (row.building_id, row.code))


def person_share(
    needs: WeekNeeds | None, anchors: frozenset[int], rate: float, away_days: int
) -> tuple[float, float, float, float] | None:
    """One person's ``(fixed, anchored, spread, person_days)`` in a regular week (see the module docstring), or
    None when they are not expected at all."""
    if needs is None or not needs.working or needs.office_days == 0:
        return None
    working = len(needs.working)
    present = max(0, working - away_days) / working
    if present == 0:
        return None
    if needs.every_day:
        return (present * min(1.0, rate), 0.0, 0.0, 0.0)
    others = working - len(anchors)
    if needs.anchor_days or (needs.anchors_required and not anchors):
        anchored = present * min(1.0, rate)
        if anchors:
            spread = present * rate * max(0, needs.office_days - len(needs.required))
            return (0.0, anchored, spread, anchored * len(anchors) + spread)
        spread = present * rate * needs.office_days
        return (0.0, anchored, spread, spread)
    share = needs.office_days / working
    anchored = present * min(1.0, rate * share)
    spread = present * rate * share * others
    return (0.0, anchored, spread, anchored * len(anchors) + spread)


async def _away_days(session: AsyncSession, unit_ids: Collection[int], first: date, last: date) -> dict[int, int]:
    """Employee id → days in ``[first, last]`` planned or reported as leave or duty travel."""
    away = sorted(AWAY)
    rows = await session.execute(
        select(WorkDay.employee_id, func.count(WorkDay.id))
        .join(Employee, WorkDay.employee_id == Employee.id)
        .where(
            Employee.org_unit_id.in_(sorted(unit_ids)),
            WorkDay.day.between(first, last),
            or_(WorkDay.actual.in_(away), WorkDay.actual.is_(None) & WorkDay.planned.in_(away)),
        )
        .group_by(WorkDay.employee_id)
    )
    return {employee_id: count for employee_id, count in rows}


async def _time_zone(session: AsyncSession, building_ids: Collection[int]) -> str:
    """The buildings' time zone (the commonest, should they differ), for local days."""
    zones = Counter(await session.scalars(select(Building.time_zone).where(Building.id.in_(sorted(set(building_ids))))))
    return zones.most_common(1)[0][0] if zones else "Asia/Makassar"
