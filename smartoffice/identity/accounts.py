"""Local accounts: a password per employee, hashed with Argon2id (argon2-cffi's defaults, RFC 9106's
low-memory profile). Verifying costs ~50 ms of CPU on purpose, so it runs in a worker thread."""

import asyncio
from datetime import datetime
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.db import Database
from smartoffice.errors import CommonInputCode, InvalidInput
from smartoffice.identity.models import LocalAccount
from smartoffice.people.models import Employee

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
    if row is None:
        await asyncio.to_thread(_verify, _decoy_hash(), password)
        return None
    employee_id, password_hash = row
    if not await asyncio.to_thread(_verify, password_hash, password):
        return None
    if _hasher().check_needs_rehash(password_hash):
        async with db.write() as session:
            account = await session.get(LocalAccount, employee_id)
            if account is not None:
                account.password_hash = await asyncio.to_thread(_hasher().hash, password)
    return int(employee_id)
