"""Granting and revoking roles (RoleService): who may grant what, every refusal, the audit entries, and the list
with the heads of units by position (issue 11 item 3)."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from smartoffice.audit.models import AuditEntry
from smartoffice.audit.record import Actor
from smartoffice.errors import DomainError, InvalidInput, NotFound
from smartoffice.people import roles
from smartoffice.people.errors import RoleInputCode, RolePermissionCode
from smartoffice.people.grants import RoleService
from smartoffice.people.models import Employee
from smartoffice.people.role_grant import GrantableRole, RoleGrant
from smartoffice.people.role_listing import RoleSearch
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.org_chart import OrgChart, build_org_chart, set_employee

NOW = datetime(2026, 7, 6, 1, tzinfo=UTC)
ADMIN, FACILITIES, UNIT, ROOM = (
    GrantableRole.ADMIN,
    GrantableRole.FACILITIES_MANAGER,
    GrantableRole.UNIT_MANAGER,
    GrantableRole.ROOM_APPROVER,
)


@pytest.fixture
def service(runtime: Runtime) -> RoleService:
    return RoleService(runtime.db, lambda: NOW)


@pytest.fixture
async def org(factory: Factory) -> OrgChart:
    return await build_org_chart(factory)


def by(person: Employee) -> Actor:
    return Actor(person.id, "test")


async def audit(runtime: Runtime) -> list[tuple[str | None, int | None, int | None, int | None, object]]:
    async with runtime.db.read() as session:
        rows = await session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(e.action, e.actor_id, e.site_id, e.org_unit_id, e.after or e.before) for e in rows]


async def refused(service: RoleService, actor: Employee, grant: RoleGrant, *, revoke: bool = False) -> DomainError:
    with pytest.raises(DomainError) as caught:
        await (service.revoke if revoke else service.grant)(by(actor), grant)
    return caught.value


class TestAdmins:
    async def test_grant_list_and_revoke_a_facilities_manager_audited(
        self, service: RoleService, org: OrgChart, runtime: Runtime
    ) -> None:
        grant = RoleGrant(org.staff[0].id, FACILITIES, org.site.id)

        await service.grant(by(org.admin), grant)
        await service.grant(by(org.admin), grant)  # again: nothing changes, nothing written
        listed = (await service.assignments(org.admin.id, RoleSearch(employee_id=org.staff[0].id))).grants
        async with runtime.db.read() as session:
            may = await roles.is_facilities_manager(session, org.staff[0].id, org.site.id)
        await service.revoke(by(org.admin), grant)

        assert listed == [grant] and may
        assert (await service.assignments(org.admin.id, RoleSearch(employee_id=org.staff[0].id))).grants == []
        after = {"employee_id": org.staff[0].id, "role": "facilities_manager", "scope_id": org.site.id}
        assert await audit(runtime) == [
            ("role.grant", org.admin.id, org.site.id, None, after),
            ("role.revoke", org.admin.id, org.site.id, None, after),
        ]

    async def test_grant_and_revoke_admin(self, service: RoleService, org: OrgChart) -> None:
        await service.grant(by(org.admin), RoleGrant(org.vice.id, ADMIN, None))
        async with service.db.read() as session:
            assert await roles.is_admin(session, org.vice.id)

        await service.revoke(by(org.vice), RoleGrant(org.admin.id, ADMIN, None))  # not the last one

        assert [g.employee_id for g in (await service.assignments(org.vice.id, RoleSearch(role=ADMIN))).grants] == [
            org.vice.id
        ]

    async def test_the_last_admin_stays(self, service: RoleService, org: OrgChart, runtime: Runtime) -> None:
        error = await refused(service, org.admin, RoleGrant(org.admin.id, ADMIN, None), revoke=True)

        assert isinstance(error, InvalidInput) and error.error_code == RoleInputCode.LAST_ADMIN
        assert await audit(runtime) == []

    async def test_an_inactive_admin_does_not_count_nor_act(
        self, service: RoleService, org: OrgChart, factory: Factory
    ) -> None:
        gone = await factory.employee(name="Admin Lama")
        await service.grant(by(org.admin), RoleGrant(gone.id, ADMIN, None))
        await set_employee(service.db, gone, active=False)

        last = await refused(service, org.admin, RoleGrant(org.admin.id, ADMIN, None), revoke=True)
        powerless = await refused(service, gone, RoleGrant(org.staff[0].id, UNIT, org.team.id))

        assert last.error_code == RoleInputCode.LAST_ADMIN
        assert powerless.error_code == RolePermissionCode.NOT_YOUR_SCOPE


class TestUnitManagers:
    async def test_a_head_by_position_grants_within_the_subtree(
        self, service: RoleService, org: OrgChart, runtime: Runtime
    ) -> None:
        await service.grant(by(org.director), RoleGrant(org.lead.id, UNIT, org.team.id))
        await service.grant(by(org.director), RoleGrant(org.staff[0].id, ROOM, org.room.id))

        async with runtime.db.read() as session:
            assert await roles.manages_unit(session, org.lead.id, org.team.id)
        entries = await audit(runtime)
        assert [(a, unit) for a, _, _, unit, _ in entries] == [
            ("role.grant", org.team.id),
            ("role.grant", org.directorate.id),
        ]
        assert entries[1][2] == org.site.id

    async def test_a_granted_unit_manager_too(self, service: RoleService, org: OrgChart) -> None:
        await service.grant(by(org.admin), RoleGrant(org.vice.id, UNIT, org.directorate.id))

        await service.grant(by(org.vice), RoleGrant(org.lead.id, UNIT, org.team.id))

        assert RoleGrant(org.lead.id, UNIT, org.team.id) in (await service.assignments(org.vice.id)).grants

    @pytest.mark.parametrize(
        ("role", "scope", "code"),
        [
            (ADMIN, None, RolePermissionCode.ONLY_ADMINS_GRANT_ADMIN),
            (UNIT, "sibling", RolePermissionCode.NOT_YOUR_SCOPE),
            (UNIT, "deputy", RolePermissionCode.NOT_YOUR_SCOPE),
            (FACILITIES, "site", RolePermissionCode.NOT_YOUR_SCOPE),
            (ROOM, "sibling_room", RolePermissionCode.NOT_YOUR_SCOPE),
        ],
        ids=["admin", "another unit", "the unit above", "facilities manager", "another unit's room"],
    )
    async def test_a_unit_manager_may_not(
        self,
        service: RoleService,
        org: OrgChart,
        runtime: Runtime,
        role: GrantableRole,
        scope: str | None,
        code: object,
    ) -> None:
        scope_id = None if scope is None else getattr(org, scope).id
        for grant in (RoleGrant(org.staff[0].id, role, scope_id), RoleGrant(org.admin.id, role, scope_id)):
            assert (await refused(service, org.director, grant)).error_code == code
        assert (await refused(service, org.director, RoleGrant(org.admin.id, ADMIN, None), revoke=True)).error_code == (
            RolePermissionCode.ONLY_ADMINS_GRANT_ADMIN
        )
        assert await audit(runtime) == []

    async def test_nor_a_struktural_who_is_not_the_head_nor_staff(self, service: RoleService, org: OrgChart) -> None:
        for actor in (org.vice, org.staff[0], org.lead):
            error = await refused(service, actor, RoleGrant(org.staff[1].id, UNIT, org.team.id))
            assert error.error_code == RolePermissionCode.NOT_YOUR_SCOPE

    async def test_nor_a_former_head(self, service: RoleService, org: OrgChart) -> None:
        await set_employee(service.db, org.director, org_unit_id=org.sibling.id)

        error = await refused(service, org.director, RoleGrant(org.lead.id, UNIT, org.team.id))

        assert error.error_code == RolePermissionCode.NOT_YOUR_SCOPE


class TestFacilitiesManagers:
    async def test_their_own_site_only(self, service: RoleService, org: OrgChart, factory: Factory) -> None:
        await service.grant(by(org.admin), RoleGrant(org.staff[0].id, FACILITIES, org.site.id))
        other = await factory.site(name="Lain")

        await service.grant(by(org.staff[0]), RoleGrant(org.staff[1].id, FACILITIES, org.site.id))
        await service.grant(by(org.staff[0]), RoleGrant(org.staff[1].id, ROOM, org.sibling_room.id))
        elsewhere = await refused(service, org.staff[0], RoleGrant(org.staff[1].id, FACILITIES, other.id))
        unit = await refused(service, org.staff[0], RoleGrant(org.staff[1].id, UNIT, org.team.id))
        admin = await refused(service, org.staff[0], RoleGrant(org.staff[1].id, ADMIN, None))

        assert elsewhere.error_code == unit.error_code == RolePermissionCode.NOT_YOUR_SCOPE
        assert admin.error_code == RolePermissionCode.ONLY_ADMINS_GRANT_ADMIN


class TestRefusedInput:
    async def test_nobody_grants_to_a_person_who_left(self, service: RoleService, org: OrgChart) -> None:
        await set_employee(service.db, org.staff[0], active=False)

        error = await refused(service, org.admin, RoleGrant(org.staff[0].id, UNIT, org.team.id))

        assert isinstance(error, InvalidInput) and error.error_code == RoleInputCode.GRANTEE_INACTIVE

    @pytest.mark.parametrize(
        ("grant", "code"),
        [
            ((UNIT, None), RoleInputCode.SCOPE_REQUIRED),
            ((FACILITIES, None), RoleInputCode.SCOPE_REQUIRED),
            ((ROOM, None), RoleInputCode.SCOPE_REQUIRED),
            ((ADMIN, 1), RoleInputCode.SCOPE_NOT_ALLOWED),
        ],
    )
    async def test_scope_missing_or_not_allowed(
        self, service: RoleService, org: OrgChart, grant: tuple[GrantableRole, int | None], code: object
    ) -> None:
        error = await refused(service, org.admin, RoleGrant(org.staff[0].id, *grant))

        assert isinstance(error, InvalidInput) and (error.field, error.error_code) == ("scopeId", code)

    @pytest.mark.parametrize("role", [UNIT, FACILITIES, ROOM])
    async def test_scope_or_person_not_found(self, service: RoleService, org: OrgChart, role: GrantableRole) -> None:
        missing_scope = await refused(service, org.admin, RoleGrant(org.staff[0].id, role, 999_999))
        missing_person = await refused(service, org.admin, RoleGrant(999_999, role, org.team.id))

        assert isinstance(missing_scope, NotFound) and isinstance(missing_person, NotFound)

    async def test_a_desk_is_not_a_room(self, service: RoleService, org: OrgChart, factory: Factory) -> None:
        desk = await factory.desk()

        assert isinstance(await refused(service, org.admin, RoleGrant(org.staff[0].id, ROOM, desk.id)), NotFound)

    async def test_revoke_what_is_not_held_or_held_by_position(self, service: RoleService, org: OrgChart) -> None:
        not_held = await refused(service, org.admin, RoleGrant(org.staff[0].id, UNIT, org.team.id), revoke=True)
        by_position = await refused(
            service, org.admin, RoleGrant(org.director.id, UNIT, org.directorate.id), revoke=True
        )
        no_room = await refused(service, org.admin, RoleGrant(org.staff[0].id, ROOM, org.room.id), revoke=True)

        assert not_held.error_code == no_room.error_code == RoleInputCode.ROLE_NOT_HELD
        assert by_position.error_code == RoleInputCode.ROLE_BY_POSITION


class TestAssignments:
    async def test_heads_by_position_are_listed_as_derived(self, service: RoleService, org: OrgChart) -> None:
        listed = (await service.assignments(org.admin.id, RoleSearch(role=UNIT))).grants

        assert sorted((g.employee_id, g.scope_id, g.derived) for g in listed) == sorted(
            [
                (org.deputy_head.id, org.deputy.id, True),
                (org.director.id, org.directorate.id, True),
                (org.other_director.id, org.sibling.id, True),
            ]
        )

    async def test_others_see_their_own_and_within_what_they_manage(
        self, service: RoleService, org: OrgChart, factory: Factory
    ) -> None:
        await service.grant(by(org.admin), RoleGrant(org.lead.id, UNIT, org.team.id))
        await service.grant(by(org.admin), RoleGrant(org.vice.id, ROOM, org.room.id))
        await service.grant(by(org.admin), RoleGrant(org.staff[0].id, ROOM, org.sibling_room.id))

        director = {(g.employee_id, g.role) for g in (await service.assignments(org.director.id)).grants}
        staff = (await service.assignments(org.staff[1].id)).grants
        lead = {(g.employee_id, g.role) for g in (await service.assignments(org.lead.id)).grants}

        assert director == {(org.lead.id, UNIT), (org.vice.id, ROOM), (org.director.id, UNIT)}
        assert staff == []
        assert lead == {(org.lead.id, UNIT)}
