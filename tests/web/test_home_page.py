"""The home page: choosing who you are (the demo identity), the offices, and your upcoming bookings."""

import re

from smartoffice.bookings.place_changes import PlaceLevel, PlaceRef, affected_bookings, cancel_for_place_change
from smartoffice.bookings.service import BookDeskRequest
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.bookings import insert_booking
from tests.support.clock import DAY, office_hours, tomorrow
from tests.support.pages import CSRF_FIELD, PageClient


class TestIdentity:
    async def test_search_lists_matching_employees_with_an_act_as_form(
        self, pages: PageClient, factory: Factory
    ) -> None:
        siti = await factory.employee(name="Siti Rahmawati")
        await factory.employee(name="Budi Santoso")

        response = await pages.get("/?q=rahma")

        assert response.status_code == 200
        assert "Siti Rahmawati" in response.text
        assert "Budi Santoso" not in response.text
        form = re.search(r'<form method="post" action="/identity">.*?</form>', response.text, re.S)
        assert form
        assert f'name="employee_id" value="{siti.id}"' in form.group(0)
        # every form carries the token of the cookie the page set
        assert CSRF_FIELD.search(form.group(0))
        assert CSRF_FIELD.findall(response.text)[0] == pages.http.cookies["csrftoken"]

    async def test_acting_as_someone_lasts_until_you_stop(self, pages: PageClient, factory: Factory) -> None:
        siti = await factory.employee(name="Siti Rahmawati")

        await pages.act_as(siti.id)
        acting = await pages.get("/")
        stopped = await pages.submit("/identity/clear", {})
        after = await pages.get(stopped.headers["location"])

        assert "Acting as <strong>Siti Rahmawati</strong>" in acting.text
        assert stopped.status_code == 303
        assert "Acting as" not in after.text
        assert "You are no longer acting as anyone." in after.text

    async def test_acting_returns_to_the_page_that_asked(self, pages: PageClient, factory: Factory) -> None:
        siti = await factory.employee()

        response = await pages.submit("/identity", {"employee_id": siti.id, "next": "/floors/7?date=2030-01-02"})
        offsite = await pages.submit("/identity", {"employee_id": siti.id, "next": "//evil.example/"})

        assert response.headers["location"] == "/floors/7?date=2030-01-02&notice=acting"
        assert offsite.headers["location"] == "/?notice=acting"

    async def test_an_unknown_employee_is_not_acted_as(self, pages: PageClient, runtime: Runtime) -> None:
        response = await pages.submit("/identity", {"employee_id": "12345"})
        home = await pages.get(response.headers["location"])

        assert response.status_code == 303
        assert "That employee could not be found." in home.text
        assert "Acting as" not in home.text


