"""Office-day policies through GraphQL: the example operations, executed against the real app.

The app's clock is set to Monday 6 July 2026, 06:00 WITA (a week without holidays), so "this week" and "today"
are fixed; the team is the one the service tests use (tests.support.policies).
"""

from collections.abc import Callable
from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from litestar.testing import AsyncTestClient

from smartoffice.ids import encode_id
from smartoffice.policies import day_rules, engine, models
from smartoffice.policies.api import policy_types, types
from smartoffice.policies.models import PolicyLevel, WorkMode
from tests.factories import Factory
from tests.support.graphql import GraphQL, data_of, fix_app_clock
from tests.support.policies import MON, THU, TUE, WED, WEEK, Team, build_team

WITA = ZoneInfo("Asia/Makassar")
NOW = datetime.combine(MON, time(6), WITA).astimezone(UTC)


@pytest.fixture
def clock(client: AsyncTestClient, monkeypatch: pytest.MonkeyPatch) -> Callable[[], datetime]:
    """The app's runtime (opened by the client's lifespan) on a fixed clock."""
    return fix_app_clock(client, monkeypatch, NOW)


@pytest.fixture
async def team(factory: Factory, clock: Callable[[], datetime]) -> Team:
    return await build_team(factory)


def gid(type_name: str, ident: int) -> str:
    return encode_id(type_name, ident)


class TestMyWeek:
    async def test_your_week_by_default(self, graphql: GraphQL, team: Team) -> None:
        week = await data_of(graphql, "MyWeek", as_employee=team.staff[0].id)

        assert week["__typename"] == "MyWeek"
        assert (week["employee"]["name"], week["weekOf"], week["today"]) == ("Staf 1", WEEK.isoformat(), "2026-07-06")
        assert [d["requirement"] for d in week["days"]] == ["FLEXIBLE"] * 5 + ["NOT_WORKING"] * 2
        assert (week["officeDaysNeeded"], week["remoteDaysAllowed"], week["officeDaysToChoose"]) == (3, 2, 3)
        assert week["neededBecause"] == [
            {
                "code": "MAX_REMOTE_DAYS",
                "message": "At most 2 remote days in this week of 5 working days",
                "policy": {
                    "code": team.national.code,
                    "name": "Batas kerja fleksibel lokasi nasional",
                    "legalBasis": team.national.legal_basis,
                    "level": "NATIONAL",
                },
            }
        ]
        assert week["workingHours"] == {"start": "07:30:00", "hoursPerWeek": 37.5}
        assert week["coPresence"] == {"daysNeeded": 0, "daysShared": 0}
        assert (week["status"], [p["code"] for p in week["problems"]]) == ("AT_RISK", ["TOO_FEW_OFFICE_DAYS"])

    async def test_in_indonesian_with_a_required_day(self, graphql: GraphQL, team: Team, factory: Factory) -> None:
        await factory.policy(
            {"anchor_days_required": True},
            level=int(PolicyLevel.UNIT),
            org_unit_id=team.deputy.id,
            name="Hari wajib hadir",
            legal_basis="Keputusan Deputi 1/2026",
        )
        await factory.anchor_day(team.directorate, WED.weekday())

        week = await data_of(
            graphql,
            "MyWeek",
            {"employeeId": gid("Employee", team.staff[0].id), "weekOf": THU.isoformat()},
            as_employee=team.supervisor.id,
            language="id",
        )

        wednesday = week["days"][2]
        assert (wednesday["date"], wednesday["requirement"]) == (WED.isoformat(), "REQUIRED")
        assert wednesday["reasons"] == [
            {
                "code": "ANCHOR_DAY",
                "message": "Hari wajib hadir unit kerja Anda",
                "policy": {
                    "code": wednesday["reasons"][0]["policy"]["code"],
                    "name": "Hari wajib hadir",
                    "legalBasis": "Keputusan Deputi 1/2026",
                    "level": "UNIT",
                },
            }
        ]
        assert week["problems"][0]["message"] == (
            "Rabu, 8 Juli adalah hari wajib bekerja di kantor dan belum ada meja atau rencana kerja di kantor"
        )
        assert week["problems"][0]["date"] == WED.isoformat()

    async def test_a_stranger_is_refused_and_a_bad_id_is_invalid(self, graphql: GraphQL, team: Team) -> None:
        refused = await data_of(
            graphql,
            "MyWeek",
            {"employeeId": gid("Employee", team.staff[0].id)},
            as_employee=team.stranger.id,
            language="id",
        )
        invalid = await data_of(graphql, "MyWeek", {"employeeId": gid("Desk", 1)}, as_employee=team.stranger.id)

        assert refused["__typename"] == "PermissionDeniedError"
        assert refused["message"].startswith("Hanya pegawai yang bersangkutan")
        assert (invalid["__typename"], invalid["field"], invalid["code"]) == (
            "ValidationError",
            "employeeId",
            "INVALID_ID",
        )

    async def test_anonymous_callers_get_an_authentication_error(self, graphql: GraphQL, team: Team) -> None:
        body = await graphql("MyWeek")

        assert body["data"] is None
        assert body["errors"]


