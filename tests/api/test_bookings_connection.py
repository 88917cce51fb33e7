"""The bookings connection: who sees what (in SQL), filters, keyset pages, the page size cap, bad input."""

from datetime import timedelta
from typing import Any

import pytest

from smartoffice.bookings.models import BookingStatus
from smartoffice.db import Database
from smartoffice.ids import encode_id
from tests.factories import Factory
from tests.support.bookings import insert_booking
from tests.support.clock import at, days_ahead, office_hours
from tests.support.graphql import GraphQL
from tests.support.office import Office, build_office

BOOKINGS = """
query($filter: BookingFilter, $first: Int, $after: String, $orderBy: BookingOrder) {
  bookings(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
    __typename
    ... on BookingConnection { edges { cursor node { id } } pageInfo { hasNextPage endCursor } }
    ... on ValidationError { field code message }
  }
}
"""


@pytest.fixture
async def office(factory: Factory) -> Office:
    return await build_office(factory, desks=6)


async def ids_as(graphql: GraphQL, employee_id: int, **variables: Any) -> list[str]:
    body = await graphql(BOOKINGS, variables, as_employee=employee_id)
    result = body["data"]["bookings"]
    assert result["__typename"] == "BookingConnection", body
    return [e["node"]["id"] for e in result["edges"]]


def gid(booking: Any) -> str:
    return encode_id("Booking", booking.id)


class TestWhoSeesWhat:
    async def test_by_role(self, graphql: GraphQL, office: Office, db: Database) -> None:
        day = days_ahead(3)
        alice = await insert_booking(db, office.desks[0], office.alice, *office_hours(day))
        bella = await insert_booking(db, office.desks[1], office.bella, *office_hours(day))
        bruno = await insert_booking(db, office.desks[2], office.bruno, *office_hours(day), booked_by=office.manager_b)
        everyone = [gid(alice), gid(bella), gid(bruno)]

        assert await ids_as(graphql, office.alice.id) == [gid(alice)]
        assert await ids_as(graphql, office.amir.id) == []
        assert await ids_as(graphql, office.lead_a1.id) == [gid(alice)]  # direct supervisor
        assert await ids_as(graphql, office.manager_a.id) == [gid(alice), gid(bella)]  # the directorate's subtree
        assert await ids_as(graphql, office.manager_b.id) == [gid(bruno)]
        assert await ids_as(graphql, office.facilities_1.id) == everyone  # the site's facilities manager
        assert await ids_as(graphql, office.facilities_2.id) == []
        assert await ids_as(graphql, office.admin.id) == everyone


class TestFilters:
    async def test_each_filter(self, graphql: GraphQL, office: Office, db: Database, factory: Factory) -> None:
        day = days_ahead(3)
        other_floor = await factory.floor(await factory.building(office.site, time_zone="Asia/Jakarta"))
        far_desk = await factory.desk(other_floor)
        alice = await insert_booking(db, office.desks[0], office.alice, *office_hours(day))
        alice_later = await insert_booking(db, office.desks[0], office.alice, *office_hours(day + timedelta(days=2)))
        bella = await insert_booking(
            db, office.desks[1], office.bella, at(day, 9), at(day, 17), status=BookingStatus.CANCELLED
        )
        bruno = await insert_booking(db, far_desk, office.bruno, *office_hours(day))
        admin = office.admin.id

        async def matching(**filter: Any) -> list[str]:
            return await ids_as(graphql, admin, filter=filter)

        assert await matching(employeeId=encode_id("Employee", office.alice.id)) == [gid(alice), gid(alice_later)]
        assert await matching(unitId=encode_id("OrgUnit", office.directorate_a.id)) == [
            gid(alice),
            gid(bella),
            gid(alice_later),
        ]
        assert await matching(unitId=encode_id("OrgUnit", office.team_a2.id)) == [gid(bella)]
        assert await matching(buildingId=encode_id("Building", other_floor.building_id)) == [gid(bruno)]
        assert await matching(floorId=encode_id("Floor", office.floor.id)) == [gid(alice), gid(bella), gid(alice_later)]
        assert await matching(statuses=["CANCELLED"]) == [gid(bella)]
        assert await matching(statuses=["BOOKED", "CHECKED_IN"], to=day.isoformat()) == [gid(alice), gid(bruno)]
        assert await matching(**{"from": (day + timedelta(days=1)).isoformat()}) == [gid(alice_later)]
        same_day = [gid(alice), gid(bruno), gid(bella)]  # start order, then id: 08:00 WITA (07:00 WIB), 09:00
        assert await matching(**{"from": day.isoformat(), "to": day.isoformat()}) == same_day

    async def test_dates_are_local_to_each_building(self, graphql: GraphQL, office: Office, db: Database) -> None:
        # given a booking at 07:30 WITA, which is 23:30 UTC on the day before
        day = days_ahead(3)
        early = await insert_booking(db, office.desks[0], office.alice, at(day, 7, 30), at(day, 17))

        on_the_day = await ids_as(graphql, office.admin.id, filter={"from": day.isoformat(), "to": day.isoformat()})
        day_before = (day - timedelta(days=1)).isoformat()
        before = await ids_as(graphql, office.admin.id, filter={"from": day_before, "to": day_before})

        assert (on_the_day, before) == ([gid(early)], [])

    async def test_filters_never_widen_what_you_see(self, graphql: GraphQL, office: Office, db: Database) -> None:
        await insert_booking(db, office.desks[0], office.bruno, *office_hours(days_ahead(3)))

        found = await ids_as(graphql, office.alice.id, filter={"employeeId": encode_id("Employee", office.bruno.id)})

        assert found == []


