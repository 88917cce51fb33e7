"""The API's security regressions (issue 5): limits, the two front doors, production mode, scopes, and objects
that belong to someone else. Everything goes through the real ASGI app."""

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from smartoffice.identity.scopes import Scope
from smartoffice.identity.sessions import SESSION_COOKIE
from smartoffice.ids import encode_id
from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from tests.factories import Factory
from tests.support.apps import client_for
from tests.support.auth import bearer, issue_token, login_session
from tests.support.clock import tomorrow
from tests.support.graphql import operation

API = "/api/graphql"
VIEWER_NAME = "{ viewer { id name } }"
INTROSPECTION = "{ __schema { queryType { name } } }"


def codes(body: dict[str, Any]) -> list[str]:
    return [e.get("extensions", {}).get("code") for e in body.get("errors", [])]


async def post(client: AsyncTestClient, path: str, query: str, headers: dict[str, str] | None = None, **kw: Any) -> Any:
    return await client.post(path, json={"query": query, "variables": kw.get("variables", {})}, headers=headers or {})


@pytest.fixture
async def production(settings: Settings, runtime: Runtime) -> AsyncIterator[AsyncTestClient]:
    """The app as deployed: neither debug nor demo mode."""
    async with client_for(replace(settings, demo_mode=False, debug=False)) as client:
        yield client


class TestLimits:
    async def test_too_deep_is_refused(self, client: AsyncTestClient) -> None:
        deep = "{ sites { buildings { floors { desks { floor { building { floors { rooms { floor { building { floors { id } } } } } } } } } } } }"  # noqa: E501

        body = (await post(client, "/graphql", deep)).json()

        assert "data" not in body or body["data"] is None
        assert "MAX_DEPTH_EXCEEDED" in codes(body)
        assert "nested deeper than 10 levels" in body["errors"][codes(body).index("MAX_DEPTH_EXCEEDED")]["message"]

    async def test_aliases_are_counted_through_fragments(self, client: AsyncTestClient) -> None:
        aliases = " ".join(f"a{n}: __typename" for n in range(11))  # 11 in the fragment, spread twice: 22
        document = f"query Twice {{ ...F ...F }} fragment F on Query {{ {aliases} }}"
        one_spread = f"query Once {{ ...F }} fragment F on Query {{ {aliases} }}"

        body = (await post(client, "/graphql", document)).json()

        assert codes(body) == ["MAX_ALIASES_EXCEEDED"]
        assert body["errors"][0]["message"] == "'Twice' uses 22 aliases; at most 20 are allowed."
        assert (await post(client, "/graphql", one_spread)).json()["data"]["a0"] == "Query"

    async def test_too_many_tokens_is_refused_by_the_parser(self, client: AsyncTestClient) -> None:
        document = "{ " + " ".join("__typename" for _ in range(2100)) + " }"

        body = (await post(client, "/graphql", document)).json()

        assert "Document contains more than 2000 tokens" in body["errors"][0]["message"]

    async def test_over_the_cost_budget_is_refused(self, client: AsyncTestClient) -> None:
        # sites 1 + 10 × (buildings 1 + 10 × (floors 1 + 10 × (desks 1 + 10 × 2))) = 21,111 > 5,000
        document = "{ sites { buildings { floors { desks { id code } } } } }"

        body = (await post(client, "/graphql", document)).json()

        assert codes(body) == ["COST_BUDGET_EXCEEDED"]
        assert body["errors"][0]["extensions"]["cost"] == 21_111
        assert body["errors"][0]["message"].startswith("The operation costs 21111, over the budget of 5000")

    async def test_a_token_carries_its_own_budget(self, client: AsyncTestClient, factory: Factory, db: Any) -> None:
        owner = await factory.employee()
        small = await issue_token(db, owner.id, Scope.PLACES_READ, cost_budget=100)
        default = await issue_token(db, owner.id, Scope.PLACES_READ)
        sites = operation("Sites")  # costs 3,741

        refused = (await post(client, API, sites, bearer(small))).json()
        answered = (await post(client, API, sites, bearer(default))).json()

        assert codes(refused) == ["COST_BUDGET_EXCEEDED"]
        assert answered == {"data": {"sites": []}}

    async def test_no_field_suggestions(self, client: AsyncTestClient) -> None:
        body = (await post(client, "/graphql", "{ sitez { id } }")).json()

        assert body["errors"][0]["message"] == "Cannot query field 'sitez' on type 'Query'."


