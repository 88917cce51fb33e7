"""How many people each building should expect on each working day of the coming weeks, with a range, against
its desks: the demand forecast facilities managers check before a tower overflows.

**The point estimate** is a sum over people of the probability that each is in that building that day:

* a person with an active desk booking that day is in the booking's building (probability 1), whoever they are;
* a person whose own plan for the day says office is in their home building (1); remote, leave, duty travel or a
  reported absence keeps them out (0): people's own plans replace the model's guess;
* everyone else follows the demand model (:mod:`~smartoffice.planning.demand`): the policy engine's week for them
  under the real calendar (holidays and cuti bersama are not working days, except for those whose rules make cuti
  bersama working days), their unit's anchor days that week, exemptions, times their unit's attendance rate. A
  required day (public service every day, the anchor days) has probability ``min(1, rate)``; the flexible days
  share what is left of the week's office days once the days already known (booked, planned, away) are counted,
  evenly: ``min(1, rate × (office days still needed − required days left) ÷ flexible days left)``.

A building closed by a closure covering at least half of its opening hours (itself or its site) expects nobody;
floors, zones or desks closed that day leave the building with fewer desks.

**The range** treats the people as independent coin flips of their own probabilities (a Poisson-binomial sum),
approximated by a normal distribution with variance ``Σ p(1 − p)``, then widened by how much the building's daily
check-ins moved from week to week in the history (their coefficient of variation ``cv``, applied to the part of the
estimate that is a guess rather than a booking or a plan): ``sd = √(Σ p(1 − p) + (cv × guessed)²)``,
``low = ⌊expected − 1.645 sd⌋`` (never below the people already booked or planned) and ``high = ⌈expected +
1.645 sd⌉``: a 90 % interval. People are not quite independent (a unit's anchor day moves them together), which
the history's spread is there to cover.

**Days at risk**: the expected people above the target (desks × the target utilisation, 85 % by default, or the
building's occupancy cap when a policy sets a lower one), the high end above the desks, or the expected people above
the desks (in rising order of severity).
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from math import ceil, floor, sqrt
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.db import Database
from smartoffice.errors import CommonInputCode, CommonPermissionCode, InvalidInput, NotFound, PermissionDenied
from smartoffice.people.roles import is_facilities_manager
from smartoffice.places import service as places
from smartoffice.places.models import Building, Site
from smartoffice.planning.demand import DemandFacts
from smartoffice.planning.demand_history import HistoryWindow
from smartoffice.planning.demand_housing import desks_by_building
from smartoffice.planning.demand_needs import WeekNeeds, WeekNeedsPlanner
from smartoffice.planning.forecast_errors import ForecastInputCode
from smartoffice.planning.forecast_facts import DayFacts, load_day_facts
from smartoffice.policies.day_rules import AWAY, WORKING_WEEKDAYS, PolicyView
from smartoffice.policies.engine import monday_of, occupancy_cap
from smartoffice.policies.facts import load_building_policies
from smartoffice.policies.models import WorkMode
from smartoffice.workcalendar.service import WorkingCalendar, load_calendar

MAX_WEEKS = 8
DEFAULT_WEEKS = 4
DEFAULT_TARGET_UTILISATION = 0.85
MIN_TARGET_UTILISATION = 0.5
Z_90 = 1.6449
"""The standard normal quantile of 95 %: ``expected ± Z_90 × sd`` holds nine days in ten."""


class Risk(StrEnum):
    NONE = "none"
    OVER_TARGET = "over_target"
    """More people expected than the target (desks × target utilisation, or the occupancy cap)."""
    MAY_OVERFLOW = "may_overflow"
    """The high end of the range is above the desks."""
    OVERFLOW = "overflow"
    """More people expected than desks."""

    @property
    def severity(self) -> int:
        return list(Risk).index(self)


@dataclass(frozen=True, slots=True)
class ForecastDay:
    building_id: int
    day: date
    desks: int
    """Desks open that day (those under a closure left out)."""
    target: float
    """People the day should stay under: desks × the target utilisation, or the occupancy cap if lower."""
    expected: float
    low: int
    high: int
    booked: int
    """People with a desk booked in the building that day (counted as coming)."""
    planned_office: int
    """People housed here whose own plan says office that day, without a booking yet (counted as coming)."""
    holiday: str | None
    """The holiday or cuti bersama, when the national calendar has one."""
    closure: str | None
    """Why the building (or its site) is closed that day, or part of it."""
    capped_by: str | None
    """The policy capping the building's occupancy that day, when it lowers the target."""
    risk: Risk

    @property
    def utilisation(self) -> float:
        return self.expected / self.desks if self.desks else 0.0

    @property
    def is_closed(self) -> bool:
        return self.desks == 0 and self.closure is not None


