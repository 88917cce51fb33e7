"""`smartoffice accounts reset-totp <NIP|email>`: a lost phone. The app and the recovery codes are forgotten,
audited as the system via ``cli``; an administrator enrols again at the next password sign-in (issue 11)."""

from dataclasses import replace

import pytest
from sqlalchemy import select

from smartoffice import cli
from smartoffice.audit.models import AuditEntry
from smartoffice.identity import totp
from smartoffice.identity.pending import NextStep
from smartoffice.identity.totp_models import RecoveryCode, TotpCredential
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.cli import command_environment, run
from tests.support.second_factor import enrol, password_account, second_factor_service


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: object) -> None:
    command_environment(monkeypatch, database_url, tmp_path)


async def test_reset_totp_forgets_the_app_and_the_admin_enrols_again(
    runtime: Runtime, factory: Factory, capsys: pytest.CaptureFixture[str]
) -> None:
    admin = await password_account(factory, runtime, "Siti Rahmawati", admin=True)
    await enrol(runtime, admin.employee_id)
    production = second_factor_service(replace(runtime, settings=replace(runtime.settings, demo_mode=False)))
    assert await production.step_after_password(admin.employee_id) == NextStep.CODE

    code, out = await run(["accounts", "reset-totp", admin.email.upper()], capsys)
    again, out_again = await run(["accounts", "reset-totp", admin.email], capsys)

    assert code == 0 and "reset" in out
    assert again == 0 and "nothing to reset" in out_again
    assert await production.step_after_password(admin.employee_id) == NextStep.ENROL
    async with runtime.db.read() as session:
        assert await session.get(TotpCredential, admin.employee_id) is None
        assert (await session.scalars(select(RecoveryCode))).all() == []
        entries = (await session.scalars(select(AuditEntry).where(AuditEntry.action == "account.totp.reset"))).all()
    assert [(e.actor_id, e.via, e.entity_id, e.before, e.after) for e in entries] == [
        (None, "cli", admin.employee_id, {"totp": True}, {"totp": False})
    ]


async def test_reset_totp_of_nobody_fails(runtime: Runtime, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = await run(["accounts", "reset-totp", "nobody@example.go.id"], capsys)

    assert code == 2 and "no employee" in out


async def test_secrets_rotate_reseals_the_totp_secrets(
    runtime: Runtime,
    factory: Factory,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # given an app enrolled under the old secret key
    admin = await password_account(factory, runtime, "Siti Rahmawati", admin=True)
    enrolled = await enrol(runtime, admin.employee_id)
    old_key, new_key = runtime.settings.secret_key, "a-new-secret-key-for-the-rotation-0123456789"
    monkeypatch.setenv("SMARTOFFICE_SECRET_KEY", new_key)
    monkeypatch.setenv("SMARTOFFICE_PREVIOUS_SECRET_KEYS", old_key)
    monkeypatch.setattr(cli, "configure_logging", lambda _format: None)

    code, out = await run(["secrets", "rotate"], capsys)

    # then the new key alone opens it: the old one can be dropped
    assert code == 0 and "two-step sign-in secrets re-encrypted under the current key: 1" in out
    async with runtime.db.read() as session:
        credential = await session.get(TotpCredential, admin.employee_id)
    assert credential is not None
    assert totp.secret_box(replace(runtime.settings, secret_key=new_key)).open(credential.secret_sealed) == (
        enrolled.secret
    )
