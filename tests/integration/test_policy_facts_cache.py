"""The per-process cache of policy facts (``policies/cache.py``, ``policies/shared_facts.py``): each app process
keeps policies, the calendar, the unit tree, home buildings and anchor days in memory, and a change committed by
any process is seen by every other's next week (two runtimes on one database and one Redis, as two workers)."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from redis.asyncio import Redis
from sqlalchemy import false, update

from smartoffice.availability.breaker import CircuitBreaker
from smartoffice.db import Base, Database
from smartoffice.people.models import OrgUnit, Role
from smartoffice.policies import weeks
from smartoffice.policies.cache import VersionedCache
from smartoffice.policies.engine import Requirement
from smartoffice.policies.models import PolicyLevel, WorkDay, WorkMode
from smartoffice.policies.service import PolicyService
from smartoffice.policies.shared_facts import POLICY_FACT_MODELS, POLICY_FACTS_VERSION_KEY, PolicyFacts
from smartoffice.runtime import Runtime, redis_client
from smartoffice.workcalendar.models import DayKind
from tests.factories import Factory
from tests.support.policies import WED, WEEK, Team, build_team
from tests.support.statements import reads, statements

WITA = ZoneInfo("Asia/Makassar")
TODAY = date(2026, 7, 3)
NOW = datetime.combine(TODAY, time(9), WITA).astimezone(UTC)


@pytest.fixture
async def team(factory: Factory) -> Team:
    return await build_team(factory)


def policies_of(runtime: Runtime) -> PolicyService:
    """The runtime's policy service (with its cache) on a clock that makes ``WEEK`` next week."""
    return PolicyService(runtime.db, lambda: NOW, facts=runtime.policies.facts)


async def uncached(db: Database, team: Team) -> weeks.MyWeek:
    """The week as SQL alone says it (no cache): what every cached answer must equal."""
    person = team.staff[0]
    async with db.read() as session:
        return await weeks.my_week(session, person.id, person.id, WEEK, TODAY)


def summary(week: weeks.MyWeek) -> tuple[object, ...]:
    plan = week.plan
    return (
        plan.office_days_needed,
        plan.remote_days_allowed,
        tuple((d.day, d.requirement, tuple(r.code for r in d.reasons)) for d in plan.days),
        tuple((s.day, s.requirement, s.desk_id) for s in week.suggestions),
    )


async def week_in(runtime: Runtime, team: Team) -> weeks.MyWeek:
    person = team.staff[0]
    return await policies_of(runtime).my_week(person.id, person.id, WEEK)


class TestServedFromMemory:
    async def test_the_second_week_reads_no_policies_calendar_or_units(self, runtime: Runtime, team: Team) -> None:
        first = await week_in(runtime, team)
        with statements(runtime.db) as seen:
            second = await week_in(runtime, team)

        assert summary(second) == summary(first) == summary(await uncached(runtime.db, team))
        assert [reads(seen, t) for t in ("policies", "calendar_overrides", "org_units", "anchor_days")] == [0] * 4

    async def test_without_redis_every_week_reads_sql_and_is_right(self, runtime: Runtime, team: Team) -> None:
        dead = redis_client("redis://127.0.0.1:1/0")  # nothing listens on port 1
        try:
            service = PolicyService(runtime.db, lambda: NOW, facts=PolicyFacts.create(dead, CircuitBreaker()))
            person = team.staff[0]
            for _ in range(2):
                with statements(runtime.db) as seen:
                    week = await service.my_week(person.id, person.id, WEEK)
                assert reads(seen, "policies") == 1
                assert summary(week) == summary(await uncached(runtime.db, team))
        finally:
            await dead.aclose()

    async def test_a_lost_version_reloads(self, runtime: Runtime, redis: Redis, team: Team) -> None:
        await week_in(runtime, team)
        await redis.delete(POLICY_FACTS_VERSION_KEY)  # Redis restarted or flushed

        with statements(runtime.db) as seen:
            await week_in(runtime, team)

        assert reads(seen, "policies") == 1


