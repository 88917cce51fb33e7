"""A small office for the visibility and privacy tests: two directorates, their teams and managers.

::

    Organisation
    ├── Directorate A (unit manager: manager_a)
    │   ├── Team A1: alice, amir         (alice's direct supervisor: lead_a1)
    │   └── Team A2: bella
    └── Directorate B (unit manager: manager_b): bruno

Site 1 (facilities manager: facilities_1) holds the floor with the desks; site 2 has its own facilities manager
(facilities_2). ``admin`` is an administrator. Tests insert their bookings as rows (``tests.support.bookings``).
"""

from dataclasses import dataclass

from smartoffice.people.models import Employee, OrgUnit, Role
from smartoffice.places.models import Floor, Site, Space
from tests.factories import Factory


@dataclass
class Office:
    site: Site
    floor: Floor
    desks: list[Space]
    directorate_a: OrgUnit
    team_a1: OrgUnit
    team_a2: OrgUnit
    directorate_b: OrgUnit
    alice: Employee
    amir: Employee
    bella: Employee
    bruno: Employee
    lead_a1: Employee
    manager_a: Employee
    manager_b: Employee
    facilities_1: Employee
    facilities_2: Employee
    admin: Employee


async def build_office(factory: Factory, desks: int = 4) -> Office:
    site, other_site = await factory.site(), await factory.site()
    floor = await factory.floor(await factory.building(site))
    organisation = await factory.organisation()
    directorate_a = await factory.unit(organisation, level=2)
    team_a1 = await factory.unit(organisation, parent_id=directorate_a.id, level=3)
    team_a2 = await factory.unit(organisation, parent_id=directorate_a.id, level=3)
    directorate_b = await factory.unit(organisation, level=2)
    lead_a1 = await factory.employee(team_a1, name="Lukas Lead")
    office = Office(
        site=site,
        floor=floor,
        desks=[await factory.desk(floor, code=f"A{n:02d}") for n in range(desks)],
        directorate_a=directorate_a,
        team_a1=team_a1,
        team_a2=team_a2,
        directorate_b=directorate_b,
        alice=await factory.employee(team_a1, name="Alice Anggraini", supervisor_id=lead_a1.id),
        amir=await factory.employee(team_a1, name="Amir Hakim"),
        bella=await factory.employee(team_a2, name="Bella Sari"),
        bruno=await factory.employee(directorate_b, name="Bruno Tan"),
        lead_a1=lead_a1,
        manager_a=await factory.employee(directorate_a, name="Maya Manager"),
        manager_b=await factory.employee(directorate_b, name="Made Manager"),
        facilities_1=await factory.employee(directorate_b, name="Fajar Facilities"),
        facilities_2=await factory.employee(directorate_b, name="Fitri Facilities"),
        admin=await factory.employee(directorate_b, name="Adi Admin"),
    )
    await factory.role(office.manager_a, Role.UNIT_MANAGER, org_unit_id=directorate_a.id)
    await factory.role(office.manager_b, Role.UNIT_MANAGER, org_unit_id=directorate_b.id)
    await factory.role(office.facilities_1, Role.FACILITIES_MANAGER, site_id=site.id)
    await factory.role(office.facilities_2, Role.FACILITIES_MANAGER, site_id=other_site.id)
    await factory.role(office.admin, Role.ADMIN)
    return office
