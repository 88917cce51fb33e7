"""Roles from the identity provider's groups (issue 11 part 3): the mapping's syntax, the sync that keeps a person's
identity-provider grants in step with their groups, and how manual grants and revokes live beside them."""

import logging
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from smartoffice.audit.models import AuditEntry
from smartoffice.audit.record import Actor
from smartoffice.errors import InvalidInput
from smartoffice.identity.idp_roles import GroupRole, RoleGroups, sync_idp_roles
from smartoffice.people import roles
from smartoffice.people.errors import RoleInputCode
from smartoffice.people.grants import RoleService
from smartoffice.people.models import Employee, OrgUnit, Role, RoleAssignment, RoleSource
from smartoffice.people.role_grant import GrantableRole, RoleGrant
from smartoffice.people.role_listing import RoleSearch
from smartoffice.places.models import Site
from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from tests.factories import Factory

NOW = datetime(2026, 7, 6, 1, tzinfo=UTC)
MAPPING = (
    "smartoffice-admins=admin; /fm-ikn-tower-a=facilities_manager:site:IKN-A;\n"
    "kepala-biro-umum = unit_manager:unit:KEMENPAN.01.02; kepala-biro-umum=facilities_manager:site:IKN-A;\n"
    "fm-ikn-tower-z=facilities_manager:site:IKN-Z;"
)
"""IKN-Z is a site that does not exist (yet): its entry is skipped at each sync."""
IDP = Actor.system("test-idp")


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The mapping the runtime configures for syncs (as ``SMARTOFFICE_IDP_ROLE_GROUPS`` would)."""
    return replace(settings, idp_role_groups=MAPPING)


class TestMapping:
    def test_entries_separated_by_semicolons_or_lines_with_one_leading_slash_ignored(self) -> None:
        assert RoleGroups.parse(MAPPING).entries == (
            GroupRole("smartoffice-admins", Role.ADMIN),
            GroupRole("fm-ikn-tower-a", Role.FACILITIES_MANAGER, "IKN-A"),
            GroupRole("kepala-biro-umum", Role.UNIT_MANAGER, "KEMENPAN.01.02"),
            GroupRole("kepala-biro-umum", Role.FACILITIES_MANAGER, "IKN-A"),
            GroupRole("fm-ikn-tower-z", Role.FACILITIES_MANAGER, "IKN-Z"),
        )
        assert RoleGroups.parse("").entries == () == RoleGroups.parse(" ; \n ").entries

    def test_groups_match_exactly_with_keycloaks_leading_slash_or_without(self) -> None:
        mapping = RoleGroups.parse(MAPPING)

        assert mapping.roles_for(["/smartoffice-admins"]) == mapping.roles_for(["smartoffice-admins"])
        assert mapping.roles_for(["/smartoffice-admins"]) == [GroupRole("smartoffice-admins", Role.ADMIN)]
        assert mapping.roles_for(["SmartOffice-Admins", "/parent/smartoffice-admins", "other"]) == []

    def test_every_bad_entry_is_named_with_what_is_wrong(self) -> None:
        bad = (
            "ok=admin; owners=owner; fm=facilities_manager; um=unit_manager:site:IKN-A; rooms=room_approver:room:R1;"
            " =admin; admins; a=admin:site:IKN-A"
        )
        with pytest.raises(ValueError) as refused:
            RoleGroups.parse(bad)

        message = str(refused.value)
        assert message.startswith("SMARTOFFICE_IDP_ROLE_GROUPS is not valid: entry 2 'owners=owner': unknown role")
        for expected in (
            "entry 3 'fm=facilities_manager': facilities_manager needs a site code: facilities_manager:site:CODE",
            "entry 4 'um=unit_manager:site:IKN-A': unit_manager needs a unit code: unit_manager:unit:CODE",
            "entry 5 'rooms=room_approver:room:R1': room approvers cannot be mapped",
            "entry 6 '=admin': the group name is empty",
            "entry 7 'admins': expected GROUP=ROLE",
            "entry 8 'a=admin:site:IKN-A': admin has no scope",
        ):
            assert expected in message
        assert "entry 1" not in message

    def test_a_bad_setting_refuses_to_start_and_the_groups_claim_defaults_to_groups(self) -> None:
        with pytest.raises(ValueError, match="entry 1 'x=facilities_manager:site:': facilities_manager needs"):
            Settings.from_env({"SMARTOFFICE_IDP_ROLE_GROUPS": "x=facilities_manager:site:"})
        with pytest.raises(ValueError, match="IDP_ROLE_GROUPS"):
            Settings(idp_role_groups="x=admin:unit:U1")

        configured = Settings.from_env({"SMARTOFFICE_IDP_ROLE_GROUPS": MAPPING})
        claim = Settings.from_env({"SMARTOFFICE_OIDC_GROUPS_CLAIM": "roles"}).oidc_groups_claim
        assert (configured.oidc_groups_claim, claim) == ("groups", "roles")
        assert configured.idp_role_mapping == RoleGroups.parse(MAPPING)


@pytest.fixture
async def places(factory: Factory) -> tuple[Site, OrgUnit]:
    return await factory.site(code="IKN-A"), await factory.unit(code="KEMENPAN.01.02")


async def sync(runtime: Runtime, person: Employee, *groups: str) -> None:
    async with runtime.db.write() as session:
        await sync_idp_roles(session, person.id, list(groups), IDP)


async def held(runtime: Runtime, person: Employee) -> set[tuple[str, int | None, int | None, str]]:
    async with runtime.db.read() as session:
        rows = await session.execute(
            select(
                RoleAssignment.role, RoleAssignment.org_unit_id, RoleAssignment.site_id, RoleAssignment.source
            ).where(RoleAssignment.employee_id == person.id)
        )
        return {(role.value, unit, site, source.value) for role, unit, site, source in rows}


async def audit(runtime: Runtime) -> list[tuple[str, int | None, str, int | None, int | None, object]]:
    async with runtime.db.read() as session:
        rows = await session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(e.action, e.actor_id, e.via, e.site_id, e.org_unit_id, e.after or e.before) for e in rows]


class TestSync:
    async def test_grants_what_the_groups_give_beside_manual_ones_audited_with_the_source(
        self, runtime: Runtime, factory: Factory, places: tuple[Site, OrgUnit], caplog: pytest.LogCaptureFixture
    ) -> None:
        # given: a person who is unit manager of another unit by a manual grant
        site = places[0]
        person = await factory.employee()
        other_unit = await factory.unit()
        await factory.role(person, Role.UNIT_MANAGER, org_unit_id=other_unit.id)

        # when: their groups are synced: two mapped, one naming a site that does not exist, one not mapped at all
        with caplog.at_level(logging.WARNING, logger="smartoffice.identity.idp_roles"):
            await sync(runtime, person, "/smartoffice-admins", "fm-ikn-tower-a", "fm-ikn-tower-z", "all-staff")

        # then
        assert await held(runtime, person) == {
            ("unit_manager", other_unit.id, None, "manual"),
            ("admin", None, None, "idp"),
            ("facilities_manager", None, site.id, "idp"),
        }
        values = {"employee_id": person.id, "source": "idp"}
        assert await audit(runtime) == [
            ("role.grant", None, "test-idp", None, None, {**values, "role": "admin", "scope_id": None}),
            (
                "role.grant",
                None,
                "test-idp",
                site.id,
                None,
                {**values, "role": "facilities_manager", "scope_id": site.id},
            ),
        ]
        assert "'fm-ikn-tower-z' names site 'IKN-Z', which does not exist: skipped" in caplog.text
        async with runtime.db.read() as session:
            assert await roles.is_admin(session, person.id)
            assert await roles.is_facilities_manager(session, person.id, site.id)

    async def test_the_same_groups_again_write_nothing(
        self, runtime: Runtime, factory: Factory, places: tuple[Site, OrgUnit]
    ) -> None:
        person = await factory.employee()
        await sync(runtime, person, "smartoffice-admins", "kepala-biro-umum")
        before = await held(runtime, person), await audit(runtime)

        await sync(runtime, person, "kepala-biro-umum", "/smartoffice-admins", "unrelated")

        assert (await held(runtime, person), await audit(runtime)) == before
        assert len(before[1]) == 3

    async def test_groups_taken_away_remove_only_the_identity_providers_grants(
        self, runtime: Runtime, factory: Factory, places: tuple[Site, OrgUnit]
    ) -> None:
        # given: admin both manually and from the provider, facilities manager from two groups at once
        site, unit = places
        person = await factory.employee()
        await factory.role(person, Role.ADMIN)
        await sync(runtime, person, "smartoffice-admins", "fm-ikn-tower-a")
        entries = len(await audit(runtime))

        # when: the person is now only in kepala-biro-umum (which also gives facilities manager of IKN-A)
        await sync(runtime, person, "kepala-biro-umum")
        moved = await held(runtime, person), (await audit(runtime))[entries:]
        # when: and then in no group at all (a groups claim that is present and empty)
        await sync(runtime, person)

        # then: the provider's admin went, facilities manager stayed (no entry), unit manager came; then all went
        assert moved == (
            {
                ("admin", None, None, "manual"),
                ("facilities_manager", None, site.id, "idp"),
                ("unit_manager", unit.id, None, "idp"),
            },
            [
                ("role.revoke", None, "test-idp", None, None, _values(person, "admin", None)),
                ("role.grant", None, "test-idp", None, unit.id, _values(person, "unit_manager", unit.id)),
            ],
        )
        assert await held(runtime, person) == {("admin", None, None, "manual")}
        assert [entry[0] for entry in (await audit(runtime))[entries + 2 :]] == ["role.revoke", "role.revoke"]
        async with runtime.db.read() as session:
            assert await roles.is_admin(session, person.id)  # the manual grant

    async def test_a_person_who_left_gets_no_new_grants_and_loses_the_old(
        self, runtime: Runtime, factory: Factory, places: tuple[Site, OrgUnit]
    ) -> None:
        person = await factory.employee()
        await sync(runtime, person, "smartoffice-admins")
        async with runtime.db.write() as session:
            (await session.get_one(Employee, person.id)).active = False

        await sync(runtime, person, "fm-ikn-tower-a")

        assert await held(runtime, person) == set()
        assert [entry[0] for entry in await audit(runtime)] == ["role.grant", "role.revoke"]

    async def test_an_explicit_mapping_and_time_need_no_configured_process(
        self, runtime: Runtime, factory: Factory, places: tuple[Site, OrgUnit]
    ) -> None:
        person = await factory.employee()

        async with runtime.db.write() as session:
            rules = RoleGroups.parse("team-a=unit_manager:unit:KEMENPAN.01.02")
            await sync_idp_roles(session, person.id, ["team-a"], IDP, rules=rules, at=NOW)

        assert await held(runtime, person) == {("unit_manager", places[1].id, None, "idp")}
        async with runtime.db.read() as session:
            assert await session.scalar(select(AuditEntry.at)) == NOW


def _values(person: Employee, role: str, scope_id: int | None) -> dict[str, object]:
    return {"employee_id": person.id, "role": role, "scope_id": scope_id, "source": "idp"}


class TestBesideManualGrants:
    """grantRole and revokeRole act on manual grants; the provider's are managed at the provider."""

    @pytest.fixture
    def service(self, runtime: Runtime) -> RoleService:
        return RoleService(runtime.db, lambda: NOW)

    async def test_revoking_a_role_only_the_provider_gives_is_refused_and_writes_nothing(
        self, runtime: Runtime, factory: Factory, places: tuple[Site, OrgUnit], service: RoleService
    ) -> None:
        admin, person = await factory.employee(), await factory.employee()
        await factory.role(admin, Role.ADMIN)
        await sync(runtime, person, "fm-ikn-tower-a")
        entries = await audit(runtime)

        with pytest.raises(InvalidInput) as refused:
            await service.revoke(
                Actor(admin.id, "test"), RoleGrant(person.id, GrantableRole.FACILITIES_MANAGER, places[0].id)
            )

        assert (refused.value.field, refused.value.error_code) == ("role", RoleInputCode.ROLE_FROM_IDENTITY_PROVIDER)
        assert "managed there" in refused.value.message
        assert await held(runtime, person) == {("facilities_manager", None, places[0].id, "idp")}
        assert await audit(runtime) == entries

    async def test_a_manual_grant_over_the_providers_is_a_second_row_revoked_on_its_own(
        self, runtime: Runtime, factory: Factory, places: tuple[Site, OrgUnit], service: RoleService
    ) -> None:
        # given: the only admins hold it from the provider; one of them is also granted it manually
        person, other = await factory.employee(), await factory.employee()
        await sync(runtime, person, "smartoffice-admins")
        await sync(runtime, other, "smartoffice-admins")
        grant = RoleGrant(person.id, GrantableRole.ADMIN, None)

        await service.grant(Actor(other.id, "test"), grant)
        listed = (await service.assignments(other.id, RoleSearch(employee_id=person.id))).grants
        await service.revoke(Actor(other.id, "test"), grant)  # not the last admin: the provider's grant stays

        assert listed == [
            RoleGrant(person.id, GrantableRole.ADMIN, None, source=RoleSource.IDP),
            RoleGrant(person.id, GrantableRole.ADMIN, None, source=RoleSource.MANUAL),
        ]
        assert await held(runtime, person) == {("admin", None, None, "idp")}
        assert [(e[0], e[5]) for e in (await audit(runtime))[2:]] == [
            ("role.grant", {"employee_id": person.id, "role": "admin", "scope_id": None}),
            ("role.revoke", {"employee_id": person.id, "role": "admin", "scope_id": None}),
        ]
        async with runtime.db.read() as session:
            count = await session.scalar(select(func.count()).select_from(RoleAssignment))
        assert count == 2
