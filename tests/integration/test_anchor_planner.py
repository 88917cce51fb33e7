"""The anchor-day planner on the database: a tower that overflows on Tuesdays is planned, the plan applied, and the
units' people find their new anchor day required in their week; who may plan and who may apply."""

import pytest
from sqlalchemy import func, select

from smartoffice.audit.models import AuditEntry
from smartoffice.db import Database
from smartoffice.errors import InvalidInput, NotFound, PermissionDenied
from smartoffice.planning.anchor_planner.proposal import (
    ApplyRequest,
    PlanRequest,
    PlanResult,
    PlanStatus,
    WhatIf,
)
from smartoffice.planning.anchor_planner.service import AnchorPlannerService
from smartoffice.policies import weeks
from smartoffice.policies.day_rules import ReasonCode
from smartoffice.policies.engine import Requirement
from smartoffice.policies.models import AnchorDay
from tests.factories import Factory
from tests.support.anchor_planner import TARGET, TODAY, TUESDAY, WEEK, Tower, build_tower, clock


@pytest.fixture
async def tower(factory: Factory, db: Database) -> Tower:
    return await build_tower(factory, db)


@pytest.fixture
def planner(db: Database) -> AnchorPlannerService:
    return AnchorPlannerService(db, clock)


def request(tower: Tower, **changes: object) -> PlanRequest:
    """The tower's week at 85 %, a and b named as working together, with ``changes``."""
    values: dict[str, object] = {
        "building_ids": (tower.building.id,),
        "week": WEEK,
        "target_utilisation": TARGET,
        "together": ((tower.unit_id("a"), tower.unit_id("b")),),
    }
    return PlanRequest(**{**values, **changes})  # type: ignore[arg-type]


def days_of(result: PlanResult, tower: Tower) -> dict[str, frozenset[int]]:
    by_id = {u.unit_id: u.after for u in result.units}
    return {name: by_id[unit.id] for name, unit in tower.units.items()}


async def anchor_rows(db: Database) -> list[tuple[int, int, object, object]]:
    async with db.read() as session:
        rows = await session.execute(
            select(AnchorDay.org_unit_id, AnchorDay.weekday, AnchorDay.effective_from, AnchorDay.effective_until)
        )
        return sorted(tuple(row) for row in rows)  # type: ignore[misc]


async def audit_count(db: Database) -> int:
    async with db.read() as session:
        return await session.scalar(select(func.count(AuditEntry.id))) or 0


class TestTheTowerFullOnTuesdays:
    async def test_the_plan_fits_keeps_the_pair_moves_no_public_service_and_applies_to_my_week(
        self, db: Database, tower: Tower, planner: AnchorPlannerService
    ) -> None:
        # when the facilities manager plans the tower
        result = await planner.plan(tower.roles["facilities"].id, request(tower))

        # then today's Tuesday overflows, the plan fits every day, a and b still share a day, the service unit stays
        assert [d.weekday for d in result.loads if d.overflows_before] == [TUESDAY]
        assert result.status == PlanStatus.OPTIMAL
        assert not any(d.overflows_after for d in result.loads)
        days = days_of(result, tower)
        assert days["a"] & days["b"]
        service = next(u for u in result.units if u.unit_id == tower.unit_id("service"))
        assert service.every_day and not service.moved
        # the fewest moves: a alone would fit but would leave b; so c and e move (21 people, not a and b's 24)
        assert {u.unit_id for u in result.moved} == {tower.unit_id("c"), tower.unit_id("e")}
        assert all(TUESDAY not in days[name] and len(days[name]) == 1 for name in ("c", "e"))

        # when an administrator applies it from the planned week on
        moved = {u.unit_id: u.after for u in result.moved}
        changed = await planner.apply(tower.roles["admin"].id, ApplyRequest(moved, WEEK))

        # then those units' people find the new day required as their anchor day, and Tuesday no longer
        assert sorted(changed) == sorted(moved)
        for name in ("c", "e"):
            person = tower.people[name][0]
            async with db.read() as session:
                week = await weeks.my_week(session, person.id, person.id, WEEK, TODAY)
            (new_day,) = days[name]
            plans = {d.day.weekday(): d for d in week.plan.working_days}
            assert plans[new_day].requirement == Requirement.REQUIRED
            assert ReasonCode.ANCHOR_DAY in {r.code for r in plans[new_day].reasons}
            assert ReasonCode.ANCHOR_DAY not in {r.code for r in plans[TUESDAY].reasons}
        # and planning again finds nothing to move
        again = await planner.plan(tower.roles["facilities"].id, request(tower))
        assert again.moved == [] and not any(d.overflows_before for d in again.loads)

    async def test_pinned_and_forbidden_days_are_honoured(self, tower: Tower, planner: AnchorPlannerService) -> None:
        a, e = tower.unit_id("a"), tower.unit_id("e")
        result = await planner.plan(
            tower.roles["admin"].id,
            request(tower, pinned_unit_ids=frozenset({a}), forbidden_weekdays={e: frozenset({0, 2, 3})}),
        )

        days = days_of(result, tower)
        assert days["a"] == days["b"] == {TUESDAY} and days["e"] == {4} and TUESDAY not in days["c"]
        assert not any(d.overflows_after for d in result.loads)

    async def test_when_nothing_fits_the_binding_constraints_are_named(
        self, tower: Tower, planner: AnchorPlannerService
    ) -> None:
        units = frozenset(tower.unit_id(name) for name in "abce")
        result = await planner.plan(tower.roles["admin"].id, request(tower, pinned_unit_ids=units))

        assert result.status == PlanStatus.INFEASIBLE
        kinds = [(b.kind.value, b.building_id, b.weekday, b.unit_ids) for b in result.binding]
        assert kinds[0] == ("capacity", tower.building.id, TUESDAY, ())
        assert {b.unit_ids[0] for b in result.binding[1:]} <= units and len(kinds) > 1
        assert all(kind == "pinned" for kind, *_ in kinds[1:])

    async def test_a_what_if_counts_desks_without_the_closed_floor_and_the_new_people(
        self, factory: Factory, tower: Tower, planner: AnchorPlannerService
    ) -> None:
        annex_floor = await factory.floor(tower.building, level=2)
        for _ in range(40):
            await factory.desk(annex_floor)
        base = await planner.plan(tower.roles["admin"].id, request(tower))
        assert base.loads[0].desks == tower.desks + 40 and base.moved == []

        what_if = WhatIf(headcount_change={tower.unit_id("a"): 18}, closed_floor_ids=frozenset({annex_floor.id}))
        result = await planner.plan(tower.roles["admin"].id, request(tower, what_if=what_if))

        assert result.loads[0].desks == tower.desks
        a = next(u for u in result.units if u.unit_id == tower.unit_id("a"))
        assert a.headcount == 36
        assert result.loads[TUESDAY].before - base.loads[TUESDAY].before > 8  # 18 more of a's people, most in


