"""Which booking rules apply: the building's own row for a kind of space, else the global default row."""

from dataclasses import dataclass
from typing import Protocol, Self

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.bookings.models import BookingRule
from smartoffice.places.models import SpaceKind


class RuleNumbers(Protocol):
    """What the checks read from a rule: a ``BookingRule`` row, or the :class:`RuleFacts` cached from one."""

    @property
    def max_days_in_advance(self) -> int: ...
    @property
    def min_duration_minutes(self) -> int: ...
    @property
    def max_duration_minutes(self) -> int: ...
    @property
    def max_active_bookings(self) -> int: ...
    @property
    def cancellation_deadline_minutes(self) -> int: ...
    @property
    def check_in_opens_minutes(self) -> int: ...
    @property
    def check_in_grace_minutes(self) -> int: ...
    @property
    def buffer_minutes(self) -> int: ...
    @property
    def closed_on_holidays(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class RuleFacts:
    """A rule's numbers (see ``BookingRule`` for what each means), detached from the session: safe to share between
    requests (``bookings/facts.py``); the rules editor's ``RuleValues`` adds its checks."""

    max_days_in_advance: int
    min_duration_minutes: int
    max_duration_minutes: int
    max_active_bookings: int
    cancellation_deadline_minutes: int
    check_in_opens_minutes: int
    check_in_grace_minutes: int
    buffer_minutes: int
    closed_on_holidays: bool

    @classmethod
    def of(cls, rule: BookingRule) -> Self:
        return cls(
            rule.max_days_in_advance,
            rule.min_duration_minutes,
            rule.max_duration_minutes,
            rule.max_active_bookings,
            rule.cancellation_deadline_minutes,
            rule.check_in_opens_minutes,
            rule.check_in_grace_minutes,
            rule.buffer_minutes,
            rule.closed_on_holidays,
        )


async def rules_for(session: AsyncSession, building_id: int, kind: SpaceKind) -> BookingRule:
    query = (
        select(BookingRule)
        .where(
            BookingRule.space_kind == kind, (BookingRule.building_id == building_id) | BookingRule.building_id.is_(None)
        )
        # The building's row first (NULLs sort last ascending on PostgreSQL, first on SQLite: order explicitly).
        .order_by(BookingRule.building_id.is_(None))
        .limit(1)
    )
    rule = await session.scalar(query)
    if rule is None:
        raise LookupError(f"no booking rules for {kind} bookings: the migrations insert defaults; was a row deleted?")
    return rule


async def rule_facts(session: AsyncSession, building_id: int, kind: SpaceKind) -> RuleFacts:
    """:func:`rules_for`'s answer as :class:`RuleFacts`."""
    return RuleFacts.of(await rules_for(session, building_id, kind))
