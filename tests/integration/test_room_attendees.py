"""Colleagues invited to a room booking: checked with the booking, written in its transaction, on every occurrence
of a series; a refused invitation writes nothing; the desk path never reads them."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import time
from typing import Any

import pytest
from sqlalchemy import event, func, select

from smartoffice.bookings.models import Booking, BookingAttendee
from smartoffice.bookings.recurring import book_series
from smartoffice.bookings.requests import BookDeskRequest, BookRoomRequest, RecurringRequest
from smartoffice.errors import InvalidInput
from smartoffice.integrations.models import BookingEvent
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.clock import next_weekday


async def counts(runtime: Runtime) -> tuple[int, int, int]:
    """Bookings, invitations and booking events in the database."""
    async with runtime.db.read() as session:
        return (
            int(await session.scalar(select(func.count(Booking.id))) or 0),
            int(await session.scalar(select(func.count()).select_from(BookingAttendee)) or 0),
            int(await session.scalar(select(func.count(BookingEvent.id))) or 0),
        )


async def invited(runtime: Runtime, booking_id: int) -> list[int]:
    async with runtime.db.read() as session:
        rows = await session.scalars(
            select(BookingAttendee.employee_id)
            .where(BookingAttendee.booking_id == booking_id)
            .order_by(BookingAttendee.employee_id)
        )
        return list(rows)


@contextmanager
def statements(runtime: Runtime) -> Iterator[list[str]]:
    sent: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement)

    engine = runtime.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", before)


class TestInvitations:
    async def test_the_invited_are_written_with_the_booking(self, runtime: Runtime, factory: Factory) -> None:
        room, person = await factory.room(capacity=6), await factory.employee()
        ani, budi = await factory.employee(), await factory.employee()

        booking = await runtime.bookings.book_room(
            person.id, BookRoomRequest(room.id, next_weekday(2), time(9), time(10), attendee_ids=(budi.id, ani.id))
        )

        assert await invited(runtime, booking.id) == sorted([ani.id, budi.id])
        assert booking.attendee_count == 3  # not given: the invited and the person booked
        assert await counts(runtime) == (1, 2, 1)
        shown = await runtime.bookings.attendees_of([booking.id])
        assert [e.name for e in shown[booking.id]] == sorted([ani.name, budi.name])

    async def test_a_given_count_is_kept(self, runtime: Runtime, factory: Factory) -> None:
        room, person, ani = await factory.room(capacity=6), await factory.employee(), await factory.employee()
        request = BookRoomRequest(room.id, next_weekday(2), time(9), time(10), 5, attendee_ids=(ani.id,))
        booking = await runtime.bookings.book_room(person.id, request)
        assert booking.attendee_count == 5

    async def test_the_booker_may_invite_themself_when_booking_for_another(
        self, runtime: Runtime, factory: Factory
    ) -> None:
        boss = await factory.employee()
        staff = await factory.employee(supervisor_id=boss.id)
        room = await factory.room()
        request = BookRoomRequest(
            room.id, next_weekday(3), time(9), time(10), for_employee_id=staff.id, attendee_ids=(boss.id,)
        )
        booking = await runtime.bookings.book_room(boss.id, request)
        assert await invited(runtime, booking.id) == [boss.id]

    @pytest.mark.parametrize(
        ("case", "code", "field"),
        [
            ("unknown", "ATTENDEE_UNKNOWN", "attendeeIds"),
            ("inactive", "ATTENDEE_INACTIVE", "attendeeIds"),
            ("person_booked", "ATTENDEE_IS_PERSON_BOOKED", "attendeeIds"),
            ("twice", "ATTENDEE_REPEATED", "attendeeIds"),
            ("over_capacity", "TOO_MANY_ATTENDEES", "attendeeIds"),
            ("over_fifty", "TOO_MANY_ATTENDEES", "attendeeIds"),
            ("count_too_low", "ATTENDEE_COUNT_TOO_LOW", "attendeeCount"),
        ],
    )
    async def test_a_refused_invitation_writes_nothing(
        self, runtime: Runtime, factory: Factory, case: str, code: str, field: str
    ) -> None:
        person, ani = await factory.employee(), await factory.employee(name="Ani Lestari")
        room = await factory.room(capacity=100 if case == "over_fifty" else 3)
        many = [(await factory.employee()).id for _ in range(51 if case == "over_fifty" else 3)]
        gone = await factory.employee(active=False, name="Gone Person")
        ids: dict[str, tuple[int, ...]] = {
            "unknown": (ani.id, 999_999),
            "inactive": (ani.id, gone.id),
            "person_booked": (person.id,),
            "twice": (ani.id, ani.id),
            "over_capacity": tuple(many),
            "over_fifty": tuple(many),
            "count_too_low": (ani.id,),
        }
        count = 1 if case == "count_too_low" else None
        request = BookRoomRequest(room.id, next_weekday(2), time(9), time(10), count, attendee_ids=ids[case])

        with pytest.raises(InvalidInput) as refused:
            await runtime.bookings.book_room(person.id, request)
        with pytest.raises(InvalidInput):  # the dry run answers the same
            await runtime.bookings.validate(person.id, request)

        assert (refused.value.code, refused.value.field) == (code, field)
        assert await counts(runtime) == (0, 0, 0)
        message = refused.value.message_in("en")
        if case == "inactive":
            assert "Gone Person" in message
        if case in ("person_booked",):
            assert person.name in message
        if case == "twice":
            assert "Ani Lestari" in message
        if case == "over_capacity":
            assert "At most 2 colleagues" in message
        if case == "over_fifty":
            assert "At most 50 colleagues" in message

    async def test_no_invitation_no_query(
        self, runtime: Runtime, factory: Factory, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        desk, room, person = await factory.desk(), await factory.room(), await factory.employee()

        async def never(*_args: object) -> int:
            raise AssertionError("a desk booking checked invitations")

        with monkeypatch.context() as patched:
            patched.setattr("smartoffice.bookings.preparing.check_invitations", never)
            await runtime.bookings.book_desk(person.id, BookDeskRequest(desk.id, next_weekday(2)))
        with statements(runtime) as sent:
            await runtime.bookings.book_room(person.id, BookRoomRequest(room.id, next_weekday(2), time(9), time(10)))
        assert sent
        invitation_reads = ("booking_attendees", "SELECT employees.id, employees.name, employees.active \nFROM")
        assert not [s for s in sent if any(read in s for read in invitation_reads)]


class TestRecurring:
    async def test_every_occurrence_invites_them(self, runtime: Runtime, factory: Factory) -> None:
        room, person = await factory.room(capacity=4), await factory.employee()
        ani, budi = await factory.employee(), await factory.employee()
        request = RecurringRequest(
            room.id,
            "FREQ=WEEKLY;COUNT=3",
            next_weekday(1),
            time(9),
            time(10),
            title="Rapat mingguan",
            attendee_ids=(ani.id, budi.id),
        )
        result = await book_series(runtime.bookings, person.id, request)

        booked = [o.booking for o in result.occurrences if o.booking is not None]
        assert len(booked) == 3
        for booking in booked:
            assert await invited(runtime, booking.id) == sorted([ani.id, budi.id])
            assert booking.attendee_count == 3
        assert result.series is not None and result.series.attendee_count == 3

    async def test_a_refused_invitation_skips_every_occurrence(self, runtime: Runtime, factory: Factory) -> None:
        room, person = await factory.room(capacity=4), await factory.employee()
        request = RecurringRequest(
            room.id, "FREQ=WEEKLY;COUNT=2", next_weekday(1), time(9), time(10), attendee_ids=(person.id,)
        )
        result = await book_series(runtime.bookings, person.id, request)
        assert result.series is None
        assert [o.skipped_because.code for o in result.occurrences if o.skipped_because] == [
            "ATTENDEE_IS_PERSON_BOOKED"
        ] * 2
        assert await counts(runtime) == (0, 0, 0)

    async def test_a_desk_series_takes_no_invitations(self, runtime: Runtime, factory: Factory) -> None:
        desk, person, ani = await factory.desk(), await factory.employee(), await factory.employee()
        request = RecurringRequest(
            desk.id, "FREQ=WEEKLY;COUNT=2", next_weekday(1), time(8), time(17), attendee_ids=(ani.id,)
        )
        with pytest.raises(InvalidInput) as refused:
            await book_series(runtime.bookings, person.id, request)
        assert refused.value.code == "ATTENDEES_FOR_ROOMS_ONLY"
        assert await counts(runtime) == (0, 0, 0)


class TestByEntry:
    async def test_emails_and_nips_name_people(self, runtime: Runtime, factory: Factory) -> None:
        ani = await factory.employee(email="Ani.Lestari@Example.go.id")
        budi = await factory.employee(nip="199202022016022002")
        found = await runtime.bookings.attendee_ids_for(["ani.lestari@example.go.id", " 19920202 2016022002 "])
        assert found == [ani.id, budi.id]

    async def test_an_unknown_entry_is_named(self, runtime: Runtime, factory: Factory) -> None:
        ani = await factory.employee()
        with pytest.raises(InvalidInput) as refused:
            await runtime.bookings.attendee_ids_for([ani.email, "nobody@example.go.id"])
        assert refused.value.code == "ATTENDEE_NOT_FOUND"
        assert "nobody@example.go.id" in refused.value.message_in("en")
