"""Local accounts administered: from the server's shell (``smartoffice accounts create|reset|disable|enable|list``;
no admin check: whoever runs it already holds the database's credentials; audited as the system, via ``cli``) and
from the administration page (:class:`AccountAdministration`: administrators only, checked in each change's
transaction; audited as the administrator, via ``web``)."""

import argparse
import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from redis.exceptions import RedisError
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.audit.record import Actor
from smartoffice.db import Database, utcnow
from smartoffice.errors import CommonPermissionCode, DomainError, NotFound, PermissionDenied
from smartoffice.identity import invitations, second_factor
from smartoffice.identity.invitations import AccountDirectory, AccountListing, Invitation
from smartoffice.identity.sessions import SessionStore
from smartoffice.people.models import Employee
from smartoffice.people.roles import is_admin
from smartoffice.settings import Settings

log = logging.getLogger(__name__)

CLI_ACTOR = Actor.system("cli")


def add_account_commands(commands: Any) -> None:
    accounts = commands.add_parser("accounts", help="local accounts (password sign-in)").add_subparsers(
        title="accounts commands"
    )
    create = accounts.add_parser(
        "create", help="a new account; prints a one-time link where the person sets a password"
    )
    create.add_argument("--employee", required=True, help="the person's NIP or email")
    create.add_argument("--role", choices=("admin",), help="also grant this role (audited)")
    _base_url_option(create)
    create.set_defaults(run=_create)
    reset = accounts.add_parser("reset", help="revoke the password and sessions; prints a new link (re-enables)")
    reset.add_argument("employee", help="the person's NIP or email")
    _base_url_option(reset)
    reset.set_defaults(run=_reset)
    disable = accounts.add_parser("disable", help="no more sign-in (password or identity provider); ends sessions")
    disable.add_argument("employee", help="the person's NIP or email")
    disable.set_defaults(run=_disable)
    enable = accounts.add_parser("enable", help="undo a disable: sign-in as before (sessions stay ended)")
    enable.add_argument("employee", help="the person's NIP or email")
    enable.set_defaults(run=_enable)
    accounts.add_parser("list", help="every local account and its state").set_defaults(run=_list)
    reset_totp = accounts.add_parser(
        "reset-totp", help="forget the authenticator app and recovery codes (a lost phone); admins enrol again"
    )
    reset_totp.add_argument("employee", help="the person's NIP or email")
    reset_totp.set_defaults(run=_reset_totp)


def _base_url_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base-url", help="the server's address as people reach it (default http://HOST:PORT)")


def _run(settings: Settings, command: str, work: Callable[[Database], Awaitable[int]]) -> int:
    async def run() -> int:
        db = Database.from_settings(settings)
        try:
            return await work(db)
        except DomainError as exc:
            print(f"smartoffice accounts {command}: {exc.message}")
            return 2
        finally:
            await db.dispose()

    return asyncio.run(run())


def _invitation_text(settings: Settings, args: argparse.Namespace, invitation: Invitation) -> str:
    base = (args.base_url or f"http://{settings.host}:{settings.port}").rstrip("/")
    return (
        f"invitation link, valid until {invitation.expires_at:%Y-%m-%d %H:%M} UTC, shown only now:\n"
        f"{base}{invitation.path}"
    )


Step = Callable[[AsyncSession, Employee], Awaitable[str]]
"""One command's change inside the write transaction; returns what to print once it is committed."""


def _person_work(command: str, nip_or_email: str, step: Step) -> Callable[[Database], Awaitable[int]]:
    async def work(db: Database) -> int:
        async with db.write() as session:
            person = await invitations.find_person(session, nip_or_email)
            if person is None:
                print(f"smartoffice accounts {command}: no employee with NIP or email {nip_or_email!r}")
                return 2
            done = await step(session, person)
        print(done)
        return 0

    return work


def _create(settings: Settings, args: argparse.Namespace) -> int:
    async def step(session: AsyncSession, person: Employee) -> str:
        admin = args.role == "admin"
        invitation = await invitations.create_account(session, person, now=utcnow(), actor=CLI_ACTOR, admin=admin)
        role = " with the admin role" if admin else ""
        return f"account created for {person.name} ({person.email}){role}\n" + _invitation_text(
            settings, args, invitation
        )

    return _run(settings, "create", _person_work("create", args.employee, step))


def _reset(settings: Settings, args: argparse.Namespace) -> int:
    async def step(session: AsyncSession, person: Employee) -> str:
        invitation = await invitations.reset_account(session, person, now=utcnow(), actor=CLI_ACTOR)
        return f"password and sessions of {person.name} ({person.email}) revoked\n" + _invitation_text(
            settings, args, invitation
        )

    return _run(settings, "reset", _person_work("reset", args.employee, step))


def _disable(settings: Settings, args: argparse.Namespace) -> int:
    async def step(session: AsyncSession, person: Employee) -> str:
        await invitations.disable_account(session, person, now=utcnow(), actor=CLI_ACTOR)
        return f"account of {person.name} ({person.email}) disabled: no sign-in, sessions ended"

    return _run(settings, "disable", _person_work("disable", args.employee, step))


