"""What a policy change would do, before it is made: whom it covers and how their weeks change.

A preview answers for a draft (a policy about to be created) or for ending a policy on a day. It counts the active
people in the policy's scope on its first day, in SQL, then works out the **sample week** (the first full week,
Monday to Friday, in which the change holds) for up to :data:`MAX_PREVIEW_PEOPLE` of them with the engine, twice:
with the policies as they are and as they would be. It compares per person the office days the week needs (and
which days are required), the remote days it allows, and whether they are eligible for remote days at all, and
names up to :data:`MAX_EXAMPLES` of the people whose week changes.

The cost is bounded: one count, one bounded list of ids, the engine's bulk loaders
(:mod:`~smartoffice.policies.facts`: a fixed number of ``IN (...)`` queries), the calendar, and one query for the
examples' names. No attendance is read: the preview compares what the weeks *require*, not what people did.

A preview refuses what :func:`~smartoffice.policies.policy_changes.create_policy` and
:func:`~smartoffice.policies.policy_changes.end_policy` would refuse, with the same errors (:func:`check_draft`
runs create_policy's own checks, :func:`~smartoffice.policies.policy_changes.checked_draft`), and changes nothing.
"""

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from smartoffice.errors import CommonInputCode, InvalidInput, NotFound, PermissionDenied
from smartoffice.people.models import Employee, OrgUnit
from smartoffice.places.models import Floor, Zone
from smartoffice.policies.catalogue import ScopeNames, scope_names
from smartoffice.policies.day_rules import Person, PolicyView
from smartoffice.policies.engine import Requirement, WeekPlan, monday_of, plan_week
from smartoffice.policies.errors import PolicyPermissionCode
from smartoffice.policies.facts import load_people, load_policies_for, policy_view
from smartoffice.policies.models import Policy, PolicyLevel
from smartoffice.policies.policy_changes import SCOPE_COLUMNS, PolicyDraft, checked_draft, may_set
from smartoffice.workcalendar.service import load_calendar

MAX_PREVIEW_PEOPLE = 5_000
"""The most people whose weeks a preview works out (two engine runs each); beyond, the preview says it counted
everyone in scope but compared the first 5,000 (by id)."""
MAX_EXAMPLES = 20
"""The people whose week changes that a preview names."""
DRAFT_ID = 0
"""The id a draft carries in the engine (no stored policy has it)."""


@dataclass(frozen=True, slots=True)
class WeekFigures:
    """What one person's sample week requires."""

    office_days_needed: int
    remote_days_allowed: int
    required_days: tuple[date, ...]
    """The working days required in the office (public service, anchor days, not eligible)."""
    eligible: bool
    """Eligible for remote days on every working day of the week (no eligibility criterion fails)."""

    @classmethod
    def of(cls, plan: WeekPlan) -> "WeekFigures":
        working = plan.working_days
        return cls(
            plan.office_days_needed,
            plan.remote_days_allowed,
            tuple(day.day for day in working if day.requirement == Requirement.REQUIRED),
            not any(day.rules is not None and day.rules.ineligible for day in working),
        )


@dataclass(frozen=True, slots=True)
class PersonChange:
    """A person whose sample week changes: their week before and after."""

    employee: Employee
    """With their unit and its organisation loaded."""
    before: WeekFigures
    after: WeekFigures


@dataclass(frozen=True, slots=True)
class Transition:
    """How many people go from ``before`` to ``after`` (office days needed, remote days allowed, eligible)."""

    before: int
    after: int
    people: int


@dataclass(frozen=True, slots=True)
class PolicyPreview:
    policy: PolicyView
    """The draft (id 0) or the policy to end, as it is now."""
    ending_after: date | None
    """For ending: the new last day; None for a new policy."""
    monday: date
    """The sample week's Monday."""
    people_in_scope: int
    """Active people the policy covers on its first day (for ending: on the first day without it)."""
    people_compared: int
    """Whose weeks were worked out: everyone in scope, up to :data:`MAX_PREVIEW_PEOPLE`."""
    people_changed: int
    office_days_changed: int
    remote_allowance_changed: int
    eligibility_changed: int
    office_days: tuple[Transition, ...]
    """Office days needed in the week, before → after, for the people whose number changes (most people first)."""
    remote_days: tuple[Transition, ...]
    eligibility: tuple[Transition, ...]
    """1 → 0: loses eligibility; 0 → 1: gains it."""
    examples: tuple[PersonChange, ...]
    """Up to :data:`MAX_EXAMPLES` people whose week changes, by name."""
    scope: ScopeNames
    """The names the policy's scope refers to."""

    @property
    def is_capped(self) -> bool:
        return self.people_compared < self.people_in_scope


