"""A person's notifications over GraphQL: ``myNotifications``, ``unreadNotificationCount``, ``markNotificationsRead``,
``notificationPreferences`` and ``updateNotificationPreferences`` (the caller's own only; tokens as scoped)."""

from typing import Any

from litestar.testing import AsyncTestClient

from smartoffice.identity.scopes import Scope
from smartoffice.ids import encode_id
from smartoffice.notifications.models import NotificationKind
from smartoffice.people.models import Employee
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.auth import bearer, issue_token
from tests.support.graphql import GraphQL, data_of, operation
from tests.support.notifications import notified_bookings

K = NotificationKind


async def booked_for(runtime: Runtime, factory: Factory, person: Employee, *, count: int = 1) -> list[str]:
    """:func:`tests.support.notifications.booked_for`, as global ids."""
    return [encode_id("Notification", i) for i in await notified_bookings(runtime, factory, person, count=count)]


def nodes(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [edge["node"] for edge in result["myNotifications"]["edges"]]


async def test_my_notifications_newest_first_in_my_language(
    graphql: GraphQL, runtime: Runtime, factory: Factory
) -> None:
    # given three notifications for Siti and one for Budi
    siti, budi = await factory.employee(), await factory.employee()
    ids = await booked_for(runtime, factory, siti, count=3)
    await booked_for(runtime, factory, budi)

    # when she reads two, then the rest
    first = (await graphql("MyNotifications", {"first": 2}, as_employee=siti.id))["data"]
    after = first["myNotifications"]["pageInfo"]["endCursor"]
    rest = (await graphql("MyNotifications", {"first": 2, "after": after}, as_employee=siti.id))["data"]

    # then hers, newest first, unread, with words and a link
    assert [n["id"] for n in nodes(first) + nodes(rest)] == list(reversed(ids))
    assert first["unreadNotificationCount"] == 3
    assert (first["myNotifications"]["pageInfo"]["hasNextPage"], rest["myNotifications"]["pageInfo"]) == (
        True,
        {"hasNextPage": False, "endCursor": rest["myNotifications"]["edges"][-1]["cursor"]},
    )
    newest = nodes(first)[0]
    assert (newest["kind"], newest["readAt"], newest["link"]) == ("BOOKING_CONFIRMED", None, "/my-bookings")
    assert f"N-{siti.id}-2" in newest["title"] and "Budi Santoso" in newest["title"]

    # and in Indonesian when she asks for it
    indonesian = nodes((await graphql("MyNotifications", {}, as_employee=siti.id, language="id"))["data"])[0]
    assert indonesian["title"] != newest["title"] and f"N-{siti.id}-2" in indonesian["title"]


async def test_a_cursor_not_ours_is_a_validation_error(graphql: GraphQL, factory: Factory) -> None:
    siti = await factory.employee()
    body = await graphql("MyNotifications", {"after": "bm9wZQ=="}, as_employee=siti.id)
    assert body["data"]["myNotifications"] == {
        "__typename": "ValidationError",
        "message": "The cursor is not one this API returned",
        "field": "after",
        "code": "INVALID_CURSOR",
    }


async def test_mark_read_some_then_all_only_ones_own(graphql: GraphQL, runtime: Runtime, factory: Factory) -> None:
    siti, budi = await factory.employee(), await factory.employee()
    a, b, _c = await booked_for(runtime, factory, siti, count=3)
    (budis,) = await booked_for(runtime, factory, budi)

    some = await data_of(graphql, "MarkNotificationsRead", {"input": {"ids": [a, b, budis]}}, as_employee=siti.id)
    again = await data_of(graphql, "MarkNotificationsRead", {"input": {"ids": [a]}}, as_employee=siti.id)
    assert (some["marked"], some["unreadCount"], again["marked"]) == (2, 1, 0)
    assert await runtime.notifications.unread_count(budi.id) == 1

    unread = await graphql("MyNotifications", {"unreadOnly": True}, as_employee=siti.id)
    assert [n["id"] for n in nodes(unread["data"])] == [_c]

    everything = await data_of(graphql, "MarkNotificationsRead", {"input": {"all": True}}, as_employee=siti.id)
    assert (everything["marked"], everything["unreadCount"]) == (1, 0)
    read = nodes((await graphql("MyNotifications", {}, as_employee=siti.id))["data"])
    assert all(n["readAt"] is not None for n in read)


async def test_mark_read_needs_ids_or_all(graphql: GraphQL, factory: Factory) -> None:
    siti = await factory.employee()
    nothing = await data_of(graphql, "MarkNotificationsRead", {"input": {}}, as_employee=siti.id)
    malformed = await data_of(graphql, "MarkNotificationsRead", {"input": {"ids": ["x"]}}, as_employee=siti.id)
    assert (nothing["code"], nothing["field"]) == ("NOTHING_TO_MARK", "ids")
    assert (malformed["code"], malformed["field"]) == ("INVALID_ID", "ids")


async def test_preferences_read_and_update(graphql: GraphQL, factory: Factory) -> None:
    siti = await factory.employee()
    defaults = await data_of(graphql, "NotificationPreferences", as_employee=siti.id)
    assert len(defaults["kinds"]) == len(K) and not any(k["chosen"] for k in defaults["kinds"])
    assert (defaults["quietFrom"], defaults["dailyDigest"], defaults["digestAt"]) == (None, False, "07:00:00")

    update = {
        "input": {
            "kinds": [{"kind": "WEEKLY_REMINDER", "email": False, "inApp": True}],
            "schedule": {"quietFrom": "21:00", "quietUntil": "06:00", "dailyDigest": True, "digestAt": "08:00"},
        }
    }
    saved = await data_of(graphql, "UpdateNotificationPreferences", update, as_employee=siti.id)
    chosen = [k for k in saved["preferences"]["kinds"] if k["chosen"]]
    assert chosen == [{"kind": "WEEKLY_REMINDER", "email": False, "inApp": True, "chosen": True}]
    assert saved["preferences"]["quietFrom"] == "21:00:00" and saved["preferences"]["digestAt"] == "08:00:00"
    assert await data_of(graphql, "NotificationPreferences", as_employee=siti.id) == saved["preferences"]


async def test_a_refused_update_saves_nothing(graphql: GraphQL, factory: Factory) -> None:
    siti = await factory.employee()
    twice = {
        "kinds": [
            {"kind": "UNIT_DIGEST", "email": False, "inApp": False},
            {"kind": "UNIT_DIGEST", "email": True, "inApp": True},
        ]
    }
    half_quiet = {
        "kinds": [{"kind": "UNIT_DIGEST", "email": False, "inApp": False}],
        "schedule": {"quietFrom": "21:00"},
    }
    for given, field, code in (
        (twice, "kinds", "NOTIFICATION_KIND_TWICE"),
        (half_quiet, "schedule.quietUntil", "QUIET_HOURS_INCOMPLETE"),
    ):
        refused = await data_of(graphql, "UpdateNotificationPreferences", {"input": given}, as_employee=siti.id)
        assert (refused["__typename"], refused["field"], refused["code"]) == ("ValidationError", field, code)
    indonesian = await data_of(
        graphql, "UpdateNotificationPreferences", {"input": half_quiet}, as_employee=siti.id, language="id"
    )
    assert indonesian["message"] == "Isi awal dan akhir jam tenang, atau kosongkan keduanya"
    after = await data_of(graphql, "NotificationPreferences", as_employee=siti.id)
    assert not any(k["chosen"] for k in after["kinds"]) and after["quietFrom"] is None


async def test_tokens_read_with_bookings_read_and_never_change_preferences(
    client: AsyncTestClient, runtime: Runtime, factory: Factory
) -> None:
    siti = await factory.employee()
    await booked_for(runtime, factory, siti)
    reader = await issue_token(runtime.db, siti.id, Scope.BOOKINGS_READ)
    writer = await issue_token(runtime.db, siti.id, Scope.BOOKINGS_READ, Scope.BOOKINGS_WRITE_SELF)
    other = await issue_token(runtime.db, siti.id, Scope.PLACES_READ)

    async def post(name: str, variables: dict[str, Any], secret: str) -> dict[str, Any]:
        response = await client.post(
            "/api/graphql", json={"query": operation(name), "variables": variables}, headers=bearer(secret)
        )
        body: dict[str, Any] = response.json()
        return body

    def codes(body: dict[str, Any]) -> list[str]:
        return [e["extensions"]["code"] for e in body.get("errors", [])]

    assert (await post("MyNotifications", {}, reader))["data"]["unreadNotificationCount"] == 1
    assert codes(await post("MyNotifications", {}, other)) == ["INSUFFICIENT_SCOPE"]
    assert codes(await post("MarkNotificationsRead", {"input": {"all": True}}, reader)) == ["INSUFFICIENT_SCOPE"]
    marked = await post("MarkNotificationsRead", {"input": {"all": True}}, writer)
    assert marked["data"]["markNotificationsRead"]["marked"] == 1
    assert codes(await post("NotificationPreferences", {}, writer)) == ["SESSIONS_ONLY"]
    update = {"input": {"kinds": [{"kind": "UNIT_DIGEST", "email": False, "inApp": False}]}}
    assert codes(await post("UpdateNotificationPreferences", update, writer)) == ["SESSIONS_ONLY"]


async def test_nobody_has_no_notifications(graphql: GraphQL) -> None:
    body = await graphql("MyNotifications", {})
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]
