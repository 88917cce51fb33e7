"""A closure created while people are booking under it: every booking ends up cancelled or refused, none slips in.

The closure's transaction locks the spaces of its place (the lock each booking takes on its space) before it
reads the bookings to cancel (``bookings/place_changes.py``): a booking that checked for closures before the
closure committed is then found and cancelled, and one that comes later waits and sees the closure.
"""

import asyncio

from sqlalchemy import func, select

from smartoffice.audit.record import Actor
from smartoffice.bookings.models import ACTIVE_STATUSES, Booking
from smartoffice.bookings.place_changes import PlaceLevel, PlaceRef
from smartoffice.bookings.service import BookDeskRequest
from smartoffice.errors import InvalidInput
from smartoffice.people.models import Role
from smartoffice.places.closures import ClosureInput, LocalTimes
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.clock import days_ahead

RACERS = 24
ROUNDS = 4


async def test_no_booking_survives_a_closure_created_while_people_book(runtime: Runtime, factory: Factory) -> None:
    floor = await factory.floor()
    desks = [await factory.desk(floor) for _ in range(RACERS)]
    people = [await factory.employee() for _ in range(RACERS)]
    manager = await factory.employee()
    await factory.role(manager, Role.ADMIN)
    actor = Actor(manager.id, "api")

    async def book(person_id: int, desk_id: int, day_offset: int) -> str:
        try:
            await runtime.bookings.book_desk(person_id, BookDeskRequest(desk_id, days_ahead(day_offset)))
        except InvalidInput as refused:
            return refused.code
        return "booked"

    for round_number in range(ROUNDS):
        day = days_ahead(2 + round_number)
        closing = ClosureInput(PlaceRef(PlaceLevel.FLOOR, floor.id), "Fumigasi", local=LocalTimes(day, day))
        attempts = [book(p.id, d.id, 2 + round_number) for p, d in zip(people, desks, strict=True)]
        attempts.insert(RACERS // 2, runtime.closures.create(actor, closing))
        results = await asyncio.gather(*attempts)

        outcomes = [r for r in results if isinstance(r, str)]
        assert set(outcomes) <= {"booked", "CLOSED"}, outcomes
        async with runtime.db.read() as session:
            active = await session.scalar(
                select(func.count(Booking.id)).where(
                    Booking.space_id.in_([d.id for d in desks]), Booking.status.in_(ACTIVE_STATUSES)
                )
            )
        assert active == 0, f"round {round_number}: {active} bookings under the closure"
