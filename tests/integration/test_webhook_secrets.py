"""Webhook secrets are stored sealed, survive a key rotation, and a secret no key opens fails only its own
delivery (issue 10 item 11)."""

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import text

from smartoffice import cli
from smartoffice.integrations.models import DeliveryStatus, EventKind, WebhookSubscription
from smartoffice.integrations.sealing import SecretBox, SecretUnreadable
from smartoffice.integrations.webhook_secrets import rotate_webhook_secrets
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.bookings import book_desk
from tests.support.clock import Clock, install_clock
from tests.support.webhooks import Receiver, all_deliveries, running_receiver, webhook_dispatcher, webhook_service

OLD_KEY = "the-key-of-last-year-0123456789abcdef"
NEW_KEY = "the-key-of-this-year-0123456789abcdef"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as endpoint:
        yield endpoint


@pytest.fixture
def clock(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> Clock:
    return install_clock(runtime, monkeypatch)


async def stored(runtime: Runtime) -> list[tuple[int, str, str | None]]:
    """``(id, secret, sealed_secret)`` of every subscription, as the database holds them."""
    async with runtime.db.read() as session:
        rows = await session.execute(text("SELECT id, secret, sealed_secret FROM webhook_subscriptions ORDER BY id"))
        return [(row[0], row[1], row[2]) for row in rows]


async def insert_legacy(runtime: Runtime, owner_id: int, url: str, secret: str) -> None:
    """A subscription as stored before migration 0009: the secret in plaintext."""
    async with runtime.db.write() as session:
        session.add(WebhookSubscription(owner_id=owner_id, url=url, event_kinds=["created"], secret=secret))


class TestSealedAtRest:
    async def test_the_stored_row_does_not_contain_the_secret_and_deliveries_still_verify(
        self, runtime: Runtime, factory: Factory, clock: Clock, receiver: Receiver
    ) -> None:
        desk, person = await factory.desk(), await factory.employee()
        _, receiver.secret = await webhook_service(runtime).create(person.id, receiver.url, [EventKind.CREATED])

        [(_, plaintext, sealed)] = await stored(runtime)
        assert plaintext == ""
        assert sealed is not None and receiver.secret not in sealed
        assert receiver.secret.removeprefix("whsec_") not in sealed

        await book_desk(runtime, desk, person, time(9), time(12))
        report = await webhook_dispatcher(runtime, Clock(datetime.now(UTC))).run_once()
        assert report.delivered == 1 and receiver.requests[0].signature_ok

    async def test_a_plaintext_secret_from_before_0009_is_sealed_at_the_next_fan_out(
        self, runtime: Runtime, factory: Factory, clock: Clock, receiver: Receiver
    ) -> None:
        desk, person = await factory.desk(), await factory.employee()
        receiver.secret = "whsec_from_before_the_migration"
        await insert_legacy(runtime, person.id, receiver.url, receiver.secret)
        await book_desk(runtime, desk, person, time(9), time(12))

        report = await webhook_dispatcher(runtime, Clock(datetime.now(UTC))).run_once()

        assert report.delivered == 1 and receiver.requests[0].signature_ok
        [(_, plaintext, sealed)] = await stored(runtime)
        assert plaintext == "" and sealed is not None
        assert SecretBox.from_settings(runtime.settings).open(sealed) == receiver.secret


class TestRotation:
    async def test_after_rotation_deliveries_sign_with_the_same_secret_under_the_new_key_alone(
        self, runtime: Runtime, factory: Factory, clock: Clock, receiver: Receiver
    ) -> None:
        # given a subscription sealed under last year's key
        desk, person = await factory.desk(), await factory.employee()
        service = webhook_service(runtime, box=SecretBox(OLD_KEY))
        _, receiver.secret = await service.create(person.id, receiver.url, [EventKind.CREATED])
        [(_, _, sealed_before)] = await stored(runtime)

        # when the key changes (the old one kept as previous) and the secrets are rotated
        rotating = SecretBox(NEW_KEY, [OLD_KEY])
        report = await rotate_webhook_secrets(runtime.db, rotating)

        # then the stored value changed, and opens under the new key without the old one
        assert (report.resealed, report.sealed) == (1, 0)
        [(_, _, sealed_after)] = await stored(runtime)
        assert sealed_after is not None and sealed_after != sealed_before
        assert SecretBox(NEW_KEY).open(sealed_after) == receiver.secret
        with pytest.raises(SecretUnreadable):
            SecretBox(OLD_KEY).open(sealed_after)
        # and deliveries still carry signatures the receiver verifies with the secret it was shown
        await book_desk(runtime, desk, person, time(9), time(12))
        jobs = webhook_dispatcher(runtime, Clock(datetime.now(UTC)), box=SecretBox(NEW_KEY))
        assert (await jobs.run_once()).delivered == 1
        assert receiver.requests[0].signature_ok

    async def test_before_rotation_the_previous_key_still_opens(
        self, runtime: Runtime, factory: Factory, clock: Clock, receiver: Receiver
    ) -> None:
        desk, person = await factory.desk(), await factory.employee()
        service = webhook_service(runtime, box=SecretBox(OLD_KEY))
        _, receiver.secret = await service.create(person.id, receiver.url, [EventKind.CREATED])
        await book_desk(runtime, desk, person, time(9), time(12))

        jobs = webhook_dispatcher(runtime, Clock(datetime.now(UTC)), box=SecretBox(NEW_KEY, [OLD_KEY]))

        assert (await jobs.run_once()).delivered == 1
        assert receiver.requests[0].signature_ok

    async def test_with_neither_key_the_delivery_fails_clearly_and_the_rest_of_the_batch_is_delivered(
        self, runtime: Runtime, factory: Factory, clock: Clock, receiver: Receiver
    ) -> None:
        # given one subscription sealed under a key since lost, and one under the current key
        desk, person = await factory.desk(), await factory.employee()
        await webhook_service(runtime, box=SecretBox("a-key-nobody-has-any-more")).create(
            person.id, receiver.url, [EventKind.CREATED]
        )
        _, receiver.secret = await webhook_service(runtime, box=SecretBox(NEW_KEY)).create(
            person.id, receiver.url, [EventKind.CREATED]
        )
        await book_desk(runtime, desk, person, time(9), time(12))

        report = await webhook_dispatcher(runtime, Clock(datetime.now(UTC)), box=SecretBox(NEW_KEY)).run_once()

        assert (report.delivered, report.retrying) == (1, 1)
        lost, current = await all_deliveries(runtime)
        assert (lost.status, lost.last_status_code) == (DeliveryStatus.PENDING, None)
        assert lost.last_error == (
            "the webhook secret opens with neither SMARTOFFICE_SECRET_KEY nor SMARTOFFICE_PREVIOUS_SECRET_KEYS"
        )
        assert current.status == DeliveryStatus.DELIVERED
        assert len(receiver.requests) == 1 and receiver.requests[0].signature_ok


class TestRotateCommand:
    async def test_rotate_reencrypts_every_secret_in_one_transaction_and_says_how_many(
        self,
        runtime: Runtime,
        factory: Factory,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
        tmp_path: Path,
    ) -> None:
        # given two sealed secrets under the old key and one still in plaintext
        person = await factory.employee()
        service = webhook_service(runtime, box=SecretBox(OLD_KEY))
        _, first = await service.create(person.id, "https://hooks.example.go.id/a", [EventKind.CREATED])
        _, second = await service.create(person.id, "https://hooks.example.go.id/b", [EventKind.CREATED])
        await insert_legacy(runtime, person.id, "https://hooks.example.go.id/c", "whsec_plain")
        environment = {
            "DATABASE_URL": runtime.settings.resolved_database_url,
            "DATA_DIR": str(tmp_path),
            "SECRET_KEY": NEW_KEY,
            "PREVIOUS_SECRET_KEYS": f"some-older-key,{OLD_KEY}",
        }
        for name, value in environment.items():
            monkeypatch.setenv(f"SMARTOFFICE_{name}", value)
        monkeypatch.setattr(cli, "configure_logging", lambda _format: None)

        # when
        code = await asyncio.to_thread(cli.main, ["secrets", "rotate"])

        # then
        assert code == 0
        assert capsys.readouterr().out.strip() == (
            "webhook secrets re-encrypted under the current key: 3 (1 of them stored in plaintext until now)"
        )
        rows = await stored(runtime)
        assert [plaintext for _, plaintext, _ in rows] == ["", "", ""]
        assert [SecretBox(NEW_KEY).open(sealed or "") for _, _, sealed in rows] == [first, second, "whsec_plain"]

    async def test_a_secret_no_key_opens_stops_the_rotation_and_changes_nothing(
        self,
        runtime: Runtime,
        factory: Factory,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
        tmp_path: Path,
    ) -> None:
        # given a secret under the current key (resealed first), then one under a key forgotten, and a plaintext one
        person = await factory.employee()
        for key, path in ((NEW_KEY, "a"), (OLD_KEY, "b")):
            await webhook_service(runtime, box=SecretBox(key)).create(
                person.id, f"https://hooks.example.go.id/{path}", [EventKind.CREATED]
            )
        await insert_legacy(runtime, person.id, "https://hooks.example.go.id/c", "whsec_plain")
        before = await stored(runtime)
        monkeypatch.setenv("SMARTOFFICE_DATABASE_URL", runtime.settings.resolved_database_url)
        monkeypatch.setenv("SMARTOFFICE_DATA_DIR", str(tmp_path))
        monkeypatch.setenv("SMARTOFFICE_SECRET_KEY", NEW_KEY)  # and OLD_KEY forgotten
        monkeypatch.delenv("SMARTOFFICE_PREVIOUS_SECRET_KEYS", raising=False)
        monkeypatch.setattr(cli, "configure_logging", lambda _format: None)

        code = await asyncio.to_thread(cli.main, ["secrets", "rotate"])

        assert code == 1
        error = capsys.readouterr().err
        assert "webhook subscription" in error and "nothing was changed" in error
        assert await stored(runtime) == before  # the first one's new sealing was rolled back: one transaction
