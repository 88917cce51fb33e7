"""Cuti bersama close a building only for those who are off (issue 14, point 1).

A public-service unit's policy says its staff work on cuti bersama: they may book a desk that day, and the floor
shows them its desks bookable (GraphQL list and packed, the floor page), while everyone else finds the building
closed for the cuti bersama, as before. A public holiday stays closed for everyone.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from litestar.testing import AsyncTestClient

from smartoffice.bookings import checks
from smartoffice.bookings.models import BookingRule
from smartoffice.bookings.requests import BookDeskRequest
from smartoffice.db import Database
from smartoffice.errors import InvalidInput
from smartoffice.ids import encode_id
from smartoffice.people.models import Employee
from smartoffice.places.models import Floor, Space
from smartoffice.runtime import Runtime
from smartoffice.workcalendar.models import CalendarOverride, DayKind
from smartoffice.workcalendar.service import WorkingCalendar
from tests.factories import Factory
from tests.support.clock import tomorrow
from tests.support.graphql import GraphQL
from tests.support.pages import PageClient, desk_status, list_status

VALIDATE = """
mutation Validate($input: BookDeskInput!) {
  validateBookDesk(input: $input) { __typename ... on Error { code message } }
}
"""
CUTI_BERSAMA = "Cuti Bersama Hari Raya Natal"
PUBLIC_SERVICE_RULES = {"office_every_working_day": True, "works_on_collective_leave": True}


@pytest.fixture
def pages(client: AsyncTestClient) -> PageClient:
    return PageClient(client)


@dataclass
class Office:
    floor: Floor
    desk: Space
    front_office: Employee
    """In a public-service unit (PTSP): works on cuti bersama."""
    planner: Employee
    """An ordinary planner: off on cuti bersama."""


async def office(factory: Factory) -> Office:
    organisation = await factory.organisation(name="Kementerian Investasi")
    ptsp = await factory.unit(organisation, name="Pelayanan Terpadu Satu Pintu")
    planning = await factory.unit(organisation, name="Direktorat Perencanaan")
    await factory.policy(
        PUBLIC_SERVICE_RULES,
        name="Unit pelayanan publik",
        legal_basis="Keputusan Menteri Investasi 12/2025",
        level=3,
        org_unit_id=ptsp.id,
    )
    floor = await factory.floor()
    desk = await factory.desk(floor, code="P1")
    return Office(floor, desk, await factory.employee(ptsp), await factory.employee(planning))


async def mark(db: Database, day: date, kind: DayKind, name: str) -> None:
    async with db.write() as session:
        session.add(CalendarOverride(day=day, kind=kind, name=name))


async def seen_by(graphql: GraphQL, pages: PageClient, place: Office, day: date, viewer: int) -> tuple[str, ...]:
    """(GraphQL status and reason, packed status, floor page plan and list, validateBookDesk) for ``viewer``."""
    body = await graphql(
        "FloorAvailabilityReasons",
        {"floorId": encode_id("Floor", place.floor.id), "date": day.isoformat()},
        as_employee=viewer,
    )
    assert "errors" not in body, body
    listed = body["data"]["floor"]["availability"]["desks"][0]
    packed = body["data"]["floor"]["availabilityPacked"]["statuses"]
    await pages.act_as(viewer)
    page = await pages.get(f"/floors/{place.floor.id}?date={day}")
    assert page.status_code == 200
    answer = await graphql(
        VALIDATE, {"input": {"deskId": encode_id("Desk", place.desk.id), "date": day.isoformat()}}, as_employee=viewer
    )
    result = answer["data"]["validateBookDesk"]
    return (
        listed["status"],
        (listed["unavailable"] or {}).get("reason", ""),
        packed,
        desk_status(page.text, place.desk.id),
        list_status(page.text, place.desk.id),
        "OK" if result["__typename"] == "BookingValid" else result["code"],
    )


async def test_public_service_staff_may_book_on_cuti_bersama_and_the_floor_agrees(
    graphql: GraphQL, pages: PageClient, runtime: Runtime, factory: Factory
) -> None:
    # given a cuti bersama tomorrow, and a building whose desk rule closes on holidays (the default)
    day = tomorrow()
    await mark(runtime.db, day, DayKind.COLLECTIVE_LEAVE, CUTI_BERSAMA)
    place = await office(factory)

    # then the public-service officer sees the desk free everywhere and may book it
    assert await seen_by(graphql, pages, place, day, place.front_office.id) == ("FREE", "", "F", "free", "free", "OK")
    # while the planner, who is off, finds the building closed for the cuti bersama, everywhere alike
    assert await seen_by(graphql, pages, place, day, place.planner.id) == (
        "UNAVAILABLE",
        "HOLIDAY",
        "U",
        "unavailable",
        "unavailable",
        "CLOSED_HOLIDAY",
    )

    # and booking answers the same: the officer books, the planner is refused with the cuti bersama's name
    booking = await runtime.bookings.book_desk(place.front_office.id, BookDeskRequest(place.desk.id, day))
    assert booking.employee_id == place.front_office.id
    other = await factory.desk(place.floor, code="P2")
    with pytest.raises(InvalidInput) as refused:
        await runtime.bookings.book_desk(place.planner.id, BookDeskRequest(other.id, day))
    assert refused.value.code == "CLOSED_HOLIDAY"
    assert CUTI_BERSAMA in refused.value.message


async def test_a_public_holiday_stays_closed_for_public_service_staff(
    graphql: GraphQL, pages: PageClient, runtime: Runtime, factory: Factory
) -> None:
    day = tomorrow() + timedelta(days=1)
    await mark(runtime.db, day, DayKind.PUBLIC_HOLIDAY, "Hari Raya Natal")
    place = await office(factory)

    seen = await seen_by(graphql, pages, place, day, place.front_office.id)

    assert seen == ("UNAVAILABLE", "HOLIDAY", "U", "unavailable", "unavailable", "CLOSED_HOLIDAY")


def test_only_a_cuti_bersama_in_a_building_closed_on_holidays_depends_on_who_books() -> None:
    # the person's policies are read only then: any other day, or a building open on holidays, is decided for all
    calendar = WorkingCalendar.build(date(2026, 12, 23), date(2026, 12, 25))
    closes, opens = BookingRule(closed_on_holidays=True), BookingRule(closed_on_holidays=False)
    cuti_bersama, natal, ordinary = date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 23)

    assert checks.depends_on_person(closes, calendar, cuti_bersama)
    assert not checks.depends_on_person(opens, calendar, cuti_bersama)
    assert not checks.depends_on_person(closes, calendar, natal)
    assert not checks.depends_on_person(closes, calendar, ordinary)
    assert checks.holiday_closure(closes, calendar, cuti_bersama, works_on_collective_leave=True) is None
    assert checks.holiday_closure(closes, calendar, cuti_bersama) == CUTI_BERSAMA
    assert checks.holiday_closure(closes, calendar, natal, works_on_collective_leave=True) is not None


async def test_desk_suggestions_on_cuti_bersama_are_for_those_who_work_on_it(
    runtime: Runtime, factory: Factory
) -> None:
    # My week's suggestions and "book my required days" find desks as booking allows them (bookings.nearby)
    from smartoffice.bookings.nearby import desks_near_team

    day = tomorrow()
    await mark(runtime.db, day, DayKind.COLLECTIVE_LEAVE, CUTI_BERSAMA)
    place = await office(factory)

    async with runtime.db.read() as session:
        for_officer = await desks_near_team(session, place.front_office.id, day)
        for_planner = await desks_near_team(session, place.planner.id, day)

    assert [desk.space_id for desk in for_officer] == [place.desk.id]
    assert for_planner == []
