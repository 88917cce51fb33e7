"""The rules in force for one person on one day, and why: the first half of the policy engine. Pure.

:func:`rules_on` matches the policies whose scope and dates fit the person (:class:`PolicyView`,
:class:`Person`), combines the base policies by the strictest statement
(:func:`~smartoffice.policies.rules.strictest`), lets overlays replace what they state, and then lets an approved
exemption replace the remote-day cap and the eligibility criteria it is decided against, on the days it allows more
remote days than those rules do (never a discipline case, unless the unit head decided so). Each rule in force keeps
the policy that states it (:attr:`DayRules.sources`), so that every reason and refusal cites the rule that binds.
:mod:`~smartoffice.policies.engine` plans and judges a week from these day rules.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from smartoffice.people.models import EmploymentType, PositionKind
from smartoffice.policies.models import CaseStatus, PolicyLevel, Rating, WorkMode
from smartoffice.policies.rules import Eligibility, PolicyRules, overlaid, strictest

WEEK = 7
WORKING_WEEKDAYS = 5
AWAY = frozenset({WorkMode.LEAVE, WorkMode.DUTY_TRAVEL})
"""Modes that excuse a working day: cuti, dinas luar."""


@dataclass(frozen=True, slots=True)
class PolicyView:
    """A policy as the engine sees it: scope, dates and parsed rules."""

    id: int
    code: str
    name: str
    level: PolicyLevel
    is_overlay: bool
    legal_basis: str
    effective_from: date
    effective_until: date | None
    rules: PolicyRules
    organisation_id: int | None = None
    org_unit_id: int | None = None
    position_kind: PositionKind | None = None
    position_level: str | None = None
    employment_type: EmploymentType | None = None
    building_id: int | None = None
    employee_id: int | None = None
    set_by: str | None = None
    """Who decided it, as the decree names them (shown with the policy, not used by the engine; None: a draft)."""

    def is_in_force(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_until is None or day <= self.effective_until)

    def applies_to(self, person: "Person") -> bool:
        return (
            (self.organisation_id is None or self.organisation_id == person.organisation_id)
            and (self.org_unit_id is None or self.org_unit_id in person.unit_path)
            and (self.position_kind is None or self.position_kind == person.position_kind)
            and (self.position_level is None or self.position_level == person.position_level)
            and (self.employment_type is None or self.employment_type == person.employment_type)
            and (self.building_id is None or self.building_id in person.building_ids)
            and (self.employee_id is None or self.employee_id == person.id)
        )


@dataclass(frozen=True, slots=True)
class Case:
    status: CaseStatus
    opened_on: date
    closed_on: date | None

    def is_open_on(self, day: date) -> bool:
        if self.status == CaseStatus.CLOSED:
            return self.opened_on <= day and self.closed_on is not None and day < self.closed_on
        return self.opened_on <= day


@dataclass(frozen=True, slots=True)
class ExemptionView:
    id: int
    remote_days_per_week: int
    starts_on: date
    ends_on: date
    overrides_discipline: bool = False
    """The unit head decided it holds even while a disciplinary case is open (else a case suspends it)."""

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True, slots=True)
class Person:
    """What policies are evaluated against, for one employee."""

    id: int
    organisation_id: int
    unit_path: tuple[int, ...]
    """The person's unit, then its ancestors up to the Eselon I unit."""
    position_kind: PositionKind
    position_level: str | None
    employment_type: EmploymentType
    placed_on: date
    supervisor_id: int | None = None
    building_ids: frozenset[int] = frozenset()
    """Buildings with a zone assigned to the person's unit or an ancestor (their home buildings)."""
    cases: tuple[Case, ...] = ()
    latest_rating: Rating | None = None
    exemptions: tuple[ExemptionView, ...] = ()
    """Approved exemptions only."""
    anchor_weekdays: frozenset[int] = frozenset()
    """The anchor weekdays of the nearest unit on the path that has any."""


