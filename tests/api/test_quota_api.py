"""Seat quotas over GraphQL: setSeatQuota / removeSeatQuota / seatQuotas / quotaStandings / node, and bookDesk's
typed refusal (the rules themselves: tests/integration/test_quota_*.py)."""

from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import select

from smartoffice.identity.scopes import Scope
from smartoffice.ids import encode_id
from smartoffice.people.models import Employee, Organisation, Role
from smartoffice.places.models import Floor, Space
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.auth import bearer, issue_token
from tests.support.clock import tomorrow
from tests.support.graphql import GraphQL, operation

QUOTAS = """
query SeatQuotas($placeId: ID, $holderId: ID) {
  seatQuotas(placeId: $placeId, holderId: $holderId) { id holderName placeKind placeName weekday seats desks }
}
"""
STANDINGS = """
query Standings($floorId: ID!, $date: Date!) {
  quotaStandings(floorId: $floorId, date: $date) { holderName placeName seats booked remaining includesYou }
}
"""
NODE = "query Node($id: ID!) { node(id: $id) { __typename ... on SeatQuota { seats holderName } } }"


async def world(factory: Factory) -> tuple[Organisation, Floor, Employee, Employee]:
    ministry = await factory.organisation(name="Kementerian PUPR")
    building = await factory.building(name="Menara 2")
    floor = await factory.floor(building, name="Lantai 3")
    for _ in range(3):
        await factory.desk(floor)
    manager = await factory.employee()
    await factory.role(manager, Role.FACILITIES_MANAGER, site_id=building.site_id)
    member = await factory.employee(await factory.unit(ministry))
    return ministry, floor, manager, member


def share(ministry: Organisation, floor: Floor, seats: int, weekdays: list[int]) -> dict[str, Any]:
    return {
        "input": {
            "holderId": encode_id("Organisation", ministry.id),
            "placeId": encode_id("Floor", floor.id),
            "weekdays": weekdays,
            "seats": seats,
            "note": "SK Sekjen 12/2026",
        }
    }


async def test_a_manager_sets_lists_and_removes_a_quota(graphql: GraphQL, factory: Factory) -> None:
    ministry, floor, manager, member = await world(factory)
    day = tomorrow()

    made = (await graphql("SetSeatQuota", share(ministry, floor, 1, [day.isoweekday()]), as_employee=manager.id))[
        "data"
    ]["setSeatQuota"]
    listed = (await graphql(QUOTAS, {"placeId": encode_id("Floor", floor.id)}, as_employee=manager.id))["data"]
    by_member = (await graphql(QUOTAS, {}, as_employee=member.id))["data"]["seatQuotas"]

    assert made["__typename"] == "SetSeatQuotaSuccess"
    [quota] = made["quotas"]
    assert (quota["holderKind"], quota["placeKind"], quota["placeName"], quota["seats"], quota["desks"]) == (
        "ORGANISATION",
        "FLOOR",
        "Menara 2 · Lantai 3",
        1,
        3,
    )
    assert [q["id"] for q in listed["seatQuotas"]] == [quota["id"]]
    assert by_member == []
    node = (await graphql(NODE, {"id": quota["id"]}, as_employee=manager.id))["data"]["node"]
    assert node == {"__typename": "SeatQuota", "seats": 1, "holderName": "Kementerian PUPR"}

    # the member books the one seat; quotaStandings shows it; a colleague is refused with the quota named
    standing_vars = {"floorId": encode_id("Floor", floor.id), "date": day.isoformat()}
    desk_ids = [encode_id("Desk", d) for d in await desk_ids_of(factory, floor)]
    booked = await graphql(
        "BookDesk", {"input": {"deskId": desk_ids[0], "date": day.isoformat()}}, as_employee=member.id
    )
    assert booked["data"]["bookDesk"]["__typename"] == "BookSuccess"
    colleague = await factory.employee(await factory.unit(ministry))
    standings = (await graphql(STANDINGS, standing_vars, as_employee=colleague.id))["data"]["quotaStandings"]
    assert standings == [
        {
            "holderName": "Kementerian PUPR",
            "placeName": "Menara 2 · Lantai 3",
            "seats": 1,
            "booked": 1,
            "remaining": 0,
            "includesYou": False,
        }
    ]
    refused = await graphql(
        "BookDesk", {"input": {"deskId": desk_ids[1], "date": day.isoformat()}}, as_employee=colleague.id
    )
    result = refused["data"]["bookDesk"]
    assert (result["__typename"], result["code"]) == ("PolicyRefusalError", "QUOTA_FULL")
    assert result["policy"] == "Kementerian PUPR · Menara 2 · Lantai 3"
    assert result["message"].startswith("Kementerian PUPR may book at most 1 desks in Menara 2 · Lantai 3 on ")

    removed = await graphql("RemoveSeatQuota", {"input": {"quotaId": quota["id"]}}, as_employee=manager.id)
    assert removed["data"]["removeSeatQuota"]["__typename"] == "RemoveSeatQuotaSuccess"
    assert (await graphql(QUOTAS, {}, as_employee=manager.id))["data"]["seatQuotas"] == []