async def check_draft(session: AsyncSession, actor_id: int, draft: PolicyDraft) -> PolicyView:
    """The draft as the engine would see it, if :func:`~smartoffice.policies.policy_changes.create_policy` would
    accept it from ``actor_id`` (its own checks, raising the same errors); nothing is written."""
    rules = await checked_draft(session, actor_id, draft)
    scope = {column: draft.scope.get(column) for column in SCOPE_COLUMNS}
    return PolicyView(
        id=DRAFT_ID,
        code=draft.code.strip(),
        name=draft.name.strip(),
        level=PolicyLevel(draft.level),
        is_overlay=draft.is_overlay,
        legal_basis=draft.legal_basis.strip(),
        effective_from=draft.effective_from,
        effective_until=draft.effective_until,
        rules=rules,
        **scope,
    )


async def preview_new(session: AsyncSession, actor_id: int, draft: PolicyDraft) -> PolicyPreview:
    """A new policy: its people on its first day and their first full week under it, without and with it."""
    view = await check_draft(session, actor_id, draft)
    monday = sample_week(view.effective_from, view.effective_until)
    return await _compare(session, view, None, view, monday, ending_after=None)


async def preview_end(session: AsyncSession, actor_id: int, policy_id: int, last_day: date) -> PolicyPreview:
    """Ending a policy after ``last_day``: the people it covers and the first full week without it, with the
    policy as it is and as ended. Refuses what :func:`~smartoffice.policies.policy_changes.end_policy` refuses."""
    policy = await session.get(Policy, policy_id)
    if policy is None:
        raise NotFound("Policy", policy_id)
    if not await may_set(session, actor_id, policy.level, policy.is_overlay, policy.org_unit_id):
        raise PermissionDenied(PolicyPermissionCode.NOT_YOUR_POLICY)
    if last_day < policy.effective_from:
        raise InvalidInput("lastDay", CommonInputCode.RANGE_REVERSED)
    view = policy_view(policy)
    ended = replace(view, effective_until=last_day)
    old_until = view.effective_until
    first_changed = min(last_day, old_until) + timedelta(days=1) if old_until is not None else last_day + timedelta(1)
    last_changed = None if old_until is None else max(last_day, old_until)
    monday = sample_week(first_changed, last_changed)
    return await _compare(session, view, view, ended, monday, ending_after=last_day)


def sample_week(first: date, last: date | None) -> date:
    """The Monday of the first full week (Monday to Friday) from ``first`` to ``last``; when the span holds no full
    week, the week of ``first``."""
    monday = monday_of(first)
    if first > monday:
        monday += timedelta(days=7)
    if last is not None and monday + timedelta(days=4) > last:
        return monday_of(first)
    return monday


async def _compare(
    session: AsyncSession,
    scope: PolicyView,
    before: PolicyView | None,
    after: PolicyView | None,
    monday: date,
    *,
    ending_after: date | None,
) -> PolicyPreview:
    sunday = monday + timedelta(days=6)
    query = people_in_scope(scope)
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    ids: list[int] = list(await session.scalars(query.order_by(Employee.id).limit(MAX_PREVIEW_PEOPLE)))
    persons = [p for p in (await load_people(session, ids, monday, sunday)).values() if scope.applies_to(p)]
    others = [p for p in await load_policies_for(session, monday, sunday, persons) if p.id != scope.id]
    calendar = await load_calendar(session, monday, sunday)
    with_before = others + ([before] if before else [])
    with_after = others + ([after] if after else [])
    changes: dict[int, tuple[WeekFigures, WeekFigures]] = {}
    worked_out: dict[Hashable, tuple[WeekFigures, WeekFigures]] = {}
    key = _likeness(monday, with_before + with_after)
    for person in persons:
        pair = worked_out.get(likeness := key(person))
        if pair is None:
            old = WeekFigures.of(plan_week(person, monday, monday, with_before, calendar, {}))
            new = WeekFigures.of(plan_week(person, monday, monday, with_after, calendar, {}))
            pair = worked_out[likeness] = (old, new)
        if pair[0] != pair[1]:
            changes[person.id] = pair
    figures = list(changes.values())
    examples = [PersonChange(e, *changes[e.id]) for e in await _first_by_name(session, list(changes), MAX_EXAMPLES)]
    return PolicyPreview(
        policy=scope,
        ending_after=ending_after,
        monday=monday,
        people_in_scope=total,
        people_compared=len(persons),
        people_changed=len(changes),
        office_days_changed=sum(
            (old.office_days_needed, old.required_days) != (new.office_days_needed, new.required_days)
            for old, new in figures
        ),
        remote_allowance_changed=sum(old.remote_days_allowed != new.remote_days_allowed for old, new in figures),
        eligibility_changed=sum(old.eligible != new.eligible for old, new in figures),
        office_days=_transitions((old.office_days_needed, new.office_days_needed) for old, new in figures),
        remote_days=_transitions((old.remote_days_allowed, new.remote_days_allowed) for old, new in figures),
        eligibility=_transitions((int(old.eligible), int(new.eligible)) for old, new in figures),
        examples=tuple(examples),
        scope=await scope_names(session, scope),
    )