class TestWhoMay:
    async def test_only_facilities_managers_of_the_site_and_admins_plan(
        self, tower: Tower, planner: AnchorPlannerService
    ) -> None:
        for role in ("other_facilities", "stranger", "c_manager"):
            with pytest.raises(PermissionDenied) as refused:
                await planner.plan(tower.roles[role].id, request(tower))
            assert refused.value.code == "NOT_A_FACILITIES_MANAGER"
        assert (await planner.plan(tower.roles["admin"].id, request(tower))).status == PlanStatus.OPTIMAL

    async def test_a_unit_manager_applies_their_unit_but_not_another_and_then_nothing_is_written(
        self, db: Database, tower: Tower, planner: AnchorPlannerService
    ) -> None:
        c, e = tower.unit_id("c"), tower.unit_id("e")
        before, audited = await anchor_rows(db), await audit_count(db)

        with pytest.raises(PermissionDenied) as refused:
            await planner.apply(tower.roles["c_manager"].id, ApplyRequest({c: frozenset({0}), e: frozenset({3})}, WEEK))

        assert refused.value.code == "NOT_MANAGER_OF_PLANNED_UNIT" and refused.value.params["unit"] == "Direktorat E"
        assert await anchor_rows(db) == before and await audit_count(db) == audited
        assert await planner.apply(tower.roles["c_manager"].id, ApplyRequest({c: frozenset({0})}, WEEK)) == [c]
        assert await audit_count(db) == audited + 1

    async def test_unknown_and_malformed_requests_are_refused(
        self, tower: Tower, planner: AnchorPlannerService
    ) -> None:
        admin = tower.roles["admin"].id
        cases = [
            (request(tower, pinned_unit_ids=frozenset({tower.roles["stranger"].org_unit_id})), "pinnedUnitIds"),
            (request(tower, target_utilisation=1.5), "targetUtilisation"),
            (request(tower, week=TODAY), "week"),
            (request(tower, what_if=WhatIf(moved_units={tower.unit_id("a"): tower.building.id + 99})), "movedUnits"),
            (request(tower, what_if=WhatIf(headcount_change={tower.unit_id("b"): -7})), "headcountChange"),
        ]
        for plan_request, field in cases:
            with pytest.raises(InvalidInput) as refused:
                await planner.plan(admin, plan_request)
            assert refused.value.field == field
        with pytest.raises(NotFound):
            await planner.plan(admin, PlanRequest(building_ids=(tower.building.id + 99,), week=WEEK))


class TestApply:
    async def test_the_same_key_applies_once_and_a_unit_already_on_its_days_is_left_alone(
        self, db: Database, tower: Tower, planner: AnchorPlannerService
    ) -> None:
        admin = tower.roles["admin"].id
        c, a = tower.unit_id("c"), tower.unit_id("a")
        apply = ApplyRequest({c: frozenset({0}), a: frozenset({TUESDAY})}, WEEK)

        assert await planner.apply(admin, apply, idempotency_key="plan-1") == [c]
        audited = await audit_count(db)
        assert await planner.apply(admin, apply, idempotency_key="plan-1") == [c]
        assert await planner.apply(admin, apply) == []  # without a key: nothing left to change
        assert await audit_count(db) == audited
        with pytest.raises(InvalidInput) as reused:
            await planner.apply(admin, ApplyRequest({c: frozenset({2})}, WEEK), idempotency_key="plan-1")
        assert reused.value.code == "IDEMPOTENCY_KEY_REUSED"

    async def test_a_day_in_the_past_is_refused(self, tower: Tower, planner: AnchorPlannerService) -> None:
        with pytest.raises(InvalidInput) as refused:
            await planner.apply(
                tower.roles["admin"].id, ApplyRequest({tower.unit_id("c"): frozenset({0})}, TODAY.replace(day=1))
            )
        assert refused.value.code == "PAST_DAY"
