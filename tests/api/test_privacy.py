"""Who sits where, and NIPs: names only within the unit, by opt-in, to managers and admins; tokens need a scope."""

from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from smartoffice.db import Database
from smartoffice.identity.scopes import Scope
from smartoffice.ids import encode_id
from smartoffice.people.models import Employee
from tests.factories import Factory
from tests.support.auth import bearer, issue_token
from tests.support.bookings import insert_booking
from tests.support.clock import days_ahead, office_hours
from tests.support.graphql import GraphQL
from tests.support.office import Office, build_office

OCCUPANTS = """
query($floorId: ID!, $date: Date!) {
  floor(id: $floorId) {
    availability(date: $date) {
      ... on FloorAvailability {
        desks { desk { id } status bookings { status occupant { isVisible name employee { id } } } }
      }
    }
  }
}
"""
NIP = "query($id: ID!) { node(id: $id) { ... on Employee { nip } } }"
ANONYMOUS = {"isVisible": False, "name": None, "employee": None}


@pytest.fixture
async def office(factory: Factory) -> Office:
    return await build_office(factory)


def visible(person: Employee) -> dict[str, Any]:
    return {"isVisible": True, "name": person.name, "employee": {"id": encode_id("Employee", person.id)}}


def occupants(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The occupant of every booking on the floor, in desk order."""
    desks = body["data"]["floor"]["availability"]["desks"]
    return [b["occupant"] for d in desks for b in d["bookings"]]


async def seen_by(graphql: GraphQL, office: Office, viewer: Employee) -> list[dict[str, Any]]:
    variables = {"floorId": encode_id("Floor", office.floor.id), "date": days_ahead(3).isoformat()}
    return occupants(await graphql(OCCUPANTS, variables, as_employee=viewer.id))


async def api(client: AsyncTestClient, secret: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    response = await client.post("/api/graphql", json={"query": query, "variables": variables}, headers=bearer(secret))
    body: dict[str, Any] = response.json()
    return body


class TestOccupantNames:
    async def test_within_the_unit_to_managers_and_admins_only(
        self, graphql: GraphQL, office: Office, db: Database
    ) -> None:
        await insert_booking(db, office.desks[0], office.alice, *office_hours(days_ahead(3)))

        for viewer in (office.alice, office.amir, office.lead_a1, office.manager_a, office.admin):
            assert await seen_by(graphql, office, viewer) == [visible(office.alice)], viewer.name
        # another team of the same directorate, another directorate, its manager, the site's facilities manager
        for viewer in (office.bella, office.bruno, office.manager_b, office.facilities_1):
            assert await seen_by(graphql, office, viewer) == [ANONYMOUS], viewer.name

    async def test_the_booking_itself_is_shown_to_everyone(
        self, graphql: GraphQL, office: Office, db: Database
    ) -> None:
        await insert_booking(db, office.desks[1], office.alice, *office_hours(days_ahead(3)))
        variables = {"floorId": encode_id("Floor", office.floor.id), "date": days_ahead(3).isoformat()}

        body = await graphql(OCCUPANTS, variables, as_employee=office.bruno.id)

        desks = body["data"]["floor"]["availability"]["desks"]
        assert [(d["status"], len(d["bookings"])) for d in desks] == [
            ("FREE", 0),
            ("PARTIALLY_BOOKED", 1),  # 08:00-17:00 of 07:00-19:00
            ("FREE", 0),
            ("FREE", 0),
        ]

    async def test_a_colleague_who_opts_in_is_named_to_everyone(
        self, graphql: GraphQL, office: Office, db: Database
    ) -> None:
        await insert_booking(db, office.desks[0], office.bruno, *office_hours(days_ahead(3)))
        assert await seen_by(graphql, office, office.alice) == [ANONYMOUS]

        opted_in = await graphql("SetPresenceSharing", {"input": {"share": True}}, as_employee=office.bruno.id)
        assert opted_in["data"]["setPresenceSharing"] == {
            "__typename": "SetPresenceSharingSuccess",
            "employee": {"id": encode_id("Employee", office.bruno.id), "sharesPresence": True},
        }
        assert await seen_by(graphql, office, office.alice) == [visible(office.bruno)]

        await graphql("SetPresenceSharing", {"input": {"share": False}}, as_employee=office.bruno.id)
        assert await seen_by(graphql, office, office.alice) == [ANONYMOUS]

    async def test_tokens_see_aggregates_unless_people_read_names(
        self, client: AsyncTestClient, office: Office, db: Database
    ) -> None:
        await insert_booking(db, office.desks[0], office.alice, *office_hours(days_ahead(3)))
        variables = {"floorId": encode_id("Floor", office.floor.id), "date": days_ahead(3).isoformat()}
        place_scopes = (Scope.PLACES_READ, Scope.OCCUPANCY_READ_AGGREGATE)
        colleague_aggregate = await issue_token(db, office.amir.id, *place_scopes)
        colleague_names = await issue_token(db, office.amir.id, *place_scopes, Scope.PEOPLE_READ_NAMES)
        stranger_names = await issue_token(db, office.bruno.id, *place_scopes, Scope.PEOPLE_READ_NAMES)

        aggregate = await api(client, colleague_aggregate, OCCUPANTS.replace("employee { id }", ""), variables)
        named = await api(client, colleague_names, OCCUPANTS, variables)
        stranger = await api(client, stranger_names, OCCUPANTS, variables)

        assert occupants(aggregate) == [{"isVisible": False, "name": None}]
        assert occupants(named) == [visible(office.alice)]
        assert occupants(stranger) == [ANONYMOUS]


class TestNip:
    async def test_to_the_person_their_managers_and_admins_only(self, graphql: GraphQL, office: Office) -> None:
        ident = encode_id("Employee", office.alice.id)

        for viewer in (office.alice, office.lead_a1, office.manager_a, office.admin):
            body = await graphql(NIP, {"id": ident}, as_employee=viewer.id)
            assert body == {"data": {"node": {"nip": office.alice.nip}}}, viewer.name
        for viewer in (office.amir, office.bella, office.manager_b, office.facilities_1):
            body = await graphql(NIP, {"id": ident}, as_employee=viewer.id)
            assert body == {"data": {"node": {"nip": None}}}, viewer.name

    async def test_your_own_through_viewer(self, graphql: GraphQL, office: Office) -> None:
        body = await graphql("{ viewer { nip } }", as_employee=office.bella.id)

        assert body == {"data": {"viewer": {"nip": office.bella.nip}}}

    async def test_tokens_need_people_read_names_and_their_owner_must_manage(
        self, client: AsyncTestClient, office: Office, db: Database
    ) -> None:
        ident = encode_id("Employee", office.alice.id)
        manager = await issue_token(db, office.manager_a.id, Scope.PEOPLE_READ_NAMES)
        colleague = await issue_token(db, office.amir.id, Scope.PEOPLE_READ_NAMES)
        own_without_names = await issue_token(db, office.alice.id, Scope.BOOKINGS_READ)

        assert (await api(client, manager, NIP, {"id": ident}))["data"] == {"node": {"nip": office.alice.nip}}
        assert (await api(client, colleague, NIP, {"id": ident}))["data"] == {"node": {"nip": None}}
        assert (await api(client, own_without_names, "{ viewer { nip } }", {}))["data"] == {"viewer": {"nip": None}}


async def test_the_floor_occupants_example(graphql: GraphQL, office: Office, db: Database) -> None:
    await insert_booking(db, office.desks[0], office.alice, *office_hours(days_ahead(3)))
    await insert_booking(db, office.desks[1], office.bruno, *office_hours(days_ahead(3)))
    variables = {"floorId": encode_id("Floor", office.floor.id), "date": days_ahead(3).isoformat()}

    body = await graphql("FloorOccupants", variables, as_employee=office.amir.id)

    desks = body["data"]["floor"]["availability"]["desks"]
    assert [[b["occupant"] for b in d["bookings"]] for d in desks] == [
        [{"isVisible": True, "name": office.alice.name}],
        [{"isVisible": False, "name": None}],
        [],
        [],
    ]
