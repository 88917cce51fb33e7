"""Issue 14's engine corrections through GraphQL: hours per day, the NO_DATA state, the unit share's allowance,
pro-rating as a policy's rule, and ratings in words.

The app's clock is Monday 6 July 2026, 06:00 WITA; the team is tests.support.policies' (a directorate of four).
"""

from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from litestar.testing import AsyncTestClient

from smartoffice.ids import encode_id
from smartoffice.policies.models import PolicyLevel, Rating
from tests.factories import Factory
from tests.support.graphql import GraphQL
from tests.support.policies import MON, THU, Team, build_team

NOW = datetime.combine(MON, time(6), ZoneInfo("Asia/Makassar")).astimezone(UTC)
LAST_WEEK = date(2026, 6, 29)

WEEK_QUERY = """
query ($weekOf: Date) {
  myWeek(weekOf: $weekOf) {
    __typename
    ... on MyWeek {
      status
      days { date noAttendanceData hours { start end hours } }
      problems { code message }
      neededBecause { code message policy { code } }
    }
  }
}
"""


@pytest.fixture
async def team(client: AsyncTestClient, monkeypatch: pytest.MonkeyPatch, factory: Factory) -> Team:
    def now() -> datetime:
        return NOW

    runtime = client.app.state.runtime
    for service in (runtime, runtime.bookings, runtime.policies):
        monkeypatch.setattr(service, "clock", now)
    return await build_team(factory)


async def data(graphql: GraphQL, document: str, variables: dict[str, Any], **options: Any) -> Any:
    body = await graphql(document, variables, **options)
    assert "errors" not in body, body
    (result,) = body["data"].values()
    return result


async def test_each_day_has_its_own_hours_from_that_day_s_rules(graphql: GraphQL, team: Team, factory: Factory) -> None:
    # a Ramadan overlay that starts on a Thursday, with Friday's own hours (Perpres 21/2023)
    days = [{"weekday": n, "start": "08:00:00", "end": "15:00:00", "hours": 6.5} for n in range(4)]
    days.append({"weekday": 4, "start": "08:00:00", "end": "15:30:00", "hours": 6.5})
    await factory.policy(
        {"working_hours": {"start": "08:00:00", "hours_per_week": 32.5, "days": days}},
        is_overlay=True,
        effective_from=THU,
        name="Ramadan",
    )

    week = await data(graphql, WEEK_QUERY, {}, as_employee=team.staff[0].id)

    hours = [(d["hours"]["start"], d["hours"]["end"], d["hours"]["hours"]) for d in week["days"][:5]]
    assert hours == [("07:30:00", "16:00:00", 7.5)] * 3 + [("08:00:00", "15:00:00", 6.5), ("08:00:00", "15:30:00", 6.5)]
    assert week["days"][5]["hours"] is None


async def test_a_past_week_without_attendance_data_is_no_data(graphql: GraphQL, team: Team) -> None:
    week = await data(
        graphql, WEEK_QUERY, {"weekOf": LAST_WEEK.isoformat()}, as_employee=team.staff[0].id, language="id"
    )
    report = await data(
        graphql,
        """query ($unit: ID!, $weekOf: Date) { unitCompliance(unitId: $unit, weekOf: $weekOf) {
             ... on UnitCompliance { nonCompliantCount noDataCount members { status }
                                     remoteShares { members capPercent allowed breached } } } }""",
        {"unit": encode_id("OrgUnit", team.directorate.id), "weekOf": LAST_WEEK.isoformat()},
        as_employee=team.head.id,
    )

    assert week["status"] == "NO_DATA"
    assert all(d["noAttendanceData"] for d in week["days"][:5])
    assert week["problems"][0]["code"] == "NO_ATTENDANCE_DATA"
    assert week["problems"][0]["message"].startswith("Tidak ada data kehadiran untuk 5 hari kerja")
    assert (report["nonCompliantCount"], report["noDataCount"]) == (0, 4)
    assert report["remoteShares"][0] == {"members": 4, "capPercent": 30, "allowed": 1, "breached": False}


async def test_pro_rating_is_a_policy_s_rule(graphql: GraphQL, team: Team, factory: Factory) -> None:
    await factory.policy(
        {"prorate_short_weeks": True}, level=int(PolicyLevel.AGENCY), code="PRORATA", legal_basis="Keputusan PPK"
    )

    policies = await data(
        graphql, "{ policies { code rules { prorateShortWeeks } } }", {}, as_employee=team.staff[0].id
    )
    independence_week = await data(graphql, WEEK_QUERY, {"weekOf": "2026-08-17"}, as_employee=team.staff[0].id)

    assert {p["code"]: p["rules"]["prorateShortWeeks"] for p in policies}["PRORATA"] is True
    assert independence_week["neededBecause"][0] == {
        "code": "MAX_REMOTE_DAYS",
        "message": "At most 1 remote day in this week of 4 working days (pro-rated)",
        "policy": {"code": "PRORATA"},
    }


async def test_ratings_read_as_words_in_indonesian(graphql: GraphQL, team: Team, factory: Factory) -> None:
    # issue 14, point 9: "Butuh Perbaikan", never the code butuh_perbaikan
    await factory.policy({"eligibility": {"ratings": ["sangat_baik", "baik"]}}, name="Syarat kinerja")
    await factory.rating(team.staff[0], Rating.BUTUH_PERBAIKAN)

    week = await data(graphql, WEEK_QUERY, {}, as_employee=team.staff[0].id, language="id")

    reasons = " ".join(p["message"] for p in week["problems"]) + " ".join(r["message"] for r in week["neededBecause"])
    query = "{ myWeek { ... on MyWeek { days { reasons { code message } } } } }"
    days = await data(graphql, query, {}, as_employee=team.staff[0].id, language="id")
    rating = next(r["message"] for r in days["days"][0]["reasons"] if r["code"] == "RATING_NOT_ALLOWED")
    assert "Butuh Perbaikan" in rating and "Sangat Baik, Baik" in rating
    assert "_" not in rating + reasons


async def test_an_admin_states_pro_rating_and_hours_per_day(graphql: GraphQL, team: Team) -> None:
    friday = {"weekday": 4, "start": "08:00:00", "end": "15:30:00", "hours": 6.5}
    created = await data(
        graphql,
        """mutation ($input: CreatePolicyInput!) { createPolicy(input: $input) {
             ... on CreatePolicySuccess { policy { rules { prorateShortWeeks
                   workingHours { start hoursPerWeek days { weekday start end hours } } } } }
             ... on ValidationError { code message } } }""",
        {
            "input": {
                "code": "PRORATA-RAMADAN",
                "name": "Prorata dan jam Ramadan",
                "level": "AGENCY",
                "legalBasis": "Keputusan PPK 9/2026",
                "setBy": "PPK",
                "effectiveFrom": MON.isoformat(),
                "scope": {},
                "rules": {
                    "prorateShortWeeks": True,
                    "workingHours": {"start": "08:00:00", "hoursPerWeek": 32.5, "days": [friday]},
                },
            }
        },
        as_employee=team.admin.id,
    )

    assert created["policy"]["rules"] == {
        "prorateShortWeeks": True,
        "workingHours": {"start": "08:00:00", "hoursPerWeek": 32.5, "days": [friday]},
    }
