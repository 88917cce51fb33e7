"""A building's occupancy report (capacity planning): counted per local day, by the rules in planning/occupancy.py."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.db import Database
from smartoffice.ids import encode_id
from smartoffice.people.models import Role
from smartoffice.places.models import Space
from tests.factories import Factory
from tests.support.graphql import GraphQL

WITA = ZoneInfo("Asia/Makassar")
JUNE = date(2026, 6, 1)  # Monday 1 June 2026 is Hari Lahir Pancasila, a public holiday
MONDAY = date(2026, 6, 8)


def local(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), WITA).astimezone(UTC)


async def add(
    db: Database, space: Space, employee_id: int, day: date, status: BookingStatus, hours: tuple[int, int] = (8, 17)
) -> None:
    start, end = local(day, hours[0]), local(day, hours[1])
    async with db.write() as session:
        session.add(
            Booking(
                space_id=space.id,
                space_kind=space.kind,
                employee_id=employee_id,
                booked_by_id=employee_id,
                start_at=start,
                end_at=end,
                blocks_until=end,
                status=status,
                checked_in_at=start if status == BookingStatus.CHECKED_IN else None,
                created_at=start - timedelta(days=30),
            )
        )


async def report(graphql: GraphQL, building_id: int, viewer: int, first: date, last: date) -> dict[str, Any]:
    variables = {"buildingId": encode_id("Building", building_id), "from": first.isoformat(), "to": last.isoformat()}
    body = await graphql("BuildingOccupancy", variables, as_employee=viewer)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["buildingOccupancy"]
    return result


async def test_a_month_is_counted_per_local_day_by_person(db: Database, factory: Factory, graphql: GraphQL) -> None:
    site = await factory.site()
    building = await factory.building(site)
    floors = [await factory.floor(building), await factory.floor(building)]
    desks = [await factory.desk(floors[i % 2]) for i in range(4)]
    room = await factory.room(floors[0])
    elsewhere = await factory.desk(await factory.floor(await factory.building(site)))
    people = [(await factory.employee()).id for _ in range(6)]
    manager = await factory.employee()
    await factory.role(manager, Role.FACILITIES_MANAGER, site_id=site.id)

    await add(db, desks[0], people[0], MONDAY, BookingStatus.BOOKED)
    await add(db, desks[1], people[1], MONDAY, BookingStatus.CHECKED_IN)
    await add(db, desks[2], people[2], MONDAY, BookingStatus.RELEASED)  # a no-show still took a seat
    await add(db, desks[3], people[3], MONDAY, BookingStatus.CANCELLED)  # not counted
    await add(db, desks[3], people[0], MONDAY, BookingStatus.BOOKED, hours=(17, 18))  # the same person again
    await add(db, room, people[4], MONDAY, BookingStatus.BOOKED, hours=(9, 10))  # rooms are not desks
    await add(db, elsewhere, people[5], MONDAY, BookingStatus.BOOKED)  # another building
    # 07:00 WITA on Tuesday is 23:00 UTC on Monday: it belongs to Tuesday.
    await add(db, desks[0], people[3], MONDAY + timedelta(days=1), BookingStatus.BOOKED, hours=(7, 9))

    result = await report(graphql, building.id, manager.id, JUNE, date(2026, 6, 30))

    assert result["__typename"] == "BuildingOccupancy"
    assert result["desks"] == 4
    days = {d["date"]: d for d in result["days"]}
    assert len(days) == 30
    assert days["2026-06-08"] == {
        "date": "2026-06-08",
        "workingDay": True,
        "closedBecause": None,
        "booked": 3,
        "checkedIn": 1,
        "noShows": 1,
        "utilisation": 0.75,
    }
    assert days["2026-06-09"]["booked"] == 1
    assert days["2026-06-01"]["workingDay"] is False and days["2026-06-01"]["closedBecause"]
    assert days["2026-06-06"]["workingDay"] is False  # a Saturday
    assert sum(d["booked"] for d in result["days"]) == 4
    working = [d for d in result["days"] if d["workingDay"]]
    assert result["peakBooked"] == 3
    assert result["meanBooked"] == round(4 / len(working), 2)
    assert result["percentile85Booked"] == 0  # two busy days out of about twenty


async def test_only_the_sites_facilities_managers_and_admins_see_it(factory: Factory, graphql: GraphQL) -> None:
    site, other_site = await factory.site(), await factory.site()
    building = await factory.building(site)
    employee, other_manager, admin = await factory.employee(), await factory.employee(), await factory.employee()
    await factory.role(other_manager, Role.FACILITIES_MANAGER, site_id=other_site.id)
    await factory.role(admin, Role.ADMIN)

    for viewer in (employee, other_manager):
        denied = await report(graphql, building.id, viewer.id, JUNE, date(2026, 6, 30))
        assert denied == {
            "__typename": "PermissionDeniedError",
            "message": "Only the site's facilities managers and administrators may see this",
        }
    allowed = await report(graphql, building.id, admin.id, JUNE, date(2026, 6, 30))
    assert (allowed["__typename"], allowed["desks"], allowed["peakBooked"]) == ("BuildingOccupancy", 0, 0)


async def test_bad_ranges_and_unknown_buildings_are_typed_errors(factory: Factory, graphql: GraphQL) -> None:
    admin = await factory.employee()
    await factory.role(admin, Role.ADMIN)
    building = await factory.building()

    reversed_ = await report(graphql, building.id, admin.id, date(2026, 6, 30), JUNE)
    assert (reversed_["__typename"], reversed_["code"]) == ("ValidationError", "RANGE_REVERSED")
    too_long = await report(graphql, building.id, admin.id, JUNE, JUNE + timedelta(days=92))
    assert (too_long["__typename"], too_long["code"]) == ("ValidationError", "RANGE_TOO_LONG")
    missing = await report(graphql, building.id + 1000, admin.id, JUNE, date(2026, 6, 30))
    assert missing["__typename"] == "NotFoundError"
    assert missing["id"] == encode_id("Building", building.id + 1000)
