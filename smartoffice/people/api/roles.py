"""Roles in the API: ``grantRole``, ``revokeRole`` and ``roleAssignments`` (the rules: ``people/grants.py``).

Administration is for people signed in, not for app tokens. Errors rise from
:class:`~smartoffice.people.grants.RoleService` and become members of the result unions."""

from enum import Enum
from typing import Annotated, Self

import strawberry

from smartoffice.api.context import Info
from smartoffice.api.errors import NotFoundError, PermissionDeniedError, ValidationError
from smartoffice.api.pagination import PageInfo
from smartoffice.audit.record import Actor
from smartoffice.db import MAX_PAGE_SIZE
from smartoffice.errors import InvalidInput
from smartoffice.ids import decode_id, encode_id
from smartoffice.people.api.types import Employee
from smartoffice.people.errors import RoleInputCode
from smartoffice.people.models import RoleSource as RoleSourceColumn
from smartoffice.people.role_grant import SCOPE_KIND, GrantableRole, RoleGrant
from smartoffice.people.role_listing import RoleSearch

VIA = "graphql"
"""The channel written to the audit log for changes made here."""


@strawberry.enum(description="A role someone may hold, each over its scope.")
class RoleKind(Enum):
    ADMIN = strawberry.enum_value("admin", description="Everything, everywhere. No scope.")
    FACILITIES_MANAGER = strawberry.enum_value(
        "facilities_manager", description="The places, closures and bookings of one site. Scope: a Site."
    )
    UNIT_MANAGER = strawberry.enum_value(
        "unit_manager",
        description="A unit and every unit below it: their people's weeks, exemptions, compliance. Scope: an "
        "OrgUnit. The head of a unit by position holds it without a grant.",
    )
    ROOM_APPROVER = strawberry.enum_value(
        "room_approver", description="Accepts or rejects bookings of one meeting room. Scope: a MeetingRoom."
    )


@strawberry.enum(description="How a role is held.")
class RoleSource(Enum):
    GRANTED = strawberry.enum_value("granted", description="Granted with `grantRole`; taken back with `revokeRole`.")
    IDENTITY_PROVIDER = strawberry.enum_value(
        "identity_provider",
        description="From the person's groups at the identity provider (the SMARTOFFICE_IDP_ROLE_GROUPS mapping), "
        "kept in step at each sign-in and SCIM group change; not revocable here, only at the provider.",
    )
    POSITION = strawberry.enum_value(
        "position", description="The head of the unit by position (unit manager only), from the org chart."
    )


@strawberry.type(
    description="A role held by a person: granted, from the identity provider's groups or (unit manager only) by "
    "position. A role held in two ways is listed once for each."
)
class RoleAssignment:
    employee_id: strawberry.Private[int]
    role: RoleKind
    scope_id: strawberry.ID | None = strawberry.field(
        description="The Site, OrgUnit or MeetingRoom the role is held over (by `role`); null for ADMIN."
    )
    derived: bool = strawberry.field(
        description="True: the person is the head of the unit by position (its managerial post holder whose "
        "direct supervisor is outside the unit), from the org chart, not granted. Not revocable."
    )
    source: RoleSource = strawberry.field(description="How the role is held.")

    @strawberry.field(
        description="Whether `revokeRole` can take it back (granted: not by position, not from the identity provider)."
    )
    def revocable(self) -> bool:
        return self.source == RoleSource.GRANTED

    @strawberry.field(description="Who holds the role.")
    async def employee(self, info: Info) -> Employee:
        return Employee.from_model(await info.context.loaders.people.employee_by_id.load(self.employee_id))

    @classmethod
    def from_grant(cls, grant: RoleGrant) -> Self:
        kind = SCOPE_KIND.get(grant.role)
        scope = None if kind is None or grant.scope_id is None else strawberry.ID(encode_id(kind, grant.scope_id))
        if grant.derived:
            source = RoleSource.POSITION
        elif grant.source == RoleSourceColumn.IDP:
            source = RoleSource.IDENTITY_PROVIDER
        else:
            source = RoleSource.GRANTED
        return cls(
            employee_id=grant.employee_id,
            role=RoleKind[grant.role.name],
            scope_id=scope,
            derived=grant.derived,
            source=source,
        )


@strawberry.input(description="A role for a person over a scope.")
class RoleInput:
    employee_id: strawberry.ID = strawberry.field(description="The person (an Employee id).")
    role: RoleKind
    scope_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="A Site id for FACILITIES_MANAGER, an OrgUnit id for UNIT_MANAGER (its whole subtree), a "
        "MeetingRoom id for ROOM_APPROVER; omitted for ADMIN.",
    )

    def to_grant(self) -> RoleGrant:
        role = GrantableRole[self.role.name]
        kind = SCOPE_KIND.get(role)
        if kind is None and self.scope_id is not None:
            raise InvalidInput("scopeId", RoleInputCode.SCOPE_NOT_ALLOWED)
        scope = None if self.scope_id is None or kind is None else decode_id(self.scope_id, kind, "scopeId")
        return RoleGrant(decode_id(self.employee_id, "Employee", "employeeId"), role, scope)


