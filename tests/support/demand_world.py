"""A small campus for the demand model and forecast tests: two towers, a ministry whose units follow anchor days
(one inherited, one of its own), a public-service unit, a unit housed through its parent's zone, and a facilities
manager.

The week :data:`WEEK` (6-10 July 2026) holds no holiday. Rules: at most 2 remote days a week (3 office days) and
the unit's anchor days required, nationally; the service unit in the office every working day.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.db import Database
from smartoffice.people.models import Employee, OrgUnit, Role
from smartoffice.places.models import Building, Floor, Site, Space, SpaceKind
from smartoffice.policies.models import PolicyLevel
from tests.factories import Factory

WEEK = date(2026, 7, 6)
WITA = ZoneInfo("Asia/Makassar")
BEFORE = datetime(2026, 5, 1, 1, tzinfo=UTC)
"""The forecast tests' clock: before every week they forecast (days gone count only what happened)."""
MON, TUE, WED, THU, FRI = (WEEK + timedelta(days=n) for n in range(5))


@dataclass
class DemandWorld:
    site: Site
    north: Building
    """Tower of the directorates: 10 desks."""
    south: Building
    """Tower of the service unit and the unit housed through its parent: 6 desks."""
    north_floor: Floor
    south_floor: Floor
    north_desks: list[Space]
    south_desks: list[Space]
    deputy: OrgUnit
    """Anchor day Wednesday; no zone."""
    inheriting: OrgUnit
    """A directorate without anchor days of its own (follows the deputy's Wednesday), zoned in the north tower."""
    own_days: OrgUnit
    """A directorate with its own anchor day (Monday), zoned in the north tower."""
    service: OrgUnit
    """Public service: in every working day; zoned in the south tower."""
    bureau: OrgUnit
    """A bureau with a zone in the south tower and no anchor days."""
    housed_by_parent: OrgUnit
    """A sub-unit of the bureau without a zone of its own."""
    people: dict[str, list[Employee]] = field(default_factory=dict)
    manager: Employee | None = None
    """Facilities manager of the site."""
    stranger: Employee | None = None


async def build_world(factory: Factory) -> DemandWorld:
    site = await factory.site(name="KIPP")
    north = await factory.building(site, code="N", name="Menara Utara")
    south = await factory.building(site, code="S", name="Menara Selatan")
    north_floor = await factory.floor(north, level=1)
    south_floor = await factory.floor(south, level=1)
    organisation = await factory.organisation(name="Kementerian PPN")
    deputy = await factory.unit(organisation, code="DEP", name="Kedeputian", level=1)
    inheriting = await factory.unit(organisation, code="DEP.A", name="Direktorat A", parent_id=deputy.id)
    own_days = await factory.unit(organisation, code="DEP.B", name="Direktorat B", parent_id=deputy.id)
    service = await factory.unit(organisation, code="LAY", name="Pusat Layanan", level=1)
    bureau = await factory.unit(organisation, code="BIRO", name="Biro Umum", level=1)
    housed_by_parent = await factory.unit(organisation, code="BIRO.X", name="Bagian X", parent_id=bureau.id)
    north_zones = [
        await factory.zone(north_floor, code="ZA", org_unit_id=inheriting.id),
        await factory.zone(north_floor, code="ZB", org_unit_id=own_days.id),
    ]
    south_zones = [
        await factory.zone(south_floor, code="ZL", org_unit_id=service.id),
        await factory.zone(south_floor, code="ZU", org_unit_id=bureau.id),
    ]
    north_desks = [await factory.desk(north_floor, zone_id=north_zones[n % 2].id) for n in range(10)]
    south_desks = [await factory.desk(south_floor, zone_id=south_zones[n % 2].id) for n in range(6)]
    await factory.anchor_day(deputy, 2)
    await factory.anchor_day(own_days, 0)
    await factory.policy({"max_remote_days_per_week": 2, "anchor_days_required": True})
    await factory.policy(
        {"office_every_working_day": True},
        level=int(PolicyLevel.AGENCY),
        organisation_id=organisation.id,
        org_unit_id=service.id,
    )
    world = DemandWorld(
        site,
        north,
        south,
        north_floor,
        south_floor,
        north_desks,
        south_desks,
        deputy,
        inheriting,
        own_days,
        service,
        bureau,
        housed_by_parent,
    )
    world.people = {
        "inheriting": [await factory.employee(inheriting) for _ in range(3)],
        "own_days": [await factory.employee(own_days) for _ in range(2)],
        "service": [await factory.employee(service) for _ in range(2)],
        "housed_by_parent": [await factory.employee(housed_by_parent) for _ in range(2)],
        "homed_south": [await factory.employee(inheriting, home_building_id=south.id)],
    }
    elsewhere = await factory.unit(await factory.organisation(name="Lembaga Lain"))  # no zone: housed nowhere
    world.manager = await factory.employee(elsewhere, name="Pengelola Gedung")
    await factory.role(world.manager, Role.FACILITIES_MANAGER, site_id=site.id)
    world.stranger = await factory.employee(elsewhere, name="Orang Lain")
    return world


async def check_in(db: Database, desk: Space, employee: Employee, day: date, *, status: BookingStatus) -> Booking:
    """A desk booking of ``day`` 08:00-16:00 WITA, checked in at 08:05 when ``status`` is CHECKED_IN."""
    start = datetime.combine(day, time(8), WITA).astimezone(UTC)
    end = datetime.combine(day, time(16), WITA).astimezone(UTC)
    booking = Booking(
        space_id=desk.id,
        space_kind=SpaceKind.DESK,
        employee_id=employee.id,
        booked_by_id=employee.id,
        start_at=start,
        end_at=end,
        blocks_until=end,
        status=status,
        created_at=start - timedelta(days=1),
        checked_in_at=start + timedelta(minutes=5) if status == BookingStatus.CHECKED_IN else None,
    )
    async with db.write() as session:
        session.add(booking)
    return booking
