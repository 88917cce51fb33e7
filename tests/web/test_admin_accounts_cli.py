"""`smartoffice accounts enable`: the shell's way to undo a disable, as the accounts page's Enable button does."""

import pytest
from sqlalchemy import select

from smartoffice.audit.models import AuditEntry
from smartoffice.audit.record import Actor
from smartoffice.db import Database, utcnow
from smartoffice.identity.accounts import set_password, sign_in_refusal
from smartoffice.identity.invitations import create_account
from tests.factories import Factory
from tests.support.cli import command_environment, run

PASSWORD = "kata-sandi-baru-2026"


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: object) -> None:
    command_environment(monkeypatch, database_url, tmp_path)


async def test_enable_undoes_a_disable_and_is_audited(
    db: Database, factory: Factory, capsys: pytest.CaptureFixture[str]
) -> None:
    person = await factory.employee(name="Lina Marlina")
    async with db.write() as session:
        await create_account(session, person, now=utcnow(), actor=Actor.system("test"))
    async with db.write() as session:
        await set_password(session, person.id, PASSWORD, utcnow())

    disabled, _ = await run(["accounts", "disable", person.nip], capsys)
    refusal = await sign_in_refusal(db, person.id)
    enabled, out = await run(["accounts", "enable", person.email], capsys)
    again, out_again = await run(["accounts", "enable", person.email], capsys)

    assert disabled == 0 and refusal is not None
    assert enabled == 0 and "account of Lina Marlina" in out and "enabled" in out
    assert await sign_in_refusal(db, person.id) is None
    assert again == 0 and "was not disabled" in out_again
    async with db.read() as session:
        rows = (await session.execute(select(AuditEntry.action, AuditEntry.via).order_by(AuditEntry.id))).all()
    assert [tuple(r) for r in rows][-2:] == [("account.disable", "cli"), ("account.enable", "cli")]


async def test_enable_refuses_someone_without_an_account(
    db: Database, factory: Factory, capsys: pytest.CaptureFixture[str]
) -> None:
    person = await factory.employee(name="Tanpa Akun")

    code, out = await run(["accounts", "enable", person.nip], capsys)

    assert code == 2 and "Tanpa Akun has no account: create one first" in out
