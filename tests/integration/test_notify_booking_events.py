"""Notifications from the booking events outbox: each change made through the product's services, then the
``notify_booking_events`` job, then who got what (in-app, email-only, or nothing), exactly once."""

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import time
from typing import Any

import pytest
from sqlalchemy import event, select, update

from smartoffice.audit.record import Actor
from smartoffice.bookings.models import Booking, BookingAttendee
from smartoffice.bookings.place_changes import PlaceLevel, PlaceRef
from smartoffice.bookings.release import release_no_shows
from smartoffice.bookings.requests import BookDeskRequest, BookRoomRequest
from smartoffice.integrations.models import BookingEvent
from smartoffice.notifications.booking_events import BookingEventNotifier
from smartoffice.notifications.models import EmailStatus, Notification
from smartoffice.notifications.models import NotificationKind as K
from smartoffice.people.models import Employee
from smartoffice.places.closures import ClosureInput, LocalTimes
from smartoffice.places.models import Space
from smartoffice.runtime import Runtime
from smartoffice.waitlist.service import JoinWaitlistRequest
from tests.factories import Factory
from tests.support.bookings import book_desk
from tests.support.clock import DAY, Clock, at, install_clock
from tests.support.notifications import (
    all_notifications,
    notifications_of,
    run_notification_jobs,
    set_preference,
)
from tests.support.office import Office, build_office

CLOSURE_REASON = "Perbaikan AC lantai 3"


