"""A unit head's reports on a real database: the compliance trend (the same statuses as each week's report, from
one bulk load), who is in on a day, a unit's report filtered to a sub-unit, the anchor days in force and
scheduled, and a direct supervisor's team.

Weeks are fixed dates, judged as of the Friday before (``TODAY``): 6-10 and 13-17 July 2026 hold no holiday.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from smartoffice.db import Database
from smartoffice.errors import InvalidInput, NotFound, PermissionDenied
from smartoffice.policies import anchor_days, unit_days, unit_trend, weeks
from smartoffice.policies.engine import ComplianceStatus
from smartoffice.policies.models import WorkMode
from smartoffice.policies.unit_days import Presence
from tests.factories import Factory
from tests.support.policies import MON, NEXT_WEEK, THU, TUE, WED, WEEK, Team, build_team

TODAY = date(2026, 7, 3)
"""A Friday: the weeks of ``tests.support.policies`` are ahead of it."""


@pytest.fixture
async def team(factory: Factory) -> Team:
    return await build_team(factory)


@contextmanager
def counted(db: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.strip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
            statements.append(statement)

    engine = db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


class TestTrend:
    async def test_each_week_has_the_statuses_of_its_own_report(
        self, db: Database, team: Team, factory: Factory
    ) -> None:
        # the unit's anchor day changes in the middle of the range: each week must plan with its own
        await factory.policy({"anchor_days_required": True}, name="Hari jangkar wajib")
        async with db.write() as session:
            await anchor_days.set_anchor_days(session, team.head.id, team.directorate.id, [2], WEEK, TODAY)
            await anchor_days.set_anchor_days(session, team.head.id, team.directorate.id, [0], NEXT_WEEK, TODAY)
        for day in (MON, WED):
            await factory.work_day(team.staff[0], day, planned=WorkMode.HOME)
        await factory.work_day(team.staff[1], NEXT_WEEK, planned=WorkMode.HOME)
        for day in (TUE, WED, THU):  # compliant under Wednesday's anchor, not under Monday's too
            await factory.work_day(team.staff[2], day, planned=WorkMode.OFFICE)
        last = NEXT_WEEK + timedelta(weeks=1)

        async with db.read() as session:
            trend = await unit_trend.unit_trend(session, team.head.id, team.directorate.id, last, 4, TODAY)
            reports = [
                await weeks.unit_week(session, team.head.id, team.directorate.id, week.monday, TODAY)
                for week in trend.weeks
            ]

        assert [w.monday for w in trend.weeks] == [WEEK - timedelta(weeks=1), WEEK, NEXT_WEEK, last]
        for week, report in zip(trend.weeks, reports, strict=True):
            statuses = [plan.status for _, plan in report.weeks]
            assert {s: week.counts[s] for s in ComplianceStatus} == {s: statuses.count(s) for s in ComplianceStatus}
        assert trend.weeks[1].members == 4
        assert trend.weeks[1].counts[ComplianceStatus.COMPLIANT] == 1

    async def test_eight_weeks_cost_the_queries_of_one(self, db: Database, team: Team) -> None:
        async with db.read() as session:
            with counted(db) as one:
                await unit_trend.unit_trend(session, team.head.id, team.deputy.id, WEEK, 1, TODAY)
            with counted(db) as eight:
                await unit_trend.unit_trend(session, team.head.id, team.deputy.id, WEEK, 8, TODAY)

        assert len(eight) == len(one)

    async def test_the_compliant_share_leaves_out_who_could_not_be_judged(self) -> None:
        counts = {status: 0 for status in ComplianceStatus}
        counts[ComplianceStatus.COMPLIANT] = 1
        counts[ComplianceStatus.AT_RISK] = 2
        week = unit_trend.TrendWeek(WEEK, counts)
        nobody = unit_trend.TrendWeek(WEEK, {status: 0 for status in ComplianceStatus})

        assert (week.members, week.compliant_percent) == (3, 33)
        assert nobody.compliant_percent is None

    async def test_only_unit_managers_and_a_bounded_range(self, db: Database, team: Team) -> None:
        async with db.read() as session:
            for viewer in (team.supervisor, team.stranger):
                with pytest.raises(PermissionDenied):
                    await unit_trend.unit_trend(session, viewer.id, team.directorate.id, WEEK, 8, TODAY)
            with pytest.raises(InvalidInput) as too_long:
                await unit_trend.unit_trend(session, team.admin.id, team.directorate.id, WEEK, 27, TODAY)
            with pytest.raises(NotFound):
                await unit_trend.unit_trend(session, team.admin.id, 999_999, WEEK, 8, TODAY)
        assert too_long.value.field == "weeks"


class TestWhoIsIn:
    async def test_each_member_by_where_they_are(self, db: Database, team: Team, factory: Factory) -> None:
        await factory.work_day(team.staff[0], TUE, planned=WorkMode.OFFICE)
        await factory.work_day(team.staff[1], TUE, planned=WorkMode.ANYWHERE)
        await factory.work_day(team.staff[2], TUE, planned=WorkMode.DUTY_TRAVEL)

        async with db.read() as session:
            day = await unit_days.unit_day(session, team.head.id, team.directorate.id, TUE, TODAY)

        assert [(p.employee.name, p.presence) for p in day.people] == [
            ("Staf 1", Presence.IN_OFFICE),
            ("Staf 2", Presence.REMOTE),
            ("Staf 3", Presence.AWAY),
            ("Atasan Langsung", Presence.NO_PLAN),
        ]

    async def test_a_past_day_nobody_reported_is_no_data_not_no_plan(
        self, db: Database, team: Team, factory: Factory
    ) -> None:
        yesterday = TODAY - timedelta(days=1)
        await factory.work_day(team.staff[0], yesterday, actual=WorkMode.ABSENT)
        await factory.work_day(team.staff[1], yesterday, planned=WorkMode.HOME)

        async with db.read() as session:
            day = await unit_days.unit_day(session, team.head.id, team.directorate.id, yesterday, TODAY)

        assert [(p.employee.name, p.presence) for p in day.people] == [
            ("Staf 2", Presence.REMOTE),
            ("Staf 1", Presence.ABSENT),
            ("Atasan Langsung", Presence.NO_DATA),
            ("Staf 3", Presence.NO_DATA),
        ]

    async def test_a_stranger_and_a_supervisor_are_refused(self, db: Database, team: Team) -> None:
        async with db.read() as session:
            for viewer in (team.supervisor, team.stranger):
                with pytest.raises(PermissionDenied):
                    await unit_days.unit_day(session, viewer.id, team.directorate.id, TUE, TODAY)


class TestReportAndAnchorDays:
    async def test_a_sub_unit_of_the_subtree_only(self, db: Database, team: Team) -> None:
        async with db.read() as session:
            whole = await unit_days.unit_report(session, team.head.id, team.deputy.id, WEEK, TODAY, None)
            part = await unit_days.unit_report(session, team.head.id, team.deputy.id, WEEK, TODAY, team.directorate.id)
            with pytest.raises(NotFound):
                await unit_days.unit_report(session, team.admin.id, team.directorate.id, WEEK, TODAY, team.deputy.id)

        assert [(u.name, u.depth) for u in whole.units] == [
            ("Kedeputian Pendanaan", 0),
            ("Direktorat Perencanaan", 1),
        ]
        assert len(whole.week.weeks) == 5 and len(part.week.weeks) == 4
        assert part.unit.id == team.deputy.id and part.week.unit.id == team.directorate.id

    async def test_in_force_scheduled_and_inherited(self, db: Database, team: Team) -> None:
        async with db.write() as session:
            await anchor_days.set_anchor_days(session, team.head.id, team.deputy.id, [2], TODAY, TODAY)
            await anchor_days.set_anchor_days(session, team.head.id, team.deputy.id, [1, 3], NEXT_WEEK, TODAY)
        async with db.read() as session:
            deputy = await unit_days.anchor_schedule(session, team.head.id, team.deputy.id, TODAY)
            directorate = await unit_days.anchor_schedule(session, team.head.id, team.directorate.id, TODAY)
            with pytest.raises(PermissionDenied):
                await unit_days.anchor_schedule(session, team.supervisor.id, team.directorate.id, TODAY)

        assert deputy.current is not None and deputy.current.weekdays == (2,)
        assert [(s.weekdays, s.effective_from) for s in deputy.scheduled] == [((1, 3), NEXT_WEEK)]
        assert directorate.current is None and directorate.inherited_from is not None
        assert (directorate.inherited_from.id, directorate.inherited) == (team.deputy.id, (2,))


class TestTeam:
    async def test_a_supervisor_sees_their_direct_reports(self, db: Database, team: Team) -> None:
        async with db.read() as session:
            mine = await unit_days.team_week(session, team.supervisor.id, TUE, TODAY)
            nobody = await unit_days.team_week(session, team.stranger.id, TUE, TODAY)

        assert mine.monday == WEEK
        assert [e.name for e, _ in mine.weeks] == ["Staf 1", "Staf 2", "Staf 3"]
        assert nobody.weeks == []
