"""The head of a unit by position sees their people's bookings (bookings/visibility.py), as a granted unit manager
does; a struktural employee who is not the head does not. Needs bookings/visibility.py to read roles.held_roles."""

from datetime import UTC, datetime

from smartoffice.bookings.visibility import can_see_booking
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.bookings import insert_booking
from tests.support.org_chart import build_org_chart, set_employee


async def test_the_head_by_position_sees_their_peoples_bookings(runtime: Runtime, factory: Factory) -> None:
    org = await build_org_chart(factory)
    desk = await factory.desk()
    member = await factory.employee(org.team, name="Anggota Tim", supervisor_id=org.lead.id)  # not a report of theirs
    start = datetime(2026, 7, 7, 1, tzinfo=UTC)
    booking = await insert_booking(runtime.db, desk, member, start, start.replace(hour=9))

    async with runtime.db.read() as session:
        director = await can_see_booking(session, org.director.id, booking.id)
        vice = await can_see_booking(session, org.vice.id, booking.id)
    await set_employee(runtime.db, org.director, active=False)
    async with runtime.db.read() as session:
        gone = await can_see_booking(session, org.director.id, booking.id)

    assert (director, vice, gone) == (True, False, False)
