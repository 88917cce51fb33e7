"""What each person's week asks of them, from the policy engine (:func:`~smartoffice.policies.engine.plan_week`).

The engine costs about a third of a millisecond per person-week, too much for 1,600 people x 11 weeks in a
demo that seeds in seconds, let alone 100,000 x 53 at tier L. But a week's requirements depend on far less than
the person: the policies that apply to them (their scope), their anchor days, exemptions, discipline cases,
rating, and which days of the week their tenure, exemption or case covers; and on the week only through its shape: which
days are holidays or cuti bersama and which policies are in force on each day. People alike in all of that, in
weeks of the same shape, get the same :class:`WeekNeeds`, counted in weekdays; the engine runs once per distinct
case (a few hundred at tier S). See :func:`smartoffice.policies.preview._likeness` for the same idea.
"""

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from smartoffice.policies.day_rules import Person, PolicyView
from smartoffice.policies.engine import Requirement, monday_of, plan_week, week_days
from smartoffice.workcalendar.service import WorkingCalendar


@dataclass(frozen=True, slots=True)
class WeekNeeds:
    """One person's week, by weekday (0 = Monday)."""

    working: tuple[int, ...]
    """Their working days (cuti bersama included for those who work on it)."""
    required: tuple[int, ...]
    """Days they must be in the office (public service, anchor days, not eligible for remote work)."""
    office_days: int
    """Office days the week needs."""
    exempted: bool
    """An exemption shapes the week: they are mostly remote and come in no more than asked."""
    unit_remote_percent: int | None
    """The most of a unit that may plan a remote day on one day (None: no cap)."""
    works_on_collective_leave: bool
    """Cuti bersama are working days for them (public service)."""


class NeedsPlanner:
    """Works out :class:`WeekNeeds` for people and weeks, running the engine once per distinct case."""

    def __init__(self, policies: Sequence[PolicyView], calendar: WorkingCalendar) -> None:
        self.policies = list(policies)
        self.calendar = calendar
        self._global = [p for p in self.policies if p.organisation_id is None]
        self._by_organisation: dict[int, list[PolicyView]] = defaultdict(list)
        for policy in self.policies:
            if policy.organisation_id is not None:
                self._by_organisation[policy.organisation_id].append(policy)
        self._thresholds = sorted(
            {
                p.rules.eligibility.min_days_in_post
                for p in self.policies
                if p.rules.eligibility is not None and p.rules.eligibility.min_days_in_post is not None
            }
        )
        self._group_of: dict[int, int] = {}
        """Person id → the id of the people alike in everything but tenure (see :meth:`_group`)."""
        self._groups: dict[Hashable, int] = {}
        self._applicable: list[tuple[PolicyView, ...]] = []
        self._shapes: dict[tuple[int, date], int] = {}
        self._shape_ids: dict[Hashable, int] = {}
        self._cache: dict[Hashable, WeekNeeds] = {}
        self._days: dict[date, list[date]] = {}
        self.engine_runs = 0

    def week(self, person: Person, monday: date) -> WeekNeeds:
        group = self._group_of.get(person.id)
        if group is None:
            group = self._group_of[person.id] = self._group(person)
        shape = self._shapes.get((group, monday))
        if shape is None:
            shape = self._shapes[group, monday] = self._shape(monday, self._applicable[group])
        key = (shape, group, self._personal(person, monday))
        needs = self._cache.get(key)
        if needs is None:
            needs = self._cache[key] = self._plan(person, monday, self._applicable[group])
        return needs

    def _group(self, person: Person) -> int:
        candidates = self._global + self._by_organisation.get(person.organisation_id, [])
        applicable = tuple(sorted((p for p in candidates if p.applies_to(person)), key=lambda p: p.id))
        key = (
            tuple(p.id for p in applicable),
            person.anchor_weekdays,
            person.exemptions,
            person.cases,
            person.latest_rating,
        )
        group = self._groups.get(key)
        if group is None:
            group = self._groups[key] = len(self._applicable)
            self._applicable.append(applicable)
        return group

    def _shape(self, monday: date, applicable: tuple[PolicyView, ...]) -> int:
        """The week as far as the engine can tell weeks apart: each day's calendar mark and the applicable
        policies in force on it (a policy starting or ending mid-week, an overlay, a Ramadan)."""
        days = week_days(monday)
        key = (
            tuple(self.calendar.kind(day) for day in days),
            tuple(tuple(p.id for p in applicable if p.is_in_force(day)) for day in days),
        )
        return self._shape_ids.setdefault(key, len(self._shape_ids))

    def _personal(self, person: Person, monday: date) -> Hashable:
        """What of the person themself changes from day to day: nothing for most people; for a newcomer, whether
        each day is far enough past their placement for each tenure threshold; for someone with an exemption or a
        discipline case, which days it covers."""
        days = self._days.get(monday) or self._days.setdefault(monday, week_days(monday))
        tenure = None
        if self._thresholds and (monday - person.placed_on).days < self._thresholds[-1]:
            tenure = tuple((day - person.placed_on).days >= t for day in days for t in self._thresholds)
        if not person.exemptions and not person.cases:
            return tenure
        return (
            tenure,
            tuple(e.covers(day) for e in person.exemptions for day in days),
            tuple(c.is_open_on(day) for c in person.cases for day in days),
        )

    def _plan(self, person: Person, monday: date, applicable: tuple[PolicyView, ...]) -> WeekNeeds:
        self.engine_runs += 1
        plan = plan_week(person, monday, monday, applicable, self.calendar, {})
        working = plan.working_days
        return WeekNeeds(
            working=tuple(d.day.weekday() for d in working),
            required=tuple(d.day.weekday() for d in working if d.requirement == Requirement.REQUIRED),
            office_days=plan.office_days_needed,
            exempted=any(d.rules is not None and d.rules.exemption is not None for d in working),
            unit_remote_percent=next(
                (d.rules.rules.max_unit_remote_percent for d in working if d.rules is not None), None
            ),
            works_on_collective_leave=any(
                d.rules is not None and d.rules.rules.works_on_collective_leave for d in working
            ),
        )


def mondays(first: date, last: date) -> list[date]:
    """The Mondays of the weeks from ``first``'s to ``last``'s."""
    monday = monday_of(first)
    result = []
    while monday <= last:
        result.append(monday)
        monday += timedelta(weeks=1)
    return result
