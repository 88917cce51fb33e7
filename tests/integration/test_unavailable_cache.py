"""The floor-day facts availability caches beside the floor layout (closures, desk releases, the desk rule, the
calendar, whether a quota covers the floor) are dropped as soon as any of them changes: the floor never shows
yesterday's truth."""

from datetime import date

from sqlalchemy import delete, update

from smartoffice.availability.unavailable import FloorTruth, UnavailableReason
from smartoffice.bookings.models import BookingRule
from smartoffice.places.models import Closure, SpaceKind
from smartoffice.quotas.models import SeatQuota
from smartoffice.runtime import Runtime
from smartoffice.workcalendar.models import CalendarOverride, DayKind
from tests.factories import Factory
from tests.support.clock import at, tomorrow


async def truth_of(runtime: Runtime, floor_id: int, day: date, viewer_id: int | None = None) -> FloorTruth:
    layout = await runtime.layouts.get(floor_id)
    return await runtime.availability.truth(layout, day, viewer_id, layouts=runtime.layouts)


def reasons(truth: FloorTruth) -> set[UnavailableReason]:
    return {why.reason for why in truth.desks.values()}


async def test_a_closure_added_then_removed_shows_at_once(runtime: Runtime, factory: Factory) -> None:
    day = tomorrow()
    floor = await factory.floor()
    await factory.desk(floor)
    assert reasons(await truth_of(runtime, floor.id, day)) == set()  # cached now

    closure = await factory.closure("Fumigasi", floor_id=floor.id, start_at=at(day, 0), end_at=at(day, 23))
    assert reasons(await truth_of(runtime, floor.id, day)) == {UnavailableReason.CLOSED}

    async with runtime.db.write() as session:
        await session.execute(delete(Closure).where(Closure.id == closure.id))
    assert reasons(await truth_of(runtime, floor.id, day)) == set()


async def test_a_release_of_an_assigned_desk_shows_at_once(runtime: Runtime, factory: Factory) -> None:
    day = tomorrow()
    floor = await factory.floor()
    owner, me = await factory.employee(), await factory.employee()
    desk = await factory.desk(floor, assigned_employee_id=owner.id)
    assert reasons(await truth_of(runtime, floor.id, day, me.id)) == {UnavailableReason.ASSIGNED}

    await runtime.bookings.release_assigned_desk(owner.id, desk.id, day)

    assert reasons(await truth_of(runtime, floor.id, day, me.id)) == set()


async def test_a_holiday_override_and_a_rule_change_show_at_once(runtime: Runtime, factory: Factory) -> None:
    day = tomorrow()
    building = await factory.building()
    floor = await factory.floor(building)
    await factory.desk(floor)
    rule = await factory.booking_rule(building, SpaceKind.DESK, closed_on_holidays=True)
    assert reasons(await truth_of(runtime, floor.id, day)) == set()

    async with runtime.db.write() as session:
        session.add(CalendarOverride(day=day, kind=DayKind.PUBLIC_HOLIDAY, name="Hari Libur Baru"))
    assert reasons(await truth_of(runtime, floor.id, day)) == {UnavailableReason.HOLIDAY}

    async with runtime.db.write() as session:
        await session.execute(update(BookingRule).where(BookingRule.id == rule.id).values(closed_on_holidays=False))
    assert reasons(await truth_of(runtime, floor.id, day)) == set()


async def test_a_new_seat_quota_is_read_for_the_viewer(runtime: Runtime, factory: Factory) -> None:
    day = tomorrow()
    organisation = await factory.organisation()
    me = await factory.employee(await factory.unit(organisation))
    floor = await factory.floor()
    await factory.desk(floor)
    assert (await truth_of(runtime, floor.id, day, me.id)).quotas == ()

    async with runtime.db.write() as session:
        session.add(SeatQuota(organisation_id=organisation.id, floor_id=floor.id, weekday=day.isoweekday(), seats=0))

    truth = await truth_of(runtime, floor.id, day, me.id)
    assert [(q.seats, q.remaining) for q in truth.quotas] == [(0, 0)]
    assert reasons(truth) == {UnavailableReason.QUOTA_FULL}
