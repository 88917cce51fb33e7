"""Exemptions through GraphQL: request → the supervisor's recommendation → the head's decision (with the discipline
override), withdrawal, the evidence file's description (never its bytes), and who may do what.

The app's clock is Monday 6 July 2026, 06:00 WITA; the team is tests.support.policies's.
"""

from collections.abc import Callable
from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from litestar.testing import AsyncTestClient

from smartoffice.policies.evidence import checked_evidence
from smartoffice.policies.exemptions import ExemptionRequest
from smartoffice.policies.service import PolicyService
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.graphql import GraphQL, data_of, fix_app_clock
from tests.support.policies import MON, TUE, Team, build_team

WITA = ZoneInfo("Asia/Makassar")
NOW = datetime.combine(MON, time(6), WITA).astimezone(UTC)


@pytest.fixture
def clock(client: AsyncTestClient, monkeypatch: pytest.MonkeyPatch) -> Callable[[], datetime]:
    return fix_app_clock(client, monkeypatch, NOW, "policies")


@pytest.fixture
async def team(factory: Factory, clock: Callable[[], datetime]) -> Team:
    return await build_team(factory)


def request_input(**overrides: Any) -> dict[str, Any]:
    return {
        "input": {
            "remoteDaysPerWeek": 5,
            "startsOn": TUE.isoformat(),
            "endsOn": "2026-10-06",  # 3 calendar months from 7 July end on 6 October
            "reason": "Merawat orang tua yang sakit",
            "evidence": "Surat keterangan dokter RSUD",
            "workPlan": "Laporan harian kepada atasan",
            **overrides,
        }
    }


async def test_recommended_then_approved_with_the_discipline_override(graphql: GraphQL, team: Team) -> None:
    person = team.staff[0]
    requested = await data_of(graphql, "RequestExemption", request_input(), as_employee=person.id)
    exemption_id = requested["exemption"]["id"]

    to_recommend = await data_of(graphql, "ExemptionsToRecommend", as_employee=team.supervisor.id)
    assert [e["id"] for e in to_recommend] == [exemption_id]
    assert to_recommend[0]["evidenceFile"] is None
    recommend = {"input": {"exemptionId": exemption_id, "recommend": True, "note": "Layak"}}
    refused = await data_of(graphql, "RecommendExemption", recommend, as_employee=team.head.id, language="id")
    recommended = await data_of(graphql, "RecommendExemption", recommend, as_employee=team.supervisor.id)
    twice = await data_of(graphql, "RecommendExemption", recommend, as_employee=team.supervisor.id)

    assert (refused["__typename"], refused["code"]) == ("PermissionDeniedError", "NOT_YOUR_RECOMMENDATION")
    assert refused["message"].startswith("Hanya atasan langsung pegawai")
    assert recommended["exemption"] == {
        "id": exemption_id,
        "status": "PENDING",
        "recommendation": True,
        "recommendationNote": "Layak",
        "recommendedBy": {"name": "Atasan Langsung"},
    }
    assert (twice["__typename"], twice["code"]) == ("ValidationError", "EXEMPTION_ALREADY_RECOMMENDED")
    assert await data_of(graphql, "ExemptionsToRecommend", as_employee=team.supervisor.id) == []

    lists = (await graphql("Exemptions", as_employee=team.head.id))["data"]
    assert [(e["id"], e["recommendation"]) for e in lists["exemptionsToDecide"]] == [(exemption_id, True)]
    decide = {"input": {"exemptionId": exemption_id, "approve": True, "note": "Disetujui", "overridesDiscipline": True}}
    decided = await data_of(graphql, "DecideExemption", decide, as_employee=team.head.id)

    assert decided["exemption"] | {"decidedAt": None} == {
        "id": exemption_id,
        "status": "APPROVED",
        "decidedAt": None,
        "decisionNote": "Disetujui",
        "overridesDiscipline": True,
        "recommendation": True,
        "decidedBy": {"name": "Kepala Deputi"},
    }
    withdraw = {"input": {"exemptionId": exemption_id}}
    too_late = await data_of(graphql, "WithdrawExemption", withdraw, as_employee=person.id)
    assert (too_late["__typename"], too_late["code"]) == ("ValidationError", "EXEMPTION_NOT_PENDING")


async def test_three_calendar_months(graphql: GraphQL, team: Team) -> None:
    too_long = await data_of(
        graphql, "RequestExemption", request_input(endsOn="2026-10-07"), as_employee=team.staff[0].id, language="id"
    )

    assert (too_long["__typename"], too_long["field"], too_long["code"]) == (
        "ValidationError",
        "endsOn",
        "EXEMPTION_TOO_LONG",
    )
    assert "6 Oktober 2026" in too_long["message"]


async def test_the_person_withdraws_and_nobody_else(graphql: GraphQL, team: Team) -> None:
    person = team.staff[0]
    exemption_id = (await data_of(graphql, "RequestExemption", request_input(), as_employee=person.id))["exemption"][
        "id"
    ]
    withdraw = {"input": {"exemptionId": exemption_id}}

    refused = await data_of(graphql, "WithdrawExemption", withdraw, as_employee=team.head.id)
    withdrawn = await data_of(graphql, "WithdrawExemption", withdraw, as_employee=person.id)

    assert (refused["__typename"], refused["code"]) == ("PermissionDeniedError", "NOT_YOUR_REQUEST")
    assert withdrawn["exemption"]["status"] == "WITHDRAWN"
    assert withdrawn["exemption"]["withdrawnAt"] is not None
    mine = (await graphql("Exemptions", as_employee=person.id))["data"]["myExemptions"]
    assert [(e["id"], e["status"]) for e in mine] == [(exemption_id, "WITHDRAWN")]
    assert (await graphql("Exemptions", as_employee=team.head.id))["data"]["exemptionsToDecide"] == []


async def test_the_evidence_file_is_described_with_a_download_address(
    graphql: GraphQL, team: Team, runtime: Runtime
) -> None:
    person = team.staff[0]
    pdf = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
    request = ExemptionRequest(
        employee_id=person.id,
        remote_days_per_week=3,
        starts_on=TUE,
        ends_on=TUE.replace(month=8),
        reason="Merawat orang tua",
        evidence="",
        work_plan="Laporan harian",
    )
    policies = PolicyService(runtime.db, lambda: NOW)  # the app's clock (the app's own runtime runs in its loop)
    details = await policies.request_exemption(person.id, request, checked_evidence("surat dokter.pdf", pdf))

    (listed,) = await data_of(graphql, "ExemptionsToRecommend", as_employee=team.supervisor.id)

    assert listed["evidenceFile"] == {
        "fileName": "surat_dokter.pdf",
        "contentType": "application/pdf",
        "sizeBytes": len(pdf),
        "sha256": checked_evidence("x.pdf", pdf).sha256,
        "downloadUrl": f"/exemptions/{details.exemption.id}/evidence",
    }