@dataclass(frozen=True, slots=True)
class BuildingForecast:
    building: Building
    desks: int
    """Desks in the building (none closed)."""
    housed: int
    """People housed in it (:mod:`~smartoffice.planning.demand_housing`)."""
    days: list[ForecastDay]

    @property
    def peak(self) -> ForecastDay | None:
        return max(self.days, key=lambda d: (d.expected, -d.day.toordinal()), default=None)


@dataclass(frozen=True, slots=True)
class DemandForecast:
    site: Site
    building: Building | None
    """The building asked about; None for the whole site."""
    first: date
    """The first Monday."""
    weeks: int
    target_utilisation: float
    today: date
    buildings: list[BuildingForecast]

    @property
    def last(self) -> date:
        return self.first + timedelta(weeks=self.weeks, days=-3)

    @property
    def days(self) -> list[ForecastDay]:
        return [day for building in self.buildings for day in building.days]

    @property
    def days_at_risk(self) -> list[ForecastDay]:
        """The flagged days, the most severe first, then by date and building."""
        order = {b.building.id: n for n, b in enumerate(self.buildings)}
        flagged = [d for d in self.days if d.risk != Risk.NONE]
        return sorted(flagged, key=lambda d: (-d.risk.severity, d.day, order[d.building_id]))


async def demand_forecast(
    session: AsyncSession,
    viewer_id: int,
    *,
    site_id: int | None,
    building_id: int | None,
    first: date,
    weeks: int,
    target_utilisation: float,
    now: datetime,
) -> DemandForecast:
    """The forecast of a site's buildings or of one building, for ``weeks`` weeks from the Monday of ``first``.

    Raises InvalidInput (neither or both of site and building, weeks outside 1 to :data:`MAX_WEEKS`, a target
    outside [:data:`MIN_TARGET_UTILISATION`, 1]), NotFound, or PermissionDenied (not the site's facilities manager
    or an admin).
    """
    if (site_id is None) == (building_id is None):
        raise InvalidInput("siteId", ForecastInputCode.SITE_OR_BUILDING)
    if not 1 <= weeks <= MAX_WEEKS:
        raise InvalidInput("weeks", CommonInputCode.OUT_OF_RANGE, low=1, high=MAX_WEEKS)
    if not MIN_TARGET_UTILISATION <= target_utilisation <= 1:
        raise InvalidInput(
            "targetUtilisation", ForecastInputCode.TARGET_OUT_OF_RANGE, low=MIN_TARGET_UTILISATION, high=1
        )
    building = await places.get_building(session, building_id) if building_id is not None else None
    site = await session.get(Site, building.site_id if building is not None else site_id)
    if site is None:
        raise NotFound("Site", site_id)
    if not await is_facilities_manager(session, viewer_id, site.id):
        raise PermissionDenied(CommonPermissionCode.NOT_A_FACILITIES_MANAGER)
    if building is not None:
        buildings = [building]
    else:
        buildings = list(
            await session.scalars(
                select(Building)
                .where(Building.site_id == site.id, Building.retired_at.is_(None))
                .order_by(Building.code)
            )
        )
    monday = monday_of(first)
    zone = ZoneInfo(buildings[0].time_zone) if buildings else ZoneInfo("Asia/Makassar")
    today = now.astimezone(zone).date()
    forecast = DemandForecast(site, building, monday, weeks, target_utilisation, today, [])
    if not buildings:
        return forecast
    last = monday + timedelta(weeks=weeks, days=-1)
    ids = [b.id for b in buildings]
    facts = await DemandFacts.load(session, ids, monday, last, today=today)
    window = HistoryWindow.before(min(monday, monday_of(today)))
    calendar = await load_calendar(session, min(window.first, monday), last)
    units = {p.unit_id for p in facts.housing.people}
    day_facts = await load_day_facts(session, buildings, units, monday, last, (window.first, window.last), calendar)
    caps = {b.id: await load_building_policies(session, monday, last, b.id) for b in buildings}
    desks = await desks_by_building(session, ids)
    projected = project(facts, day_facts, calendar, monday, weeks, today)
    housed = Counter(p.building_id for p in facts.housing.people)
    for b in buildings:
        days = []
        for day in (monday + timedelta(weeks=w, days=d) for w in range(weeks) for d in range(WORKING_WEEKDAYS)):
            cap = occupancy_cap(caps[b.id], b.id, day)
            days.append(
                _day(b.id, day, desks[b.id], target_utilisation, projected.get((b.id, day)), day_facts, calendar, cap)
            )
        forecast.buildings.append(BuildingForecast(b, desks[b.id], housed[b.id], days))
    return forecast


