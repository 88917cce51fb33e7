"""`smartoffice accounts create|reset|disable|list`: accounts from the shell, each change audited."""

import re

import pytest
from sqlalchemy import select

from smartoffice.audit.models import AuditEntry
from smartoffice.db import Database, utcnow
from smartoffice.identity.accounts import verify_login
from smartoffice.identity.invitations import accept_invitation, invited_person
from smartoffice.identity.models import LocalAccount
from smartoffice.people.models import Employee, Role, RoleAssignment
from tests.factories import Factory
from tests.support.cli import command_environment, run

LINK = re.compile(r"(https?://\S+)/login/invite/(\S+)")
PASSWORD = "kata-sandi-baru-2026"


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: object) -> None:
    command_environment(monkeypatch, database_url, tmp_path)


def invitation_token(out: str) -> str:
    match = LINK.search(out)
    assert match is not None, out
    return match.group(2)


async def audit_actions(db: Database) -> list[tuple[str, str, int | None]]:
    async with db.read() as session:
        rows = await session.execute(
            select(AuditEntry.action, AuditEntry.via, AuditEntry.actor_id).order_by(AuditEntry.id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


class TestCreate:
    async def test_an_admin_account_from_nothing(
        self, db: Database, factory: Factory, capsys: pytest.CaptureFixture[str]
    ) -> None:
        person = await factory.employee(email="admin.pertama@example.go.id")

        code, out = await run(
            ["accounts", "create", "--employee", "Admin.Pertama@example.go.id", "--role", "admin",
             "--base-url", "https://kantor.example.go.id/"],
            capsys,
        )  # fmt: skip

        assert code == 0 and "https://kantor.example.go.id/login/invite/" in out
        token = invitation_token(out)
        async with db.read() as session:
            account = await session.get(LocalAccount, person.id)
            grants = (
                await session.scalars(select(RoleAssignment).where(RoleAssignment.employee_id == person.id))
            ).all()
        assert account is not None and account.password_hash is None
        assert account.invitation_hash is not None and token not in account.invitation_hash  # stored hashed
        assert [g.role for g in grants] == [Role.ADMIN]
        assert await audit_actions(db) == [("account.create", "cli", None), ("role.grant", "cli", None)]
        assert await verify_login(db, person.email, PASSWORD) is None  # no password until the link is used
        assert await invited_person(db, token, utcnow()) == person.name
        assert await accept_invitation(db, token, PASSWORD, utcnow()) == person.id
        assert await verify_login(db, person.email, PASSWORD) == person.id

    async def test_by_nip_without_a_role(
        self, db: Database, factory: Factory, capsys: pytest.CaptureFixture[str]
    ) -> None:
        person = await factory.employee()

        code, out = await run(["accounts", "create", "--employee", person.nip], capsys)

        assert code == 0 and invitation_token(out)
        async with db.read() as session:
            assert await session.scalar(select(RoleAssignment.id)) is None
        assert [a for a, _, _ in await audit_actions(db)] == ["account.create"]

    async def test_a_second_account_is_refused(
        self, db: Database, factory: Factory, capsys: pytest.CaptureFixture[str]
    ) -> None:
        person = await factory.employee()
        await run(["accounts", "create", "--employee", person.email], capsys)

        code, out = await run(["accounts", "create", "--employee", person.email], capsys)

        assert code == 2 and "already has an account" in out

    async def test_nobody_by_that_name(self, factory: Factory, capsys: pytest.CaptureFixture[str]) -> None:
        code, out = await run(["accounts", "create", "--employee", "nobody@example.go.id"], capsys)

        assert code == 2 and "no employee" in out

    async def test_someone_who_left_is_refused(
        self, db: Database, factory: Factory, capsys: pytest.CaptureFixture[str]
    ) -> None:
        person = await factory.employee(active=False)

        code, out = await run(["accounts", "create", "--employee", person.email, "--role", "admin"], capsys)

        assert code == 2 and "no longer active" in out
        async with db.read() as session:
            assert await session.get(LocalAccount, person.id) is None
            assert await session.scalar(select(RoleAssignment.id)) is None
        assert await audit_actions(db) == []


class TestResetAndDisable:
    async def test_reset_revokes_the_password_and_the_old_link(
        self, db: Database, factory: Factory, capsys: pytest.CaptureFixture[str]
    ) -> None:
        person = await factory.employee()
        _, out = await run(["accounts", "create", "--employee", person.email], capsys)
        first = invitation_token(out)
        await accept_invitation(db, first, PASSWORD, utcnow())

        code, out = await run(["accounts", "reset", person.email], capsys)

        assert code == 0
        second = invitation_token(out)
        assert await verify_login(db, person.email, PASSWORD) is None
        assert await invited_person(db, first, utcnow()) is None
        assert await invited_person(db, second, utcnow()) == person.name
        assert [a for a, _, _ in await audit_actions(db)][-1] == "account.reset"

    async def test_reset_without_an_account_is_refused(
        self, factory: Factory, capsys: pytest.CaptureFixture[str]
    ) -> None:
        person = await factory.employee()

        code, out = await run(["accounts", "reset", person.email], capsys)

        assert code == 2 and "has no account" in out

    async def test_disable_then_list(self, db: Database, factory: Factory, capsys: pytest.CaptureFixture[str]) -> None:
        person, other = await factory.employee(name="Budi Santoso"), await factory.employee(name="Citra Lestari")
        _, out = await run(["accounts", "create", "--employee", person.email], capsys)
        token = invitation_token(out)
        await run(["accounts", "create", "--employee", other.email], capsys)

        code, out = await run(["accounts", "disable", person.nip], capsys)

        assert code == 0 and "disabled" in out
        assert await invited_person(db, token, utcnow()) is None  # a pending invitation dies with it
        _, listed = await run(["accounts", "list"], capsys)
        lines = {line.split("  ")[0].strip(): line for line in listed.splitlines()[1:]}
        assert "disabled" in lines[person.nip] and "invited" in lines[other.nip]
        assert [a for a, _, _ in await audit_actions(db)][-1] == "account.disable"

    async def test_disable_someone_without_an_account(
        self, db: Database, factory: Factory, capsys: pytest.CaptureFixture[str]
    ) -> None:
        person = await factory.employee()

        code, _ = await run(["accounts", "disable", person.email], capsys)

        assert code == 0
        async with db.read() as session:
            account = await session.get(LocalAccount, person.id)
            assert account is not None and account.disabled_at is not None and account.password_hash is None
            assert (await session.get(Employee, person.id)) is not None
