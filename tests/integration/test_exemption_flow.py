"""Exemptions end to end through the policy service: requested with an evidence file, recommended by the direct
supervisor, decided by the unit head, withdrawn by the person; who may do each, who may see the file, the lists,
and the 3 calendar months of point 4 (issue 14).

The team is tests.support.policies's: the head manages the deputy (above the directorate), the supervisor
directly supervises the three staff and is not a unit manager.
"""

from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from smartoffice.audit.models import AuditEntry
from smartoffice.errors import InvalidInput, NotFound, PermissionDenied
from smartoffice.people.models import PositionKind
from smartoffice.policies.evidence import checked_evidence
from smartoffice.policies.models import Exemption, ExemptionStatus
from smartoffice.policies.service import PolicyService
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.policies import Team, asking, build_team

WITA = ZoneInfo("Asia/Makassar")
TODAY = date(2026, 12, 1)
NOW = datetime.combine(TODAY, time(9), WITA).astimezone(UTC)
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"


@pytest.fixture
async def team(factory: Factory) -> Team:
    return await build_team(factory)


@pytest.fixture
def policies(runtime: Runtime) -> PolicyService:
    return PolicyService(runtime.db, lambda: NOW)


async def audit(runtime: Runtime) -> list[tuple[str, int | None, dict[str, Any] | None]]:
    async with runtime.db.read() as session:
        rows = await session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(row.action, row.actor_id, row.after) for row in rows]


class TestThreeCalendarMonths:
    """Issue 14, point 4: 14 December → 15 March was accepted as "at most 3 months" (92 days)."""

    @pytest.mark.parametrize("last_day", [date(2027, 3, 14), date(2027, 3, 15)])
    async def test_beyond_three_calendar_months_is_refused(
        self, policies: PolicyService, team: Team, last_day: date
    ) -> None:
        person = team.staff[0]

        with pytest.raises(InvalidInput) as refused:
            await policies.request_exemption(person.id, asking(person, ends_on=last_day))

        assert (refused.value.field, refused.value.code) == ("endsOn", "EXEMPTION_TOO_LONG")
        assert refused.value.message == (
            "An exemption starting on Monday 14 December 2026 may end on Saturday 13 March 2027 at the latest"
        )

    async def test_up_to_the_day_before_the_same_day_three_months_later(
        self, policies: PolicyService, team: Team
    ) -> None:
        person = team.staff[0]

        details = await policies.request_exemption(person.id, asking(person, ends_on=date(2027, 3, 13)))

        assert details.exemption.ends_on == date(2027, 3, 13)

    async def test_a_policys_day_count_is_kept(self, policies: PolicyService, team: Team, factory: Factory) -> None:
        await factory.policy({"exemption_max_days": 92})
        person = team.staff[0]

        accepted = await policies.request_exemption(person.id, asking(person, ends_on=date(2027, 3, 15)))
        with pytest.raises(InvalidInput) as refused:
            await policies.request_exemption(person.id, asking(person, ends_on=date(2027, 3, 16)))

        assert accepted.exemption.ends_on == date(2027, 3, 15)
        assert (refused.value.code, refused.value.params["max"]) == ("EXEMPTION_TOO_LONG", 92)


class TestRequestWithEvidence:
    async def test_the_file_is_stored_and_served_to_those_who_may_see_the_request(
        self, policies: PolicyService, team: Team, factory: Factory
    ) -> None:
        person, colleague = team.staff[0], team.staff[1]
        evidence = checked_evidence("Surat Dokter.pdf", PDF)

        details = await policies.request_exemption(person.id, asking(person, evidence=""), evidence)

        assert details.exemption.evidence == ""  # a file is evidence enough
        assert details.evidence is not None
        assert (details.evidence.file_name, details.evidence.content_type, details.evidence.size_bytes) == (
            "Surat_Dokter.pdf",
            "application/pdf",
            len(PDF),
        )
        exemption_id = details.exemption.id
        for viewer in (person, team.supervisor, team.head, team.admin):
            stored = await policies.exemption_evidence(viewer.id, exemption_id)
            assert (stored.content, stored.sha256) == (PDF, evidence.sha256)
        for outsider in (colleague, team.stranger):
            with pytest.raises(NotFound):
                await policies.exemption_evidence(outsider.id, exemption_id)
            with pytest.raises(NotFound):
                await policies.exemption(outsider.id, exemption_id)

    async def test_without_a_file_the_evidence_must_be_described(self, policies: PolicyService, team: Team) -> None:
        with pytest.raises(InvalidInput) as refused:
            await policies.request_exemption(team.staff[0].id, asking(team.staff[0], evidence="  "))

        assert (refused.value.field, refused.value.code) == ("evidence", "REQUIRED")

    async def test_the_same_form_sent_twice_makes_one_request(self, policies: PolicyService, team: Team) -> None:
        person = team.staff[0]
        evidence = checked_evidence("surat.pdf", PDF)

        first = await policies.request_exemption(person.id, asking(person), evidence, idempotency_key="k-1")
        again = await policies.request_exemption(person.id, asking(person), evidence, idempotency_key="k-1")

        assert again.exemption.id == first.exemption.id
        assert [d.exemption.id for d in await policies.exemptions_of(person.id)] == [first.exemption.id]


