"""What the policy engine asks of each person in a week, for thousands of people at once.

:func:`~smartoffice.policies.engine.plan_week` is run as it is, but once per *kind* of person rather than once per
person: two people whose applicable policies, anchor days, exemptions and (where a policy's eligibility reads
them) discipline cases, rating and tenure are the same get the same week. A tier-M campus (12,000 people) has a
few thousand kinds; each is planned once, and the policies are matched per group of unit, position and
employment type (an index by unit), not per person against every policy.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from smartoffice.policies.day_rules import Person, PolicyView, ReasonCode
from smartoffice.policies.engine import Requirement, plan_week
from smartoffice.workcalendar.service import WorkingCalendar


@dataclass(frozen=True, slots=True)
class WeekNeeds:
    """One person's week as the engine plans it (with no attendance: requirements only)."""

    working: tuple[date, ...]
    """The person's working days (cuti bersama are working days for those whose rules say so)."""
    required: frozenset[date]
    """Days with a reason of their own: public service, the unit's anchor days, not eligible for remote days."""
    anchor_days: frozenset[date]
    """The required days that are required as anchor days."""
    office_days: int
    """Office days needed in the week (required ones included)."""
    every_day: bool
    """In the office on every working day (public service, not eligible for remote days, or a minimum of office
    days as large as the week)."""
    public_service: bool
    """``office_every_working_day`` on every working day."""
    anchors_required: bool
    """``anchor_days_required`` on some working day."""

    @property
    def flexible_office_days(self) -> int:
        """Office days to choose beyond the required ones."""
        return max(0, self.office_days - len(self.required))


@dataclass(frozen=True, slots=True)
class _Kind:
    """What a person's week depends on beyond the week's own facts, computed once per person."""

    policies: tuple[PolicyView, ...]
    policy_ids: tuple[int, ...]
    tenures: tuple[int, ...]
    """The ``min_days_in_post`` their eligibility criteria state."""
    cases_matter: bool
    rating_matters: bool


class PolicyIndex:
    """The policies of a range, indexed by unit and person: which apply to a person, worked out once per person
    (and once per group of unit, position and employment type) however many weeks are planned."""

    def __init__(self, policies: Sequence[PolicyView]) -> None:
        self.policies = list(policies)
        self._by_unit: dict[int | None, list[PolicyView]] = defaultdict(list)
        self._by_employee: dict[int, list[PolicyView]] = defaultdict(list)
        for policy in policies:
            if policy.employee_id is not None:
                self._by_employee[policy.employee_id].append(policy)
            else:
                self._by_unit[policy.org_unit_id].append(policy)
        self._groups: dict[tuple[object, ...], tuple[PolicyView, ...]] = {}
        self._kinds: dict[int, _Kind] = {}

    def kind(self, person: Person) -> _Kind:
        kind = self._kinds.get(person.id)
        if kind is not None:
            return kind
        group = (
            person.organisation_id,
            person.unit_path,
            person.position_kind,
            person.position_level,
            person.employment_type,
            person.building_ids,
        )
        policies = self._groups.get(group)
        if policies is None:
            candidates = [
                *self._by_unit.get(None, ()),
                *(p for u in person.unit_path for p in self._by_unit.get(u, ())),
            ]
            policies = tuple(sorted((p for p in candidates if p.applies_to(person)), key=lambda p: p.id))
            self._groups[group] = policies
        if own := self._by_employee.get(person.id):
            policies += tuple(p for p in own if p.applies_to(person))
        eligibility = [p.rules.eligibility for p in policies if p.rules.eligibility is not None]
        kind = self._kinds[person.id] = _Kind(
            policies,
            tuple(p.id for p in policies),
            tuple(sorted({e.min_days_in_post for e in eligibility if e.min_days_in_post is not None})),
            any(e.no_discipline_case for e in eligibility),
            any(e.ratings is not None for e in eligibility),
        )
        return kind


