"""The policy engine's slowly changing facts, cached per process by version (:mod:`smartoffice.policies.cache`).

A week is judged from two kinds of facts. The person's own (their row, cases, ratings, approved exemptions,
bookings and work plans) change with every booking and are read from SQL each time. The rest is the same for
everyone and changes only when an administrator edits it: **the policies**, **the working calendar's
overrides**, **the unit tree**, **units' home buildings** (zones assigned to units) and **anchor days**. Those are
read here, whole (hundreds to a few thousand small rows), with the live buildings and the desk booking rules My
week's suggestions need (:mod:`~smartoffice.policies.suggestions`) and the room booking rules the room search
needs (:mod:`~smartoffice.bookings.room_search`), and kept by :class:`PolicyFacts` until a committed
change to one of :data:`POLICY_FACT_MODELS` bumps ``so:policies:facts-version`` in Redis.

Each read gives the same answer as the SQL it replaces (:mod:`smartoffice.policies.facts`,
:func:`~smartoffice.workcalendar.service.load_calendar`): the cached rows are the whole tables, and the filters
those queries apply in SQL are applied here in Python, in the same order.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.availability.breaker import CircuitBreaker
from smartoffice.bookings.models import BookingRule
from smartoffice.bookings.rules import RuleFacts, rule_facts
from smartoffice.db import Base
from smartoffice.people.models import OrgUnit
from smartoffice.places.models import Building, Floor, SpaceKind, Zone
from smartoffice.places.service import LiveBuilding, live_buildings
from smartoffice.policies.cache import CacheSnapshot, VersionedCache
from smartoffice.policies.day_rules import Person, PolicyView
from smartoffice.policies.facts import policy_view
from smartoffice.policies.models import AnchorDay, Policy
from smartoffice.workcalendar.models import CalendarOverride
from smartoffice.workcalendar.service import WorkingCalendar, load_calendar

POLICY_FACTS_VERSION_KEY = "so:policies:facts-version"
POLICY_FACT_MODELS: tuple[type[Base], ...] = (
    Policy,
    CalendarOverride,
    OrgUnit,
    AnchorDay,
    Zone,
    Floor,
    Building,
    BookingRule,
)
"""What the cached facts are read from: a committed change to any of these tables bumps the version."""


@dataclass(frozen=True, slots=True)
class AnchorRow:
    org_unit_id: int
    weekday: int
    effective_from: date
    effective_until: date | None


@dataclass(frozen=True, slots=True)
class OrgStructure:
    """The unit tree, units' home buildings and anchor days: what :func:`~smartoffice.policies.facts.load_people`
    needs beside the person's own rows."""

    units: Mapping[int, tuple[int | None, int]]
    """``unit id → (parent id, organisation id)``, every unit."""
    home_buildings: Mapping[int, frozenset[int]]
    """``unit id → buildings`` with a zone assigned to the unit."""
    anchors: tuple[AnchorRow, ...]

    def anchor_weekdays(self, unit_ids: Iterable[int], first: date, last: date) -> dict[int, frozenset[int]]:
        """As ``facts._anchor_weekdays``: each unit's anchor weekdays with a row in force on a day of the range."""
        wanted = set(unit_ids)
        weekdays: dict[int, set[int]] = defaultdict(set)
        for row in self.anchors:
            if (
                row.org_unit_id in wanted
                and row.effective_from <= last
                and (row.effective_until is None or row.effective_until >= first)
            ):
                weekdays[row.org_unit_id].add(row.weekday)
        return {unit: frozenset(days) for unit, days in weekdays.items()}


async def desk_check_in_opens(session: AsyncSession) -> Mapping[int | None, int]:
    """``building id (None: the default rule) → check_in_opens_minutes`` of the desk booking rules (as
    :func:`~smartoffice.bookings.rules.rules_for` picks: the building's row, else the default)."""
    rows = await session.execute(
        select(BookingRule.building_id, BookingRule.check_in_opens_minutes).where(
            BookingRule.space_kind == SpaceKind.DESK
        )
    )
    return MappingProxyType({building_id: minutes for building_id, minutes in rows})


async def desk_holiday_rules(session: AsyncSession) -> Mapping[int | None, bool]:
    """``building id (None: the default rule) → closed_on_holidays`` of the desk booking rules."""
    rows = await session.execute(
        select(BookingRule.building_id, BookingRule.closed_on_holidays).where(BookingRule.space_kind == SpaceKind.DESK)
    )
    return MappingProxyType({building_id: closed for building_id, closed in rows})


