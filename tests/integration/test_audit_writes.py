"""Each change an administrator or a manager makes writes one audit entry, in its transaction, with who made it,
through what, when (the service's clock) and the changed fields before and after; a refused change writes none."""

from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from smartoffice.audit.models import AuditEntry
from smartoffice.errors import PermissionDenied
from smartoffice.identity.scopes import Scope
from smartoffice.identity.service import IdentityService
from smartoffice.identity.sessions import SessionStore
from smartoffice.policies.models import ExemptionStatus, PolicyLevel
from smartoffice.policies.policy_changes import PolicyDraft
from smartoffice.policies.service import PolicyService
from smartoffice.runtime import Runtime
from smartoffice.workcalendar.models import DayKind
from smartoffice.workcalendar.service import WorkCalendarService
from tests.factories import Factory
from tests.support.auth import login_session
from tests.support.policies import NEXT_WEEK, WEEK, Team, build_team

NOW = datetime.combine(date(2026, 7, 3), time(9), ZoneInfo("Asia/Makassar")).astimezone(UTC)
"""The services' clock: the Friday before ``WEEK``."""


@pytest.fixture
async def team(factory: Factory) -> Team:
    return await build_team(factory)


@pytest.fixture
def policies(runtime: Runtime) -> PolicyService:
    return PolicyService(runtime.db, lambda: NOW)


