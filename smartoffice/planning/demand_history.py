"""How faithfully each planning unit's people have come in: the attendance rate the demand model multiplies by.

Over the :data:`HISTORY_WEEKS` weeks before the week planned (or before today's week, whichever is earlier, so a
forecast weeks ahead still reads weeks that happened), per planning unit:

* **observed**: office days that happened: desk bookings checked in to, and office days an attendance system
  reported (``WorkDay.actual = office``);
* **expected**: what the policy engine asks of the same people, ``office days a week × working days ÷ 5``, less
  their days of leave and duty travel (which excuse office days one for one).

The rate is ``(observed + k × default) ÷ (expected + k)`` with ``k`` = :data:`PRIOR_PERSON_DAYS`: a unit with a
few days of history stays near :data:`DEFAULT_ATTENDANCE_RATE`, one with hundreds follows its own. It is bounded to
[:data:`MIN_RATE`, :data:`MAX_RATE`]: above 1 when people come in more often than their rules ask (those extra days
fill desks too), never so low that one bad fortnight empties a unit. A unit whose people have no attendance fact
at all in the window (no booking, no reported day: a new deployment, a unit just moved in) has no history, not a
rate of zero, and takes the default.
"""

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.people.models import Employee
from smartoffice.places.models import SpaceKind
from smartoffice.planning.demand_housing import Housed
from smartoffice.policies.day_rules import AWAY
from smartoffice.policies.models import WorkDay, WorkMode
from smartoffice.workcalendar.service import WorkingCalendar

HISTORY_WEEKS = 8
DEFAULT_ATTENDANCE_RATE = 0.9
"""Without history: nine in ten of the office days the rules ask for (leave, sickness, duty travel, the odd
missed day), the rate public-sector hybrid schemes commonly report."""
PRIOR_PERSON_DAYS = 20.0
MIN_RATE = 0.3
MAX_RATE = 1.25

SEEN = (BookingStatus.BOOKED, BookingStatus.CHECKED_IN, BookingStatus.RELEASED)


@dataclass(frozen=True, slots=True)
class UnitRate:
    rate: float
    observed: int
    """Office days that happened in the window."""
    expected: float
    """Office days the rules asked for in the window."""
    from_history: bool
    """False: no attendance fact in the window; :data:`DEFAULT_ATTENDANCE_RATE` is used."""


@dataclass(frozen=True, slots=True)
class HistoryWindow:
    first: date
    last: date

    @classmethod
    def before(cls, monday: date, weeks: int = HISTORY_WEEKS) -> "HistoryWindow":
        return cls(monday - timedelta(weeks=weeks), monday - timedelta(days=1))


def bounded(observed: float, expected: float) -> float:
    rate = (observed + PRIOR_PERSON_DAYS * DEFAULT_ATTENDANCE_RATE) / (expected + PRIOR_PERSON_DAYS)
    return min(MAX_RATE, max(MIN_RATE, rate))


async def attendance_rates(
    session: AsyncSession,
    people: Collection[Housed],
    weekly_office_days: Mapping[int, int],
    window: HistoryWindow,
    calendar: WorkingCalendar,
    time_zone: str,
) -> dict[int, UnitRate]:
    """``planning unit id → rate`` for the planning units of ``people`` (``weekly_office_days``: employee id →
    office days a week the engine asks of them now; ``calendar`` must cover the window)."""
    if not people:
        return {}
    units = sorted({p.unit_id for p in people})
    zone = ZoneInfo(time_zone)
    since = datetime.combine(window.first, time(), zone).astimezone(UTC)
    until = datetime.combine(window.last + timedelta(days=1), time(), zone).astimezone(UTC)
    facts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])  # employee -> [office days, any fact, away days]
    bookings = await session.execute(
        select(
            Booking.employee_id,
            func.count(case((Booking.checked_in_at.is_not(None), Booking.id))),
            func.count(Booking.id),
        )
        .join(Employee, Booking.employee_id == Employee.id)
        .where(
            Employee.org_unit_id.in_(units),
            Booking.space_kind == SpaceKind.DESK,
            Booking.status.in_(SEEN),
            Booking.start_at >= since,
            Booking.start_at < until,
        )
        .group_by(Booking.employee_id)
    )
    for employee_id, checked_in, seen in bookings:
        facts[employee_id][0] += checked_in
        facts[employee_id][1] += seen
    away = sorted(AWAY)
    reported = await session.execute(
        select(
            WorkDay.employee_id,
            func.count(case((WorkDay.actual == WorkMode.OFFICE, WorkDay.id))),
            func.count(case((WorkDay.actual.is_not(None), WorkDay.id))),
            func.count(case((WorkDay.actual.in_(away) | (WorkDay.actual.is_(None) & WorkDay.planned.in_(away)), 1))),
        )
        .join(Employee, WorkDay.employee_id == Employee.id)
        .where(Employee.org_unit_id.in_(units), WorkDay.day.between(window.first, window.last))
        .group_by(WorkDay.employee_id)
    )
    for employee_id, office, actual, away_days in reported:
        facts[employee_id][0] += office
        facts[employee_id][1] += actual
        facts[employee_id][2] += away_days
    working_days = len(calendar.working_days(window.first, window.last))
    observed: dict[int, int] = defaultdict(int)
    expected: dict[int, float] = defaultdict(float)
    evidence: dict[int, int] = defaultdict(int)
    for person in people:
        office, seen, away_days = facts.get(person.employee_id, (0, 0, 0))
        observed[person.planning_unit_id] += office
        evidence[person.planning_unit_id] += seen
        asked = weekly_office_days.get(person.employee_id, 0) * working_days / 5
        expected[person.planning_unit_id] += max(0.0, asked - away_days)
    return {
        unit: UnitRate(bounded(observed[unit], expected[unit]), observed[unit], expected[unit], True)
        if evidence[unit]
        else UnitRate(DEFAULT_ATTENDANCE_RATE, 0, expected[unit], False)
        for unit in {p.planning_unit_id for p in people}
    }
