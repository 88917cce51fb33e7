"""createClosure / endClosure / closures over GraphQL (the rules themselves: tests/integration/test_closures.py)."""

from datetime import UTC, datetime, time, timedelta
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import select

from smartoffice.bookings.models import Booking, BookingStatus
from smartoffice.identity.scopes import Scope
from smartoffice.ids import encode_id
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.auth import bearer, issue_token
from tests.support.bookings import insert_booking
from tests.support.clock import WITA, days_ahead
from tests.support.graphql import GraphQL, operation
from tests.support.office import Office, build_office

REASON = "Pengasapan nyamuk"
CLOSURES = """
query Closures($placeId: ID, $from: DateTime, $to: DateTime) {
  closures(placeId: $placeId, from: $from, to: $to) {
    id reason startsAt endsAt place { id level name } createdBy { name }
  }
}
"""


def _local(hour: int, days: int = 2) -> datetime:
    return datetime.combine(days_ahead(days), time(hour), WITA).astimezone(UTC)


def _input(place_id: str, *, reason: str = REASON, dry_run: bool = False, days: int = 2) -> dict[str, Any]:
    return {
        "input": {
            "placeId": place_id,
            "startsAt": _local(0, days).isoformat(),
            "endsAt": (_local(0, days) + timedelta(days=1)).isoformat(),
            "reason": reason,
            "dryRun": dry_run,
        }
    }


async def run(graphql: GraphQL, name: str, variables: dict[str, Any], as_employee: int) -> Any:
    body = await graphql(name, variables, as_employee=as_employee)
    assert "errors" not in body, body
    (result,) = body["data"].values()
    return result


async def _office_with_booking(factory: Factory, runtime: Runtime) -> tuple[Office, Booking]:
    office = await build_office(factory)
    booking = await insert_booking(runtime.db, office.desks[0], office.alice, _local(8), _local(17))
    return office, booking


async def _status(runtime: Runtime, booking: Booking) -> tuple[BookingStatus, str | None]:
    async with runtime.db.read() as session:
        row = await session.scalar(select(Booking).where(Booking.id == booking.id))
    assert row is not None
    return row.status, row.cancel_reason


async def test_dry_run_then_close_list_and_end(graphql: GraphQL, factory: Factory, runtime: Runtime) -> None:
    office, booking = await _office_with_booking(factory, runtime)
    floor_id = encode_id("Floor", office.floor.id)

    dry = await run(graphql, "CreateClosure", _input(floor_id, dry_run=True), office.facilities_1.id)
    status_after_dry_run = await _status(runtime, booking)
    created = await run(graphql, "CreateClosure", _input(floor_id), office.facilities_1.id)
    listed = await run(graphql, CLOSURES, {"placeId": floor_id}, office.facilities_1.id)
    closure_id = created["closure"]["id"]
    ended = await run(graphql, "EndClosure", {"input": {"closureId": closure_id}}, office.facilities_1.id)

    assert dry["__typename"] == "ClosurePayload" and dry["dryRun"] is True and dry["closure"] is None
    assert [b["employee"]["name"] for b in dry["cancelledBookings"]] == ["Alice Anggraini"]
    assert status_after_dry_run == (BookingStatus.BOOKED, None)
    assert created["closure"]["place"] == {
        "id": floor_id,
        "level": "FLOOR",
        "name": created["closure"]["place"]["name"],
    }
    assert created["cancelledBookings"][0]["bookingId"] == encode_id("Booking", booking.id)
    assert await _status(runtime, booking) == (BookingStatus.CANCELLED, REASON)
    assert [(c["id"], c["reason"], c["createdBy"]["name"]) for c in listed] == [
        (closure_id, REASON, "Fajar Facilities")
    ]
    assert ended == {
        "__typename": "EndClosurePayload",
        "deleted": True,  # it had not started
        "closure": {
            "id": closure_id,
            "startsAt": created["closure"]["startsAt"],
            "endsAt": created["closure"]["endsAt"],
            "reason": REASON,
        },
    }
    assert await run(graphql, CLOSURES, {"placeId": floor_id}, office.facilities_1.id) == []


