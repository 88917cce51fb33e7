"""``occupancyReport`` over the app: the same figures as the service (tests/integration/test_occupancy_report.py), in
the shape apps read, typed errors, and app tokens limited to occupancy:read:aggregate."""

from typing import Any

from litestar.testing import AsyncTestClient

from smartoffice.db import Database
from smartoffice.identity.scopes import Scope
from smartoffice.ids import encode_id
from tests.factories import Factory
from tests.support.auth import bearer, issue_token
from tests.support.graphql import GraphQL, data_of, operation
from tests.support.occupancy_world import MONDAY, TUESDAY, occupancy_world

WEEK = {"from": MONDAY.isoformat(), "to": "2026-06-14"}


def scope(kind: str, type_name: str, ident: int) -> dict[str, str]:
    return {"kind": kind, "id": encode_id(type_name, ident)}


async def report(graphql: GraphQL, viewer: int, kind: str, type_name: str, ident: int, **dates: str) -> Any:
    variables = {"scope": scope(kind, type_name, ident), **WEEK, **dates}
    return await data_of(graphql, "OccupancyReport", variables, as_employee=viewer)


async def test_a_building_week(graphql: GraphQL, factory: Factory, db: Database) -> None:
    world = await occupancy_world(factory, db)

    result = await report(graphql, world.manager.id, "BUILDING", "Building", world.tower.id)

    assert result["__typename"] == "OccupancyReport"
    assert result["scope"] == {
        "kind": "BUILDING",
        "id": encode_id("Building", world.tower.id),
        "code": world.tower.code,
        "name": world.tower.name,
    }
    assert (result["desks"], result["headcount"], result["timeZones"]) == (4, None, ["Asia/Makassar"])
    assert result["days"][0] == {
        "date": MONDAY.isoformat(),
        "workingDay": True,
        "closedBecause": None,
        "booked": 4,
        "checkedIn": 1,
        "noShows": 1,
        "utilisation": 1.0,
        "noShowRate": 0.25,
        "headcountShare": None,
        "counted": True,
    }
    assert result["summary"] == {
        "workingDays": 5,
        "desks": 4,
        "headcount": None,
        "peakBooked": 4,
        "meanBooked": 1.0,
        "percentile85Booked": 4,
        "meanCheckedIn": 0.2,
        "noShows": 1,
        "noShowRate": 0.2,
        "checkInRate": 0.2,
        "peakUtilisation": 1.0,
        "meanUtilisation": 0.25,
        "percentile85Utilisation": 1.0,
        "meanHeadcountShare": None,
    }
    (week,) = result["heatmap"]
    assert (week["isoWeek"], [d["booked"] for d in week["days"]]) == (24, [4, 1, 0, 0, 0, 0, 0])
    assert [(m["month"], m["summary"]["peakBooked"]) for m in result["months"]] == [("2026-06-01", 4)]
    assert result["partKind"] == "FLOOR"
    assert [(p["scope"]["id"], p["desks"], p["days"][0]["booked"]) for p in result["parts"]] == [
        (encode_id("Floor", world.floor1.id), 3, 3),
        (encode_id("Floor", world.floor2.id), 1, 2),
    ]
    rooms = result["rooms"]
    assert (rooms["hoursBooked"], rooms["bookableHours"], rooms["utilisation"]) == (6.5, 64.0, 0.1016)
    assert [b["meetings"] for b in rooms["sizeBuckets"]] == [1, 0, 1, 0, 1]
    room = rooms["rooms"][0]
    assert (room["roomId"], room["hoursBooked"], room["utilisation"], room["meanSizeRatio"]) == (
        encode_id("MeetingRoom", world.room.id),
        4.5,
        0.075,
        0.5,
    )


async def test_a_unit_seen_by_a_facilities_manager(graphql: GraphQL, factory: Factory, db: Database) -> None:
    world = await occupancy_world(factory, db)

    result = await report(graphql, world.manager.id, "ORG_UNIT", "OrgUnit", world.top.id)

    assert result["restrictedToSites"] == [encode_id("Site", world.site.id)]
    assert (result["desks"], result["headcount"]) == (4, 4)
    tuesday = result["days"][1]
    assert (tuesday["date"], tuesday["booked"], tuesday["headcountShare"]) == (TUESDAY.isoformat(), 2, 0.5)
    assert [(p["scope"]["kind"], p["desks"], p["headcount"]) for p in result["parts"]] == [
        ("ORG_UNIT", 3, 2),
        ("ORG_UNIT", 1, 1),
    ]


async def test_typed_errors(graphql: GraphQL, factory: Factory, db: Database) -> None:
    world = await occupancy_world(factory, db)

    denied = await report(graphql, world.outsider.id, "SITE", "Site", world.site.id)
    assert (denied["__typename"], denied["code"]) == ("PermissionDeniedError", "NOT_A_FACILITIES_MANAGER")
    other = await report(graphql, world.far_manager.id, "FLOOR", "Floor", world.floor1.id)
    assert other["__typename"] == "PermissionDeniedError"
    missing = await report(graphql, world.admin.id, "ZONE", "Zone", world.zone1.id + 1000)
    assert (missing["__typename"], missing["id"]) == ("NotFoundError", encode_id("Zone", world.zone1.id + 1000))
    mismatched = await report(graphql, world.admin.id, "FLOOR", "Zone", world.zone1.id)
    assert (mismatched["__typename"], mismatched["code"], mismatched["field"]) == (
        "ValidationError",
        "INVALID_ID",
        "scope.id",
    )
    too_long = await report(graphql, world.admin.id, "SITE", "Site", world.site.id, to="2027-06-09")
    assert (too_long["__typename"], too_long["code"]) == ("ValidationError", "RANGE_TOO_LONG")
    a_year = await report(graphql, world.admin.id, "SITE", "Site", world.site.id, to="2027-06-08")
    assert (a_year["__typename"], len(a_year["days"]), len(a_year["months"])) == ("OccupancyReport", 366, 13)


async def test_app_tokens_need_the_aggregate_scope(client: AsyncTestClient, factory: Factory, db: Database) -> None:
    world = await occupancy_world(factory, db)
    variables = {"scope": scope("BUILDING", "Building", world.tower.id), **WEEK}
    without = await issue_token(db, world.manager.id, Scope.PLACES_READ)
    with_scope = await issue_token(db, world.manager.id, Scope.OCCUPANCY_READ_AGGREGATE)

    async def ask(secret: str) -> dict[str, Any]:
        query = {"query": operation("OccupancyReport"), "variables": variables}
        body: dict[str, Any] = (await client.post("/api/graphql", json=query, headers=bearer(secret))).json()
        return body

    refused = await ask(without)
    assert refused["data"] is None and "occupancy:read:aggregate" in refused["errors"][0]["message"]
    allowed = await ask(with_scope)
    assert allowed["data"]["occupancyReport"]["summary"]["peakBooked"] == 4
