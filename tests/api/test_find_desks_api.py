"""findDesks over GraphQL: ranked free desks across floors, typed errors for bad input, never a 500."""

from datetime import timedelta
from typing import Any

from smartoffice.ids import encode_id
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.bookings import insert_booking
from tests.support.clock import days_ahead, local_today, office_hours
from tests.support.graphql import GraphQL
from tests.support.office import build_office


async def test_find_desks_ranks_by_teammate_distance_and_answers_bad_input_with_typed_errors(
    graphql: GraphQL, runtime: Runtime, factory: Factory
) -> None:
    # given amir at A1 next Tuesday-ish, free A2 (2 m away, a docking station) and A10 (20 m), and another floor
    office = await build_office(factory, desks=0)
    day = days_ahead(7)
    a1 = await factory.desk(office.floor, code="A1", x=0.0, y=2.0)
    await factory.desk(office.floor, code="A10", x=20.0, y=2.0, amenities=["docking"])
    a2 = await factory.desk(office.floor, code="A2", x=2.0, y=2.0, amenities=["docking", "monitor"])
    other = await factory.floor(await factory.building(office.site, name="Menara 3"))
    await factory.desk(other, code="B1", x=0.0, y=2.0, amenities=["docking"])
    await insert_booking(runtime.db, a1, office.amir, *office_hours(day))

    async def find(**variables: object) -> dict[str, Any]:
        body = await graphql("FindDesks", {"date": day.isoformat(), **variables}, as_employee=office.alice.id)
        assert "errors" not in body, body
        result: dict[str, Any] = body["data"]["findDesks"]
        return result

    # when alice looks for a desk
    found = await find()
    assert found["__typename"] == "DeskChoices"
    choices = found["nodes"]
    assert [c["code"] for c in choices] == ["A2", "A10", "B1"]
    assert choices[0]["distanceMetres"] == 2.0 and choices[0]["teammatesOnFloor"] == 1
    assert choices[0]["desk"] == {"id": encode_id("Desk", a2.id)}
    assert choices[0]["floorId"] == encode_id("Floor", office.floor.id)
    assert choices[0]["amenities"] == ["DOCKING", "MONITOR"]
    assert choices[2]["distanceMetres"] is None and choices[2]["buildingName"] == "Menara 3"

    # narrowed: in Menara 3 with a docking station; without the team; to an unknown building; one result
    menara = await find(buildingIds=[encode_id("Building", other.building_id)], amenities=["DOCKING"])
    assert [c["code"] for c in menara["nodes"]] == ["B1"]
    plain = await find(nearTeam=False)
    assert [c["code"] for c in plain["nodes"]] == ["A2", "A10", "B1"]
    assert all(c["distanceMetres"] is None for c in plain["nodes"])
    assert (await find(buildingIds=[encode_id("Building", 999_999)]))["nodes"] == []
    assert (await find(floorIds=[encode_id("Floor", other.id)], first=1))["nodes"][0]["code"] == "B1"

    # then bad input is a ValidationError, never a 500
    past = await find(date=(local_today() - timedelta(days=3)).isoformat())
    assert (past["__typename"], past["code"], past["field"]) == ("ValidationError", "PAST_DAY", "date")
    assert (await find(first=0))["code"] == "OUT_OF_RANGE"
    assert (await find(date="2199-12-31"))["code"] == "TOO_FAR_AHEAD"
    malformed = await find(floorIds=["not-an-id"])
    assert (malformed["code"], malformed["field"]) == ("INVALID_ID", "floorIds")