class TestUnitCompliance:
    async def test_the_head_sees_members_and_shares(self, graphql: GraphQL, team: Team, factory: Factory) -> None:
        for person in team.staff[:2]:
            await factory.work_day(person, TUE, planned=WorkMode.HOME)

        report = await data_of(
            graphql,
            "UnitCompliance",
            {"unitId": gid("OrgUnit", team.directorate.id)},
            as_employee=team.head.id,
        )

        assert (report["unit"]["name"], report["weekOf"]) == ("Direktorat Perencanaan", WEEK.isoformat())
        assert [m["employee"]["name"] for m in report["members"]] == ["Atasan Langsung", "Staf 1", "Staf 2", "Staf 3"]
        assert report["members"][1]["officeDaysNeeded"] == 3
        assert (report["members"][1]["remoteDays"], report["members"][1]["status"]) == (1, "AT_RISK")
        assert report["atRiskCount"] == 4
        tuesday = report["remoteShares"][1]
        assert {k: tuesday[k] for k in ("date", "members", "remote", "capPercent", "breached")} == {
            "date": TUE.isoformat(),
            "members": 4,
            "remote": 2,
            "capPercent": 30,
            "breached": True,
        }
        assert tuesday["policy"]["name"] == "Batas kerja fleksibel lokasi nasional"

    async def test_refused_and_not_found(self, graphql: GraphQL, team: Team) -> None:
        refused = await data_of(
            graphql, "UnitCompliance", {"unitId": gid("OrgUnit", team.directorate.id)}, as_employee=team.staff[0].id
        )
        missing = await data_of(
            graphql, "UnitCompliance", {"unitId": gid("OrgUnit", 999_999)}, as_employee=team.admin.id
        )

        assert refused["__typename"] == "PermissionDeniedError"
        assert (missing["__typename"], missing["message"]) == ("NotFoundError", "Unit 999999 does not exist")


class TestSetWorkPlan:
    async def test_plan_clear_and_the_allowance(self, graphql: GraphQL, team: Team) -> None:
        person = team.staff[0].id

        async def set_plan(day: str, mode: str | None, **options: Any) -> Any:
            return await data_of(
                graphql, "SetWorkPlan", {"input": {"date": day, "mode": mode}}, as_employee=person, **options
            )

        assert await set_plan(MON.isoformat(), "HOME") == {
            "__typename": "SetWorkPlanSuccess",
            "workDay": {"date": MON.isoformat(), "planned": "HOME", "actual": None},
        }
        where = {"locationKind": "AGENCY_OFFICE", "locationDetail": "Kantor Regional Balikpapan"}
        anywhere = await data_of(
            graphql,
            "SetWorkPlan",
            {"input": {"date": TUE.isoformat(), "mode": "ANYWHERE", **where}},
            as_employee=person,
        )
        assert anywhere["__typename"] == "SetWorkPlanSuccess"
        refused = await set_plan(THU.isoformat(), "HOME", language="id")
        cleared = await set_plan(MON.isoformat(), None)

        assert refused == {
            "__typename": "PolicyRefusalError",
            "message": "Minggu ini Anda boleh bekerja dari luar kantor 2 hari dan semuanya sudah direncanakan: "
            "Batas kerja fleksibel lokasi nasional (PermenPANRB 4/2025 Pasal 13(1))",
            "code": "REMOTE_ALLOWANCE_USED",
            "policy": "Batas kerja fleksibel lokasi nasional",
            "legalBasis": "PermenPANRB 4/2025 Pasal 13(1)",
        }
        assert cleared["workDay"] == {"date": MON.isoformat(), "planned": None, "actual": None}

    async def test_a_past_day_and_someone_elses_plan(self, graphql: GraphQL, team: Team) -> None:
        past = await data_of(
            graphql, "SetWorkPlan", {"input": {"date": "2026-07-03", "mode": "HOME"}}, as_employee=team.staff[0].id
        )
        not_yours = await data_of(
            graphql,
            "SetWorkPlan",
            {"input": {"employeeId": gid("Employee", team.staff[1].id), "date": TUE.isoformat(), "mode": "HOME"}},
            as_employee=team.staff[0].id,
        )

        assert (past["__typename"], past["field"], past["code"]) == ("ValidationError", "date", "PAST_DAY")
        assert not_yours["__typename"] == "PermissionDeniedError"


