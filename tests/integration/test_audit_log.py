"""The audit log is written with the change, and is append-only for the application (migration 0010's triggers)."""

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError

from smartoffice.audit.models import AuditEntry
from smartoffice.audit.record import Actor, record_change
from smartoffice.db import utcnow
from smartoffice.people.models import Role
from smartoffice.runtime import Runtime
from tests.factories import Factory


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
