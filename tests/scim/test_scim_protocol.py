"""The SCIM protocol at /scim/v2 through the real app: the door, errors, filters, pagination, PATCH, DELETE."""

import asyncio
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select

from smartoffice.audit.models import AuditEntry
from smartoffice.db import Database
from smartoffice.identity.scopes import Scope
from smartoffice.people.models import Role
from smartoffice.scim.models import ScimUser
from tests.factories import Factory
from tests.support.auth import bearer, issue_token
from tests.support.scim import (
    ENTERPRISE_SCHEMA,
    MEDIA_TYPE,
    SCIM,
    Provisioner,
    group_payload,
    patch_payload,
    provisioner,
    scim_error,
    user_payload,
)


@pytest.fixture
async def idp(db: Database, factory: Factory) -> Provisioner:
    return await provisioner(db, factory)


async def create_user(client: AsyncTestClient, idp: Provisioner, user_name: str, **extra: Any) -> dict[str, Any]:
    response = await client.post(f"{SCIM}/Users", json=user_payload(user_name, **extra), headers=idp.headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def scim_users(db: Database) -> int:
    async with db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(ScimUser)) or 0)


class TestDoor:
    async def test_no_token_is_401_with_a_challenge(self, client: AsyncTestClient, db: Database) -> None:
        response = await client.post(f"{SCIM}/Users", json=user_payload("a@x.id"))
        scim_error(response, 401)
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert await scim_users(db) == 0

    async def test_a_bad_token_is_401(self, client: AsyncTestClient) -> None:
        response = await client.get(f"{SCIM}/Users", headers=bearer("so_0123456789abcdef_" + "x" * 43))
        scim_error(response, 401)
        assert "www-authenticate" in response.headers

    async def test_a_token_without_the_scim_scope_is_403(
        self, client: AsyncTestClient, db: Database, factory: Factory
    ) -> None:
        admin = await factory.employee()
        await factory.role(admin, Role.ADMIN)
        token = await issue_token(db, admin.id, Scope.PEOPLE_READ_NAMES, Scope.AUDIT_READ)
        response = await client.post(f"{SCIM}/Users", json=user_payload("a@x.id"), headers=bearer(token))
        scim_error(response, 403)
        assert await scim_users(db) == 0

    async def test_a_scim_token_of_someone_not_admin_is_403(
        self, client: AsyncTestClient, db: Database, factory: Factory
    ) -> None:
        clerk = await factory.employee()
        token = await issue_token(db, clerk.id, Scope.SCIM)
        response = await client.post(f"{SCIM}/Users", json=user_payload("a@x.id"), headers=bearer(token))
        scim_error(response, 403)
        assert (await client.get(f"{SCIM}/ServiceProviderConfig", headers=bearer(token))).status_code == 403
        assert await scim_users(db) == 0

    async def test_discovery_answers_scim_json(self, client: AsyncTestClient, idp: Provisioner) -> None:
        response = await client.get(f"{SCIM}/ServiceProviderConfig", headers=idp.headers)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(MEDIA_TYPE)
        assert response.json()["patch"]["supported"] is True
        types = (await client.get(f"{SCIM}/ResourceTypes", headers=idp.headers)).json()
        assert {t["id"] for t in types["Resources"]} == {"User", "Group"}
        schemas = (await client.get(f"{SCIM}/Schemas", headers=idp.headers)).json()
        assert ENTERPRISE_SCHEMA in {s["id"] for s in schemas["Resources"]}
        scim_error(await client.delete(f"{SCIM}/Schemas", headers=idp.headers), 405)
        scim_error(await client.get(f"{SCIM}/Nothing/here", headers=idp.headers), 404)


