"""The places mutations over GraphQL: each one's happy path and a typed error; dry runs list the bookings a change
would cancel (the rules themselves: tests/integration/test_places_editing.py)."""

from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from smartoffice.audit.models import AuditEntry
from smartoffice.db import Database
from smartoffice.identity.scopes import Scope
from smartoffice.ids import encode_id
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.auth import bearer, issue_token
from tests.support.bookings import insert_booking
from tests.support.clock import WITA, days_ahead
from tests.support.graphql import GraphQL, operation
from tests.support.office import Office, build_office

HOURS = [{"weekday": d, "opens": "07:00", "closes": "17:00"} for d in range(1, 6)]


@pytest.fixture
async def office(factory: Factory) -> Office:
    return await build_office(factory)


async def run(graphql: GraphQL, name: str, values: dict[str, Any], as_employee: int) -> Any:
    body = await graphql(name, {"input": values}, as_employee=as_employee)
    assert "errors" not in body, body
    (result,) = body["data"].values()
    return result


def gid(kind: str, ident: int) -> str:
    return encode_id(kind, ident)


async def test_create_and_update_a_site_as_an_administrator(graphql: GraphQL, office: Office) -> None:
    created = await run(graphql, "CreateSite", {"code": "KIPP", "name": "KIPP Nusantara"}, office.admin.id)
    site_id = created["site"]["id"]
    updated = await run(graphql, "UpdateSite", {"siteId": site_id, "name": "KIPP IKN"}, office.admin.id)
    refused = await run(graphql, "CreateSite", {"code": "X", "name": "x"}, office.facilities_1.id)

    assert created["__typename"] == "SitePayload" and created["site"]["code"] == "KIPP"
    assert updated["site"] == {"id": site_id, "code": "KIPP", "name": "KIPP IKN"}
    assert (refused["__typename"], refused["code"]) == ("PermissionDeniedError", "ADMINS_ONLY")


async def test_retire_a_site(graphql: GraphQL, office: Office) -> None:
    retired = await run(graphql, "RetireSite", {"id": gid("Site", office.site.id)}, office.admin.id)
    again = await run(graphql, "RetireSite", {"id": gid("Site", office.site.id)}, office.admin.id)
    assert (retired["__typename"], retired["applied"]) == ("RetirePayload", True)
    assert (again["__typename"], again["code"], again["field"]) == ("ValidationError", "PLACE_IS_RETIRED", "id")


async def test_create_update_and_retire_a_building(graphql: GraphQL, office: Office) -> None:
    values = {"siteId": gid("Site", office.site.id), "code": "T2", "name": "Tower 2", "timeZone": "Asia/Makassar"}
    created = await run(graphql, "CreateBuilding", {**values, "openingHours": HOURS}, office.facilities_1.id)
    building_id = created["building"]["id"]
    updated = await run(
        graphql,
        "UpdateBuilding",
        {"buildingId": building_id, "openingHours": HOURS[:1], "name": "Menara 2"},
        office.facilities_1.id,
    )
    bad = await run(
        graphql,
        "CreateBuilding",
        {**values, "code": "T3", "timeZone": "Mars/Olympus", "openingHours": HOURS},
        office.facilities_1.id,
    )
    other = await run(graphql, "CreateBuilding", {**values, "openingHours": HOURS}, office.facilities_2.id)
    retired = await run(graphql, "RetireBuilding", {"id": building_id}, office.facilities_1.id)

    assert created["building"]["openingHours"][0] == {"weekday": 1, "opens": "07:00:00", "closes": "17:00:00"}
    assert created["building"]["opensAt"] == "07:00:00"
    assert updated["building"]["name"] == "Menara 2" and len(updated["building"]["openingHours"]) == 1
    assert (bad["code"], bad["field"]) == ("PLACE_TIME_ZONE_UNKNOWN", "timeZone")
    assert (other["__typename"], other["code"]) == ("PermissionDeniedError", "NOT_A_FACILITIES_MANAGER")
    assert retired["applied"] is True


