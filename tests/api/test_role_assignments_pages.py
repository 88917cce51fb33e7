"""``roleAssignments`` is a keyset-paginated connection: every row the viewer may see, each exactly once across pages
(explicit grants, room approvers, heads of units by position), whatever the page size, also while roles change;
``first`` is bounded and a cursor this API did not issue is a ValidationError."""

import base64
from collections import Counter
from typing import Any

import pytest
import strawberry

from smartoffice.audit.record import Actor
from smartoffice.db import MAX_PAGE_SIZE
from smartoffice.errors import InvalidInput
from smartoffice.ids import decode_id, encode_id
from smartoffice.people import role_listing
from smartoffice.people.role_grant import GrantableRole, RoleGrant
from smartoffice.people.role_listing import RoleSearch, decode_cursor, encode_cursor
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.graphql import GraphQL, data_of
from tests.support.org_chart import OrgChart, build_org_chart
from tests.support.role_rows import ADDED_ROWS, add_role_rows

TOTAL = "query { roleAssignments(first: 1) { ... on RoleAssignmentConnection { totalCount } } }"
Row = tuple[str, str | None, str, str]
"""(role, scope id, employee id, source): one listed role."""


@pytest.fixture
async def org(factory: Factory) -> OrgChart:
    chart = await build_org_chart(factory)
    await add_role_rows(factory, chart)
    return chart


