"""A small world for the occupancy report's tests: two sites, three buildings in two zones, an organisation with a
unit tree whose zones are spread over them, and a handful of desk and room bookings in June and July 2026 whose
figures the tests work out by hand (see :func:`occupancy_world`)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.db import Database, utcnow
from smartoffice.people.models import Employee, Organisation, OrgUnit, Role
from smartoffice.places.models import Building, Floor, Site, Space, Zone
from tests.factories import Factory

WITA, WIB = ZoneInfo("Asia/Makassar"), ZoneInfo("Asia/Jakarta")
MONDAY = date(2026, 6, 8)
TUESDAY = MONDAY + timedelta(days=1)
JUNE_FIRST, JULY_LAST = date(2026, 6, 1), date(2026, 7, 31)
"""1 June (Pancasila) and 16 June (Islamic New Year) are holidays: June has 20 working days, July 23."""


def at(day: date, hour: int, zone: ZoneInfo = WITA, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), zone).astimezone(UTC)


@dataclass
class OccupancyWorld:
    site: Site
    other_site: Site
    tower: Building
    annex: Building
    """On the same site as the tower, in WIB."""
    far: Building
    """On the other site."""
    floor1: Floor
    floor2: Floor
    zone1: Zone
    zone2: Zone
    desks: list[Space]
    """d1, d2 in zone1, d3 in zone2 (floor 1), d4 on floor 2 (no zone); a retired desk on floor 2 is not here."""
    annex_desk: Space
    far_desk: Space
    room: Space
    """Floor 1, capacity 8, the building's hours (07:00–19:00)."""
    small_room: Space
    """Floor 2, capacity 4, bookable Mondays 08:00–12:00 only."""
    organisation: Organisation
    top: OrgUnit
    unit1: OrgUnit
    unit2: OrgUnit
    people: list[Employee]
    """p1, p2 in unit1, p3 in unit2, p4 in the top unit, p5 in another organisation."""
    manager: Employee
    """Facilities manager of ``site``."""
    far_manager: Employee
    """Facilities manager of ``other_site``."""
    admin: Employee
    outsider: Employee


async def book(
    db: Database,
    space: Space,
    person: Employee,
    start_at: datetime,
    hours: float,
    status: BookingStatus = BookingStatus.BOOKED,
    attendees: int | None = None,
) -> None:
    end_at = start_at + timedelta(hours=hours)
    async with db.write() as session:
        session.add(
            Booking(
                space_id=space.id,
                space_kind=space.kind,
                employee_id=person.id,
                booked_by_id=person.id,
                start_at=start_at,
                end_at=end_at,
                blocks_until=end_at,
                status=status,
                attendee_count=attendees,
                checked_in_at=start_at if status == BookingStatus.CHECKED_IN else None,
                created_at=start_at - timedelta(days=2),
            )
        )


