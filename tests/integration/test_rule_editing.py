"""Editing booking rules (``BookingRuleService``): effective rules and where they come from, setting a building's
rules, resetting them, the defaults (admins only), every refusal code, the audit, and bookings obeying the change."""

from collections.abc import AsyncIterator
from dataclasses import asdict, replace

import pytest
from sqlalchemy import func, select, update

from smartoffice.audit.models import AuditEntry
from smartoffice.audit.record import Actor
from smartoffice.bookings.models import BookingRule
from smartoffice.bookings.requests import BookDeskRequest
from smartoffice.bookings.rule_editing import RuleValues
from smartoffice.errors import InvalidInput, NotFound, PermissionDenied
from smartoffice.places.models import SpaceKind
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.clock import days_ahead
from tests.support.office import Office, build_office

DESK_DEFAULTS = RuleValues(
    max_days_in_advance=28,
    min_duration_minutes=60,
    max_duration_minutes=24 * 60,
    max_active_bookings=20,
    cancellation_deadline_minutes=0,
    check_in_opens_minutes=30,
    check_in_grace_minutes=30,
    buffer_minutes=0,
    closed_on_holidays=True,
)


@pytest.fixture
async def restore_defaults(runtime: Runtime) -> AsyncIterator[None]:
    """The global rows are reference data the clean-up keeps: put back what a test changed in them."""
    async with runtime.db.read() as session:
        saved = {r.id: RuleValues.of(r) for r in await session.scalars(select(BookingRule))}
    yield
    async with runtime.db.write() as session:
        for rule_id, values in saved.items():
            await session.execute(update(BookingRule).where(BookingRule.id == rule_id).values(**asdict(values)))


async def _rows(runtime: Runtime) -> int:
    async with runtime.db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(BookingRule)) or 0)


