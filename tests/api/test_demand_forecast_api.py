"""``demandForecast`` over the app: the service's figures in the shape apps read, typed errors, and app tokens
limited to occupancy:read:aggregate."""

from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from smartoffice.db import Database
from smartoffice.identity.scopes import Scope
from smartoffice.ids import encode_id
from smartoffice.people.models import Role
from smartoffice.planning.forecast import ForecastService
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.auth import bearer, issue_token
from tests.support.demand_world import BEFORE, WEEK, DemandWorld, build_world
from tests.support.graphql import GraphQL, data_of, fix_app_clock, operation


@pytest.fixture(autouse=True)
def before_the_weeks(client: AsyncTestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    fix_app_clock(client, monkeypatch, BEFORE, "forecast")


@pytest.fixture
async def world(factory: Factory) -> DemandWorld:
    world = await build_world(factory)
    for _ in range(9):  # twelve people on the deputy's Wednesday in a tower of ten desks
        await factory.employee(world.inheriting)
    return world


def variables(type_name: str, ident: int, **more: Any) -> dict[str, Any]:
    return {"placeId": encode_id(type_name, ident), "from": WEEK.isoformat(), **more}


async def test_a_sites_forecast_is_the_services(graphql: GraphQL, runtime: Runtime, world: DemandWorld) -> None:
    assert world.manager is not None

    result = await data_of(
        graphql, "DemandForecast", variables("Site", world.site.id, weeks=2), as_employee=world.manager.id
    )

    service = ForecastService(runtime.db, lambda: BEFORE)
    expected = await service.forecast(world.manager.id, site_id=world.site.id, first=WEEK, weeks=2)
    assert result["__typename"] == "DemandForecast"
    assert (result["from"], result["to"], result["targetUtilisation"]) == ("2026-07-06", "2026-07-17", 0.85)
    assert [(b["building"]["code"], b["desks"], b["housed"]) for b in result["buildings"]] == [
        ("N", 10, 14),
        ("S", 6, 5),
    ]
    days = [(d["date"], d["expected"], d["low"], d["high"], d["risk"]) for b in result["buildings"] for d in b["days"]]
    assert days == [(d.day.isoformat(), d.expected, d.low, d.high, d.risk.name) for d in expected.days]
    at_risk = result["daysAtRisk"]
    assert [(d["building"]["code"], d["date"], d["risk"]) for d in at_risk[:2]] == [
        ("N", "2026-07-08", "OVERFLOW"),
        ("N", "2026-07-15", "OVERFLOW"),
    ]
    assert result["buildings"][0]["peakExpected"] == max(d["expected"] for d in result["buildings"][0]["days"])


async def test_refusals_are_typed_errors(graphql: GraphQL, factory: Factory, world: DemandWorld) -> None:
    assert world.manager is not None and world.stranger is not None
    manager = world.manager.id

    async def ask(viewer: int, **more: Any) -> Any:
        return await data_of(
            graphql, "DemandForecast", {**variables("Building", world.north.id), **more}, as_employee=viewer
        )

    denied = await ask(world.stranger.id)
    assert (denied["__typename"], denied["code"]) == ("PermissionDeniedError", "NOT_A_FACILITIES_MANAGER")
    weeks = await ask(manager, weeks=9)
    assert (weeks["__typename"], weeks["code"], weeks["field"]) == ("ValidationError", "OUT_OF_RANGE", "weeks")
    target = await ask(manager, targetUtilisation=0.2)
    assert (target["code"], target["field"]) == ("TARGET_OUT_OF_RANGE", "targetUtilisation")
    a_floor = await ask(manager, placeId=encode_id("Floor", world.north_floor.id))
    assert (a_floor["code"], a_floor["field"]) == ("INVALID_ID", "placeId")
    missing = await ask(manager, placeId=encode_id("Building", 999_999))
    assert missing["__typename"] == "NotFoundError"
    other_site = await factory.site()
    elsewhere = await factory.employee()
    await factory.role(elsewhere, Role.FACILITIES_MANAGER, site_id=other_site.id)
    assert (await ask(elsewhere.id))["__typename"] == "PermissionDeniedError"


async def test_app_tokens_need_the_aggregate_scope(client: AsyncTestClient, db: Database, world: DemandWorld) -> None:
    assert world.manager is not None
    without = await issue_token(db, world.manager.id, Scope.PLACES_READ)
    with_scope = await issue_token(db, world.manager.id, Scope.OCCUPANCY_READ_AGGREGATE)

    async def ask(secret: str) -> dict[str, Any]:
        query = {"query": operation("DemandForecast"), "variables": variables("Building", world.north.id, weeks=1)}
        body: dict[str, Any] = (await client.post("/api/graphql", json=query, headers=bearer(secret))).json()
        return body

    refused = await ask(without)
    assert refused["data"] is None and "occupancy:read:aggregate" in refused["errors"][0]["message"]
    allowed = await ask(with_scope)
    assert allowed["data"]["demandForecast"]["daysAtRisk"][0]["risk"] == "OVERFLOW"