async def occupancy_world(factory: Factory, db: Database) -> OccupancyWorld:
    """The places, people and bookings. Desk bookings (WITA unless said):

    * Mon 8 June: p1 d1 08–17 and d4 17–18 (two floors, one person), p2 d2 checked in, p3 d3 released (a no-show),
      p4 d4 08–17, p5 d2 cancelled (not counted);
    * Tue 9 June: p1 d1 07:00–09:00 (23:00 UTC on Monday: Tuesday's), p2 the annex desk at 23:30 WIB (00:30 WITA on
      Wednesday: Tuesday's in the annex's zone), p3 the far desk (the other site);
    * Wed 1 July: p1 d1 checked in, p2 d2, p3 d3; Thu 2 July: p1 d1.

    Meetings: the room on Mon 8 June 09–10 (2 people) and 13:00–15:30 (6, checked in), Tue 9 June 10–11 (no count
    given), Wed 10 June cancelled, Thu 11 June pending, Sat 13 June 10–11 (not a working day); the small room on
    Mon 8 June 08–10 with 5 people (over its capacity of 4).
    """
    site, other_site = await factory.site(), await factory.site()
    tower = await factory.building(site)
    annex = await factory.building(site, time_zone="Asia/Jakarta")
    far = await factory.building(other_site)
    floor1, floor2 = await factory.floor(tower), await factory.floor(tower)
    annex_floor, far_floor = await factory.floor(annex), await factory.floor(far)
    organisation = await factory.organisation()
    top = await factory.unit(organisation, level=1)
    unit1 = await factory.unit(organisation, parent_id=top.id)
    unit2 = await factory.unit(organisation, parent_id=top.id)
    zone1 = await factory.zone(floor1, org_unit_id=unit1.id)
    zone2 = await factory.zone(floor1, org_unit_id=unit2.id)
    annex_zone = await factory.zone(annex_floor, org_unit_id=unit1.id)
    far_zone = await factory.zone(far_floor, org_unit_id=unit2.id)
    desks = [
        await factory.desk(floor1, zone_id=zone1.id),
        await factory.desk(floor1, zone_id=zone1.id),
        await factory.desk(floor1, zone_id=zone2.id),
        await factory.desk(floor2),
    ]
    await factory.desk(floor2, retired_at=utcnow())
    annex_desk = await factory.desk(annex_floor, zone_id=annex_zone.id)
    far_desk = await factory.desk(far_floor, zone_id=far_zone.id)
    room = await factory.room(floor1, capacity=8)
    small_room = await factory.room(floor2, capacity=4, bookable_hours={"1": ["08:00", "12:00"]})
    people = [
        await factory.employee(unit1),
        await factory.employee(unit1),
        await factory.employee(unit2),
        await factory.employee(top),
        await factory.employee(),
    ]
    await factory.employee(unit1, active=False)  # left: not in the headcount
    manager, far_manager, admin, outsider = [await factory.employee() for _ in range(4)]
    await factory.role(manager, Role.FACILITIES_MANAGER, site_id=site.id)
    await factory.role(far_manager, Role.FACILITIES_MANAGER, site_id=other_site.id)
    await factory.role(admin, Role.ADMIN)

    p1, p2, p3, p4, p5 = people
    d1, d2, d3, d4 = desks
    await book(db, d1, p1, at(MONDAY, 8), 9)
    await book(db, d4, p1, at(MONDAY, 17), 1)
    await book(db, d2, p2, at(MONDAY, 8), 9, BookingStatus.CHECKED_IN)
    await book(db, d3, p3, at(MONDAY, 8), 9, BookingStatus.RELEASED)
    await book(db, d4, p4, at(MONDAY, 8), 9)
    await book(db, d2, p5, at(MONDAY, 8), 9, BookingStatus.CANCELLED)
    await book(db, d1, p1, at(TUESDAY, 7), 2)
    await book(db, annex_desk, p2, at(TUESDAY, 23, WIB, minute=30), 0.5)
    await book(db, far_desk, p3, at(TUESDAY, 8), 9)
    july1, july2 = date(2026, 7, 1), date(2026, 7, 2)
    await book(db, d1, p1, at(july1, 8), 9, BookingStatus.CHECKED_IN)
    await book(db, d2, p2, at(july1, 8), 9)
    await book(db, d3, p3, at(july1, 8), 9)
    await book(db, d1, p1, at(july2, 8), 9)

    await book(db, room, p1, at(MONDAY, 9), 1, attendees=2)
    await book(db, room, p2, at(MONDAY, 13), 2.5, BookingStatus.CHECKED_IN, attendees=6)
    await book(db, room, p3, at(TUESDAY, 10), 1)
    await book(db, room, p3, at(MONDAY + timedelta(days=2), 10), 1, BookingStatus.CANCELLED, attendees=8)
    await book(db, room, p3, at(MONDAY + timedelta(days=3), 10), 2, BookingStatus.PENDING, attendees=8)
    await book(db, room, p3, at(MONDAY + timedelta(days=5), 10), 1, attendees=8)
    await book(db, small_room, p4, at(MONDAY, 8), 2, attendees=5)

    return OccupancyWorld(
        site=site,
        other_site=other_site,
        tower=tower,
        annex=annex,
        far=far,
        floor1=floor1,
        floor2=floor2,
        zone1=zone1,
        zone2=zone2,
        desks=desks,
        annex_desk=annex_desk,
        far_desk=far_desk,
        room=room,
        small_room=small_room,
        organisation=organisation,
        top=top,
        unit1=unit1,
        unit2=unit2,
        people=people,
        manager=manager,
        far_manager=far_manager,
        admin=admin,
        outsider=outsider,
    )