class TestProductionMode:
    async def test_introspection_is_off(self, production: AsyncTestClient, factory: Factory, db: Any) -> None:
        owner = await factory.employee()
        plain = await issue_token(db, owner.id, Scope.PLACES_READ)

        anonymous = (await post(production, "/graphql", INTROSPECTION)).json()
        token = (await post(production, API, INTROSPECTION, bearer(plain))).json()

        assert "introspection has been disabled" in anonymous["errors"][0]["message"]
        assert "introspection has been disabled" in token["errors"][0]["message"]
        assert (await post(production, "/graphql", "{ __typename }")).json() == {"data": {"__typename": "Query"}}

    async def test_a_token_with_admin_introspection_may(
        self, production: AsyncTestClient, factory: Factory, db: Any
    ) -> None:
        owner = await factory.employee()
        admin = await issue_token(db, owner.id, Scope.ADMIN_INTROSPECTION)

        body = (await post(production, API, INTROSPECTION, bearer(admin))).json()

        assert body == {"data": {"__schema": {"queryType": {"name": "Query"}}}}

    async def test_no_graphiql(self, production: AsyncTestClient, client: AsyncTestClient) -> None:
        assert (await production.get("/graphql", headers={"accept": "text/html"})).status_code == 405
        assert "graphiql" in (await client.get("/graphql", headers={"accept": "text/html"})).text.lower()

    async def test_the_demo_identity_is_refused(
        self, production: AsyncTestClient, factory: Factory, runtime: Runtime
    ) -> None:
        person = await factory.employee()

        header = await post(production, "/graphql", VIEWER_NAME, {"x-demo-employee": str(person.id)})
        picker = await production.post("/identity", data={"employee_id": str(person.id)})

        assert header.status_code == 400
        assert codes(header.json()) == ["DEMO_MODE_OFF"]
        assert picker.status_code in (403, 404)  # no CSRF token, and no picker anyway
        await production.get("/")
        token = production.cookies["csrftoken"]
        picker = await production.post("/identity", data={"employee_id": str(person.id), "_csrf_token": token})
        assert picker.status_code == 404