class TestRecordAttendance:
    async def test_the_supervisor_reports_the_person_may_not(self, graphql: GraphQL, team: Team) -> None:
        variables = {
            "input": {"employeeId": gid("Employee", team.staff[0].id), "date": MON.isoformat(), "mode": "OFFICE"}
        }

        reported = await data_of(graphql, "RecordAttendance", variables, as_employee=team.supervisor.id)
        refused = await data_of(graphql, "RecordAttendance", variables, as_employee=team.staff[0].id)

        assert reported["workDay"] == {"date": MON.isoformat(), "planned": None, "actual": "OFFICE"}
        assert refused["__typename"] == "PermissionDeniedError"


def exemption_input(**overrides: Any) -> dict[str, Any]:
    return {
        "input": {
            "remoteDaysPerWeek": 5,
            "startsOn": TUE.isoformat(),
            "endsOn": "2026-08-31",
            "reason": "Merawat orang tua yang sakit",
            "evidence": "Surat keterangan dokter RSUD",
            "workPlan": "Laporan harian kepada atasan",
            **overrides,
        }
    }


class TestExemptions:
    async def test_request_decide_and_list(self, graphql: GraphQL, team: Team) -> None:
        person = team.staff[0]
        requested = await data_of(graphql, "RequestExemption", exemption_input(), as_employee=person.id)
        exemption = requested["exemption"]
        assert (exemption["status"], exemption["employee"]["name"], exemption["remoteDaysPerWeek"]) == (
            "PENDING",
            "Staf 1",
            5,
        )

        lists = await graphql("Exemptions", as_employee=team.head.id)
        assert [e["id"] for e in lists["data"]["exemptionsToDecide"]] == [exemption["id"]]

        decide = {"input": {"exemptionId": exemption["id"], "approve": True, "note": "Disetujui"}}
        refused = await data_of(graphql, "DecideExemption", decide, as_employee=team.supervisor.id, language="id")
        decided = await data_of(graphql, "DecideExemption", decide, as_employee=team.head.id)
        again = await data_of(graphql, "DecideExemption", decide, as_employee=team.head.id)

        assert refused["__typename"] == "PermissionDeniedError"
        assert refused["message"].startswith("Hanya pimpinan unit kerja pegawai")
        assert (decided["exemption"]["status"], decided["exemption"]["decisionNote"]) == ("APPROVED", "Disetujui")
        assert (again["__typename"], again["code"]) == ("ValidationError", "EXEMPTION_NOT_PENDING")
        mine = (await graphql("Exemptions", as_employee=person.id))["data"]
        assert [(e["id"], e["status"]) for e in mine["myExemptions"]] == [(exemption["id"], "APPROVED")]
        assert mine["exemptionsToDecide"] == []
        week = await data_of(graphql, "MyWeek", as_employee=person.id)
        assert [r["code"] for r in week["neededBecause"]] == ["EXEMPTION"]

    async def test_a_request_without_a_reason(self, graphql: GraphQL, team: Team) -> None:
        invalid = await data_of(
            graphql, "RequestExemption", exemption_input(reason=" "), as_employee=team.staff[0].id, language="id"
        )

        assert invalid == {
            "__typename": "ValidationError",
            "message": "reason wajib diisi",
            "field": "reason",
            "code": "REQUIRED",
        }


class TestSetAnchorDays:
    async def test_the_head_sets_them_and_the_week_follows(
        self, graphql: GraphQL, team: Team, factory: Factory
    ) -> None:
        await factory.policy({"anchor_days_required": True}, level=int(PolicyLevel.UNIT), org_unit_id=team.deputy.id)
        variables = {
            "input": {
                "unitId": gid("OrgUnit", team.directorate.id),
                "weekdays": ["WEDNESDAY", "MONDAY"],
                "effectiveFrom": MON.isoformat(),
            }
        }

        refused = await data_of(graphql, "SetAnchorDays", variables, as_employee=team.staff[0].id)
        saved = await data_of(graphql, "SetAnchorDays", variables, as_employee=team.head.id)

        assert refused["__typename"] == "PermissionDeniedError"
        assert saved == {
            "__typename": "SetAnchorDaysSuccess",
            "unitId": gid("OrgUnit", team.directorate.id),
            "weekdays": ["MONDAY", "WEDNESDAY"],
            "effectiveFrom": MON.isoformat(),
        }
        week = await data_of(graphql, "MyWeek", as_employee=team.staff[0].id)
        assert [d["requirement"] for d in week["days"][:5]] == [
            "REQUIRED",
            "FLEXIBLE",
            "REQUIRED",
            "FLEXIBLE",
            "FLEXIBLE",
        ]


