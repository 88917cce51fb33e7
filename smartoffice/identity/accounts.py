"""Local accounts: a password per employee, hashed with Argon2id (argon2-cffi's defaults, RFC 9106's
low-memory profile). Verifying costs ~50 ms of CPU on purpose, so it runs in a worker thread.

Who may sign in, and whose login session still counts, is decided here too (:func:`sign_in_refusal`,
:func:`session_is_live`): an employee who left (``Employee.active`` false) or whose account was disabled (by
``smartoffice accounts disable``, or deprovisioned by the identity provider over SCIM: ``smartoffice.scim``)
cannot sign in by any means, and a session older than the account's last password change (a reset) no longer
counts.
Those checks read the database on each use, so they hold also when the command line cannot reach the server's
Redis (an embedded one). Accounts are created, reset and disabled in :mod:`smartoffice.identity.invitations`.
"""

import asyncio
from datetime import datetime
from enum import StrEnum
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.db import Database
from smartoffice.errors import CommonInputCode, InvalidInput
from smartoffice.identity.models import LocalAccount
from smartoffice.identity.sessions import LoginSession
from smartoffice.people.models import Employee
from smartoffice.scim.models import ScimUser

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@cache
def _decoy_hash() -> str:
    """Verified against when the email is unknown, so that a wrong email costs what a wrong password costs."""
    return _hasher().hash("not a password anybody has")


def hash_password(password: str) -> str:
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise InvalidInput("password", CommonInputCode.OUT_OF_RANGE, low=MIN_PASSWORD_LENGTH, high=MAX_PASSWORD_LENGTH)
    return _hasher().hash(password)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def set_password(session: AsyncSession, employee_id: int, password: str, now: datetime) -> None:
    password_hash = await asyncio.to_thread(hash_password, password)
    account = await session.get(LocalAccount, employee_id)
    if account is None:
        session.add(LocalAccount(employee_id=employee_id, password_hash=password_hash, password_changed_at=now))
    else:
        account.password_hash, account.password_changed_at = password_hash, now
        account.invitation_hash = account.invitation_expires_at = None


async def verify_login(db: Database, email: str, password: str) -> int | None:
    """The employee id whose email and password these are, else ``None``."""
    email = email.strip().lower()
    if not email or not password or len(password) > MAX_PASSWORD_LENGTH:
        return None
    async with db.read() as session:
        row = (
            await session.execute(
                select(LocalAccount.employee_id, LocalAccount.password_hash)
                .join(Employee, Employee.id == LocalAccount.employee_id)
                .where(func.lower(Employee.email) == email)
            )
        ).first()
    if row is None or row.password_hash is None:  # no password yet: costs what a wrong one costs
        await asyncio.to_thread(_verify, _decoy_hash(), password)
        return None
    employee_id, password_hash = row
    assert password_hash is not None
    if not await asyncio.to_thread(_verify, password_hash, password):
        return None
    if _hasher().check_needs_rehash(password_hash):
        async with db.write() as session:
            account = await session.get(LocalAccount, employee_id)
            if account is not None:
                account.password_hash = await asyncio.to_thread(_hasher().hash, password)
    return int(employee_id)


class SignInRefusal(StrEnum):
    """Why a person who proved who they are (password, identity provider) is still not let in."""

    PERSON_INACTIVE = "PAGE_SIGN_IN_INACTIVE"
    ACCOUNT_DISABLED = "PAGE_SIGN_IN_DISABLED"


async def sign_in_refusal(db: Database, employee_id: int) -> SignInRefusal | None:
    """``None`` when the employee may sign in now; asked only after the password or the provider said yes, so the
    answer reveals nothing to someone who does not already hold the credential."""
    async with db.read() as session:
        row = (await session.execute(_standing(employee_id))).first()
    if row is None or not row.active:
        return SignInRefusal.PERSON_INACTIVE
    # An account the identity provider deprovisioned over SCIM (inactive or deleted) is disabled as well.
    return SignInRefusal.ACCOUNT_DISABLED if row.disabled_at is not None or row.scim_active is False else None


async def session_is_live(db: Database, login: LoginSession) -> bool:
    """Whether a login session still counts: its person is active, their account not disabled, and it was made no
    earlier than the account's last password change (a reset ends every session made before it)."""
    async with db.read() as session:
        row = (await session.execute(_standing(login.employee_id))).first()
    if row is None or not row.active or row.disabled_at is not None or row.scim_active is False:
        return False
    return row.password_changed_at is None or login.created_at >= row.password_changed_at


def _standing(employee_id: int) -> Select[bool, datetime | None, datetime, bool | None]:
    return (
        select(
            Employee.active,
            LocalAccount.disabled_at,
            LocalAccount.password_changed_at,
            ScimUser.active.label("scim_active"),
        )
        .outerjoin(LocalAccount, LocalAccount.employee_id == Employee.id)
        .outerjoin(ScimUser, ScimUser.employee_id == Employee.id)
        .where(Employee.id == employee_id)
    )
