"""The floor page over HTTP: the plan and the list agree on each desk's status, and the forms book and cancel."""

import re
from datetime import time, timedelta

from smartoffice.bookings.service import BookDeskRequest
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.clock import tomorrow
from tests.support.pages import PageClient, desk_status, list_status


class TestFloorPage:
    async def test_plan_and_list_show_each_desk_with_its_status(
        self, pages: PageClient, runtime: Runtime, factory: Factory
    ) -> None:
        # given: one desk free, one partly booked, one booked all day, and a room
        floor = await factory.floor(width=30.0, height=12.0)
        free, partly, full = [await factory.desk(floor, code=c) for c in ("T2-3-A1", "T2-3-A2", "T2-3-A3")]
        turned = await factory.desk(floor, code="T2-3-A4", x=10.0, y=4.0, width=1.6, height=0.8, rotation=30.0)
        room = await factory.room(floor, name="Ruang Rapat Garuda")
        other, another = await factory.employee(), await factory.employee()
        day = tomorrow()
        await runtime.bookings.book_desk(other.id, BookDeskRequest(partly.id, day, time(9), time(12)))
        await runtime.bookings.book_desk(another.id, BookDeskRequest(full.id, day))

        # when
        response = await pages.get(f"/floors/{floor.id}?date={day}")

        # then
        assert response.status_code == 200
        html = response.text
        assert re.search(r'<svg class="plan" viewBox="[-\d. ]+" width="\d+" height="\d+" font-size="[\d.]+"', html)
        assert {d.id: desk_status(html, d.id) for d in (free, partly, full)} == {
            free.id: "free",
            partly.id: "partially_booked",
            full.id: "booked",
        }
        assert {d.id: list_status(html, d.id) for d in (free, partly, full)} == {
            free.id: "free",
            partly.id: "partially_booked",
            full.id: "booked",
        }
        assert 'aria-label="Desk T2-3-A1, free"' in html
        assert 'aria-label="Desk T2-3-A2, partly booked"' in html
        assert f'href="/floors/{floor.id}?date={day}&amp;desk={free.id}#desk-panel"' in html
        assert 'transform="rotate(30.0 10.8 4.4)"' in html  # about the desk's centre
        # its label is not turned: it comes after the turned rectangle, upright at the desk's centre
        assert '</g><text class="desk__label" x="10.8" y="4.4">A4</text></a>' in html
        assert desk_status(html, turned.id) == "free"
        assert "Ruang Rapat Garuda" in html
        assert f"desk={room.id}" not in html  # rooms are drawn, not offered as desks

    async def test_desk_panel_shows_when_a_partly_booked_desk_is_taken(
        self, pages: PageClient, runtime: Runtime, factory: Factory
    ) -> None:
        desk, other, me = await factory.desk(code="P1"), await factory.employee(), await factory.employee()
        day = tomorrow()
        await runtime.bookings.book_desk(other.id, BookDeskRequest(desk.id, day, time(9), time(12)))
        await pages.act_as(me.id)

        response = await pages.get(f"/floors/{desk.floor_id}?date={day}&desk={desk.id}")

        panel = response.text.split('id="desk-panel"')[1].split("</aside>")[0]
        assert "Desk P1" in panel
        assert "09:00–12:00" in panel
        assert 'name="start"' in panel
        assert 'value="07:00"' in panel  # the first free span, prefilled
        assert "Book this desk" in panel

    async def test_unknown_floor_is_a_404_page(self, pages: PageClient, runtime: Runtime) -> None:
        response = await pages.get("/floors/987654")
        assert response.status_code == 404
        assert "Floor 987654 does not exist" in response.text
        assert response.headers["content-type"].startswith("text/html")

    async def test_a_malformed_date_is_a_422_page_for_today(self, pages: PageClient, factory: Factory) -> None:
        floor = await factory.floor()
        response = await pages.get(f"/floors/{floor.id}?date=2025-13-45")
        assert response.status_code == 422
        assert "That date is not valid" in response.text
        assert '<svg class="plan"' in response.text

    async def test_a_huge_floor_id_is_not_found_rather_than_a_database_error(
        self, pages: PageClient, runtime: Runtime
    ) -> None:
        response = await pages.get("/floors/99999999999999")
        assert response.status_code == 404


