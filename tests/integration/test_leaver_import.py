"""A leaver's recurring series and assigned desks, when the import deactivates them (issue 11 follow-up).

The series whose coming occurrences the import cancelled ends (``cancelled_at``); what already happened stays. The
desks assigned to the leaver are unassigned. Both in the import's one transaction, audited with their site.
"""

from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import select, update

from smartoffice.audit.models import AuditEntry
from smartoffice.bookings.models import Booking, BookingSeries, BookingStatus
from smartoffice.db import Database, utcnow
from smartoffice.people.models import Employee
from smartoffice.places.models import Building, Floor, Space
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.bookings import insert_booking
from tests.support.people_files import STAFF_NIP, csv_bytes, head, pppk, valid_rows
from tests.support.people_import import by_nip, towers


@pytest.fixture
async def buildings(factory: Factory) -> None:
    await towers(factory)


async def series_of(db: Database, desk: Space, person: Employee, starts: list[datetime]) -> BookingSeries:
    """A weekly series with one booked occurrence at each of ``starts`` (an hour each)."""
    series = BookingSeries(
        space_id=desk.id,
        employee_id=person.id,
        booked_by_id=person.id,
        rrule="FREQ=WEEKLY;COUNT=4",
        starts_on=starts[0].date(),
        start_time=time(9),
        end_time=time(10),
        time_zone="Asia/Makassar",
    )
    async with db.write() as session:
        session.add(series)
    for start in starts:
        booking = await insert_booking(db, desk, person, start, start + timedelta(hours=1))
        async with db.write() as session:
            await session.execute(update(Booking).where(Booking.id == booking.id).values(series_id=series.id))
    return series


async def site_of(db: Database, space: Space) -> int:
    async with db.read() as session:
        query = select(Building.site_id).join(Floor, Floor.building_id == Building.id).where(Floor.id == space.floor_id)
        site_id = await session.scalar(query)
    assert site_id is not None
    return site_id


async def test_a_leavers_series_end_and_their_desk_is_unassigned(
    runtime: Runtime, db: Database, factory: Factory, buildings: None
) -> None:
    # given staff with a series running on (two weeks past, two to come), a series that is over, and an assigned
    # desk; and a colleague who stays, with their own series and desk
    await runtime.people_import.run(csv_bytes(valid_rows()))
    people = await by_nip(db)
    leaver, colleague = people[STAFF_NIP], next(p for nip, p in people.items() if nip != STAFF_NIP)
    desk, now = await factory.desk(), utcnow()
    weeks = [now + timedelta(weeks=w) for w in (-2, -1, 1, 2)]
    running = await series_of(db, desk, leaver, weeks)
    over = await series_of(db, desk, leaver, [now - timedelta(weeks=4), now - timedelta(weeks=3)])
    theirs = await series_of(db, desk, colleague, [now + timedelta(weeks=1, hours=2)])
    own_desk = await factory.desk(assigned_employee_id=leaver.id)
    colleagues_desk = await factory.desk(assigned_employee_id=colleague.id)

    # when the next file no longer lists the staff member
    result = await runtime.people_import.run(csv_bytes([head(), pppk()]))

    # then the running series ends; the one that was over and the colleague's are untouched
    assert [leaving.nip for leaving in result.plan.leavers] == [STAFF_NIP]
    assert (result.cancelled_series, result.unassigned_desks) == (1, 1)
    async with db.read() as session:
        ended = dict((await session.execute(select(BookingSeries.id, BookingSeries.cancelled_at))).all())
        occurrences = (
            await session.execute(
                select(Booking.start_at, Booking.status)
                .where(Booking.series_id == running.id)
                .order_by(Booking.start_at)
            )
        ).all()
        assigned = dict((await session.execute(select(Space.id, Space.assigned_employee_id))).all())
        entries = (
            await session.scalars(
                select(AuditEntry)
                .where(AuditEntry.action.in_(["booking_series.cancel", "space.unassign"]))
                .order_by(AuditEntry.id)
            )
        ).all()
    assert ended[running.id] is not None
    assert (ended[over.id], ended[theirs.id]) == (None, None)
    # the occurrences that happened are kept as they were; those to come are cancelled
    assert [status for _, status in occurrences] == [
        BookingStatus.BOOKED,
        BookingStatus.BOOKED,
        BookingStatus.CANCELLED,
        BookingStatus.CANCELLED,
    ]
    # and their desk is anyone's again; the colleague keeps theirs
    assert (assigned[own_desk.id], assigned[colleagues_desk.id]) == (None, colleague.id)
    # each change audited, with its site and the leaver's unit
    site_id = await site_of(db, desk)
    assert [(e.action, e.entity_kind, e.entity_id, e.site_id, e.org_unit_id) for e in entries] == [
        ("booking_series.cancel", "BookingSeries", running.id, site_id, leaver.org_unit_id),
        ("space.unassign", "Desk", own_desk.id, await site_of(db, own_desk), leaver.org_unit_id),
    ]
    assert entries[1].before == {"assigned_employee_id": leaver.id}
    assert entries[1].after == {"assigned_employee_id": None}
    assert entries[0].before == {"cancelled_at": None}
    # and the same file again changes nothing more
    assert not (await runtime.people_import.run(csv_bytes([head(), pppk()]))).written
