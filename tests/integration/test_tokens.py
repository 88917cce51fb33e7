"""App tokens on the real database and Redis: issue, hash-only storage, expiry, revocation, last use, the rate
limit, and the ``smartoffice token`` command."""

import hashlib
from datetime import timedelta

import pytest
from redis.asyncio import Redis
from sqlalchemy import select

from smartoffice.cli import main
from smartoffice.db import Database, utcnow
from smartoffice.errors import InvalidInput
from smartoffice.identity import tokens
from smartoffice.identity.models import ApiToken
from smartoffice.identity.ratelimit import RateLimiter
from smartoffice.identity.scopes import Scope
from smartoffice.runtime import redis_client
from tests.factories import Factory


async def issue(db: Database, owner_id: int, **options: object) -> tokens.IssuedToken:
    async with db.write() as session:
        return await tokens.issue_token(
            session, owner_id=owner_id, name="e-presensi", scopes=[Scope.BOOKINGS_READ], now=utcnow(), **options
        )


async def stored(db: Database, token_id: int) -> ApiToken:
    async with db.read() as session:
        token = await session.scalar(select(ApiToken).where(ApiToken.id == token_id))
    assert token is not None
    return token


class TestIssue:
    async def test_the_secret_is_prefixed_random_and_stored_only_as_a_hash(
        self, db: Database, factory: Factory
    ) -> None:
        owner = await factory.employee()

        issued = await issue(db, owner.id)
        again = await issue(db, owner.id)

        prefix, key_id, secret = issued.secret.split("_", 2)
        assert prefix == "so" and len(key_id) == 16 and len(secret) >= 43  # 32 random bytes, base64url
        assert issued.secret != again.secret
        row = await stored(db, issued.token.id)
        assert row.secret_hash == hashlib.sha256(issued.secret.encode()).hexdigest()
        columns = [getattr(row, c.key) for c in ApiToken.__table__.columns]
        assert not any(isinstance(v, str) and secret in v for v in columns)
        assert row.scopes == ["bookings:read"] and row.owner_id == owner.id

    async def test_needs_a_name_and_scopes(self, db: Database, factory: Factory) -> None:
        owner = await factory.employee()
        async with db.write() as session:
            with pytest.raises(InvalidInput) as no_scopes:
                await tokens.issue_token(session, owner_id=owner.id, name="x", scopes=[], now=utcnow())
            with pytest.raises(InvalidInput) as no_name:
                await tokens.issue_token(session, owner_id=owner.id, name=" ", scopes=[Scope.PLACES_READ], now=utcnow())
        assert (no_scopes.value.field, no_name.value.field) == ("scopes", "name")


class TestAuthenticate:
    async def test_the_token_and_nothing_else(self, db: Database, factory: Factory) -> None:
        issued = await issue(db, (await factory.employee()).id)

        found = await tokens.authenticate(db, issued.secret, utcnow())

        assert found is not None and found.id == issued.token.id
        assert await tokens.authenticate(db, issued.secret[:-1] + "x", utcnow()) is None
        assert await tokens.authenticate(db, "so_nothex0000000000_" + "A" * 43, utcnow()) is None
        assert await tokens.authenticate(db, "Bearer whatever", utcnow()) is None

    async def test_expired(self, db: Database, factory: Factory) -> None:
        issued = await issue(db, (await factory.employee()).id, expires_in_days=1)
        now = issued.token.created_at

        assert await tokens.authenticate(db, issued.secret, now + timedelta(hours=23)) is not None
        assert await tokens.authenticate(db, issued.secret, now + timedelta(days=1)) is None

    async def test_revoked(self, db: Database, factory: Factory) -> None:
        issued = await issue(db, (await factory.employee()).id)
        async with db.write() as session:
            await tokens.revoke_token(session, issued.token.id, utcnow())

        assert await tokens.authenticate(db, issued.secret, utcnow()) is None
        revoked_at = (await stored(db, issued.token.id)).revoked_at
        async with db.write() as session:
            await tokens.revoke_token(session, issued.token.id, utcnow() + timedelta(hours=1))
        assert (await stored(db, issued.token.id)).revoked_at == revoked_at  # revoking again changes nothing

    async def test_last_use_is_written_at_most_once_a_minute(self, db: Database, factory: Factory) -> None:
        issued = await issue(db, (await factory.employee()).id)
        first = utcnow()

        await tokens.authenticate(db, issued.secret, first)
        await tokens.authenticate(db, issued.secret, first + timedelta(seconds=59))
        after_a_while = (await stored(db, issued.token.id)).last_used_at
        await tokens.authenticate(db, issued.secret, first + timedelta(seconds=61))

        assert after_a_while == first
        assert (await stored(db, issued.token.id)).last_used_at == first + timedelta(seconds=61)


class TestRateLimit:
    async def test_over_the_limit_until_the_window_ends(self, redis: Redis) -> None:
        limiter = RateLimiter(redis, window_seconds=60)

        decisions = [await limiter.hit("token:1", limit=3) for _ in range(4)]
        other = await limiter.hit("token:2", limit=3)

        assert [d.allowed for d in decisions] == [True, True, True, False]
        assert 1 <= decisions[-1].retry_after <= 60
        assert other.allowed
        assert 0 < await redis.ttl("so:ratelimit:{token:1}") <= 60

    async def test_redis_down_allows(self) -> None:
        unreachable = redis_client("redis://127.0.0.1:1/0")
        try:
            decision = await RateLimiter(unreachable, window_seconds=60).hit("token:1", limit=0)
        finally:
            await unreachable.aclose()

        assert decision.allowed


class TestCommand:
    async def test_create_list_revoke(
        self,
        db: Database,
        factory: Factory,
        database_url: str,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        owner = await factory.employee(email="kiosk.owner@example.go.id")
        monkeypatch.setenv("SMARTOFFICE_DATABASE_URL", database_url)

        created = await _run(["token", "create", "--owner", "kiosk.owner@example.go.id", "--name", "kiosk",
                              "--scope", "bookings:read", "--scope", "occupancy:read:aggregate"], capsys)  # fmt: skip
        secret = created.strip().splitlines()[-1]
        token = await tokens.authenticate(db, secret, utcnow())
        assert token is not None and token.owner_id == owner.id
        assert token.scopes == ["bookings:read", "occupancy:read:aggregate"]

        listed = await _run(["token", "list"], capsys)
        assert f"so_{token.key_id}" in listed and "kiosk" in listed and secret not in listed

        await _run(["token", "revoke", str(token.id)], capsys)
        assert await tokens.authenticate(db, secret, utcnow()) is None
        assert "revoked" in await _run(["token", "list", "--all"], capsys)

    async def test_unknown_scope(self, monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
        monkeypatch.setenv("SMARTOFFICE_DATABASE_URL", database_url)
        assert await _code(["token", "create", "--owner", "1", "--name", "x", "--scope", "everything"]) == 2


async def _code(argv: list[str]) -> int:
    import asyncio

    return await asyncio.to_thread(main, argv)  # the command runs its own event loop


async def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert await _code(argv) == 0
    return capsys.readouterr().out
