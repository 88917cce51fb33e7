"""``bookRequiredDays`` through GraphQL: the example operation against the real app, on a fixed clock (Monday
6 July 2026, 06:00 WITA; the team of tests.support.policies, with Wednesday as its anchor day)."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from tests.factories import Factory
from tests.support.bookings import insert_booking
from tests.support.clock import at
from tests.support.graphql import GraphQL, fix_app_clock
from tests.support.policies import MON, WED, build_team

NOW = at(MON, 6)


@pytest.fixture
def clock(client: AsyncTestClient, monkeypatch: pytest.MonkeyPatch) -> Callable[[], datetime]:
    return fix_app_clock(client, monkeypatch, NOW, "bookings", "policies", "required_days")


async def book(graphql: GraphQL, employee_id: int, weeks: int, key: str) -> Any:
    body = await graphql(
        "BookRequiredDays", {"input": {"weeks": weeks, "idempotencyKey": key}}, as_employee=employee_id
    )
    assert "errors" not in body, body
    return body["data"]["bookRequiredDays"]


@pytest.mark.usefixtures("clock")
async def test_book_required_days_near_the_team_once(graphql: GraphQL, factory: Factory) -> None:
    # given the directorate's anchor day, Wednesday, when a teammate sits at T1
    team = await build_team(factory)
    await factory.policy({"anchor_days_required": True}, name="Hari jangkar")
    await factory.anchor_day(team.directorate, WED.weekday())
    floor = await factory.floor()
    zone = await factory.zone(floor, org_unit_id=team.directorate.id)
    t1, _t2, _t3 = [
        await factory.desk(floor, zone_id=zone.id, code=f"T{n}", x=x) for n, x in ((1, 2.0), (2, 4.0), (3, 30.0))
    ]
    await insert_booking(factory.db, t1, team.staff[1], at(WED, 8), at(WED, 16))

    # when a colleague books their required days of this week
    result = await book(graphql, team.staff[0].id, 1, "api-required-days")

    # then Wednesday has T2, next to the teammate
    assert result["__typename"] == "BookRequiredDaysSuccess"
    assert (result["bookedCount"], result["replayed"]) == (1, False)
    (day,) = result["days"]
    assert (day["date"], day["outcome"], day["desk"]["code"], day["message"]) == (WED.isoformat(), "BOOKED", "T2", None)

    # the same key again: the same answer, nothing booked
    again = await book(graphql, team.staff[0].id, 1, "api-required-days")
    assert (again["bookedCount"], again["replayed"], again["days"][0]["bookingId"]) == (0, True, day["bookingId"])

    # a range out of bounds is a typed error
    refused = await book(graphql, team.staff[0].id, 9, "api-required-days-2")
    assert (refused["__typename"], refused["field"], refused["code"]) == ("ValidationError", "weeks", "OUT_OF_RANGE")
