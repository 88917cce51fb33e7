"""The rules in force for one person on one day, read on their own (not as part of a week).

For the checks that need one day's rules of one person and nothing else: whether they work on a cuti bersama
(:mod:`~smartoffice.policies.collective_leave`), where they may work a remote day
(:mod:`~smartoffice.policies.remote_locations`). A handful of queries; runs inside the caller's transaction.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.policies.day_rules import DayRules, Person, PolicyView, rules_on
from smartoffice.policies.facts import load_people, load_policies_for


@dataclass(frozen=True, slots=True)
class PersonDay:
    person: Person
    rules: DayRules
    """The engine's :func:`~smartoffice.policies.engine.rules_on`."""
    policies: tuple[PolicyView, ...]
    """The policies in force that day that apply to the person, most specific last (overlays after the base)."""


async def day_rules_of(session: AsyncSession, employee_id: int, day: date) -> PersonDay | None:
    """The rules in force for ``employee_id`` on ``day`` and the policies behind them (None: no such person)."""
    person = (await load_people(session, [employee_id], day, day)).get(employee_id)
    if person is None:
        return None
    policies = await load_policies_for(session, day, day, [person])
    matching = sorted(
        (p for p in policies if p.is_in_force(day) and p.applies_to(person)),
        key=lambda p: (p.is_overlay, p.level, p.effective_from, p.id),
    )
    return PersonDay(person, rules_on(day, person, policies), tuple(matching))