async def desk_ids_of(factory: Factory, floor: Floor) -> list[int]:
    async with factory.db.read() as session:
        return list(
            (await session.scalars(select(Space.id).where(Space.floor_id == floor.id).order_by(Space.id))).all()
        )


async def test_refusals_are_typed(graphql: GraphQL, factory: Factory) -> None:
    ministry, floor, manager, member = await world(factory)

    too_many = (await graphql("SetSeatQuota", share(ministry, floor, 4, [2]), as_employee=manager.id))["data"]
    no_days = (await graphql("SetSeatQuota", share(ministry, floor, 1, []), as_employee=manager.id))["data"]
    not_manager = (await graphql("SetSeatQuota", share(ministry, floor, 1, [2]), as_employee=member.id))["data"]
    bad_holder = share(ministry, floor, 1, [2])
    bad_holder["input"]["holderId"] = encode_id("Desk", 1)
    wrong_type = (await graphql("SetSeatQuota", bad_holder, as_employee=manager.id))["data"]
    missing = (
        await graphql("RemoveSeatQuota", {"input": {"quotaId": encode_id("SeatQuota", 987)}}, as_employee=manager.id)
    )["data"]

    assert [
        (r["__typename"], r["code"], r.get("field"))
        for r in (
            too_many["setSeatQuota"],
            no_days["setSeatQuota"],
            not_manager["setSeatQuota"],
            wrong_type["setSeatQuota"],
            missing["removeSeatQuota"],
        )
    ] == [
        ("ValidationError", "QUOTA_SEATS_ABOVE_DESKS", "seats"),
        ("ValidationError", "QUOTA_NO_WEEKDAYS", "weekdays"),
        ("PermissionDeniedError", "NOT_A_FACILITIES_MANAGER", None),
        ("ValidationError", "INVALID_ID", "holderId"),
        ("NotFoundError", "NOT_FOUND", None),
    ]
    assert too_many["setSeatQuota"]["message"] == "Menara 2 · Lantai 3 has 3 desks; a share can be at most that"


async def test_app_tokens_need_places_write(client: AsyncTestClient, runtime: Runtime, factory: Factory) -> None:
    ministry, floor, manager, _member = await world(factory)
    read_only = await issue_token(runtime.db, manager.id, Scope.PLACES_READ)
    writer = await issue_token(runtime.db, manager.id, Scope.PLACES_READ, Scope.PLACES_WRITE)
    body = {"query": operation("SetSeatQuota"), "variables": share(ministry, floor, 2, [2])}

    refused = await client.post("/api/graphql", json=body, headers=bearer(read_only))
    made = await client.post("/api/graphql", json=body, headers=bearer(writer))

    assert [e["extensions"]["code"] for e in refused.json()["errors"]] == ["INSUFFICIENT_SCOPE"]
    assert made.json()["data"]["setSeatQuota"]["quotas"][0]["seats"] == 2
