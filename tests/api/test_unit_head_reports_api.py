"""``unitComplianceTrend`` and ``unitDay`` through GraphQL: the unit's managers and administrators see them, with the
rules of ``unitCompliance``; anyone else gets PermissionDeniedError.

The app's clock is Friday 3 July 2026, 09:00 WITA: the weeks of ``tests.support.policies`` are ahead of it.
"""

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from litestar.testing import AsyncTestClient

from smartoffice.ids import encode_id
from smartoffice.policies.models import WorkMode
from tests.factories import Factory
from tests.support.graphql import GraphQL, data_of, fix_app_clock
from tests.support.policies import TUE, WEEK, Team, build_team

NOW = datetime.combine(date(2026, 7, 3), time(9), ZoneInfo("Asia/Makassar")).astimezone(UTC)


@pytest.fixture
def clock(client: AsyncTestClient, monkeypatch: pytest.MonkeyPatch) -> Callable[[], datetime]:
    return fix_app_clock(client, monkeypatch, NOW)


@pytest.fixture
async def team(factory: Factory, clock: Callable[[], datetime]) -> Team:
    return await build_team(factory)


async def test_the_trend_by_week(graphql: GraphQL, team: Team) -> None:
    unit = encode_id("OrgUnit", team.directorate.id)
    trend = await data_of(
        graphql, "UnitComplianceTrend", {"unitId": unit, "weekOf": TUE.isoformat()}, as_employee=team.head.id
    )
    short = await data_of(graphql, "UnitComplianceTrend", {"unitId": unit, "weeks": 2}, as_employee=team.admin.id)
    too_long = await data_of(graphql, "UnitComplianceTrend", {"unitId": unit, "weeks": 27}, as_employee=team.admin.id)

    assert trend["__typename"] == "UnitComplianceTrend"
    assert [w["weekOf"] for w in trend["weeks"]] == [(WEEK - timedelta(weeks=n)).isoformat() for n in range(7, -1, -1)]
    last = trend["weeks"][-1]
    assert last["members"] == 4
    assert sum(c["count"] for c in last["counts"]) == 4
    assert {c["status"] for c in last["counts"]} >= {"COMPLIANT", "AT_RISK", "NON_COMPLIANT"}
    assert [w["weekOf"] for w in short["weeks"]] == [(WEEK - timedelta(weeks=2)).isoformat(), "2026-06-29"]
    assert (too_long["__typename"], too_long["field"], too_long["code"]) == ("ValidationError", "weeks", "OUT_OF_RANGE")


async def test_who_is_in(graphql: GraphQL, team: Team, factory: Factory) -> None:
    await factory.work_day(team.staff[0], TUE, planned=WorkMode.OFFICE)
    await factory.work_day(team.staff[1], TUE, planned=WorkMode.HOME)
    unit = encode_id("OrgUnit", team.directorate.id)

    day = await data_of(graphql, "UnitDay", {"unitId": unit, "date": TUE.isoformat()}, as_employee=team.head.id)

    assert day["__typename"] == "UnitDay" and day["date"] == TUE.isoformat()
    assert [(m["employee"]["name"], m["presence"]) for m in day["members"]] == [
        ("Staf 1", "IN_OFFICE"),
        ("Staf 2", "REMOTE"),
        ("Atasan Langsung", "NO_PLAN"),
        ("Staf 3", "NO_PLAN"),
    ]
    assert day["members"][1]["planned"] == "HOME"


async def test_the_rules_of_unit_compliance(graphql: GraphQL, team: Team) -> None:
    unit = encode_id("OrgUnit", team.directorate.id)
    for name in ("UnitComplianceTrend", "UnitDay"):
        for person in (team.supervisor, team.staff[0], team.stranger):
            refused = await data_of(graphql, name, {"unitId": unit}, as_employee=person.id)
            assert refused["__typename"] == "PermissionDeniedError", (name, person.name)
        missing = await data_of(graphql, name, {"unitId": encode_id("OrgUnit", 999_999)}, as_employee=team.admin.id)
        assert missing["__typename"] == "NotFoundError"