class ReasonCode(StrEnum):
    OFFICE_EVERY_WORKING_DAY = "OFFICE_EVERY_WORKING_DAY"
    ANCHOR_DAY = "ANCHOR_DAY"
    NOT_ELIGIBLE = "NOT_ELIGIBLE"
    OPEN_DISCIPLINE_CASE = "OPEN_DISCIPLINE_CASE"
    TOO_NEW_IN_POST = "TOO_NEW_IN_POST"
    RATING_NOT_ALLOWED = "RATING_NOT_ALLOWED"
    MAX_REMOTE_DAYS = "MAX_REMOTE_DAYS"
    MIN_OFFICE_DAYS = "MIN_OFFICE_DAYS"
    SUPERVISOR_COPRESENCE = "SUPERVISOR_COPRESENCE"
    EXEMPTION = "EXEMPTION"


@dataclass(frozen=True, slots=True)
class Reason:
    """Why: a rule, the policy that states it (None for facts such as a case), and the numbers involved."""

    code: ReasonCode
    policy: PolicyView | None = None
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DayRules:
    day: date
    rules: PolicyRules
    sources: Mapping[str, PolicyView]
    """For each rule field, the policy whose statement is in force (the strictest, or the overlay); each eligibility
    criterion also under ``eligibility.<criterion>``, as several levels may state different criteria."""
    exemption: ExemptionView | None
    ineligible: tuple[Reason, ...]
    """Why the person may have no remote day, if they may not. An exemption lifts the criteria it is decided
    against (tenure, rating), never an open disciplinary case unless it says so (``overrides_discipline``)."""

    @property
    def max_remote(self) -> int:
        if self.rules.office_every_working_day or self.ineligible:
            return 0
        if self.exemption is not None:
            return _granted(self.exemption, self.rules)
        stated = self.rules.max_remote_days_per_week
        return WORKING_WEEKDAYS if stated is None else stated

    @property
    def min_office(self) -> int:
        if self.exemption is not None:
            return WORKING_WEEKDAYS - self.max_remote
        return self.rules.min_office_days_per_week or 0

    @property
    def max_remote_source(self) -> PolicyView | None:
        """The policy behind :attr:`max_remote`: the public-service policy when it allows none, the eligibility
        criterion the person fails, else the cap's own (None under an exemption, which is a decision, not a
        policy)."""
        if self.rules.office_every_working_day:
            return self.sources.get("office_every_working_day")
        if self.ineligible:
            return next((reason.policy for reason in self.ineligible if reason.policy is not None), None)
        if self.exemption is not None:
            return None
        return self.sources.get("max_remote_days_per_week")

    @property
    def prorates(self) -> bool:
        return bool(self.rules.prorate_short_weeks)


def rules_on(day: date, person: Person, policies: Sequence[PolicyView]) -> DayRules:
    """The rules in force for ``person`` on ``day``, with the policy behind each."""
    matching = [p for p in policies if p.is_in_force(day) and p.applies_to(person)]
    base = sorted((p for p in matching if not p.is_overlay), key=lambda p: (p.level, p.effective_from, p.id))
    overlays = sorted((p for p in matching if p.is_overlay), key=lambda p: (p.level, p.effective_from, p.id))
    rules = strictest([p.rules for p in base])
    sources = _sources(rules, base)
    for overlay in overlays:
        rules = overlaid(rules, overlay.rules)
        sources.update(_stated_by(overlay))
        sources.update(_criteria_stated_by(overlay, overlay.rules.eligibility))
    exemption = next((e for e in person.exemptions if e.covers(day)), None)
    ineligible = _ineligibility(day, person, rules, sources)
    if exemption is not None:
        # An exemption is decided against the criteria of special circumstances (tenure, rating); a disciplinary
        # case suspends remote work under it too (PermenPANRB 4/2025 Pasal 25), unless the unit head decided
        # otherwise. The case is then the reason shown.
        kept = tuple(
            reason
            for reason in ineligible
            if reason.code == ReasonCode.OPEN_DISCIPLINE_CASE and not exemption.overrides_discipline
        )
        if kept:
            exemption = None
            ineligible = tuple(Reason(r.code, r.policy, {**r.params, "suspends_exemption": True}) for r in kept)
        elif not ineligible and _granted(exemption, rules) <= _allowed(rules):
            exemption = None  # the rules already allow as many remote days: the exemption changes nothing that day
        else:
            ineligible = ()
    return DayRules(day, rules, sources, exemption, ineligible)


