"""Creating, resetting and disabling local accounts, and the invitation link where a person sets their password.

An invitation is a random token shown once (in the link ``/login/invite/<token>``); the account row keeps only
its SHA-256 and its expiry, like app tokens (256 random bits: nothing to brute-force, so a fast hash is right).
It lives on ``local_accounts`` rather than in Redis because the command line that issues it may not reach the
server's Redis (an embedded one lives inside the server), and because it must outlive a Redis restart. Accepting
spends it. Every change here is audited (``account.create|reset|disable|enable``, ``role.grant``).

:func:`account_directory` is the administration page's list: every employee with their account's state (or none),
searched and filtered in SQL, a page at a time.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, exists, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.audit.record import Actor, record_change
from smartoffice.db import Database
from smartoffice.errors import InvalidInput
from smartoffice.identity.account_errors import AccountInputCode
from smartoffice.identity.accounts import set_password
from smartoffice.identity.models import LocalAccount
from smartoffice.people import roles
from smartoffice.people.models import Employee, Role, RoleAssignment

INVITATION_TTL = timedelta(hours=72)
INVITATION_PATH = "/login/invite/"
INVITATION_BYTES = 32


class AccountState(StrEnum):
    ACTIVE = "active"
    INVITED = "invited"
    """No password yet; the invitation is still valid."""
    EXPIRED = "invitation expired"
    """No password yet, and the invitation ran out: ``accounts reset`` issues a new one."""
    DISABLED = "disabled"


@dataclass(frozen=True, slots=True)
class Invitation:
    employee_id: int
    token: str
    """Shown once, never stored."""
    expires_at: datetime

    @property
    def path(self) -> str:
        return INVITATION_PATH + self.token


@dataclass(frozen=True, slots=True)
class AccountRow:
    employee_id: int
    nip: str
    email: str
    name: str
    state: AccountState
    person_active: bool
    is_admin: bool


def hash_invitation(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def find_person(session: AsyncSession, nip_or_email: str) -> Employee | None:
    """The employee named by an email (it contains ``@``) or a NIP."""
    wanted = nip_or_email.strip()
    column = func.lower(Employee.email) if "@" in wanted else Employee.nip
    return await session.scalar(select(Employee).where(column == (wanted.lower() if "@" in wanted else wanted)))


def _invite(account: LocalAccount, now: datetime) -> Invitation:
    token = secrets.token_urlsafe(INVITATION_BYTES)
    account.invitation_hash = hash_invitation(token)
    account.invitation_expires_at = now + INVITATION_TTL
    return Invitation(account.employee_id, token, now + INVITATION_TTL)


async def create_account(
    session: AsyncSession, person: Employee, *, now: datetime, actor: Actor, admin: bool = False
) -> Invitation:
    """A new account without a password, and its invitation; ``admin`` also grants the admin role."""
    if not person.active:
        raise InvalidInput("employee", AccountInputCode.PERSON_INACTIVE, name=person.name)
    if await session.get(LocalAccount, person.id) is not None:
        raise InvalidInput("employee", AccountInputCode.ACCOUNT_EXISTS, name=person.name)
    account = LocalAccount(employee_id=person.id, password_hash=None, password_changed_at=now)
    session.add(account)
    invitation = _invite(account, now)
    record_change(
        session,
        actor,
        "account.create",
        at=now,
        entity_kind="LocalAccount",
        entity_id=person.id,
        org_unit_id=person.org_unit_id,
        after={"state": AccountState.INVITED},
    )
    if admin and not await roles.is_admin(session, person.id):
        session.add(RoleAssignment(employee_id=person.id, role=Role.ADMIN))
        record_change(  # the entry grantRole writes (smartoffice.people.grants): about the grantee, no scope
            session,
            actor,
            "role.grant",
            at=now,
            entity_kind="Employee",
            entity_id=person.id,
            after={"employee_id": person.id, "role": Role.ADMIN, "scope_id": None},
        )
    return invitation


async def reset_account(session: AsyncSession, person: Employee, *, now: datetime, actor: Actor) -> Invitation:
    """Revoke the password (and with it every login session, see ``accounts.session_is_live``) and issue a new
    invitation. Resetting a disabled account enables it again: that is how an administrator undoes a disable."""
    account = await _account(session, person)
    if not person.active:
        raise InvalidInput("employee", AccountInputCode.PERSON_INACTIVE, name=person.name)
    before = {"state": state_of(account, now)}
    account.password_hash, account.password_changed_at, account.disabled_at = None, now, None
    invitation = _invite(account, now)
    record_change(
        session,
        actor,
        "account.reset",
        at=now,
        entity_kind="LocalAccount",
        entity_id=person.id,
        org_unit_id=person.org_unit_id,
        before=before,
        after={"state": AccountState.INVITED},
    )
    return invitation


async def disable_account(session: AsyncSession, person: Employee, *, now: datetime, actor: Actor) -> None:
    """No more sign-in of any kind (password or identity provider) and every session ends. A person without a
    local account gets a disabled one, so that disabling also stops sign-in at the identity provider."""
    account = await session.get(LocalAccount, person.id)
    before = None if account is None else {"state": state_of(account, now)}
    if account is None:
        account = LocalAccount(employee_id=person.id, password_hash=None)
        session.add(account)
    account.disabled_at = account.password_changed_at = now
    account.invitation_hash = account.invitation_expires_at = None
    record_change(
        session,
        actor,
        "account.disable",
        at=now,
        entity_kind="LocalAccount",
        entity_id=person.id,
        org_unit_id=person.org_unit_id,
        before=before,
        after={"state": AccountState.DISABLED},
    )


async def list_accounts(session: AsyncSession, now: datetime) -> list[AccountRow]:
    admins = set(
        (await session.scalars(select(RoleAssignment.employee_id).where(RoleAssignment.role == Role.ADMIN))).all()
    )
    rows = await session.execute(
        select(LocalAccount, Employee).join(Employee, Employee.id == LocalAccount.employee_id).order_by(Employee.name)
    )
    return [AccountRow(e.id, e.nip, e.email, e.name, state_of(a, now), e.active, e.id in admins) for a, e in rows]


async def enable_account(session: AsyncSession, person: Employee, *, now: datetime, actor: Actor) -> bool:
    """Undo a disable: the person signs in again as before (their password, if they had set one; sessions from
    before the disable stay ended). Returns whether anything changed (an account not disabled is left alone)."""
    account = await _account(session, person)
    if not person.active:
        raise InvalidInput("employee", AccountInputCode.PERSON_INACTIVE, name=person.name)
    if account.disabled_at is None:
        return False
    account.disabled_at = None
    record_change(
        session,
        actor,
        "account.enable",
        at=now,
        entity_kind="LocalAccount",
        entity_id=person.id,
        org_unit_id=person.org_unit_id,
        before={"state": AccountState.DISABLED},
        after={"state": state_of(account, now)},
    )
    return True


NO_ACCOUNT = "none"
"""The directory's filter for people without a local account."""


