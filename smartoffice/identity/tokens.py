"""App tokens: issue, list, revoke, and authenticate a presented token.

A token reads ``so_<key id>_<secret>``: 8 random bytes as hex name the row, 32 random bytes (base64url) are the
secret. Only SHA-256 of the whole string is stored. A fast hash is the right one here, unlike for passwords:
the secret has 256 bits of entropy, so there is nothing to brute-force and no dictionary to slow down; a slow
KDF would only cost CPU on every API request. Comparison is constant-time.
"""

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.audit.record import Actor, record_change
from smartoffice.db import Database
from smartoffice.errors import CommonInputCode, CommonPermissionCode, InvalidInput, NotFound, PermissionDenied
from smartoffice.identity.models import ApiToken
from smartoffice.identity.scopes import Scope
from smartoffice.people import roles
from smartoffice.people import service as people
from smartoffice.people.models import Employee
from smartoffice.scim.models import ScimUser

TOKEN_PREFIX = "so_"
KEY_ID_BYTES = 8
SECRET_BYTES = 32
LAST_USED_RESOLUTION = timedelta(minutes=1)
"""``last_used_at`` is written at most once a minute per token: a busy app must not turn reads into writes."""
MAX_NAME_LENGTH = 100
MAX_EXPIRY_DAYS = 3650


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: ApiToken
    secret: str
    """The whole token string: shown once, never stored."""


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_token_string() -> tuple[str, str]:
    """A fresh ``(key_id, token)``."""
    key_id = secrets.token_hex(KEY_ID_BYTES)
    return key_id, f"{TOKEN_PREFIX}{key_id}_{secrets.token_urlsafe(SECRET_BYTES)}"


def key_id_of(raw: str) -> str | None:
    """The key id of a well-formed token string, else ``None`` (no database lookup for garbage)."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    key_id, sep, secret = raw[len(TOKEN_PREFIX) :].partition("_")
    if not sep or len(key_id) != 2 * KEY_ID_BYTES or len(secret) < 43:
        return None
    try:
        int(key_id, 16)
    except ValueError:
        return None
    return key_id


async def require_admin(session: AsyncSession, actor_id: int) -> None:
    if not await roles.is_admin(session, actor_id):
        raise PermissionDenied(CommonPermissionCode.ADMINS_ONLY)


async def issue_token(
    session: AsyncSession,
    *,
    owner_id: int,
    name: str,
    scopes: Sequence[Scope],
    now: datetime,
    expires_in_days: int | None = 90,
    cost_budget: int | None = None,
    rate_limit: int | None = None,
    created_by_id: int | None = None,
) -> IssuedToken:
    """A new token for ``owner_id``. Permission is the caller's business (:func:`require_admin`, or the CLI)."""
    name = name.strip()
    if not name:
        raise InvalidInput("name", CommonInputCode.REQUIRED)
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidInput("name", CommonInputCode.NAME_TOO_LONG, max_length=MAX_NAME_LENGTH)
    if not scopes:
        raise InvalidInput("scopes", CommonInputCode.REQUIRED)
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_EXPIRY_DAYS:
        raise InvalidInput("expiresInDays", CommonInputCode.OUT_OF_RANGE, low=1, high=MAX_EXPIRY_DAYS)
    for field, value in (("costBudget", cost_budget), ("rateLimit", rate_limit)):
        if value is not None and not 1 <= value <= 1_000_000:
            raise InvalidInput(field, CommonInputCode.OUT_OF_RANGE, low=1, high=1_000_000)
    await people.get_employee(session, owner_id)  # NotFound for an unknown owner
    key_id, raw = new_token_string()
    token = ApiToken(
        key_id=key_id,
        secret_hash=hash_token(raw),
        name=name,
        owner_id=owner_id,
        created_by_id=created_by_id,
        scopes=[s.value for s in Scope if s in set(scopes)],
        cost_budget=cost_budget,
        rate_limit=rate_limit,
        created_at=now,
        expires_at=None if expires_in_days is None else now + timedelta(days=expires_in_days),
    )
    session.add(token)
    await session.flush()
    return IssuedToken(token, raw)


async def list_tokens(
    session: AsyncSession, *, now: datetime, include_inactive: bool = False, first: int = 50, after_id: int = 0
) -> Sequence[ApiToken]:
    """Tokens by id (issue order), keyset-paginated; active ones only unless ``include_inactive``."""
    query = select(ApiToken).where(ApiToken.id > after_id).order_by(ApiToken.id).limit(max(1, min(first, 100)) + 1)
    if not include_inactive:
        query = query.where(
            ApiToken.revoked_at.is_(None), or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > now)
        )
    return (await session.scalars(query)).all()


async def get_token(session: AsyncSession, token_id: int) -> ApiToken:
    token = await session.get(ApiToken, token_id)
    if token is None:
        raise NotFound("ApiToken", token_id)
    return token


async def revoke_token(session: AsyncSession, token_id: int, now: datetime, actor: Actor | None = None) -> ApiToken:
    """Revoke at once (the next request with it is refused), audited as ``actor``'s ``token.revoke`` (every caller
    but the tests' plumbing names one); revoking again changes nothing and writes no entry."""
    token = await get_token(session, token_id)
    if token.revoked_at is None:
        token.revoked_at = now
        if actor is not None:
            record_change(
                session,
                actor,
                "token.revoke",
                at=now,
                entity_kind="ApiToken",
                entity_id=token.id,
                before={"revoked_at": None},
                after={"revoked_at": now},
            )
    return token


async def authenticate(db: Database, raw: str, now: datetime) -> ApiToken | None:
    """The active token that ``raw`` is, or ``None`` (unknown, malformed, expired, revoked, or its owner
    deactivated, alike)."""
    key_id = key_id_of(raw)
    if key_id is None:
        return None
    async with db.read() as session:
        # A token acts as its owner: it stops working when the owner is deactivated (left), or their account is
        # deprovisioned by the identity provider (SCIM), even if it was issued after that.
        query = (
            select(ApiToken)
            .join(Employee, Employee.id == ApiToken.owner_id)
            .outerjoin(ScimUser, ScimUser.employee_id == Employee.id)
        )
        token = await session.scalar(
            query.where(ApiToken.key_id == key_id, Employee.active, ScimUser.active.is_not(False))
        )
    if token is None or not hmac.compare_digest(token.secret_hash, hash_token(raw)):
        return None
    if not token.is_active(now):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        await _touch(db, token.id, now)
    return token


async def _touch(db: Database, token_id: int, now: datetime) -> None:
    # Conditional, so that processes racing on one token write once per minute between them.
    stale = now - LAST_USED_RESOLUTION
    async with db.write() as session:
        await session.execute(
            update(ApiToken)
            .where(ApiToken.id == token_id, or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= stale))
            .values(last_used_at=now)
        )


async def visible_tokens(session: AsyncSession, actor_id: int, ids: Sequence[int]) -> Sequence[ApiToken]:
    """The tokens among ``ids`` that ``actor_id`` owns, or all of them for an administrator."""
    query = select(ApiToken).where(ApiToken.id.in_(ids))
    if not await roles.is_admin(session, actor_id):
        query = query.where(ApiToken.owner_id == actor_id)
    return (await session.scalars(query)).all()


def token_values(token: ApiToken) -> dict[str, Any]:
    """What a ``token.issue`` audit entry records (never the secret), from the admin page or the CLI."""
    return {
        "owner_id": token.owner_id,
        "name": token.name,
        "scopes": token.scopes,
        "expires_at": token.expires_at,
        "cost_budget": token.cost_budget,
        "rate_limit": token.rate_limit,
    }