class TestPages:
    async def test_pages_have_no_duplicates_or_gaps_while_rows_are_inserted(
        self, graphql: GraphQL, office: Office, db: Database
    ) -> None:
        day = days_ahead(3)
        first_rows = [
            await insert_booking(db, office.desks[n % 6], office.alice, *office_hours(day + timedelta(days=n)))
            for n in range(5)
        ]
        page = (await graphql(BOOKINGS, {"first": 2}, as_employee=office.alice.id))["data"]["bookings"]
        seen = [e["node"]["id"] for e in page["edges"]]
        # rows inserted before the cursor and after it, while the client pages
        await insert_booking(db, office.desks[5], office.alice, *office_hours(day - timedelta(days=1)))
        later = await insert_booking(db, office.desks[5], office.alice, *office_hours(day + timedelta(days=9)))
        while page["pageInfo"]["hasNextPage"]:
            variables = {"first": 2, "after": page["pageInfo"]["endCursor"]}
            page = (await graphql(BOOKINGS, variables, as_employee=office.alice.id))["data"]["bookings"]
            seen += [e["node"]["id"] for e in page["edges"]]

        assert seen == [gid(b) for b in first_rows] + [gid(later)]

    async def test_descending(self, graphql: GraphQL, office: Office, db: Database) -> None:
        rows = [
            await insert_booking(db, office.desks[0], office.alice, *office_hours(days_ahead(n))) for n in (1, 2, 3)
        ]

        first = await graphql(BOOKINGS, {"first": 2, "orderBy": "START_AT_DESC"}, as_employee=office.alice.id)
        cursor = first["data"]["bookings"]["pageInfo"]["endCursor"]
        rest = await ids_as(graphql, office.alice.id, first=2, after=cursor, orderBy="START_AT_DESC")

        assert [e["node"]["id"] for e in first["data"]["bookings"]["edges"]] == [gid(rows[2]), gid(rows[1])]
        assert rest == [gid(rows[0])]

    async def test_page_size_is_capped_at_100(self, graphql: GraphQL, office: Office, db: Database) -> None:
        day = days_ahead(3)
        async with db.write() as session:
            from smartoffice.bookings.models import Booking
            from smartoffice.places.models import SpaceKind

            for n in range(101):
                start = at(day, 8) + timedelta(minutes=n)
                session.add(
                    Booking(
                        space_id=office.desks[0].id,
                        space_kind=SpaceKind.DESK,
                        employee_id=office.alice.id,
                        booked_by_id=office.alice.id,
                        start_at=start,
                        end_at=start + timedelta(minutes=1),
                        blocks_until=start + timedelta(minutes=1),
                        status=BookingStatus.CANCELLED,
                    )
                )

        body = await graphql(BOOKINGS, {"first": 1000}, as_employee=office.alice.id)

        assert len(body["data"]["bookings"]["edges"]) == 100
        assert body["data"]["bookings"]["pageInfo"]["hasNextPage"] is True


class TestBadInput:
    @pytest.mark.parametrize("cursor", ["garbage", "bm90IGEgY3Vyc29y", "MjAyNi0wMS0wMVQwMDowMDowMHxub3Q="])
    async def test_a_bad_cursor_is_a_validation_error(self, graphql: GraphQL, office: Office, cursor: str) -> None:
        body = await graphql(BOOKINGS, {"after": cursor}, as_employee=office.alice.id)

        result = body["data"]["bookings"]
        assert (result["__typename"], result["field"], result["code"]) == ("ValidationError", "after", "INVALID_CURSOR")

    async def test_a_malformed_filter_id(self, graphql: GraphQL, office: Office) -> None:
        variables = {"filter": {"unitId": encode_id("Employee", office.alice.id)}}

        result = (await graphql(BOOKINGS, variables, as_employee=office.alice.id))["data"]["bookings"]

        assert (result["__typename"], result["field"], result["code"]) == (
            "ValidationError",
            "filter.unitId",
            "INVALID_ID",
        )

    async def test_to_before_from(self, graphql: GraphQL, office: Office) -> None:
        variables = {"filter": {"from": "2026-12-10", "to": "2026-12-09"}}

        result = (await graphql(BOOKINGS, variables, as_employee=office.alice.id))["data"]["bookings"]

        assert (result["field"], result["code"]) == ("filter.to", "END_BEFORE_START")

    async def test_dates_at_the_ends_of_the_calendar(self, graphql: GraphQL, office: Office, db: Database) -> None:
        # The Date scalar takes 1970-01-01..2199-12-31 (smartoffice/date_range.py); its ends filter as any day does.
        booking = await insert_booking(db, office.desks[0], office.alice, *office_hours(days_ahead(3)))

        found = await ids_as(graphql, office.alice.id, filter={"from": "1970-01-01", "to": "2199-12-31"})

        assert found == [gid(booking)]


async def test_the_bookings_example(graphql: GraphQL, office: Office, db: Database) -> None:
    booking = await insert_booking(db, office.desks[0], office.bella, *office_hours(days_ahead(3)))
    variables = {"filter": {"unitId": encode_id("OrgUnit", office.directorate_a.id), "statuses": ["BOOKED"]}}

    body = await graphql("Bookings", variables, as_employee=office.manager_a.id)

    [edge] = body["data"]["bookings"]["edges"]
    assert edge["node"]["id"] == gid(booking)
    assert edge["node"]["desk"]["code"] == office.desks[0].code