class TestBookDeskForm:
    async def test_booking_makes_the_desk_mine(self, pages: PageClient, factory: Factory) -> None:
        # given
        desk, me = await factory.desk(code="T2-3-B14"), await factory.employee()
        day = tomorrow()
        await pages.act_as(me.id)
        floor_url = f"/floors/{desk.floor_id}?date={day}"

        # when
        response = await pages.submit(
            f"/floors/{desk.floor_id}/bookings", {"desk_id": desk.id, "date": str(day)}, from_page=floor_url
        )

        # then
        assert response.status_code == 303
        location = response.headers["location"]
        assert location == f"/floors/{desk.floor_id}?date={day}&desk={desk.id}&notice=booked"
        page = await pages.get(location)
        assert desk_status(page.text, desk.id) == "mine"
        assert list_status(page.text, desk.id) == "mine"
        assert 'aria-label="Desk T2-3-B14, booked by you"' in page.text
        assert "Desk T2-3-B14 is booked for you." in page.text
        panel = page.text.split('id="desk-panel"')[1].split("</aside>")[0]
        assert re.search(r'href="/bookings/\d+/cancel">Cancel my booking</a>', panel)  # to its confirmation page

    async def test_booking_part_of_the_day(self, pages: PageClient, factory: Factory, runtime: Runtime) -> None:
        desk, me = await factory.desk(), await factory.employee()
        day = tomorrow()
        await pages.act_as(me.id)

        response = await pages.submit(
            f"/floors/{desk.floor_id}/bookings",
            {"desk_id": desk.id, "date": str(day), "start": "13:00", "end": "15:30"},
        )

        assert response.status_code == 303
        [booking] = (await runtime.bookings.upcoming(me.id)).bookings
        assert booking.end_at - booking.start_at == timedelta(hours=2, minutes=30)

    async def test_the_same_form_sent_twice_books_once_and_says_booked_by_you(
        self, pages: PageClient, runtime: Runtime, factory: Factory
    ) -> None:
        # given: the panel's form, with its idempotency key, sent twice (a double click, a slow network)
        desk, me = await factory.desk(code="T2-3-B15"), await factory.employee()
        day = tomorrow()
        await pages.act_as(me.id)
        page = await pages.get(f"/floors/{desk.floor_id}?date={day}&desk={desk.id}")
        form = page.text.split('class="book-form"')[1].split("</form>")[0]
        key = re.search(r'name="idempotency_key" value="([^"]+)"', form)
        assert key, "the booking form carries an idempotency key"
        fields = {"desk_id": desk.id, "date": str(day), "idempotency_key": key.group(1)}

        # when
        first = await pages.submit(f"/floors/{desk.floor_id}/bookings", fields)
        second = await pages.submit(f"/floors/{desk.floor_id}/bookings", fields)

        # then: both land on the booked desk, "booked by you"; one booking
        booked = f"/floors/{desk.floor_id}?date={day}&desk={desk.id}&notice=booked"
        assert (first.status_code, second.status_code) == (303, 303)
        assert first.headers["location"] == second.headers["location"] == booked
        shown = await pages.get(booked)
        assert "Desk T2-3-B15 is booked for you." in shown.text
        assert 'role="alert"' not in shown.text
        assert len((await runtime.bookings.upcoming(me.id)).bookings) == 1

        # and: back on the same loaded page, the same key books another day (a new request, not a reused key)
        later = {**fields, "date": str(day + timedelta(days=1))}
        assert (await pages.submit(f"/floors/{desk.floor_id}/bookings", later)).status_code == 303
        assert len((await runtime.bookings.upcoming(me.id)).bookings) == 2

    async def test_a_desk_someone_else_holds_redirects_back_with_the_error_once(
        self, pages: PageClient, runtime: Runtime, factory: Factory
    ) -> None:
        desk, other, me = await factory.desk(), await factory.employee(), await factory.employee()
        day = tomorrow()
        await runtime.bookings.book_desk(other.id, BookDeskRequest(desk.id, day))
        await pages.act_as(me.id)

        response = await pages.submit(f"/floors/{desk.floor_id}/bookings", {"desk_id": desk.id, "date": str(day)})

        assert response.status_code == 303
        assert response.headers["location"] == f"/floors/{desk.floor_id}?date={day}&desk={desk.id}"
        page = await pages.get(response.headers["location"])
        assert "This space is already booked for an overlapping time" in page.text
        assert desk_status(page.text, desk.id) == "booked"
        again = await pages.get(response.headers["location"])  # a reload neither resends nor repeats the error
        assert "This space is already booked for an overlapping time" not in again.text

    async def test_times_outside_opening_hours_come_back_as_an_error(self, pages: PageClient, factory: Factory) -> None:
        desk, me = await factory.desk(), await factory.employee()
        await pages.act_as(me.id)

        response = await pages.submit(
            f"/floors/{desk.floor_id}/bookings",
            {"desk_id": desk.id, "date": str(tomorrow()), "start": "05:00", "end": "09:00"},
        )

        assert response.status_code == 303
        page = await pages.get(response.headers["location"])
        assert "is open 07:00–19:00" in page.text

    async def test_malformed_and_unknown_desk_ids_are_pages_not_errors(
        self, pages: PageClient, factory: Factory
    ) -> None:
        floor, me = await factory.floor(), await factory.employee()
        await pages.act_as(me.id)
        url = f"/floors/{floor.id}/bookings"
        day = str(tomorrow())

        async def error_after(fields: dict[str, str | int]) -> tuple[int, str]:
            """The POST's status and the error the floor page it redirects to shows (once)."""
            response = await pages.submit(url, fields)
            page = await pages.get(response.headers["location"])
            shown = re.search(r'role="alert" data-code="[^"]+">\s*<strong>([^<]*)</strong>([^<]*)', page.text)
            assert page.status_code == 200 and shown, page.text[:300]
            return response.status_code, shown.group(2).strip()

        statuses = {
            value: await error_after({"desk_id": value, "date": day})
            for value in ("abc", "", "-3", "1.5", "99999999999999999999", "4242")
        }
        bad_date = await error_after({"desk_id": 1, "date": "tomorrow"})
        bad_time = await error_after({"desk_id": 1, "date": day, "start": "9am"})

        assert {value: status for value, (status, _) in statuses.items()} == dict.fromkeys(statuses, 303)
        assert (bad_date[0], bad_time[0]) == (303, 303)
        assert statuses["4242"][1] == "Desk 4242 does not exist"
        assert "That date is not valid" in bad_date[1]

    async def test_without_a_csrf_token_the_post_is_refused(self, pages: PageClient, factory: Factory) -> None:
        desk, me = await factory.desk(), await factory.employee()
        await pages.act_as(me.id)

        response = await pages.http.post(
            f"/floors/{desk.floor_id}/bookings",
            data={"desk_id": str(desk.id), "date": str(tomorrow())},
            follow_redirects=False,
        )

        assert response.status_code == 403
        assert "This form has expired or did not come from this site" in response.text
        page = await pages.get(f"/floors/{desk.floor_id}?date={tomorrow()}")
        assert desk_status(page.text, desk.id) == "free"

    async def test_not_acting_as_anyone_sends_you_home_to_choose(self, pages: PageClient, factory: Factory) -> None:
        desk = await factory.desk()

        response = await pages.submit(f"/floors/{desk.floor_id}/bookings", {"desk_id": desk.id, "date": "x"})

        assert response.status_code == 303
        assert response.headers["location"].startswith("/?notice=pick_identity&next=%2Ffloors%2F")
        home = await pages.get(response.headers["location"])
        assert "Choose who you are first, then book again." in home.text