async def entries(runtime: Runtime) -> list[AuditEntry]:
    async with runtime.db.read() as session:
        return list(await session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def summary(entry: AuditEntry) -> tuple[Any, ...]:
    return (entry.action, entry.actor_id, entry.via, entry.at, entry.entity_kind, entry.entity_id)


def unit_policy(team: Team, **overrides: Any) -> PolicyDraft:
    values: dict[str, Any] = {
        "code": "DIT-4-HARI",
        "name": "Empat hari di kantor",
        "level": PolicyLevel.UNIT,
        "is_overlay": False,
        "legal_basis": "Keputusan Direktur 2/2026",
        "set_by": "Direktur Perencanaan",
        "effective_from": WEEK,
        "effective_until": None,
        "rules": {"min_office_days_per_week": 4},
        "scope": {"org_unit_id": team.directorate.id},
    }
    return PolicyDraft(**{**values, **overrides})


class TestPolicies:
    async def test_creating_and_ending_a_policy(self, runtime: Runtime, team: Team, policies: PolicyService) -> None:
        policy = await policies.create_policy(team.head.id, unit_policy(team), via="page")
        await policies.end_policy(team.head.id, policy.id, NEXT_WEEK)

        created, ended = await entries(runtime)
        assert summary(created) == ("policy.create", team.head.id, "page", NOW, "Policy", policy.id)
        assert created.before is None and created.org_unit_id == team.directorate.id
        assert created.after is not None
        assert {k: created.after[k] for k in ("code", "level", "effective_from", "effective_until", "rules")} == {
            "code": "DIT-4-HARI",
            "level": int(PolicyLevel.UNIT),
            "effective_from": WEEK.isoformat(),
            "effective_until": None,
            "rules": {"min_office_days_per_week": 4},
        }
        assert summary(ended) == ("policy.end", team.head.id, "api", NOW, "Policy", policy.id)
        assert (ended.before, ended.after) == ({"effective_until": None}, {"effective_until": NEXT_WEEK.isoformat()})

    async def test_a_building_policy_belongs_to_its_site(
        self, runtime: Runtime, team: Team, factory: Factory, policies: PolicyService
    ) -> None:
        building = await factory.building()
        draft = unit_policy(team, level=PolicyLevel.NATIONAL, scope={"building_id": building.id})
        await policies.create_policy(team.admin.id, draft)

        (entry,) = await entries(runtime)
        assert (entry.site_id, entry.org_unit_id) == (building.site_id, None)

    async def test_a_refused_change_writes_nothing(self, runtime: Runtime, team: Team, policies: PolicyService) -> None:
        with pytest.raises(PermissionDenied):
            await policies.create_policy(team.stranger.id, unit_policy(team))
        with pytest.raises(PermissionDenied):
            await policies.end_policy(team.head.id, team.national.id, NEXT_WEEK)
        assert await entries(runtime) == []


class TestExemptionsAndAnchorDays:
    async def test_deciding_an_exemption(
        self, runtime: Runtime, team: Team, factory: Factory, policies: PolicyService
    ) -> None:
        person = team.staff[0]
        pending = await factory.exemption(person, WEEK, NEXT_WEEK, status=ExemptionStatus.PENDING)

        await policies.decide_exemption(team.head.id, pending.id, approve=False, note=" Tidak cukup bukti ")

        (entry,) = await entries(runtime)
        assert summary(entry) == ("exemption.decide", team.head.id, "api", NOW, "Exemption", pending.id)
        assert (entry.before, entry.after) == (
            {"status": "pending"},
            {"status": "rejected", "decision_note": "Tidak cukup bukti"},
        )
        assert entry.org_unit_id == person.org_unit_id

    async def test_setting_a_units_anchor_days(self, runtime: Runtime, team: Team, policies: PolicyService) -> None:
        await policies.set_anchor_days(team.head.id, team.directorate.id, [2], WEEK)
        await policies.set_anchor_days(team.head.id, team.directorate.id, [0, 4], NEXT_WEEK, via="page")

        first, second = await entries(runtime)
        assert summary(first) == ("anchor_days.set", team.head.id, "api", NOW, "OrgUnit", team.directorate.id)
        assert (first.before, first.after) == ({"weekdays": []}, {"weekdays": [2], "effective_from": "2026-07-06"})
        assert (second.via, second.before, second.after) == (
            "page",
            {"weekdays": [2]},
            {"weekdays": [0, 4], "effective_from": "2026-07-13"},
        )
        assert second.org_unit_id == team.directorate.id


class TestCalendar:
    async def test_setting_changing_and_removing_an_override(self, runtime: Runtime, team: Team) -> None:
        calendar = WorkCalendarService(runtime.db, lambda: NOW)
        day = date(2026, 12, 24)

        await calendar.set_override(team.admin.id, day, DayKind.COLLECTIVE_LEAVE, "Cuti bersama Natal")
        await calendar.set_override(team.admin.id, day, DayKind.COLLECTIVE_LEAVE, "Cuti bersama Natal")  # no change
        await calendar.set_override(team.admin.id, day, DayKind.WORKING_DAY, "Hari kerja", via="page")
        await calendar.remove_override(team.admin.id, day)
        await calendar.remove_override(team.admin.id, day)  # nothing left to remove

        first, changed, removed = await entries(runtime)
        assert [e.action for e in (first, changed, removed)] == [
            "calendar_override.set",
            "calendar_override.set",
            "calendar_override.remove",
        ]
        assert summary(first)[1:5] == (team.admin.id, "api", NOW, "CalendarOverride")
        assert (first.before, first.after) == (
            None,
            {"day": "2026-12-24", "kind": "collective_leave", "name": "Cuti bersama Natal"},
        )
        assert (changed.via, changed.after) == (
            "page",
            {"day": "2026-12-24", "kind": "working_day", "name": "Hari kerja"},
        )
        assert (removed.before, removed.after) == (changed.after, None)
        assert removed.entity_id == first.entity_id

    async def test_a_refused_override_writes_nothing(self, runtime: Runtime, team: Team) -> None:
        with pytest.raises(PermissionDenied):
            await runtime.work_calendar.set_override(team.head.id, date(2026, 12, 24), DayKind.WORKING_DAY, "Kerja")
        assert await entries(runtime) == []


class TestTokensAndSessions:
    async def test_issuing_and_revoking_a_token(self, runtime: Runtime, team: Team) -> None:
        identity = IdentityService(runtime.db, runtime.identity.sessions, lambda: NOW)
        owner = team.staff[0]

        issued = await identity.issue_token(
            team.admin.id, owner_id=owner.id, name="e-presensi", scopes=[Scope.BOOKINGS_READ], expires_in_days=30
        )
        await identity.revoke_token(team.admin.id, issued.token.id, via="page")
        await identity.revoke_token(team.admin.id, issued.token.id)  # already revoked: no change, no entry

        issue, revoke = await entries(runtime)
        assert summary(issue) == ("token.issue", team.admin.id, "api", NOW, "ApiToken", issued.token.id)
        assert issue.before is None and issue.after is not None
        assert {k: issue.after[k] for k in ("owner_id", "name", "scopes")} == {
            "owner_id": owner.id,
            "name": "e-presensi",
            "scopes": ["bookings:read"],
        }
        assert issued.secret not in str(issue.after)
        assert summary(revoke) == ("token.revoke", team.admin.id, "page", NOW, "ApiToken", issued.token.id)
        assert (revoke.before, revoke.after) == ({"revoked_at": None}, {"revoked_at": NOW.isoformat()})

    async def test_revoking_someones_sessions(self, runtime: Runtime, team: Team) -> None:
        identity = IdentityService(runtime.db, SessionStore(runtime.redis, 3600), lambda: NOW)
        person = team.staff[1]
        await login_session(runtime, person.id)
        await login_session(runtime, person.id)

        assert await identity.revoke_sessions(team.admin.id, person.id) == 2

        (entry,) = await entries(runtime)
        assert summary(entry) == ("session.revoke", team.admin.id, "api", NOW, "Employee", person.id)
        assert entry.after == {"sessions_ended": 2}

    async def test_a_refused_token_change_writes_nothing(self, runtime: Runtime, team: Team) -> None:
        with pytest.raises(PermissionDenied):
            await runtime.identity.issue_token(
                team.head.id, owner_id=team.head.id, name="x", scopes=[Scope.BOOKINGS_READ]
            )
        with pytest.raises(PermissionDenied):
            await runtime.identity.revoke_sessions(team.head.id, team.staff[0].id)
        assert await entries(runtime) == []
