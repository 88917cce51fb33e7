"""The places pages (``/admin/places``): the tree of managed places, adding and changing each kind through the
forms (post/redirect/get, audited, refusals on the form with the input kept), and retiring after a confirmation
page that lists the bookings it cancels."""

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from smartoffice.audit.models import AuditEntry
from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.places.models import Building, Floor, Space, SpaceKind, Zone
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.bookings import insert_booking
from tests.support.clock import WITA, days_ahead
from tests.support.office import Office, build_office
from tests.support.pages import PageClient


@pytest.fixture
async def office(factory: Factory) -> Office:
    return await build_office(factory)


async def _rows(runtime: Runtime, model: type) -> list:
    async with runtime.db.read() as session:
        return list(await session.scalars(select(model).order_by(model.id)))


async def test_the_tree_shows_the_sites_the_visitor_manages(
    pages: PageClient, factory: Factory, office: Office
) -> None:
    await factory.building(office.site, name="Menara Nusantara")
    await pages.act_as(office.facilities_1.id)
    page = await pages.get("/admin/places")
    assert page.status_code == 200
    assert "Menara Nusantara" in page.text and f"/admin/places/floors/{office.floor.id}" in page.text
    assert "/admin/places/new/site" not in page.text  # sites are the administrators'

    await pages.act_as(office.manager_a.id)  # a unit manager: not the facilities console
    assert (await pages.get("/admin/places")).status_code == 403


async def test_a_facilities_manager_adds_a_building_with_weekday_hours(
    pages: PageClient, runtime: Runtime, office: Office
) -> None:
    await pages.act_as(office.facilities_1.id)
    form = f"/admin/places/new/building?parent={office.site.id}"
    fields = {"parent": office.site.id, "code": "T2", "name": "Tower 2", "timeZone": "Asia/Makassar"}
    hours = {
        "openingHours_open_1": "07:30",
        "openingHours_close_1": "16:00",
        "openingHours_open_5": "07:30",
        "openingHours_close_5": "11:30",
    }

    refused = await pages.submit("/admin/places/new/building", {**fields, "timeZone": "WITA", **hours}, from_page=form)
    done = await pages.submit("/admin/places/new/building", {**fields, **hours}, from_page=form)

    assert refused.status_code == 422 and 'data-code="PLACE_TIME_ZONE_UNKNOWN"' in refused.text
    assert 'value="WITA"' in refused.text and 'value="Tower 2"' in refused.text  # the input is kept
    assert done.status_code == 303 and done.headers["location"] == "/admin/places?done=created"
    building = next(b for b in await _rows(runtime, Building) if b.code == "T2")
    assert building.opening_hours == {"1": ["07:30", "16:00"], "5": ["07:30", "11:30"]}
    (entry,) = await _rows(runtime, AuditEntry)
    assert (entry.action, entry.entity_kind, entry.via) == ("place.create", "Building", "page")


async def test_floor_zone_and_desk_forms(pages: PageClient, runtime: Runtime, office: Office) -> None:
    await pages.act_as(office.facilities_1.id)
    building_id = office.floor.building_id
    floor = await pages.submit(
        "/admin/places/new/floor",
        {"parent": building_id, "level": "9", "name": "Lantai 9", "width": "30", "height": "abc"},
        from_page=f"/admin/places/new/floor?parent={building_id}",
    )
    assert floor.status_code == 422 and 'data-code="PLACE_NUMBER_INVALID"' in floor.text
    floor_id = office.floor.id
    zone = await pages.submit(
        "/admin/places/new/zone",
        {"parent": floor_id, "code": "Z1", "name": "Biro Umum", "orgUnitId": str(office.team_a1.id)},
        from_page=f"/admin/places/new/zone?parent={floor_id}",
    )
    assert zone.status_code == 303 and zone.headers["location"] == f"/admin/places/floors/{floor_id}?done=created"
    (z,) = await _rows(runtime, Zone)
    desk = await pages.submit(
        "/admin/places/new/desk",
        {
            "parent": floor_id,
            "code": "N-1",
            "zoneId": str(z.id),
            "x": "2",
            "y": "2",
            "width": "1.6",
            "height": "0.8",
            "rotation": "0",
            "bookable": "1",
            "assignedToId": office.alice.email,
        },
        from_page=f"/admin/places/new/desk?parent={floor_id}",
    )
    assert desk.status_code == 303
    page = await pages.get(f"/admin/places/floors/{floor_id}")
    assert "Biro Umum" in page.text and "N-1" in page.text and "Alice Anggraini" in page.text
    assert f"/admin/places/floors/{floor_id}/plan" in page.text
    nobody = await pages.submit(
        "/admin/places/new/desk",
        {
            "parent": floor_id,
            "code": "N-2",
            "x": "2",
            "y": "2",
            "width": "1.6",
            "height": "0.8",
            "assignedToId": "nobody@example.go.id",
        },
        from_page=f"/admin/places/new/desk?parent={floor_id}",
    )
    assert nobody.status_code == 422 and 'data-code="PLACE_PERSON_NOT_FOUND"' in nobody.text


