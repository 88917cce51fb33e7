"""Seat quotas at booking time (issue 12, part 7): a holder's people beyond their share of a place are refused."""

from datetime import date, time, timedelta

import pytest

from smartoffice.bookings.models import Booking
from smartoffice.bookings.recurring import book_series
from smartoffice.bookings.requests import BookDeskRequest, BookRoomRequest, RecurringRequest
from smartoffice.db import Database
from smartoffice.errors import PolicyRefusal
from smartoffice.people.models import Employee, Organisation, OrgUnit
from smartoffice.places.models import Space
from smartoffice.quotas.errors import QuotaRefusal
from smartoffice.quotas.models import SeatQuota
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.clock import DAY, Clock, at, install_clock

TUESDAY = DAY
WEDNESDAY = DAY + timedelta(days=1)


@pytest.fixture(autouse=True)
def friday_before(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The Friday before ``DAY``: the Tuesday and Wednesday after are bookable."""
    return install_clock(runtime, monkeypatch, Clock(at(DAY - timedelta(days=4), 8)))


async def quota(
    db: Database, holder: Organisation | OrgUnit, seats: int, weekday: int = 2, exclusive: bool = False, **scope: int
) -> SeatQuota:
    holder_field = "organisation_id" if isinstance(holder, Organisation) else "org_unit_id"
    row = SeatQuota(**{holder_field: holder.id}, weekday=weekday, seats=seats, exclusive=exclusive, **scope)
    async with db.write() as session:
        session.add(row)
    return row


async def book(
    runtime: Runtime, person: Employee, desk: Space, day: date = TUESDAY, hours: tuple[int, int] = (8, 17)
) -> Booking:
    return await runtime.bookings.book_desk(person.id, BookDeskRequest(desk.id, day, time(hours[0]), time(hours[1])))


class TestCheckQuota:
    async def test_at_the_cap_the_next_person_is_refused_naming_the_quota(
        self, runtime: Runtime, factory: Factory
    ) -> None:
        # given a ministry with 2 seats of a floor on Tuesdays, both booked
        ministry = await factory.organisation(name="Kementerian PUPR")
        unit = await factory.unit(ministry)
        floor = await factory.floor(await factory.building(name="Tower 2"), name="Floor 3")
        desks = [await factory.desk(floor) for _ in range(3)]
        people = [await factory.employee(unit) for _ in range(3)]
        share = await quota(runtime.db, ministry, 2, floor_id=floor.id)
        await book(runtime, people[0], desks[0])
        await book(runtime, people[1], desks[1])

        # when a third person of the ministry books
        with pytest.raises(QuotaRefusal) as refused:
            await book(runtime, people[2], desks[2])

        # then
        error = refused.value
        assert isinstance(error, PolicyRefusal)
        assert (error.code, error.quota_id, error.policy) == (
            "QUOTA_FULL",
            share.id,
            "Kementerian PUPR · Tower 2 · Floor 3",
        )
        assert error.message_in("en") == (
            "Kementerian PUPR may book at most 2 desks in Tower 2 · Floor 3 on Tuesday 9 July 2030; all are taken"
        )
        assert "Selasa" in error.message_in("id")

    async def test_a_person_already_holding_a_seat_takes_no_further_one(
        self, runtime: Runtime, factory: Factory
    ) -> None:
        ministry = await factory.organisation()
        floor = await factory.floor()
        desks = [await factory.desk(floor) for _ in range(2)]
        person = await factory.employee(await factory.unit(ministry))
        await quota(runtime.db, ministry, 1, floor_id=floor.id)
        await book(runtime, person, desks[0], hours=(8, 12))

        afternoon = await book(runtime, person, desks[1], hours=(13, 17))

        assert afternoon.id is not None

    async def test_a_unit_quota_and_an_organisation_quota_both_bind(self, runtime: Runtime, factory: Factory) -> None:
        # given the ministry's 3 seats of the building, and its directorate's 1 seat of the floor
        ministry = await factory.organisation()
        deputy = await factory.unit(ministry)
        directorate = await factory.unit(ministry, parent_id=deputy.id)
        other_unit = await factory.unit(ministry)
        floor = await factory.floor()
        desks = [await factory.desk(floor) for _ in range(6)]
        building_share = await quota(runtime.db, ministry, 3, building_id=floor.building_id)
        unit_share = await quota(runtime.db, deputy, 1, floor_id=floor.id)
        a, b = await factory.employee(directorate), await factory.employee(deputy)
        c, d, e = [await factory.employee(other_unit) for _ in range(3)]

        await book(runtime, a, desks[0])  # the deputy's subtree: 1 of 1; the ministry: 1 of 3
        with pytest.raises(QuotaRefusal) as unit_full:
            await book(runtime, b, desks[1])
        await book(runtime, c, desks[2])
        await book(runtime, d, desks[3])
        with pytest.raises(QuotaRefusal) as ministry_full:
            await book(runtime, e, desks[4])

        assert (unit_full.value.quota_id, ministry_full.value.quota_id) == (unit_share.id, building_share.id)

    async def test_a_zone_quota_binds_only_the_zone_s_desks(self, runtime: Runtime, factory: Factory) -> None:
        ministry = await factory.organisation()
        floor = await factory.floor()
        zone = await factory.zone(floor)
        in_zone, outside = await factory.desk(floor, zone_id=zone.id), await factory.desk(floor)
        person = await factory.employee(await factory.unit(ministry))
        await quota(runtime.db, ministry, 0, zone_id=zone.id)

        with pytest.raises(QuotaRefusal):
            await book(runtime, person, in_zone)
        assert (await book(runtime, person, outside)).space_id == outside.id

    async def test_the_weekday_matters(self, runtime: Runtime, factory: Factory) -> None:
        ministry = await factory.organisation()
        desk = await factory.desk()
        person = await factory.employee(await factory.unit(ministry))
        await quota(runtime.db, ministry, 0, weekday=TUESDAY.isoweekday(), floor_id=desk.floor_id)

        with pytest.raises(QuotaRefusal):
            await book(runtime, person, desk)
        assert (await book(runtime, person, desk, WEDNESDAY)).space_id == desk.id

    async def test_people_without_a_quota_there_are_not_limited(self, runtime: Runtime, factory: Factory) -> None:
        ministry, other_ministry = await factory.organisation(), await factory.organisation()
        floor = await factory.floor()
        desks = [await factory.desk(floor) for _ in range(3)]
        await quota(runtime.db, ministry, 0, floor_id=floor.id)
        outsiders = [await factory.employee(await factory.unit(other_ministry)) for _ in range(3)]

        booked = [await book(runtime, p, d) for p, d in zip(outsiders, desks, strict=True)]

        assert len(booked) == 3

    async def test_room_bookings_are_not_counted(self, runtime: Runtime, factory: Factory) -> None:
        ministry = await factory.organisation()
        floor = await factory.floor()
        room, desk = await factory.room(floor), await factory.desk(floor)
        unit = await factory.unit(ministry)
        first, second = await factory.employee(unit), await factory.employee(unit)
        await quota(runtime.db, ministry, 1, floor_id=floor.id)
        await runtime.bookings.book_room(first.id, BookRoomRequest(room.id, TUESDAY, time(9), time(10)))

        assert (await book(runtime, second, desk)).space_id == desk.id

    async def test_recurring_bookings_obey_quotas(self, runtime: Runtime, factory: Factory) -> None:
        # given a ministry's 1 seat on Tuesdays, taken on the first Tuesday
        ministry = await factory.organisation()
        floor = await factory.floor()
        desks = [await factory.desk(floor) for _ in range(2)]
        unit = await factory.unit(ministry)
        first, second = await factory.employee(unit), await factory.employee(unit)
        await quota(runtime.db, ministry, 1, floor_id=floor.id)
        await book(runtime, first, desks[0])

        # when another books Tuesdays and Wednesdays
        result = await book_series(
            runtime.bookings,
            second.id,
            RecurringRequest(desks[1].id, "FREQ=WEEKLY;BYDAY=TU,WE;COUNT=2", TUESDAY, time(8), time(17)),
        )

        # then the Tuesday is refused by the quota, the Wednesday booked
        outcomes = {o.day: (o.booking is not None, o.skipped_because) for o in result.occurrences}
        assert outcomes[WEDNESDAY][0] is True
        assert outcomes[TUESDAY][0] is False
        assert getattr(outcomes[TUESDAY][1], "code", None) == "QUOTA_FULL"

    async def test_validate_answers_the_same_refusal(self, runtime: Runtime, factory: Factory) -> None:
        ministry = await factory.organisation()
        desk = await factory.desk()
        person = await factory.employee(await factory.unit(ministry))
        await quota(runtime.db, ministry, 0, floor_id=desk.floor_id)

        with pytest.raises(QuotaRefusal):
            await runtime.bookings.validate(person.id, BookDeskRequest(desk.id, TUESDAY, time(8), time(17)))


class TestReservedZones:
    async def test_a_reserved_zone_takes_only_its_holder_s_people_that_weekday(
        self, runtime: Runtime, factory: Factory
    ) -> None:
        ministry, other = await factory.organisation(), await factory.organisation(name="Kementerian Lain")
        floor = await factory.floor()
        zone = await factory.zone(floor, name="Sayap Barat")
        in_zone = [await factory.desk(floor, zone_id=zone.id) for _ in range(2)]
        outside = await factory.desk(floor)
        member = await factory.employee(await factory.unit(ministry))
        outsider = await factory.employee(await factory.unit(other))
        reservation = await quota(runtime.db, ministry, 5, exclusive=True, zone_id=zone.id)

        with pytest.raises(QuotaRefusal) as refused:
            await book(runtime, outsider, in_zone[0])
        await book(runtime, member, in_zone[0])
        await book(runtime, outsider, outside)
        await book(runtime, outsider, in_zone[1], WEDNESDAY)

        assert (refused.value.code, refused.value.quota_id) == ("QUOTA_ZONE_RESERVED", reservation.id)
        assert "Sayap Barat is reserved for Kementerian" in refused.value.message_in("en")

    async def test_holders_of_one_zone_share_it(self, runtime: Runtime, factory: Factory) -> None:
        first, second = await factory.organisation(), await factory.organisation()
        floor = await factory.floor()
        zone = await factory.zone(floor)
        desks = [await factory.desk(floor, zone_id=zone.id) for _ in range(2)]
        await quota(runtime.db, first, 1, exclusive=True, zone_id=zone.id)
        await quota(runtime.db, second, 1, exclusive=True, zone_id=zone.id)

        await book(runtime, await factory.employee(await factory.unit(first)), desks[0])
        await book(runtime, await factory.employee(await factory.unit(second)), desks[1])
