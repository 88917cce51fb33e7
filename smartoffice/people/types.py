"""GraphQL types for people. NIP is personal data and is not exposed until roles and privacy land."""

from typing import Self

import strawberry
from strawberry import relay

from smartoffice.api.context import Info
from smartoffice.identity.scopes import Scope
from smartoffice.people import models


@strawberry.type(description="A ministry or agency (instansi, K/L).")
class Organisation(relay.Node):
    id: relay.NodeID[int]
    code: str
    name: str


@strawberry.type(description="A unit of an organisation: Eselon I (level 1), Eselon II (level 2), or a team.")
class OrgUnit(relay.Node):
    id: relay.NodeID[int]
    code: str
    name: str
    level: int
    organisation: Organisation


@strawberry.type(description="A civil servant (ASN).")
class Employee(relay.Node):
    id: relay.NodeID[int]
    full_name: strawberry.Private[str]
    unit: OrgUnit

    @strawberry.field(description="The person's name. App tokens need the people:read:names scope.")
    def name(self, info: Info) -> str:
        info.context.require_scope(Scope.PEOPLE_READ_NAMES)
        return self.full_name

    @classmethod
    def from_model(cls, e: models.Employee) -> Self:
        """``e`` must have its org unit and organisation loaded."""
        unit, org = e.org_unit, e.org_unit.organisation
        return cls(
            id=e.id,
            full_name=e.name,
            unit=OrgUnit(
                id=unit.id,
                code=unit.code,
                name=unit.name,
                level=unit.level,
                organisation=Organisation(id=org.id, code=org.code, name=org.name),
            ),
        )
