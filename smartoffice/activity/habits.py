"""People's habits, drawn once, and the week each of them chooses within what the policies ask.

A habit is what makes history predictive: a person prefers some weekdays (most prefer Tuesday to Thursday and
avoid Friday) and comes on their unit's anchor day even when not required to; a few come in more than asked; some
book late and miss a booking now and then more than others. Each week they then

1. take leave (*cuti*) or go on duty travel (*dinas luar*) now and then, which excuses required and office days one
   for one (as the engine counts them);
2. come on every required day not away, and on as many more of their preferred days as the week's office days
   need, plus, for the keen, a day or two beyond;
3. and, for about half of them, plan the other working days as remote days (WFH at the registered home), as long
   as their unit keeps within its remote share that day.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from smartoffice.activity.needs import WeekNeeds

WEEKDAY_LIKING = (1.0, 1.25, 1.25, 1.15, 0.6)
"""How much people like to come in, Monday to Friday, before their own taste."""
ANCHOR_PULL = 3.0
"""A flexible day that is the unit's anchor day: the team is in, so people come."""
LEAVE_WEEKS, TRAVEL_WEEKS = 0.07, 0.04
"""The share of person-weeks with some leave, and with some duty travel."""
SPELLS = (1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 5, 5)
"""How long a spell of leave or travel lasts, in working days (45 % one day, 25 % two, 20 % three, 10 % five)."""
PLANS_REMOTE = 0.55
"""The share of people who record their remote days in the app (the others just do not book)."""


class Mode(Enum):
    OFFICE = "office"
    HOME = "home"
    LEAVE = "leave"
    DUTY_TRAVEL = "duty_travel"


@dataclass(frozen=True, slots=True)
class Habits:
    liking: tuple[float, ...]
    """Weight of each weekday, Monday to Sunday (weekends count only for those who work them)."""
    keenness: float
    """The chance of coming in on a flexible day beyond the office days needed."""
    no_show: float
    """The chance of not turning up to a booking."""
    plans_remote: bool


def draw_habits(rng: random.Random, is_manager: bool, anchors: frozenset[int]) -> Habits:
    liking = [base * rng.lognormvariate(0, 0.5) for base in (*WEEKDAY_LIKING, 0.5, 0.5)]
    for weekday in anchors:
        liking[weekday] *= ANCHOR_PULL
    keenness = 0.3 if is_manager else rng.choices((0.02, 0.15, 0.4), (75, 18, 7))[0]
    return Habits(tuple(liking), keenness, min(0.5, rng.expovariate(10)), rng.random() < PLANS_REMOTE)


def choose_week(draw: Callable[[], float], habits: Habits, needs: WeekNeeds, *, away: bool = True) -> dict[int, Mode]:
    """The person's plan for the week's working days, by weekday (days left out: no plan, or remote unrecorded).
    ``draw`` is the week's ``Random.random``; ``away``: some weeks have leave or duty travel."""
    working = needs.working
    plan: dict[int, Mode] = {}
    for chance, mode in ((LEAVE_WEEKS, Mode.LEAVE), (TRAVEL_WEEKS, Mode.DUTY_TRAVEL)):
        if away and draw() < chance:
            free = [d for d in working if d not in plan]
            length = min(len(free), SPELLS[int(draw() * len(SPELLS))])
            start = int(draw() * (len(free) - length + 1))
            plan.update(dict.fromkeys(free[start : start + length], mode))
    office = [d for d in needs.required if d not in plan]
    flexible = [d for d in working if d not in plan and d not in office]
    still_needed = needs.office_days - len(plan) - len(office)
    while still_needed > 0 and flexible:
        day = _weighted_pick(draw, flexible, habits.liking)
        office.append(day)
        flexible.remove(day)
        still_needed -= 1
    if not needs.exempted and habits.keenness:
        office += [d for d in flexible if draw() < habits.keenness]
    plan.update(dict.fromkeys(office, Mode.OFFICE))
    if habits.plans_remote:
        plan.update({d: Mode.HOME for d in working if d not in plan})
    return plan


def _weighted_pick(draw: Callable[[], float], days: list[int], liking: tuple[float, ...]) -> int:
    """One of ``days``, in proportion to how much the person likes each."""
    point = draw() * sum(liking[d] for d in days)
    for day in days:
        point -= liking[day]
        if point < 0:
            return day
    return days[-1]
