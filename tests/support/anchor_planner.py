"""A tower that overflows on Tuesdays, for the anchor-day planner's tests.

Four directorates of one ministry meet on Tuesday (anchor days required, at most 2 remote days a week); a
public-service unit is in every working day. Everyone is housed in the tower (``home_building_id``). Its desks are
counted from the demand model itself (:func:`smartoffice.planning.demand.unit_demand`) so that the scenario holds
whatever the attendance rate: Tuesday overflows, moving ``a`` alone would fit, moving ``e`` alone would not.
With ``a`` and ``b`` named as working together, the fewest moves are two: ``c`` and ``e`` (21 people) rather
than ``a`` and ``b`` together (24).
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from smartoffice.db import Database
from smartoffice.people.models import Employee, OrgUnit, Role
from smartoffice.places.models import Building, Floor, Site, Space, SpaceKind
from smartoffice.planning.demand import UnitDemand, unit_demand
from smartoffice.policies.models import PolicyLevel
from tests.factories import Factory

WITA = ZoneInfo("Asia/Makassar")
WEEK = date(2026, 7, 6)
"""A week without holidays."""
TODAY = date(2026, 7, 3)
"""The Friday before."""
NOW = datetime.combine(TODAY, time(9), WITA).astimezone(UTC)
TUESDAY = 1
TARGET = 0.85
PEOPLE = {"a": 18, "b": 6, "c": 9, "e": 12, "service": 12}


@dataclass
class Tower:
    site: Site
    building: Building
    floor: Floor
    units: dict[str, OrgUnit]
    people: dict[str, list[Employee]]
    desks: int = 0
    roles: dict[str, Employee] = field(default_factory=dict)
    """admin, facilities (of the site), other_facilities (of another site), c_manager (unit manager of c), stranger."""

    def unit_id(self, name: str) -> int:
        return self.units[name].id


def clock() -> datetime:
    return NOW


async def build_tower(factory: Factory, db: Database) -> Tower:
    site = await factory.site(name="KIPP")
    building = await factory.building(site, code="T1", name="Menara 1")
    floor = await factory.floor(building, level=1)
    ministry = await factory.organisation(name="Kementerian PPN")
    units = {
        name: await factory.unit(ministry, code=name.upper(), name=f"Direktorat {name.upper()}") for name in "abce"
    }
    units["service"] = await factory.unit(ministry, code="LAY", name="Pusat Layanan", level=1)
    for name in "abce":
        await factory.anchor_day(units[name], TUESDAY)
    await factory.policy({"max_remote_days_per_week": 2, "anchor_days_required": True})
    await factory.policy(
        {"office_every_working_day": True},
        level=int(PolicyLevel.AGENCY),
        organisation_id=ministry.id,
        org_unit_id=units["service"].id,
    )
    people = {
        name: [await factory.employee(units[name], home_building_id=building.id) for _ in range(count)]
        for name, count in PEOPLE.items()
    }
    tower = Tower(site, building, floor, units, people)
    tower.desks = await _desks_for_the_scenario(db, tower)
    async with db.write() as session:
        session.add_all(
            Space(floor_id=floor.id, kind=SpaceKind.DESK, code=f"D{n}", x=float(n), y=2.0, width=1.6, height=0.8)
            for n in range(tower.desks)
        )
    elsewhere = await factory.unit(await factory.organisation(name="Lembaga Lain"))
    for role in ("admin", "facilities", "other_facilities", "c_manager", "stranger"):
        tower.roles[role] = await factory.employee(elsewhere, name=role)
    await factory.role(tower.roles["admin"], Role.ADMIN)
    await factory.role(tower.roles["facilities"], Role.FACILITIES_MANAGER, site_id=site.id)
    await factory.role(tower.roles["other_facilities"], Role.FACILITIES_MANAGER, site_id=(await factory.site()).id)
    await factory.role(tower.roles["c_manager"], Role.UNIT_MANAGER, org_unit_id=units["c"].id)
    return tower


async def _desks_for_the_scenario(db: Database, tower: Tower) -> int:
    """Desks whose 85 % lies between Tuesday's load with ``a`` moved off it and with ``e`` moved off it."""
    async with db.read() as session:
        rows = await unit_demand(session, [tower.building.id], WEEK, today=TODAY)
    by_unit = {row.unit_id: row for row in rows}
    tuesday = sum(row.expected_on(TUESDAY) for row in rows)

    def relief(name: str) -> float:
        """What moving the unit's anchor day from Tuesday to another day takes off Tuesday."""
        row: UnitDemand = by_unit[tower.unit_id(name)]
        return row.expected_on(TUESDAY) - row.expected_on(TUESDAY + 1)

    middle = tuesday - (relief("a") + relief("e")) / 2
    return round(middle / TARGET)