async def test_making_a_desk_not_bookable_asks_first_then_cancels_with_the_reason(
    pages: PageClient, runtime: Runtime, office: Office
) -> None:
    start = datetime.combine(days_ahead(2), time(9), WITA).astimezone(UTC)
    booking = await insert_booking(runtime.db, office.desks[0], office.alice, start, start + timedelta(hours=3))
    await pages.act_as(office.facilities_1.id)
    desk = office.desks[0]
    url = f"/admin/places/desk/{desk.id}/edit"
    values = {"code": "A00", "x": str(desk.x), "y": "2", "width": "1.6", "height": "0.8", "rotation": "0"}

    asked = await pages.submit(url, values, from_page=url)  # "bookable" left unticked
    no_reason = await pages.submit(url, {**values, "confirm": "1"}, from_page=url)
    done = await pages.submit(url, {**values, "confirm": "1", "reason": "Meja rusak"}, from_page=url)

    assert asked.status_code == 200 and "Alice Anggraini" in asked.text and 'name="reason"' in asked.text
    assert no_reason.status_code == 422 and 'data-code="PLACE_REASON_REQUIRED"' in no_reason.text
    assert done.status_code == 303
    (row,) = [b for b in await _rows(runtime, Booking) if b.id == booking.id]
    assert row.status == BookingStatus.CANCELLED and row.cancel_reason == "Meja rusak"
    assert not next(s for s in await _rows(runtime, Space) if s.id == desk.id).bookable


async def test_retiring_a_floor_lists_the_bookings_then_retires_it(
    pages: PageClient, runtime: Runtime, office: Office
) -> None:
    start = datetime.combine(days_ahead(2), time(9), WITA).astimezone(UTC)
    booking = await insert_booking(runtime.db, office.desks[1], office.amir, start, start + timedelta(hours=3))
    await pages.act_as(office.facilities_1.id)
    url = f"/admin/places/floor/{office.floor.id}/retire"

    confirm = await pages.get(url)
    done = await pages.submit(url, {"reason": "Renovasi"}, from_page=url)

    assert (
        confirm.status_code == 200
        and "Amir Hakim" in confirm.text
        and f'data-booking-id="{booking.id}"' in confirm.text
    )
    assert done.status_code == 303 and done.headers["location"] == "/admin/places?done=retired"
    (floor,) = await _rows(runtime, Floor)
    assert floor.retired_at is not None
    assert f"/admin/places/floors/{office.floor.id}" not in (await pages.get("/admin/places")).text


async def test_a_facilities_manager_of_another_site_is_refused(pages: PageClient, office: Office) -> None:
    await pages.act_as(office.facilities_2.id)
    assert (await pages.get(f"/admin/places/floors/{office.floor.id}")).status_code == 403
    assert (await pages.get(f"/admin/places/desk/{office.desks[0].id}/edit")).status_code == 403
    refused = await pages.submit(
        f"/admin/places/floor/{office.floor.id}/retire", {"reason": "x"}, from_page="/admin/places"
    )
    assert refused.status_code == 403


async def test_an_administrator_edits_a_room_and_its_approvers(
    pages: PageClient, runtime: Runtime, factory: Factory, office: Office
) -> None:
    room = await factory.room(office.floor, code="R1", name="Ruang Cendana")
    await pages.act_as(office.admin.id)
    url = f"/admin/places/room/{room.id}/edit"
    form = await pages.get(url)
    assert form.status_code == 200 and 'value="Ruang Cendana"' in form.text
    values = {
        "code": "R1",
        "name": "Ruang Cendana",
        "capacity": "8",
        "x": "30",
        "y": "10",
        "width": "6",
        "height": "4",
        "rotation": "0",
        "bookable": "1",
        "requiresApproval": "1",
        "approverIds": office.manager_a.email,
    }
    done = await pages.submit(url, values, from_page=url)
    assert done.status_code == 303
    (saved,) = [s for s in await _rows(runtime, Space) if s.kind == SpaceKind.ROOM]
    assert saved.requires_approval
    assert office.manager_a.email in (await pages.get(url)).text


async def test_narrower_opening_hours_list_the_bookings_outside_them_first(
    pages: PageClient, runtime: Runtime, office: Office
) -> None:
    day = days_ahead(7 - days_ahead(0).weekday())  # a Monday ahead
    start = datetime.combine(day, time(14), WITA).astimezone(UTC)
    late = await insert_booking(runtime.db, office.desks[0], office.bella, start, start + timedelta(hours=3))
    await pages.act_as(office.facilities_1.id)
    building_id = office.floor.building_id
    url = f"/admin/places/building/{building_id}/edit"
    form = await pages.get(url)
    assert form.status_code == 200 and 'name="openingHours_open_7"' in form.text
    values = {"code": "B-X", "name": "Menara", "timeZone": "Asia/Makassar"}
    values |= {f"openingHours_open_{d}": "07:00" for d in range(1, 6)}
    values |= {f"openingHours_close_{d}": "12:00" for d in range(1, 6)}

    asked = await pages.submit(url, values, from_page=url)
    done = await pages.submit(url, {**values, "confirm": "1", "reason": "Jam kerja Ramadan"}, from_page=url)

    assert asked.status_code == 200 and f'data-booking-id="{late.id}"' in asked.text
    assert done.status_code == 303 and done.headers["location"] == "/admin/places?done=updated"
    (row,) = [b for b in await _rows(runtime, Booking) if b.id == late.id]
    assert row.status == BookingStatus.CANCELLED and row.cancel_reason == "Jam kerja Ramadan"