@dataclass(frozen=True, slots=True)
class AccountListing:
    """One employee in the administration page's list, with their account (``state`` None: no account)."""

    employee_id: int
    nip: str
    name: str
    email: str
    person_active: bool
    state: AccountState | None
    invitation_expires_at: datetime | None
    is_admin: bool


@dataclass(frozen=True, slots=True)
class AccountDirectory:
    rows: list[AccountListing]
    total: int
    """How many match the search and filter, on every page."""


async def account_directory(
    session: AsyncSession,
    now: datetime,
    *,
    search: str = "",
    state: AccountState | str | None = None,
    offset: int = 0,
    limit: int = 50,
    employee_id: int | None = None,
) -> AccountDirectory:
    """Employees by name matching ``search`` (part of the name or email, the start of the NIP) and ``state`` (an
    :class:`AccountState`, :data:`NO_ACCOUNT`, or None for all), ``limit`` from ``offset``; or one employee."""
    conditions = [_state_condition(state, now)] if state else []
    if employee_id is not None:
        conditions.append(Employee.id == employee_id)
    words = search.strip().lower()[:200]
    if words:
        pattern = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(
            or_(
                func.lower(Employee.name).like(pattern, escape="\\"),
                func.lower(Employee.email).like(pattern, escape="\\"),
                Employee.nip.like(pattern[1:], escape="\\"),
            )
        )
    admin = exists().where(RoleAssignment.employee_id == Employee.id, RoleAssignment.role == Role.ADMIN)
    base = select(Employee.id).outerjoin(LocalAccount, LocalAccount.employee_id == Employee.id).where(*conditions)
    total = await session.scalar(select(func.count()).select_from(base.subquery())) or 0
    query = (
        select(Employee, LocalAccount, admin.label("is_admin"))
        .outerjoin(LocalAccount, LocalAccount.employee_id == Employee.id)
        .where(*conditions)
        .order_by(Employee.name, Employee.id)
        .offset(max(0, offset))
        .limit(max(1, limit))
    )
    rows = [
        AccountListing(
            person.id,
            person.nip,
            person.name,
            person.email,
            person.active,
            None if account is None else state_of(account, now),
            None if account is None or account.password_hash is not None else account.invitation_expires_at,
            bool(is_admin),
        )
        for person, account, is_admin in await session.execute(query)
    ]
    return AccountDirectory(rows, int(total))


