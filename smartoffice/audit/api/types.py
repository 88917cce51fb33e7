"""GraphQL types of the audit log: an entry, and a page of them (a Relay connection, newest first)."""

import datetime as dt
from typing import Self

import strawberry
from strawberry.scalars import JSON

from smartoffice.api.pagination import PageInfo
from smartoffice.audit.models import AuditEntry as AuditEntryRow
from smartoffice.audit.service import AuditPage
from smartoffice.ids import encode_id
from smartoffice.people.api.types import Employee, OrgUnit
from smartoffice.places.api.types import Site

NODE_KINDS = frozenset({"ApiToken", "Building", "Desk", "Employee", "Exemption", "Floor", "OrgUnit", "Policy", "Site"})
"""Entity kinds that are a ``Node`` in the API: their ``entityId`` is the public (global) id."""


@strawberry.type(description="One change an administrator, a manager, an import or an identity provider made.")
class AuditEntry:
    at: dt.datetime = strawberry.field(description="When the change was made (committed with it).")
    actor: Employee | None = strawberry.field(
        description="Who made it; null for the system (an import from the command line, a job) or a person "
        "since deleted."
    )
    via: str = strawberry.field(
        description="Through what: `page`, `api`, `token:<id>`, `cli`, `import`, `scim`, `job`."
    )
    action: str = strawberry.field(
        description="What happened, `<entity>.<verb>`: `policy.create`, `exemption.decide`, `token.revoke`, ..."
    )
    entity_kind: str = strawberry.field(description="The kind of thing changed, e.g. `Policy`, `ApiToken`.")
    entity_id: strawberry.ID | None = strawberry.field(
        description="The thing changed: its global id where the kind is a `Node` (look it up with `node`), "
        "else its number."
    )
    before: JSON | None = strawberry.field(description="The changed fields' values before; null for a creation.")
    after: JSON | None = strawberry.field(description="The changed fields' values after; null for a removal.")
    site: Site | None = strawberry.field(description="The site the change belongs to, if any.")
    org_unit: OrgUnit | None = strawberry.field(description="The unit the change belongs to, if any.")

    @classmethod
    def from_row(cls, row: AuditEntryRow, page: AuditPage) -> Self:
        actor = page.actors.get(row.actor_id) if row.actor_id is not None else None
        site = page.sites.get(row.site_id) if row.site_id is not None else None
        unit = page.org_units.get(row.org_unit_id) if row.org_unit_id is not None else None
        return cls(
            at=row.at,
            actor=Employee.from_model(actor) if actor else None,
            via=row.via,
            action=row.action,
            entity_kind=row.entity_kind,
            entity_id=None if row.entity_id is None else strawberry.ID(_public_id(row.entity_kind, row.entity_id)),
            before=None if row.before is None else JSON(row.before),
            after=None if row.after is None else JSON(row.after),
            site=Site.from_model(site) if site else None,
            org_unit=OrgUnit.from_model(unit) if unit else None,
        )


def _public_id(kind: str, ident: int) -> str:
    return encode_id(kind, ident) if kind in NODE_KINDS else str(ident)


@strawberry.type
class AuditEntryEdge:
    cursor: str
    node: AuditEntry


@strawberry.type(description="A page of audit entries, newest first.")
class AuditLogConnection:
    edges: list[AuditEntryEdge]
    page_info: PageInfo

    @classmethod
    def from_page(cls, page: AuditPage) -> Self:
        edges = [AuditEntryEdge(cursor=page.cursor(e), node=AuditEntry.from_row(e, page)) for e in page.entries]
        return cls(
            edges=edges, page_info=PageInfo(has_next_page=page.has_next, end_cursor=edges[-1].cursor if edges else None)
        )