class WeekNeedsPlanner:
    """Plans the weeks of many people under one set of policies and one calendar, memoised by kind of person.

    Two person-weeks share a plan when everything :func:`plan_week` reads is the same day by day: the calendar's
    marks, the applicable policies in force, the anchor weekdays, the exemption and open case (where eligibility
    reads cases) covering each day, the rating (where it is read) and on which days the tenure criteria are met.
    Weeks with the same shape (most weeks of a quarter) are planned once and shifted. The same person-week is the
    same :class:`WeekNeeds` object, so callers may group people by its ``id``.
    """

    def __init__(self, policies: Sequence[PolicyView] | PolicyIndex, calendar: WorkingCalendar) -> None:
        self.calendar = calendar
        self.index = policies if isinstance(policies, PolicyIndex) else PolicyIndex(policies)
        self._patterns: dict[tuple[tuple[int, ...], date], int] = {}
        self._interned: dict[tuple[object, ...], int] = {}
        self._shapes: dict[tuple[object, ...], tuple[date, WeekNeeds]] = {}
        self._weeks: dict[tuple[tuple[object, ...], date], WeekNeeds] = {}

    def needs(self, person: Person, monday: date) -> WeekNeeds:
        """The person's week of ``monday``."""
        kind = self.index.kind(person)
        pattern = self._patterns.get((kind.policy_ids, monday))
        if pattern is None:
            pattern = self._pattern(kind, monday)
        in_post = (monday - person.placed_on).days
        shape = (
            pattern,
            person.anchor_weekdays,
            self._exemption_days(person, monday) if person.exemptions else (),
            self._case_days(person, monday) if kind.cases_matter and person.cases else (),
            person.latest_rating if kind.rating_matters else None,
            tuple(min(7, max(0, t - in_post)) for t in kind.tenures),
        )
        found = self._weeks.get((shape, monday))
        if found is None:
            seen = self._shapes.get(shape)
            if seen is None:
                found = self._plan(person, monday, kind.policies)
                self._shapes[shape] = (monday, found)
            else:
                found = _shifted(seen[1], monday - seen[0])
            self._weeks[shape, monday] = found
        return found

    def _pattern(self, kind: _Kind, monday: date) -> int:
        """A small number for the week's calendar marks and which of the policies are in force each day: equal
        for two weeks that look the same to these policies."""
        days = [monday + timedelta(days=n) for n in range(7)]
        # A weekend's holiday changes nothing (it is no working day either way); an override making it one does.
        marks = tuple(self.calendar.kind(d) if d.weekday() < 5 else self.calendar.is_working_day(d) for d in days)
        in_force = tuple(tuple(p.id for p in kind.policies if p.is_in_force(day)) for day in days)
        pattern = self._interned.setdefault((marks, in_force), len(self._interned))
        self._patterns[kind.policy_ids, monday] = pattern
        return pattern

    @staticmethod
    def _exemption_days(person: Person, monday: date) -> tuple[tuple[int, bool] | None, ...]:
        days = [monday + timedelta(days=n) for n in range(7)]
        return tuple(
            next(((e.remote_days_per_week, e.overrides_discipline) for e in person.exemptions if e.covers(d)), None)
            for d in days
        )

    @staticmethod
    def _case_days(person: Person, monday: date) -> tuple[bool, ...]:
        return tuple(any(c.is_open_on(monday + timedelta(days=n)) for c in person.cases) for n in range(7))

    def _plan(self, person: Person, monday: date, policies: Sequence[PolicyView]) -> WeekNeeds:
        plan = plan_week(person, monday, monday, policies, self.calendar, {})
        working = plan.working_days
        required = [d for d in working if d.requirement == Requirement.REQUIRED]
        public = bool(working) and all(
            any(r.code == ReasonCode.OFFICE_EVERY_WORKING_DAY for r in d.reasons) for d in working
        )
        return WeekNeeds(
            working=tuple(d.day for d in working),
            required=frozenset(d.day for d in required),
            anchor_days=frozenset(d.day for d in required if any(r.code == ReasonCode.ANCHOR_DAY for r in d.reasons)),
            office_days=plan.office_days_needed,
            every_day=bool(working) and plan.office_days_needed >= len(working),
            public_service=public,
            anchors_required=any(d.rules is not None and d.rules.rules.anchor_days_required for d in working),
        )


def _shifted(needs: WeekNeeds, offset: timedelta) -> WeekNeeds:
    return replace(
        needs,
        working=tuple(d + offset for d in needs.working),
        required=frozenset(d + offset for d in needs.required),
        anchor_days=frozenset(d + offset for d in needs.anchor_days),
    )
