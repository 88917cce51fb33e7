"""GraphQL types for people. NIPs are personal data: see ``Employee.nip``."""

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

    @classmethod
    def from_model(cls, unit: models.OrgUnit) -> Self:
        """``unit`` must have its organisation loaded."""
        org = unit.organisation
        return cls(
            id=unit.id,
            code=unit.code,
            name=unit.name,
            level=unit.level,
            organisation=Organisation(id=org.id, code=org.code, name=org.name),
        )


@strawberry.type(description="A civil servant (ASN).")
class Employee(relay.Node):
    id: relay.NodeID[int]
    full_name: strawberry.Private[str]
    unit: OrgUnit
    shares_presence: bool = strawberry.field(
        description="Whether the person lets colleagues outside their unit see their name on the desk or room "
        "they booked (see `setPresenceSharing`)."
    )

    @strawberry.field(description="The person's name. App tokens need the people:read:names scope.")
    def name(self, info: Info) -> str:
        info.context.require_scope(Scope.PEOPLE_READ_NAMES)
        return self.full_name

    @strawberry.field(
        description="The NIP (Nomor Induk Pegawai), personal data: shown to the person, those who manage them "
        "(direct supervisor, unit managers over their unit subtree) and admins; null for everyone else. App "
        "tokens see it only with people:read:names, and only as far as their owner may."
    )
    async def nip(self, info: Info) -> str | None:
        if not info.context.has_scope(Scope.PEOPLE_READ_NAMES):
            return None
        return await info.context.loaders.people.nip_by_employee_id.load(self.id)

    @classmethod
    def from_model(cls, e: models.Employee) -> Self:
        """``e`` must have its org unit and organisation loaded."""
        return cls(id=e.id, full_name=e.name, unit=OrgUnit.from_model(e.org_unit), shares_presence=e.share_presence)