async def test_refusals_are_result_members(graphql: GraphQL, factory: Factory, runtime: Runtime) -> None:
    office, booking = await _office_with_booking(factory, runtime)
    floor_id = encode_id("Floor", office.floor.id)

    no_reason = await run(graphql, "CreateClosure", _input(floor_id, reason=" "), office.admin.id)
    other_site = await run(graphql, "CreateClosure", _input(floor_id), office.facilities_2.id)
    bad_id = await run(graphql, "CreateClosure", _input(encode_id("Employee", 1)), office.admin.id)
    missing = await run(graphql, "EndClosure", {"input": {"closureId": encode_id("Closure", 999)}}, office.admin.id)

    assert (no_reason["__typename"], no_reason["code"], no_reason["field"]) == (
        "ValidationError",
        "CLOSURE_REASON_REQUIRED",
        "reason",
    )
    assert (other_site["__typename"], other_site["code"]) == ("PermissionDeniedError", "NOT_A_FACILITIES_MANAGER")
    assert (bad_id["__typename"], bad_id["code"], bad_id["field"]) == ("ValidationError", "INVALID_ID", "placeId")
    assert missing["__typename"] == "NotFoundError"
    assert await _status(runtime, booking) == (BookingStatus.BOOKED, None)


async def test_another_sites_manager_lists_nothing(graphql: GraphQL, factory: Factory, runtime: Runtime) -> None:
    office, _booking = await _office_with_booking(factory, runtime)
    await run(graphql, "CreateClosure", _input(encode_id("Site", office.site.id)), office.admin.id)

    assert len(await run(graphql, CLOSURES, {}, office.facilities_1.id)) == 1
    assert await run(graphql, CLOSURES, {}, office.facilities_2.id) == []


async def test_tokens_need_places_write(client: AsyncTestClient, factory: Factory, runtime: Runtime) -> None:
    office, booking = await _office_with_booking(factory, runtime)
    variables = _input(encode_id("Desk", office.desks[0].id))
    read_only = await issue_token(runtime.db, office.facilities_1.id, Scope.PLACES_READ)
    writer = await issue_token(runtime.db, office.facilities_1.id, Scope.PLACES_WRITE, Scope.PEOPLE_READ_NAMES)

    refused = await client.post(
        "/api/graphql", json={"query": operation("CreateClosure"), "variables": variables}, headers=bearer(read_only)
    )
    created = await client.post(
        "/api/graphql", json={"query": operation("CreateClosure"), "variables": variables}, headers=bearer(writer)
    )

    assert [e["extensions"]["code"] for e in refused.json()["errors"]] == ["INSUFFICIENT_SCOPE"]
    assert created.json()["data"]["createClosure"]["closure"]["place"]["level"] == "SPACE"
    assert await _status(runtime, booking) == (BookingStatus.CANCELLED, REASON)


async def test_listed_within_a_window(graphql: GraphQL, factory: Factory, runtime: Runtime) -> None:
    office, _booking = await _office_with_booking(factory, runtime)
    floor_id = encode_id("Floor", office.floor.id)
    await run(graphql, "CreateClosure", _input(floor_id, days=2), office.admin.id)
    later = await run(graphql, "CreateClosure", _input(floor_id, reason="Nanti", days=5), office.admin.id)

    window = {"from": _local(0, 4).isoformat(), "to": _local(0, 6).isoformat()}
    found = await run(graphql, CLOSURES, window, office.admin.id)

    assert [c["id"] for c in found] == [later["closure"]["id"]]


async def test_a_closure_is_a_node_for_the_managers_of_its_site(
    graphql: GraphQL, factory: Factory, runtime: Runtime
) -> None:
    office = await build_office(factory)
    created = await run(graphql, "CreateClosure", _input(encode_id("Floor", office.floor.id)), office.facilities_1.id)
    node = "query($id: ID!) { node(id: $id) { __typename ... on Closure { reason } } }"
    closure_id = created["closure"]["id"]

    mine = await graphql(node, {"id": closure_id}, as_employee=office.facilities_1.id)
    other = await graphql(node, {"id": closure_id}, as_employee=office.facilities_2.id)

    assert mine["data"]["node"] == {"__typename": "Closure", "reason": REASON}
    assert other["data"]["node"] is None
