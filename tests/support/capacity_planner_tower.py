"""A tower that overflows on Tuesdays, for the anchor-day planner page's tests (tests/web/test_capacity_planner*).

Menara 2 (code T2) of site KIPP has two floors, 12 + 8 = 20 desks: at the 85 % target its limit is 17 people a day.
The national rules ask 3 office days a week and the unit's anchor days. Three directorates of one ministry, each
its own level-1 unit (no shared parent: no sibling wish), all anchor on Tuesday, and a public-service unit is in
every day:

    DIT-A  8 people, anchor Tuesday       DIT-C  6 people, anchor Tuesday
    DIT-B  8 people, anchor Tuesday       LAY    3 people, every working day

So Tuesday expects about 2.7 + 3 × the directorates' anchored people ≈ 22 (over 17), the other days about 12: the
planner has to move some directorates to other days. ``facilities`` manages the site (plans, but manages no unit),
``admin`` is an administrator (plans and applies), ``stranger`` holds no role.
"""

from dataclasses import dataclass

from smartoffice.people.models import Employee, OrgUnit, Role
from smartoffice.places.models import Building, Floor, Site
from smartoffice.policies.models import PolicyLevel
from tests.factories import Factory

TUESDAY = 1


@dataclass
class Tower:
    site: Site
    building: Building
    floors: list[Floor]
    units: dict[str, OrgUnit]
    facilities: Employee
    admin: Employee
    stranger: Employee


async def build_tower(factory: Factory) -> Tower:
    site = await factory.site(name="KIPP")
    building = await factory.building(site, code="T2", name="Menara 2")
    floors = [
        await factory.floor(building, level=1, name="Lantai 1"),
        await factory.floor(building, level=2, name="Lantai 2"),
    ]
    for floor, desks in zip(floors, (12, 8), strict=True):
        for n in range(desks):
            await factory.desk(floor, code=f"{floor.level}-{n:02d}")
    organisation = await factory.organisation(name="Kementerian PUPR")
    units = {}
    for code, name, people in (
        ("DIT-A", "Direktorat Air", 8),
        ("DIT-B", "Direktorat Bina", 8),
        ("DIT-C", "Direktorat Cipta", 6),
        ("LAY", "Pusat Layanan", 3),
    ):
        unit = await factory.unit(organisation, code=code, name=name, level=1)
        units[code] = unit
        for n in range(people):
            await factory.employee(unit, name=f"{name} {n + 1}", home_building_id=building.id)
        if code != "LAY":
            await factory.anchor_day(unit, TUESDAY)
    await factory.policy({"max_remote_days_per_week": 2, "anchor_days_required": True})
    await factory.policy(
        {"office_every_working_day": True},
        level=int(PolicyLevel.AGENCY),
        organisation_id=organisation.id,
        org_unit_id=units["LAY"].id,
    )
    elsewhere = await factory.unit(await factory.organisation(name="Lembaga Lain"))
    facilities = await factory.employee(elsewhere, name="Fajar Facilities")
    await factory.role(facilities, Role.FACILITIES_MANAGER, site_id=site.id)
    admin = await factory.employee(elsewhere, name="Adi Admin")
    await factory.role(admin, Role.ADMIN)
    stranger = await factory.employee(elsewhere, name="Orang Lain")
    return Tower(site, building, floors, units, facilities, admin, stranger)
