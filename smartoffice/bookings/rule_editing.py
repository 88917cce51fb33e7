"""Editing the booking rules in the product (``/admin/rules``, ``bookingRules`` / ``updateBookingRules`` /
``resetBookingRules``).

Rules are per building and kind of space (``BookingRule``): a building's own row, else the global default row
(``building_id`` null, inserted by the migrations; see ``rules.py``). :class:`BookingRuleService` reads the rules
in effect and says which row they come from, sets a building's rules (creating its row or updating it), resets a
building to the default (deleting its row) and edits the defaults themselves (administrators only; a building's
rules: the facilities managers of its site and administrators).

Every value is checked (:class:`~smartoffice.bookings.rule_errors.RuleInputCode`) against the bounds in
:data:`BOUNDS`, with one message per rule; every change is audited (``booking_rule.update`` /
``booking_rule.reset``, entity ``BookingRule``, before and after). Rules apply to bookings made from then on:
bookings that exist are left as they are (a shorter "book ahead" does not cancel far bookings; a new grace period
applies to the release's next run, which reads the rules each time).
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from smartoffice.audit.record import Actor, record_change
from smartoffice.bookings.models import MAX_BUFFER_MINUTES, BookingRule
from smartoffice.bookings.rule_errors import RuleInputCode
from smartoffice.bookings.rules import RuleFacts
from smartoffice.db import Database
from smartoffice.errors import CommonPermissionCode, InvalidInput, NotFound, PermissionDenied
from smartoffice.places.models import Building, SpaceKind
from smartoffice.places.permissions import managed_site_ids, require_admin, require_site_manager

QUARTER_HOUR = 15
BOUNDS: dict[str, tuple[int, int, RuleInputCode]] = {
    "max_days_in_advance": (0, 365, RuleInputCode.ADVANCE_DAYS_OUT_OF_RANGE),
    "min_duration_minutes": (QUARTER_HOUR, 24 * 60, RuleInputCode.DURATION_OUT_OF_RANGE),
    "max_duration_minutes": (QUARTER_HOUR, 24 * 60, RuleInputCode.DURATION_OUT_OF_RANGE),
    "max_active_bookings": (1, 100, RuleInputCode.ACTIVE_BOOKINGS_OUT_OF_RANGE),
    "cancellation_deadline_minutes": (0, 7 * 24 * 60, RuleInputCode.CANCELLATION_DEADLINE_OUT_OF_RANGE),
    "check_in_opens_minutes": (0, 240, RuleInputCode.CHECK_IN_OPENS_OUT_OF_RANGE),
    "check_in_grace_minutes": (0, 240, RuleInputCode.GRACE_OUT_OF_RANGE),
    "buffer_minutes": (0, MAX_BUFFER_MINUTES, RuleInputCode.BUFFER_OUT_OF_RANGE),
}
"""Each number's lowest and highest value, and the code that refuses it."""


def api_field(name: str) -> str:
    """``max_days_in_advance`` → ``maxDaysInAdvance``: the input field an error names."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


@dataclass(frozen=True, slots=True)
class RuleValues(RuleFacts):
    """The numbers of one rule row (:class:`~smartoffice.bookings.rules.RuleFacts`), as an editor sends them."""

    def check(self, kind: SpaceKind) -> None:
        """InvalidInput with the first value out of bounds, else nothing."""
        for name, (low, high, code) in BOUNDS.items():
            value = getattr(self, name)
            if not low <= value <= high:
                raise InvalidInput(api_field(name), code, low=low, high=high)
        for name in ("min_duration_minutes", "max_duration_minutes"):
            if getattr(self, name) % QUARTER_HOUR:
                raise InvalidInput(api_field(name), RuleInputCode.DURATION_NOT_QUARTER_HOUR)
        if self.min_duration_minutes > self.max_duration_minutes:
            raise InvalidInput("minDurationMinutes", RuleInputCode.MIN_DURATION_ABOVE_MAX)
        if self.check_in_grace_minutes > self.max_duration_minutes:
            # released as a no-show only after any booking could have ended: the grace would never apply
            raise InvalidInput(
                "checkInGraceMinutes", RuleInputCode.GRACE_LONGER_THAN_BOOKING, minutes=self.max_duration_minutes
            )
        if kind == SpaceKind.DESK and self.buffer_minutes:
            raise InvalidInput("bufferMinutes", RuleInputCode.BUFFER_ONLY_FOR_ROOMS)


@dataclass(frozen=True, slots=True)
class EffectiveRules:
    """The rules for ``kind`` in ``building_id`` (None: the global defaults), and whether they are inherited."""

    building_id: int | None
    kind: SpaceKind
    values: RuleValues
    inherited: bool
    """True: the building has no row of its own; these are the global defaults."""


@dataclass(frozen=True, slots=True)
class BuildingRules:
    """One building's desk and room rules, as ``/admin/rules`` shows them."""

    building: Building
    site_name: str
    desk: EffectiveRules
    room: EffectiveRules