async def test_create_update_and_retire_a_floor_and_a_zone(graphql: GraphQL, office: Office) -> None:
    actor = office.facilities_1.id
    floor = await run(
        graphql,
        "CreateFloor",
        {
            "buildingId": gid("Building", office.floor.building_id),
            "level": 7,
            "name": "Lantai 7",
            "width": 30,
            "height": 20,
        },
        actor,
    )
    floor_id = floor["floor"]["id"]
    taken = await run(
        graphql,
        "CreateFloor",
        {"buildingId": gid("Building", office.floor.building_id), "level": 7, "name": "x", "width": 9, "height": 9},
        actor,
    )
    renamed = await run(graphql, "UpdateFloor", {"floorId": floor_id, "name": "Lantai Tujuh"}, actor)
    zone = await run(
        graphql,
        "CreateZone",
        {"floorId": floor_id, "code": "Z1", "name": "Biro Umum", "orgUnitId": gid("OrgUnit", office.team_a1.id)},
        actor,
    )
    zone_id = zone["zone"]["id"]
    moved = await run(graphql, "UpdateZone", {"zoneId": zone_id, "orgUnitId": None, "width": 10}, actor)
    outside = await run(graphql, "UpdateZone", {"zoneId": zone_id, "x": 29}, actor)
    retired_zone = await run(graphql, "RetireZone", {"id": zone_id}, actor)
    retired_floor = await run(graphql, "RetireFloor", {"id": floor_id}, actor)

    assert (taken["code"], taken["field"]) == ("PLACE_LEVEL_TAKEN", "level")
    assert renamed["floor"]["name"] == "Lantai Tujuh"
    assert zone["zone"]["orgUnit"]["name"] == office.team_a1.name and zone["zone"]["floor"]["id"] == floor_id
    assert moved["zone"]["orgUnit"] is None
    assert (outside["code"], outside["field"]) == ("PLACE_OUTSIDE_FLOOR", "x")
    assert retired_zone["applied"] and retired_floor["applied"]


async def test_create_a_desk_and_a_room_and_see_them_on_the_floor(
    graphql: GraphQL, factory: Factory, office: Office
) -> None:
    actor = office.facilities_1.id
    floor_id = gid("Floor", office.floor.id)
    zone = await factory.zone(office.floor, code="ZA")
    desk = await run(
        graphql,
        "CreateDesk",
        {
            "floorId": floor_id,
            "code": "N-1",
            "x": 2,
            "y": 2,
            "amenities": ["MONITOR"],
            "zoneId": gid("Zone", zone.id),
            "assignedToId": gid("Employee", office.alice.id),
        },
        actor,
    )
    room = await run(
        graphql,
        "CreateRoom",
        {
            "floorId": floor_id,
            "code": "R-1",
            "name": "Ruang Garuda",
            "capacity": 10,
            "x": 20,
            "y": 10,
            "width": 6,
            "height": 4,
            "requiresApproval": True,
            "approverIds": [gid("Employee", office.manager_a.id)],
            "bookableHours": [{"weekday": 1, "opens": "08:00", "closes": "12:00"}],
        },
        actor,
    )
    no_approver = await run(
        graphql,
        "CreateRoom",
        {
            "floorId": floor_id,
            "code": "R-2",
            "name": "x",
            "capacity": 4,
            "x": 1,
            "y": 10,
            "width": 3,
            "height": 3,
            "requiresApproval": True,
        },
        actor,
    )
    taken = await run(graphql, "CreateDesk", {"floorId": floor_id, "code": "N-1", "x": 5, "y": 5}, actor)
    plain = await run(graphql, "CreateDesk", {"floorId": floor_id, "code": "N-2", "x": 5, "y": 5}, office.alice.id)

    assert desk["desk"]["zone"]["code"] == "ZA" and desk["desk"]["isAssigned"] is True
    assert desk["desk"]["assignedTo"]["name"] == "Alice Anggraini"  # the facilities manager may see it
    assert room["room"]["requiresApproval"] is True and room["room"]["capacity"] == 10
    assert room["room"]["bookableHours"] == [{"weekday": 1, "opens": "08:00:00", "closes": "12:00:00"}]
    assert (no_approver["code"], no_approver["field"]) == ("PLACE_APPROVER_REQUIRED", "approverIds")
    assert taken["code"] == "PLACE_CODE_TAKEN"
    assert plain["__typename"] == "PermissionDeniedError"

    # the floor shows its zone, and only facilities managers and administrators see a desk's assignee
    query = """query($id: ID!) { node(id: $id) { ... on Desk { code assignedTo { name } zone { code } } } }"""
    for viewer, expected in ((office.admin.id, "Alice Anggraini"), (office.bella.id, None)):
        body = await graphql(query, {"id": desk["desk"]["id"]}, as_employee=viewer)
        seen = body["data"]["node"]["assignedTo"]
        assert (seen["name"] if seen else None) == expected
    zones = await graphql(
        """query($id: ID!) { floor(id: $id) { zones { code desks { code } } } }""",
        {"id": floor_id},
        as_employee=office.bella.id,
    )
    assert zones["data"]["floor"]["zones"] == [{"code": "ZA", "desks": [{"code": "N-1"}]}]
    node = await graphql(
        """query($id: ID!) { node(id: $id) { ... on Zone { code floor { id } } } }""",
        {"id": gid("Zone", zone.id)},
        as_employee=office.bella.id,
    )
    assert node["data"]["node"] == {"code": "ZA", "floor": {"id": floor_id}}


