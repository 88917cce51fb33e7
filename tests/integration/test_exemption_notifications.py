"""Exemption notifications, made in the exemption's own transaction: a request to the person's direct supervisor
and the nearest unit managers (never the requester, never every admin), a decision to the person and whoever
asked for them; a refused request makes none.

The team is tests.support.policies's: the deputy's head (managerial, granted unit manager of the deputy) is the
nearest unit manager above the directorate; the supervisor directly supervises the staff.
"""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from smartoffice.errors import InvalidInput
from smartoffice.notifications.models import NotificationKind
from smartoffice.people.models import PositionKind, Role
from smartoffice.people.roles import nearest_unit_managers
from smartoffice.policies.service import PolicyService
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.notifications import all_notifications, notifications_of
from tests.support.policies import Team, asking, build_team

WITA = ZoneInfo("Asia/Makassar")
TODAY = date(2026, 12, 1)
NOW = datetime.combine(TODAY, time(9), WITA).astimezone(UTC)
REQUESTED, DECIDED = NotificationKind.EXEMPTION_REQUESTED, NotificationKind.EXEMPTION_DECIDED


@pytest.fixture
async def team(factory: Factory) -> Team:
    return await build_team(factory)


@pytest.fixture
def policies(runtime: Runtime) -> PolicyService:
    return PolicyService(runtime.db, lambda: NOW)


async def recipients(runtime: Runtime, kind: NotificationKind) -> set[int]:
    return {n.recipient_id for n in await all_notifications(runtime) if n.kind == kind}


class TestRequested:
    async def test_the_supervisor_and_the_unit_head_are_told(
        self, runtime: Runtime, policies: PolicyService, team: Team
    ) -> None:
        person = team.staff[0]

        details = await policies.request_exemption(person.id, asking(person))

        assert await recipients(runtime, REQUESTED) == {team.supervisor.id, team.head.id}
        (told,) = await notifications_of(runtime, team.head.id, REQUESTED)
        assert told.in_app and told.read_at is None
        assert told.dedupe_key == f"exemption:{details.exemption.id}:requested"
        assert (told.data["exemptionId"], told.data["personId"], told.data["personName"]) == (
            details.exemption.id,
            person.id,
            person.name,
        )
        assert (told.data["startsOn"], told.data["remoteDaysPerWeek"], told.data["actorName"]) == (
            "2026-12-14",
            5,
            person.name,
        )
        assert await notifications_of(runtime, team.admin.id) == []  # not every admin
        assert await notifications_of(runtime, person.id) == []

    async def test_not_the_requester(self, runtime: Runtime, policies: PolicyService, team: Team) -> None:
        # the supervisor asks for one of their staff: only the head is told
        await policies.request_exemption(team.supervisor.id, asking(team.staff[1]))
        assert await recipients(runtime, REQUESTED) == {team.head.id}

    async def test_the_nearest_unit_with_a_manager_decides(
        self, runtime: Runtime, policies: PolicyService, team: Team, factory: Factory
    ) -> None:
        # given a head by position of the directorate itself and a manager granted over it
        director = await factory.employee(team.directorate, position_kind=PositionKind.MANAGERIAL)
        granted = await factory.employee()
        await factory.role(granted, Role.UNIT_MANAGER, org_unit_id=team.directorate.id)

        await policies.request_exemption(team.staff[2].id, asking(team.staff[2]))

        # then they are asked, and the deputy's head above them is not
        assert await recipients(runtime, REQUESTED) == {team.supervisor.id, director.id, granted.id}

    async def test_a_head_asking_for_themself_goes_up(self, runtime: Runtime, team: Team, factory: Factory) -> None:
        director = await factory.employee(team.directorate, position_kind=PositionKind.MANAGERIAL)
        async with runtime.db.read() as session:
            for_staff = await nearest_unit_managers(session, team.directorate.id, besides=team.staff[0].id)
            for_director = await nearest_unit_managers(session, team.directorate.id, besides=director.id)
        assert (for_staff, for_director) == ([director.id], [team.head.id])

    async def test_a_refused_request_tells_nobody(self, runtime: Runtime, policies: PolicyService, team: Team) -> None:
        person = team.staff[0]
        with pytest.raises(InvalidInput):
            await policies.request_exemption(person.id, asking(person, reason="  "))
        assert await all_notifications(runtime) == []


class TestDecided:
    async def test_the_person_is_told(self, runtime: Runtime, policies: PolicyService, team: Team) -> None:
        person = team.staff[0]
        asked = await policies.request_exemption(person.id, asking(person))

        await policies.decide_exemption(
            team.head.id, asked.exemption.id, approve=True, note="Disetujui, semoga lekas sembuh"
        )

        assert await recipients(runtime, DECIDED) == {person.id}
        (told,) = await notifications_of(runtime, person.id, DECIDED)
        assert told.dedupe_key == f"exemption:{asked.exemption.id}:decided"
        assert (told.data["approved"], told.data["note"], told.data["actorName"]) == (
            True,
            "Disetujui, semoga lekas sembuh",
            team.head.name,
        )
        assert told.actor_id == team.head.id

    async def test_whoever_asked_is_told_too(self, runtime: Runtime, policies: PolicyService, team: Team) -> None:
        person = team.staff[1]
        asked = await policies.request_exemption(team.supervisor.id, asking(person))

        await policies.decide_exemption(team.head.id, asked.exemption.id, approve=False, note=None)

        assert await recipients(runtime, DECIDED) == {person.id, team.supervisor.id}
        (told,) = await notifications_of(runtime, team.supervisor.id, DECIDED)
        assert (told.data["approved"], told.data["note"]) == (False, None)