class BookingRuleService:
    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.clock = clock

    async def effective(self, actor: Actor, building_id: int | None, kind: SpaceKind) -> EffectiveRules:
        """Raises NotFound (building), PermissionDenied (not a facilities manager of its site, nor admin; the
        defaults: anyone who manages some site)."""
        async with self.db.read() as session:
            await _may_read(session, actor, building_id)
            return await _effective(session, building_id, kind)

    async def overview(self, actor: Actor) -> tuple[dict[SpaceKind, EffectiveRules], list[BuildingRules]]:
        """The global defaults and every (not retired) building in the actor's sites, by site and name."""
        async with self.db.read() as session:
            if actor.employee_id is None:
                return {}, []
            sites = await managed_site_ids(session, actor.employee_id)
            query = select(Building).where(Building.retired_at.is_(None))
            if sites is not None:
                query = query.where(Building.site_id.in_(sites))
            buildings = (await session.scalars(query.options(joinedload(Building.site)))).all()
            rows = (await session.scalars(select(BookingRule))).all()
            defaults = {r.space_kind: r for r in rows if r.building_id is None}
            own = {(r.building_id, r.space_kind): r for r in rows if r.building_id is not None}

            def rules(building_id: int | None, kind: SpaceKind) -> EffectiveRules:
                row = own.get((building_id, kind)) if building_id is not None else None
                chosen = row or defaults[kind]
                return EffectiveRules(building_id, kind, RuleValues.of(chosen), row is None and building_id is not None)

            listed = [
                BuildingRules(b, b.site.name, rules(b.id, SpaceKind.DESK), rules(b.id, SpaceKind.ROOM))
                for b in sorted(buildings, key=lambda b: (b.site.name, b.name))
            ]
            return {kind: rules(None, kind) for kind in SpaceKind}, listed

    async def update(
        self, actor: Actor, building_id: int | None, kind: SpaceKind, values: RuleValues
    ) -> EffectiveRules:
        """Set a building's rules for ``kind`` (its own row, created if need be), or the global defaults
        (``building_id`` None: administrators only). Raises InvalidInput, NotFound, PermissionDenied."""
        values.check(kind)
        now = self.clock()
        async with self.db.write() as session:
            site_id = await _may_change(session, actor, building_id)
            row = await _own_row(session, building_id, kind, lock=True)
            before = await _effective(session, building_id, kind)
            if row is None:
                row = BookingRule(building_id=building_id, space_kind=kind, **asdict(values))
                session.add(row)
            else:
                for name, value in asdict(values).items():
                    setattr(row, name, value)
            await session.flush()
            record_change(
                session,
                actor,
                "booking_rule.update",
                at=now,
                entity_kind="BookingRule",
                entity_id=row.id,
                before=_audited(before),
                after=_audited(EffectiveRules(building_id, kind, values, False)),
                site_id=site_id,
            )
            return EffectiveRules(building_id, kind, values, False)

    async def reset(self, actor: Actor, building_id: int | None, kind: SpaceKind) -> EffectiveRules:
        """Back to the global defaults: the building's row is deleted (nothing changes, nothing is audited when it
        has none). Raises InvalidInput (no building), NotFound, PermissionDenied."""
        if building_id is None:
            raise InvalidInput("buildingId", RuleInputCode.RULE_RESET_NEEDS_BUILDING)
        now = self.clock()
        async with self.db.write() as session:
            site_id = await _may_change(session, actor, building_id)
            row = await _own_row(session, building_id, kind, lock=True)
            if row is not None:
                before = EffectiveRules(building_id, kind, RuleValues.of(row), False)
                await session.delete(row)
                await session.flush()
                after = await _effective(session, building_id, kind)
                record_change(
                    session,
                    actor,
                    "booking_rule.reset",
                    at=now,
                    entity_kind="BookingRule",
                    entity_id=row.id,
                    before=_audited(before),
                    after=_audited(after),
                    site_id=site_id,
                )
                return after
            return await _effective(session, building_id, kind)


async def _building(session: AsyncSession, building_id: int, *, lock: bool = False) -> Building:
    building = await session.get(Building, building_id, with_for_update=lock)
    if building is None:
        raise NotFound("Building", building_id)
    return building


async def _may_read(session: AsyncSession, actor: Actor, building_id: int | None) -> None:
    if actor.employee_id is None:
        return
    if building_id is not None:
        await require_site_manager(session, actor.employee_id, (await _building(session, building_id)).site_id)
        return
    sites = await managed_site_ids(session, actor.employee_id)
    if sites is not None and not sites:
        raise PermissionDenied(CommonPermissionCode.NOT_A_FACILITIES_MANAGER)


async def _may_change(session: AsyncSession, actor: Actor, building_id: int | None) -> int | None:
    """The site of the building (for the audit), once the actor may change its rules."""
    if building_id is None:
        if actor.employee_id is not None:
            await require_admin(session, actor.employee_id)
        return None
    site_id = (await _building(session, building_id, lock=True)).site_id  # two first edits: one inserts the row
    if actor.employee_id is not None:
        await require_site_manager(session, actor.employee_id, site_id)
    return site_id


async def _own_row(
    session: AsyncSession, building_id: int | None, kind: SpaceKind, *, lock: bool = False
) -> BookingRule | None:
    building = BookingRule.building_id.is_(None) if building_id is None else BookingRule.building_id == building_id
    query = select(BookingRule).where(building, BookingRule.space_kind == kind)
    return await session.scalar(query.with_for_update() if lock else query)


async def _effective(session: AsyncSession, building_id: int | None, kind: SpaceKind) -> EffectiveRules:
    own = await _own_row(session, building_id, kind) if building_id is not None else None
    row = own or await _own_row(session, None, kind)
    if row is None:
        raise LookupError(f"no default booking rules for {kind}: the migrations insert them; was a row deleted?")
    return EffectiveRules(building_id, kind, RuleValues.of(row), own is None and building_id is not None)


def _audited(rules: EffectiveRules) -> dict[str, Any]:
    return {"building_id": rules.building_id, "kind": rules.kind, "inherited": rules.inherited, **asdict(rules.values)}
