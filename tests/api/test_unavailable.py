"""Availability tells the truth: what the floor shows as unavailable (GraphQL list, packed, the floor page) is what
`validateBookDesk` then refuses, with the matching code; one test per reason."""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from smartoffice.db import Database
from smartoffice.ids import encode_id
from smartoffice.places.models import Floor, SpaceKind
from smartoffice.quotas.models import SeatQuota
from smartoffice.runtime import Runtime
from smartoffice.workcalendar.models import CalendarOverride, DayKind
from tests.factories import Factory
from tests.support.clock import at, tomorrow
from tests.support.graphql import GraphQL
from tests.support.pages import PageClient, desk_status, list_status

VALIDATE = """
mutation Validate($input: BookDeskInput!) {
  validateBookDesk(input: $input) { __typename ... on Error { code message } }
}
"""
BOOKING_CODE = {
    "NOT_BOOKABLE": "NOT_BOOKABLE",
    "CLOSED_WEEKDAY": "CLOSED_THAT_WEEKDAY",
    "HOLIDAY": "CLOSED_HOLIDAY",
    "CLOSED": "CLOSED",
    "ASSIGNED": "DESK_ASSIGNED",
    "QUOTA_FULL": "QUOTA_FULL",
}
"""The code `bookDesk` refuses with, for each reason availability gives."""


@pytest.fixture
def pages(client: AsyncTestClient) -> PageClient:
    return PageClient(client)


@dataclass
class Seen:
    """What each place shows for one desk."""

    status: str
    reason: str | None
    message: str | None
    packed: str
    packed_reason: str | None
    page: str
    page_list: str
    booking: str
    """``OK`` or the code ``validateBookDesk`` answers for the whole day."""


async def look(
    graphql: GraphQL, pages: PageClient, floor: Floor, day: date, viewer: int, language: str = "en"
) -> tuple[dict[int, Seen], dict[str, Any], str]:
    """Every desk as GraphQL (list and packed), the floor page and validateBookDesk see it, for ``viewer``."""
    body = await graphql(
        "FloorAvailabilityReasons",
        {"floorId": encode_id("Floor", floor.id), "date": day.isoformat()},
        as_employee=viewer,
        language=language,
    )
    assert "errors" not in body, body
    listed = body["data"]["floor"]["availability"]
    packed = body["data"]["floor"]["availabilityPacked"]
    packed_reasons = {u["index"]: u["reason"] for u in packed["unavailable"]}
    await pages.act_as(viewer)
    page = await pages.get(f"/floors/{floor.id}?date={day}")
    assert page.status_code == 200, page.text[-3000:]
    seen = {}
    for index, entry in enumerate(listed["desks"]):
        desk_gid = entry["desk"]["id"]
        assert packed["deskIds"][index] == desk_gid
        desk_id = int(_desk_id(page.text, entry["desk"]["code"]))
        answer = await graphql(VALIDATE, {"input": {"deskId": desk_gid, "date": day.isoformat()}}, as_employee=viewer)
        result = answer["data"]["validateBookDesk"]
        why = entry["unavailable"]
        seen[desk_id] = Seen(
            status=entry["status"],
            reason=why["reason"] if why else None,
            message=why["message"] if why else None,
            packed=packed["statuses"][index],
            packed_reason=packed_reasons.get(index),
            page=desk_status(page.text, desk_id),
            page_list=list_status(page.text, desk_id),
            booking="OK" if result["__typename"] == "BookingValid" else result["code"],
        )
    return seen, body["data"]["floor"], page.text


def _desk_id(html: str, code: str) -> str:
    row = rf'<tr id="desk-(\d+)" data-status="\w+"[^>]*>\s*<th scope="row"><a [^>]*>{re.escape(code)}</a>'
    match = re.search(row, html)
    assert match, code
    return match.group(1)


def assert_unavailable(seen: Seen, reason: str) -> None:
    assert (seen.status, seen.reason, seen.packed, seen.packed_reason) == ("UNAVAILABLE", reason, "U", reason)
    assert (seen.page, seen.page_list) == ("unavailable", "unavailable")
    assert seen.booking == BOOKING_CODE[reason]


def assert_free(seen: Seen) -> None:
    assert (seen.status, seen.reason, seen.packed, seen.page, seen.page_list, seen.booking) == (
        "FREE",
        None,
        "F",
        "free",
        "free",
        "OK",
    )


def panel(html: str) -> str:
    return html.split('id="desk-panel"')[1].split("</aside>")[0]


async def test_a_desk_not_bookable(graphql: GraphQL, pages: PageClient, factory: Factory) -> None:
    floor = await factory.floor()
    broken = await factory.desk(floor, code="A1", bookable=False)
    fine = await factory.desk(floor, code="A2")
    me = await factory.employee()

    seen, _, html = await look(graphql, pages, floor, tomorrow(), me.id)

    assert_unavailable(seen[broken.id], "NOT_BOOKABLE")
    assert seen[broken.id].message == "A1 cannot be booked"
    assert_free(seen[fine.id])
    assert "<strong>1</strong> free" in html


