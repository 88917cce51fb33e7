"""The booking path's slowly changing facts, cached per process by version (:mod:`smartoffice.policies.cache`).

A booking reads, besides the rows it locks and counts, facts that only administrators change: **the booking
rules**, **the working calendar**, **the policies about buildings** (an occupancy cap) and, for the hold taken
before the transaction, **where each space is and its hours**. Reading them from SQL cost most of a booking's
CPU (an ORM round trip each, three times for the rule across book and cancel), so :class:`BookingFacts` keeps them
until a committed change to one of :data:`BOOKING_FACT_MODELS` bumps ``so:bookings:facts-version`` in Redis.

What is *not* cached, and why: the space's own row and the person's are read under their row locks in the write
transaction (a space retired, made unbookable or assigned while a booking waited must be seen, and is); closures,
desk releases, bookings and quotas are read in SQL in the transaction (:mod:`smartoffice.bookings.gather`).
A rule or calendar change that commits while a booking runs is seen by it or not, as before (those rows were
never locked); once the editing request has answered, its bump has made every process's entries stale.

Redis down (or its breaker open): no version, so every fact is read from SQL, as without this cache; the hold,
a Redis hint, is skipped then (it could not be taken anyway).
"""

import asyncio
import logging
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import date
from typing import Any

from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.availability.breaker import CircuitBreaker
from smartoffice.bookings.checks import PlaceHours
from smartoffice.bookings.models import BookingRule
from smartoffice.bookings.rules import RuleFacts, RuleNumbers, rule_facts
from smartoffice.db import Base
from smartoffice.places.models import Building, Floor, Space, SpaceKind
from smartoffice.policies.cache import CacheSnapshot, VersionedCache
from smartoffice.policies.day_rules import PolicyView
from smartoffice.policies.enforcement import load_building_level_policies
from smartoffice.policies.models import Policy
from smartoffice.workcalendar.models import CalendarOverride
from smartoffice.workcalendar.service import WorkingCalendar, load_calendar

log = logging.getLogger(__name__)

BOOKING_FACTS_VERSION_KEY = "so:bookings:facts-version"
BOOKING_FACT_MODELS: tuple[type[Base], ...] = (Space, Floor, Building, BookingRule, CalendarOverride, Policy)
"""What the cached facts are read from: a committed change to any of these tables bumps the version."""

SessionOpener = Callable[[], AbstractAsyncContextManager[AsyncSession]]

MAX_ENTRIES = 4096
"""Rules (a few per building), calendar years and the two whole-table entries."""


@dataclass(frozen=True, slots=True)
class SpacePlace:
    """Where a space is, for the hold: its floor and building, and what its window is worked out from."""

    floor_id: int
    building_id: int
    hours: PlaceHours


class Places:
    """Every space's :class:`SpacePlace`, kept as the rows read (~10,000 at tier M: building a value per space on
    load cost more than the hold saves on a cold process); a value is built for the one space asked for."""

    def __init__(self, rows: Iterable[Sequence[Any]]) -> None:
        self._rows = {row[0]: row for row in rows}

    def get(self, space_id: int) -> SpacePlace | None:
        row = self._rows.get(space_id)
        if row is None:
            return None
        _, kind, name, bookable_hours, floor_id, building_id, building, zone, opens_at, closes_at, hours = row
        return SpacePlace(
            floor_id, building_id, PlaceHours(kind, name, building, zone, opens_at, closes_at, hours, bookable_hours)
        )


async def load_places(session: AsyncSession) -> Places:
    """Every space's place (one query; the hold's input)."""
    rows = await session.execute(
        select(
            Space.id,
            Space.kind,
            Space.name,
            Space.bookable_hours,
            Space.floor_id,
            Floor.building_id,
            Building.name,
            Building.time_zone,
            Building.opens_at,
            Building.closes_at,
            Building.opening_hours,
        )
        .join(Floor, Space.floor_id == Floor.id)
        .join(Building, Floor.building_id == Building.id)
    )
    return Places(rows)


