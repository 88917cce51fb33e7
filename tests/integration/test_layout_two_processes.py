"""Layout changes reach every process: two servers (granian, as `smartoffice serve` runs them) share one database
and one Redis; a desk renamed and one added through the first server's GraphQL show on the second server's floor,
whose layout it had cached before (the layout version in Redis is bumped after the change commits)."""

from typing import Any

import httpx

from smartoffice.ids import encode_id
from smartoffice.settings import Settings
from tests.factories import Factory
from tests.support.live_server import serve_app
from tests.support.office import build_office

FLOOR_DESKS = "query($id: ID!) { floor(id: $id) { desks { id code } } }"
UPDATE = """mutation($input: UpdateSpaceInput!) { updateSpace(input: $input) { __typename } }"""
CREATE = """mutation($input: CreateDeskInput!) { createDesk(input: $input) { __typename } }"""


async def _graphql(base: str, document: str, variables: dict[str, Any], employee_id: int) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        response = await client.post(
            "/graphql",
            json={"query": document, "variables": variables},
            headers={"x-demo-employee": str(employee_id)},
        )
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return body["data"]


async def test_an_edit_through_one_process_shows_in_the_other(settings: Settings, factory: Factory) -> None:
    office = await build_office(factory, desks=2)
    floor_id = encode_id("Floor", office.floor.id)
    viewer, manager = office.alice.id, office.facilities_1.id

    async with serve_app(settings) as first, serve_app(settings) as second:
        # both processes read (and cache) the floor's layout
        for base in (first, second):
            desks = (await _graphql(base, FLOOR_DESKS, {"id": floor_id}, viewer))["floor"]["desks"]
            assert [d["code"] for d in desks] == ["A00", "A01"]

        # the facilities manager renames a desk and adds one through the first process
        rename = {"spaceId": encode_id("Desk", office.desks[0].id), "code": "A00-BARU"}
        renamed = await _graphql(first, UPDATE, {"input": rename}, manager)
        add = {"floorId": floor_id, "code": "A02", "x": 10, "y": 5}
        added = await _graphql(first, CREATE, {"input": add}, manager)
        assert renamed["updateSpace"]["__typename"] == added["createDesk"]["__typename"] == "SpacePayload"

        # the second process shows the new layout
        desks = (await _graphql(second, FLOOR_DESKS, {"id": floor_id}, viewer))["floor"]["desks"]
        assert [d["code"] for d in desks] == ["A00-BARU", "A01", "A02"]
