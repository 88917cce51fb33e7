"""The ``auditLog`` connection: the audit entries the caller may read, filtered, newest first, keyset-paginated."""

import datetime as dt
from typing import Annotated

import strawberry

from smartoffice.api.context import Info
from smartoffice.api.errors import PermissionDeniedError, ValidationError
from smartoffice.audit.api.types import NODE_KINDS, AuditLogConnection
from smartoffice.audit.service import AuditSearch
from smartoffice.db import MAX_PAGE_SIZE, is_storable_id
from smartoffice.errors import CommonInputCode, InvalidInput
from smartoffice.identity.scopes import Scope
from smartoffice.ids import decode_id, parse_id


@strawberry.input(description="Which audit entries to list; every given field must match (AND). Omitted: any.")
class AuditLogFilter:
    action: str | None = strawberry.field(
        default=None, description="An action (`policy.create`), or a prefix ending in a dot (`policy.`)."
    )
    entity_kind: str | None = strawberry.field(default=None, description="The kind of thing changed (`Policy`).")
    entity_id: strawberry.ID | None = strawberry.field(
        default=None, description="The thing changed, as `AuditEntry.entityId` shows it."
    )
    actor_id: strawberry.ID | None = strawberry.field(default=None, description="The Employee who made the change.")
    from_: dt.datetime | None = strawberry.field(
        default=None, name="from", description="Entries at or after this instant."
    )
    until: dt.datetime | None = strawberry.field(default=None, description="Entries before this instant.")
    site_id: strawberry.ID | None = strawberry.field(
        default=None, description="Entries of this Site (facilities managers: a site they manage)."
    )
    org_unit_id: strawberry.ID | None = strawberry.field(
        default=None, description="Entries of this OrgUnit or a unit below it (unit managers: a unit they manage)."
    )


AuditLogResult = Annotated[
    AuditLogConnection | ValidationError | PermissionDeniedError,
    strawberry.union(
        "AuditLogResult",
        description="A page of the audit log; a ValidationError for a malformed filter id (INVALID_ID), an "
        "`until` before `from` (END_BEFORE_START) or a cursor this API did not issue (INVALID_CURSOR); a "
        "PermissionDeniedError for someone who manages nothing, or a site or unit filter outside what they manage.",
    ),
]


def _entity_id(value: strawberry.ID | None) -> int | None:
    if value is None:
        return None
    found = parse_id(value, tuple(NODE_KINDS))
    if found is not None:
        return found[1]
    if value.isdigit() and is_storable_id(int(value)):
        return int(value)
    raise InvalidInput("filter.entityId", CommonInputCode.INVALID_ID, type_name="entity")


def _search(filter: AuditLogFilter | None) -> AuditSearch:
    f = filter or AuditLogFilter()
    return AuditSearch(
        action=f.action,
        entity_kind=f.entity_kind,
        entity_id=_entity_id(f.entity_id),
        actor_id=None if f.actor_id is None else decode_id(f.actor_id, "Employee", "filter.actorId"),
        since=f.from_,
        until=f.until,
        site_id=None if f.site_id is None else decode_id(f.site_id, "Site", "filter.siteId"),
        org_unit_id=None if f.org_unit_id is None else decode_id(f.org_unit_id, "OrgUnit", "filter.orgUnitId"),
    )


@strawberry.type
class AuditQuery:
    @strawberry.field(
        description="The audit log: every change to people, units, roles, policies, exemptions, anchor days, the "
        "calendar, tokens and sessions, newest first. Administrators read every entry; facilities managers the "
        "entries of their sites; unit managers those of their units and the units below them. An app token needs "
        f"the `audit:read` scope. `first` is capped at {MAX_PAGE_SIZE}; pass `pageInfo.endCursor` as `after` for the "
        "next page."
    )
    async def audit_log(
        self, info: Info, filter: AuditLogFilter | None = None, first: int = 20, after: str | None = None
    ) -> AuditLogResult:
        viewer = info.context.require_viewer()
        info.context.require_scope(Scope.AUDIT_READ)
        page = await info.context.runtime.audit.search(viewer, _search(filter), first, after)
        return AuditLogConnection.from_page(page)
