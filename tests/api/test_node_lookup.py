"""node(id:) and nodes(ids:): every Node type, with the object-level checks of its own root fields (no IDOR)."""

import base64
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from smartoffice.db import Database
from smartoffice.identity.scopes import Scope
from smartoffice.ids import encode_id
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.auth import bearer, issue_token
from tests.support.bookings import insert_booking
from tests.support.clock import days_ahead, office_hours
from tests.support.graphql import GraphQL
from tests.support.office import Office, build_office

NODE = "query($id: ID!) { node(id: $id) { __typename id ... on Booking { status date } } }"


@pytest.fixture
async def office(factory: Factory) -> Office:
    return await build_office(factory)


async def node_as(graphql: GraphQL, ident: str, employee_id: int | None) -> dict[str, Any]:
    return await graphql(NODE, {"id": ident}, as_employee=employee_id)


async def api(client: AsyncTestClient, secret: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    response = await client.post("/api/graphql", json={"query": query, "variables": variables}, headers=bearer(secret))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


class TestBookingNode:
    async def test_who_may_see_a_booking(self, graphql: GraphQL, office: Office, db: Database) -> None:
        # given alice's booking, made for her by her direct supervisor
        booking = await insert_booking(
            db, office.desks[0], office.alice, *office_hours(days_ahead(3)), booked_by=office.lead_a1
        )
        ident = encode_id("Booking", booking.id)
        allowed = [office.alice, office.lead_a1, office.manager_a, office.facilities_1, office.admin]
        refused = [office.amir, office.bella, office.bruno, office.manager_b, office.facilities_2]

        for person in allowed:
            body = await node_as(graphql, ident, person.id)
            assert body["data"]["node"] == {
                "__typename": "Booking",
                "id": ident,
                "status": "BOOKED",
                "date": days_ahead(3).isoformat(),
            }, person.name
        for person in refused:
            assert await node_as(graphql, ident, person.id) == {"data": {"node": None}}, person.name

    async def test_a_hidden_booking_answers_like_a_missing_one(
        self, graphql: GraphQL, office: Office, db: Database
    ) -> None:
        booking = await insert_booking(db, office.desks[0], office.alice, *office_hours(days_ahead(3)))

        hidden = await node_as(graphql, encode_id("Booking", booking.id), office.bruno.id)
        missing = await node_as(graphql, encode_id("Booking", booking.id + 1000), office.bruno.id)

        assert hidden == missing == {"data": {"node": None}}

    async def test_a_manager_outside_the_subtree_sees_nothing(
        self, graphql: GraphQL, office: Office, db: Database
    ) -> None:
        booking = await insert_booking(db, office.desks[0], office.bella, *office_hours(days_ahead(3)))

        assert (await node_as(graphql, encode_id("Booking", booking.id), office.manager_b.id))["data"]["node"] is None
        assert (await node_as(graphql, encode_id("Booking", booking.id), office.manager_a.id))["data"]["node"]

    async def test_tokens_need_bookings_read_and_see_what_their_owner_may(
        self, client: AsyncTestClient, office: Office, db: Database
    ) -> None:
        booking = await insert_booking(db, office.desks[0], office.alice, *office_hours(days_ahead(3)))
        ident = encode_id("Booking", booking.id)
        no_scope = await issue_token(db, office.alice.id, Scope.PLACES_READ)
        owners = await issue_token(db, office.alice.id, Scope.BOOKINGS_READ)
        strangers = await issue_token(db, office.bruno.id, Scope.BOOKINGS_READ)

        refused = await api(client, no_scope, NODE, {"id": ident})
        assert refused["data"] == {"node": None}
        assert [e["extensions"] for e in refused["errors"]] == [
            {"code": "INSUFFICIENT_SCOPE", "scope": "bookings:read"}
        ]
        assert (await api(client, owners, NODE, {"id": ident}))["data"]["node"]["id"] == ident
        assert await api(client, strangers, NODE, {"id": ident}) == {"data": {"node": None}}

    async def test_anonymous_callers_must_sign_in(self, graphql: GraphQL, office: Office, db: Database) -> None:
        booking = await insert_booking(db, office.desks[0], office.alice, *office_hours(days_ahead(3)))

        body = await node_as(graphql, encode_id("Booking", booking.id), None)

        assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]