class TestOfficesAndBookings:
    async def test_lists_sites_buildings_and_floors_with_links(self, pages: PageClient, factory: Factory) -> None:
        site = await factory.site(name="KIPP Nusantara")
        building = await factory.building(site, name="Menara Kemenko 2")
        floor = await factory.floor(building, name="Lantai 3")

        plain = await pages.get("/")
        dated = await pages.get("/?date=2030-05-06")

        assert "KIPP Nusantara" in plain.text and "Menara Kemenko 2" in plain.text
        assert f'<a href="/floors/{floor.id}">Lantai 3' in plain.text
        assert f'<a href="/floors/{floor.id}?date=2030-05-06">Lantai 3' in dated.text
        assert 'name="date" value="2030-05-06"' in dated.text

    async def test_upcoming_bookings_can_be_cancelled_from_home_after_a_confirmation(
        self, pages: PageClient, runtime: Runtime, factory: Factory
    ) -> None:
        desk, me = await factory.desk(code="T2-3-B14"), await factory.employee()
        booking = await runtime.bookings.book_desk(me.id, BookDeskRequest(desk.id, tomorrow()))
        await pages.act_as(me.id)

        home = await pages.get("/")
        confirmation = f"/bookings/{booking.id}/cancel?return_to=%2F"
        asked = await pages.get(confirmation)
        cancelled = await pages.submit(f"/bookings/{booking.id}/cancel", {"return_to": "/"}, from_page=confirmation)
        after = await pages.get(cancelled.headers["location"])

        assert "Desk T2-3-B14" in home.text
        assert f'href="{confirmation}"' in home.text and f'action="/bookings/{booking.id}/cancel"' not in home.text
        assert "Cancel your booking of Desk T2-3-B14?" in asked.text
        assert cancelled.status_code == 303
        assert cancelled.headers["location"] == "/?notice=cancelled"
        assert "Your booking is cancelled." in after.text
        assert "No upcoming bookings" in after.text

    async def test_a_booking_someone_else_cancelled_is_listed_with_the_reason(
        self, pages: PageClient, runtime: Runtime, factory: Factory
    ) -> None:
        desk, me = await factory.desk(code="T2-3-B14"), await factory.employee()
        mine = await runtime.bookings.book_desk(me.id, BookDeskRequest(desk.id, tomorrow()))
        await runtime.bookings.cancel(me.id, mine.id)  # cancelled by me: not listed
        taken = await runtime.bookings.book_desk(me.id, BookDeskRequest(desk.id, tomorrow()))
        async with runtime.db.write() as session:
            bookings = await affected_bookings(session, PlaceRef(PlaceLevel.SPACE, desk.id), runtime.clock(), lock=True)
            await cancel_for_place_change(session, bookings, "Renovasi lantai 3", None, runtime.clock())
        await pages.act_as(me.id)

        home = await pages.get("/")

        assert [b.id for b in bookings] == [taken.id]
        assert "Cancelled for you" in home.text
        assert home.text.count("Cancelled by facilities: Renovasi lantai 3") == 1
        assert "No upcoming bookings" in home.text

    async def test_a_malformed_date_is_a_422_page(self, pages: PageClient, runtime: Runtime) -> None:
        response = await pages.get("/?date=31-12-2030")
        assert response.status_code == 422
        assert "That date is not valid" in response.text


class TestFloorChips:
    async def test_each_floor_shows_its_free_desks_and_my_team_s_floor_is_marked(
        self, pages: PageClient, runtime: Runtime, factory: Factory
    ) -> None:
        # given two floors of three desks; on DAY two colleagues of my unit sit on the second, a stranger on the first
        building = await factory.building(name="Menara Kemenko 2")
        first, second = await factory.floor(building, name="Lantai 1"), await factory.floor(building, name="Lantai 2")
        desks = {f.id: [await factory.desk(f) for _ in range(3)] for f in (first, second)}
        unit = await factory.unit()
        me, stranger = await factory.employee(unit), await factory.employee()
        for n, person in enumerate([await factory.employee(unit), await factory.employee(unit)]):
            await insert_booking(runtime.db, desks[second.id][n], person, *office_hours(DAY))
        await insert_booking(runtime.db, desks[first.id][0], stranger, *office_hours(DAY))
        await pages.act_as(me.id)

        # when I look at the offices on DAY
        home = await pages.get(f"/?date={DAY}")

        # then
        chips = dict(re.findall(r'<a href="/floors/(\d+)\?date=[^"]+"([^>]*)>', home.text))
        assert chips == {str(first.id): "", str(second.id): ' class="team-floor"'}
        assert re.search(rf'/floors/{first.id}\?[^>]+>Lantai 1 <span class="free-count">· 2 free</span></a>', home.text)
        assert re.search(rf'/floors/{second.id}\?[^>]+>Lantai 2 <span class="free-count">· 1 free</span>', home.text)
        assert "· your team" in home.text

    async def test_without_colleagues_booked_the_unit_s_zone_marks_the_floor(
        self, pages: PageClient, factory: Factory
    ) -> None:
        building = await factory.building()
        await factory.floor(building, name="Lantai 1")
        home_floor = await factory.floor(building, name="Lantai 2")
        unit = await factory.unit()
        await factory.zone(home_floor, org_unit_id=unit.id)
        me = await factory.employee(unit)
        await pages.act_as(me.id)

        home = await pages.get(f"/?date={DAY}")

        assert f'<a href="/floors/{home_floor.id}?date={DAY}" class="team-floor">Lantai 2' in home.text
        assert home.text.count('class="team-floor"') == 1
