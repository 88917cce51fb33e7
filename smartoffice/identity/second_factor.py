"""The second factor of a local account: enrolling a TOTP app, checking a code or a recovery code, recovery codes
regenerated, the factor turned off, and reset from the command line. Each method is one unit of work, audited in
its transaction (``account.totp.enrol|disable|reset``, ``account.recovery_codes.regenerate``,
``account.recovery_code.use``).

Who must have one: every administrator who signs in with a password, outside demo mode (whose passwords are
published). The rule is decided at sign-in (:meth:`SecondFactorService.step_after_password`): such a person gets
no session until a code is confirmed, so "not enrolled yet" never means "signed in with less".
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.audit.record import Actor, record_change
from smartoffice.db import Database
from smartoffice.identity import totp
from smartoffice.identity.models import LocalAccount
from smartoffice.identity.pending import NextStep
from smartoffice.identity.totp_models import RecoveryCode, TotpCredential
from smartoffice.integrations.sealing import SecretBox, SecretUnreadable
from smartoffice.people import roles
from smartoffice.people.models import Employee


class SecondFactorProblem(StrEnum):
    WRONG_CODE = "TOTP_WRONG_CODE"
    ALREADY_ENROLLED = "TOTP_ALREADY_ENROLLED"
    NOT_ENROLLED = "TOTP_NOT_ENROLLED"
    REQUIRED_FOR_ADMINS = "TOTP_REQUIRED_FOR_ADMINS"
    NO_PASSWORD_ACCOUNT = "TOTP_NO_PASSWORD_ACCOUNT"


class SecondFactorRefused(Exception):
    """Nothing was changed, because of ``problem``."""

    def __init__(self, problem: SecondFactorProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


class CodeKind(StrEnum):
    TOTP = "totp"
    RECOVERY = "recovery"


@dataclass(frozen=True, slots=True)
class TotpStatus:
    has_password: bool
    """A local account with a password: the only sign-in this factor guards."""
    enabled_at: datetime | None
    recovery_codes_left: int
    required: bool
    """An administrator outside demo mode: may not turn it off."""

    @property
    def enabled(self) -> bool:
        return self.enabled_at is not None


class SecondFactorService:
    def __init__(self, db: Database, box: SecretBox, clock: Callable[[], datetime], *, demo_mode: bool) -> None:
        self.db = db
        self.box = box
        self.clock = clock
        self.demo_mode = demo_mode

    async def step_after_password(self, employee_id: int) -> NextStep | None:
        """What the person still has to do after a right password: a code, enrolment, or nothing."""
        async with self.db.read() as session:
            if await session.get(TotpCredential, employee_id) is not None:
                return NextStep.CODE
            if not self.demo_mode and await roles.is_admin(session, employee_id):
                return NextStep.ENROL
        return None

    async def status(self, employee_id: int) -> TotpStatus:
        async with self.db.read() as session:
            account = await session.get(LocalAccount, employee_id)
            credential = await session.get(TotpCredential, employee_id)
            left = await _recovery_codes_left(session, employee_id)
            admin = await roles.is_admin(session, employee_id)
        return TotpStatus(
            account is not None and account.password_hash is not None,
            credential.enabled_at if credential else None,
            left,
            admin and not self.demo_mode,
        )

    async def check(self, employee_id: int, raw_code: str, *, via: str = "page") -> CodeKind | None:
        """Whether ``raw_code`` is a current TOTP code not used before, or an unused recovery code (spent now)."""
        code, now = totp.normalise(raw_code), self.clock()
        async with self.db.write() as session:
            credential = await session.get(TotpCredential, employee_id)
            if credential is None:
                return None
            if totp.is_code_shaped(code):
                return CodeKind.TOTP if await self._spend_step(session, credential, code, now) else None
            if not totp.is_recovery_shaped(code) or not await _spend_recovery_code(session, employee_id, code, now):
                return None
            left = await _recovery_codes_left(session, employee_id)
            record_change(
                session,
                Actor(employee_id, via),
                "account.recovery_code.use",
                at=now,
                entity_kind="LocalAccount",
                entity_id=employee_id,
                after={"recovery_codes_left": left},
            )
            return CodeKind.RECOVERY

    async def enrol(self, employee_id: int, secret: str, raw_code: str, *, via: str = "page") -> list[str]:
        """Turn the factor on with ``secret`` once ``raw_code`` proves the app has it; the new recovery codes."""
        code, now = totp.normalise(raw_code), self.clock()
        step = totp.matching_step(secret, code, now)
        async with self.db.write() as session:
            account = await session.get(LocalAccount, employee_id)
            if account is None or account.password_hash is None:
                raise SecondFactorRefused(SecondFactorProblem.NO_PASSWORD_ACCOUNT)
            if await session.get(TotpCredential, employee_id) is not None:
                raise SecondFactorRefused(SecondFactorProblem.ALREADY_ENROLLED)
            if step is None:
                raise SecondFactorRefused(SecondFactorProblem.WRONG_CODE)
            session.add(
                TotpCredential(
                    employee_id=employee_id, secret_sealed=self.box.seal(secret), enabled_at=now, last_step=step
                )
            )
            codes = await _replace_recovery_codes(session, employee_id, now)
            record_change(
                session,
                Actor(employee_id, via),
                "account.totp.enrol",
                at=now,
                entity_kind="LocalAccount",
                entity_id=employee_id,
                before={"totp": False},
                after={"totp": True, "recovery_codes_left": len(codes)},
            )
            return codes

    async def regenerate_recovery_codes(self, employee_id: int, raw_code: str, *, via: str = "page") -> list[str]:
        """New recovery codes (the old ones stop working), once a current TOTP code is given."""
        now = self.clock()
        async with self.db.write() as session:
            credential = await self._require_code(session, employee_id, raw_code, now)
            before = await _recovery_codes_left(session, credential.employee_id)
            codes = await _replace_recovery_codes(session, employee_id, now)
            record_change(
                session,
                Actor(employee_id, via),
                "account.recovery_codes.regenerate",
                at=now,
                entity_kind="LocalAccount",
                entity_id=employee_id,
                before={"recovery_codes_left": before},
                after={"recovery_codes_left": len(codes)},
            )
            return codes

    async def turn_off(self, employee_id: int, raw_code: str, *, via: str = "page") -> None:
        """Remove the factor, once a current TOTP code is given; never for an administrator (outside the demo)."""
        now = self.clock()
        async with self.db.write() as session:
            if not self.demo_mode and await roles.is_admin(session, employee_id):
                raise SecondFactorRefused(SecondFactorProblem.REQUIRED_FOR_ADMINS)
            await self._require_code(session, employee_id, raw_code, now)
            await _remove(session, employee_id)
            record_change(
                session,
                Actor(employee_id, via),
                "account.totp.disable",
                at=now,
                entity_kind="LocalAccount",
                entity_id=employee_id,
                before={"totp": True},
                after={"totp": False},
            )

    async def _require_code(
        self, session: AsyncSession, employee_id: int, raw_code: str, now: datetime
    ) -> TotpCredential:
        credential = await session.get(TotpCredential, employee_id)
        if credential is None:
            raise SecondFactorRefused(SecondFactorProblem.NOT_ENROLLED)
        if not await self._spend_step(session, credential, totp.normalise(raw_code), now):
            raise SecondFactorRefused(SecondFactorProblem.WRONG_CODE)
        return credential

    async def _spend_step(self, session: AsyncSession, credential: TotpCredential, code: str, now: datetime) -> bool:
        """Accept ``code`` if it is current and its step is newer than the last one accepted (conditional update:
        of two requests racing with one code, one wins)."""
        try:
            secret = self.box.open(credential.secret_sealed)
        except SecretUnreadable:
            return False
        step = totp.matching_step(secret, code, now)
        if step is None:
            return False
        result: CursorResult[tuple[()]] = await session.execute(  # type: ignore[assignment]
            update(TotpCredential)
            .where(
                TotpCredential.employee_id == credential.employee_id,
                or_(TotpCredential.last_step.is_(None), TotpCredential.last_step < step),
            )
            .values(last_step=step)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1


async def reset_totp(session: AsyncSession, person: Employee, *, now: datetime, actor: Actor) -> bool:
    """``smartoffice accounts reset-totp``: forget the person's app and recovery codes (a lost phone). An
    administrator enrols again at their next password sign-in. Returns whether there was anything to reset."""
    if await session.get(TotpCredential, person.id) is None:
        return False
    await _remove(session, person.id)
    record_change(
        session,
        actor,
        "account.totp.reset",
        at=now,
        entity_kind="LocalAccount",
        entity_id=person.id,
        before={"totp": True},
        after={"totp": False},
    )
    return True


async def _remove(session: AsyncSession, employee_id: int) -> None:
    await session.execute(delete(RecoveryCode).where(RecoveryCode.employee_id == employee_id))
    await session.execute(delete(TotpCredential).where(TotpCredential.employee_id == employee_id))


async def _replace_recovery_codes(session: AsyncSession, employee_id: int, now: datetime) -> list[str]:
    await session.execute(delete(RecoveryCode).where(RecoveryCode.employee_id == employee_id))
    codes = totp.new_recovery_codes()
    session.add_all(
        RecoveryCode(employee_id=employee_id, code_hash=totp.hash_recovery_code(c), created_at=now) for c in codes
    )
    await session.flush()
    return codes


async def _spend_recovery_code(session: AsyncSession, employee_id: int, code: str, now: datetime) -> bool:
    result: CursorResult[tuple[()]] = await session.execute(  # type: ignore[assignment]
        update(RecoveryCode)
        .where(
            RecoveryCode.employee_id == employee_id,
            RecoveryCode.code_hash == totp.hash_recovery_code(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


async def _recovery_codes_left(session: AsyncSession, employee_id: int) -> int:
    query = select(func.count()).where(RecoveryCode.employee_id == employee_id, RecoveryCode.used_at.is_(None))
    return int(await session.scalar(query) or 0)


async def reseal_totp_secrets(db: Database, box: SecretBox) -> int:
    """``smartoffice secrets rotate``: every TOTP secret sealed again under the current key (whichever key sealed
    it); how many. One transaction: a secret no key opens (``SecretUnreadable``) changes nothing."""
    async with db.write() as session:
        credentials = (await session.scalars(select(TotpCredential))).all()
        for credential in credentials:
            credential.secret_sealed = box.reseal(credential.secret_sealed)
        return len(credentials)