async def test_a_weekday_the_building_is_closed(graphql: GraphQL, pages: PageClient, factory: Factory) -> None:
    day = tomorrow()
    hours = {str(d): ["08:00", "16:00"] for d in range(1, 8) if d != day.isoweekday()}
    building = await factory.building(name="Menara Dua", opening_hours=hours)
    floor = await factory.floor(building)
    desk = await factory.desk(floor)
    me = await factory.employee()

    seen, data, html = await look(graphql, pages, floor, day, me.id)

    assert_unavailable(seen[desk.id], "CLOSED_WEEKDAY")
    assert data["availability"]["closed"]["reason"] == "CLOSED_WEEKDAY"
    assert "Menara Dua is closed on that day of the week" in html.split('class="closed-banner"')[1]


async def test_the_day_s_hours_are_the_whole_day_window(graphql: GraphQL, pages: PageClient, factory: Factory) -> None:
    day = tomorrow()
    building = await factory.building(opening_hours={str(day.isoweekday()): ["09:00", "15:00"]})
    floor = await factory.floor(building)
    desk = await factory.desk(floor)
    me = await factory.employee()

    seen, data, _html = await look(graphql, pages, floor, day, me.id)

    assert_free(seen[desk.id])
    assert (data["availability"]["startTime"], data["availability"]["endTime"]) == ("09:00:00", "15:00:00")
    late = await graphql(
        "FloorAvailabilityReasons",
        {"floorId": encode_id("Floor", floor.id), "date": day.isoformat(), "startTime": "14:00", "endTime": "17:00"},
        as_employee=me.id,
    )
    assert late["data"]["floor"]["availability"]["desks"][0]["unavailable"]["reason"] == "OUTSIDE_HOURS"
    assert late["data"]["floor"]["availabilityPacked"]["statuses"] == "U"
    window = {"deskId": encode_id("Desk", desk.id), "date": day.isoformat(), "startTime": "14:00", "endTime": "17:00"}
    refused = await graphql(VALIDATE, {"input": window}, as_employee=me.id)
    assert refused["data"]["validateBookDesk"]["code"] == "OUTSIDE_OPENING_HOURS"


