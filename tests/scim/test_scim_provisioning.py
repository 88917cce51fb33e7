"""What provisioning means for people: accounts linked to employees, deprovisioning that ends sign-in (sessions,
tokens, password and identity-provider sign-in) without making anyone a leaver, and roles from groups."""

from dataclasses import replace
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from smartoffice.audit.record import Actor
from smartoffice.db import Database, utcnow
from smartoffice.identity.accounts import SignInRefusal, session_is_live, sign_in_refusal
from smartoffice.identity.models import ApiToken
from smartoffice.identity.scopes import Scope
from smartoffice.identity.sessions import SessionStore
from smartoffice.identity.tokens import authenticate
from smartoffice.people.models import Employee, Role, RoleAssignment
from smartoffice.runtime import Runtime
from smartoffice.scim.accounts import link_pending
from smartoffice.scim.models import ScimUser
from smartoffice.settings import Settings
from tests.factories import Factory
from tests.support.apps import client_for
from tests.support.auth import issue_token, login_session
from tests.support.people_files import STAFF_NIP, csv_bytes, valid_rows
from tests.support.people_import import actions, by_nip, towers
from tests.support.scim import SCIM, Provisioner, group_payload, patch_payload, provisioner, user_payload


@pytest.fixture
async def idp(db: Database, factory: Factory) -> Provisioner:
    return await provisioner(db, factory)