class TestErrors:
    async def test_bad_json_is_invalid_syntax(self, client: AsyncTestClient, idp: Provisioner, db: Database) -> None:
        response = await client.post(f"{SCIM}/Users", content=b"{not json", headers=idp.headers)
        scim_error(response, 400, "invalidSyntax")
        response = await client.post(f"{SCIM}/Users", content=b"[1, 2]", headers=idp.headers)
        scim_error(response, 400, "invalidSyntax")
        assert await scim_users(db) == 0

    async def test_a_user_without_user_name_is_refused(
        self, client: AsyncTestClient, idp: Provisioner, db: Database
    ) -> None:
        response = await client.post(
            f"{SCIM}/Users", json={"schemas": [user_payload("x")["schemas"][0]]}, headers=idp.headers
        )
        assert response.status_code == 400
        assert await scim_users(db) == 0

    @pytest.mark.parametrize(
        ("text", "scim_type"),
        [
            ("userName eq", "invalidFilter"),
            ('userName eq "a" and', "invalidFilter"),
            ('nickName eq "x"', "invalidFilter"),
            ('emails[type eq "work"]', "invalidFilter"),
            ('active eq "yes"', "invalidFilter"),
        ],
    )
    async def test_a_bad_filter_is_invalid_filter(
        self, client: AsyncTestClient, idp: Provisioner, text: str, scim_type: str
    ) -> None:
        response = await client.get(f"{SCIM}/Users", params={"filter": text}, headers=idp.headers)
        scim_error(response, 400, scim_type)

    async def test_user_name_is_unique_whatever_its_case(
        self, client: AsyncTestClient, idp: Provisioner, db: Database
    ) -> None:
        await create_user(client, idp, "Budi@Example.go.id")
        response = await client.post(f"{SCIM}/Users", json=user_payload("budi@example.GO.id"), headers=idp.headers)
        scim_error(response, 409, "uniqueness")
        assert await scim_users(db) == 1

    async def test_two_racing_creations_of_one_name_make_one_user(
        self, client: AsyncTestClient, idp: Provisioner, db: Database
    ) -> None:
        payloads = [user_payload("Race"), user_payload("race")]
        responses = await asyncio.gather(*(client.post(f"{SCIM}/Users", json=p, headers=idp.headers) for p in payloads))
        assert sorted(r.status_code for r in responses) == [201, 409]
        assert await scim_users(db) == 1

    async def test_a_group_name_is_unique(self, client: AsyncTestClient, idp: Provisioner) -> None:
        created = await client.post(f"{SCIM}/Groups", json=group_payload("Admins"), headers=idp.headers)
        assert created.status_code == 201
        again = await client.post(f"{SCIM}/Groups", json=group_payload("ADMINS"), headers=idp.headers)
        scim_error(again, 409, "uniqueness")

    async def test_a_member_that_is_nobody_is_refused_and_nothing_written(
        self, client: AsyncTestClient, idp: Provisioner
    ) -> None:
        response = await client.post(f"{SCIM}/Groups", json=group_payload("G", "nobody"), headers=idp.headers)
        scim_error(response, 400, "invalidValue")
        listed = await client.get(f"{SCIM}/Groups", headers=idp.headers)
        assert listed.json()["totalResults"] == 0


