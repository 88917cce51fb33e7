"""Issue 11's refusal "a token without the SCIM scope gets 401/403 on /scim/v2", at every SCIM address and method
(the protocol tests try one): no token or a bad one is 401, an app token without the ``scim`` scope is 403 even
when its owner is an administrator, and nothing is written or read."""

from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select

from smartoffice.db import Database
from smartoffice.identity.scopes import Scope
from smartoffice.people.models import Role
from smartoffice.scim.models import ScimGroup, ScimUser
from tests.factories import Factory
from tests.support.auth import bearer, issue_token
from tests.support.scim import SCIM, Provisioner, group_payload, patch_payload, provisioner, scim_error, user_payload

EVERY_DOOR: list[tuple[str, str, Any]] = [
    ("GET", "/ServiceProviderConfig", None),
    ("GET", "/ResourceTypes", None),
    ("GET", "/Schemas", None),
    ("GET", "/Users", None),
    ("GET", "/Users/{user}", None),
    ("POST", "/Users", user_payload("baru@contoh.go.id")),
    ("POST", "/Users/.search", {"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"]}),
    ("PUT", "/Users/{user}", user_payload("ganti@contoh.go.id")),
    ("PATCH", "/Users/{user}", patch_payload({"op": "replace", "path": "active", "value": False})),
    ("DELETE", "/Users/{user}", None),
    ("GET", "/Groups", None),
    ("POST", "/Groups", group_payload("grup-baru")),
    ("DELETE", "/Groups/{group}", None),
]


async def counts(db: Database) -> tuple[int, int, int]:
    async with db.read() as session:
        users = await session.scalar(select(func.count()).select_from(ScimUser))
        active = await session.scalar(select(func.count()).select_from(ScimUser).where(ScimUser.active.is_(True)))
        groups = await session.scalar(select(func.count()).select_from(ScimGroup))
    return int(users or 0), int(active or 0), int(groups or 0)


@pytest.fixture
async def idp(db: Database, factory: Factory) -> Provisioner:
    return await provisioner(db, factory)


@pytest.fixture
async def existing(client: AsyncTestClient, idp: Provisioner) -> dict[str, str]:
    """One user and one group the provider made, for the addresses that name one."""
    user = await client.post(f"{SCIM}/Users", json=user_payload("ada@contoh.go.id"), headers=idp.headers)
    group = await client.post(f"{SCIM}/Groups", json=group_payload("grup-ada"), headers=idp.headers)
    assert (user.status_code, group.status_code) == (201, 201), (user.text, group.text)
    return {"user": user.json()["id"], "group": group.json()["id"]}


@pytest.mark.parametrize(("method", "path", "body"), EVERY_DOOR, ids=[f"{m} {p}" for m, p, _ in EVERY_DOOR])
async def test_no_scim_scope_no_entry(
    client: AsyncTestClient,
    db: Database,
    factory: Factory,
    existing: dict[str, str],
    method: str,
    path: str,
    body: Any,
) -> None:
    # given an administrator's token with every scope but scim
    admin = await factory.employee()
    await factory.role(admin, Role.ADMIN)
    others = [scope for scope in Scope if scope != Scope.SCIM]
    token = await issue_token(db, admin.id, *others)
    url = SCIM + path.format(**existing)
    before = await counts(db)
    # when it, a bad token and no token knock
    without_scope = await client.request(method, url, json=body, headers=bearer(token))
    bad = await client.request(method, url, json=body, headers=bearer("so_bad.token"))
    anonymous = await client.request(method, url, json=body)
    # then
    scim_error(without_scope, 403)
    scim_error(bad, 401)
    scim_error(anonymous, 401)
    assert await counts(db) == before