async def test_a_dry_run_lists_the_bookings_then_the_change_cancels_them_with_the_reason(
    graphql: GraphQL, office: Office, db: Database
) -> None:
    day = days_ahead(3)
    start = datetime.combine(day, time(9), WITA).astimezone(UTC)
    booking = await insert_booking(db, office.desks[0], office.alice, start, start + timedelta(hours=3))
    desk_id = gid("Desk", office.desks[0].id)
    actor = office.facilities_1.id

    preview = await run(graphql, "UpdateSpace", {"spaceId": desk_id, "bookable": False, "dryRun": True}, actor)
    no_reason = await run(graphql, "UpdateSpace", {"spaceId": desk_id, "bookable": False}, actor)
    done = await run(graphql, "UpdateSpace", {"spaceId": desk_id, "bookable": False, "reason": "Rusak"}, actor)

    assert preview["applied"] is False and preview["desk"]["bookable"] is False
    assert [b["id"] for b in preview["affectedBookings"]] == [gid("Booking", booking.id)]
    assert (no_reason["code"], no_reason["field"]) == ("PLACE_REASON_REQUIRED", "reason")
    assert done["applied"] is True
    assert [(b["status"], b["cancelReason"]) for b in done["affectedBookings"]] == [("CANCELLED", "Rusak")]


async def test_retire_a_space(graphql: GraphQL, office: Office) -> None:
    actor = office.facilities_1.id
    retired = await run(graphql, "RetireSpace", {"id": gid("Desk", office.desks[1].id), "dryRun": True}, actor)
    bad_id = await run(graphql, "RetireSpace", {"id": gid("Floor", office.floor.id)}, actor)
    assert retired == {**retired, "__typename": "RetirePayload", "applied": False, "affectedBookings": []}
    assert (bad_id["code"], bad_id["field"]) == ("INVALID_ID", "id")


async def test_app_tokens_need_places_write_and_the_change_names_the_token(
    client: AsyncTestClient, runtime: Runtime, office: Office
) -> None:
    document = operation("CreateSite")
    variables = {"input": {"code": "KIPP", "name": "KIPP"}}
    without = await issue_token(runtime.db, office.admin.id, *(s for s in Scope if s != Scope.PLACES_WRITE))
    with_scope = await issue_token(runtime.db, office.admin.id, Scope.PLACES_WRITE)

    refused = await client.post(
        "/api/graphql", json={"query": document, "variables": variables}, headers=bearer(without)
    )
    allowed = await client.post(
        "/api/graphql", json={"query": document, "variables": variables}, headers=bearer(with_scope)
    )

    assert [e["extensions"]["code"] for e in refused.json()["errors"]] == ["INSUFFICIENT_SCOPE"]
    assert allowed.json()["data"]["createSite"]["__typename"] == "SitePayload"
    async with runtime.db.read() as session:
        (entry,) = await session.scalars(select(AuditEntry))
    assert entry.via.startswith("token:") and entry.entity_kind == "Site"
