"""``reportAttendance`` and ``attendanceReconciliation`` over the ASGI app: an attendance app with
``attendance:write`` stores records all or nothing, with typed per-record problems; the scope, the owner's role
over each person and the size of a call are checked; the reconciliation answers counts and a page of entries."""

from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from smartoffice.app import create_app
from smartoffice.attendance.service import MAX_RECORDS
from smartoffice.identity.scopes import Scope
from smartoffice.ids import encode_id
from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from tests.factories import Factory
from tests.support.attendance import actuals
from tests.support.auth import bearer, issue_token
from tests.support.graphql import operation
from tests.support.hr_records import audit_rows
from tests.support.policies import MON, TUE, WED, Team, build_team


@pytest.fixture
async def team(factory: Factory) -> Team:
    return await build_team(factory)


@pytest.fixture
async def client(settings: Settings, runtime: Runtime) -> AsyncIterator[AsyncTestClient]:
    async with AsyncTestClient(app=create_app(settings)) as test:
        yield test


async def call(
    client: AsyncTestClient, secret: str, name: str, variables: dict[str, Any], *, language: str = "en"
) -> dict[str, Any]:
    response = await client.post(
        "/api/graphql",
        json={"query": operation(name), "variables": variables},
        headers={**bearer(secret), "accept-language": language},
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def records(*rows: dict[str, Any]) -> dict[str, Any]:
    return {"input": {"records": list(rows)}}


async def test_an_admins_app_reports_and_the_same_call_again_changes_nothing(
    client: AsyncTestClient, runtime: Runtime, team: Team
) -> None:
    secret = await issue_token(runtime.db, team.admin.id, Scope.ATTENDANCE_WRITE)
    variables = records(
        {"employeeId": encode_id("Employee", team.staff[0].id), "date": MON.isoformat(), "status": "OFFICE",
         "checkInTime": "07:31", "source": "e-presensi"},
        {"nip": team.staff[1].nip, "date": MON.isoformat(), "status": "ABSENT"},
    )  # fmt: skip

    first = await call(client, secret, "ReportAttendance", variables)
    again = await call(client, secret, "ReportAttendance", variables)

    assert first["data"]["reportAttendance"] == {
        "__typename": "ReportAttendanceSuccess",
        "counts": {"created": 2, "updated": 0, "unchanged": 0},
    }
    assert again["data"]["reportAttendance"]["counts"] == {"created": 0, "updated": 0, "unchanged": 2}
    assert await actuals(runtime.db) == {
        (team.staff[0].nip, MON.isoformat()): "office", (team.staff[1].nip, MON.isoformat()): "absent"
    }  # fmt: skip
    [logged] = await audit_rows(runtime.db)
    assert (logged["action"], logged["actor_id"], logged["via"].startswith("token:")) == (
        "attendance.import", team.admin.id, True
    )  # fmt: skip


async def test_bad_records_are_named_by_index_and_nothing_is_written(
    client: AsyncTestClient, runtime: Runtime, team: Team
) -> None:
    secret = await issue_token(runtime.db, team.head.id, Scope.ATTENDANCE_WRITE)  # a unit manager
    variables = records(
        {"nip": team.staff[0].nip, "date": MON.isoformat(), "status": "OFFICE"},
        {"nip": team.stranger.nip, "date": MON.isoformat(), "status": "OFFICE"},  # not the head's person
        {"nip": team.staff[0].nip, "date": "2199-01-01", "status": "HOME"},
        {"employeeId": "bm9wZQ==", "date": MON.isoformat(), "status": "LEAVE"},
        {"date": MON.isoformat(), "status": "LEAVE"},
        {"nip": team.staff[0].nip, "date": MON.isoformat(), "status": "ABSENT", "checkInTime": "07:00"},
        {"employeeId": encode_id("Employee", 999_999), "date": MON.isoformat(), "status": "OFFICE"},
    )

    body = await call(client, secret, "ReportAttendance", variables, language="id")

    assert body.get("errors") is None, body["errors"]
    result = body["data"]["reportAttendance"]
    assert result["__typename"] == "AttendanceRecordsInvalidError"
    assert [(p["index"], p["field"], p["code"]) for p in result["problems"]] == [
        (1, "nip", "ATTENDANCE_NOT_YOUR_PERSON"),
        (2, "date", "ATTENDANCE_DAY_IN_FUTURE"),
        (3, "employeeId", "INVALID_ID"),
        (4, "employeeId", "ATTENDANCE_PERSON_MISSING"),
        (5, "checkInTime", "ATTENDANCE_TIME_WITHOUT_PRESENCE"),
        (6, "employeeId", "ATTENDANCE_EMPLOYEE_UNKNOWN"),
    ]
    assert encode_id("Employee", 999_999) in result["problems"][-1]["message"]
    assert result["code"] == "ATTENDANCE_RECORDS_INVALID" and "tidak ada yang ditulis" in result["message"]
    assert await actuals(runtime.db) == {}


async def test_the_scope_the_owners_role_and_the_size_of_a_call_are_checked(
    client: AsyncTestClient, runtime: Runtime, team: Team
) -> None:
    one = records({"nip": team.staff[0].nip, "date": MON.isoformat(), "status": "OFFICE"})
    without = await issue_token(runtime.db, team.admin.id, *(s for s in Scope if s != Scope.ATTENDANCE_WRITE))
    body = await call(client, without, "ReportAttendance", one)
    assert [(e["extensions"]["code"], e["extensions"]["scope"]) for e in body["errors"]] == [
        ("INSUFFICIENT_SCOPE", "attendance:write")
    ]
    nobody = await issue_token(runtime.db, team.staff[1].id, Scope.ATTENDANCE_WRITE)  # manages no one
    refused = (await call(client, nobody, "ReportAttendance", one))["data"]["reportAttendance"]
    assert (refused["__typename"], refused["code"]) == ("PermissionDeniedError", "NOT_YOUR_PERSON")
    admin = await issue_token(runtime.db, team.admin.id, Scope.ATTENDANCE_WRITE)
    many = records(*[{"nip": team.staff[0].nip, "date": MON.isoformat(), "status": "OFFICE"}] * (MAX_RECORDS + 1))
    too_many = (await call(client, admin, "ReportAttendance", many))["data"]["reportAttendance"]
    assert (too_many["__typename"], too_many["code"]) == ("ValidationError", "ATTENDANCE_TOO_MANY_RECORDS")
    assert await actuals(runtime.db) == {}


async def test_the_reconciliation_answers_counts_and_pages_of_entries(
    client: AsyncTestClient, runtime: Runtime, team: Team, factory: Factory
) -> None:
    await factory.work_day(team.staff[0], MON, actual="office")  # type: ignore[arg-type]
    await factory.work_day(team.staff[1], TUE, actual="office")  # type: ignore[arg-type]
    secret = await issue_token(runtime.db, team.head.id, Scope.POLICIES_READ)
    variables = {"unitId": encode_id("OrgUnit", team.directorate.id), "from": MON.isoformat(), "to": WED.isoformat(),
                 "first": 1}  # fmt: skip

    body = await call(client, secret, "AttendanceReconciliation", variables)

    result = body["data"]["attendanceReconciliation"]
    assert result["counts"] == {"bookedPresent": 0, "bookedAbsent": 0, "bookedNoData": 0, "presentWithoutBooking": 2}
    assert result["entries"]["totalCount"] == 2 and result["entries"]["pageInfo"]["hasNextPage"]
    [edge] = result["entries"]["edges"]
    assert edge["node"]["name"] is None  # no people:read:names
    assert (edge["node"]["date"], edge["node"]["category"]) == (MON.isoformat(), "PRESENT_WITHOUT_BOOKING")
    after = result["entries"]["pageInfo"]["endCursor"]
    rest = await call(client, secret, "AttendanceReconciliation", {**variables, "after": after})
    [second] = rest["data"]["attendanceReconciliation"]["entries"]["edges"]
    assert second["node"]["date"] == TUE.isoformat()
    stranger = await issue_token(runtime.db, team.stranger.id, Scope.POLICIES_READ)
    denied = (await call(client, stranger, "AttendanceReconciliation", variables))["data"]["attendanceReconciliation"]
    assert denied["__typename"] == "PermissionDeniedError"