class TestFilteringAndPages:
    async def test_filters(self, client: AsyncTestClient, idp: Provisioner) -> None:
        # given
        await create_user(
            client, idp, "Budi.Santoso", displayName="Budi Santoso", emails=[{"value": "budi@kemen.go.id"}]
        )
        await create_user(client, idp, "siti.aminah", displayName="Siti Aminah", active=False)
        await create_user(client, idp, "bambang", externalId="ext-3")

        async def names(text: str) -> list[str]:
            response = await client.get(f"{SCIM}/Users", params={"filter": text}, headers=idp.headers)
            assert response.status_code == 200, response.text
            return sorted(r["userName"] for r in response.json().get("Resources", []))

        # then
        assert await names('userName eq "budi.santoso"') == ["Budi.Santoso"]
        assert await names('USERNAME EQ "BUDI.SANTOSO"') == ["Budi.Santoso"]
        assert await names('userName sw "b"') == ["Budi.Santoso", "bambang"]
        assert await names('displayName co "aminah"') == ["siti.aminah"]
        assert await names("externalId pr") == ["bambang"]
        assert await names('emails.value eq "BUDI@kemen.go.id"') == ["Budi.Santoso"]
        assert await names("active eq false") == ["siti.aminah"]
        assert await names('userName sw "b" and not (externalId pr)') == ["Budi.Santoso"]
        assert await names('userName eq "bambang" or displayName co "siti"') == ["bambang", "siti.aminah"]
        assert await names('userName co "%"') == []  # LIKE's wildcards are escaped

    async def test_pages(self, client: AsyncTestClient, idp: Provisioner) -> None:
        for n in range(5):
            await create_user(client, idp, f"user{n}")

        async def page(**params: Any) -> dict[str, Any]:
            response = await client.get(f"{SCIM}/Users", params=params, headers=idp.headers)
            assert response.status_code == 200, response.text
            body: dict[str, Any] = response.json()
            return body

        second = await page(startIndex=3, count=2)
        assert second["totalResults"] == 5
        assert (second["startIndex"], second["itemsPerPage"]) == (3, 2)
        assert [r["userName"] for r in second["Resources"]] == ["user2", "user3"]
        counted = await page(count=0)
        assert counted["totalResults"] == 5 and not counted.get("Resources")
        filtered = await page(filter='userName sw "user"', startIndex=5, count=10)
        assert [r["userName"] for r in filtered["Resources"]] == ["user4"]
        searched = await client.post(
            f"{SCIM}/Users/.search",
            json={"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], "filter": 'userName eq "USER1"'},
            headers=idp.headers,
        )
        assert [r["userName"] for r in searched.json()["Resources"]] == ["user1"]


class TestChanges:
    async def test_patch_active_and_names(self, client: AsyncTestClient, idp: Provisioner) -> None:
        user = await create_user(client, idp, "rina")
        response = await client.patch(
            f"{SCIM}/Users/{user['id']}",
            json=patch_payload(
                {"op": "replace", "path": "active", "value": False},
                {"op": "add", "path": "name.givenName", "value": "Rina"},
            ),
            headers=idp.headers,
        )
        assert response.status_code == 200, response.text
        assert response.json()["active"] is False
        assert response.json()["name"]["givenName"] == "Rina"
        # Entra ID's style: no path, a value object
        again = await client.patch(
            f"{SCIM}/Users/{user['id']}",
            json=patch_payload({"op": "replace", "value": {"active": True, "displayName": "Rina W."}}),
            headers=idp.headers,
        )
        assert again.json()["active"] is True and again.json()["displayName"] == "Rina W."
        removed = await client.patch(
            f"{SCIM}/Users/{user['id']}",
            json=patch_payload({"op": "remove", "path": "displayName"}),
            headers=idp.headers,
        )
        assert "displayName" not in removed.json()

    async def test_group_members_by_patch(self, client: AsyncTestClient, idp: Provisioner) -> None:
        a = await create_user(client, idp, "a")
        b = await create_user(client, idp, "b")
        group = (await client.post(f"{SCIM}/Groups", json=group_payload("Team", a["id"]), headers=idp.headers)).json()
        added = await client.patch(
            f"{SCIM}/Groups/{group['id']}",
            json=patch_payload({"op": "add", "path": "members", "value": [{"value": b["id"]}]}),
            headers=idp.headers,
        )
        assert added.status_code == 200, added.text
        assert {m["value"] for m in added.json()["members"]} == {a["id"], b["id"]}
        removed = await client.patch(
            f"{SCIM}/Groups/{group['id']}",
            json=patch_payload({"op": "remove", "path": f'members[value eq "{a["id"]}"]'}),
            headers=idp.headers,
        )
        assert [m["value"] for m in removed.json()["members"]] == [b["id"]]
        user_b = (await client.get(f"{SCIM}/Users/{b['id']}", headers=idp.headers)).json()
        assert [g["display"] for g in user_b["groups"]] == ["Team"]
        members = await client.get(f"{SCIM}/Groups", params={"filter": f'members eq "{b["id"]}"'}, headers=idp.headers)
        assert members.json()["totalResults"] == 1

    async def test_delete_then_get_is_404_and_the_name_is_free(self, client: AsyncTestClient, idp: Provisioner) -> None:
        user = await create_user(client, idp, "gone")
        deleted = await client.delete(f"{SCIM}/Users/{user['id']}", headers=idp.headers)
        assert deleted.status_code == 204
        scim_error(await client.get(f"{SCIM}/Users/{user['id']}", headers=idp.headers), 404)
        scim_error(await client.delete(f"{SCIM}/Users/{user['id']}", headers=idp.headers), 404)
        listed = await client.get(f"{SCIM}/Users", headers=idp.headers)
        assert listed.json()["totalResults"] == 0
        await create_user(client, idp, "gone")

    async def test_every_write_is_audited_as_the_token_owner_via_scim(
        self, client: AsyncTestClient, idp: Provisioner, db: Database
    ) -> None:
        user = await create_user(client, idp, "audited")
        await client.patch(
            f"{SCIM}/Users/{user['id']}",
            json=patch_payload({"op": "replace", "path": "active", "value": False}),
            headers=idp.headers,
        )
        await client.post(f"{SCIM}/Groups", json=group_payload("G", user["id"]), headers=idp.headers)
        await client.delete(f"{SCIM}/Users/{user['id']}", headers=idp.headers)
        async with db.read() as session:
            entries = (await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all()
        actions = [e.action for e in entries]
        assert actions == ["scim_user.create", "scim_user.patch", "scim_group.create", "scim_user.delete"]
        assert {e.actor_id for e in entries} == {idp.admin.id}
        assert all(e.via.startswith("scim:") for e in entries)
        assert entries[1].before is not None and entries[1].before["active"] is True
        assert entries[1].after is not None and entries[1].after["active"] is False


class TestNeverA500:
    @pytest.mark.parametrize(
        ("operation", "status", "scim_type"),
        [
            ({"op": "bad", "path": "active", "value": True}, 400, "invalidValue"),
            ({"op": "replace", "path": "foo", "value": "x"}, 400, "invalidPath"),
            ({"op": "replace", "path": "groups", "value": []}, 400, "mutability"),
            ({"op": "replace", "path": "active", "value": "maybe"}, 400, "invalidValue"),
            ({"op": "remove", "path": "userName"}, 400, "mutability"),
            ({"op": "replace", "path": 'emails[type eq "work"].value', "value": "x@y.id"}, 400, "noTarget"),
            ({"op": "replace", "path": "userName", "value": "OTHER"}, 409, "uniqueness"),
        ],
    )
    async def test_a_bad_patch_is_refused_and_changes_nothing(
        self, client: AsyncTestClient, idp: Provisioner, operation: dict[str, Any], status: int, scim_type: str
    ) -> None:
        await create_user(client, idp, "other")
        user = await create_user(client, idp, "target", displayName="Before")
        both = patch_payload({"op": "replace", "path": "displayName", "value": "After"}, operation)
        response = await client.patch(f"{SCIM}/Users/{user['id']}", json=both, headers=idp.headers)
        scim_error(response, status, scim_type)
        unchanged = (await client.get(f"{SCIM}/Users/{user['id']}", headers=idp.headers)).json()
        assert unchanged["displayName"] == "Before"

    @pytest.mark.parametrize(
        "body",
        [b"[" * 100_000, b"\xff\xfe{}", b'{"userName": 1' + b"1" * 5_000 + b"}", b'{"a":' * 40 + b"1" + b"}" * 40],
        ids=["nested past the stack", "not UTF-8", "a 5,000-digit number", "nested 40 deep"],
    )
    async def test_a_hostile_body_is_invalid_syntax_and_writes_nothing(
        self, client: AsyncTestClient, idp: Provisioner, db: Database, body: bytes
    ) -> None:
        response = await client.post(f"{SCIM}/Users", content=body, headers=idp.headers)
        scim_error(response, 400, "invalidSyntax")
        assert await scim_users(db) == 0

    @pytest.mark.parametrize("params", [{"count": "many"}, {"startIndex": "first"}, {"attributes": "[[["}])
    async def test_bad_list_parameters_are_400(
        self, client: AsyncTestClient, idp: Provisioner, params: dict[str, str]
    ) -> None:
        response = await client.get(f"{SCIM}/Users", params=params, headers=idp.headers)
        assert response.status_code == 400, response.text
        assert response.json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]

    async def test_other_refusals(self, client: AsyncTestClient, idp: Provisioner) -> None:
        headers = {**idp.headers, "content-type": "text/plain"}
        scim_error(await client.post(f"{SCIM}/Users", content=b"{}", headers=headers), 400, "invalidSyntax")
        big = b'{"userName": "' + b"x" * 1_100_000 + b'"}'
        scim_error(await client.post(f"{SCIM}/Users", content=big, headers=idp.headers), 413)
        scim_error(await client.put(f"{SCIM}/Users/nobody", json=user_payload("n"), headers=idp.headers), 404)
        scim_error(
            await client.patch(f"{SCIM}/Groups/nobody", json=patch_payload(), headers=idp.headers), 400, "invalidValue"
        )
        scim_error(await client.post(f"{SCIM}/.search", json={}, headers=idp.headers), 501)
        long_name = user_payload("y" * 300)
        scim_error(await client.post(f"{SCIM}/Users", json=long_name, headers=idp.headers), 400, "invalidValue")