def _granted(exemption: ExemptionView, rules: PolicyRules) -> int:
    """The remote days a week an exemption gives, within the most the policies let an exemption grant."""
    cap = rules.exemption_max_remote_days
    return exemption.remote_days_per_week if cap is None else min(exemption.remote_days_per_week, cap)


def _allowed(rules: PolicyRules) -> int:
    """The remote days a week the rules allow an eligible person without an exemption."""
    if rules.office_every_working_day:
        return 0
    cap = WORKING_WEEKDAYS if rules.max_remote_days_per_week is None else rules.max_remote_days_per_week
    return min(cap, WORKING_WEEKDAYS - (rules.min_office_days_per_week or 0))


def _stated_by(policy: PolicyView) -> dict[str, PolicyView]:
    defaults = PolicyRules()
    return {
        name: policy for name in PolicyRules.__struct_fields__ if getattr(policy.rules, name) != getattr(defaults, name)
    }


def _sources(combined: PolicyRules, base: Sequence[PolicyView]) -> dict[str, PolicyView]:
    """The most specific policy stating each combined value (ties go to the higher level number)."""
    sources: dict[str, PolicyView] = {}
    for policy in base:
        for name in _stated_by(policy):
            if name == "eligibility" or getattr(policy.rules, name) == getattr(combined, name):
                sources[name] = policy
        sources.update(_criteria_stated_by(policy, combined.eligibility))
    return sources


def _criteria_stated_by(policy: PolicyView, combined: Eligibility | None) -> dict[str, PolicyView]:
    """The eligibility criteria ``policy`` states that are in force in ``combined``, keyed ``eligibility.<name>``.

    Rating sets of several levels intersect, so each of them is in force; the most specific one is named.
    """
    stated = policy.rules.eligibility
    if stated is None or combined is None:
        return {}
    criteria: dict[str, PolicyView] = {}
    if stated.no_discipline_case and combined.no_discipline_case:
        criteria["eligibility.no_discipline_case"] = policy
    if stated.min_days_in_post is not None and stated.min_days_in_post == combined.min_days_in_post:
        criteria["eligibility.min_days_in_post"] = policy
    if stated.ratings is not None and combined.ratings is not None:
        criteria["eligibility.ratings"] = policy
    return criteria


def _ineligibility(
    day: date, person: Person, rules: PolicyRules, sources: Mapping[str, PolicyView]
) -> tuple[Reason, ...]:
    eligibility = rules.eligibility
    if eligibility is None:
        return ()

    def source(criterion: str) -> PolicyView | None:
        return sources.get(f"eligibility.{criterion}", sources.get("eligibility"))

    reasons = []
    if eligibility.no_discipline_case and any(case.is_open_on(day) for case in person.cases):
        reasons.append(Reason(ReasonCode.OPEN_DISCIPLINE_CASE, source("no_discipline_case")))
    days_in_post = (day - person.placed_on).days
    if eligibility.min_days_in_post is not None and days_in_post < eligibility.min_days_in_post:
        needed = eligibility.min_days_in_post
        reasons.append(
            Reason(ReasonCode.TOO_NEW_IN_POST, source("min_days_in_post"), {"days": days_in_post, "needed": needed})
        )
    if eligibility.ratings is not None and person.latest_rating not in eligibility.ratings:
        # The ratings themselves, not words: smartoffice.policies.wording labels them in the reader's language.
        params = {"rating": person.latest_rating, "allowed": tuple(eligibility.ratings)}
        reasons.append(Reason(ReasonCode.RATING_NOT_ALLOWED, source("ratings"), params))
    return tuple(reasons)