def _state_condition(state: AccountState | str, now: datetime) -> ColumnElement[bool]:
    disabled, no_password = LocalAccount.disabled_at.is_not(None), LocalAccount.password_hash.is_(None)
    pending = and_(LocalAccount.invitation_expires_at.is_not(None), LocalAccount.invitation_expires_at > now)
    match state:
        case AccountState.DISABLED:
            return disabled
        case AccountState.ACTIVE:
            return and_(~disabled, LocalAccount.password_hash.is_not(None))
        case AccountState.INVITED:
            return and_(~disabled, no_password, pending)
        case AccountState.EXPIRED:
            return and_(~disabled, no_password, ~pending)
        case _ if state == NO_ACCOUNT:
            return LocalAccount.employee_id.is_(None)
    return literal(False)


def state_of(account: LocalAccount, now: datetime) -> AccountState:
    if account.disabled_at is not None:
        return AccountState.DISABLED
    if account.password_hash is not None:
        return AccountState.ACTIVE
    pending = account.invitation_expires_at is not None and now < account.invitation_expires_at
    return AccountState.INVITED if pending else AccountState.EXPIRED


async def invited_person(db: Database, token: str, now: datetime) -> str | None:
    """The name of whom a valid invitation is for, else ``None`` (unknown, spent, expired alike)."""
    async with db.read() as session:
        row = await _pending(session, token, now)
        return None if row is None else row[1].name


async def accept_invitation(db: Database, token: str, password: str, now: datetime) -> int:
    """Set the password the invitation is for and spend it; returns the employee id. Raises ``InvalidInput`` for
    an invalid invitation or a password out of bounds (the invitation then stays valid)."""
    async with db.write() as session:
        row = await _pending(session, token, now, lock=True)
        if row is None:
            raise InvalidInput("token", AccountInputCode.INVITATION_INVALID)
        _account_row, person = row
        await set_password(session, person.id, password, now)  # also spends the invitation
        record_change(
            session,
            Actor(person.id, "invitation"),
            "account.activate",
            at=now,
            entity_kind="LocalAccount",
            entity_id=person.id,
            org_unit_id=person.org_unit_id,
            after={"state": AccountState.ACTIVE},
        )
        return person.id


async def _pending(
    session: AsyncSession, token: str, now: datetime, *, lock: bool = False
) -> tuple[LocalAccount, Employee] | None:
    if not token or len(token) > 100:
        return None
    query = (
        select(LocalAccount, Employee)
        .join(Employee, Employee.id == LocalAccount.employee_id)
        .where(LocalAccount.invitation_hash == hash_invitation(token))
    )
    row = (await session.execute(query.with_for_update(of=LocalAccount) if lock else query)).first()
    if row is None:
        return None
    account, person = row
    expires = account.invitation_expires_at
    if expires is None or now >= expires or account.disabled_at is not None or not person.active:
        return None
    return account, person


async def _account(session: AsyncSession, person: Employee) -> LocalAccount:
    account = await session.get(LocalAccount, person.id)
    if account is None:
        raise InvalidInput("employee", AccountInputCode.NO_ACCOUNT, name=person.name)
    return account
