"""SCIM for tests: an administrator with a SCIM token, a client that speaks ``application/scim+json``, and the
payloads an identity provider sends."""

from dataclasses import dataclass
from typing import Any

import httpx

from smartoffice.db import Database
from smartoffice.identity.scopes import Scope
from smartoffice.people.models import Employee, Role
from tests.factories import Factory
from tests.support.auth import bearer, issue_token

SCIM = "/scim/v2"
MEDIA_TYPE = "application/scim+json"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


@dataclass(frozen=True, slots=True)
class Provisioner:
    """The identity provider's credentials: a SCIM-scoped token of an administrator."""

    admin: Employee
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {**bearer(self.token), "content-type": MEDIA_TYPE}


async def provisioner(db: Database, factory: Factory) -> Provisioner:
    admin = await factory.employee(name="SCIM Admin")
    await factory.role(admin, Role.ADMIN)
    return Provisioner(admin, await issue_token(db, admin.id, Scope.SCIM))


def user_payload(user_name: str, **extra: Any) -> dict[str, Any]:
    """A User as an identity provider creates it; ``nip`` goes to the enterprise ``employeeNumber``."""
    nip = extra.pop("nip", None)
    payload: dict[str, Any] = {"schemas": [USER_SCHEMA], "userName": user_name, **extra}
    if nip is not None:
        payload["schemas"] = [USER_SCHEMA, ENTERPRISE_SCHEMA]
        payload[ENTERPRISE_SCHEMA] = {"employeeNumber": nip}
    return payload


def group_payload(name: str, *member_ids: str) -> dict[str, Any]:
    return {"schemas": [GROUP_SCHEMA], "displayName": name, "members": [{"value": m} for m in member_ids]}


def patch_payload(*operations: dict[str, Any]) -> dict[str, Any]:
    return {"schemas": [PATCH_SCHEMA], "Operations": list(operations)}


def scim_error(response: httpx.Response, status: int, scim_type: str | None = None) -> dict[str, Any]:
    """Assert ``response`` is a SCIM error with ``status`` (and ``scimType``); returns its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(MEDIA_TYPE)
    body: dict[str, Any] = response.json()
    assert body["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert body["status"] == str(status)
    assert body.get("scimType") == scim_type
    return body
