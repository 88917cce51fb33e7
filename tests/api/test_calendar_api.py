"""The working calendar through GraphQL: reading a range, and admins overriding days."""

from typing import Any

import pytest

from smartoffice.db import Database
from smartoffice.people.models import Employee, Role, RoleAssignment
from tests.factories import Factory
from tests.support.graphql import GraphQL

REMOVE_OVERRIDE = """
mutation RemoveCalendarOverride($input: RemoveCalendarOverrideInput!) {
  removeCalendarOverride(input: $input) {
    __typename
    ... on RemoveCalendarOverrideSuccess { date day { date kind name isWorkingDay overridden } }
    ... on PermissionDeniedError { message }
  }
}
"""


@pytest.fixture
async def admin(factory: Factory, db: Database) -> Employee:
    employee = await factory.employee()
    async with db.write() as session:
        session.add(RoleAssignment(employee_id=employee.id, role=Role.ADMIN))
    return employee


async def calendar_days(graphql: GraphQL, first: str, last: str, **options: Any) -> dict[str, Any]:
    body = await graphql("CalendarDays", {"from": first, "to": last}, **options)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["calendarDays"]
    return result


async def set_override(graphql: GraphQL, as_employee: int, **input: str) -> dict[str, Any]:
    body = await graphql("SetCalendarOverride", {"input": input}, as_employee=as_employee)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["setCalendarOverride"]
    return result


class TestCalendarDays:
    async def test_2026(self, graphql: GraphQL) -> None:
        result = await calendar_days(graphql, "2026-01-01", "2026-12-31")

        assert result["__typename"] == "CalendarDays"
        assert result["workingDayCount"] == 240
        kinds = [d["kind"] for d in result["days"]]
        assert (kinds.count("PUBLIC_HOLIDAY"), kinds.count("COLLECTIVE_LEAVE")) == (17, 8)
        assert [d["date"] for d in result["days"]] == sorted(d["date"] for d in result["days"])
        assert result["days"][0] == {
            "date": "2026-01-01",
            "kind": "PUBLIC_HOLIDAY",
            "name": "Tahun Baru Masehi",
            "isWorkingDay": False,
            "overridden": False,
        }

    async def test_plain_weekends_are_not_listed(self, graphql: GraphQL) -> None:
        result = await calendar_days(graphql, "2026-07-01", "2026-07-31")

        assert result == {"__typename": "CalendarDays", "days": [], "workingDayCount": 23}

    async def test_one_day(self, graphql: GraphQL) -> None:
        result = await calendar_days(graphql, "2026-03-20", "2026-03-20")

        assert result["workingDayCount"] == 0
        assert [(d["kind"], d["name"]) for d in result["days"]] == [
            ("COLLECTIVE_LEAVE", "Cuti Bersama Hari Raya Idul Fitri")
        ]

    async def test_a_leap_year_fits_but_not_a_day_more(self, graphql: GraphQL) -> None:
        assert (await calendar_days(graphql, "2028-01-01", "2028-12-31"))["__typename"] == "CalendarDays"

        result = await calendar_days(graphql, "2026-01-01", "2027-01-02", language="id")

        assert result == {
            "__typename": "ValidationError",
            "field": "to",
            "code": "RANGE_TOO_LONG",
            "message": "Rentang tanggal paling panjang 366 hari",
        }

    async def test_to_before_from(self, graphql: GraphQL) -> None:
        result = await calendar_days(graphql, "2026-02-01", "2026-01-31")

        assert (result["__typename"], result["field"], result["code"]) == ("ValidationError", "to", "RANGE_REVERSED")
        assert result["message"] == "The end date must not be before the start date"


