"""Where a remote day is worked, through GraphQL (issue 14, point 8): setWorkPlan takes the location kind and
detail, answers them on the work day, and a policy restricting the kinds refuses the others as a
PolicyRefusalError naming itself. The clock is Monday 6 July 2026, 06:00 WITA."""

from collections.abc import Callable
from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from litestar.testing import AsyncTestClient

from smartoffice.policies.models import PolicyLevel
from tests.factories import Factory
from tests.support.graphql import GraphQL, fix_app_clock
from tests.support.policies import MON, TUE, WED, Team, build_team

NOW = datetime.combine(MON, time(6), ZoneInfo("Asia/Makassar")).astimezone(UTC)
PLAN = """
mutation Plan($input: SetWorkPlanInput!) {
  setWorkPlan(input: $input) {
    __typename
    ... on SetWorkPlanSuccess { workDay { date planned locationKind locationDetail } }
    ... on PolicyRefusalError { code message policy legalBasis }
    ... on ValidationError { field code message }
  }
}
"""


@pytest.fixture
def clock(client: AsyncTestClient, monkeypatch: pytest.MonkeyPatch) -> Callable[[], datetime]:
    return fix_app_clock(client, monkeypatch, NOW)


@pytest.fixture
async def team(factory: Factory, clock: Callable[[], datetime]) -> Team:
    return await build_team(factory)


async def plan(graphql: GraphQL, person: int, language: str = "en", **fields: Any) -> Any:
    body = await graphql(PLAN, {"input": fields}, as_employee=person, language=language)
    assert "errors" not in body, body
    return body["data"]["setWorkPlan"]


async def test_a_remote_day_says_where_it_is_worked(graphql: GraphQL, team: Team) -> None:
    person = team.staff[0].id

    anywhere = await plan(
        graphql,
        person,
        date=TUE.isoformat(),
        mode="ANYWHERE",
        locationKind="AGENCY_OFFICE",
        locationDetail="Kantor Regional Balikpapan",
    )
    home = await plan(graphql, person, date=WED.isoformat(), mode="HOME")
    nowhere = await plan(graphql, person, language="id", date=MON.isoformat(), mode="ANYWHERE")
    office_somewhere = await plan(graphql, person, date=MON.isoformat(), mode="OFFICE", locationKind="AGENCY_OFFICE")

    assert anywhere["workDay"] == {
        "date": TUE.isoformat(),
        "planned": "ANYWHERE",
        "locationKind": "AGENCY_OFFICE",
        "locationDetail": "Kantor Regional Balikpapan",
    }
    assert home["workDay"] == {
        "date": WED.isoformat(),
        "planned": "HOME",
        "locationKind": "REGISTERED_HOME",
        "locationDetail": None,
    }
    assert (nowhere["__typename"], nowhere["field"], nowhere["code"]) == (
        "ValidationError",
        "locationKind",
        "ANYWHERE_NEEDS_A_PLACE",
    )
    assert "kantor lain" in nowhere["message"]
    assert (office_somewhere["field"], office_somewhere["code"]) == ("locationKind", "LOCATION_ONLY_FOR_REMOTE")


async def test_a_kind_the_policies_do_not_allow_is_refused_naming_the_policy(
    graphql: GraphQL, team: Team, factory: Factory
) -> None:
    await factory.policy(
        {"allowed_location_kinds": ["registered_home", "agency_office"]},
        name="Lokasi kerja fleksibel Bappenas",
        legal_basis="Keputusan Menteri PPN 5/2025",
        level=int(PolicyLevel.AGENCY),
        organisation_id=team.deputy.organisation_id,
    )

    refused = await plan(
        graphql,
        team.staff[0].id,
        language="id",
        date=TUE.isoformat(),
        mode="ANYWHERE",
        locationKind="DESIGNATED_PLACE",
        locationDetail="Ruang kerja bersama Sepaku",
    )

    assert refused["__typename"] == "PolicyRefusalError"
    assert (refused["code"], refused["policy"], refused["legalBasis"]) == (
        "LOCATION_KIND_NOT_ALLOWED",
        "Lokasi kerja fleksibel Bappenas",
        "Keputusan Menteri PPN 5/2025",
    )
    assert "Selasa, 7 Juli 2026" in refused["message"]


WEEK_DAYS = """
query Week($employeeId: ID) {
  myWeek(employeeId: $employeeId) {
    __typename
    ... on MyWeek { days { date planned locationKind locationDetail } }
  }
}
"""


async def test_the_week_says_where_each_remote_day_is_worked(graphql: GraphQL, team: Team) -> None:
    person = team.staff[0].id
    await plan(
        graphql,
        person,
        date=TUE.isoformat(),
        mode="ANYWHERE",
        locationKind="DESIGNATED_PLACE",
        locationDetail="Perpustakaan IKN",
    )
    await plan(graphql, person, date=WED.isoformat(), mode="HOME")

    body = await graphql(WEEK_DAYS, {"employeeId": None}, as_employee=person)

    days = {day["date"]: day for day in body["data"]["myWeek"]["days"]}
    assert days[TUE.isoformat()] == {
        "date": TUE.isoformat(),
        "planned": "ANYWHERE",
        "locationKind": "DESIGNATED_PLACE",
        "locationDetail": "Perpustakaan IKN",
    }
    assert (days[WED.isoformat()]["locationKind"], days[MON.isoformat()]["locationKind"]) == ("REGISTERED_HOME", None)
