"""The hot reads are not N+1, and concurrent DataLoader batches never share a session (or its connection).

Statements are counted with a ``before_cursor_execute`` listener on the engine of the app under test (the runtime
its lifespan opened). Counted: every statement sent to the database. Not counted: SQLite's ``BEGIN`` (this
project emits it itself, see ``smartoffice.db``, so it passes through the cursor; PostgreSQL's driver begins
without a statement), as it is transaction control, not a query; it is reported apart.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import event

from smartoffice.db import Database
from smartoffice.ids import encode_id
from smartoffice.people.models import Employee
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.bookings import insert_booking
from tests.support.clock import days_ahead, office_hours
from tests.support.office import Office, build_office

FLOOR_OCCUPANTS = """
query($floorId: ID!, $date: Date!) {
  floor(id: $floorId) {
    availability(date: $date) {
      ... on FloorAvailability { desks { desk { id code } status bookings { occupant { name } } } }
    }
  }
}
"""


@dataclass
class Statements:
    queries: list[str] = field(default_factory=list)
    transaction_control: int = 0
    active: dict[int, str] = field(default_factory=dict)
    """Connections with a statement in flight, by id(connection)."""
    overlaps_on_one_connection: list[str] = field(default_factory=list)
    most_in_flight: int = 0
    connections: set[int] = field(default_factory=set)


@contextmanager
def recorded(runtime: Runtime) -> Iterator[Statements]:
    statements = Statements()
    engine = runtime.db.engine.sync_engine

    def before(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.strip().upper().startswith("BEGIN"):
            statements.transaction_control += 1
        else:
            statements.queries.append(statement)
        key = id(conn.connection.dbapi_connection)
        if key in statements.active:
            statements.overlaps_on_one_connection.append(statement)
        statements.active[key] = statement
        statements.connections.add(key)
        statements.most_in_flight = max(statements.most_in_flight, len(statements.active))

    def after(conn: Any, *_args: Any) -> None:
        statements.active.pop(id(conn.connection.dbapi_connection), None)

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def app_runtime(client: AsyncTestClient) -> Runtime:
    runtime: Runtime = client.app.state.runtime
    return runtime


@dataclass
class BusyFloor:
    office: Office
    occupants: list[Employee]


@pytest.fixture
async def busy_floor(factory: Factory, db: Database) -> BusyFloor:
    """90 desks, 80 of them booked on the day by 80 different people spread over the office's units."""
    office = await build_office(factory, desks=90)
    units = [office.team_a1, office.team_a2, office.directorate_b]
    occupants = []
    for n, desk in enumerate(office.desks[:80]):
        person = await factory.employee(units[n % 3], name=f"Pegawai Lantai {n}", share_presence=n % 10 == 0)
        await insert_booking(db, desk, person, *office_hours(days_ahead(3)))
        occupants.append(person)
    return BusyFloor(office, occupants)


async def post(client: AsyncTestClient, query: str, variables: dict[str, Any], viewer: int) -> dict[str, Any]:
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers={"x-demo-employee": str(viewer)}
    )
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return body


class TestFloorWithOccupants:
    async def test_90_desks_their_bookings_and_occupants_in_at_most_10_queries(
        self, client: AsyncTestClient, busy_floor: BusyFloor
    ) -> None:
        office = busy_floor.office
        variables = {"floorId": encode_id("Floor", office.floor.id), "date": days_ahead(3).isoformat()}

        runtime = app_runtime(client)
        runtime.layouts.clear()  # everything cold: the floor layout (a per-process cache) and the Redis index
        with recorded(runtime) as cold:
            body = await post(client, FLOOR_OCCUPANTS, variables, office.alice.id)
        with recorded(runtime) as warm:
            await post(client, FLOOR_OCCUPANTS, variables, office.alice.id)

        desks = body["data"]["floor"]["availability"]["desks"]
        assert len(desks) == 90
        names = [b["occupant"]["name"] for d in desks for b in d["bookings"]]
        assert len(names) == 80
        # alice (team A1) sees her team's names and those who opted in, no one else's
        expected = [
            p.name if p.org_unit_id == office.team_a1.id or p.share_presence else None for p in busy_floor.occupants
        ]
        assert names == expected
        print(
            f"\nstatements: {len(cold.queries)} cold, {len(warm.queries)} warm "
            f"(+{cold.transaction_control}/{warm.transaction_control} BEGIN on SQLite)"
        )
        # each request first checks its demo identity (is the person still here?): cold, the process loads who is
        # present (one read of the active people's ids, ``people/present.py``), warm it asks that set; cold: the
        # floor layout (floor with building and sibling floors, zones, spaces), the floor-day from SQL, what makes
        # desks unavailable that day (the desk rule, the calendar's overrides, the closures, whether a seat quota
        # covers the floor: cached beside the layout), then the bookings with their occupants' visible names
        assert len(cold.queries) <= 10, "\n".join(q[:100] for q in cold.queries)
        assert len(cold.queries) == 10
        # warm: the layout and the floor-day's closures/rule/calendar from this process's cache, the floor-day from
        # the index (no quota covers the floor: no standing to read), the demo identity from the present people
        # (issue 17: no longer a primary-key read per request); only the bookings with occupants
        assert len(warm.queries) == 1, "\n".join(q[:100] for q in warm.queries)


CONCURRENT = """
query($floorId: ID!, $date: Date!, $deskId: ID!, $personId: ID!, $unitId: ID!) {
  viewer { nip unit { name } }
  desk: node(id: $deskId) { id }
  person: node(id: $personId) { ... on Employee { nip name } }
  unit: node(id: $unitId) { id }
  both: nodes(ids: [$deskId, $personId, $unitId]) { id }
  floor(id: $floorId) {
    building { name }
    availability(date: $date) {
      ... on FloorAvailability { desks { bookings { occupant { name employee { nip unit { name } } } } } }
    }
  }
  mine: bookings(first: 5) { __typename }
  sites { buildings { floors { id } } }
}
"""


class TestConcurrentLoaders:
    async def test_sibling_batches_run_at_once_each_on_its_own_connection(
        self, client: AsyncTestClient, busy_floor: BusyFloor
    ) -> None:
        office = busy_floor.office
        variables = {
            "floorId": encode_id("Floor", office.floor.id),
            "date": days_ahead(3).isoformat(),
            "deskId": encode_id("Desk", office.desks[0].id),
            "personId": encode_id("Employee", office.alice.id),
            "unitId": encode_id("OrgUnit", office.team_a1.id),
        }

        with recorded(app_runtime(client)) as statements:
            body = await post(client, CONCURRENT, variables, office.manager_a.id)

        assert body["data"]["person"]["nip"] == office.alice.nip
        assert statements.overlaps_on_one_connection == []
        assert statements.most_in_flight >= 2  # the batches really did run concurrently...
        assert len(statements.connections) >= 2  # ...each in its own session and connection