def policy_input(**overrides: Any) -> dict[str, Any]:
    return {
        "input": {
            "code": "KINERJA-BAIK",
            "name": "Kerja jarak jauh hanya untuk kinerja baik",
            "level": "AGENCY",
            "legalBasis": "Peraturan Sekretaris Utama 3/2026",
            "setBy": "Sekretaris Utama",
            "effectiveFrom": MON.isoformat(),
            "scope": {"orgUnitId": None, "positionKind": "FUNCTIONAL"},
            "rules": {
                "eligibility": {"ratings": ["SANGAT_BAIK", "BAIK"]},
                "workingHours": {"start": "08:00:00", "hoursPerWeek": 32.5},
                "anchorDaysRequired": False,
            },
            **overrides,
        }
    }


class TestCreateAndEndPolicy:
    async def test_an_admin_creates_and_ends_one(self, graphql: GraphQL, team: Team) -> None:
        created = await data_of(
            graphql,
            "CreatePolicy",
            policy_input(scope={"orgUnitId": gid("OrgUnit", team.deputy.id), "positionKind": "FUNCTIONAL"}),
            as_employee=team.admin.id,
        )

        policy = created["policy"]
        assert (policy["level"], policy["isOverlay"], policy["effectiveUntil"]) == ("AGENCY", False, None)
        assert policy["scope"] == {
            "organisationId": None,
            "orgUnitId": gid("OrgUnit", team.deputy.id),
            "positionKind": "FUNCTIONAL",
            "positionLevel": None,
            "employmentType": None,
            "buildingId": None,
            "employeeId": None,
        }
        assert policy["rules"]["eligibility"] == {
            "noDisciplineCase": False,
            "minDaysInPost": None,
            "ratings": ["SANGAT_BAIK", "BAIK"],
        }
        assert policy["rules"]["workingHours"] == {"start": "08:00:00", "hoursPerWeek": 32.5}
        assert (policy["rules"]["anchorDaysRequired"], policy["rules"]["maxRemoteDaysPerWeek"]) == (False, None)
        week = await data_of(graphql, "MyWeek", as_employee=team.staff[0].id)  # no rating: no remote day
        assert (week["remoteDaysAllowed"], week["workingHours"]["start"]) == (0, "08:00:00")
        assert week["days"][0]["reasons"][1]["code"] == "RATING_NOT_ALLOWED"

        ended = await data_of(
            graphql,
            "EndPolicy",
            {"input": {"policyId": policy["id"], "lastDay": WED.isoformat()}},
            as_employee=team.admin.id,
        )
        assert ended["policy"]["effectiveUntil"] == WED.isoformat()
        in_force = [
            p["code"] for p in await data_of(graphql, "Policies", {"at": THU.isoformat()}, as_employee=team.staff[0].id)
        ]
        assert in_force == [team.national.code]

    async def test_invalid_rules_are_a_validation_error(self, graphql: GraphQL, team: Team) -> None:
        invalid = await data_of(
            graphql,
            "CreatePolicy",
            policy_input(rules={"maxRemoteDaysPerWeek": 9}),
            as_employee=team.admin.id,
        )

        assert (invalid["__typename"], invalid["field"], invalid["code"]) == (
            "ValidationError",
            "rules",
            "INVALID_RULES",
        )
        assert "max_remote_days_per_week" in invalid["message"]

    async def test_a_unit_manager_may_not_set_an_overlay_and_scopes_must_exist(
        self, graphql: GraphQL, team: Team
    ) -> None:
        overlay = await data_of(
            graphql,
            "CreatePolicy",
            policy_input(level="UNIT", isOverlay=True, scope={"orgUnitId": gid("OrgUnit", team.directorate.id)}),
            as_employee=team.head.id,
            language="id",
        )
        missing = await data_of(
            graphql,
            "CreatePolicy",
            policy_input(scope={"orgUnitId": gid("OrgUnit", 999_999)}),
            as_employee=team.admin.id,
        )

        assert overlay["__typename"] == "PermissionDeniedError"
        assert overlay["message"].startswith("Administrator menetapkan kebijakan tingkat instansi")
        assert missing == {
            "__typename": "NotFoundError",
            "message": "Unit 999999 does not exist",
            "id": gid("OrgUnit", 999_999),
        }

    async def test_ending_before_the_start(self, graphql: GraphQL, team: Team) -> None:
        result = await data_of(
            graphql,
            "EndPolicy",
            {"input": {"policyId": gid("Policy", team.national.id), "lastDay": "2025-01-01"}},
            as_employee=team.admin.id,
            language="id",
        )

        assert (result["__typename"], result["field"], result["code"], result["message"]) == (
            "ValidationError",
            "lastDay",
            "RANGE_REVERSED",
            "Tanggal akhir tidak boleh sebelum tanggal awal",
        )