class TestFrontDoors:
    async def test_no_mutation_over_get(self, client: AsyncTestClient, factory: Factory, db: Any) -> None:
        desk, person = await factory.desk(), await factory.employee()
        mutation = (
            f'mutation {{ bookDesk(input: {{deskId: "{encode_id("Desk", desk.id)}", date: "{tomorrow()}"}}) '
            "{ __typename } }"
        )
        secret = await issue_token(db, person.id, Scope.BOOKINGS_WRITE_SELF, Scope.BOOKINGS_READ)

        browser = await client.get("/graphql", params={"query": mutation}, headers={"x-demo-employee": str(person.id)})
        api = await client.get(API, params={"query": mutation}, headers=bearer(secret))

        assert browser.status_code != 200
        assert api.status_code == 405
        mine = await post(client, API, "{ myBookings { edges { node { id } } } }", bearer(secret))
        assert mine.json() == {"data": {"myBookings": {"edges": []}}}

    async def test_get_is_405_except_graphiql_for_a_browser_outside_production(
        self, client: AsyncTestClient, production: AsyncTestClient, factory: Factory, db: Any
    ) -> None:
        person = await factory.employee()
        secret = await issue_token(db, person.id, Scope.BOOKINGS_READ)
        query = {"query": "{ __typename }"}

        refused = {
            "a query in the URL": await client.get("/graphql", params=query),
            "asking for JSON": await client.get("/graphql", headers={"accept": "application/json"}),
            "no Accept (curl)": await client.get("/graphql"),
            "a browser with a query": await client.get("/graphql", params=query, headers={"accept": "text/html"}),
            "an app, with its token": await client.get(API, params=query, headers=bearer(secret)),
            "an app, a browser's Accept": await client.get(API, headers={"accept": "text/html"}),
            "in production": await production.get("/graphql", params=query),
            "a browser in production": await production.get("/graphql", headers={"accept": "text/html"}),
        }
        graphiql = await client.get("/graphql", headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"})

        for case, answer in refused.items():
            assert (answer.status_code, answer.headers.get("allow")) == (405, "POST"), case
            assert answer.json() == {
                "errors": [
                    {
                        "message": "GraphQL operations are sent as POST with a JSON body; GET is not supported.",
                        "extensions": {"code": "METHOD_NOT_ALLOWED"},
                    }
                ]
            }, case
        assert graphiql.status_code == 200
        assert "<title>GraphiQL" in graphiql.text

    async def test_text_plain_post_is_refused(self, client: AsyncTestClient, factory: Factory, db: Any) -> None:
        person = await factory.employee()
        secret = await issue_token(db, person.id, Scope.BOOKINGS_READ)
        body = '{"query": "{ __typename }"}'

        browser = await client.post("/graphql", content=body, headers={"content-type": "text/plain"})
        api = await client.post(API, content=body, headers={"content-type": "text/plain", **bearer(secret)})
        form = await client.post("/graphql", data={"query": "{ __typename }"})

        assert (browser.status_code, api.status_code, form.status_code) == (415, 415, 415)
        assert codes(browser.json()) == ["UNSUPPORTED_MEDIA_TYPE"]

    async def test_a_cookie_post_without_csrf_token_is_refused(
        self, client: AsyncTestClient, factory: Factory, runtime: Runtime
    ) -> None:
        person = await factory.employee(name="Siti Rahmawati")
        await client.get("/")  # litestar sets the csrftoken cookie on a page
        client.cookies.set(SESSION_COOKIE, await login_session(runtime, person.id))

        without = await post(client, "/graphql", VIEWER_NAME)
        wrong = await post(client, "/graphql", VIEWER_NAME, {"x-csrftoken": "0" * 128})
        right = await post(client, "/graphql", VIEWER_NAME, {"x-csrftoken": client.cookies["csrftoken"]})

        assert (without.status_code, wrong.status_code) == (403, 403)
        assert codes(without.json()) == ["CSRF_FAILED"]
        assert right.json() == {"data": {"viewer": {"id": encode_id("Employee", person.id), "name": "Siti Rahmawati"}}}

    async def test_the_session_cookie_is_refused_on_the_api(
        self, client: AsyncTestClient, factory: Factory, runtime: Runtime
    ) -> None:
        person = await factory.employee()
        secret = await issue_token(runtime.db, person.id, Scope.PEOPLE_READ_NAMES)
        client.cookies.set(SESSION_COOKIE, await login_session(runtime, person.id))

        response = await post(client, API, VIEWER_NAME, bearer(secret))

        assert response.status_code == 400
        assert codes(response.json()) == ["SESSION_COOKIE_REJECTED"]

    async def test_the_api_takes_tokens_only(self, client: AsyncTestClient, factory: Factory, db: Any) -> None:
        person = await factory.employee()
        secret = await issue_token(db, person.id, Scope.PEOPLE_READ_NAMES)

        nothing = await post(client, API, VIEWER_NAME)
        forged = await post(client, API, VIEWER_NAME, bearer(secret[:-4] + "AAAA"))
        demo = await post(client, API, VIEWER_NAME, {"x-demo-employee": str(person.id)})
        token_on_browser_door = await post(client, "/graphql", VIEWER_NAME, bearer(secret))

        assert (nothing.status_code, forged.status_code) == (401, 401)
        assert nothing.headers["www-authenticate"].startswith("Bearer")
        assert demo.status_code == 400
        assert codes(token_on_browser_door.json()) == ["USE_API_ENDPOINT"]


class TestScopes:
    async def test_a_token_without_the_names_scope_cannot_read_names(
        self, client: AsyncTestClient, factory: Factory, db: Any
    ) -> None:
        person = await factory.employee(name="Siti Rahmawati")
        without = await issue_token(db, person.id, Scope.BOOKINGS_READ)
        with_names = await issue_token(db, person.id, Scope.PEOPLE_READ_NAMES)

        refused = (await post(client, API, VIEWER_NAME, bearer(without))).json()
        allowed = (await post(client, API, VIEWER_NAME, bearer(with_names))).json()

        assert refused["data"] == {"viewer": None}
        assert codes(refused) == ["INSUFFICIENT_SCOPE"]
        assert refused["errors"][0]["extensions"]["scope"] == "people:read:names"
        assert refused["errors"][0]["message"] == "This app token lacks the people:read:names scope"
        assert allowed == {"data": {"viewer": {"id": encode_id("Employee", person.id), "name": "Siti Rahmawati"}}}

    async def test_a_token_without_bookings_read_cannot_read_bookings(
        self, client: AsyncTestClient, factory: Factory, db: Any
    ) -> None:
        person = await factory.employee()
        secret = await issue_token(db, person.id, Scope.BOOKINGS_WRITE_SELF)

        body = (await post(client, API, operation("MyBookings"), bearer(secret), variables={"first": 5})).json()

        assert body["data"] is None
        assert codes(body) == ["INSUFFICIENT_SCOPE"]

    async def test_writing_for_someone_else_needs_write_any(
        self, client: AsyncTestClient, factory: Factory, db: Any
    ) -> None:
        desk, manager, member = await factory.desk(), await factory.employee(), await factory.employee()
        secret = await issue_token(db, manager.id, Scope.BOOKINGS_WRITE_SELF)
        variables = {
            "input": {
                "deskId": encode_id("Desk", desk.id),
                "date": tomorrow().isoformat(),
                "forEmployeeId": encode_id("Employee", member.id),
            }
        }

        body = (await post(client, API, operation("BookDesk"), bearer(secret), variables=variables)).json()

        assert codes(body) == ["INSUFFICIENT_SCOPE"]
        assert body["errors"][0]["extensions"]["scope"] == "bookings:write:any"


class TestSomeoneElsesBooking:
    async def test_cannot_be_read_or_cancelled(self, client: AsyncTestClient, factory: Factory, db: Any) -> None:
        desk, owner, other = await factory.desk(), await factory.employee(), await factory.employee()
        owner_token = await issue_token(db, owner.id, Scope.BOOKINGS_WRITE_SELF, Scope.BOOKINGS_READ)
        other_token = await issue_token(
            db, other.id, Scope.BOOKINGS_WRITE_SELF, Scope.BOOKINGS_WRITE_ANY, Scope.BOOKINGS_READ
        )
        variables = {"input": {"deskId": encode_id("Desk", desk.id), "date": tomorrow().isoformat()}}
        booked = (await post(client, API, operation("BookDesk"), bearer(owner_token), variables=variables)).json()
        booking_id = booked["data"]["bookDesk"]["booking"]["id"]
        cancel = {"input": {"bookingId": booking_id}}

        seen = (await post(client, API, operation("MyBookings"), bearer(other_token), variables={"first": 5})).json()
        by_token = (await post(client, API, operation("CancelBooking"), bearer(other_token), variables=cancel)).json()
        by_person = (
            await post(
                client, "/graphql", operation("CancelBooking"), {"x-demo-employee": str(other.id)}, variables=cancel
            )
        ).json()

        assert seen["data"]["myBookings"]["edges"] == []
        # Issue 10: not PermissionDeniedError, which told a write:any token that the booking exists (write:self got
        # NotFoundError): someone else's booking you may not touch is answered as one that does not exist.
        assert by_token["data"]["cancelBooking"]["__typename"] == "NotFoundError"
        assert by_person["data"]["cancelBooking"]["__typename"] == "NotFoundError"
        mine = (await post(client, API, operation("MyBookings"), bearer(owner_token), variables={"first": 5})).json()
        assert [e["node"]["id"] for e in mine["data"]["myBookings"]["edges"]] == [booking_id]


class TestWebSocket:
    @pytest.mark.parametrize("path", ["/graphql", API])
    async def test_no_websocket_rides_on_the_http_doors(
        self, client: AsyncTestClient, factory: Factory, runtime: Runtime, path: str
    ) -> None:
        # Browsers send cookies on a cross-site WebSocket handshake: subscriptions live at /graphql/ws instead.
        session_id = await login_session(runtime, (await factory.employee()).id)
        scope = {
            "type": "websocket",
            "asgi": {"version": "3.0"},
            "path": path,
            "raw_path": path.encode(),
            "root_path": "",
            "scheme": "ws",
            "query_string": b"",
            "server": ("testserver.local", 80),
            "client": ("127.0.0.1", 1234),
            "subprotocols": ["graphql-transport-ws"],
            "headers": [
                (b"host", b"testserver.local"),
                (b"origin", b"https://evil.example"),
                (b"cookie", f"{SESSION_COOKIE}={session_id}".encode()),
            ],
        }
        incoming = [{"type": "websocket.connect"}, {"type": "websocket.disconnect", "code": 1000}]
        sent: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return incoming.pop(0) if incoming else {"type": "websocket.disconnect", "code": 1000}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        await client.app(scope, receive, send)  # type: ignore[arg-type]

        assert sent and sent[0]["type"] == "websocket.close"
        assert not any(m["type"] == "websocket.accept" for m in sent)