def _likeness(monday: date, policies: Sequence[PolicyView]) -> Callable[[Person], Hashable]:
    """A key equal for two people whose sample weeks the engine works out alike, so that a unit of 5,000 costs a
    few dozen engine runs (one run takes milliseconds).

    A week's figures depend on everything about a person but their id (unless a policy names them), their
    supervisor (co-presence days are not compared) and the day they took up their post, which counts only against
    the policies' ``min_days_in_post``: the key keeps, instead of the day, whether it is far enough back for each
    threshold on each day of the week."""
    named = {p.employee_id for p in policies if p.employee_id is not None}
    thresholds = sorted(
        {
            p.rules.eligibility.min_days_in_post
            for p in policies
            if p.rules.eligibility is not None and p.rules.eligibility.min_days_in_post is not None
        }
    )
    days = [monday + timedelta(days=n) for n in range(7)]

    def key(person: Person) -> Hashable:
        in_post = tuple((day - person.placed_on).days >= needed for day in days for needed in thresholds)
        anyone = replace(person, id=person.id if person.id in named else 0, supervisor_id=None, placed_on=monday)
        return anyone, in_post

    return key


def people_in_scope(policy: PolicyView) -> Select[Any]:
    """The ids of the active people ``policy``'s scope covers (what :meth:`PolicyView.applies_to` accepts, in SQL:
    a unit covers its subtree; a building, the subtrees of the units with a zone in it)."""
    query = select(Employee.id).where(Employee.active.is_(True))
    if policy.organisation_id is not None:
        units = select(OrgUnit.id).where(OrgUnit.organisation_id == policy.organisation_id)
        query = query.where(Employee.org_unit_id.in_(units))
    if policy.org_unit_id is not None:
        query = query.where(
            Employee.org_unit_id.in_(_subtree(select(OrgUnit.id).where(OrgUnit.id == policy.org_unit_id), "unit_tree"))
        )
    if policy.building_id is not None:
        zoned = (
            select(Zone.org_unit_id)
            .join(Floor, Zone.floor_id == Floor.id)
            .where(Floor.building_id == policy.building_id, Zone.org_unit_id.is_not(None))
        )
        query = query.where(
            Employee.org_unit_id.in_(_subtree(select(OrgUnit.id).where(OrgUnit.id.in_(zoned)), "zoned_tree"))
        )
    if policy.position_kind is not None:
        query = query.where(Employee.position_kind == policy.position_kind)
    if policy.position_level is not None:
        query = query.where(Employee.position_level == policy.position_level)
    if policy.employment_type is not None:
        query = query.where(Employee.employment_type == policy.employment_type)
    if policy.employee_id is not None:
        query = query.where(Employee.id == policy.employee_id)
    return query


def _subtree(roots: Select[Any], name: str) -> Select[Any]:
    tree = roots.cte(name, recursive=True)
    tree = tree.union_all(select(OrgUnit.id).join(tree, OrgUnit.parent_id == tree.c.id))
    return select(tree.c.id)


async def _first_by_name(session: AsyncSession, ids: Sequence[int], limit: int) -> list[Employee]:
    if not ids:
        return []
    rows = await session.scalars(
        select(Employee)
        .where(Employee.id.in_(ids))
        .options(joinedload(Employee.org_unit).joinedload(OrgUnit.organisation))
        .order_by(Employee.name, Employee.id)
        .limit(limit)
    )
    return list(rows)


def _transitions(pairs: Iterable[tuple[int, int]]) -> tuple[Transition, ...]:
    counts = Counter((before, after) for before, after in pairs if before != after)
    return tuple(
        Transition(before, after, people)
        for (before, after), people in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    )