class PolicyFacts:
    """The per-process cache of policy facts (one per runtime; its ``after_commit`` is a ``Database`` hook)."""

    def __init__(self, cache: VersionedCache) -> None:
        self.cache = cache

    @classmethod
    def create(cls, redis: Redis, breaker: CircuitBreaker) -> "PolicyFacts":
        return cls(VersionedCache(redis, breaker, version_key=POLICY_FACTS_VERSION_KEY, models=POLICY_FACT_MODELS))

    async def view(self) -> "PolicyFactsView":
        """The facts at the version read now (one Redis read); use it for one request."""
        return PolicyFactsView(await self.cache.snapshot())

    async def after_commit(self, session: AsyncSession) -> None:
        await self.cache.after_commit(session)


@dataclass(frozen=True, slots=True)
class PolicyFactsView:
    """One request's access to the cached facts; a value not yet cached is loaded with the request's session."""

    snapshot: CacheSnapshot

    async def all_policies(self, session: AsyncSession) -> tuple[PolicyView, ...]:
        return await self.snapshot.get("policies", lambda: _all_policies(session))

    async def policies_for(
        self, session: AsyncSession, first: date, last: date, persons: Iterable[Person]
    ) -> list[PolicyView]:
        """What :func:`~smartoffice.policies.facts.load_policies_for` answers (the same superset, in its order)."""
        people = list(persons)
        if not people:
            return []
        organisations = {p.organisation_id for p in people}
        units = {unit for p in people for unit in p.unit_path}
        buildings = {building for p in people for building in p.building_ids}
        employees = {p.id for p in people}
        return [
            policy
            for policy in await self.all_policies(session)
            if policy.effective_from <= last
            and (policy.effective_until is None or policy.effective_until >= first)
            and (policy.organisation_id is None or policy.organisation_id in organisations)
            and (policy.org_unit_id is None or policy.org_unit_id in units)
            and (policy.building_id is None or policy.building_id in buildings)
            and (policy.employee_id is None or policy.employee_id in employees)
        ]

    async def calendar(self, session: AsyncSession, first: date, last: date) -> WorkingCalendar:
        """What :func:`~smartoffice.workcalendar.service.load_calendar` answers for the range."""
        return await self.snapshot.get(("calendar", first, last), lambda: load_calendar(session, first, last))

    async def structure(self, session: AsyncSession) -> OrgStructure:
        return await self.snapshot.get("structure", lambda: _structure(session))

    async def live_buildings(self, session: AsyncSession) -> Mapping[int, LiveBuilding]:
        return await self.snapshot.get("live_buildings", lambda: live_buildings(session))

    async def desk_check_in_opens(self, session: AsyncSession) -> Mapping[int | None, int]:
        return await self.snapshot.get("desk_check_in_opens", lambda: desk_check_in_opens(session))

    async def desk_holiday_rules(self, session: AsyncSession) -> Mapping[int | None, bool]:
        return await self.snapshot.get("desk_holiday_rules", lambda: desk_holiday_rules(session))

    async def room_rule(self, session: AsyncSession, building_id: int) -> RuleFacts:
        """What :func:`~smartoffice.bookings.rules.rules_for` answers for the building's meeting rooms."""
        return await self.snapshot.get(
            ("room_rule", building_id), lambda: rule_facts(session, building_id, SpaceKind.ROOM)
        )


async def _all_policies(session: AsyncSession) -> tuple[PolicyView, ...]:
    rows = await session.scalars(select(Policy).order_by(Policy.level, Policy.effective_from, Policy.id))
    return tuple(policy_view(policy) for policy in rows)


async def _structure(session: AsyncSession) -> OrgStructure:
    units = {
        unit: (parent, organisation)
        for unit, parent, organisation in await session.execute(
            select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.organisation_id)
        )
    }
    buildings: dict[int, set[int]] = defaultdict(set)
    for unit, building in await session.execute(
        select(Zone.org_unit_id, Floor.building_id)
        .join(Floor, Zone.floor_id == Floor.id)
        .where(Zone.org_unit_id.is_not(None))
    ):
        if unit is not None:
            buildings[unit].add(building)
    anchors = tuple(
        AnchorRow(unit, weekday, since, until)
        for unit, weekday, since, until in await session.execute(
            select(AnchorDay.org_unit_id, AnchorDay.weekday, AnchorDay.effective_from, AnchorDay.effective_until)
        )
    )
    return OrgStructure(
        MappingProxyType(units),
        MappingProxyType({unit: frozenset(found) for unit, found in buildings.items()}),
        anchors,
    )