async def walk(
    graphql: GraphQL, viewer: int, first: int, variables: dict[str, Any] | None = None, after: str | None = None
) -> list[Row]:
    """Every row from ``after`` on, following ``endCursor`` until ``hasNextPage`` is false; each page but the last is
    full."""
    rows: list[Row] = []
    while True:
        page = await data_of(
            graphql, "RoleAssignments", {**(variables or {}), "first": first, "after": after}, as_employee=viewer
        )
        assert page["__typename"] == "RoleAssignmentConnection", page
        rows += [_row(edge["node"]) for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return rows
        assert len(page["edges"]) == first
        assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        after = page["pageInfo"]["endCursor"]


def _row(node: dict[str, Any]) -> Row:
    return node["role"], node["scopeId"], node["employee"]["id"], node["source"]


async def test_small_pages_list_every_row_exactly_once(graphql: GraphQL, org: OrgChart) -> None:
    # when
    paged = await walk(graphql, org.admin.id, first=3)
    whole = await walk(graphql, org.admin.id, first=100)
    total = await data_of(graphql, TOTAL, as_employee=org.admin.id)

    # then: the same rows in the same order, none twice, all of them
    assert paged == whole
    assert not [row for row, seen in Counter(paged).items() if seen > 1]
    assert len(paged) == 4 + ADDED_ROWS == total["totalCount"]
    by_kind = Counter((role, source) for role, _, _, source in paged)
    assert by_kind[("UNIT_MANAGER", "POSITION")] == 6
    assert by_kind[("ROOM_APPROVER", "GRANTED")] == 3
    assert by_kind[("FACILITIES_MANAGER", "GRANTED")] == 5
    # explicit grants, then room approvers, then heads by position
    parts = [2 if source == "POSITION" else int(role == "ROOM_APPROVER") for role, _, _, source in paged]
    assert parts == sorted(parts)


async def test_a_manager_pages_through_what_they_may_see_only(graphql: GraphQL, org: OrgChart) -> None:
    paged = await walk(graphql, org.director.id, first=1)
    whole = await walk(graphql, org.director.id, first=100)

    assert paged == whole
    people = {employee for _, _, employee, _ in paged}
    assert encode_id("Employee", org.other_director.id) not in people  # heads the sibling, outside the director's
    assert encode_id("Employee", org.staff[1].id) not in people  # approver of a room in the sibling's zone
    assert (
        "UNIT_MANAGER",
        encode_id("OrgUnit", org.directorate.id),
        encode_id("Employee", org.director.id),
        "POSITION",
    ) in paged


async def test_filters_apply_on_every_page(graphql: GraphQL, org: OrgChart) -> None:
    heads = await walk(graphql, org.admin.id, first=2, variables={"filter": {"role": "UNIT_MANAGER"}})
    vice = await walk(
        graphql, org.admin.id, first=1, variables={"filter": {"employeeId": encode_id("Employee", org.vice.id)}}
    )

    assert [source for *_, source in heads] == ["GRANTED"] + ["POSITION"] * 6
    assert vice == [
        ("ROOM_APPROVER", encode_id("MeetingRoom", org.room.id), encode_id("Employee", org.vice.id), "GRANTED")
    ]


async def test_a_cursor_keeps_its_place_while_roles_change(
    graphql: GraphQL, org: OrgChart, runtime: Runtime, factory: Factory
) -> None:
    # given: the first page read (the administrator and three facilities managers)
    first = await data_of(graphql, "RoleAssignments", {"first": 4}, as_employee=org.admin.id)
    seen = [_row(edge["node"]) for edge in first["edges"]]
    # when: a role already shown is revoked, and a facilities manager and a room approver are granted
    admin = Actor(org.admin.id, "test")
    await runtime.roles.revoke(admin, RoleGrant(_employee_id(seen[1]), GrantableRole.FACILITIES_MANAGER, org.site.id))
    newcomer = await factory.employee(org.directorate, name="Pengelola Baru")
    await runtime.roles.grant(admin, RoleGrant(newcomer.id, GrantableRole.FACILITIES_MANAGER, org.site.id))
    await runtime.roles.grant(admin, RoleGrant(newcomer.id, GrantableRole.ROOM_APPROVER, org.room.id))
    rest = await walk(graphql, org.admin.id, first=3, after=first["pageInfo"]["endCursor"])

    # then: nothing shown twice, nothing skipped, the new ones listed
    now = await walk(graphql, org.admin.id, first=100)
    assert not set(seen) & set(rest)
    assert [row for row in now if row not in seen] == rest
    newcomer_id = encode_id("Employee", newcomer.id)
    assert ("FACILITIES_MANAGER", encode_id("Site", org.site.id), newcomer_id, "GRANTED") in rest
    assert ("ROOM_APPROVER", encode_id("MeetingRoom", org.room.id), newcomer_id, "GRANTED") in rest


def _employee_id(row: Row) -> int:
    return decode_id(strawberry.ID(row[2]), "Employee", "employeeId")


@pytest.mark.parametrize(
    "cursor",
    [
        "not a cursor",
        base64.urlsafe_b64encode(b"2026-12-01T08:00:00+00:00|5").decode(),  # a bookings cursor
        base64.urlsafe_b64encode(b"role|7|1|0").decode(),  # no such part
        base64.urlsafe_b64encode(b"role|0|x|0").decode(),
        "",
    ],
)
async def test_a_cursor_this_api_did_not_issue_is_a_validation_error(
    graphql: GraphQL, org: OrgChart, cursor: str
) -> None:
    answer = await data_of(graphql, "RoleAssignments", {"after": cursor}, as_employee=org.admin.id)

    assert (answer["__typename"], answer["field"], answer["code"]) == ("ValidationError", "after", "INVALID_CURSOR")


async def test_a_malformed_employee_id_is_a_validation_error(graphql: GraphQL, org: OrgChart) -> None:
    answer = await data_of(graphql, "RoleAssignments", {"filter": {"employeeId": "nope"}}, as_employee=org.admin.id)

    assert (answer["__typename"], answer["code"]) == ("ValidationError", "INVALID_ID")


class TestPageSize:
    async def test_first_is_capped_and_at_least_one(
        self, runtime: Runtime, org: OrgChart, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(role_listing, "MAX_PAGE_SIZE", 4)

        many = await runtime.roles.assignments(org.admin.id, first=1000)
        none = await runtime.roles.assignments(org.admin.id, first=0)
        negative = await runtime.roles.assignments(org.admin.id, RoleSearch(role=GrantableRole.UNIT_MANAGER), first=-5)

        assert (len(many.grants), many.has_next) == (4, True)
        assert (len(none.grants), none.has_next) == (1, True)
        assert (len(negative.grants), negative.has_next) == (1, True)

    def test_the_api_caps_first_at_the_shared_page_size(self) -> None:
        assert role_listing.MAX_PAGE_SIZE == MAX_PAGE_SIZE == 100


def test_a_cursor_decodes_to_its_place() -> None:
    assert decode_cursor(encode_cursor((2, 41, 7))) == (2, 41, 7)
    with pytest.raises(InvalidInput):
        decode_cursor(encode_cursor((3, 1, 1)))