@dataclass(slots=True)
class _Sum:
    """One building-day's running totals."""

    expected: float = 0.0
    variance: float = 0.0
    certain: int = 0
    booked: int = 0
    planned_office: int = 0

    def add(self, p: float, count: int = 1) -> None:
        self.expected += count * p
        self.variance += count * p * (1 - p)


def project(
    facts: DemandFacts, day_facts: DayFacts, calendar: WorkingCalendar, monday: date, weeks: int, today: date
) -> dict[tuple[int, date], _Sum]:
    """The running totals of every building-day with anyone expected. Days before ``today`` count what happened
    only (bookings, reported attendance), nothing guessed. A past day nothing is recorded of says nothing either way
    (the attendance source may not know it): the person keeps their usual chance on the days ahead, rather than
    being assumed to make the week's office days up."""
    totals: dict[tuple[int, date], _Sum] = defaultdict(_Sum)
    planner = WeekNeedsPlanner(facts.policies, calendar)
    last = monday + timedelta(weeks=weeks, days=-1)
    for w in range(weeks):
        week = monday + timedelta(weeks=w)
        days = [week + timedelta(days=d) for d in range(WORKING_WEEKDAYS)]
        groups: Counter[tuple[int, int, float]] = Counter()  # (building, id of the week's needs, rate) -> people
        weeks_needs: dict[int, WeekNeeds] = {}
        for housed, person in facts.in_week(week):
            needs = planner.needs(person, week)
            rate = facts.rate_of(housed)
            plans = day_facts.plans.get(housed.employee_id, {})
            booked = day_facts.bookings.get(housed.employee_id, {})
            known = {d: WorkMode.OFFICE if d in booked else plans[d] for d in days if d in booked or d in plans}
            if not known:
                weeks_needs[id(needs)] = needs
                groups[housed.building_id, id(needs), rate] += 1
                continue
            chances = day_probabilities(needs, rate, known)
            for day in days:
                if day in booked:
                    continue  # counted where the desk is, below
                total = totals[housed.building_id, day]
                if known.get(day) == WorkMode.OFFICE:
                    total.add(1.0)
                    total.certain += 1
                    total.planned_office += 1
                elif day >= today and (p := chances.get(day, 0.0)) > 0:
                    total.add(p)
        for (building_id, needs_id, rate), count in groups.items():
            for day, p in day_probabilities(weeks_needs[needs_id], rate, {}).items():
                if day >= today and p > 0:
                    totals[building_id, day].add(p, count)
    for booked in day_facts.bookings.values():
        for day, building_id in booked.items():
            if monday <= day <= last:
                total = totals[building_id, day]
                total.add(1.0)
                total.certain += 1
                total.booked += 1
    return totals