class TestMalformedIds:
    @pytest.mark.parametrize(
        "ident",
        [
            "not base64 at all!",
            "",
            base64.b64encode(b"Booking:abc").decode(),
            base64.b64encode(b"Booking:99999999999").decode(),
            base64.b64encode(b"Booking:-1").decode(),
            base64.b64encode(b"Nonsense:1").decode(),
            base64.b64encode(b"no colon").decode(),
        ],
    )
    async def test_malformed_ids_find_nothing(self, graphql: GraphQL, office: Office, ident: str) -> None:
        assert await node_as(graphql, ident, office.admin.id) == {"data": {"node": None}}


class TestNodes:
    async def test_in_the_order_asked_with_nulls_where_node_would_be_null(
        self, graphql: GraphQL, office: Office, db: Database
    ) -> None:
        mine = await insert_booking(db, office.desks[0], office.alice, *office_hours(days_ahead(3)))
        theirs = await insert_booking(db, office.desks[1], office.bruno, *office_hours(days_ahead(3)))
        ids = [
            encode_id("Desk", office.desks[1].id),
            encode_id("Booking", theirs.id),
            encode_id("Booking", mine.id),
            "garbage",
            encode_id("Floor", office.floor.id),
            encode_id("Employee", office.amir.id),
            encode_id("OrgUnit", office.team_a1.id),
            encode_id("Desk", office.floor.id + 10_000),
        ]
        query = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }"

        body = await graphql(query, {"ids": ids}, as_employee=office.alice.id)

        assert body["data"]["nodes"] == [
            {"__typename": "Desk", "id": ids[0]},
            None,
            {"__typename": "Booking", "id": ids[2]},
            None,
            {"__typename": "Floor", "id": ids[4]},
            {"__typename": "Employee", "id": ids[5]},
            {"__typename": "OrgUnit", "id": ids[6]},
            None,
        ]

    async def test_at_most_100_ids(self, graphql: GraphQL, office: Office) -> None:
        ids = [encode_id("Desk", office.desks[0].id)] * 101

        body = await graphql(
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ids}, as_employee=office.alice.id
        )

        assert [e["extensions"] for e in body["errors"]] == [{"code": "TOO_MANY_IDS", "limit": 100, "value": 101}]

    async def test_a_desk_id_is_not_a_room(self, graphql: GraphQL, office: Office) -> None:
        as_room = encode_id("MeetingRoom", office.desks[0].id)
        assert await node_as(graphql, as_room, office.admin.id) == {"data": {"node": None}}


class TestPlacesNode:
    async def test_tokens_need_places_read(self, client: AsyncTestClient, office: Office, db: Database) -> None:
        ident = encode_id("Desk", office.desks[0].id)
        without = await issue_token(db, office.alice.id, Scope.BOOKINGS_READ)
        with_scope = await issue_token(db, office.alice.id, Scope.PLACES_READ)

        refused = await api(client, without, NODE, {"id": ident})
        answered = await api(client, with_scope, NODE, {"id": ident})

        assert [e["extensions"]["code"] for e in refused["errors"]] == ["INSUFFICIENT_SCOPE"]
        assert answered == {"data": {"node": {"__typename": "Desk", "id": ident}}}

    async def test_every_place_type(self, graphql: GraphQL, office: Office, factory: Factory) -> None:
        room = await factory.room(office.floor)
        for type_name, ident in [
            ("Site", office.site.id),
            ("Building", office.floor.building_id),
            ("Floor", office.floor.id),
            ("MeetingRoom", room.id),
        ]:
            body = await node_as(graphql, encode_id(type_name, ident), office.bruno.id)
            assert body["data"]["node"] == {"__typename": type_name, "id": encode_id(type_name, ident)}


TOKEN_NODE = "query($id: ID!) { node(id: $id) { __typename id ... on ApiToken { name } } }"


