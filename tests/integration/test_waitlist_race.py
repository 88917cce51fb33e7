"""The waitlist race (issue 13, item 7): desks freed at the same moment by concurrent cancellations and a no-show
release, with a line of people waiting. Each freed desk goes to exactly one person, each person gets at most one
desk (one of them waits in two lines), and nobody is passed over: the first people in line get the desks, the rest
still wait in order. On SQLite and on PostgreSQL (``SMARTOFFICE_DATABASE_URL``), where the line's rows are taken
with ``FOR UPDATE SKIP LOCKED``."""

import asyncio
from datetime import time

import pytest
from sqlalchemy import select

from smartoffice.bookings.models import ACTIVE_STATUSES, Booking
from smartoffice.bookings.release import release_no_shows
from smartoffice.bookings.requests import BookDeskRequest
from smartoffice.people.models import Employee
from smartoffice.places.models import Floor, SpaceKind
from smartoffice.runtime import Runtime
from smartoffice.waitlist.models import WaitlistEntry, WaitlistStatus
from smartoffice.waitlist.service import JoinWaitlistRequest
from tests.factories import Factory
from tests.support.bookings import overlapping_pairs, set_rule
from tests.support.clock import DAY, Clock, at, install_clock

CANCELLED, RELEASED, EXTRA_WAITERS, ROUNDS = 4, 4, 3, 3
DESKS = CANCELLED + RELEASED


@pytest.fixture
def clock(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = install_clock(runtime, monkeypatch)
    monkeypatch.setattr(runtime.waitlist, "clock", clock)
    return clock


async def full_floor_with_a_line(
    runtime: Runtime, factory: Factory, clock: Clock, floor: Floor
) -> tuple[list[Booking], list[Booking], list[Employee]]:
    """Desks booked all day: ``RELEASED`` of them early (no-shows by 07:30), the others at 07:20 (still in their
    grace then); and a line: every waiter on the floor, the first also in the first zone's line, after the others."""
    zone = await factory.zone(floor)
    desks = [await factory.desk(floor, zone_id=zone.id if n % 2 == 0 else None) for n in range(DESKS)]
    owners = [await factory.employee() for _ in desks]
    clock.set(time(6), DAY)
    no_shows = [await book(runtime, o, d.id) for o, d in zip(owners[:RELEASED], desks[:RELEASED], strict=True)]
    clock.set(time(7, 20), DAY)
    cancelled = [await book(runtime, o, d.id) for o, d in zip(owners[RELEASED:], desks[RELEASED:], strict=True)]
    waiters = [await factory.employee() for _ in range(DESKS + EXTRA_WAITERS)]
    for waiter in waiters:
        clock.advance(seconds=1)
        await runtime.waitlist.join(waiter.id, JoinWaitlistRequest(floor.id, DAY))
    clock.advance(seconds=1)
    await runtime.waitlist.join(waiters[0].id, JoinWaitlistRequest(floor.id, DAY, zone.id))
    return no_shows, cancelled, waiters


async def book(runtime: Runtime, owner: Employee, desk_id: int) -> Booking:
    return await runtime.bookings.book_desk(owner.id, BookDeskRequest(desk_id, DAY))


async def test_desks_freed_at_once_go_to_the_first_in_line_one_each(
    runtime: Runtime, factory: Factory, clock: Clock
) -> None:
    building = await factory.building()
    await set_rule(runtime.db, building.id, SpaceKind.DESK, check_in_grace_minutes=30)
    for _round in range(ROUNDS):
        floor = await factory.floor(building)
        no_shows, cancelled, waiters = await full_floor_with_a_line(runtime, factory, clock, floor)
        clock.set(time(7, 30), DAY)

        # when the owners cancel while two release runs free the no-shows, all at once
        results = await asyncio.gather(
            *(runtime.bookings.cancel(b.employee_id, b.id) for b in cancelled),
            release_no_shows(runtime.db, runtime.availability, at(DAY, 7, 30)),
            release_no_shows(runtime.db, runtime.availability, at(DAY, 7, 30)),
            return_exceptions=True,
        )

        # then nothing failed, and the no-shows were released once
        assert [r for r in results if isinstance(r, BaseException)] == []
        assert sorted(r for r in results if isinstance(r, int)) == [0, RELEASED]
        async with runtime.db.read() as session:
            holders = dict(
                (
                    await session.execute(
                        select(Booking.space_id, Booking.employee_id).where(
                            Booking.space_id.in_([b.space_id for b in [*no_shows, *cancelled]]),
                            Booking.status.in_(ACTIVE_STATUSES),
                        )
                    )
                ).all()
            )
            lines = (
                await session.scalars(
                    select(WaitlistEntry)
                    .where(WaitlistEntry.floor_id == floor.id)
                    .order_by(WaitlistEntry.joined_at, WaitlistEntry.id)
                )
            ).all()
        # each freed desk has exactly one holder, each a different person: the first DESKS in line
        assert len(holders) == DESKS
        assert sorted(holders.values()) == sorted(w.id for w in waiters[:DESKS])
        granted = {e.employee_id: e.booking_id for e in lines if e.status == WaitlistStatus.GRANTED}
        assert sorted(granted) == sorted(w.id for w in waiters[:DESKS])
        # the first waiter's second line is closed, and the others still wait in order
        assert [(e.employee_id, e.status) for e in lines if e.status != WaitlistStatus.GRANTED] == [
            *((w.id, WaitlistStatus.WAITING) for w in waiters[DESKS:]),
            (waiters[0].id, WaitlistStatus.SKIPPED),
        ]
        positions = [(await runtime.waitlist.mine(w.id)).waiting[0].position for w in waiters[DESKS:]]
        assert positions == list(range(1, EXTRA_WAITERS + 1))
    assert await overlapping_pairs(runtime.db) == 0
