"""The audit log page (``/admin/audit``) and its CSV: what each reader may read (sites, units by position), the
filters, the keyset "older" link, and before → after as a table of the fields that changed."""

import csv
import io
import re
from datetime import UTC, datetime, timedelta

from smartoffice.audit.record import Actor, record_change
from smartoffice.people.models import Role
from smartoffice.people.role_grant import GrantableRole, RoleGrant
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.org_chart import build_org_chart
from tests.support.pages import PageClient

AT = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


async def _entry(
    runtime: Runtime, action: str, *, at: datetime = AT, actor_id: int | None = None, **scope: object
) -> None:
    async with runtime.db.write() as session:
        record_change(
            session,
            Actor(actor_id, "test"),
            action,
            at=at,
            entity_kind="Policy",
            entity_id=7,
            before={"name": "Lama", "cap": 50, "same": 1},
            after={"name": "Baru", "cap": 40, "same": 1},
            **scope,  # type: ignore[arg-type]
        )


def _actions(html: str) -> list[str]:
    return re.findall(r'<li class="audit-entry" id="entry-\d+" data-action="([^"]+)"', html)


async def test_a_facilities_manager_reads_their_site_only(
    pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    # given: entries on two sites, and a facilities manager of the first
    mine, other = await factory.site(name="Situs Satu"), await factory.site(name="Situs Dua")
    manager = await factory.employee(name="Rina Fasilitas")
    await factory.role(manager, Role.FACILITIES_MANAGER, site_id=mine.id)
    await _entry(runtime, "closure.mine", site_id=mine.id)
    await _entry(runtime, "closure.other", site_id=other.id)
    await pages.act_as(manager.id)

    page = await pages.get("/admin/audit")
    asked_other = await pages.get(f"/admin/audit?site={other.id}")
    exported = await pages.get("/admin/audit.csv")

    assert page.status_code == 200 and _actions(page.text) == ["closure.mine"]
    assert "Situs Dua" not in page.text  # neither the entry nor a filter choice
    assert asked_other.status_code == 403 and _actions(asked_other.text) == []
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert exported.headers["content-type"].startswith("text/csv")
    assert [row["action"] for row in rows] == ["closure.mine"] and rows[0]["site"] == "Situs Satu"


async def test_a_unit_head_by_position_reads_the_units_entries(
    pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    org = await build_org_chart(factory)
    await runtime.roles.grant(
        Actor(org.admin.id, "test"), RoleGrant(org.lead.id, GrantableRole.UNIT_MANAGER, org.team.id)
    )
    await _entry(runtime, "policy.sibling", org_unit_id=org.sibling.id)
    await _entry(runtime, "policy.directorate", org_unit_id=org.directorate.id)
    await pages.act_as(org.director.id)

    page = await pages.get("/admin/audit")
    sibling = await pages.get(f"/admin/audit?unit={org.sibling.id}")

    assert page.status_code == 200
    assert _actions(page.text) == ["role.grant", "policy.directorate"]  # newest first; the grant is in the team
    assert "Ketua Tim" in page.text and "Admin" in page.text  # who was granted, and who granted it
    assert sibling.status_code == 403


async def test_an_entry_shows_who_when_and_the_changed_fields(
    pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    org = await build_org_chart(factory)
    await _entry(runtime, "policy.update", actor_id=org.director.id)
    await pages.act_as(org.admin.id)

    page = await pages.get("/admin/audit")

    assert '<time datetime="2026-11-20T03:00:00+00:00">2026-11-20 03:00:00 UTC</time>' in page.text
    assert ">Direktur</a>" in page.text and "via test" in page.text
    diff = re.search(r'<table class="diff">(.*?)</table>', page.text, re.S)
    assert diff
    fields = re.findall(
        r"<th scope=\"row\"><code>(\w+)</code></th>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>", diff.group(1)
    )
    assert fields == [("name", "Lama", "Baru"), ("cap", "50", "40")]  # "same" did not change


async def test_filters_and_the_older_link(pages: PageClient, factory: Factory, runtime: Runtime) -> None:
    org = await build_org_chart(factory)
    for n in range(30):
        await _entry(runtime, "policy.update", at=AT - timedelta(hours=n), actor_id=org.director.id)
    await _entry(runtime, "token.issue", at=AT + timedelta(days=3))
    await pages.act_as(org.admin.id)

    first = await pages.get("/admin/audit?action=policy.")
    older = re.search(r'<a href="([^"]+)" rel="next">', first.text)
    assert older
    second = await pages.get(older.group(1).replace("&amp;", "&"))
    by_actor = await pages.get(f"/admin/audit?actor={org.director.email}&from=2026-11-19&until=2026-11-19")
    by_day = await pages.get("/admin/audit?from=2026-11-23&until=2026-11-23")
    backwards = await pages.get("/admin/audit?from=2026-11-23&until=2026-11-01")

    assert len(_actions(first.text)) == 25 and set(_actions(first.text)) == {"policy.update"}
    assert len(_actions(second.text)) == 5 and 'rel="next"' not in second.text
    assert "action=policy." in older.group(1)
    assert len(_actions(by_actor.text)) == 24  # 03:00 on the 20th minus 4 to 27 hours: the 19th, UTC
    assert _actions(by_day.text) == ["token.issue"]
    assert backwards.status_code == 422


async def test_a_bad_filter_or_cursor_is_a_clear_error(pages: PageClient, factory: Factory) -> None:
    org = await build_org_chart(factory)
    await pages.act_as(org.admin.id)

    bad_date = await pages.get("/admin/audit?from=kemarin")
    bad_cursor = await pages.get("/admin/audit?after=bukan-kursor")
    nobody = await pages.get("/admin/audit?actor=tidak-ada@example.go.id")

    assert bad_date.status_code == 422 and "That date is not valid" in bad_date.text
    assert bad_cursor.status_code == 422
    assert nobody.status_code == 422 and "Nobody active matches" in nobody.text