class _NotLoaded(Exception):
    """The places are not cached at this version (:meth:`BookingFacts.load_places_once` loads them)."""


async def _not_loaded() -> Places:
    raise _NotLoaded


class BookingFacts:
    """The per-process cache of booking facts (one per runtime; its ``after_commit`` is a ``Database`` hook)."""

    def __init__(self, cache: VersionedCache) -> None:
        self.cache = cache
        self._loading: asyncio.Task[Places] | None = None
        """The one load of the places in flight in this process (so a cold burst of bookings loads them once)."""

    @classmethod
    def create(cls, redis: Redis, breaker: CircuitBreaker) -> "BookingFacts":
        return cls(
            VersionedCache(
                redis,
                breaker,
                version_key=BOOKING_FACTS_VERSION_KEY,
                models=BOOKING_FACT_MODELS,
                max_entries=MAX_ENTRIES,
            )
        )

    async def view(self) -> "BookingFactsView":
        """The facts at the version read now (one Redis read); use it for one booking."""
        return BookingFactsView(await self.cache.snapshot(), self)

    async def load_places_once(self, snapshot: CacheSnapshot, session_for: SessionOpener) -> Places | None:
        """The places at ``snapshot``'s version, loaded by one task however many bookings ask at once (a cold
        process's first burst would otherwise load the whole table once per request); ``None`` if that failed."""
        if self._loading is None or self._loading.done():  # a finished load that left no entry: stale or failed

            async def load() -> Places:
                async with session_for() as session:
                    return await load_places(session)

            self._loading = asyncio.create_task(snapshot.get("places", load))
        try:
            return await asyncio.shield(self._loading)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("loading the places for booking holds failed (this booking goes on without a hold)")
            return None

    async def after_commit(self, session: AsyncSession) -> None:
        await self.cache.after_commit(session)


@dataclass(frozen=True, slots=True)
class BookingFactsView:
    """One booking's access to the facts; ``snapshot`` ``None``: no cache at all (each fact read from SQL)."""

    snapshot: CacheSnapshot | None = None
    owner: BookingFacts | None = None

    async def rule(self, session: AsyncSession, building_id: int, kind: SpaceKind) -> RuleNumbers:
        """What :func:`~smartoffice.bookings.rules.rules_for` answers."""
        if self.snapshot is None:
            return await rule_facts(session, building_id, kind)
        return await self.snapshot.get(("rule", building_id, kind), lambda: rule_facts(session, building_id, kind))

    async def rule_outside(self, session_for: SessionOpener, building_id: int, kind: SpaceKind) -> RuleNumbers:
        """:meth:`rule` outside a transaction: a session is opened only when the rule is not cached."""

        async def load() -> RuleFacts:
            async with session_for() as session:
                return await rule_facts(session, building_id, kind)

        if self.snapshot is None:
            return await load()
        return await self.snapshot.get(("rule", building_id, kind), load)

    async def calendar(self, session: AsyncSession, day: date) -> WorkingCalendar:
        """The working calendar of ``day``'s year: it answers for ``day`` as ``load_calendar(day, day)`` would."""
        if self.snapshot is None:
            return await load_calendar(session, day, day)
        first, last = date(day.year, 1, 1), date(day.year, 12, 31)
        return await self.snapshot.get(("calendar", day.year), lambda: load_calendar(session, first, last))

    async def building_policies(self, session: AsyncSession) -> tuple[PolicyView, ...]:
        """Every policy about a building as such (what an occupancy cap can come from), whatever its dates."""
        if self.snapshot is None:
            return await load_building_level_policies(session)
        return await self.snapshot.get("building_policies", lambda: load_building_level_policies(session))

    async def places(self, session_for: SessionOpener) -> Places | None:
        """Every space's place, or ``None`` when the version is unknown (Redis unavailable: loading the whole table
        for one booking would cost more than it saves)."""
        if self.snapshot is None or self.snapshot.version is None or self.owner is None:
            return None
        try:
            return await self.snapshot.get("places", _not_loaded)
        except _NotLoaded:
            return await self.owner.load_places_once(self.snapshot, session_for)