class TestAChangeInOneProcessIsSeenByAnother:
    async def test_a_new_unit_policy(self, runtime: Runtime, other: Runtime, team: Team, factory: Factory) -> None:
        before = await week_in(other, team)
        assert before.plan.remote_days_allowed == 2

        await factory.policy(  # written through ``runtime``, the first process
            {"max_remote_days_per_week": 1}, level=int(PolicyLevel.UNIT), org_unit_id=team.directorate.id
        )

        after = await week_in(other, team)
        assert after.plan.remote_days_allowed == 1
        assert summary(after) == summary(await uncached(other.db, team))

    async def test_a_calendar_override(self, runtime: Runtime, other: Runtime, team: Team) -> None:
        assert (await week_in(other, team)).plan.days[2].requirement == Requirement.FLEXIBLE

        await runtime.work_calendar.set_override(team.admin.id, WED, DayKind.PUBLIC_HOLIDAY, "Libur daerah")

        after = await week_in(other, team)
        assert (after.plan.days[2].requirement, after.plan.days[2].calendar_name) == (
            Requirement.NOT_WORKING,
            "Libur daerah",
        )
        await runtime.work_calendar.remove_override(team.admin.id, WED)
        assert (await week_in(other, team)).plan.days[2].requirement == Requirement.FLEXIBLE

    async def test_anchor_days(self, runtime: Runtime, other: Runtime, team: Team, factory: Factory) -> None:
        await factory.policy({"anchor_days_required": True}, level=int(PolicyLevel.UNIT), org_unit_id=team.deputy.id)
        assert (await week_in(other, team)).plan.days[2].requirement == Requirement.FLEXIBLE

        await policies_of(runtime).set_anchor_days(team.head.id, team.directorate.id, [WED.weekday()], TODAY)

        after = await week_in(other, team)
        assert after.plan.days[2].requirement == Requirement.REQUIRED
        assert summary(after) == summary(await uncached(other.db, team))

    async def test_an_approved_exemption(self, runtime: Runtime, other: Runtime, team: Team, factory: Factory) -> None:
        assert (await week_in(other, team)).plan.remote_days_allowed == 2

        await factory.exemption(team.staff[0], date(2026, 7, 1), date(2026, 8, 31))

        after = await week_in(other, team)
        assert (after.plan.remote_days_allowed, after.plan.office_days_needed) == (5, 0)

    async def test_a_zone_that_gives_the_unit_a_home_building(
        self, runtime: Runtime, other: Runtime, team: Team, factory: Factory
    ) -> None:
        # given a building-wide policy, and a unit that has no zone in that building yet
        floor = await factory.floor()
        await factory.policy(
            {"max_remote_days_per_week": 0}, level=int(PolicyLevel.AGENCY), building_id=floor.building_id
        )
        assert (await week_in(other, team)).plan.remote_days_allowed == 2

        # when facilities assign a zone of the building to the unit
        await factory.zone(floor, org_unit_id=team.directorate.id)

        # then the building's policy applies to its people in the other process too
        after = await week_in(other, team)
        assert after.plan.remote_days_allowed == 0
        assert summary(after) == summary(await uncached(other.db, team))

    async def test_a_unit_moved_under_another_parent(
        self, runtime: Runtime, other: Runtime, team: Team, factory: Factory
    ) -> None:
        # given a unit policy on another deputy, which the directorate is not under yet
        elsewhere = await factory.unit(level=1, organisation_id=team.deputy.organisation_id, name="Kedeputian Lain")
        await factory.policy({"max_remote_days_per_week": 1}, level=int(PolicyLevel.UNIT), org_unit_id=elsewhere.id)
        assert (await week_in(other, team)).plan.remote_days_allowed == 2

        # when the directorate moves under it (an ORM bulk update)
        async with runtime.db.write() as session:
            await session.execute(
                update(OrgUnit).where(OrgUnit.id == team.directorate.id).values(parent_id=elsewhere.id)
            )

        after = await week_in(other, team)
        assert after.plan.remote_days_allowed == 1
        assert summary(after) == summary(await uncached(other.db, team))


class TestWhatBumpsTheVersion:
    @pytest.mark.parametrize("model", POLICY_FACT_MODELS, ids=lambda m: m.__tablename__)
    async def test_any_write_to_a_watched_table(self, runtime: Runtime, redis: Redis, model: type[Base]) -> None:
        facts = runtime.policies.facts
        assert facts is not None
        before = await facts.cache.version()

        async with runtime.db.write() as session:  # a statement that matches no row still marks the transaction
            table = model.__table__
            await session.execute(update(table).where(false()).values({table.c.id: table.c.id}))

        assert await facts.cache.version() != before

    async def test_not_a_persons_own_rows(self, runtime: Runtime, team: Team, factory: Factory) -> None:
        facts = runtime.policies.facts
        assert facts is not None
        before = await facts.cache.version()

        await factory.work_day(team.staff[0], WED, planned=WorkMode.HOME)
        await factory.role(team.staff[1], Role.ADMIN)

        assert await facts.cache.version() == before
        assert WorkDay not in POLICY_FACT_MODELS

    async def test_a_rolled_back_change_bumps_nothing(self, runtime: Runtime, team: Team) -> None:
        facts = runtime.policies.facts
        assert facts is not None
        before = await facts.cache.version()

        with pytest.raises(RuntimeError):
            async with runtime.db.write() as session:
                await session.execute(update(WorkDay.__table__).where(false()).values(day=WorkDay.day))
                table = POLICY_FACT_MODELS[0].__table__
                await session.execute(update(table).where(false()).values({table.c.id: table.c.id}))
                raise RuntimeError("rolled back")

        assert await facts.cache.version() == before


async def test_a_general_cache_keeps_a_value_until_its_version_changes(runtime: Runtime, redis: Redis) -> None:
    cache = VersionedCache(runtime.redis, CircuitBreaker(), version_key="so:test:cache-version", models=())
    loads: list[int] = []

    async def load() -> int:
        loads.append(1)
        return len(loads)

    assert [await cache.get("k", load), await cache.get("k", load)] == [1, 1]
    await redis.set("so:test:cache-version", "another")
    assert await cache.get("k", load) == 2