def _enable(settings: Settings, args: argparse.Namespace) -> int:
    async def step(session: AsyncSession, person: Employee) -> str:
        changed = await invitations.enable_account(session, person, now=utcnow(), actor=CLI_ACTOR)
        state = "enabled" if changed else "was not disabled"
        return f"account of {person.name} ({person.email}) {state}"

    return _run(settings, "enable", _person_work("enable", args.employee, step))


def _reset_totp(settings: Settings, args: argparse.Namespace) -> int:
    async def step(session: AsyncSession, person: Employee) -> str:
        if not await second_factor.reset_totp(session, person, now=utcnow(), actor=CLI_ACTOR):
            return f"{person.name} ({person.email}) has no authenticator app: nothing to reset"
        return f"two-step sign-in of {person.name} ({person.email}) reset: the next password sign-in sets it up again"

    return _run(settings, "reset-totp", _person_work("reset-totp", args.employee, step))


def _list(settings: Settings, _args: argparse.Namespace) -> int:
    async def work(db: Database) -> int:
        async with db.read() as session:
            rows = await invitations.list_accounts(session, utcnow())
        print(f"{'NIP':<18}  {'state':<18} {'admin':<5}  name <email>")
        for row in rows:
            state = row.state.value if row.person_active else f"{row.state.value} (left)"
            print(f"{row.nip:<18}  {state:<18} {'yes' if row.is_admin else '':<5}  {row.name} <{row.email}>")
        return 0

    return _run(settings, "list", work)


@dataclass(frozen=True, slots=True)
class IssuedInvitation:
    """An account created or reset from the page: whose, and the link (shown once)."""

    name: str
    invitation: Invitation


class AccountAdministration:
    """The administration page's account changes, each one unit of work that first checks the actor is an
    administrator. Disabling also ends the person's login sessions in Redis after the commit (they are refused
    from then on anyway: see ``accounts.session_is_live``)."""

    def __init__(self, db: Database, sessions: SessionStore | None, clock: Callable[[], datetime]) -> None:
        self.db, self.sessions, self.clock = db, sessions, clock

    async def directory(
        self, actor_id: int, *, search: str = "", state: str | None = None, offset: int = 0, limit: int = 50
    ) -> AccountDirectory:
        async with self.db.read() as session:
            await _require_admin(session, actor_id)
            return await invitations.account_directory(
                session, self.clock(), search=search, state=state, offset=offset, limit=limit
            )

    async def listing(self, actor_id: int, employee_id: int) -> AccountListing:
        """One person as the list shows them (for a confirmation page); ``NotFound`` for an unknown id."""
        async with self.db.read() as session:
            await _require_admin(session, actor_id)
            found = await invitations.account_directory(session, self.clock(), employee_id=employee_id, limit=1)
        if not found.rows:
            raise NotFound("Employee", employee_id)
        return found.rows[0]

    async def create(self, actor_id: int, nip_or_email: str, *, via: str = "page") -> IssuedInvitation:
        now = self.clock()
        async with self.db.write() as session:
            await _require_admin(session, actor_id)
            person = await invitations.find_person(session, nip_or_email)
            if person is None:
                raise NotFound("Employee", nip_or_email.strip()[:200])
            invitation = await invitations.create_account(session, person, now=now, actor=Actor(actor_id, via))
            return IssuedInvitation(person.name, invitation)

    async def reset(self, actor_id: int, employee_id: int, *, via: str = "page") -> IssuedInvitation:
        now = self.clock()
        async with self.db.write() as session:
            await _require_admin(session, actor_id)
            person = await _person(session, employee_id)
            invitation = await invitations.reset_account(session, person, now=now, actor=Actor(actor_id, via))
            name = person.name
        await self._end_sessions(employee_id)
        return IssuedInvitation(name, invitation)

    async def disable(self, actor_id: int, employee_id: int, *, via: str = "page") -> str:
        """Returns the person's name. An administrator may not disable their own account (they would be locked
        out of the page that undoes it)."""
        now = self.clock()
        async with self.db.write() as session:
            await _require_admin(session, actor_id)
            if employee_id == actor_id:
                raise PermissionDenied(CommonPermissionCode.PERMISSION_DENIED)
            person = await _person(session, employee_id)
            await invitations.disable_account(session, person, now=now, actor=Actor(actor_id, via))
            name = person.name
        await self._end_sessions(employee_id)
        return name

    async def enable(self, actor_id: int, employee_id: int, *, via: str = "page") -> str:
        async with self.db.write() as session:
            await _require_admin(session, actor_id)
            person = await _person(session, employee_id)
            await invitations.enable_account(session, person, now=self.clock(), actor=Actor(actor_id, via))
            return person.name

    async def _end_sessions(self, employee_id: int) -> None:
        if self.sessions is None:
            return
        try:
            await self.sessions.revoke_all(employee_id)
        except RedisError:  # they no longer count anyway (the account's password_changed_at is later)
            log.warning("could not end the login sessions of employee %s (Redis)", employee_id, exc_info=True)


async def _require_admin(session: AsyncSession, actor_id: int) -> None:
    if not await is_admin(session, actor_id):
        raise PermissionDenied(CommonPermissionCode.ADMINS_ONLY)


async def _person(session: AsyncSession, employee_id: int) -> Employee:
    person = await session.get(Employee, employee_id)
    if person is None:
        raise NotFound("Employee", employee_id)
    return person