class TestCancelForm:
    async def test_cancelling_from_the_floor_frees_the_desk(
        self, pages: PageClient, runtime: Runtime, factory: Factory
    ) -> None:
        desk, me = await factory.desk(code="C1"), await factory.employee()
        day = tomorrow()
        booking = await runtime.bookings.book_desk(me.id, BookDeskRequest(desk.id, day))
        await pages.act_as(me.id)

        response = await pages.submit(f"/bookings/{booking.id}/cancel", {"return_to": desk.floor_id, "date": str(day)})

        assert response.status_code == 303
        assert response.headers["location"] == (f"/floors/{desk.floor_id}?date={day}&desk={desk.id}&notice=cancelled")
        page = await pages.get(response.headers["location"])
        assert desk_status(page.text, desk.id) == "free"
        assert "Your booking of desk C1 is cancelled." in page.text

    async def test_someone_elses_booking_cannot_be_cancelled(
        self, pages: PageClient, runtime: Runtime, factory: Factory
    ) -> None:
        desk, owner, me = await factory.desk(), await factory.employee(), await factory.employee()
        day = tomorrow()
        booking = await runtime.bookings.book_desk(owner.id, BookDeskRequest(desk.id, day))
        await pages.act_as(me.id)

        response = await pages.submit(f"/bookings/{booking.id}/cancel", {"return_to": desk.floor_id, "date": str(day)})
        page = await pages.get(response.headers["location"])

        assert response.status_code == 303  # back to the floor, with the error shown once
        assert response.headers["location"] == f"/floors/{desk.floor_id}?date={day}"
        assert f"Booking {booking.id} does not exist" in page.text  # not mine to see either (issue 10)
        assert desk_status(page.text, desk.id) == "booked"

    async def test_cancelling_twice_or_an_unknown_booking(
        self, pages: PageClient, runtime: Runtime, factory: Factory
    ) -> None:
        desk, me = await factory.desk(), await factory.employee()
        booking = await runtime.bookings.book_desk(me.id, BookDeskRequest(desk.id, tomorrow()))
        await runtime.bookings.cancel(me.id, booking.id)
        await pages.act_as(me.id)

        again = await pages.submit(f"/bookings/{booking.id}/cancel", {})
        again_page = await pages.get(again.headers["location"])
        unknown = await pages.submit("/bookings/99999999999/cancel", {"return_to": "abc"})
        unknown_page = await pages.get(unknown.headers["location"])

        assert (again.status_code, again.headers["location"]) == (303, "/my-bookings")
        assert "This booking is already cancelled" in again_page.text
        assert (unknown.status_code, unknown.headers["location"]) == (303, "/my-bookings")
        assert re.search(r"Booking \d+ does not exist", unknown_page.text)
