"""The head of a unit by position is its unit manager without a grant (issue 11 item 3), over GraphQL: they decide
their staff's exemptions and see their unit's compliance; a struktural employee who is not the head, and a former
head (moved or deactivated), may not."""

from collections.abc import Callable
from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from litestar.testing import AsyncTestClient

from smartoffice.ids import encode_id
from smartoffice.people.models import Employee
from smartoffice.policies.errors import PolicyPermissionCode
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.graphql import GraphQL, data_of, fix_app_clock
from tests.support.org_chart import OrgChart, build_org_chart, set_employee
from tests.support.policies import MON, TUE

NOT_YOUR_DECISION = PolicyPermissionCode.NOT_YOUR_DECISION.message_in("en")
NOT_YOUR_UNIT = PolicyPermissionCode.NOT_YOUR_UNIT.message_in("en")
NOW = datetime.combine(MON, time(6), ZoneInfo("Asia/Makassar")).astimezone(UTC)


@pytest.fixture
def clock(client: AsyncTestClient, monkeypatch: pytest.MonkeyPatch) -> Callable[[], datetime]:
    return fix_app_clock(client, monkeypatch, NOW)


@pytest.fixture
async def org(factory: Factory, clock: Callable[[], datetime]) -> OrgChart:
    return await build_org_chart(factory)


async def request_exemption(graphql: GraphQL, person: Employee) -> str:
    variables = {
        "input": {
            "remoteDaysPerWeek": 5,
            "startsOn": TUE.isoformat(),
            "endsOn": "2026-08-31",
            "reason": "Merawat orang tua yang sakit",
            "evidence": "Surat keterangan dokter RSUD",
            "workPlan": "Laporan harian kepada atasan",
        }
    }
    requested = await data_of(graphql, "RequestExemption", variables, as_employee=person.id)
    exemption_id: str = requested["exemption"]["id"]
    return exemption_id


async def decide(graphql: GraphQL, exemption_id: str, actor: Employee) -> Any:
    variables = {"input": {"exemptionId": exemption_id, "approve": True, "note": "Disetujui"}}
    return await data_of(graphql, "DecideExemption", variables, as_employee=actor.id)


async def compliance(graphql: GraphQL, org: OrgChart, actor: Employee) -> Any:
    unit = encode_id("OrgUnit", org.directorate.id)
    return await data_of(graphql, "UnitCompliance", {"unitId": unit}, as_employee=actor.id)


async def test_the_head_by_position_decides_and_monitors_without_a_grant(graphql: GraphQL, org: OrgChart) -> None:
    exemption_id = await request_exemption(graphql, org.staff[0])

    decided = await decide(graphql, exemption_id, org.director)
    report = await compliance(graphql, org, org.director)

    assert decided["__typename"] == "DecideExemptionSuccess"
    assert decided["exemption"]["status"] == "APPROVED"
    assert report["__typename"] == "UnitCompliance"
    assert {m["employee"]["name"] for m in report["members"]} == {
        "Direktur",
        "Kasubdit",
        "Staf 1",
        "Staf 2",
        "Ketua Tim",
    }


async def test_the_head_of_the_unit_above_too(graphql: GraphQL, org: OrgChart) -> None:
    exemption_id = await request_exemption(graphql, org.lead)  # in a team below the directorate

    decided = await decide(graphql, exemption_id, org.deputy_head)

    assert decided["__typename"] == "DecideExemptionSuccess"
    assert (await compliance(graphql, org, org.deputy_head))["__typename"] == "UnitCompliance"


@pytest.mark.parametrize("who", ["vice", "other_director", "lead"])
async def test_struktural_or_not_only_the_head_may(graphql: GraphQL, org: OrgChart, who: str) -> None:
    # the vice is managerial in the unit but reports inside it; the sibling's head heads another unit; the team
    # lead's post is functional
    actor = getattr(org, who)
    exemption_id = await request_exemption(graphql, org.staff[1])

    refused = await decide(graphql, exemption_id, actor)
    report = await compliance(graphql, org, actor)

    assert (refused["__typename"], refused["message"]) == ("PermissionDeniedError", NOT_YOUR_DECISION)
    assert (report["__typename"], report["message"]) == ("PermissionDeniedError", NOT_YOUR_UNIT)


async def test_a_former_head_moved_to_the_sibling_directorate_may_not(
    graphql: GraphQL, org: OrgChart, runtime: Runtime
) -> None:
    exemption_id = await request_exemption(graphql, org.staff[0])
    await set_employee(runtime.db, org.director, org_unit_id=org.sibling.id)

    refused = await decide(graphql, exemption_id, org.director)
    report = await compliance(graphql, org, org.director)

    assert refused["__typename"] == "PermissionDeniedError"
    assert report["__typename"] == "PermissionDeniedError"


async def test_a_former_head_who_left_is_nobody(graphql: GraphQL, org: OrgChart, runtime: Runtime) -> None:
    # the demo header naming a person who left identifies nobody (smartoffice.api.context.demo_viewer)
    exemption_id = await request_exemption(graphql, org.staff[0])
    await set_employee(runtime.db, org.director, active=False)

    variables = {"input": {"exemptionId": exemption_id, "approve": True, "note": "Disetujui"}}
    refused = await graphql("DecideExemption", variables, as_employee=org.director.id)
    unit = encode_id("OrgUnit", org.directorate.id)
    report = await graphql("UnitCompliance", {"unitId": unit}, as_employee=org.director.id)

    assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert report["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_the_head_by_position_is_asked_to_decide(graphql: GraphQL, org: OrgChart) -> None:
    # needs policies/lists.py's exemptions_to_decide to read roles.managed_unit_roots
    exemption_id = await request_exemption(graphql, org.staff[0])

    director = (await graphql("Exemptions", as_employee=org.director.id))["data"]["exemptionsToDecide"]
    vice = (await graphql("Exemptions", as_employee=org.vice.id))["data"]["exemptionsToDecide"]

    assert [e["id"] for e in director] == [exemption_id]
    assert vice == []