class TestRecommendation:
    async def test_only_the_direct_supervisor_recommends_once(
        self, runtime: Runtime, policies: PolicyService, team: Team
    ) -> None:
        person = team.staff[0]
        pending = (await policies.request_exemption(person.id, asking(person))).exemption
        assert [d.exemption.id for d in await policies.exemptions_to_recommend(team.supervisor.id)] == [pending.id]

        for outsider in (person, team.staff[1], team.head, team.admin):
            with pytest.raises(PermissionDenied) as refused:
                await policies.recommend_exemption(outsider.id, pending.id, recommend=True, note=None)
            assert refused.value.code == "NOT_YOUR_RECOMMENDATION"
        recommended = await policies.recommend_exemption(
            team.supervisor.id, pending.id, recommend=False, note=" Beban kerja tinggi "
        )
        with pytest.raises(InvalidInput) as twice:
            await policies.recommend_exemption(team.supervisor.id, pending.id, recommend=True, note=None)

        e = recommended.exemption
        assert (e.status, e.recommendation, e.recommendation_note, e.recommended_at) == (
            ExemptionStatus.PENDING,
            False,
            "Beban kerja tinggi",
            NOW,
        )
        assert recommended.recommended_by is not None and recommended.recommended_by.id == team.supervisor.id
        assert twice.value.code == "EXEMPTION_ALREADY_RECOMMENDED"
        assert await policies.exemptions_to_recommend(team.supervisor.id) == []
        (to_decide,) = await policies.exemptions_to_decide(team.head.id)
        assert to_decide.exemption.recommendation is False
        assert to_decide.recommended_by is not None and to_decide.recommended_by.name == "Atasan Langsung"
        assert await audit(runtime) == [
            (
                "exemption.recommend",
                team.supervisor.id,
                {"recommendation": False, "recommendation_note": "Beban kerja tinggi"},
            )
        ]

    async def test_a_supervisor_who_heads_the_unit_decides_rather_than_recommends(
        self, policies: PolicyService, team: Team, factory: Factory
    ) -> None:
        # the staff's supervisor becomes head of the directorate by position
        head = await factory.employee(team.directorate, position_kind=PositionKind.MANAGERIAL, name="Direktur")
        person = await factory.employee(team.directorate, supervisor_id=head.id, name="Staf 4")
        pending = (await policies.request_exemption(person.id, asking(person))).exemption

        assert await policies.exemptions_to_recommend(head.id) == []
        assert [d.exemption.id for d in await policies.exemptions_to_decide(head.id)] == [pending.id]
        case = await policies.exemption_case(head.id, pending.id)
        assert (case.can_recommend, case.can_decide, case.can_withdraw) == (True, True, False)


class TestDecision:
    async def test_the_head_may_decide_without_a_recommendation_and_override_discipline(
        self, runtime: Runtime, policies: PolicyService, team: Team
    ) -> None:
        person = team.staff[0]
        pending = (await policies.request_exemption(person.id, asking(person))).exemption

        with pytest.raises(PermissionDenied):
            await policies.decide_exemption(team.supervisor.id, pending.id, approve=True, note=None)
        decided = await policies.decide_exemption(
            team.head.id, pending.id, approve=True, note="Disetujui", overrides_discipline=True
        )

        e = decided.exemption
        assert (e.status, e.overrides_discipline, e.decided_by_id) == (ExemptionStatus.APPROVED, True, team.head.id)
        assert decided.decided_by is not None and decided.decided_by.name == "Kepala Deputi"
        assert await audit(runtime) == [
            (
                "exemption.decide",
                team.head.id,
                {"status": "approved", "decision_note": "Disetujui", "overrides_discipline": True},
            )
        ]

    async def test_a_rejection_never_overrides_discipline(self, policies: PolicyService, team: Team) -> None:
        person = team.staff[0]
        pending = (await policies.request_exemption(person.id, asking(person))).exemption

        decided = await policies.decide_exemption(
            team.head.id, pending.id, approve=False, note=None, overrides_discipline=True
        )

        assert (decided.exemption.status, decided.exemption.overrides_discipline) == (ExemptionStatus.REJECTED, False)


class TestWithdrawal:
    async def test_the_person_withdraws_while_it_is_pending(
        self, runtime: Runtime, policies: PolicyService, team: Team
    ) -> None:
        person = team.staff[0]
        pending = (await policies.request_exemption(person.id, asking(person))).exemption

        for outsider in (team.supervisor, team.head, team.staff[1]):
            with pytest.raises(PermissionDenied) as refused:
                await policies.withdraw_exemption(outsider.id, pending.id)
            assert refused.value.code == "NOT_YOUR_REQUEST"
        withdrawn = await policies.withdraw_exemption(person.id, pending.id, via="page")
        with pytest.raises(InvalidInput) as decided:
            await policies.decide_exemption(team.head.id, pending.id, approve=True, note=None)
        with pytest.raises(InvalidInput) as again:
            await policies.withdraw_exemption(person.id, pending.id)

        assert (withdrawn.exemption.status, withdrawn.exemption.withdrawn_at) == (ExemptionStatus.WITHDRAWN, NOW)
        assert decided.value.code == again.value.code == "EXEMPTION_NOT_PENDING"
        assert await policies.exemptions_to_decide(team.head.id) == []
        assert await audit(runtime) == [("exemption.withdraw", person.id, {"status": "withdrawn"})]

    async def test_a_decided_request_cannot_be_withdrawn(
        self, policies: PolicyService, team: Team, factory: Factory
    ) -> None:
        approved: Exemption = await factory.exemption(team.staff[0], date(2026, 12, 14), date(2027, 1, 14))

        with pytest.raises(InvalidInput) as refused:
            await policies.withdraw_exemption(team.staff[0].id, approved.id)

        assert refused.value.code == "EXEMPTION_NOT_PENDING"
