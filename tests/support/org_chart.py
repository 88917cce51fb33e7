"""An org chart with heads by position and no unit-manager grants, for the role tests (service, GraphQL, pages).

::

    Kedeputian Pendanaan (level 1)        deputy_head (managerial, no supervisor)      head by position
    ├── Direktorat Perencanaan (level 2)  director (managerial, reports to deputy_head) head by position
    │   │                                 vice (managerial, reports to director)       struktural, not the head
    │   │                                 staff (functional, report to vice)
    │   └── Tim Kerja Data (level 3)      lead (functional, reports to director)       no head by position
    └── Direktorat Pendanaan (level 2)    other_director (managerial)                  head of the sibling
    admin (granted), site with a room in the directorate's zone and a room in the sibling's zone
"""

from dataclasses import dataclass

from sqlalchemy import update

from smartoffice.db import Database
from smartoffice.people.models import Employee, OrgUnit, PositionKind, Role
from smartoffice.places.models import Site, Space
from tests.factories import Factory
from tests.support.policies import NATIONAL_RULES


@dataclass
class OrgChart:
    deputy: OrgUnit
    directorate: OrgUnit
    team: OrgUnit
    sibling: OrgUnit
    deputy_head: Employee
    director: Employee
    vice: Employee
    staff: list[Employee]
    lead: Employee
    other_director: Employee
    admin: Employee
    site: Site
    room: Space
    """In a zone of the directorate."""
    sibling_room: Space
    """In a zone of the sibling directorate."""


async def build_org_chart(factory: Factory) -> OrgChart:
    organisation = await factory.organisation(name="Kementerian PPN/Bappenas")
    deputy = await factory.unit(organisation, name="Kedeputian Pendanaan", level=1)
    directorate = await factory.unit(organisation, name="Direktorat Perencanaan", parent_id=deputy.id)
    team = await factory.unit(organisation, name="Tim Kerja Data", parent_id=directorate.id, level=3)
    sibling = await factory.unit(organisation, name="Direktorat Pendanaan", parent_id=deputy.id)
    managerial = PositionKind.MANAGERIAL
    deputy_head = await factory.employee(deputy, name="Deputi", position_kind=managerial)
    director = await factory.employee(
        directorate, name="Direktur", position_kind=managerial, supervisor_id=deputy_head.id
    )
    vice = await factory.employee(directorate, name="Kasubdit", position_kind=managerial, supervisor_id=director.id)
    staff = [await factory.employee(directorate, name=f"Staf {n}", supervisor_id=vice.id) for n in (1, 2)]
    lead = await factory.employee(team, name="Ketua Tim", supervisor_id=director.id)
    other_director = await factory.employee(
        sibling, name="Direktur Lain", position_kind=managerial, supervisor_id=deputy_head.id
    )
    admin = await factory.employee(name="Admin")
    await factory.role(admin, Role.ADMIN)
    await factory.policy(NATIONAL_RULES, name="Batas kerja fleksibel lokasi nasional")
    site = await factory.site(name="KIPP")
    floor = await factory.floor(await factory.building(site))
    room = await factory.room(floor, zone_id=(await factory.zone(floor, org_unit_id=directorate.id)).id)
    sibling_room = await factory.room(floor, zone_id=(await factory.zone(floor, org_unit_id=sibling.id)).id)
    return OrgChart(
        deputy, directorate, team, sibling, deputy_head, director, vice, staff, lead, other_director, admin, site,
        room, sibling_room,
    )  # fmt: skip


async def set_employee(db: Database, employee: Employee, **values: object) -> None:
    """Change a person as an import would (moved to another unit, deactivated)."""
    async with db.write() as session:
        await session.execute(update(Employee).where(Employee.id == employee.id).values(**values))