class TestPolicies:
    async def test_individual_arrangements_are_shown_to_the_person_and_admins(
        self, graphql: GraphQL, team: Team, factory: Factory
    ) -> None:
        personal = await factory.policy(
            {"max_remote_days_per_week": 1}, level=int(PolicyLevel.INDIVIDUAL), employee_id=team.staff[0].id
        )

        def codes(policies: list[dict[str, Any]]) -> list[str]:
            return [p["code"] for p in policies]

        assert codes(await data_of(graphql, "Policies", as_employee=team.staff[0].id)) == [
            team.national.code,
            personal.code,
        ]
        assert codes(await data_of(graphql, "Policies", as_employee=team.staff[1].id)) == [team.national.code]
        assert codes(await data_of(graphql, "Policies", as_employee=team.admin.id)) == [
            team.national.code,
            personal.code,
        ]
        national = (await data_of(graphql, "Policies", as_employee=team.staff[1].id))[0]
        assert national["rules"]["eligibility"] == {"noDisciplineCase": True, "minDaysInPost": 180, "ratings": None}
        assert national["rules"]["maxUnitRemotePercent"] == 30


class TestBookingUnderAnOccupancyCap:
    async def test_book_desk_is_refused_naming_the_policy(self, graphql: GraphQL, team: Team, factory: Factory) -> None:
        floor = await factory.floor()
        desks = [await factory.desk(floor) for _ in range(2)]
        await factory.policy(
            {"building_occupancy_percent": 50},
            building_id=floor.building_id,
            is_overlay=True,
            name="Pembatasan darurat 50%",
            legal_basis="SE Menteri PANRB 19/2020",
        )

        def book(desk_index: int) -> dict[str, Any]:
            return {"input": {"deskId": gid("Desk", desks[desk_index].id), "date": TUE.isoformat()}}

        booked = await data_of(graphql, "BookDesk", book(0), as_employee=team.staff[0].id)
        refused = await data_of(graphql, "BookDesk", book(1), as_employee=team.staff[1].id, language="id")
        dry_run = await data_of(graphql, "ValidateBookDesk", book(1), as_employee=team.staff[1].id)

        assert booked["__typename"] == "BookSuccess"
        assert refused == {
            "__typename": "PolicyRefusalError",
            "message": "Gedung ini dibatasi 50% dari mejanya (1) pada hari itu, dan semuanya sudah dipesan: "
            "Pembatasan darurat 50% (SE Menteri PANRB 19/2020)",
            "code": "OCCUPANCY_CAP",
            "policy": "Pembatasan darurat 50%",
            "legalBasis": "SE Menteri PANRB 19/2020",
        }
        assert dry_run["__typename"] == "PolicyRefusalError"


@pytest.mark.parametrize(
    ("graphql_enum", "domain_enum"),
    [
        (types.ReasonCode, day_rules.ReasonCode),
        (types.DayRequirement, engine.Requirement),
        (types.ComplianceStatus, engine.ComplianceStatus),
        (types.WorkMode, models.WorkMode),
        (policy_types.PolicyLevel, models.PolicyLevel),
        (types.ExemptionStatus, models.ExemptionStatus),
        (policy_types.PerformanceRating, models.Rating),
    ],
)
def test_graphql_enums_cover_the_domain(graphql_enum: Any, domain_enum: Any) -> None:
    """A value the engine gains must gain a GraphQL value too, or answers naming it would fail."""
    assert [member.name for member in graphql_enum] == [member.name for member in domain_enum]