async def test_a_holiday_the_desk_rule_closes_on(
    graphql: GraphQL, pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    day = tomorrow()
    await _holiday(runtime.db, day, "Cuti Bersama Hari Raya Natal")
    floor = await factory.floor()
    desk = await factory.desk(floor)
    me = await factory.employee()

    seen, data, html = await look(graphql, pages, floor, day, me.id, language="id")

    assert_unavailable(seen[desk.id], "HOLIDAY")
    assert "Cuti Bersama Hari Raya Natal" in (seen[desk.id].message or "")
    assert data["availability"]["closed"]["reason"] == "HOLIDAY"
    assert "Cuti Bersama Hari Raya Natal" in html.split('class="closed-banner"')[1].split("</div>")[0]
    assert "<strong>0</strong>" in html.split('class="summary"')[1].split("</span>")[0]  # none free


async def test_a_holiday_is_open_for_a_building_whose_rule_does_not_close(
    graphql: GraphQL, pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    day = tomorrow()
    await _holiday(runtime.db, day, "Hari Raya Natal")
    building = await factory.building()
    await factory.booking_rule(building, SpaceKind.DESK, closed_on_holidays=False)
    desk = await factory.desk(floor := await factory.floor(building))
    me = await factory.employee()

    seen, data, html = await look(graphql, pages, floor, day, me.id)

    assert_free(seen[desk.id])
    assert data["availability"]["closed"] is None
    assert 'class="closed-banner"' not in html


async def test_a_closure_of_one_zone_leaves_the_other_zone_free(
    graphql: GraphQL, pages: PageClient, factory: Factory
) -> None:
    day = tomorrow()
    floor = await factory.floor()
    east, west = await factory.zone(floor, name="Timur"), await factory.zone(floor, name="Barat")
    closed = await factory.desk(floor, code="E1", zone_id=east.id)
    open_desk = await factory.desk(floor, code="W1", zone_id=west.id)
    await factory.closure("Renovasi lantai 3", zone_id=east.id, start_at=at(day, 0), end_at=at(day, 23))
    me = await factory.employee()

    seen, data, _html = await look(graphql, pages, floor, day, me.id)

    assert_unavailable(seen[closed.id], "CLOSED")
    assert seen[closed.id].message == "Closed at that time: Renovasi lantai 3"
    assert_free(seen[open_desk.id])
    assert data["availability"]["closed"] is None  # one zone is not the whole floor
    page = await pages.get(f"/floors/{floor.id}?date={day}&desk={closed.id}")
    assert "Renovasi lantai 3" in panel(page.text)
    assert "Book this desk" not in panel(page.text)


async def test_a_closure_of_the_building_closes_the_floor(
    graphql: GraphQL, pages: PageClient, factory: Factory
) -> None:
    day = tomorrow()
    building = await factory.building()
    floor = await factory.floor(building)
    desk = await factory.desk(floor)
    await factory.closure("Pemadaman listrik", building_id=building.id, start_at=at(day, 12), end_at=at(day, 13))
    me = await factory.employee()

    seen, data, html = await look(graphql, pages, floor, day, me.id)

    assert_unavailable(seen[desk.id], "CLOSED")
    assert data["availability"]["closed"]["reason"] == "CLOSED"
    assert "Pemadaman listrik" in html.split('class="closed-banner"')[1].split("</div>")[0]
    morning = await graphql(
        "FloorAvailabilityReasons",
        {"floorId": encode_id("Floor", floor.id), "date": day.isoformat(), "startTime": "08:00", "endTime": "12:00"},
        as_employee=me.id,
    )
    assert morning["data"]["floor"]["availabilityPacked"]["statuses"] == "F"  # the closure starts at noon


async def test_a_desk_assigned_to_someone_else(
    graphql: GraphQL, pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    day = tomorrow()
    floor = await factory.floor()
    owner, me = await factory.employee(), await factory.employee()
    theirs = await factory.desk(floor, code="A1", assigned_employee_id=owner.id)

    seen, _, _html = await look(graphql, pages, floor, day, me.id)
    assert_unavailable(seen[theirs.id], "ASSIGNED")
    assert seen[theirs.id].message == "Assigned to someone else"

    owners_view, _, _ = await look(graphql, pages, floor, day, owner.id)
    assert_free(owners_view[theirs.id])  # the owner books their own desk

    await runtime.bookings.release_assigned_desk(owner.id, theirs.id, day)
    released, _, _ = await look(graphql, pages, floor, day, me.id)
    assert_free(released[theirs.id])
    other_day, _, _ = await look(graphql, pages, floor, day + timedelta(days=1), me.id)
    assert other_day[theirs.id].reason == "ASSIGNED"  # released for that day only


async def test_a_full_seat_quota(graphql: GraphQL, pages: PageClient, factory: Factory, runtime: Runtime) -> None:
    day = tomorrow()
    organisation = await factory.organisation(name="Kementerian PUPR")
    unit = await factory.unit(organisation)
    colleague, me = await factory.employee(unit), await factory.employee(unit)
    floor = await factory.floor()
    taken, free = await factory.desk(floor, code="A1"), await factory.desk(floor, code="A2")
    async with runtime.db.write() as session:
        session.add(SeatQuota(organisation_id=organisation.id, floor_id=floor.id, weekday=day.isoweekday(), seats=1))
    booked = await graphql(
        "BookDesk",
        {"input": {"deskId": encode_id("Desk", taken.id), "date": day.isoformat()}},
        as_employee=colleague.id,
    )
    assert booked["data"]["bookDesk"]["__typename"] == "BookSuccess", booked

    seen, data, html = await look(graphql, pages, floor, day, me.id)

    assert_unavailable(seen[free.id], "QUOTA_FULL")
    assert "Kementerian PUPR" in (seen[free.id].message or "")
    quota = data["availability"]["quotas"][0]
    assert (quota["holderName"], quota["seats"], quota["booked"], quota["remaining"]) == ("Kementerian PUPR", 1, 1, 0)
    assert 'class="quota-line" data-remaining="0"' in html
    assert "Kementerian PUPR may still book 0 desks" in html


async def test_an_app_without_a_person_sees_assigned_desks_unavailable(graphql: GraphQL, factory: Factory) -> None:
    floor = await factory.floor()
    owner = await factory.employee()
    await factory.desk(floor, assigned_employee_id=owner.id)
    body = await graphql("FloorAvailabilityPacked", {"floorId": encode_id("Floor", floor.id), "date": str(tomorrow())})
    assert body["data"]["floor"]["availabilityPacked"]["statuses"] == "U"


async def _holiday(db: Database, day: date, name: str) -> None:
    async with db.write() as session:
        session.add(CalendarOverride(day=day, kind=DayKind.COLLECTIVE_LEAVE, name=name))


async def test_retired_desks_are_not_on_the_floor_and_a_retired_floor_is_gone(
    graphql: GraphQL, pages: PageClient, factory: Factory
) -> None:
    gone = datetime(2026, 1, 1, tzinfo=UTC)
    floor = await factory.floor()
    kept = await factory.desk(floor, code="A1")
    await factory.desk(floor, code="A2", retired_at=gone)
    retired_floor = await factory.floor(retired_at=gone)
    variables = {"floorId": encode_id("Floor", floor.id), "date": str(tomorrow())}

    packed = (await graphql("FloorAvailabilityPacked", variables))["data"]["floor"]["availabilityPacked"]
    page = await pages.get(f"/floors/{floor.id}?date={tomorrow()}")
    retired = await graphql("FloorAvailabilityPacked", {**variables, "floorId": encode_id("Floor", retired_floor.id)})

    assert (packed["statuses"], packed["deskIds"]) == ("F", [encode_id("Desk", kept.id)])
    assert '#desk-panel">A1</a>' in page.text and ">A2<" not in page.text  # (a bare "A2" can occur in a random token)
    assert retired["data"] == {"floor": None}
    assert (await pages.get(f"/floors/{retired_floor.id}")).status_code == 404