async def create(client: AsyncTestClient, idp: Provisioner, payload: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(f"{SCIM}/Users", json=payload, headers=idp.headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def set_active(client: AsyncTestClient, idp: Provisioner, scim_id: str, active: bool) -> None:
    operation = {"op": "replace", "path": "active", "value": active}
    response = await client.patch(f"{SCIM}/Users/{scim_id}", json=patch_payload(operation), headers=idp.headers)
    assert response.status_code == 200, response.text


async def account(db: Database, scim_id: str) -> ScimUser:
    async with db.read() as session:
        found = await session.scalar(select(ScimUser).where(ScimUser.scim_id == scim_id))
    assert found is not None
    return found


class TestLinking:
    async def test_by_nip_then_by_email(
        self, client: AsyncTestClient, idp: Provisioner, factory: Factory, db: Database
    ) -> None:
        by_nip = await factory.employee()
        by_email = await factory.employee(email="Rudi@Kemen.go.id")
        first = await create(client, idp, user_payload("x1", nip=by_nip.nip, emails=[{"value": "other@x.id"}]))
        second = await create(client, idp, user_payload("x2", emails=[{"value": "rudi@kemen.go.id", "type": "work"}]))
        assert (await account(db, first["id"])).employee_id == by_nip.id
        assert (await account(db, second["id"])).employee_id == by_email.id

    async def test_someone_not_yet_imported_stays_unlinked_until_they_are(
        self, client: AsyncTestClient, idp: Provisioner, factory: Factory, db: Database
    ) -> None:
        created = await create(client, idp, user_payload("newcomer", nip="199912312025011001"))
        assert (await account(db, created["id"])).employee_id is None
        person = await factory.employee(nip="199912312025011001")  # the next people import brings them
        async with db.write() as session:
            assert await link_pending(session, Actor.system("import"), utcnow()) == [person.id]
        assert (await account(db, created["id"])).employee_id == person.id

    async def test_the_people_import_links_the_accounts_of_the_people_it_brings(
        self, client: AsyncTestClient, idp: Provisioner, factory: Factory, db: Database, runtime: Runtime
    ) -> None:
        # given an account provisioned for Agus before any people import knew him
        created = await create(client, idp, user_payload("agus", nip=STAFF_NIP))
        await towers(factory)
        # when the import brings him
        result = await runtime.people_import.run(csv_bytes(valid_rows()))
        # then his account is his, and the link is audited
        assert result.written
        agus = (await by_nip(db))[STAFF_NIP]
        assert (await account(db, created["id"])).employee_id == agus.id
        assert ("scim_user.link", (await account(db, created["id"])).id) in await actions(db)

    async def test_one_account_per_person(self, client: AsyncTestClient, idp: Provisioner, factory: Factory) -> None:
        person = await factory.employee()
        await create(client, idp, user_payload("one", nip=person.nip))
        response = await client.post(f"{SCIM}/Users", json=user_payload("two", nip=person.nip), headers=idp.headers)
        assert response.status_code == 409
        assert response.json()["scimType"] == "uniqueness"


class TestDeprovisioning:
    async def test_a_token_issued_after_deprovisioning_does_not_work_until_reprovisioned(
        self, client: AsyncTestClient, idp: Provisioner, factory: Factory, db: Database
    ) -> None:
        # given a person the provider deprovisioned, and an app token issued to them afterwards
        person = await factory.employee()
        created = await create(client, idp, user_payload("late-token", nip=person.nip))
        await set_active(client, idp, created["id"], False)
        secret = await issue_token(db, person.id, Scope.BOOKINGS_READ)
        # then the token does not authenticate, until the account is provisioned again
        assert await authenticate(db, secret, utcnow()) is None
        await set_active(client, idp, created["id"], True)
        assert await authenticate(db, secret, utcnow()) is not None

    async def test_deactivating_ends_sessions_and_tokens_and_refuses_sign_in_until_reactivated(
        self, client: AsyncTestClient, idp: Provisioner, factory: Factory, runtime: Runtime, db: Database
    ) -> None:
        # given a linked person signed in, with an app token
        person = await factory.employee()
        created = await create(client, idp, user_payload("linked", nip=person.nip))
        session_id = await login_session(runtime, person.id)
        await issue_token(db, person.id, Scope.BOOKINGS_READ)
        store = SessionStore(runtime.redis, runtime.settings.session_ttl_seconds)
        login = await store.get(session_id)
        assert login is not None and await session_is_live(db, login)
        assert await sign_in_refusal(db, person.id) is None
        # when the provider deactivates the account
        await set_active(client, idp, created["id"], False)
        # then
        assert await store.get(session_id) is None
        assert not await session_is_live(db, login)  # even a session Redis had kept
        async with db.read() as session:
            tokens = (await session.scalars(select(ApiToken).where(ApiToken.owner_id == person.id))).all()
            employee = await session.get(Employee, person.id)
        assert tokens and all(t.revoked_at is not None for t in tokens)
        assert await sign_in_refusal(db, person.id) == SignInRefusal.ACCOUNT_DISABLED
        assert employee is not None and employee.active  # not a leaver: that is the HR import's call
        # when it reactivates the account, the person may sign in again
        await set_active(client, idp, created["id"], True)
        assert await sign_in_refusal(db, person.id) is None
        assert await session_is_live(db, await _new_login(store, person.id))

    async def test_password_sign_in_is_refused_while_deprovisioned(
        self, client: AsyncTestClient, idp: Provisioner, factory: Factory, db: Database
    ) -> None:
        person = await factory.employee()
        created = await create(client, idp, user_payload("pw", nip=person.nip, active=False))
        assert await sign_in_refusal(db, person.id) == SignInRefusal.ACCOUNT_DISABLED
        await set_active(client, idp, created["id"], True)
        assert await sign_in_refusal(db, person.id) is None

    async def test_delete_deprovisions_until_a_new_account_is_provisioned(
        self, client: AsyncTestClient, idp: Provisioner, factory: Factory, runtime: Runtime, db: Database
    ) -> None:
        person = await factory.employee()
        created = await create(client, idp, user_payload("del", nip=person.nip))
        session_id = await login_session(runtime, person.id)
        assert (await client.delete(f"{SCIM}/Users/{created['id']}", headers=idp.headers)).status_code == 204
        store = SessionStore(runtime.redis, runtime.settings.session_ttl_seconds)
        assert await store.get(session_id) is None
        assert await sign_in_refusal(db, person.id) == SignInRefusal.ACCOUNT_DISABLED
        again = await create(client, idp, user_payload("del", nip=person.nip))
        assert (await account(db, again["id"])).employee_id == person.id
        assert await sign_in_refusal(db, person.id) is None


async def _new_login(store: SessionStore, employee_id: int) -> Any:
    login = await store.get(await store.create(employee_id))
    assert login is not None
    return login


class TestRolesFromGroups:
    @pytest.fixture
    async def mapped(self, settings: Settings, runtime: Runtime) -> Any:
        mapped_settings = replace(settings, idp_role_groups="smartoffice-admins=admin")
        async with client_for(mapped_settings) as test_client:
            yield test_client

    async def test_membership_gives_and_takes_the_mapped_role(
        self, mapped: AsyncTestClient, idp: Provisioner, factory: Factory, db: Database
    ) -> None:
        person = await factory.employee()
        user = await create(mapped, idp, user_payload("boss", nip=person.nip))
        group = (
            await mapped.post(
                f"{SCIM}/Groups", json=group_payload("smartoffice-admins", user["id"]), headers=idp.headers
            )
        ).json()
        assert await _roles(db, person.id) == [Role.ADMIN]
        await set_active(mapped, idp, user["id"], False)
        assert await _roles(db, person.id) == []
        await set_active(mapped, idp, user["id"], True)
        assert await _roles(db, person.id) == [Role.ADMIN]
        renamed = patch_payload({"op": "replace", "path": "displayName", "value": "ex-admins"})
        assert (
            await mapped.patch(f"{SCIM}/Groups/{group['id']}", json=renamed, headers=idp.headers)
        ).status_code == 200
        assert await _roles(db, person.id) == []


async def _roles(db: Database, employee_id: int) -> list[Role]:
    async with db.read() as session:
        rows = await session.scalars(select(RoleAssignment.role).where(RoleAssignment.employee_id == employee_id))
        return sorted(rows)
