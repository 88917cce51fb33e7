"""``smartoffice accounts create|reset|disable|list``: local accounts from the server's shell (no admin check:
whoever runs it already holds the database's credentials). Changes are audited as the system, via ``cli``."""

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.audit.record import Actor
from smartoffice.db import Database, utcnow
from smartoffice.errors import DomainError
from smartoffice.identity import invitations
from smartoffice.identity.invitations import Invitation
from smartoffice.people.models import Employee
from smartoffice.settings import Settings

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
    accounts.add_parser("list", help="every local account and its state").set_defaults(run=_list)


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