@pytest.fixture
def clock(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = install_clock(runtime, monkeypatch)  # 06:00 WITA on DAY, a working Tuesday
    monkeypatch.setattr(runtime.closures, "clock", clock)
    return clock


@pytest.fixture
async def office(factory: Factory) -> Office:
    return await build_office(factory)


async def book_room(runtime: Runtime, room: Space, actor: Employee, person: Employee | None = None) -> Booking:
    request = BookRoomRequest(room.id, DAY, time(9), time(10), 4, "Rapat koordinasi")
    if person is not None:
        request = BookRoomRequest(room.id, DAY, time(9), time(10), 4, "Rapat koordinasi", for_employee_id=person.id)
    return await runtime.bookings.book_room(actor.id, request)


async def invite(runtime: Runtime, booking: Booking, *people: Employee) -> None:
    """Attendees as rows (the API that adds them is built beside this job)."""
    async with runtime.db.write() as session:
        session.add_all(BookingAttendee(booking_id=booking.id, employee_id=p.id) for p in people)


def kinds(rows: list[Notification]) -> list[K]:
    return [n.kind for n in rows]


class TestBookingConfirmed:
    async def test_booked_on_behalf_the_person_sees_it_in_the_app_naming_who_booked(
        self, runtime: Runtime, office: Office, clock: Clock
    ) -> None:
        # given Lukas books a desk for Alice, whom he supervises
        booking = await runtime.bookings.book_desk(
            office.lead_a1.id, BookDeskRequest(office.desks[0].id, DAY, for_employee_id=office.alice.id)
        )

        # when the job runs
        assert await run_notification_jobs(runtime) == 1

        # then Alice has it in the bell and by email, naming Lukas; Lukas gets nothing for his own action
        [confirmed] = await notifications_of(runtime, office.alice.id)
        assert (confirmed.kind, confirmed.in_app, confirmed.email_status) == (
            K.BOOKING_CONFIRMED,
            True,
            EmailStatus.PENDING,
        )
        assert confirmed.email_to == office.alice.email
        assert (confirmed.actor_id, confirmed.dedupe_key) == (
            office.lead_a1.id,
            f"event:{await _event_id(runtime, booking)}:booking_confirmed",
        )
        data = confirmed.data
        assert (data["actorName"], data["personName"], data["bookedByName"]) == (
            "Lukas Lead",
            "Alice Anggraini",
            "Lukas Lead",
        )
        assert (data["bookingId"], data["spaceName"], data["status"], data["spaceKind"]) == (
            booking.id,
            "A00",
            "booked",
            "desk",
        )
        assert (data["startAt"], data["timeZone"]) == (booking.start_at.isoformat(), "Asia/Makassar")
        assert await notifications_of(runtime, office.lead_a1.id) == []

    async def test_ones_own_booking_is_an_email_only(self, runtime: Runtime, office: Office, clock: Clock) -> None:
        await book_desk(runtime, office.desks[0], office.alice, time(9), time(12))

        await run_notification_jobs(runtime)

        [confirmed] = await notifications_of(runtime, office.alice.id)
        assert (confirmed.kind, confirmed.in_app, confirmed.email_status) == (
            K.BOOKING_CONFIRMED,
            False,
            EmailStatus.PENDING,
        )
        assert confirmed.data["actorName"] == "Alice Anggraini"

    async def test_a_kind_turned_off_on_both_channels_makes_no_row(
        self, runtime: Runtime, office: Office, clock: Clock
    ) -> None:
        await set_preference(runtime, office.alice.id, K.BOOKING_CONFIRMED, email=False, in_app=False)
        await runtime.bookings.book_desk(
            office.lead_a1.id, BookDeskRequest(office.desks[0].id, DAY, for_employee_id=office.alice.id)
        )

        assert await run_notification_jobs(runtime) == 1

        assert await all_notifications(runtime) == []


class TestCancelled:
    async def test_a_closure_tells_the_person_with_its_reason(
        self, runtime: Runtime, office: Office, clock: Clock
    ) -> None:
        await book_desk(runtime, office.desks[0], office.alice, time(8), time(17))
        await run_notification_jobs(runtime)
        request = ClosureInput(PlaceRef(PlaceLevel.FLOOR, office.floor.id), CLOSURE_REASON, local=LocalTimes(DAY, DAY))

        await runtime.closures.create(Actor(office.facilities_1.id, "page"), request)
        await run_notification_jobs(runtime)

        [cancelled] = await notifications_of(runtime, office.alice.id, K.BOOKING_CANCELLED)
        assert (cancelled.in_app, cancelled.email_status, cancelled.actor_id) == (
            True,
            EmailStatus.PENDING,
            office.facilities_1.id,
        )
        assert (cancelled.data["reason"], cancelled.data["byClosure"], cancelled.data["status"]) == (
            CLOSURE_REASON,
            True,
            "cancelled",
        )
        assert cancelled.data["version"] == 2  # the event's version, not the one booked

    async def test_a_manager_cancelling_tells_the_person(self, runtime: Runtime, office: Office, clock: Clock) -> None:
        booking = await book_desk(runtime, office.desks[0], office.alice, time(8), time(17))

        await runtime.bookings.cancel(office.facilities_1.id, booking.id)
        await run_notification_jobs(runtime)

        [cancelled] = await notifications_of(runtime, office.alice.id, K.BOOKING_CANCELLED)
        assert (cancelled.in_app, cancelled.data["byClosure"], cancelled.data["actorName"]) == (
            True,
            False,
            office.facilities_1.name,
        )

    async def test_ones_own_cancel_tells_nobody(self, runtime: Runtime, office: Office, clock: Clock) -> None:
        booking = await book_desk(runtime, office.desks[0], office.alice, time(8), time(17))

        await runtime.bookings.cancel(office.alice.id, booking.id)
        assert await run_notification_jobs(runtime) == 2

        assert kinds(await all_notifications(runtime)) == [K.BOOKING_CONFIRMED]  # the booking's, nothing more


class TestApprovals:
    async def test_a_pending_room_asks_its_approver_and_the_decision_goes_to_person_and_booker(
        self, runtime: Runtime, factory: Factory, office: Office, clock: Clock
    ) -> None:
        # given a room that names its approver, booked by Lukas for Alice
        room = await factory.room(office.floor, requires_approval=True)
        approver = await factory.employee(name="Ayu Approver")
        await factory.approver(room, approver)
        booking = await book_room(runtime, room, office.lead_a1, office.alice)

        # when the job runs, the approver is asked (and the facilities manager is not: the room names someone)
        await run_notification_jobs(runtime)
        [asked] = await notifications_of(runtime, approver.id)
        assert (asked.kind, asked.in_app, asked.data["status"], asked.data["bookingId"]) == (
            K.APPROVAL_REQUESTED,
            True,
            "pending",
            booking.id,
        )
        assert await notifications_of(runtime, office.facilities_1.id) == []
        [requested] = await notifications_of(runtime, office.alice.id)
        assert (requested.kind, requested.in_app, requested.data["status"]) == (K.BOOKING_CONFIRMED, True, "pending")
        assert await notifications_of(runtime, office.lead_a1.id) == []  # Lukas booked it for Alice: hers

        # when the approver rejects it, with a note
        await runtime.bookings.decide(approver.id, booking.id, accept=False, reason="Dipakai pimpinan")
        await run_notification_jobs(runtime)

        # then Alice and Lukas both hear, with the note
        for person in (office.alice, office.lead_a1):
            [decided] = await notifications_of(runtime, person.id, K.APPROVAL_DECIDED)
            assert (decided.data["approved"], decided.data["note"], decided.data["status"]) == (
                False,
                "Dipakai pimpinan",
                "rejected",
            )
            assert (decided.in_app, decided.actor_id, decided.data["actorName"]) == (True, approver.id, "Ayu Approver")

    async def test_a_room_naming_no_approver_asks_the_sites_facilities_managers(
        self, runtime: Runtime, factory: Factory, office: Office, clock: Clock
    ) -> None:
        room = await factory.room(office.floor, requires_approval=True)
        await book_room(runtime, room, office.alice)

        await run_notification_jobs(runtime)

        [asked] = await notifications_of(runtime, office.facilities_1.id)
        assert asked.kind == K.APPROVAL_REQUESTED
        assert await notifications_of(runtime, office.facilities_2.id) == []  # another site's
        [requested] = await notifications_of(runtime, office.alice.id)
        assert (requested.kind, requested.in_app, requested.data["status"]) == (K.BOOKING_CONFIRMED, False, "pending")

    async def test_attendees_are_invited_once_approved_not_before(
        self, runtime: Runtime, factory: Factory, office: Office, clock: Clock
    ) -> None:
        room = await factory.room(office.floor, requires_approval=True)
        await factory.approver(room, office.facilities_1)
        booking = await book_room(runtime, room, office.alice)
        await invite(runtime, booking, office.amir)
        await run_notification_jobs(runtime)
        assert await notifications_of(runtime, office.amir.id) == []

        await runtime.bookings.decide(office.facilities_1.id, booking.id, accept=True)
        await run_notification_jobs(runtime)

        [invited] = await notifications_of(runtime, office.amir.id)
        assert (invited.kind, invited.data["method"], invited.data["organiserName"]) == (
            K.ROOM_INVITATION,
            "REQUEST",
            "Alice Anggraini",
        )
        [decided] = await notifications_of(runtime, office.alice.id, K.APPROVAL_DECIDED)
        assert (decided.data["approved"], decided.data["note"]) == (True, None)

    async def test_a_request_cancelled_before_approval_sends_attendees_nothing(
        self, runtime: Runtime, factory: Factory, office: Office, clock: Clock
    ) -> None:
        room = await factory.room(office.floor, requires_approval=True)
        booking = await book_room(runtime, room, office.alice)
        await invite(runtime, booking, office.amir)

        await runtime.bookings.cancel(office.alice.id, booking.id)
        await run_notification_jobs(runtime)

        assert await notifications_of(runtime, office.amir.id) == []


class TestRoomAttendees:
    async def test_attendees_get_the_invitation_then_its_cancellation(
        self, runtime: Runtime, factory: Factory, office: Office, clock: Clock
    ) -> None:
        # given Alice's meeting with Amir and Bella (and herself listed: she is the organiser, not an attendee)
        room = await factory.room(office.floor)
        booking = await book_room(runtime, room, office.alice)
        await invite(runtime, booking, office.amir, office.bella, office.alice)

        # when the job runs: invitations
        await run_notification_jobs(runtime)
        for person in (office.amir, office.bella):
            [invited] = await notifications_of(runtime, person.id)
            assert (invited.kind, invited.data["method"], invited.in_app) == (K.ROOM_INVITATION, "REQUEST", True)
            assert (invited.data["organiserName"], invited.data["organiserEmail"]) == (
                "Alice Anggraini",
                office.alice.email,
            )
            assert invited.data["title"] == "Rapat koordinasi"
        assert kinds(await notifications_of(runtime, office.alice.id)) == [K.BOOKING_CONFIRMED]

        # when Alice cancels it: its cancellation, to the attendees only
        await runtime.bookings.cancel(office.alice.id, booking.id)
        await run_notification_jobs(runtime)

        for person in (office.amir, office.bella):
            got = await notifications_of(runtime, person.id)
            assert [(n.kind, n.data["method"]) for n in got] == [
                (K.ROOM_INVITATION, "REQUEST"),
                (K.ROOM_INVITATION, "CANCEL"),
            ]
        assert kinds(await notifications_of(runtime, office.alice.id)) == [K.BOOKING_CONFIRMED]


class TestJobsOfTheSystem:
    async def test_a_no_show_release_tells_the_person(self, runtime: Runtime, office: Office, clock: Clock) -> None:
        await book_desk(runtime, office.desks[0], office.alice, time(9), time(12))

        assert await release_no_shows(runtime.db, runtime.availability, at(DAY, 9, 30)) == 1
        await run_notification_jobs(runtime)

        [released] = await notifications_of(runtime, office.alice.id, K.NO_SHOW_RELEASED)
        assert (released.in_app, released.actor_id, released.data["status"], released.data["actorName"]) == (
            True,
            None,
            "released",
            None,
        )

    async def test_a_waitlist_grant_tells_the_person_granted(
        self, runtime: Runtime, factory: Factory, clock: Clock
    ) -> None:
        # given a floor of one desk, booked; someone waits for it
        floor = await factory.floor()
        desk = await factory.desk(floor)
        owner, waiter = await factory.employee(), await factory.employee()
        mine = await runtime.bookings.book_desk(owner.id, BookDeskRequest(desk.id, DAY))
        await runtime.waitlist.join(waiter.id, JoinWaitlistRequest(floor.id, DAY))

        # when the owner cancels, the desk goes to the one waiting
        await runtime.bookings.cancel(owner.id, mine.id)
        await run_notification_jobs(runtime)

        # then the one granted hears of it (booked by themself, yet the bell: the system acted), the owner nothing
        [granted] = await notifications_of(runtime, waiter.id)
        assert (granted.kind, granted.in_app, granted.data["spaceName"]) == (K.WAITLIST_GRANTED, True, desk.code)
        assert (granted.data["bookingId"], granted.data["personId"]) != (mine.id, owner.id)
        assert kinds(await notifications_of(runtime, owner.id)) == [K.BOOKING_CONFIRMED]


class TestOnce:
    async def test_running_twice_makes_each_notification_once(
        self, runtime: Runtime, office: Office, clock: Clock
    ) -> None:
        booking = await runtime.bookings.book_desk(
            office.lead_a1.id, BookDeskRequest(office.desks[0].id, DAY, for_employee_id=office.alice.id)
        )
        await runtime.bookings.cancel(office.lead_a1.id, booking.id)
        assert await run_notification_jobs(runtime) == 2
        first = [(n.recipient_id, n.dedupe_key) for n in await all_notifications(runtime)]

        # when the events are handled again (their cursor reset by hand), and the job runs once more
        async with runtime.db.write() as session:
            await session.execute(update(BookingEvent).values(notified_at=None))
        assert await run_notification_jobs(runtime) == 2
        assert await run_notification_jobs(runtime) == 0

        assert [(n.recipient_id, n.dedupe_key) for n in await all_notifications(runtime)] == first
        confirmed, cancelled = await all_notifications(runtime)
        assert (confirmed.kind, cancelled.kind) == (K.BOOKING_CONFIRMED, K.BOOKING_CANCELLED)
        # each says what its event did, though the booking is cancelled by the time the job reads it
        assert (confirmed.data["status"], confirmed.data["version"]) == ("booked", 1)
        assert (cancelled.data["status"], cancelled.data["version"]) == ("cancelled", 2)

    async def test_two_processes_at_once_notify_each_event_once(
        self, runtime: Runtime, factory: Factory, office: Office, clock: Clock
    ) -> None:
        floor = await factory.floor()
        people = [await factory.employee() for _ in range(12)]
        for person in people:
            desk = await factory.desk(floor)
            await runtime.bookings.book_desk(office.admin.id, BookDeskRequest(desk.id, DAY, for_employee_id=person.id))

        notifiers = [BookingEventNotifier(runtime.db, clock, batch_size=5) for _ in range(2)]
        handled = await asyncio.gather(*(n.run_once() for n in notifiers))

        assert sum(handled) == 12
        rows = await all_notifications(runtime)
        assert sorted(n.recipient_id for n in rows) == sorted(p.id for p in people)
        assert {n.kind for n in rows} == {K.BOOKING_CONFIRMED}

    async def test_events_from_before_the_migration_are_not_announced(
        self, runtime: Runtime, office: Office, clock: Clock
    ) -> None:
        # given an event the migration marked notified (it sets notified_at = occurred_at)
        await runtime.bookings.book_desk(
            office.lead_a1.id, BookDeskRequest(office.desks[0].id, DAY, for_employee_id=office.alice.id)
        )
        async with runtime.db.write() as session:
            await session.execute(update(BookingEvent).values(notified_at=BookingEvent.occurred_at))

        assert await run_notification_jobs(runtime) == 0

        assert await all_notifications(runtime) == []

    async def test_check_ins_make_nothing_but_are_marked_notified(
        self, runtime: Runtime, office: Office, clock: Clock
    ) -> None:
        booking = await book_desk(runtime, office.desks[0], office.alice, time(9), time(12))
        await run_notification_jobs(runtime)
        clock.set(time(9, 5))

        await runtime.checkins.check_in(office.alice.id, booking.id)
        assert await run_notification_jobs(runtime) == 1

        assert kinds(await all_notifications(runtime)) == [K.BOOKING_CONFIRMED]
        async with runtime.db.read() as session:
            assert await session.scalar(select(BookingEvent.id).where(BookingEvent.notified_at.is_(None))) is None


class TestCost:
    async def test_an_idle_run_only_reads(self, runtime: Runtime, office: Office, clock: Clock) -> None:
        await book_desk(runtime, office.desks[0], office.alice, time(9), time(12))
        await run_notification_jobs(runtime)

        with recorded(runtime) as statements:
            assert await BookingEventNotifier(runtime.db, clock).run_once() == 0

        assert len(statements) == 1 and statements[0].lstrip().upper().startswith("SELECT")

    async def test_a_batch_takes_as_many_queries_for_many_events_as_for_few(
        self, runtime: Runtime, factory: Factory, office: Office, clock: Clock
    ) -> None:
        async def one_of_each(room: Space, approval_room: Space) -> None:
            """A desk on behalf, then cancelled by a manager; a room with attendees; a room asking approval."""
            person = await factory.employee()
            desk = await factory.desk(office.floor)
            booking = await runtime.bookings.book_desk(
                office.admin.id, BookDeskRequest(desk.id, DAY, for_employee_id=person.id)
            )
            await runtime.bookings.cancel(office.facilities_1.id, booking.id)
            meeting = await book_room(runtime, room, person)
            await invite(runtime, meeting, await factory.employee(), await factory.employee())
            await book_room(runtime, approval_room, await factory.employee())

        async def queries_for(rounds: int) -> int:
            for _ in range(rounds):
                await one_of_each(
                    await factory.room(office.floor), await factory.room(office.floor, requires_approval=True)
                )
            with recorded(runtime) as statements:
                await BookingEventNotifier(runtime.db, clock).notify_batch()
            return len(statements)

        few = await queries_for(1)
        many = await queries_for(6)

        assert many == few
        assert len(await all_notifications(runtime)) == 7 * 7  # each round: 2 + 1 + 2 invitations + 2


@contextmanager
def recorded(runtime: Runtime) -> Iterator[list[str]]:
    """The statements run on the database meanwhile (transaction control left out)."""
    statements: list[str] = []
    engine = runtime.db.engine.sync_engine

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.strip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


async def _event_id(runtime: Runtime, booking: Booking) -> int:
    async with runtime.db.read() as session:
        found = await session.scalar(select(BookingEvent.id).where(BookingEvent.booking_id == booking.id))
    assert found is not None
    return found