async def _audit(runtime: Runtime) -> list[AuditEntry]:
    async with runtime.db.read() as session:
        return list(await session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


async def _office(factory: Factory) -> tuple[Office, int]:
    office = await build_office(factory)
    return office, office.floor.building_id


class TestEffective:
    async def test_a_building_without_rules_inherits_the_defaults(self, runtime: Runtime, factory: Factory) -> None:
        office, building = await _office(factory)

        rules = await runtime.booking_rules.effective(Actor(office.facilities_1.id, "page"), building, SpaceKind.DESK)

        assert rules.inherited and rules.values == DESK_DEFAULTS

    async def test_another_sites_manager_may_not_read_them(self, runtime: Runtime, factory: Factory) -> None:
        office, building = await _office(factory)

        with pytest.raises(PermissionDenied):
            await runtime.booking_rules.effective(Actor(office.facilities_2.id, "page"), building, SpaceKind.DESK)


class TestUpdate:
    async def test_sets_the_buildings_own_rules_then_updates_them_audited(
        self, runtime: Runtime, factory: Factory
    ) -> None:
        office, building = await _office(factory)
        actor = Actor(office.facilities_1.id, "page")

        first = await runtime.booking_rules.update(
            actor, building, SpaceKind.DESK, replace(DESK_DEFAULTS, max_days_in_advance=7)
        )
        second = await runtime.booking_rules.update(
            actor, building, SpaceKind.DESK, replace(DESK_DEFAULTS, max_days_in_advance=14)
        )
        read = await runtime.booking_rules.effective(actor, building, SpaceKind.DESK)

        assert not first.inherited and second.values.max_days_in_advance == 14 == read.values.max_days_in_advance
        assert await _rows(runtime) == 3  # the two defaults and the building's one row
        entries = await _audit(runtime)
        assert [(e.action, e.entity_kind, e.site_id) for e in entries] == [
            ("booking_rule.update", "BookingRule", office.site.id)
        ] * 2
        assert entries[0].before is not None and entries[0].before["inherited"] is True
        assert entries[0].after is not None and entries[0].after["max_days_in_advance"] == 7
        assert entries[1].before is not None and entries[1].before["max_days_in_advance"] == 7

    async def test_book_desk_obeys_the_new_rule(self, runtime: Runtime, factory: Factory) -> None:
        office, building = await _office(factory)
        await runtime.bookings.book_desk(office.alice.id, BookDeskRequest(office.desks[0].id, days_ahead(10)))

        await runtime.booking_rules.update(
            Actor(office.admin.id, "page"), building, SpaceKind.DESK, replace(DESK_DEFAULTS, max_days_in_advance=7)
        )

        with pytest.raises(InvalidInput) as caught:
            await runtime.bookings.book_desk(office.amir.id, BookDeskRequest(office.desks[1].id, days_ahead(10)))
        assert caught.value.code == "TOO_FAR_AHEAD"

    @pytest.mark.usefixtures("restore_defaults")
    async def test_the_defaults_are_for_admins_only(self, runtime: Runtime, factory: Factory) -> None:
        office, _building = await _office(factory)
        changed = replace(DESK_DEFAULTS, max_active_bookings=5)

        with pytest.raises(PermissionDenied) as caught:
            await runtime.booking_rules.update(Actor(office.facilities_1.id, "page"), None, SpaceKind.DESK, changed)
        rules = await runtime.booking_rules.update(Actor(office.admin.id, "page"), None, SpaceKind.DESK, changed)

        assert caught.value.code == "ADMINS_ONLY"
        assert rules.building_id is None and rules.values.max_active_bookings == 5 and not rules.inherited
        assert await _rows(runtime) == 2

    async def test_another_sites_manager_is_refused_and_an_unknown_building_not_found(
        self, runtime: Runtime, factory: Factory
    ) -> None:
        office, building = await _office(factory)

        with pytest.raises(PermissionDenied):
            await runtime.booking_rules.update(
                Actor(office.facilities_2.id, "page"), building, SpaceKind.DESK, DESK_DEFAULTS
            )
        with pytest.raises(NotFound):
            await runtime.booking_rules.update(Actor(office.admin.id, "page"), 999_999, SpaceKind.DESK, DESK_DEFAULTS)
        assert await _rows(runtime) == 2 and await _audit(runtime) == []

    @pytest.mark.parametrize(
        ("kind", "changes", "field", "code"),
        [
            (SpaceKind.DESK, {"max_days_in_advance": 366}, "maxDaysInAdvance", "ADVANCE_DAYS_OUT_OF_RANGE"),
            (SpaceKind.DESK, {"max_days_in_advance": -1}, "maxDaysInAdvance", "ADVANCE_DAYS_OUT_OF_RANGE"),
            (SpaceKind.DESK, {"min_duration_minutes": 0}, "minDurationMinutes", "DURATION_OUT_OF_RANGE"),
            (SpaceKind.DESK, {"max_duration_minutes": 1455}, "maxDurationMinutes", "DURATION_OUT_OF_RANGE"),
            (SpaceKind.DESK, {"min_duration_minutes": 50}, "minDurationMinutes", "DURATION_NOT_QUARTER_HOUR"),
            (
                SpaceKind.DESK,
                {"min_duration_minutes": 240, "max_duration_minutes": 120},
                "minDurationMinutes",
                "MIN_DURATION_ABOVE_MAX",
            ),
            (SpaceKind.DESK, {"max_active_bookings": 0}, "maxActiveBookings", "ACTIVE_BOOKINGS_OUT_OF_RANGE"),
            (
                SpaceKind.DESK,
                {"cancellation_deadline_minutes": 10081},
                "cancellationDeadlineMinutes",
                "CANCELLATION_DEADLINE_OUT_OF_RANGE",
            ),
            (SpaceKind.DESK, {"check_in_opens_minutes": 241}, "checkInOpensMinutes", "CHECK_IN_OPENS_OUT_OF_RANGE"),
            (SpaceKind.DESK, {"check_in_grace_minutes": 241}, "checkInGraceMinutes", "GRACE_OUT_OF_RANGE"),
            (
                SpaceKind.ROOM,
                {"max_duration_minutes": 60, "min_duration_minutes": 15, "check_in_grace_minutes": 90},
                "checkInGraceMinutes",
                "GRACE_LONGER_THAN_BOOKING",
            ),
            (SpaceKind.ROOM, {"buffer_minutes": 721}, "bufferMinutes", "BUFFER_OUT_OF_RANGE"),
            (SpaceKind.DESK, {"buffer_minutes": 15}, "bufferMinutes", "BUFFER_ONLY_FOR_ROOMS"),
        ],
    )
    async def test_refused_with_a_clear_message_and_nothing_written(
        self,
        runtime: Runtime,
        factory: Factory,
        kind: SpaceKind,
        changes: dict[str, int],
        field: str,
        code: str,
    ) -> None:
        office, building = await _office(factory)

        with pytest.raises(InvalidInput) as caught:
            await runtime.booking_rules.update(
                Actor(office.admin.id, "page"), building, kind, replace(DESK_DEFAULTS, **changes)
            )

        assert (caught.value.field, caught.value.code) == (field, code)
        assert await _rows(runtime) == 2 and await _audit(runtime) == []

    async def test_a_room_buffer_is_allowed(self, runtime: Runtime, factory: Factory) -> None:
        office, building = await _office(factory)

        rules = await runtime.booking_rules.update(
            Actor(office.admin.id, "page"), building, SpaceKind.ROOM, replace(DESK_DEFAULTS, buffer_minutes=15)
        )

        assert rules.values.buffer_minutes == 15


class TestReset:
    async def test_deletes_the_buildings_row_and_audits(self, runtime: Runtime, factory: Factory) -> None:
        office, building = await _office(factory)
        actor = Actor(office.facilities_1.id, "page")
        await runtime.booking_rules.update(
            actor, building, SpaceKind.DESK, replace(DESK_DEFAULTS, max_days_in_advance=7)
        )

        rules = await runtime.booking_rules.reset(actor, building, SpaceKind.DESK)
        again = await runtime.booking_rules.reset(actor, building, SpaceKind.DESK)  # nothing of its own: no change

        assert rules.inherited and rules.values == DESK_DEFAULTS and again == rules
        assert await _rows(runtime) == 2
        assert [e.action for e in await _audit(runtime)] == ["booking_rule.update", "booking_rule.reset"]

    async def test_the_defaults_cannot_be_reset(self, runtime: Runtime, factory: Factory) -> None:
        office, _building = await _office(factory)

        with pytest.raises(InvalidInput) as caught:
            await runtime.booking_rules.reset(Actor(office.admin.id, "page"), None, SpaceKind.DESK)

        assert caught.value.code == "RULE_RESET_NEEDS_BUILDING"
