"""`smartoffice token create|revoke` write their audit entries (``token.issue`` / ``token.revoke``, by the system
through ``cli``) in the transaction that changes the token, as the GraphQL administration does; refusals write
nothing (issue 11, follow-up to item 3)."""

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select

from smartoffice.audit.models import AuditEntry
from smartoffice.db import Database
from smartoffice.identity.models import ApiToken
from tests.factories import Factory
from tests.support.cli import command_environment, run


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: object) -> None:
    command_environment(monkeypatch, database_url, tmp_path)


async def entries(db: Database) -> list[tuple[Any, ...]]:
    async with db.read() as session:
        rows = await session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(e.action, e.actor_id, e.via, e.entity_kind, e.entity_id, e.before, e.after) for e in rows]


async def the_token(db: Database) -> ApiToken:
    async with db.read() as session:
        return (await session.scalars(select(ApiToken))).one()


def iso(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat()


async def test_create_is_audited_without_the_secret(
    db: Database, factory: Factory, capsys: pytest.CaptureFixture[str]
) -> None:
    owner = await factory.employee(email="kiosk.owner@example.go.id")

    code, out = await run(
        ["token", "create", "--owner", "kiosk.owner@example.go.id", "--name", "kiosk", "--scope", "bookings:read",
         "--expires-in-days", "30", "--rate-limit", "120"],
        capsys,
    )  # fmt: skip

    token = await the_token(db)
    after = {
        "owner_id": owner.id,
        "name": "kiosk",
        "scopes": ["bookings:read"],
        "expires_at": iso(token.expires_at),
        "cost_budget": None,
        "rate_limit": 120,
    }
    assert code == 0 and token.expires_at is not None
    assert await entries(db) == [("token.issue", None, "cli", "ApiToken", token.id, None, after)]
    secret = out.strip().splitlines()[-1]
    assert secret not in str(await entries(db))


async def test_revoke_is_audited_once(db: Database, factory: Factory, capsys: pytest.CaptureFixture[str]) -> None:
    await factory.employee(email="kiosk.owner@example.go.id")
    await run(["token", "create", "--owner", "kiosk.owner@example.go.id", "--name", "kiosk", "--scope",
               "bookings:read"], capsys)  # fmt: skip
    token = await the_token(db)

    first, _ = await run(["token", "revoke", str(token.id)], capsys)
    again, _ = await run(["token", "revoke", str(token.id)], capsys)  # already revoked: changes nothing

    revoked_at = iso((await the_token(db)).revoked_at)
    assert (first, again) == (0, 0) and revoked_at is not None
    assert (await entries(db))[1:] == [
        ("token.revoke", None, "cli", "ApiToken", token.id, {"revoked_at": None}, {"revoked_at": revoked_at})
    ]


async def test_refusals_write_nothing(db: Database, factory: Factory, capsys: pytest.CaptureFixture[str]) -> None:
    await factory.employee(email="kiosk.owner@example.go.id")

    unknown_owner, _ = await run(["token", "create", "--owner", "nobody@example.go.id", "--name", "x", "--scope",
                                  "bookings:read"], capsys)  # fmt: skip
    blank_name, _ = await run(["token", "create", "--owner", "kiosk.owner@example.go.id", "--name", " ", "--scope",
                               "bookings:read"], capsys)  # fmt: skip
    unknown_token, _ = await run(["token", "revoke", "987654"], capsys)

    assert (unknown_owner, blank_name, unknown_token) == (2, 2, 2)
    assert await entries(db) == []
