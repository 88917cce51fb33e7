"""``/admin/roles`` pages with the listing's keyset: following "Next page" (a plain link carrying the cursor, no
JavaScript) shows every role the visitor may see exactly once, explicit grants, room approvers and heads of units by
position alike; a cursor the page did not write shows the first page and says why, never a server error."""

import html
import re
from collections import Counter

import pytest

from smartoffice.people.role_listing import RoleSearch
from smartoffice.runtime import Runtime
from smartoffice.web.admin import roles as roles_page
from tests.factories import Factory
from tests.support.org_chart import OrgChart, build_org_chart
from tests.support.pages import PageClient
from tests.support.role_rows import ADDED_ROWS, add_role_rows

NEXT = re.compile(r'<a href="([^"]+)" rel="next">')
ROW = re.compile(r'<tr data-employee-id="(\d+)" data-role="([a-z_]+)">')


@pytest.fixture
async def org(factory: Factory, monkeypatch: pytest.MonkeyPatch) -> OrgChart:
    monkeypatch.setattr(roles_page, "PAGE_SIZE", 4)
    chart = await build_org_chart(factory)
    await add_role_rows(factory, chart)
    return chart


async def follow(pages: PageClient, url: str) -> tuple[list[tuple[int, str]], list[str]]:
    """The rows of every page from ``url`` on, following "Next page"; and each page's "Showing" line."""
    rows: list[tuple[int, str]] = []
    counts: list[str] = []
    while True:
        page = await pages.get(url)
        assert page.status_code == 200, page.text
        rows += [(int(employee), role) for employee, role in ROW.findall(page.text)]
        counts.append(re.sub(r"\s+", " ", re.search(r'id="roles-count">(.*?)</p>', page.text, re.S).group(1)).strip())  # type: ignore[union-attr]
        link = NEXT.search(page.text)
        if link is None:
            return rows, counts
        url = html.unescape(link.group(1))
        assert url.startswith("/admin/roles?") and "after=" in url


async def listed(runtime: Runtime, viewer: int, search: RoleSearch) -> list[tuple[int, str]]:
    page = await runtime.roles.assignments(viewer, search, first=100)
    assert not page.has_next
    return [(grant.employee_id, grant.role.value) for grant in page.grants]


async def test_next_links_reach_every_row_once(pages: PageClient, org: OrgChart, runtime: Runtime) -> None:
    await pages.act_as(org.admin.id)

    rows, counts = await follow(pages, "/admin/roles")

    total = 4 + ADDED_ROWS
    assert rows == await listed(runtime, org.admin.id, RoleSearch())
    assert len(rows) == total and Counter(role for _, role in rows)["unit_manager"] == 7
    assert counts[0] == f"Showing 1–4 of {total}" and counts[-1] == f"Showing 13–{total} of {total}"


async def test_a_manager_pages_through_their_own_and_filters_stay_on(
    pages: PageClient, org: OrgChart, runtime: Runtime
) -> None:
    await pages.act_as(org.director.id)

    everything, _ = await follow(pages, "/admin/roles")
    heads, _ = await follow(pages, "/admin/roles?role=unit_manager")
    await pages.act_as(org.admin.id)
    named, counts = await follow(pages, "/admin/roles?q=pengelola")

    assert everything == await listed(runtime, org.director.id, RoleSearch())
    assert org.other_director.id not in {employee for employee, _ in everything}
    assert "facilities_manager" not in {role for _, role in everything}  # the site's: not the director's to see
    assert heads == await listed(runtime, org.director.id, RoleSearch(role=roles_page.GrantableRole.UNIT_MANAGER))
    assert len(named) == 5 and {role for _, role in named} == {"facilities_manager"}
    assert counts == ["Showing 1–4 of 5", "Showing 5–5 of 5"]


async def test_later_pages_link_back_to_the_start(pages: PageClient, org: OrgChart) -> None:
    await pages.act_as(org.admin.id)
    first = await pages.get("/admin/roles?role=facilities_manager")
    link = NEXT.search(first.text)
    assert link

    second = await pages.get(html.unescape(link.group(1)))

    assert "Back to the start" not in first.text
    assert '<a href="/admin/roles?role=facilities_manager">Back to the start</a>' in second.text


@pytest.mark.parametrize("cursor", ["garbage", "cm9sZXw5fDF8MQ=="])
async def test_a_cursor_the_page_did_not_write_shows_the_first_page(
    pages: PageClient, org: OrgChart, cursor: str
) -> None:
    await pages.act_as(org.admin.id)

    page = await pages.get(f"/admin/roles?after={cursor}")

    assert page.status_code == 422
    assert "The cursor is not one this API returned" in page.text
    assert f"Showing 1–4 of {4 + ADDED_ROWS}" in page.text