def day_probabilities(needs: WeekNeeds, rate: float, known: Mapping[date, WorkMode]) -> dict[date, float]:
    """The probability that the person is in on each of their working days nothing is known of yet (see the
    module docstring); ``known``: day → the mode their booking or plan says."""
    office = sum(1 for d in needs.working if known.get(d) == WorkMode.OFFICE)
    away = sum(1 for d in needs.working if known.get(d) in AWAY)
    remaining = max(0, max(0, needs.office_days - away) - office)
    unknown = [d for d in needs.working if d not in known]
    required = [d for d in unknown if d in needs.required]
    flexible = len(unknown) - len(required)
    on_required = min(1.0, rate)
    on_flexible = min(1.0, rate * max(0, remaining - len(required)) / flexible) if flexible else 0.0
    return {d: on_required if d in needs.required else on_flexible for d in unknown}


def _day(
    building_id: int,
    day: date,
    desks: int,
    target_utilisation: float,
    total: _Sum | None,
    day_facts: DayFacts,
    calendar: WorkingCalendar,
    cap: tuple[int, PolicyView] | None,
) -> ForecastDay:
    holiday = calendar.name(day) if not calendar.is_working_day(day) else None
    closures = day_facts.closures.get((building_id, day), [])
    whole = next((c for c in closures if c.desks is None), None)
    if whole is not None:
        return ForecastDay(building_id, day, 0, 0.0, 0.0, 0, 0, 0, 0, holiday, whole.reason, None, Risk.NONE)
    open_desks = max(0, desks - sum(c.desks or 0 for c in closures))
    target = open_desks * target_utilisation
    capped_by = None
    if cap is not None and cap[0] / 100 < target_utilisation:
        target = open_desks * cap[0] / 100
        capped_by = cap[1].name
    total = total or _Sum()
    guessed = total.expected - total.certain
    spread = day_facts.spread.get(building_id, 0.0) * guessed
    sd = sqrt(total.variance + spread * spread)
    expected = round(total.expected, 2)
    low = max(total.certain, floor(total.expected - Z_90 * sd + 1e-9))
    high = max(low, ceil(total.expected + Z_90 * sd - 1e-9))
    if expected > open_desks:
        risk = Risk.OVERFLOW
    elif high > open_desks:
        risk = Risk.MAY_OVERFLOW
    elif expected > target:
        risk = Risk.OVER_TARGET
    else:
        risk = Risk.NONE
    return ForecastDay(
        building_id,
        day,
        open_desks,
        round(target, 2),
        expected,
        low,
        high,
        total.booked,
        total.planned_office,
        holiday,
        "; ".join(c.reason for c in closures) or None,
        capped_by,
        risk,
    )


class ForecastService:
    """Demand forecasts for facilities managers: each call owns its (read) transaction."""

    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.clock = clock

    async def forecast(
        self,
        actor_id: int,
        *,
        site_id: int | None = None,
        building_id: int | None = None,
        first: date,
        weeks: int = DEFAULT_WEEKS,
        target_utilisation: float = DEFAULT_TARGET_UTILISATION,
    ) -> DemandForecast:
        """See :func:`demand_forecast`."""
        async with self.db.read() as session:
            return await demand_forecast(
                session,
                actor_id,
                site_id=site_id,
                building_id=building_id,
                first=first,
                weeks=weeks,
                target_utilisation=target_utilisation,
                now=self.clock(),
            )
