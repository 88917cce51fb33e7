"""The audit log is written with the change, is append-only for the application (migration 0010's triggers), and
is read by admins and managers within their rights (``AuditService.search``)."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError

from smartoffice.audit.models import AuditEntry
from smartoffice.audit.record import Actor, record_change
from smartoffice.audit.service import AuditSearch
from smartoffice.db import utcnow
from smartoffice.errors import InvalidInput, PermissionDenied
from smartoffice.people.models import Role
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.org_chart import build_org_chart


async def test_an_entry_is_written_in_the_changes_transaction(runtime: Runtime, factory: Factory) -> None:
    admin = await factory.employee()
    async with runtime.db.write() as session:
        record_change(
            session,
            Actor(admin.id, "page"),
            "role.grant",
            at=utcnow(),
            entity_kind="Employee",
            entity_id=admin.id,
            before=None,
            after={"role": Role.ADMIN},
        )
    with pytest.raises(RuntimeError):
        async with runtime.db.write() as session:
            record_change(session, Actor.system("cli"), "role.revoke", at=utcnow(), entity_kind="Employee", entity_id=1)
            raise RuntimeError("the change failed: its entry goes with it")

    async with runtime.db.read() as session:
        entries = (await session.scalars(select(AuditEntry))).all()
    assert [(e.action, e.actor_id, e.via, e.after) for e in entries] == [
        ("role.grant", admin.id, "page", {"role": "admin"})
    ]


@pytest.mark.parametrize("statement", [update(AuditEntry).values(action="forged"), delete(AuditEntry)])
async def test_entries_cannot_be_changed_or_deleted(runtime: Runtime, factory: Factory, statement: object) -> None:
    async with runtime.db.write() as session:
        record_change(session, Actor.system("cli"), "employee.import", at=utcnow(), entity_kind="Employee", entity_id=1)
    with pytest.raises(DBAPIError, match="append-only"):
        async with runtime.db.write() as session:
            await session.execute(statement)  # type: ignore[call-overload]
    async with runtime.db.read() as session:
        assert (await session.scalars(select(AuditEntry.action))).all() == ["employee.import"]


# reading: AuditService.search


async def entry(runtime: Runtime, action: str, at: datetime, actor_id: int | None = None, **where: Any) -> None:
    async with runtime.db.write() as session:
        record_change(
            session, Actor(actor_id, "api"), action, at=at, entity_kind="Policy", entity_id=where.pop("id", 1), **where
        )


T0 = datetime(2026, 7, 6, 1, tzinfo=UTC)


class TestSearch:
    async def test_admins_read_everything_newest_first_a_page_at_a_time(
        self, runtime: Runtime, factory: Factory
    ) -> None:
        admin = await factory.employee()
        await factory.role(admin, Role.ADMIN)
        for n, action in enumerate(("policy.create", "policy.end", "token.issue")):
            await entry(runtime, action, T0 + timedelta(hours=n))

        first = await runtime.audit.search(admin.id, AuditSearch(), first=2)
        second = await runtime.audit.search(admin.id, AuditSearch(), first=2, after=first.cursor(first.entries[-1]))

        assert [e.action for e in first.entries] == ["token.issue", "policy.end"] and first.has_next
        assert [e.action for e in second.entries] == ["policy.create"] and not second.has_next

    async def test_filters(self, runtime: Runtime, factory: Factory) -> None:
        admin, other = await factory.employee(), await factory.employee()
        await factory.role(admin, Role.ADMIN)
        parent = await factory.unit()
        child = await factory.unit(parent_id=parent.id)
        site = await factory.site()
        await entry(runtime, "policy.create", T0, admin.id, id=7, org_unit_id=child.id)
        await entry(runtime, "policy.end", T0 + timedelta(hours=1), other.id, id=8, site_id=site.id)
        await entry(runtime, "policyx.create", T0 + timedelta(hours=2), admin.id, id=9)

        async def actions(**criteria: Any) -> list[str]:
            page = await runtime.audit.search(admin.id, AuditSearch(**criteria))
            return [e.action for e in page.entries]

        assert await actions(action="policy.") == ["policy.end", "policy.create"]
        assert await actions(action="policy.end") == ["policy.end"]
        assert await actions(entity_kind="Policy", entity_id=7) == ["policy.create"]
        assert await actions(actor_id=other.id) == ["policy.end"]
        assert await actions(since=T0 + timedelta(hours=1), until=T0 + timedelta(hours=2)) == ["policy.end"]
        assert await actions(site_id=site.id) == ["policy.end"]
        assert await actions(org_unit_id=parent.id) == ["policy.create"]

    async def test_a_facilities_manager_reads_their_sites_entries_only(
        self, runtime: Runtime, factory: Factory
    ) -> None:
        manager = await factory.employee()
        mine, theirs = await factory.site(), await factory.site()
        await factory.role(manager, Role.FACILITIES_MANAGER, site_id=mine.id)
        await entry(runtime, "policy.create", T0, site_id=mine.id)
        await entry(runtime, "policy.end", T0, site_id=theirs.id)
        await entry(runtime, "token.issue", T0)

        page = await runtime.audit.search(manager.id, AuditSearch())
        assert [e.action for e in page.entries] == ["policy.create"]
        with pytest.raises(PermissionDenied) as refused:
            await runtime.audit.search(manager.id, AuditSearch(site_id=theirs.id))
        assert refused.value.code == "NOT_A_FACILITIES_MANAGER"

    async def test_a_unit_manager_reads_their_subtrees_entries_only(self, runtime: Runtime, factory: Factory) -> None:
        manager = await factory.employee()
        unit, other_unit = await factory.unit(), await factory.unit()
        below = await factory.unit(parent_id=unit.id)
        await factory.role(manager, Role.UNIT_MANAGER, org_unit_id=unit.id)
        await entry(runtime, "exemption.decide", T0, org_unit_id=below.id)
        await entry(runtime, "anchor_days.set", T0, org_unit_id=other_unit.id)

        page = await runtime.audit.search(manager.id, AuditSearch())
        assert [(e.action, page.org_units[e.org_unit_id].id) for e in page.entries if e.org_unit_id] == [
            ("exemption.decide", below.id)
        ]
        with pytest.raises(PermissionDenied):
            await runtime.audit.search(manager.id, AuditSearch(org_unit_id=other_unit.id))

    async def test_the_head_of_a_unit_by_position_reads_their_units_entries(
        self, runtime: Runtime, factory: Factory
    ) -> None:
        chart = await build_org_chart(factory)  # no unit-manager grants: heads by position only
        await entry(runtime, "exemption.decide", T0, org_unit_id=chart.team.id)
        await entry(runtime, "anchor_days.set", T0, org_unit_id=chart.sibling.id)

        page = await runtime.audit.search(chart.director.id, AuditSearch())

        assert [e.action for e in page.entries] == ["exemption.decide"]
        with pytest.raises(PermissionDenied):  # struktural, but not the directorate's head
            await runtime.audit.search(chart.vice.id, AuditSearch())

    async def test_anyone_else_is_refused(self, runtime: Runtime, factory: Factory) -> None:
        person = await factory.employee()
        await entry(runtime, "policy.create", T0, org_unit_id=person.org_unit_id)
        with pytest.raises(PermissionDenied):
            await runtime.audit.search(person.id, AuditSearch())

    async def test_a_bad_cursor_or_a_reversed_range_is_invalid_input(self, runtime: Runtime, factory: Factory) -> None:
        admin = await factory.employee()
        await factory.role(admin, Role.ADMIN)
        with pytest.raises(InvalidInput) as cursor:
            await runtime.audit.search(admin.id, AuditSearch(), after="not-a-cursor")
        with pytest.raises(InvalidInput) as reversed_range:
            await runtime.audit.search(admin.id, AuditSearch(since=T0, until=T0 - timedelta(seconds=1)))
        assert (cursor.value.code, reversed_range.value.code) == ("INVALID_CURSOR", "END_BEFORE_START")