class TestSetCalendarOverride:
    async def test_admin_moves_a_holiday(self, graphql: GraphQL, admin: Employee) -> None:
        moved = await set_override(
            graphql, admin.id, date="2026-08-25", kind="WORKING_DAY", name="Maulid Nabi dipindahkan"
        )
        added = await set_override(
            graphql, admin.id, date="2026-08-28", kind="PUBLIC_HOLIDAY", name="Maulid Nabi Muhammad"
        )

        assert moved == {
            "__typename": "SetCalendarOverrideSuccess",
            "day": {
                "date": "2026-08-25",
                "kind": "WORKING_DAY",
                "name": "Maulid Nabi dipindahkan",
                "isWorkingDay": True,
                "overridden": True,
            },
        }
        assert added["day"]["isWorkingDay"] is False
        august = await calendar_days(graphql, "2026-08-01", "2026-08-31")
        assert [(d["date"], d["kind"], d["overridden"]) for d in august["days"]] == [
            ("2026-08-17", "PUBLIC_HOLIDAY", False),
            ("2026-08-25", "WORKING_DAY", True),
            ("2026-08-28", "PUBLIC_HOLIDAY", True),
        ]
        assert august["workingDayCount"] == 19  # the same count: a holiday moved, not added

    async def test_a_saturday_made_a_working_day_counts(self, graphql: GraphQL, admin: Employee) -> None:
        await set_override(graphql, admin.id, date="2026-07-11", kind="WORKING_DAY", name="Hari kerja pengganti")

        july = await calendar_days(graphql, "2026-07-01", "2026-07-31")

        assert july["workingDayCount"] == 24

    async def test_employee_is_refused_in_their_language(self, graphql: GraphQL, factory: Factory) -> None:
        employee = await factory.employee()

        body = await graphql(
            "SetCalendarOverride",
            {"input": {"date": "2026-08-25", "kind": "WORKING_DAY", "name": "Masuk kerja"}},
            as_employee=employee.id,
            language="id-ID,id;q=0.9",
        )

        assert body["data"]["setCalendarOverride"] == {
            "__typename": "PermissionDeniedError",
            "message": "Anda tidak berwenang melakukan ini",
        }

    async def test_blank_name_is_a_validation_error(self, graphql: GraphQL, admin: Employee) -> None:
        result = await set_override(graphql, admin.id, date="2026-08-25", kind="WORKING_DAY", name="  ")

        assert result == {
            "__typename": "ValidationError",
            "field": "name",
            "code": "REQUIRED",
            "message": "name is required",
        }

    async def test_anonymous_callers_get_an_authentication_error(self, graphql: GraphQL) -> None:
        body = await graphql(
            "SetCalendarOverride", {"input": {"date": "2026-08-25", "kind": "WORKING_DAY", "name": "Masuk kerja"}}
        )

        assert body["data"] is None
        assert "Authentication required" in body["errors"][0]["message"]


class TestRemoveCalendarOverride:
    async def test_the_day_reverts(self, graphql: GraphQL, admin: Employee) -> None:
        await set_override(graphql, admin.id, date="2026-08-25", kind="WORKING_DAY", name="Maulid Nabi dipindahkan")

        body = await graphql(REMOVE_OVERRIDE, {"input": {"date": "2026-08-25"}}, as_employee=admin.id)

        assert body["data"]["removeCalendarOverride"] == {
            "__typename": "RemoveCalendarOverrideSuccess",
            "date": "2026-08-25",
            "day": {
                "date": "2026-08-25",
                "kind": "PUBLIC_HOLIDAY",
                "name": "Maulid Nabi Muhammad",
                "isWorkingDay": False,
                "overridden": False,
            },
        }

    async def test_an_ordinary_day_is_null(self, graphql: GraphQL, admin: Employee) -> None:
        await set_override(graphql, admin.id, date="2026-07-11", kind="WORKING_DAY", name="Hari kerja pengganti")

        body = await graphql(REMOVE_OVERRIDE, {"input": {"date": "2026-07-11"}}, as_employee=admin.id)

        assert body["data"]["removeCalendarOverride"]["day"] is None

    async def test_employee_is_refused(self, graphql: GraphQL, factory: Factory) -> None:
        employee = await factory.employee()

        body = await graphql(REMOVE_OVERRIDE, {"input": {"date": "2026-08-25"}}, as_employee=employee.id)

        assert body["data"]["removeCalendarOverride"]["__typename"] == "PermissionDeniedError"