class TestOwnedNodes:
    async def test_an_api_token_to_its_owner_and_admins_only(
        self, graphql: GraphQL, client: AsyncTestClient, office: Office, runtime: Runtime
    ) -> None:
        await issue_token(runtime.db, office.alice.id, Scope.BOOKINGS_READ)
        async with runtime.db.read() as session:
            from sqlalchemy import select

            from smartoffice.identity.models import ApiToken

            token_id = await session.scalar(select(ApiToken.id).where(ApiToken.owner_id == office.alice.id))
        assert token_id is not None
        ident = encode_id("ApiToken", token_id)

        assert (await graphql(TOKEN_NODE, {"id": ident}, as_employee=office.alice.id))["data"]["node"]["name"]
        assert (await graphql(TOKEN_NODE, {"id": ident}, as_employee=office.admin.id))["data"]["node"]["name"]
        assert await graphql(TOKEN_NODE, {"id": ident}, as_employee=office.amir.id) == {"data": {"node": None}}
        secret = await issue_token(runtime.db, office.alice.id, Scope.BOOKINGS_READ)
        by_token = await api(client, secret, TOKEN_NODE, {"id": ident})
        assert [e["extensions"]["code"] for e in by_token["errors"]] == ["SESSIONS_ONLY"]

    async def test_a_webhook_subscription_to_its_owner_and_admins_only(self, graphql: GraphQL, office: Office) -> None:
        created = await graphql(
            "CreateWebhookSubscription",
            {"input": {"url": "http://127.0.0.1:9/hook", "eventKinds": ["CREATED"]}},
            as_employee=office.alice.id,
        )
        ident = created["data"]["createWebhookSubscription"]["subscription"]["id"]
        query = "query($id: ID!) { node(id: $id) { __typename id } }"

        assert (await graphql(query, {"id": ident}, as_employee=office.alice.id))["data"]["node"]["id"] == ident
        assert (await graphql(query, {"id": ident}, as_employee=office.admin.id))["data"]["node"]["id"] == ident
        assert await graphql(query, {"id": ident}, as_employee=office.bella.id) == {"data": {"node": None}}

    async def test_a_webhook_delivery_to_the_subscription_owner_and_admins_only(
        self, graphql: GraphQL, office: Office, db: Database
    ) -> None:
        from smartoffice.db import utcnow
        from smartoffice.integrations.models import BookingEvent, EventKind, WebhookDelivery, WebhookSubscription

        booking = await insert_booking(db, office.desks[0], office.alice, *office_hours(days_ahead(3)))
        async with db.write() as session:
            subscription = WebhookSubscription(
                owner_id=office.alice.id, url="http://127.0.0.1:9/hook", event_kinds=["created"], secret="s"
            )
            event = BookingEvent(
                kind=EventKind.CREATED,
                booking_id=booking.id,
                employee_id=office.alice.id,
                space_id=booking.space_id,
                payload={},
            )
            session.add_all([subscription, event])
            await session.flush()
            delivery = WebhookDelivery(event_id=event.id, subscription_id=subscription.id, next_attempt_at=utcnow())
            session.add(delivery)
        ident = encode_id("WebhookDelivery", delivery.id)
        query = "query($id: ID!) { node(id: $id) { __typename ... on WebhookDelivery { eventKind status } } }"

        seen = {"__typename": "WebhookDelivery", "eventKind": "CREATED", "status": "PENDING"}
        assert (await graphql(query, {"id": ident}, as_employee=office.alice.id))["data"]["node"] == seen
        assert (await graphql(query, {"id": ident}, as_employee=office.admin.id))["data"]["node"] == seen
        assert await graphql(query, {"id": ident}, as_employee=office.amir.id) == {"data": {"node": None}}


class TestExamples:
    async def test_node_and_nodes(self, graphql: GraphQL, office: Office, db: Database) -> None:
        booking = await insert_booking(db, office.desks[0], office.alice, *office_hours(days_ahead(3)))
        ids = [encode_id("Booking", booking.id), encode_id("Employee", office.alice.id)]

        node = await graphql("Node", {"id": ids[0]}, as_employee=office.alice.id)
        person = await graphql("Node", {"id": ids[1]}, as_employee=office.alice.id)
        nodes = await graphql("Nodes", {"ids": ids}, as_employee=office.bruno.id)

        assert node["data"]["node"]["desk"] == {"code": office.desks[0].code}
        assert person["data"]["node"]["nip"] == office.alice.nip
        assert nodes["data"]["nodes"] == [None, {"__typename": "Employee", "id": ids[1]}]
