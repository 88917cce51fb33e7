"""What the SCIM endpoint serves, as scim2-models resources: rows to ``User``/``Group`` and back, and the discovery
documents (``ServiceProviderConfig``, ``ResourceTypes``, ``Schemas``).

The published schemas are the standard ones cut down to the attributes this server keeps (RFC 7643 §7 lets a
service provider publish what it supports): a client that reads them, scim2-tester included, then sends only
those; anything else it sends is ignored on write, and naming it in a filter is a 400 ``invalidFilter``.
"""

from collections.abc import Sequence
from typing import Any

from scim2_models import (
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    Email,
    EnterpriseUser,
    ETag,
    Filter,
    Group,
    GroupMember,
    GroupMembership,
    Meta,
    Name,
    Patch,
    Resource,
    ResourceType,
    Schema,
    ServiceProviderConfig,
    Sort,
    User,
)

from smartoffice.db import MAX_PAGE_SIZE
from smartoffice.scim.models import ScimGroup, ScimUser

SCIM_PATH = "/scim/v2"
SCIM_MEDIA_TYPE = "application/scim+json"
UserResource = User[EnterpriseUser]
"""A User with the enterprise extension (its ``employeeNumber`` is the NIP)."""

USER_ATTRIBUTES = {"userName": None, "name": {"formatted", "familyName", "givenName"}, "displayName": None}
USER_ATTRIBUTES |= {"emails": {"value", "type", "primary"}, "active": None, "groups": {"value", "$ref", "display"}}
ENTERPRISE_ATTRIBUTES: dict[str, set[str] | None] = {"employeeNumber": None}
GROUP_ATTRIBUTES: dict[str, set[str] | None] = {
    "displayName": None,
    "members": {"value", "$ref", "display", "type"},
}


def _kept(schema: Schema, wanted: dict[str, set[str] | None]) -> Schema:
    """``schema`` with only the attributes (and sub-attributes) in ``wanted``."""
    attributes = []
    for attribute in schema.attributes or []:
        if attribute.name not in wanted:
            continue
        subs = wanted[attribute.name]
        if subs is not None and attribute.sub_attributes:
            attribute = attribute.model_copy(
                update={"sub_attributes": [s for s in attribute.sub_attributes if s.name in subs]}
            )
        attributes.append(attribute)
    return schema.model_copy(update={"attributes": attributes})


def schemas(base_url: str) -> list[Schema]:
    found = [
        _kept(User.to_schema(), USER_ATTRIBUTES),
        _kept(EnterpriseUser.to_schema(), ENTERPRISE_ATTRIBUTES),
        _kept(Group.to_schema(), GROUP_ATTRIBUTES),
    ]
    return [
        s.model_copy(update={"meta": Meta(resource_type="Schema", location=f"{base_url}/Schemas/{s.id}")})
        for s in found
    ]


def resource_types(base_url: str) -> list[ResourceType]:
    user = {
        "id": "User",
        "name": "User",
        "description": "An account that signs in as an employee",
        "endpoint": "/Users",
        "schema": User.__schema__,
        "schemaExtensions": [{"schema": EnterpriseUser.__schema__, "required": False}],
    }
    group = {
        "id": "Group",
        "name": "Group",
        "description": "A group of accounts; its name maps to roles",
        "endpoint": "/Groups",
        "schema": Group.__schema__,
    }
    return [
        ResourceType.model_validate(
            {**found, "meta": {"resourceType": "ResourceType", "location": f"{base_url}/ResourceTypes/{found['id']}"}}
        )
        for found in (user, group)
    ]


def service_provider_config(base_url: str) -> ServiceProviderConfig:
    return ServiceProviderConfig(
        documentation_uri=None,
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=Filter(supported=True, max_results=MAX_PAGE_SIZE),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=False),
        etag=ETag(supported=False),
        authentication_schemes=[
            AuthenticationScheme.model_validate(
                {
                    "type": "oauthbearertoken",
                    "name": "App token",
                    "description": "Authorization: Bearer so_... with the scope 'scim', issued to an administrator",
                    "primary": True,
                }
            )
        ],
        meta=Meta(resource_type="ServiceProviderConfig", location=f"{base_url}/ServiceProviderConfig"),
    )


def user_resource(user: ScimUser, groups: Sequence[ScimGroup], base_url: str) -> Resource[Any]:
    name = Name(formatted=user.formatted_name, family_name=user.family_name, given_name=user.given_name)
    resource = UserResource(
        id=user.scim_id,
        external_id=user.external_id,
        user_name=user.user_name,
        name=name if any((user.formatted_name, user.family_name, user.given_name)) else None,
        display_name=user.display_name,
        emails=[Email.model_validate(e) for e in user.emails] or None,
        active=user.active,
        groups=[
            GroupMembership.model_validate(
                {"value": g.scim_id, "display": g.display_name, "$ref": f"{base_url}/Groups/{g.scim_id}"}
            )
            for g in groups
        ]
        or None,
        meta=Meta(
            resource_type="User",
            created=user.created_at,
            last_modified=user.updated_at,
            location=f"{base_url}/Users/{user.scim_id}",
        ),
    )
    if user.employee_number is not None:
        resource[EnterpriseUser] = EnterpriseUser(employee_number=user.employee_number)
    return resource


def group_resource(group: ScimGroup, members: Sequence[tuple[ScimUser, str | None]], base_url: str) -> Group:
    return Group(
        id=group.scim_id,
        external_id=group.external_id,
        display_name=group.display_name,
        members=[
            GroupMember.model_validate(
                {
                    "value": u.scim_id,
                    "display": display or u.display_name or u.user_name,
                    "type": "User",
                    "$ref": f"{base_url}/Users/{u.scim_id}",
                }
            )
            for u, display in members
        ]
        or None,
        meta=Meta(
            resource_type="Group",
            created=group.created_at,
            last_modified=group.updated_at,
            location=f"{base_url}/Groups/{group.scim_id}",
        ),
    )
