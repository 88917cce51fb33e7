"""``/admin/closures`` over HTTP without JavaScript: who may open it, closing a zone in three steps (form, who is
affected, confirm; post/redirect/get), refusals shown with the input kept, ending a closure."""

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.places.models import Closure
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.bookings import insert_booking
from tests.support.clock import WITA, days_ahead
from tests.support.office import Office, build_office
from tests.support.pages import PageClient

REASON = "Perbaikan lantai zona A"


async def _office(factory: Factory, runtime: Runtime) -> tuple[Office, int, Booking]:
    office = await build_office(factory)
    zone = await factory.zone(office.floor, name="Zona Perencanaan")
    desk = await factory.desk(office.floor, code="Z01", zone_id=zone.id)
    day = days_ahead(3)
    start = datetime.combine(day, time(8), WITA).astimezone(UTC)
    booking = await insert_booking(runtime.db, desk, office.alice, start, start + timedelta(hours=9))
    return office, zone.id, booking


def _fields(zone_id: int, floor_id: int, **changes: str) -> dict[str, str | int]:
    day = days_ahead(3).isoformat()
    fields: dict[str, str | int] = {
        "place": f"zone:{zone_id}",
        "floor": floor_id,
        "start_day": day,
        "end_day": day,
        "start_time": "",
        "end_time": "",
        "reason": REASON,
    }
    return {**fields, **changes}


async def test_a_plain_employee_and_nobody_are_refused(pages: PageClient, factory: Factory) -> None:
    employee = await factory.employee()
    await pages.act_as(employee.id)

    assert (await pages.get("/admin/closures")).status_code == 403
    assert (await pages.submit("/admin/closures", {"place": "site:1"}, from_page="/admin/rules")).status_code == 403


async def test_close_a_zone_for_a_day_confirm_and_end(pages: PageClient, factory: Factory, runtime: Runtime) -> None:
    office, zone_id, booking = await _office(factory, runtime)
    await pages.act_as(office.facilities_1.id)

    page = await pages.get(f"/admin/closures?floor={office.floor.id}")
    confirm = await pages.submit(
        "/admin/closures/preview", _fields(zone_id, office.floor.id), from_page="/admin/closures"
    )
    async with runtime.db.read() as session:
        untouched = (await session.get(Booking, booking.id)).status  # type: ignore[union-attr]
    done = await pages.submit("/admin/closures", _fields(zone_id, office.floor.id), from_page="/admin/closures")
    listed = await pages.get(done.headers["location"])

    assert page.status_code == 200 and f'value="zone:{zone_id}"' in page.text and "Zona Perencanaan" in page.text
    assert confirm.status_code == 200 and "Alice Anggraini" in confirm.text and REASON in confirm.text
    assert "1 booking will be cancelled" in confirm.text
    assert untouched == BookingStatus.BOOKED
    assert done.status_code == 303 and done.headers["location"] == "/admin/closures?done=created&cancelled=1"
    assert "The place is closed. 1 booking was cancelled." in listed.text and "Zona Perencanaan" in listed.text
    assert "end of the day" in listed.text  # a whole-day closure ends at midnight
    async with runtime.db.read() as session:
        row = await session.get(Booking, booking.id)
        closure = await session.scalar(select(Closure))
    assert row is not None and (row.status, row.cancel_reason) == (BookingStatus.CANCELLED, REASON)
    assert closure is not None and closure.zone_id == zone_id

    ended = await pages.submit(f"/admin/closures/{closure.id}/end", {}, from_page="/admin/closures")
    after = await pages.get(ended.headers["location"])

    assert ended.status_code == 303 and "The closure had not started and is removed." in after.text
    assert f'data-closure-id="{closure.id}"' not in after.text


async def test_refusals_keep_the_input(pages: PageClient, factory: Factory, runtime: Runtime) -> None:
    office, zone_id, _booking = await _office(factory, runtime)
    await pages.act_as(office.facilities_1.id)

    no_reason = await pages.submit(
        "/admin/closures/preview", _fields(zone_id, office.floor.id, reason=" "), from_page="/admin/closures"
    )
    reversed_times = await pages.submit(
        "/admin/closures/preview",
        _fields(zone_id, office.floor.id, start_time="12:00", end_time="09:00", reason="Alasan tetap"),
        from_page="/admin/closures",
    )
    no_place = await pages.submit(
        "/admin/closures/preview", _fields(zone_id, office.floor.id, place=""), from_page="/admin/closures"
    )

    assert no_reason.status_code == 422 and 'data-code="CLOSURE_REASON_REQUIRED"' in no_reason.text
    assert reversed_times.status_code == 422 and 'data-code="CLOSURE_END_NOT_AFTER_START"' in reversed_times.text
    assert ">Alasan tetap</textarea>" in reversed_times.text and 'value="12:00"' in reversed_times.text
    assert no_place.status_code == 422 and "Choose the place to close." in no_place.text
    async with runtime.db.read() as session:
        assert await session.scalar(select(Closure)) is None


async def test_another_sites_manager_cannot_close_or_see_the_zone(
    pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    office, zone_id, booking = await _office(factory, runtime)
    await pages.act_as(office.facilities_2.id)

    page = await pages.get(f"/admin/closures?floor={office.floor.id}")
    refused = await pages.submit("/admin/closures", _fields(zone_id, office.floor.id), from_page="/admin/closures")

    assert page.status_code == 403 and "Zona Perencanaan" not in page.text
    assert refused.status_code == 403 and 'data-code="NOT_A_FACILITIES_MANAGER"' in refused.text
    async with runtime.db.read() as session:
        row = await session.get(Booking, booking.id)
    assert row is not None and row.status == BookingStatus.BOOKED