@strawberry.input(description="Which role assignments to list.")
class RoleAssignmentsFilter:
    employee_id: strawberry.ID | None = strawberry.field(default=None, description="Only this person's roles.")
    role: RoleKind | None = strawberry.field(default=None, description="Only this role.")


@strawberry.type(
    description="The role is held (granting one already granted changes nothing; one held only from the identity "
    "provider's groups is granted besides, and stays when the provider stops giving it)."
)
class GrantRoleSuccess:
    assignment: RoleAssignment


@strawberry.type(description="The role is taken back.")
class RevokeRoleSuccess:
    assignment: RoleAssignment


GrantRoleResult = Annotated[
    GrantRoleSuccess | ValidationError | NotFoundError | PermissionDeniedError, strawberry.union("GrantRoleResult")
]
RevokeRoleResult = Annotated[
    RevokeRoleSuccess | ValidationError | NotFoundError | PermissionDeniedError, strawberry.union("RevokeRoleResult")
]


@strawberry.type(description="One role assignment and its place in the listing.")
class RoleAssignmentEdge:
    cursor: str
    node: RoleAssignment


@strawberry.type(
    description="A page of role assignments: explicit grants (by when they were granted), room approvers (by room, "
    "then person), then heads of units by position (by unit, then person)."
)
class RoleAssignmentConnection:
    edges: list[RoleAssignmentEdge]
    page_info: PageInfo
    viewer_id: strawberry.Private[int]
    search: strawberry.Private[RoleSearch]

    @strawberry.field(description="How many role assignments match in all, on every page (counted when asked for).")
    async def total_count(self, info: Info) -> int:
        total, _ = await info.context.runtime.roles.count(self.viewer_id, self.search)
        return total


RoleAssignmentsResult = Annotated[
    RoleAssignmentConnection | ValidationError,
    strawberry.union(
        "RoleAssignmentsResult",
        description="A page of role assignments, or a ValidationError for a malformed employee id in the filter "
        "(INVALID_ID) or a cursor this API did not issue (INVALID_CURSOR).",
    ),
]


def _search(filter: RoleAssignmentsFilter | None) -> RoleSearch:
    if filter is None:
        return RoleSearch()
    employee_id = None if filter.employee_id is None else decode_id(filter.employee_id, "Employee", "employeeId")
    role = None if filter.role is None else GrantableRole[filter.role.name]
    return RoleSearch(employee_id=employee_id, role=role)


@strawberry.type
class RolesQuery:
    @strawberry.field(
        description="Who holds which role: explicit grants, then room approvers, then the heads of units by position "
        "(derived), in an order that does not change while roles are granted or revoked. Administrators see all; "
        f"others their own roles and those within the units and sites they manage. `first` is capped at "
        f"{MAX_PAGE_SIZE}; pass `pageInfo.endCursor` as `after` for the next page. A malformed id in the filter or a "
        "cursor this API did not issue is a ValidationError."
    )
    async def role_assignments(
        self, info: Info, filter: RoleAssignmentsFilter | None = None, first: int = 50, after: str | None = None
    ) -> RoleAssignmentsResult:
        viewer = info.context.require_session()
        search = _search(filter)
        page = await info.context.runtime.roles.assignments(viewer, search, first=first, after=after)
        edges = [
            RoleAssignmentEdge(cursor=page.cursor(index), node=RoleAssignment.from_grant(grant))
            for index, grant in enumerate(page.grants)
        ]
        return RoleAssignmentConnection(
            edges=edges,
            page_info=PageInfo(has_next_page=page.has_next, end_cursor=page.end_cursor),
            viewer_id=viewer,
            search=search,
        )


@strawberry.type
class RolesMutation:
    @strawberry.mutation(
        description="Give a person a role over a scope. Administrators grant any role; unit managers (granted or "
        "by position) unit manager and room approver within their units; facilities managers facilities manager "
        "and room approver within their site. Never to a person who left. Audited as role.grant."
    )
    async def grant_role(self, info: Info, input: RoleInput) -> GrantRoleResult:
        actor = info.context.require_session()
        grant = await info.context.runtime.roles.grant(Actor(actor, VIA), input.to_grant())
        return GrantRoleSuccess(assignment=RoleAssignment.from_grant(grant))

    @strawberry.mutation(
        description="Take back a granted role (the same people may revoke as may grant). A head of a unit by "
        "position keeps it; the last administrator cannot be revoked; a role held only from the identity provider's "
        "groups is managed there (ROLE_FROM_IDENTITY_PROVIDER). Audited as role.revoke."
    )
    async def revoke_role(self, info: Info, input: RoleInput) -> RevokeRoleResult:
        actor = info.context.require_session()
        grant = await info.context.runtime.roles.revoke(Actor(actor, VIA), input.to_grant())
        return RevokeRoleSuccess(assignment=RoleAssignment.from_grant(grant))
